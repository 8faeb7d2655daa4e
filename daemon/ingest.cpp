#include "daemon/ingest.h"

// SHA256_Init/Update/Final: deprecated in OpenSSL 3, used for the keyed
// HMAC below (see KeyedHmac).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "daemon/apply.h"
#include "daemon/verp.h"
#include "lifecycle/commands.h"
#include "lifecycle/engine.h"
#include "lifecycle/guard.h"
#include "lifecycle/threading.h"
#include "parser/auto_class.h"
#include "parser/mime.h"
#include "parser/parse.h"

namespace ticketd::daemon {

namespace {

// Identifies the content of a mail independently of transport headers
// (Received, Delivered-To): the same mail delivered twice by two routes.
std::string content_hash(const parser::Message& m) {
  std::string s;
  s.reserve(m.text.size() + 256);
  s += store::lower_address(m.from.address);
  s += '\0';
  s += m.subject;
  s += '\0';
  s += m.text;
  for (const auto& a : m.attachments) {
    s += '\0';
    s += a.sha256;
  }
  return parser::sha256_hex(s);
}

// Why a parsed mail cannot become a ticket (empty when it can).
std::string quarantine_reason(const parser::Message& m, std::string& detail) {
  if (m.headers.empty()) {
    detail = "no header fields found";
    return "no_headers";
  }
  const auto at = m.from.address.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == m.from.address.size()) {
    detail =
        m.from.address.empty() ? "no From address" : "From is not an address: " + m.from.address;
    return "no_sender";
  }
  return {};
}

// A new ticket's subject without ticket tags of ours ("Re: [#TD-1001] x" from
// someone whose evidence was refused): the new ticket gets its own tag, and a
// stale one would mislead people and mail clients.
std::string ticket_subject(std::string_view subject, std::string_view prefix) {
  std::string out;
  std::size_t pos = 0;
  while (pos < subject.size()) {
    const std::size_t open = subject.find("[#", pos);
    const std::size_t close = open == std::string_view::npos ? open : subject.find(']', open + 2);
    if (close == std::string_view::npos) {
      out.append(subject.substr(pos));
      break;
    }
    std::string_view tag = subject.substr(open + 2, close - open - 2);
    out.append(subject.substr(pos, open - pos));
    if (!tag.starts_with(prefix) || tag.size() == prefix.size())
      out.append(subject.substr(open, close + 1 - open));
    pos = close + 1;
  }
  std::string clean;
  for (char c : out) {
    if (c == ' ' && (clean.empty() || clean.back() == ' ')) continue;
    clean.push_back(c);
  }
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();
  return clean.empty() ? std::string("(no subject)") : clean;
}

// Mail ticketd itself wrote: From is the support address (or a plus form
// of it), or the Message-ID is one of ours.
bool is_own_mail(const parser::Message& m, const Config& config) {
  const std::string from = store::lower_address(m.from.address);
  const std::string support = store::lower_address(config.support.address);
  const auto at = support.find('@');
  const bool from_us = from == support || (from.starts_with(support.substr(0, at) + "+") &&
                                           from.ends_with(support.substr(at)));
  const std::string& domain = config.guard.our_message_id_domain;
  const std::string id = store::lower_address(m.keys.message_id);
  return from_us || (!domain.empty() && id.ends_with("@" + domain));
}

std::string actor_of(const parser::Message& m) {
  return m.from.address.empty() ? std::string("unknown") : m.from.address;
}

// Parses the mail; an envelope sender from the MTA replaces its Return-Path
// (the MTA knows; a Return-Path header in the mail may be stale or forged)
// and the mail is classified again with it.
parser::Message parse_with_envelope(const RawMail& raw, const parser::ParseLimits& limits) {
  parser::Message msg = parser::parse_message(raw.bytes, limits);
  if (raw.envelope_sender) {
    std::string_view env = parser::trim(*raw.envelope_sender);
    if (env == "<>") env = "";
    msg.return_path = std::string(env);
    parser::classify_automatic(msg);
  }
  return msg;
}

}  // namespace

