// ticketd lifecycle: the loop and abuse guard (guard.h). Pure: the store
// supplies the counts and the caller passes `now`; never throws.
#include "lifecycle/guard.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>

namespace ticketd::lifecycle {

namespace {

// Header values quoted in a reason come from the mail: keep them short and on one line.
constexpr std::size_t kMaxQuoted = 100;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequal(s.substr(s.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, std::min(s.size(), kMaxQuoted))) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7F) ? ' ' : c;
  }
  // Do not leave half a UTF-8 sequence at the cut.
  if (s.size() > kMaxQuoted) {
    std::size_t n = out.size();
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    out.resize(n);
  }
  return out;
}

// `address` is one of ours, also with a plus extension: replies to
// support+TOKEN@example.com come back from that address when a mail of ours
// was forwarded to ourselves or an autoresponder answers with its To.
bool is_ours(std::string_view address, const GuardSettings& settings) {
  address = trim(address);
  if (address.empty()) return false;
  std::string base(address);
  const std::size_t at = address.rfind('@');
  if (at != std::string_view::npos) {
    const std::size_t plus = address.substr(0, at).find('+');
    if (plus != std::string_view::npos)
      base = std::string(address.substr(0, plus)) + std::string(address.substr(at));
  }
  return std::any_of(settings.our_addresses.begin(), settings.our_addresses.end(),
                     [&](const std::string& ours) {
                       return !ours.empty() && (iequal(ours, address) || iequal(ours, base));
                     });
}

}  // namespace

std::optional<std::string> automatic_mail_reason(const parser::Message& msg,
                                                 const GuardSettings& settings) {
  if (msg.auto_kind != parser::AutoKind::none) {
    // The class and its first two pieces of evidence: enough to say why.
    std::string reason = "automatic mail: " + std::string(parser::auto_kind_name(msg.auto_kind));
    std::string why;
    for (std::size_t i = 0; i < msg.auto_evidence.size() && i < 2; ++i) {
      const std::string detail(trim(one_line(msg.auto_evidence[i].detail)));
      if (detail.empty()) continue;
      why += (why.empty() ? "" : "; ") +
             std::string(parser::evidence_kind_name(msg.auto_evidence[i].kind)) + " " + detail;
    }
    if (!why.empty()) reason += " (" + why + ")";
    return reason;
  }
  if (is_ours(msg.from.address, settings))
    return "automatic mail: sent from our own address " + one_line(trim(msg.from.address));
  // A leading '@' in the setting is tolerated: "@tickets.example.com" means the domain.
  std::string_view domain = trim(settings.our_message_id_domain);
  if (!domain.empty() && domain.front() == '@') domain.remove_prefix(1);
  if (!domain.empty() && iends_with(msg.keys.message_id, "@" + std::string(domain)))
    return "automatic mail: Message-ID <" + one_line(msg.keys.message_id) +
           "> is one of ours (our own mail came back)";
  return std::nullopt;
}

std::optional<std::string> recipient_block_reason(std::string_view address,
                                                  const RecipientHistory& history,
                                                  const GuardSettings& settings, std::int64_t now) {
  const std::string shown = one_line(trim(address));
  if (shown.empty()) return "no recipient address";
  if (is_ours(address, settings)) return shown + " is one of our own addresses";
  if (history.failing_until && *history.failing_until > now) {
    std::int64_t left = 0;
    // Saturating: absurd stored times must not overflow (UB) here.
    if (__builtin_sub_overflow(*history.failing_until, now, &left))
      left = std::numeric_limits<std::int64_t>::max();
    return "failing address: delivery to " + shown + " failed; no automatic mail for another " +
           std::to_string(left) + " s";
  }
  if (history.auto_sent_in_window >= settings.max_auto_per_recipient)
    return "rate limit: " + std::to_string(history.auto_sent_in_window) + " automatic mails to " +
           shown + " in the last " + std::to_string(settings.rate_window_seconds) + " s";
  return std::nullopt;
}

std::optional<std::string> sender_cap_reason(std::string_view sender,
                                             const RecipientHistory& history,
                                             const GuardSettings& settings) {
  if (history.open_tickets >= settings.max_open_tickets_per_sender)
    return "open ticket cap: " + one_line(trim(sender)) + " has " +
           std::to_string(history.open_tickets) + " open tickets (limit " +
           std::to_string(settings.max_open_tickets_per_sender) + ")";
  return std::nullopt;
}

}  // namespace ticketd::lifecycle
