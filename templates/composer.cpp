// The composer: checks an OutgoingMail, then writes its header block and,
// through composer_mime.cpp, its MIME body. See composer.h for the contract.
#include "templates/composer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "templates/composer_mime.h"

namespace ticketd::templates {

namespace {

using detail::HeaderLine;
using Check = std::optional<ComposeError>;

// RFC 5321 4.5.3.1: 64 for the local part, 254 in all; keeps every address
// token far below the 998-character line limit.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxAddress = 254;
// Message ids are not limited by any RFC; 250 keeps one per line under 998.
constexpr std::size_t kMaxMessageId = 250;
// "Name: " must leave room for a value on the first line.
constexpr std::size_t kMaxHeaderName = 64;

ComposeError error(ComposeErrorKind kind, std::string detail) { return {kind, std::move(detail)}; }

bool has_line_break_or_nul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

bool is_printable_ascii(char c) { return c >= 0x20 && c < 0x7F; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// RFC 5322 atext.
bool is_atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// dot-atom-text: atext runs joined by single dots.
bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos)
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '.' || is_atext(c); });
}

bool is_host_name(std::string_view s) {
  return is_dot_atom(s) && std::all_of(s.begin(), s.end(), [](char c) {
           return c == '.' || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9');
         });
}

// local@domain with a dot-atom local part and a host name: no quoted local
// parts, domain literals, spaces, brackets or commas.
bool is_plain_addr_spec(std::string_view a) {
  const std::size_t at = a.find('@');
  if (at == std::string_view::npos || a.size() > kMaxAddress || at > kMaxLocalPart) return false;
  return is_dot_atom(a.substr(0, at)) && is_host_name(a.substr(at + 1));
}

// What goes between "<" and ">": printable ASCII without spaces or brackets.
bool is_plain_message_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxMessageId && std::all_of(id.begin(), id.end(), [](char c) {
    return c > 0x20 && c < 0x7F && c != '<' && c != '>';
  });
}

Check check_mailbox(const MailAddress& m, const std::string& field) {
  if (has_line_break_or_nul(m.name))
    return error(ComposeErrorKind::header_injection, field + ".name");
  if (has_line_break_or_nul(m.address))
    return error(ComposeErrorKind::header_injection, field + ".address");
  if (!is_plain_addr_spec(m.address))
    return error(ComposeErrorKind::bad_address, field + ".address");
  return std::nullopt;
}

Check check_mailboxes(const std::vector<MailAddress>& list, std::string_view field) {
  for (std::size_t i = 0; i < list.size(); ++i)
    if (Check c = check_mailbox(list[i], std::string(field) + "[" + std::to_string(i) + "]"))
      return c;
  return std::nullopt;
}

Check check_message_id(std::string_view id, const std::string& field) {
  if (has_line_break_or_nul(id)) return error(ComposeErrorKind::header_injection, field);
  if (!is_plain_message_id(id)) return error(ComposeErrorKind::bad_address, field);
  return std::nullopt;
}

Check check_addresses(const OutgoingMail& mail) {
  if (mail.from.address.empty() && !has_line_break_or_nul(mail.from.name))
    return error(ComposeErrorKind::missing_field, "from");
  if (Check c = check_mailbox(mail.from, "from")) return c;
  if (mail.reply_to)
    if (Check c = check_mailbox(*mail.reply_to, "reply_to")) return c;
  if (Check c = check_mailboxes(mail.to, "to")) return c;
  if (Check c = check_mailboxes(mail.cc, "cc")) return c;
  if (mail.to.empty() && mail.cc.empty()) return error(ComposeErrorKind::missing_field, "to");
  return std::nullopt;
}

Check check_ids(const OutgoingMail& mail) {
  if (mail.message_id.empty()) return error(ComposeErrorKind::missing_field, "message_id");
  if (Check c = check_message_id(mail.message_id, "message_id")) return c;
  if (!mail.in_reply_to.empty())
    if (Check c = check_message_id(mail.in_reply_to, "in_reply_to")) return c;
  for (std::size_t i = 0; i < mail.references.size(); ++i)
    if (Check c = check_message_id(mail.references[i], "references[" + std::to_string(i) + "]"))
      return c;
  return std::nullopt;
}

