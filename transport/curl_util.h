// ticketd transport: small helpers shared by the libcurl-based clients (SMTP,
// IMAP) — one-time curl initialisation, scrubbing secrets out of text that may
// reach a log, and reading a secret from its file. No network I/O here, no
// logging; the clients in transport/ call these.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::transport {

// curl_global_init(CURL_GLOBAL_DEFAULT), once per process, thread-safe.
// Clients call it before their first curl_easy_init.
void curl_global_once();

// A CURLOPT_XFERINFOFUNCTION whose data is a `const std::function<bool()>*`:
// non-zero (abort) once that function returns true.
int cancel_cb(void* cancelled, long long, long long, long long, long long);

// Standard base64 (RFC 4648, with padding), as SASL uses it.
std::string base64_encode(std::string_view bytes);

// Replaces every secret it knows with "[redacted]". Knows each secret as
// given and as it looks inside base64 at any alignment (a server that echoes
// an AUTH PLAIN blob echoes the password in base64). Cheap to copy.
class Redactor {
 public:
  Redactor() = default;
  // The password and bearer token, and the exact SASL PLAIN, LOGIN and
  // XOAUTH2 blobs built from them. Empty arguments are ignored.
  Redactor(std::string_view username, std::string_view password, std::string_view bearer);

  // Adds one secret (ignored when empty).
  void add(std::string_view secret);

  // `text` with every known secret replaced.
  std::string apply(std::string_view text) const;

 private:
  std::vector<std::string> needles_;  // longest first, so a blob wins over its middle
};

// The secret stored in `path`: the whole file minus one final "\n" or "\r\n"
// (editors add one). Errors name the file: unreadable, not a regular file,
// empty, over 64 KiB, or containing a NUL or an inner line break.
std::expected<std::string, std::string> read_secret_file(const std::string& path);

}  // namespace ticketd::transport
