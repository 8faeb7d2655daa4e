// The network half of the SMTP client: one curl easy handle (so one cached
// connection) per SmtpClient, our bytes fed through CURLOPT_READFUNCTION,
// and curl's debug stream read by SmtpDialogue to learn each RCPT reply.
#include <curl/curl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>

#include "transport/smtp.h"

namespace ticketd::transport {
namespace {

struct Target {
  std::string url;  // scheme://host:port/helo — curl takes the EHLO name from the path
  std::string host;
  bool smtps = false;
};

std::string url_part(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  std::string out;
  if (curl_url_get(url, part, &text, 0) == CURLUE_OK && text) out = text;
  curl_free(text);
  return out;
}

bool valid_helo(std::string_view name) {
  return std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(".-_:[]", c);
  });
}

std::expected<Target, std::string> parse_target(const SmtpConfig& config) {
  auto bad = [](std::string why) { return std::unexpected("smtp url: " + why); };
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  if (!url || curl_url_set(url.get(), CURLUPART_URL, config.url.c_str(), 0) != CURLUE_OK)
    return bad("not a URL (want smtp://host:port or smtps://host:port)");
  Target t;
  const std::string scheme = url_part(url.get(), CURLUPART_SCHEME);
  if (scheme != "smtp" && scheme != "smtps") return bad("scheme must be smtp or smtps");
  t.smtps = scheme == "smtps";
  t.host = url_part(url.get(), CURLUPART_HOST);
  if (t.host.empty()) return bad("no host");
  // Credentials in a URL end up in logs and `ps`; they belong in secret files.
  if (!url_part(url.get(), CURLUPART_USER).empty() ||
      !url_part(url.get(), CURLUPART_PASSWORD).empty())
    return bad("must not contain a user name or password");
  const std::string path = url_part(url.get(), CURLUPART_PATH);
  if (!path.empty() && path != "/") return bad("must not have a path (the EHLO name is helo_name)");
  if (!url_part(url.get(), CURLUPART_QUERY).empty()) return bad("must not have a query");
  if (!valid_helo(config.helo_name)) return bad("helo_name: letters, digits and . - _ : [ ] only");
  curl_url_set(url.get(), CURLUPART_PATH, ("/" + config.helo_name).c_str(), 0);
  t.url = url_part(url.get(), CURLUPART_URL);
  return t;
}

