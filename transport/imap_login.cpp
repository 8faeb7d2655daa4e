// Opening an IMAP connection with libcurl: URL checks, TLS policy, login,
// and turning curl's result codes into our error kinds.
#include <openssl/ssl.h>
#include <sys/socket.h>

#include "transport/curl_util.h"
#include "transport/imap_connection.h"

namespace ticketd::transport::imap {
namespace {

struct UrlParts {
  std::string scheme, host, port;
};

bool is_loopback(std::string_view host) {
  return host == "127.0.0.1" || host == "::1" || host == "[::1]" || iequals(host, "localhost");
}

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  std::string out;
  if (curl_url_get(url, part, &text, 0) == CURLUE_OK && text) out = text;
  curl_free(text);
  return out;
}

ImapResult<UrlParts> parse_url(std::string_view text) {
  auto bad = [](std::string why) {
    return std::unexpected(ImapError{ImapErrorKind::config, false, "imap url: " + why});
  };
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, std::string(text).c_str(), 0) != CURLUE_OK) {
    return bad("not a URL (want imap://host:port or imaps://host:port)");
  }
  UrlParts p{url_part(url.get(), CURLUPART_SCHEME), url_part(url.get(), CURLUPART_HOST),
             url_part(url.get(), CURLUPART_PORT)};
  if (p.scheme != "imap" && p.scheme != "imaps") return bad("scheme must be imap or imaps");
  // Credentials in the URL would end up in logs and `ps`; they belong in the secret file.
  if (!url_part(url.get(), CURLUPART_USER).empty() ||
      !url_part(url.get(), CURLUPART_PASSWORD).empty()) {
    return bad("must not contain a user name or password");
  }
  const std::string path = url_part(url.get(), CURLUPART_PATH);
  if (!path.empty() && path != "/")
    return bad("must not name a folder (the folder is a separate setting)");
  if (p.host.empty()) return bad("no host");
  return p;
}

ImapErrorKind kind_of(CURLcode rc) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      return ImapErrorKind::auth;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_USE_SSL_FAILED:  // STARTTLS not offered: never fall back to plaintext
      return ImapErrorKind::tls_verify;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return ImapErrorKind::config;
    case CURLE_WEIRD_SERVER_REPLY:
      return ImapErrorKind::protocol;
    default:
      return ImapErrorKind::connection;
  }
}

}  // namespace

Connection::Connection(const ImapConfig& config, ImapStats& stats)
    : config_(config),
      stats_(stats),
      redactor_(config.username, config.password, config.oauth2_bearer),
      reader_(config.limits.max_line_bytes, config.limits.max_literal_bytes),
      recv_buf_(64u << 10) {}

Connection::~Connection() {
  if (!curl_) return;
  // curl_easy_cleanup runs curl's own IMAP disconnect, which sends its LOGOUT
  // and reads for a reply. Our session has already logged out (or sits in
  // IDLE, or is broken); shutting the socket first makes that attempt fail at
  // once, so a hung server cannot hold us. (Against a live Dovecot, cleanup
  // took 0 ms with or without it.)
  if (socket_ != CURL_SOCKET_BAD) ::shutdown(socket_, SHUT_RDWR);
  curl_easy_cleanup(curl_);
}