std::string_view ingest_result_name(IngestResult r) {
  switch (r) {
    case IngestResult::new_ticket:
      return "new_ticket";
    case IngestResult::reply:
      return "reply";
    case IngestResult::duplicate:
      return "duplicate";
    case IngestResult::quarantined:
      return "quarantined";
  }
  return "unknown";
}

namespace {

// HMAC-SHA256 (RFC 2104) keyed once per thread and secret: the key's inner
// and outer pads are hashed once, and each MAC starts from copies of those
// two SHA-256 states (two compressions for a short message). OpenSSL 3's
// EVP_MAC re-initialised with the same key still duplicated provider
// contexts on every call (~7,000 instructions a token, two tokens a new
// ticket, in the store's critical path: bench/ingest_bench); its one-shot
// HMAC() also fetched the algorithm each time. The low-level SHA256_*
// calls are deprecated in OpenSSL 3 but kept for exactly this; the test
// checks the result against Python's hmac (RFC 4231 sizes: short, block-long
// and longer-than-a-block keys).
class KeyedHmac {
 public:
  // The MAC of data under secret into md (32 bytes).
  void mac(std::string_view secret, std::string_view data, unsigned char* md) {
    if (!keyed_ || secret != key_) rekey(secret);
    SHA256_CTX c = inner_;
    SHA256_Update(&c, data.data(), data.size());
    unsigned char in[SHA256_DIGEST_LENGTH];
    SHA256_Final(in, &c);
    c = outer_;
    SHA256_Update(&c, in, sizeof in);
    SHA256_Final(md, &c);
  }

 private:
  void rekey(std::string_view secret) {
    unsigned char block[SHA256_CBLOCK] = {};
    if (secret.size() > sizeof block)
      SHA256(reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), block);
    else
      std::memcpy(block, secret.data(), secret.size());
    unsigned char pad[SHA256_CBLOCK];
    for (std::size_t i = 0; i < sizeof block; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&inner_);
    SHA256_Update(&inner_, pad, sizeof pad);
    for (std::size_t i = 0; i < sizeof block; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&outer_);
    SHA256_Update(&outer_, pad, sizeof pad);
    OPENSSL_cleanse(block, sizeof block);
    OPENSSL_cleanse(pad, sizeof pad);
    key_.assign(secret);
    keyed_ = true;
  }

  SHA256_CTX inner_{}, outer_{};
  bool keyed_ = false;
  std::string key_;
};

}  // namespace