bool has_control(std::string_view s) {
  return std::ranges::any_of(
      s, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// An address curl will put between < and > on a command line of ours.
std::optional<std::string> bad_address(std::string_view address, bool may_be_empty) {
  if (address.empty() && !may_be_empty) return "empty";
  if (has_control(address)) return "contains a control character or line break";
  if (address.find_first_of("<>") != std::string_view::npos) return "contains < or >";
  if (address.size() > 254) return "longer than 254 characters";
  return std::nullopt;
}

void for_each_line(std::string_view text, auto&& fn) {
  while (!text.empty()) {
    const auto eol = text.find('\n');
    fn(text.substr(0, eol));
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
}

// What the debug stream shows of a line we send during AUTH: the verb and
// mechanism, never an initial response or an answer to a challenge.
std::string masked_auth_line(std::string_view line) {
  const bool auth_verb =
      line.size() > 5 && (line.starts_with("AUTH ") || line.starts_with("auth "));
  if (!auth_verb) return "[redacted]";
  const auto arg = line.find(' ', 5);
  return arg == std::string_view::npos ? std::string(line)
                                       : std::string(line.substr(0, arg)) + " [redacted]";
}

long whole_seconds(std::chrono::milliseconds ms) {
  return static_cast<long>((ms.count() + 999) / 1000);
}

SmtpSendResult refuse(const Envelope& envelope, SmtpStatus status, SmtpPhase phase,
                      std::string error) {
  SmtpSendResult out;
  out.status = status;
  out.phase = phase;
  out.error = std::move(error);
  for (const auto& r : envelope.recipients) out.recipients.push_back({r, status, 0, {}});
  return out;
}

// Why the envelope cannot be sent as it is, if it cannot.
std::optional<SmtpSendResult> check_envelope(const Envelope& envelope, std::string_view bytes) {
  using enum SmtpPhase;
  if (auto why = bad_address(envelope.mail_from, true))
    return refuse(envelope, SmtpStatus::permanent, mail, "MAIL FROM address " + *why);
  if (envelope.recipients.empty())
    return refuse(envelope, SmtpStatus::permanent, rcpt, "no recipients");
  for (std::size_t i = 0; i < envelope.recipients.size(); ++i)
    if (auto why = bad_address(envelope.recipients[i], false))
      return refuse(envelope, SmtpStatus::permanent, rcpt,
                    "recipient " + std::to_string(i + 1) + " " + *why);
  if (bytes.empty()) return refuse(envelope, SmtpStatus::permanent, data, "the mail is empty");
  return std::nullopt;
}

}  // namespace

std::expected<void, std::string> check_smtp_config(const SmtpConfig& config) {
  auto target = parse_target(config);
  if (!target) return std::unexpected(target.error());
  if (config.allow_plaintext_loopback && !target->smtps && !is_loopback_host(target->host))
    return std::unexpected("plaintext SMTP is allowed only to 127.0.0.1, ::1 or localhost, not " +
                           target->host);
  const bool has_secret = !config.password.empty() || !config.oauth2_bearer.empty();
  if (config.username.empty() && has_secret)
    return std::unexpected("smtp: a password or token needs a username");
  if (!config.username.empty() && !has_secret)
    return std::unexpected("smtp: username " + config.username + " has no password or token");
  if (!config.password.empty() && !config.oauth2_bearer.empty())
    return std::unexpected("smtp: give a password or an oauth2 bearer token, not both");
  if (!config.oauth2_bearer.empty() && config.auth != SmtpAuthMechanism::any)
    return std::unexpected("smtp: an oauth2 bearer token means AUTH=XOAUTH2; leave auth as any");
  if (has_control(config.username))
    return std::unexpected("smtp: username has a control character");
  if (config.connect_timeout.count() <= 0 || config.timeout.count() <= 0)
    return std::unexpected("smtp: timeouts must be positive");
  return {};
}

struct SmtpClient::Impl {
  SmtpConfig config;
  std::string config_error;
  Target target;
  Redactor redactor;
  CURL* curl = nullptr;
  char curl_error[CURL_ERROR_SIZE] = {};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt{nullptr, &curl_slist_free_all};
  SmtpDialogue dialogue;
  std::string_view unsent;          // the rest of the mail being sent
  std::set<curl_socket_t> sockets;  // open ones, for reset()
  bool auth_seen = false;           // AUTH was said on the current connection
  std::uint64_t connects = 0;

  bool open_handle();
  void drop_handle();
  CURLcode perform_once(std::string_view bytes, long& opened);
  // Sends once, or twice when a kept connection turned out dead.
  CURLcode perform(const Envelope& envelope, std::string_view bytes, bool& new_connection);
  SmtpSendResult result(CURLcode rc, const Envelope& envelope) const;
  void emit(std::string_view prefix, std::string_view line) const {
    if (config.debug) config.debug(std::string(prefix) + redactor.apply(line));
  }
  void on_debug(curl_infotype type, std::string_view text);

  static int debug_cb(CURL*, curl_infotype type, char* data, size_t size, void* self) {
    static_cast<Impl*>(self)->on_debug(type, std::string_view(data, size));
    return 0;
  }

  static size_t read_cb(char* buffer, size_t size, size_t count, void* self) {
    Impl& m = *static_cast<Impl*>(self);
    // curl skips AUTH when the server offers none. With credentials set we
    // never send mail unauthenticated: stop before the data goes out.
    if (!m.config.username.empty() && !m.auth_seen) return CURL_READFUNC_ABORT;
    const size_t n = std::min(size * count, m.unsent.size());
    std::memcpy(buffer, m.unsent.data(), n);
    m.unsent.remove_prefix(n);
    return n;
  }

  // Our own socket open/close, so reset() knows which descriptors are curl's
  // and auth_seen starts afresh with each connection.
  static curl_socket_t open_cb(void* self, curlsocktype, curl_sockaddr* addr) {
    Impl& m = *static_cast<Impl*>(self);
    const curl_socket_t fd = ::socket(addr->family, addr->socktype, addr->protocol);
    if (fd != CURL_SOCKET_BAD) m.sockets.insert(fd);
    m.auth_seen = false;
    return fd;
  }

  static int close_cb(void* self, curl_socket_t fd) {
    static_cast<Impl*>(self)->sockets.erase(fd);
    return ::close(fd);
  }
};

void SmtpClient::Impl::on_debug(curl_infotype type, std::string_view text) {
  for_each_line(text, [&](std::string_view raw) {
    const std::string_view line = raw.ends_with('\r') ? raw.substr(0, raw.size() - 1) : raw;
    if (type == CURLINFO_HEADER_OUT) {
      dialogue.command(line);
      auth_seen |= dialogue.in_auth();
      emit("> ", dialogue.in_auth() ? masked_auth_line(line) : std::string(line));
    } else if (type == CURLINFO_HEADER_IN) {
      dialogue.reply_line(line);
      emit("< ", line);
    } else if (type == CURLINFO_TEXT && !line.empty()) {
      emit("* ", line);
    }  // the mail itself and TLS records are never passed on
  });
}

bool SmtpClient::Impl::open_handle() {
  if (curl) return true;
  curl_global_once();
  curl = curl_easy_init();
  if (!curl) return false;
  CURL* c = curl;
  curl_easy_setopt(c, CURLOPT_URL, target.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run on a worker thread
  curl_easy_setopt(c, CURLOPT_PROXY, "");     // never an *_proxy from the environment
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_error);
  const bool plaintext = config.allow_plaintext_loopback && !target.smtps;
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   static_cast<long>(plaintext ? CURLUSESSL_NONE : CURLUSESSL_ALL));
  curl_easy_setopt(c, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config.timeout.count()));
  // Else curl's own per-reply limit (120 s in 7.88) would cut a longer timeout short.
  curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, whole_seconds(config.timeout));
  if (!config.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config.username.c_str());
    if (!config.oauth2_bearer.empty()) {
      curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, config.oauth2_bearer.c_str());
      curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
    } else {
      curl_easy_setopt(c, CURLOPT_PASSWORD, config.password.c_str());
      if (config.auth != SmtpAuthMechanism::any)
        curl_easy_setopt(c, CURLOPT_LOGIN_OPTIONS,
                         config.auth == SmtpAuthMechanism::plain ? "AUTH=PLAIN" : "AUTH=LOGIN");
    }
  }
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, this);
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L);  // renamed ..._ALLOWFAILS in 8.2
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_cb);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETFUNCTION, close_cb);
  curl_easy_setopt(c, CURLOPT_CLOSESOCKETDATA, this);
  // The debug stream is how we learn each RCPT reply; curl only emits it when verbose.
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, this);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  if (config.cancelled) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, cancel_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &config.cancelled);
  }
  return true;
}