ImapResult<std::unique_ptr<Connection>> Connection::open(const ImapConfig& config,
                                                         ImapStats& stats) {
  auto url = parse_url(config.url);
  if (!url) return std::unexpected(url.error());
  const bool plaintext = url->scheme == "imap" && config.allow_plaintext_loopback;
  if (plaintext && !is_loopback(url->host)) {
    return std::unexpected(
        ImapError{ImapErrorKind::config, false,
                  "plaintext IMAP is allowed only to 127.0.0.1, ::1 or localhost"});
  }
  curl_global_once();
  std::unique_ptr<Connection> conn(new Connection(config, stats));
  conn->curl_ = curl_easy_init();
  if (!conn->curl_)
    return std::unexpected(ImapError{ImapErrorKind::connection, true, "curl_easy_init failed"});
  CURL* c = conn->curl_;
  const std::string target =
      url->scheme + "://" + url->host + (url->port.empty() ? "" : ":" + url->port) + "/";
  curl_easy_setopt(c, CURLOPT_URL, target.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, conn->curl_error_);
  curl_easy_setopt(c, CURLOPT_USERNAME, config.username.c_str());
  if (!config.oauth2_bearer.empty()) {
    curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, config.oauth2_bearer.c_str());
    curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
  } else {
    curl_easy_setopt(c, CURLOPT_PASSWORD, config.password.c_str());
  }
  curl_easy_setopt(
      c, CURLOPT_USE_SSL,
      plaintext ? static_cast<long>(CURLUSESSL_NONE) : static_cast<long>(CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config.ca_file.c_str());
  // The connection's TLS handle, for login() to let OpenSSL read ahead once
  // curl's own loop is done with the socket. curl 7.88 does not give it for
  // a STARTTLS connection (CURLINFO_TLS_SSL_PTR is null): it is noted when
  // the handshake is done.
  curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, conn.get());
  curl_easy_setopt(
      c, CURLOPT_SSL_CTX_FUNCTION, +[](CURL*, void* ctx, void* self) -> CURLcode {
        SSL_CTX_set_app_data(static_cast<SSL_CTX*>(ctx), self);
        SSL_CTX_set_info_callback(static_cast<SSL_CTX*>(ctx), [](const SSL* ssl, int where, int) {
          if (!(where & SSL_CB_HANDSHAKE_DONE)) return;
          if (auto* c = static_cast<Connection*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl))))
            c->tls_ = const_cast<SSL*>(ssl);
        });
        return CURLE_OK;
      });
  const long connect_ms = static_cast<long>(config.timeouts.connect.count());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, connect_ms);  // greeting + STARTTLS + login too
  // An IDLE lasts up to 29 minutes; keepalive finds a dead peer or NAT entry sooner.
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 60L);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 30L);
  if (config.cancelled) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, cancel_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &config.cancelled);
  }
  if (auto r = conn->login(); !r) return std::unexpected(r.error());
  ++stats.connects;
  return conn;
}

ImapResult<void> Connection::login() {
  const CURLcode rc = curl_easy_perform(curl_);
  if (rc != CURLE_OK) {
    const ImapErrorKind kind = kind_of(rc);
    std::string detail = curl_error_[0] ? curl_error_ : curl_easy_strerror(rc);
    if (kind == ImapErrorKind::auth)
      detail = "login as '" + config_.username + "' refused: " + detail;
    if (kind == ImapErrorKind::tls_verify && rc == CURLE_USE_SSL_FAILED) {
      detail = "the server does not offer STARTTLS: " + detail;
    }
    const bool temporary = kind == ImapErrorKind::connection || kind == ImapErrorKind::protocol;
    return std::unexpected(error(kind, temporary, std::move(detail)));
  }
  curl_socket_t s = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(curl_, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK || s == CURL_SOCKET_BAD) {
    return std::unexpected(error(ImapErrorKind::connection, true, "no socket after login"));
  }
  socket_ = s;
  // From here on only our own loop reads (Connection::wait), and it reads
  // until curl says "again" before it polls, so OpenSSL may read ahead: one
  // recv() takes what the socket has, instead of two a TLS record, header
  // then body (Dovecot writes 4 KB records: ~35,000 calls for 10,000 mails,
  // bench/drain). Not from the start: curl's login loop polls the socket
  // while a whole record may wait in that buffer (it hung).
  if (tls_) SSL_set_read_ahead(static_cast<SSL*>(tls_), 1);
  return {};
}

ImapError Connection::error(ImapErrorKind kind, bool temporary, std::string detail) const {
  // Neither curl nor a server should echo a secret, but a log line is forever.
  return ImapError{kind, temporary, redactor_.apply(detail)};
}

}  // namespace ticketd::transport::imap
