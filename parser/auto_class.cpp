#include "parser/auto_class.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "parser/auto_phrases.h"
#include "parser/header_text.h"
#include "parser/mime.h"

namespace ticketd::parser {

namespace {

// strong: decides alone; weak: counts when a weak clue of another kind agrees;
// hint: never makes a mail automatic, only says which kind an automatic mail is.
enum class Strength { hint, weak, strong };

struct Clue {
  EvidenceKind kind;
  Strength strength;
  AutoKind suggests;  // none: automatic, but says nothing about the kind
  std::string detail;
};

// How specific a class is: the most specific piece of evidence names the class
// (an Exim bounce carries both Auto-Submitted: auto-replied and
// X-Failed-Recipients; it is a delivery report).
int specificity(AutoKind k) {
  switch (k) {
    case AutoKind::delivery_report:
      return 6;
    case AutoKind::feedback_report:
      return 5;
    case AutoKind::read_receipt:
      return 4;
    case AutoKind::auto_reply:
      return 3;
    case AutoKind::bulk:
      return 2;
    case AutoKind::auto_generated:
      return 1;
    case AutoKind::none:
      return 0;
  }
  return 0;
}

// `s` on one line, cut to at most `max` bytes without splitting a UTF-8 character.
std::string one_line(std::string_view s, std::size_t max = 80) {
  if (s.size() > max) {
    while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
    s = s.substr(0, max);
  }
  std::string out;
  for (char c : s) out.push_back(c == '\r' || c == '\n' || c == '\t' ? ' ' : c);
  return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Lower-cases ASCII only; UTF-8 bytes pass through, so the non-English
// phrases below are matched in the case they are written in by their systems.
bool contains_ci(std::string_view hay_lower, std::string_view needle_lower) {
  return hay_lower.find(needle_lower) != std::string_view::npos;
}

std::string_view local_part(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(0, at);
}

// ---- headers -------------------------------------------------------------

// Headers older auto-responders (vacation, procmail recipes, Zimbra, cPanel's
// autoresponder, Kerio) set instead of Auto-Submitted.
constexpr std::array<std::string_view, 8> kAutoReplyHeaders{
    "X-Autoreply",      "X-Autorespond",   "X-Autoresponder", "X-AutoReply-From",
    "X-Mail-Autoreply", "X-Auto-Response", "X-Autoresponse",  "X-Vacation",
};

// X-Mailer / User-Agent of programs that only ever send automatic answers.
constexpr std::array<std::string_view, 6> kAutoReplyMailers{
    "vacation", "autorespond", "autoreply", "auto-reply", "auto reply", "out of office",
};

bool falsy(std::string_view v) {
  v = trim(v);
  return iequals(v, "no") || iequals(v, "false") || iequals(v, "0") || iequals(v, "off");
}

// Notification systems mark every mail they send with a header of their own
// (Jira, ServiceNow, GitHub, GitLab, Jenkins, cron). Their mails also carry
// List-Id and thread by In-Reply-To, yet they are notifications, not list
// mail and not answers. Returns that header's name, or "".
std::string_view notifier_header(const Message& msg) {
  for (std::string_view h :
       {"X-JIRA-FingerPrint", "X-ServiceNow-Generated", "X-GitHub-Reason",
        "X-GitLab-NotificationReason", "X-GitLab-Project", "X-Jenkins-Job", "X-Cron-Env"})
    if (msg.header(h)) return h;
  return {};
}

void header_clues(const Message& msg, std::vector<Clue>& out) {
  const std::string_view notifier = notifier_header(msg);
  const AutoKind list_kind = notifier.empty() ? AutoKind::bulk : AutoKind::none;
  auto strong = [&](AutoKind k, std::string detail) {
    out.push_back({EvidenceKind::header, Strength::strong, k, one_line(detail)});
  };
  if (const std::string* v = msg.header("Auto-Submitted")) {
    // "auto-replied (vacation)", "auto-replied; owner-email=x" (Sieve, Zimbra):
    // the keyword before any comment or parameter.
    std::string value = to_lower(trim(*v));
    value = std::string(trim(value.substr(0, value.find_first_of(";( \t"))));
    if (value != "no" && !value.empty())
      strong(value == "auto-replied" ? AutoKind::auto_reply : AutoKind::auto_generated,
             "Auto-Submitted: " + value);
  }
  if (const std::string* v = msg.header("X-Failed-Recipients"))
    strong(AutoKind::delivery_report, "X-Failed-Recipients: " + std::string(trim(*v)));
  // Exchange Online marks its own non-delivery reports.
  if (msg.header("X-MS-Exchange-Message-Is-Ndr"))
    strong(AutoKind::delivery_report, "X-MS-Exchange-Message-Is-Ndr");
  for (std::string_view h : kAutoReplyHeaders)
    if (const std::string* v = msg.header(h); v && !falsy(*v))
      strong(AutoKind::auto_reply, std::string(h));
  // Exim, Zimbra and some appliances: X-Autogenerated: Reply / Forward / Mirror.
  if (const std::string* v = msg.header("X-Autogenerated"); v && !falsy(*v))
    strong(starts_with_ci(trim(*v), "reply") ? AutoKind::auto_reply : AutoKind::auto_generated,
           "X-Autogenerated: " + std::string(trim(*v)));
  if (const std::string* v = msg.header("Precedence")) {
    const std::string p = to_lower(trim(*v));
    // Notification systems (ServiceNow, Jira) send Precedence: bulk beside
    // Auto-Submitted: auto-generated, Mailman beside X-List-Administrivia; only
    // list mail has it alone.
    const bool notice = msg.header("Auto-Submitted") || msg.header("X-List-Administrivia");
    if (p == "list" || (p == "bulk" && !notice))
      strong(list_kind, "Precedence: " + p);
    else if (p == "bulk")
      strong(AutoKind::none, "Precedence: bulk");
    else if (p == "junk")  // vacation(1) and mail robots: automatic, kind unknown
      strong(AutoKind::none, "Precedence: junk");
    else if (p == "auto_reply" || p == "auto-reply" || p == "autoreply")
      strong(AutoKind::auto_reply, "Precedence: " + p);
  }
  if (!notifier.empty()) strong(AutoKind::auto_generated, std::string(notifier));
  // X-ARF abuse reports (the German ISPs' format beside ARF).
  if (const std::string* v = msg.header("X-ARF"); v && !falsy(*v))
    strong(AutoKind::feedback_report, "X-ARF: " + std::string(trim(*v)));
  // Mailman's notices about a post (held for moderation, rejected).
  if (const std::string* v = msg.header("X-List-Administrivia"); v && !falsy(*v))
    strong(AutoKind::auto_generated, "X-List-Administrivia: " + std::string(trim(*v)));
  if (msg.header("List-Id")) strong(list_kind, "List-Id");
  if (msg.header("List-Unsubscribe")) strong(list_kind, "List-Unsubscribe");
  // Exchange and Outlook set it on what they generate (OOF, receipts), and help
  // desks and CRMs on their notifications, so that nobody answers them.
  if (const std::string* v = msg.header("X-Auto-Response-Suppress"))
    strong(AutoKind::auto_generated, "X-Auto-Response-Suppress: " + std::string(trim(*v)));
  for (std::string_view h : {"X-Mailer", "User-Agent"})
    if (const std::string* v = msg.header(h)) {
      const std::string m = to_lower(*v);
      for (std::string_view needle : kAutoReplyMailers)
        if (contains_ci(m, needle)) {
          strong(AutoKind::auto_reply, std::string(h) + ": " + std::string(trim(*v)));
          break;
        }
    }
  // An Exchange inbox rule wrote this mail: a client-side auto-reply, but also a
  // person's mail forwarded by a rule, so only weak.
  if (const std::string* v = msg.header("X-MS-Exchange-Inbox-Rules-Loop"))
    out.push_back({EvidenceKind::header, Strength::weak, AutoKind::auto_reply,
                   one_line("X-MS-Exchange-Inbox-Rules-Loop: " + std::string(trim(*v)))});
}

// ---- senders -------------------------------------------------------------

// Local parts of mail-system senders (RFC 2142 mailboxes and what MTAs use).
constexpr std::array<std::string_view, 8> kDaemonLocals{
    "mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon",
    "postmaster",    "ndr",           "bounce",       "bounces",
};

// Display names mail systems give their reports; no person is called this.
constexpr std::array<std::string_view, 7> kDaemonNames{
    "mail delivery system",
    "mail delivery subsystem",
    "mail delivery service",
    "mailer-daemon",
    "mailer daemon",
    "mail administrator",
    "delivery status notification",
};

// noreply, no-reply, no_reply, donotreply, do-not-reply, do_not_reply, and the
// same followed by a separator and more (noreply-dmarc-support, no-reply.aws);
// `local` is lower case. "noreplyjohn" is not one.
bool is_no_reply(std::string_view local) {
  local = local.substr(0, local.find('+'));
  auto separator = [](char c) { return c == '-' || c == '_' || c == '.'; };
  for (std::string_view base : {"noreply", "donotreply"}) {
    std::size_t i = 0, seen = 0;
    for (; i < local.size() && seen < base.size(); ++i) {
      if (separator(local[i])) continue;
      if (local[i] != base[seen]) break;
      ++seen;
    }
    if (seen == base.size() && (i == local.size() || separator(local[i]))) return true;
  }
  return false;
}

void sender_clues(const Message& msg, std::vector<Clue>& out) {
  auto add = [&](Strength s, AutoKind k, std::string detail) {
    out.push_back({EvidenceKind::sender, s, k, one_line(detail)});
  };
  if (msg.return_path) {
    const std::string rp = to_lower(trim(*msg.return_path));
    const std::string local(local_part(rp));
    if (rp.empty()) {
      // RFC 3464/3798/3834: reports and auto-replies go out with a null sender.
      add(Strength::strong, AutoKind::none, "Return-Path: <>");
    } else if (local == "mailer-daemon" || local == "postmaster" || local == "mailer_daemon") {
      add(Strength::strong, AutoKind::delivery_report, "Return-Path: <" + rp + ">");
    } else if (const std::string base = local.substr(0, local.find('+'));
               base.starts_with("owner-") || base.ends_with("-owner")) {
      // LISTSERV and majordomo send posts with the list owner as envelope
      // sender (owner-LIST), some without any List-* header.
      add(Strength::strong, AutoKind::bulk, "Return-Path: <" + rp + ">");
    } else if (is_no_reply(local)) {
      add(Strength::strong, AutoKind::auto_generated, "Return-Path: <" + rp + ">");
    }
  }
  const std::string from = to_lower(trim(msg.from.address));
  std::string local(local_part(from));
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"')
    local = local.substr(1, local.size() - 2);
  const std::string name = to_lower(trim(msg.from.name));
  const bool daemon_name =
      std::find(kDaemonNames.begin(), kDaemonNames.end(), name) != kDaemonNames.end() ||
      name == "postmaster";
  if (!from.empty()) {
    if (std::find(kDaemonLocals.begin(), kDaemonLocals.end(), local) != kDaemonLocals.end()) {
      add(Strength::strong, AutoKind::delivery_report, "From: " + from);
    } else if (local.ends_with("-bounces")) {
      // Mailman's robot address: its notices (held, rejected, bounce summaries).
      add(Strength::strong, AutoKind::auto_generated, "From: " + from);
    } else if (local == "system administrator") {
      // Exchange 2003 signs its NDRs From: <"System Administrator"@host>.
      add(Strength::strong, AutoKind::delivery_report, "From: " + from);
    } else if (is_no_reply(local)) {
      add(Strength::strong, AutoKind::auto_generated, "From: " + from);
    } else if (daemon_name) {
      add(Strength::strong, AutoKind::delivery_report,
          "From: " + msg.from.name + " <" + from + ">");
    } else if (name == "system administrator") {
      add(Strength::weak, AutoKind::delivery_report, "From: " + msg.from.name);
    }
  } else if (const std::string* raw = msg.header("From");
             raw && raw->find("<>") != std::string::npos) {
    // "From: Postmaster <>" (some appliances; the address parser keeps no
    // entry for "<>", so the raw header is read); a bare "<>" is only weak:
    // spam tools write empty senders too.
    const std::string v = to_lower(*raw);
    const bool named = v.find("postmaster") != std::string::npos ||
                       std::any_of(kDaemonNames.begin(), kDaemonNames.end(),
                                   [&](std::string_view n) { return contains_ci(v, n); });
    if (named)
      add(Strength::strong, AutoKind::delivery_report, "From: " + std::string(trim(*raw)));
    else
      add(Strength::weak, AutoKind::none, "From: <>");
  }
}

// ---- structure -----------------------------------------------------------

// read_text: whether the start of the body is worth reading (classify_automatic).
void structure_clues(const Message& msg, std::vector<Clue>& out, bool read_text) {
  auto strong = [&](AutoKind k, const std::string& detail) {
    for (const Clue& c : out)
      if (c.kind == EvidenceKind::structure && c.suggests == k) return;  // one is enough
    out.push_back({EvidenceKind::structure, Strength::strong, k, one_line(detail)});
  };
  for (const std::string& p : msg.report_parts) {
    if (p.find("delivery-status") != std::string::npos)
      strong(AutoKind::delivery_report, p);
    else if (p.find("disposition-notification") != std::string::npos)
      strong(AutoKind::read_receipt, p);
    else if (p.find("feedback-report") != std::string::npos)
      strong(AutoKind::feedback_report, p);
    else if (p.starts_with("multipart/report"))
      strong(AutoKind::auto_generated, p);  // another report type: still no person wrote it
  }
  const bool headers_only = std::find(msg.report_parts.begin(), msg.report_parts.end(),
                                      "text/rfc822-headers") != msg.report_parts.end();
  if (headers_only)
    out.push_back({EvidenceKind::structure, Strength::weak, AutoKind::delivery_report,
                   "text/rfc822-headers part"});
  if (!read_text) return;
  // The head of the text in lower case, runs of whitespace collapsed: bounce
  // text is wrapped at odd places. One pass into a buffer of the head's size.
  const std::string_view head = std::string_view(msg.text).substr(0, 8192);
  std::string squeezed(head.size(), '\0');
  std::size_t w = 0;
  for (const char c : head) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      if (w != 0 && squeezed[w - 1] != ' ') squeezed[w++] = ' ';
    } else {
      squeezed[w++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  squeezed.resize(w);
  if (auto hit = phrases::text_hit(squeezed)) {
    out.push_back({EvidenceKind::structure, Strength::weak, hit->kind,
                   "text: \"" + std::string(hit->phrase) + "\""});
  } else if (auto absence = phrases::absence_template(msg.subject, squeezed)) {
    // Outlook's "reply with template" rules: no header, only these two agree.
    out.push_back({EvidenceKind::subject, Strength::weak, AutoKind::auto_reply,
                   one_line(trim(msg.subject), 60)});
    out.push_back({EvidenceKind::structure, Strength::weak, AutoKind::auto_reply,
                   "text: \"" + std::string(*absence) + "\""});
  }
  // A mail that answers another (help desks' acknowledgements): no evidence of
  // automatic mail, but an automatic one that does this is an auto-reply.
  if (!msg.keys.in_reply_to.empty() && notifier_header(msg).empty())
    out.push_back({EvidenceKind::structure, Strength::hint, AutoKind::auto_reply, "In-Reply-To"});
  if (auto ack = phrases::acknowledgement_text(squeezed))
    out.push_back({EvidenceKind::structure, Strength::hint, AutoKind::auto_reply,
                   "text: \"" + std::string(*ack) + "\""});
}

// ---- subject -------------------------------------------------------------

void subject_clues(const Message& msg, const std::optional<phrases::Hit>& hit,
                   std::vector<Clue>& out) {
  for (const Clue& c : out)
    if (c.kind == EvidenceKind::subject) return;  // the absence template named it already
  if (!hit) return;
  const Strength s = hit->weight == phrases::Weight::strong ? Strength::strong
                     : hit->weight == phrases::Weight::weak ? Strength::weak
                                                            : Strength::hint;
  out.push_back({EvidenceKind::subject, s, hit->kind, one_line(trim(msg.subject), 60)});
}

// ---- bounced mail ----------------------------------------------------------

// qmail, Exim and some Exchange reports quote the original's header lines as
// text; its "Message-ID:" line names the bounced mail. Mimecast writes
// "Original message id: <...>", Amazon SES's JSON "messageId": "<...>".
std::vector<std::string> quoted_message_ids(std::string_view text) {
  std::vector<std::string> ids;
  std::size_t pos = 0;
  while (pos < text.size() && ids.size() < 4) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = trim(text.substr(pos, eol - pos));
    pos = eol + 1;
    while (line.starts_with('>')) line = trim(line.substr(1));
    bool found = false;
    for (std::string_view key : {"message-id:", "original message id:", "original-message-id:"})
      if (starts_with_ci(line, key)) {
        for (auto& id : parse_message_ids(line.substr(key.size()), 1)) ids.push_back(std::move(id));
        found = true;
        break;
      }
    if (found) continue;
    // JSON: "messageId": "<local@domain>" (quotes escaped or not); SES's own
    // ids without angle brackets are skipped.
    const std::string lower = to_lower(line);
    for (std::size_t k = lower.find("messageid"); k != std::string::npos && ids.size() < 4;
         k = lower.find("messageid", k + 9)) {
      const std::size_t open = line.find('<', k);
      if (open == std::string_view::npos || open - k > 16) continue;
      const std::size_t close = line.find('>', open);
      if (close == std::string_view::npos || close - open > 250) continue;
      for (auto& id : parse_message_ids(line.substr(open, close - open + 1), 1))
        ids.push_back(std::move(id));
    }
  }
  return ids;
}

}  // namespace

void classify_automatic(Message& msg) {
  msg.auto_kind = AutoKind::none;
  msg.auto_evidence.clear();
  msg.bounced_message_ids.clear();

  std::vector<Clue> clues;
  header_clues(msg, clues);
  sender_clues(msg, clues);
  // The body's text (weak clues and hints) can only tip the verdict when
  // something else points at a machine already: a clue above a hint from the
  // headers, the sender, a report part or the subject, or an absence subject
  // (the template pair below). Everyday mail is not read a second time.
  const auto subject = phrases::subject_hit(msg.subject);
  const bool read_text = !msg.report_parts.empty() ||
                         (subject && subject->weight != phrases::Weight::hint) ||
                         phrases::absence_subject(msg.subject) ||
                         std::any_of(clues.begin(), clues.end(),
                                     [](const Clue& c) { return c.strength != Strength::hint; });
  structure_clues(msg, clues, read_text);
  subject_clues(msg, subject, clues);

  bool strong = false;
  std::array<bool, 4> weak_kinds{};
  bool sender_clue = false;
  for (const Clue& c : clues) {
    if (c.strength == Strength::strong) strong = true;
    if (c.strength == Strength::weak) weak_kinds[static_cast<std::size_t>(c.kind)] = true;
    if (c.kind == EvidenceKind::sender && c.strength != Strength::hint) sender_clue = true;
  }
  const bool automatic = strong || std::count(weak_kinds.begin(), weak_kinds.end(), true) >= 2;
  if (!automatic) return;

  // The class: the most specific suggestion among the strong clues. When they
  // only say "machine mail" (Auto-Submitted: auto-generated, a no-reply
  // sender, a null Return-Path), the weak clues and hints may say more: a help
  // desk's acknowledgement (In-Reply-To, "We have received your request") is
  // an auto-reply. A bounce or complaint needs more than a subject for that
  // (its text, or a mail-system sender): a notification that only mentions a
  // "delivery failure" must not be taken for a bounce.
  AutoKind best = AutoKind::none;
  for (const Clue& c : clues)
    if (c.strength == Strength::strong && specificity(c.suggests) > specificity(best))
      best = c.suggests;
  if (best == AutoKind::none || best == AutoKind::auto_generated) {
    for (const Clue& c : clues) {
      if (c.strength == Strength::strong || specificity(c.suggests) <= specificity(best)) continue;
      const bool report =
          c.suggests == AutoKind::delivery_report || c.suggests == AutoKind::feedback_report;
      if (report && c.kind == EvidenceKind::subject && !sender_clue) continue;
      if (report && c.strength == Strength::hint) continue;
      best = c.suggests;
    }
  }
  // A report's structure names its kind outright: an MDN sent by a postmaster
  // address is still a read receipt.
  for (const Clue& c : clues)
    if (c.kind == EvidenceKind::structure && c.strength == Strength::strong &&
        c.suggests != AutoKind::auto_generated) {
      best = c.suggests;
      break;
    }
  msg.auto_kind = best == AutoKind::none ? AutoKind::auto_generated : best;

  std::stable_sort(clues.begin(), clues.end(),
                   [](const Clue& a, const Clue& b) { return a.strength > b.strength; });
  for (Clue& c : clues) {
    if (msg.auto_evidence.size() >= 8) break;
    if (c.strength == Strength::hint && c.suggests != msg.auto_kind) continue;  // said nothing
    msg.auto_evidence.push_back({c.kind, std::move(c.detail)});
  }

  if (msg.auto_kind == AutoKind::delivery_report || msg.auto_kind == AutoKind::read_receipt ||
      msg.auto_kind == AutoKind::feedback_report) {
    msg.bounced_message_ids = msg.carried_message_ids;
    if (msg.bounced_message_ids.empty() && msg.auto_kind != AutoKind::read_receipt)
      msg.bounced_message_ids = quoted_message_ids(msg.text);
    // Exim's delay warnings and Gmail's DSNs say which mail they are about in
    // In-Reply-To / References, as does a read receipt written as a reply.
    if (msg.bounced_message_ids.empty()) {
      if (!msg.keys.in_reply_to.empty()) msg.bounced_message_ids.push_back(msg.keys.in_reply_to);
      for (const auto& r : msg.keys.references)
        if (r != msg.keys.in_reply_to && msg.bounced_message_ids.size() < 4)
          msg.bounced_message_ids.push_back(r);
    }
  }
}

}  // namespace ticketd::parser