// Fields the composer writes itself (a second copy would contradict it) and
// Bcc, which must never be in the bytes.
bool is_reserved_header(std::string_view name) {
  static constexpr std::array<std::string_view, 15> kReserved = {
      "Date",       "From",         "Sender",      "Reply-To",       "To",
      "Cc",         "Bcc",          "Subject",     "Message-ID",     "In-Reply-To",
      "References", "MIME-Version", "Return-Path", "Auto-Submitted", "Received"};
  return std::any_of(kReserved.begin(), kReserved.end(),
                     [&](std::string_view r) { return iequals(name, r); }) ||
         istarts_with(name, "Content-") || istarts_with(name, "Resent-");
}

// RFC 5322 ftext: printable ASCII except ':'.
bool is_field_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxHeaderName &&
         std::all_of(name.begin(), name.end(),
                     [](char c) { return c > 0x20 && c < 0x7F && c != ':'; });
}

Check check_extra_headers(const OutgoingMail& mail) {
  for (std::size_t i = 0; i < mail.extra_headers.size(); ++i) {
    const auto& [name, value] = mail.extra_headers[i];
    const std::string field = "extra_headers[" + std::to_string(i) + "]";
    if (has_line_break_or_nul(name))
      return error(ComposeErrorKind::header_injection, field + ".name");
    if (has_line_break_or_nul(value))
      return error(ComposeErrorKind::header_injection, field + ".value");
    if (!is_field_name(name) || is_reserved_header(name))
      return error(ComposeErrorKind::bad_header_name, field + ".name");
  }
  return std::nullopt;
}

// File names are not checked: any byte that is not plain ASCII goes out
// percent-encoded (RFC 2231), so a hostile name forwarded from an incoming
// mail ("a%0D%0ABcc: ..." decoded) can neither inject nor block the reply.
Check check_attachments(const OutgoingMail& mail) {
  for (std::size_t i = 0; i < mail.attachments.size(); ++i)
    if (has_line_break_or_nul(mail.attachments[i].content_type))
      return error(ComposeErrorKind::header_injection,
                   "attachments[" + std::to_string(i) + "].content_type");
  return std::nullopt;
}

Check check(const OutgoingMail& mail) {
  if (Check c = check_addresses(mail)) return c;
  if (has_line_break_or_nul(mail.subject))
    return error(ComposeErrorKind::header_injection, "subject");
  if (Check c = check_ids(mail)) return c;
  if (has_line_break_or_nul(mail.auto_submitted))
    return error(ComposeErrorKind::header_injection, "auto_submitted");
  if (Check c = check_extra_headers(mail)) return c;
  return check_attachments(mail);
}

// ---- writing ----------------------------------------------------------------

// RFC 5322 3.3 in UTC. Years outside 1900..9999 have no four-digit form, so
// the time is clamped into that range.
std::string rfc5322_date(std::int64_t epoch) {
  using namespace std::chrono;
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  constexpr std::int64_t kFirst = -2208988800;  // 1900-01-01T00:00:00Z
  constexpr std::int64_t kLast = 253402300799;  // 9999-12-31T23:59:59Z
  const sys_seconds t{seconds{std::clamp(epoch, kFirst, kLast)}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays[weekday{day}.c_encoding()], static_cast<unsigned>(ymd.day()),
                kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// Tokens of `text` split at single spaces; runs of spaces stay inside a token
// so that folding never changes them (our parser keeps plain space runs).
std::vector<std::string_view> space_tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text[i] == ' ' && text[i - 1] != ' ' && text[i + 1] != ' ') {
      tokens.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (start < text.size()) tokens.push_back(text.substr(start));
  return tokens;
}

bool tokens_fit(std::string_view text, std::size_t max_token) {
  const auto tokens = space_tokens(text);
  return std::all_of(tokens.begin(), tokens.end(),
                     [&](std::string_view t) { return t.size() <= max_token; });
}

// Unstructured text (the Subject): as it is when it is printable ASCII that
// folds within 78 columns and cannot be mistaken for encoded words; else the
// whole text as encoded words (spaces inside them, so none are lost).
void add_unstructured(HeaderLine& h, std::string_view text) {
  const bool raw = std::all_of(text.begin(), text.end(), is_printable_ascii) &&
                   text.find("=?") == std::string_view::npos && tokens_fit(text, h.room());
  if (!raw) {
    h.add_words(text);
    return;
  }
  for (std::string_view t : space_tokens(text)) h.add(t);
}

// Extra header values and Auto-Submitted may be structured, so ASCII is
// written as it is (folded at single spaces, lines ≤ 998); only a value that
// cannot be written so (8-bit or control bytes, a word longer than a line)
// becomes encoded words, which makes it unstructured text.
void add_verbatim(HeaderLine& h, std::string_view value) {
  const bool raw = std::all_of(value.begin(), value.end(),
                               [](char c) { return is_printable_ascii(c) || c == '\t'; }) &&
                   tokens_fit(value, detail::kMaxLine - detail::kFoldAt);
  if (!raw) {
    h.add_words(value);
    return;
  }
  for (std::string_view t : space_tokens(value)) h.add(t);
}

bool is_atom_phrase(std::string_view name) {
  if (name.empty() || name.front() == ' ' || name.back() == ' ' ||
      name.find("  ") != std::string_view::npos)
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c == ' ' || is_atext(c); });
}