std::string reply_token(std::string_view secret, std::string_view message) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  constexpr unsigned len = sizeof md;
  thread_local KeyedHmac keyed;
  keyed.mac(secret, message, md);
  // 26 base32 characters = 130 bits: unguessable, short enough for a local part.
  static constexpr char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned i = 0; i < len && out.size() < 26; ++i) {
    buffer = (buffer << 8) | md[i];
    bits += 8;
    while (bits >= 5 && out.size() < 26) {
      out.push_back(b32[(buffer >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  return out;
}

std::string numbered_token(std::string_view number, std::string mac) {
  std::size_t digits = number.size();
  while (digits > 0 && number[digits - 1] >= '0' && number[digits - 1] <= '9') --digits;
  if (digits == number.size()) return mac;
  std::string out(number.substr(digits));
  out += '-';
  out += mac;
  return out;
}

std::string ticket_token(std::string_view secret, std::string_view number) {
  return numbered_token(number, reply_token(secret, number));
}

PreparedMail prepare_mail(const RawMail& raw, const Config& config) {
  PreparedMail p;
  p.raw = raw;
  p.raw_hash = parser::sha256_hex(raw.bytes);
  const auto& limits = config.limits;
  p.too_big = raw.truncated || raw.size > limits.max_message_bytes;
  if (p.too_big) return p;
  parser::ParseLimits pl;
  pl.max_message_bytes = static_cast<std::size_t>(limits.max_message_bytes);
  pl.max_attachment_bytes = static_cast<std::size_t>(limits.max_attachment_bytes);
  // An attachment is not decoded into memory beside the raw mail: hashed a
  // piece at a time here, and decoded again from the stored raw mail only
  // when an answer relays it. A 25 MB mail with an 18 MB attachment peaked
  // at 2.48x its size with the decoded copy (bench/memory).
  pl.lazy_attachment_bytes = kLazyAttachmentBytes;
  p.msg = parse_with_envelope(raw, pl);
  p.content_hash = content_hash(p.msg);
  return p;
}

std::expected<IngestOutcome, IngestError> Ingestor::ingest(
    const RawMail& raw, std::int64_t now, const std::function<void(store::Tx&)>& same_tx,
    std::string_view where) {
  PreparedMail mail;
  try {
    mail = prepare_mail(raw, config_);
  } catch (const std::bad_alloc&) {
    spdlog::error("store_failed stage=persist temporary=true error=\"out of memory\"");
    return std::unexpected(IngestError{true, "out of memory"});
  }
  return ingest(mail, now, same_tx, where);
}

void Ingestor::log_stored(const IngestOutcome& out, std::string_view where) {
  spdlog::info("mail_stored stage=persist outcome={} ticket={} message_id=<{}>{}{} detail=\"{}\"",
               ingest_result_name(out.result), out.ticket.empty() ? "-" : out.ticket,
               out.message_id, where.empty() ? "" : " ", where, out.detail);
}

std::expected<IngestOutcome, IngestError> Ingestor::ingest(
    const PreparedMail& mail, std::int64_t now, const std::function<void(store::Tx&)>& same_tx,
    std::string_view where, bool log) {
  try {
    IngestOutcome out = ingest_tx(mail, now, same_tx);
    out.message_id = mail.msg.keys.message_id;
    if (log) log_stored(out, where);
    return out;
  } catch (const store::Error& e) {
    spdlog::error("store_failed stage=persist temporary={} error=\"{}\"", e.temporary(), e.what());
    return std::unexpected(IngestError{e.temporary(), e.what()});
  } catch (const std::bad_alloc&) {
    spdlog::error("store_failed stage=persist temporary=true error=\"out of memory\"");
    return std::unexpected(IngestError{true, "out of memory"});
  }
}

// A rejection notice to the mail's sender (no ticket), unless the guard
// (rate limit, failing address, our own address) says no.
void Ingestor::queue_rejection(store::Tx& tx, const parser::Message& msg, const std::string& why,
                               std::int64_t now) {
  const std::string sender = store::lower_address(msg.from.address);
  lifecycle::RecipientHistory h = tx.history(sender, now - config_.guard.rate_window_seconds);
  if (lifecycle::recipient_block_reason(sender, h, config_.guard, now)) return;
  store::OutboxRow row;
  row.kind = "rejection";
  row.template_name = "rejection";
  row.detail = why;
  row.to = {sender};
  row.in_reply_to = msg.keys.message_id;
  row.created_at = now;
  row.message_id = new_message_id("rejected", "rejection", message_id_domain(config_));
  tx.queue(row);
}

// What a report does to the ticket of the mail it is about, by kind.
struct ReportEffect {
  const char* event;       // event kind on the ticket
  const char* quarantine;  // reason when no mail of ours is cited
  bool suppress;           // the recipients get no automatic mail for a while
};

std::optional<IngestOutcome> Ingestor::ingest_report(store::Tx& tx, const parser::Message& msg,
                                                     std::int64_t raw_id, const std::string& chash,
                                                     std::int64_t now) {
  using parser::AutoKind;
  // A mail to a VERP bounce address is about that exact outbox row, whatever
  // its format: a bounce unless it says it is an automatic answer (RFC 3834
  // auto-responders answer the envelope sender, which is that address).
  const std::optional<std::int64_t> verp = verp_row(msg.keys.plus_tokens, secret_);
  ReportEffect effect{"delivery_failure", "unmatched_bounce", true};
  switch (msg.auto_kind) {
    case AutoKind::delivery_report:
      break;
    case AutoKind::feedback_report:
      effect = {"complaint", "unmatched_report", true};
      break;
    case AutoKind::read_receipt:
      effect = {"read_receipt", "unmatched_report", false};
      break;
    case AutoKind::auto_reply:
    case AutoKind::auto_generated:
    case AutoKind::bulk:
      if (!verp) return std::nullopt;  // threaded like any mail, never answered
      effect = {"auto_reply", "unmatched_report", false};
      break;
    case AutoKind::none:
      if (!verp) return std::nullopt;
      break;
  }
  const std::string actor = actor_of(msg);
  std::vector<std::string> ids;
  if (verp)
    if (auto row = store_.outbox_row(*verp)) ids.push_back(row->message_id);
  ids.insert(ids.end(), msg.bounced_message_ids.begin(), msg.bounced_message_ids.end());
  for (const auto& id : ids) {
    auto ticket_id = tx.ticket_of_outbox_message(id);
    if (!ticket_id) continue;
    const lifecycle::TicketView view = tx.ticket_view(*ticket_id);
    const std::int64_t row = tx.add_message(*ticket_id, raw_id, msg, "in", "system", chash, now);
    std::string who;
    for (const auto& a : tx.outbox_recipients(id)) {
      if (effect.suppress)
        tx.mark_failing(a, now + config_.guard.failing_address_seconds,
                        std::string(effect.event) + " of <" + id + ">");
      who += (who.empty() ? "" : ", ") + a;
    }
    const std::string hours = std::to_string(config_.guard.failing_address_seconds / 3600);
    std::string detail;
    if (std::string_view(effect.event) == "delivery_failure")
      detail =
          "mail <" + id + "> to " + who + " bounced; no automatic mail to them for " + hours + " h";
    else if (std::string_view(effect.event) == "complaint")
      detail = "mail <" + id + "> to " + who +
               " was reported as spam (feedback report); no automatic mail to them for " + hours +
               " h";
    else if (std::string_view(effect.event) == "read_receipt")
      detail = "mail <" + id + "> to " + who + " was read (disposition notification)";
    else
      detail = "automatic answer to mail <" + id + "> from " + actor + " (" +
               std::string(parser::auto_kind_name(msg.auto_kind)) + "): kept, not answered";
    tx.add_event(*ticket_id, now, effect.event, actor, detail, row);
    tx.commit();
    return IngestOutcome{IngestResult::reply, view.number,
                         std::string(effect.event) + " of <" + id + ">"};
  }
  const std::string what =
      std::string(parser::auto_kind_name(msg.auto_kind)) + " citing no mail of ours";
  const std::int64_t q = tx.quarantine(raw_id, effect.quarantine, what, now);
  tx.add_event(std::nullopt, now, "quarantined", actor,
               "quarantine #" + std::to_string(q) + ": " + effect.quarantine + ": " + what);
  tx.commit();
  return IngestOutcome{IngestResult::quarantined, "", effect.quarantine};
}

IngestOutcome Ingestor::ingest_tx(const PreparedMail& mail, std::int64_t now,
                                  const std::function<void(store::Tx&)>& same_tx) {
  // Parsed before the transaction (prepare_mail): the write lock is held only
  // for the writes.
  const RawMail& raw = mail.raw;
  const std::string& raw_hash = mail.raw_hash;
  const parser::Message& msg = mail.msg;
  const bool too_big = mail.too_big;
  const auto& limits = config_.limits;

  store::Tx tx = store_.begin();
  if (same_tx) tx.before_commit(same_tx);
  if (auto seen = tx.find_raw(raw_hash, msg.keys.message_id)) {
    IngestOutcome out{IngestResult::duplicate, seen->ticket_number.value_or(""),
                      "same raw mail already stored (sha256 " + raw_hash.substr(0, 16) + ")"};
    tx.add_event(
        seen->ticket_id, now, "duplicate", too_big ? "unknown" : actor_of(msg),
        "duplicate ignored: " + out.detail +
            (msg.keys.message_id.empty() ? "" : " message-id <" + msg.keys.message_id + ">"));
    tx.commit();
    return out;
  }
  const std::int64_t raw_id = tx.put_raw(raw_hash, raw.bytes, raw.size, raw.truncated, now);

  std::string detail;
  std::string reason = too_big ? "too_big" : quarantine_reason(msg, detail);
  if (too_big)
    detail = std::to_string(raw.size) + " bytes, limit " + std::to_string(limits.max_message_bytes);
  if (!reason.empty()) {
    // The sender of a mail too big to take is told (once per mail, within
    // the guard's rate limit; never an automatic sender), from its head.
    if (too_big) {
      parser::ParseLimits pl;
      pl.max_message_bytes = static_cast<std::size_t>(limits.max_message_bytes);
      pl.max_attachment_bytes = static_cast<std::size_t>(limits.max_attachment_bytes);
      const parser::Message head = parse_with_envelope(raw, pl);
      if (!head.from.address.empty() && !lifecycle::automatic_mail_reason(head, config_.guard))
        queue_rejection(tx, head,
                        "your mail of " + std::to_string(raw.size >> 20) +
                            " MB is larger than the " +
                            std::to_string(limits.max_message_bytes >> 20) +
                            " MB we accept; please send large files another way",
                        now);
    }
    const std::int64_t q = tx.quarantine(raw_id, reason, detail, now);
    tx.add_event(std::nullopt, now, "quarantined", too_big ? "unknown" : actor_of(msg),
                 "quarantine #" + std::to_string(q) + ": " + reason + ": " + detail);
    tx.commit();
    return {IngestResult::quarantined, "", reason + ": " + detail};
  }

  const std::string& chash = mail.content_hash;
  std::string reuse_note;
  if (!msg.keys.message_id.empty()) {
    for (const auto& prior : tx.find_message_id(msg.keys.message_id)) {
      if (prior.content_hash == chash) {
        // The same mail by another route (different Received lines): one entry.
        IngestOutcome out{IngestResult::duplicate, prior.ticket_number,
                          "same Message-ID and content as a stored mail"};
        tx.add_event(prior.ticket_id, now, "duplicate", actor_of(msg),
                     "duplicate ignored: message-id <" + msg.keys.message_id +
                         "> with identical content (raw kept as #" + std::to_string(raw_id) + ")");
        tx.commit();
        return out;
      }
      reuse_note = "message-id <" + msg.keys.message_id +
                   "> reused by a different mail (first on " + prior.ticket_number + "); kept";
    }
  }

  const std::string sender = store::lower_address(msg.from.address);
  const std::string actor = actor_of(msg);
  const auto auto_reason = lifecycle::automatic_mail_reason(msg, config_.guard);
  ApplyContext ctx{tx, config_, secret_, now};

  // Our own mail come back (an ack delivered into the support mailbox, a
  // forwarding loop): kept, never a ticket, never answered.
  if (is_own_mail(msg, config_)) {
    const std::int64_t q =
        tx.quarantine(raw_id, "own_mail", "From or Message-ID is ticketd's own", now);
    tx.add_event(std::nullopt, now, "quarantined", actor,
                 "quarantine #" + std::to_string(q) + ": own_mail <" + msg.keys.message_id + ">");
    tx.commit();
    return {IngestResult::quarantined, "", "own_mail"};
  }

  // Reports about mail we sent (a bounce, a spam complaint, a read receipt,
  // an auto-reply to our envelope sender) go to that mail's ticket; one we
  // cannot place is quarantined, never answered and never a new ticket.
  if (auto report = ingest_report(tx, msg, raw_id, chash, now)) return *report;

  lifecycle::ThreadDecision d = lifecycle::decide_thread(msg, tx);
  // Who wrote is what From says: nothing here can verify it. When the envelope
  // (the MTA's sender, else Return-Path) names someone else, the events say
  // so for whoever reads the ticket. Replies still go to From alone.
  if (msg.return_path && !msg.return_path->empty() &&
      store::lower_address(*msg.return_path) != sender) {
    std::string envelope;
    for (char c : *msg.return_path)
      if (static_cast<unsigned char>(c) >= 0x20) envelope.push_back(c);
    d.detail += " (envelope sender " + envelope + " is not From)";
  }
  IngestOutcome out;
  std::int64_t ticket_id = 0;
  std::optional<std::int64_t> follows;  // a closed ticket this mail follows up
  const lifecycle::Directory& dir = config_.directory;
  if (d.ticket) {
    const lifecycle::TicketView view = tx.ticket_view(d.ticket->id);
    const lifecycle::Agent* agent = dir.agent(sender);
    ticket_id = view.id;
    out = {IngestResult::reply, view.number, d.detail};
    if (auto_reason) {
      // Automatic mail (an out-of-office on the thread): kept, never answered,
      // and it does not reopen anything.
      const std::int64_t row = tx.add_message(ticket_id, raw_id, msg, "in", "system", chash, now);
      tx.add_event(ticket_id, now, "message_added", actor, d.detail, row);
      tx.add_event(ticket_id, now, "guard", actor, "not answered: " + *auto_reason, row);
    } else if (agent) {
      lifecycle::AgentMail mail =
          lifecycle::parse_agent_commands(msg.new_text.empty() ? msg.text : msg.new_text);
      const bool may_command = tx.is_agent_path(d.evidence, sender);
      // Off the agent's own reply path the From could be forged: nothing is
      // relayed to the customer, the text is kept as an internal note.
      const bool withheld = !may_command && !mail.is_note;
      if (withheld) mail.is_note = true;
      const std::int64_t row =
          tx.add_message(ticket_id, raw_id, msg, "in", mail.is_note ? "note" : "agent", chash, now);
      tx.add_event(ticket_id, now, "message_added", actor,
                   d.detail + " (agent " + agent->name + ")", row);
      if (withheld)
        tx.add_event(ticket_id, now, "relay_withheld", actor,
                     "not on " + agent->name +
                         "'s reply path (a reply to a mail ticketd sent them): kept as an internal "
                         "note, not sent to the customer",
                     row);
      const lifecycle::Decisions dec = lifecycle::on_agent_mail(
          view, *agent, mail, may_command, dir, tx.assignment_state(), config_.lifecycle, now);
      apply_decisions(ctx, view, dec, actor, row, msg.keys.message_id);
    } else {
      auto reply = lifecycle::on_customer_reply(view, dir, config_.lifecycle, now);
      if (reply.open_new_linked_ticket) {
        follows = view.id;
        d.ticket.reset();
        d.detail = "new ticket: " + view.number + " is closed; this reply follows it up";
      } else {
        const std::int64_t row =
            tx.add_message(ticket_id, raw_id, msg, "in", "customer", chash, now);
        tx.add_event(ticket_id, now, "message_added", actor, d.detail, row);
        // Commands count only from agents; a customer (or a forger) writing them
        // changes nothing, and the log says so.
        const auto tried = lifecycle::parse_agent_commands(msg.new_text);
        if (!tried.commands.empty() || !tried.errors.empty())
          tx.add_event(ticket_id, now, "command_ignored", actor,
                       "commands ignored: " + sender + " is not an agent", row);
        apply_decisions(ctx, view, reply.decisions, actor, row, msg.keys.message_id);
      }
    }
    if (d.ticket) {
      tx.touch_ticket(ticket_id, now);
      if (!d.refused.empty())
        tx.add_event(ticket_id, now, "evidence_refused", actor,
                     lifecycle::describe_refused(d.refused));
    }
  }
  if (!d.ticket) {
    const lifecycle::RuleResult rules = config_.rules->evaluate({&msg, config_.support.address});
    std::string matched;
    for (const auto& m : rules.matched) {
      matched += (matched.empty() ? "" : "; ") + m.rule + ":";
      for (const auto& x : m.did) matched += " " + x;
    }
    if (rules.actions.spam || rules.actions.reject) {
      const std::string reason = rules.actions.spam ? "spam" : "rejected";
      const std::int64_t q = tx.quarantine(raw_id, reason, "rules: " + matched, now);
      tx.add_event(std::nullopt, now, "quarantined", actor,
                   "quarantine #" + std::to_string(q) + ": " + reason + " by rules: " + matched);
      if (rules.actions.reject && !rules.actions.spam && !auto_reason)
        queue_rejection(tx, msg, *rules.actions.reject, now);
      tx.commit();
      return {IngestResult::quarantined, "", reason + ": " + matched};
    }
    // Counted before this ticket exists: the cap is on tickets already open.
    const lifecycle::RecipientHistory history =
        tx.history(sender, now - config_.guard.rate_window_seconds);
    const store::Person requester{msg.from.name, sender};
    const std::string subject = ticket_subject(msg.subject, config_.tickets.prefix);
    std::optional<std::string> ack_blocked = auto_reason;
    if (!ack_blocked) ack_blocked = lifecycle::sender_cap_reason(sender, history, config_.guard);
    if (!ack_blocked)
      ack_blocked = lifecycle::recipient_block_reason(sender, history, config_.guard, now);
    // The customer's CC recipients take part in the ticket (collaborators),
    // except our own support address, our agents and the requester.
    const std::string support = store::lower_address(config_.support.address);
    std::vector<store::Person> ccs;
    std::size_t left_out = 0;
    const auto cap =
        static_cast<std::size_t>(std::max(0, config_.guard.max_collaborators_per_mail));
    for (const auto& cc : msg.cc) {
      std::string a = store::lower_address(cc.address);
      if (a.find('@') == std::string::npos || a == support || a == sender || dir.agent(a)) continue;
      if (std::ranges::any_of(ccs, [&](const store::Person& p) { return p.address == a; }))
        continue;
      if (ccs.size() >= cap) {
        ++left_out;
        continue;
      }
      ccs.push_back({cc.name, std::move(a)});
    }
    // Decided before the row is written, so that it is written once with
    // its team, assignee, state and SLA times: the ticket as it will be
    // stored (ticket_view would read back the same).
    const auto [seq, number] =
        tx.next_ticket_number(config_.tickets.prefix, config_.tickets.first_number);
    lifecycle::TicketView view;
    view.number = number;
    view.requester = sender;
    for (const auto& p : ccs) view.collaborators.push_back(p.address);
    std::ranges::sort(view.collaborators);
    view.created_at = view.state_since = now;
    const lifecycle::Decisions dec = lifecycle::on_new_ticket(
        view, rules, ack_blocked, dir, tx.assignment_state(), config_.lifecycle, now);
    auto t =
        tx.create_ticket(seq, number, ticket_token(secret_, number), subject, requester, now, dec);
    ticket_id = view.id = t.id;
    out = {IngestResult::new_ticket, t.number, d.detail};
    tx.add_participant(ticket_id, requester, "requester");
    std::string added;
    for (const auto& p : ccs) {
      tx.add_participant(ticket_id, p, "collaborator");
      added += (added.empty() ? "" : ", ") + p.address;
    }
    const std::int64_t row = tx.add_message(ticket_id, raw_id, msg, "in", "customer", chash, now);
    tx.add_event(ticket_id, now, "created", actor,
                 "ticket " + t.number + " opened by " + actor + "; " + d.detail, row);
    if (!added.empty())
      tx.add_event(ticket_id, now, "collaborator", actor,
                   "in Cc of the first mail, now copied on answers: " + added, row);
    if (left_out > 0)
      tx.add_event(ticket_id, now, "guard", actor,
                   std::to_string(left_out) +
                       " more Cc address(es) not made collaborators: at most " +
                       std::to_string(cap) + " a mail ([guard] max_collaborators_per_mail)",
                   row);
    if (follows) {
      tx.link_ticket(ticket_id, *follows);
      tx.add_event(*follows, now, "followed_up", actor, "a reply opened " + t.number, row);
    }
    // Nothing was queued to the sender since `history` was read.
    ctx.known_history.emplace(sender, history);
    apply_decisions(ctx, view, dec, actor, row, msg.keys.message_id, /*columns_stored=*/true);
  }
  if (!reuse_note.empty()) tx.add_event(ticket_id, now, "message_id_reused", actor, reuse_note);
  if (!msg.defects.empty()) {
    std::string names;
    for (const auto& df : msg.defects) {
      if (!names.empty()) names += ", ";
      names += parser::defect_name(df.kind);
    }
    tx.add_event(ticket_id, now, "parse_defects", actor, names);
  }
  tx.commit();
  return out;
}

}  // namespace ticketd::daemon