void SmtpClient::Impl::drop_handle() {
  if (!curl) return;
  curl_easy_cleanup(curl);  // says QUIT on a live connection
  curl = nullptr;
}

CURLcode SmtpClient::Impl::perform_once(std::string_view bytes, long& opened) {
  dialogue = SmtpDialogue{};
  unsent = bytes;
  curl_error[0] = '\0';
  const CURLcode rc = curl_easy_perform(curl);
  opened = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened);
  connects += static_cast<std::uint64_t>(opened);
  return rc;
}

SmtpClient::SmtpClient(SmtpConfig config) : impl_(std::make_unique<Impl>()) {
  impl_->redactor = Redactor(config.username, config.password, config.oauth2_bearer);
  impl_->config = std::move(config);
  if (auto ok = check_smtp_config(impl_->config); !ok)
    impl_->config_error = impl_->redactor.apply(ok.error());
  else
    impl_->target = *parse_target(impl_->config);
}

SmtpClient::~SmtpClient() {
  if (impl_) close();
}
SmtpClient::SmtpClient(SmtpClient&&) noexcept = default;
SmtpClient& SmtpClient::operator=(SmtpClient&&) noexcept = default;

std::uint64_t SmtpClient::connects() const { return impl_->connects; }

void SmtpClient::close() { impl_->drop_handle(); }

