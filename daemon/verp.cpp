#include "daemon/verp.h"

#include <charconv>

#include "daemon/ingest.h"

namespace ticketd::daemon {

namespace {

constexpr std::string_view kPrefix = "bounce-";
constexpr std::size_t kMacChars = 12;  // 60 bits of the HMAC: enough against guessing

std::string mac(std::string_view secret, std::int64_t row_id) {
  return reply_token(secret, "bounce/" + std::to_string(row_id)).substr(0, kMacChars);
}

}  // namespace

std::string verp_address(std::string_view support_address, std::string_view secret,
                         std::int64_t row_id) {
  const auto at = support_address.find('@');
  std::string out(support_address.substr(0, at));
  out += '+';
  out += kPrefix;
  out += std::to_string(row_id);
  out += '-';
  out += mac(secret, row_id);
  out += support_address.substr(at);
  return out;
}

std::optional<std::int64_t> verp_row(const std::vector<std::string>& plus_tokens,
                                     std::string_view secret) {
  for (const std::string& token : plus_tokens) {
    std::string_view t(token);
    if (!t.starts_with(kPrefix)) continue;
    t.remove_prefix(kPrefix.size());
    const auto dash = t.find('-');
    if (dash == std::string_view::npos) continue;
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + dash, id);
    if (ec != std::errc() || end != t.data() + dash || id <= 0) continue;
    if (t.substr(dash + 1) == mac(secret, id)) return id;
  }
  return std::nullopt;
}

}  // namespace ticketd::daemon
