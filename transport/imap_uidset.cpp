// What we write into commands: UID sets, quoted strings, flags; and fetch batches.
#include <algorithm>

#include "transport/imap.h"
#include "transport/imap_protocol.h"

namespace ticketd::transport {
namespace imap {

std::string format_uid_set(std::span<const std::uint32_t> uids) {
  std::vector<std::uint32_t> sorted(uids.begin(), uids.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string out;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out.push_back(',');
    out += std::to_string(sorted[i]);
    if (j > i) out += ':' + std::to_string(sorted[j]);
    i = j + 1;
  }
  return out;
}

namespace {

std::expected<std::uint32_t, ProtocolError> uid_of(std::string_view text) {
  auto n = parse_number(text);
  if (!n || *n == 0 || *n > UINT32_MAX) {
    return std::unexpected(
        ProtocolError{"bad UID '" + std::string(text.substr(0, 20)) + "' in set"});
  }
  return static_cast<std::uint32_t>(*n);
}

}  // namespace

std::expected<std::vector<std::uint32_t>, ProtocolError> parse_uid_set(std::string_view set,
                                                                       std::size_t max_count) {
  std::vector<std::uint32_t> out;
  while (!set.empty()) {
    const std::size_t comma = set.find(',');
    std::string_view part = set.substr(0, comma);
    set = comma == std::string_view::npos ? std::string_view() : set.substr(comma + 1);
    const std::size_t colon = part.find(':');
    auto first = uid_of(part.substr(0, colon));
    if (!first) return std::unexpected(first.error());
    auto last = colon == std::string_view::npos ? first : uid_of(part.substr(colon + 1));
    if (!last) return std::unexpected(last.error());
    const auto [lo, hi] = std::minmax(*first, *last);  // "5:3" means 3:5 (RFC 3501 seq-range)
    if (hi - lo >= max_count - std::min(out.size(), max_count)) {
      return std::unexpected(ProtocolError{"UID set larger than " + std::to_string(max_count)});
    }
    for (std::uint64_t u = lo; u <= hi; ++u) out.push_back(static_cast<std::uint32_t>(u));
  }
  return out;
}

std::expected<std::string, ProtocolError> quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) {
      return std::unexpected(
          ProtocolError{"only printable ASCII is supported in names (no CR, LF, NUL or 8-bit)"});
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool is_valid_flag(std::string_view flag) {
  static constexpr std::string_view kSystem[] = {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen",
                                                 "\\Draft"};
  for (std::string_view s : kSystem) {
    if (iequals(flag, s)) return true;
  }
  if (flag.empty() || flag.size() > 200) return false;
  // A keyword is an atom: no atom-specials "(){ %*\"\\]" and no CTL.
  return std::none_of(flag.begin(), flag.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f ||
           std::string_view("(){%*\"\\]").find(c) != std::string_view::npos;
  });
}

}  // namespace imap

std::vector<std::vector<std::uint32_t>> plan_fetch_batches(std::span<const UidSize> mails,
                                                           std::size_t max_count,
                                                           std::size_t max_bytes) {
  std::vector<std::vector<std::uint32_t>> batches;
  std::uint64_t bytes = 0;
  for (const UidSize& m : mails) {
    const bool full =
        !batches.empty() && (batches.back().size() >= std::max<std::size_t>(max_count, 1) ||
                             bytes + m.size > max_bytes);
    if (batches.empty() || full) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(m.uid);
    bytes += m.size;
  }
  return batches;
}

}  // namespace ticketd::transport