void SmtpClient::reset() {
  // With its sockets shut down, curl's QUIT fails at once instead of waiting.
  for (const curl_socket_t fd : impl_->sockets) ::shutdown(fd, SHUT_RDWR);
  impl_->drop_handle();
}

CURLcode SmtpClient::Impl::perform(const Envelope& envelope, std::string_view bytes,
                                   bool& new_connection) {
  curl_slist* list = nullptr;
  for (const auto& r : envelope.recipients) list = curl_slist_append(list, ("<" + r + ">").c_str());
  rcpt.reset(list);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, ("<" + envelope.mail_from + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes.size()));
  long opened = 0;
  CURLcode rc = perform_once(bytes, opened);
  new_connection = opened > 0;
  // A kept connection the server has meanwhile closed ("421 … timeout", or
  // silence) fails before any mail moved: replace it once. Safe — nothing was
  // accepted, so nothing can be sent twice.
  const bool stale =
      !dialogue.any_reply() || (dialogue.reply_count() == 1 && dialogue.last_reply().code == 421);
  // Not after a timeout: a slow server is alive, and waiting twice helps no one.
  if (rc != CURLE_OK && rc != CURLE_OPERATION_TIMEDOUT && opened == 0 && stale) {
    rc = perform_once(bytes, opened);
    new_connection = true;
  }
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  rcpt.reset();
  return rc;
}

SmtpSendResult SmtpClient::Impl::result(CURLcode rc, const Envelope& envelope) const {
  const std::string curl_text = curl_error[0] ? curl_error : curl_easy_strerror(rc);
  SmtpSendResult out = summarize_send(rc, curl_text, dialogue, envelope.recipients, redactor);
  const SmtpPhase p = dialogue.phase();
  const bool past_auth = p == SmtpPhase::mail || p == SmtpPhase::rcpt || p == SmtpPhase::data ||
                         p == SmtpPhase::message;
  if (rc != CURLE_OK && !config.username.empty() && !auth_seen && past_auth) {
    // The server offered no AUTH (a port without it, or AUTH only after a
    // TLS we did not do): our setup is wrong, whatever it said to RCPT.
    std::string why = "AUTH: the server offers no AUTH, so the credentials were not used";
    if (rc == CURLE_ABORTED_BY_CALLBACK)
      why += " and the mail was not sent";
    else
      why += " (then " + out.error + ")";
    return refuse(envelope, SmtpStatus::auth, SmtpPhase::auth, std::move(why));
  }
  return out;
}

SmtpSendResult SmtpClient::send(const Envelope& envelope, std::string_view bytes) {
  Impl& m = *impl_;
  if (!m.config_error.empty())
    return refuse(envelope, SmtpStatus::config, SmtpPhase::connect, m.config_error);
  if (auto bad = check_envelope(envelope, bytes)) return *bad;
  if (!m.open_handle())
    return refuse(envelope, SmtpStatus::temporary, SmtpPhase::connect, "curl_easy_init failed");
  bool new_connection = false;
  const CURLcode rc = m.perform(envelope, bytes, new_connection);
  SmtpSendResult out = m.result(rc, envelope);
  out.new_connection = new_connection;
  return out;
}

}  // namespace ticketd::transport