// A display name as atoms ("Ann Lee"), a quoted string ("Lee, Ann") or, when
// it is not short printable ASCII or contains "=?", encoded words.
void add_display_name(HeaderLine& h, std::string_view name) {
  // "Reply-To: " + 66 stays within 78 columns, even as the first token.
  constexpr std::size_t kMaxQuoted = 66;
  const bool ascii = std::all_of(name.begin(), name.end(), is_printable_ascii) &&
                     name.find("=?") == std::string_view::npos;
  if (ascii && is_atom_phrase(name) && tokens_fit(name, kMaxQuoted)) {
    for (std::string_view t : space_tokens(name)) h.add(t);
    return;
  }
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted.push_back('\\');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  if (ascii && quoted.size() <= kMaxQuoted)
    h.add(quoted);
  else
    h.add_words(name);
}

std::string mailbox_field(std::string_view field, const std::vector<MailAddress>& list) {
  HeaderLine h(field);
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].name.empty()) add_display_name(h, list[i].name);
    h.add("<" + list[i].address + (i + 1 < list.size() ? ">," : ">"));
  }
  return std::move(h).take();
}

std::string id_field(std::string_view field, const std::vector<std::string>& ids) {
  HeaderLine h(field);
  for (const std::string& id : ids) h.add("<" + id + ">");
  return std::move(h).take();
}

std::string text_field(std::string_view field, std::string_view value, bool verbatim) {
  HeaderLine h(field);
  if (verbatim)
    add_verbatim(h, value);
  else
    add_unstructured(h, value);
  return std::move(h).take();
}

std::string header_block(const OutgoingMail& mail) {
  std::string out = "Date: " + rfc5322_date(mail.date) + "\r\n";
  out += mailbox_field("From", {mail.from});
  if (mail.reply_to) out += mailbox_field("Reply-To", {*mail.reply_to});
  if (!mail.to.empty()) out += mailbox_field("To", mail.to);
  if (!mail.cc.empty()) out += mailbox_field("Cc", mail.cc);
  out += text_field("Subject", mail.subject, false);
  out += id_field("Message-ID", {mail.message_id});
  if (!mail.in_reply_to.empty()) out += id_field("In-Reply-To", {mail.in_reply_to});
  if (!mail.references.empty()) out += id_field("References", mail.references);
  if (!mail.auto_submitted.empty()) out += text_field("Auto-Submitted", mail.auto_submitted, true);
  out += "MIME-Version: 1.0\r\n";
  for (const auto& [name, value] : mail.extra_headers) out += text_field(name, value, true);
  return out;
}

}  // namespace

std::expected<std::string, ComposeError> compose(const OutgoingMail& mail) {
  if (Check c = check(mail)) return std::unexpected(std::move(*c));
  const detail::MimeEntity body = detail::mime_body(mail);
  return header_block(mail) + body.headers + "\r\n" + body.body;
}

}  // namespace ticketd::templates
