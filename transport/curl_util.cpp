#include "transport/curl_util.h"

#include <curl/curl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>

namespace ticketd::transport {

int cancel_cb(void* cancelled, long long, long long, long long, long long) {
  const auto* f = static_cast<const std::function<bool()>*>(cancelled);
  return (*f && (*f)()) ? 1 : 0;
}

void curl_global_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j)
      group = group << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    for (std::size_t j = 0; j < 4; ++j)
      out += j <= n ? alphabet[(group >> (18 - 6 * j)) & 0x3f] : '=';
  }
  return out;
}

Redactor::Redactor(std::string_view username, std::string_view password, std::string_view bearer) {
  const std::string user(username);
  if (!password.empty()) {
    add(password);
    add(std::string(1, '\0') + user + '\0' + std::string(password));  // SASL PLAIN
  }
  if (!bearer.empty()) {
    add(bearer);
    add("user=" + user + "\x01" + "auth=Bearer " + std::string(bearer) + "\x01\x01");  // XOAUTH2
  }
}

void Redactor::add(std::string_view secret) {
  if (secret.empty()) return;
  auto keep = [this](std::string needle) {
    if (needle.size() >= 4 && std::ranges::find(needles_, needle) == needles_.end())
      needles_.push_back(std::move(needle));
  };
  // Printable secrets as they are; a blob with NULs only ever travels in base64.
  if (std::ranges::none_of(secret, [](char c) { return c == '\0' || c == '\x01'; }))
    keep(std::string(secret));
  keep(base64_encode(secret));
  // Inside a longer base64 text the secret starts at byte offset 0, 1 or 2 of
  // a 3-byte group. The 4-character groups made of its bytes alone look the
  // same whatever surrounds it; the groups shared with neighbours do not.
  for (std::size_t shift = 0; shift < 3; ++shift) {
    const std::string encoded = base64_encode(std::string(shift, '\0') + std::string(secret));
    const std::size_t first = shift == 0 ? 0 : 4;
    const std::size_t end = (shift + secret.size()) / 3 * 4;  // whole groups only
    if (end > first) keep(encoded.substr(first, end - first));
  }
  std::ranges::sort(needles_, [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const auto& needle : needles_) {
    for (auto at = out.find(needle); at != std::string::npos; at = out.find(needle, at)) {
      out.replace(at, needle.size(), "[redacted]");
      at += std::strlen("[redacted]");
    }
  }
  return out;
}

std::expected<std::string, std::string> read_secret_file(const std::string& path) {
  constexpr std::size_t max_bytes = 64 * 1024;
  auto fail = [&](std::string_view why) {
    return std::unexpected("secret file " + path + ": " + std::string(why));
  };
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return fail(std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail("not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes) return fail("larger than 64 KiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(std::strerror(errno));
  std::string secret{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return fail("read error");
  if (secret.ends_with("\r\n"))
    secret.resize(secret.size() - 2);
  else if (secret.ends_with('\n'))
    secret.pop_back();
  if (secret.empty()) return fail("empty");
  if (secret.find('\0') != std::string::npos) return fail("contains a NUL byte");
  if (secret.find_first_of("\r\n") != std::string::npos)
    return fail("more than one line (only one final newline is allowed)");
  return secret;
}

}  // namespace ticketd::transport
