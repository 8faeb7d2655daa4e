// ticketd transport: the SMTP client — hands finished mail (bytes + envelope)
// to one submission server over STARTTLS or SMTPS with the certificate always
// verified, reusing one connection for a batch, and reports what the server
// answered, per recipient. It does not build, queue, retry or log mail; the
// daemon's outbox worker (daemon/delivery.h) calls it from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "transport/curl_util.h"

namespace ticketd::transport {

enum class SmtpAuthMechanism {
  any,    // the best one both sides know (curl's choice)
  plain,  // AUTH=PLAIN only
  login,  // AUTH=LOGIN only
};

struct SmtpConfig {
  std::string url;            // smtp://host[:port] (STARTTLS required) or smtps://host[:port]
  std::string username;       // empty: no AUTH (a relay that trusts our address)
  std::string password;       // with username, unless oauth2_bearer is set
  std::string oauth2_bearer;  // non-empty: SASL XOAUTH2 with this token instead
  // PEM file of trust anchors for a private server. It replaces curl's default
  // bundle file, but Debian's curl still reads /etc/ssl/certs (its CApath),
  // so the public CAs stay trusted too.
  std::string ca_file;
  // smtp:// without STARTTLS. Accepted only when the host is 127.0.0.1, ::1 or
  // localhost; certificates are verified whenever TLS is used.
  bool allow_plaintext_loopback = false;
  SmtpAuthMechanism auth = SmtpAuthMechanism::any;
  std::chrono::milliseconds connect_timeout{30'000};  // TCP + TLS handshake
  // One send(), connecting included; also the longest wait for one reply
  // (Postfix may take a while after the final "." for a big mail).
  std::chrono::milliseconds timeout{120'000};
  std::string helo_name;  // EHLO argument; empty = this host's name
  // Optional: the SMTP dialogue as one line per call ("> MAIL FROM:<…>",
  // "< 250 2.1.0 Ok", "* curl's notes"), secrets already redacted, AUTH
  // arguments never shown, the mail itself never passed.
  std::function<void(std::string_view line)> debug;
  // Optional: polled about once a second while curl connects or transfers;
  // true aborts the send (status temporary) — a shutdown must not wait for a
  // server that does not answer.
  std::function<bool()> cancelled;
};

// Checks `config` without connecting: URL scheme and host, plaintext only to
// loopback, one kind of secret, EHLO name. The error says what to change.
std::expected<void, std::string> check_smtp_config(const SmtpConfig& config);

// True for 127.0.0.1, ::1 (bracketed or not) and localhost.
bool is_loopback_host(std::string_view host);

struct Envelope {
  std::string mail_from;                // the VERP bounce address; empty = the null sender <>
  std::vector<std::string> recipients;  // at least one
};

enum class SmtpStatus {
  ok,          // the server took the mail (250 after the data) for >= 1 recipient
  temporary,   // 4xx, or refused/reset/timed out connection, TLS handshake failure
  permanent,   // 5xx to MAIL FROM, to every RCPT TO, or to the data: this mail never goes
  auth,        // credentials refused (535; 454 if the server's auth is down), or set
               // but the server offers no AUTH (then nothing is sent): the transport is
               // at fault, not the mail — back off, do not charge the row
  tls_verify,  // certificate not trusted or wrong name, no STARTTLS offered: a config fault
  config,      // bad URL or config, plaintext to a remote host, unreadable CA file
               // (a bad envelope address is `permanent`: that mail can never go)
};
std::string_view smtp_status_name(SmtpStatus status);

// Where in the conversation a send ended (failed, or `message` when done).
enum class SmtpPhase { connect, greeting, ehlo, starttls, auth, mail, rcpt, data, message };
std::string_view smtp_phase_name(SmtpPhase phase);

struct SmtpRecipientResult {
  std::string address;
  SmtpStatus status = SmtpStatus::temporary;  // ok = the server took the mail for it
  int code = 0;       // its RCPT reply if refused there, else the mail's final code (0: none)
  std::string reply;  // that reply line, redacted; empty when none
};

struct SmtpSendResult {
  SmtpStatus status = SmtpStatus::temporary;
  // 250 when sent; else the refusal that decided it (4xx/5xx), 0 when there
  // was none (connection or TLS failure, timeout, lost reply).
  int code = 0;
  SmtpPhase phase = SmtpPhase::connect;
  std::string error;  // short ("RCPT: 550 5.1.1 …", "connect: Couldn't connect …"), redacted
  std::vector<SmtpRecipientResult> recipients;  // the envelope's, in order
  bool new_connection = false;                  // false: the previous send's connection was reused
  bool ok() const { return status == SmtpStatus::ok; }
};

// The status a reply code means in a mail transaction: 2xx/3xx ok, 4xx
// temporary, 5xx permanent; anything else (no code) temporary.
SmtpStatus status_of_reply(int code);

// How a failed send is classified, from curl's result code, the phase the
// conversation reached and the last reply code (0 if none). Replies only
// decide once MAIL FROM was sent: a 5xx greeting or EHLO is the server's or
// our setup's problem, never the mail's, so it stays temporary.
SmtpStatus classify_failure(int curl_code, SmtpPhase phase, int reply_code);

// The client's reading of the SMTP conversation, fed from curl's debug stream
// one line at a time. Pure; public so tests can feed it lines.
class SmtpDialogue {
 public:
  struct Reply {
    int code = 0;
    std::string line;  // the final line of a reply, without CRLF
  };

  // A command line we sent (CRLF optional).
  void command(std::string_view line);
  // One line from the server (CRLF optional); a reply ends at "NNN " or "NNN".
  void reply_line(std::string_view line);

  SmtpPhase phase() const { return phase_; }
  bool in_auth() const { return phase_ == SmtpPhase::auth; }
  bool any_reply() const { return replies_ > 0; }
  int reply_count() const { return replies_; }
  const Reply& last_reply() const { return last_; }
  const std::vector<Reply>& rcpt_replies() const { return rcpt_; }  // one per RCPT, in order

 private:
  SmtpPhase phase_ = SmtpPhase::connect;
  bool quitting_ = false;
  int replies_ = 0;
  Reply last_;
  std::vector<Reply> rcpt_;
};

// The result of one send, from curl's result code and error text (curl's
// error buffer, or its strerror), the dialogue and the envelope's recipients.
// Server lines and curl's text pass through `redactor`. Pure.
SmtpSendResult summarize_send(int curl_code, std::string_view curl_error,
                              const SmtpDialogue& dialogue,
                              const std::vector<std::string>& recipients, const Redactor& redactor);

// A connection to one SMTP server, opened on the first send() and kept for
// the next. Not thread-safe; one per worker. Move-only. Call close() when no
// more mail is expected for a while: servers drop idle sessions (Postfix
// after 300 s; a dropped one costs the next send() a reconnect, no more).
class SmtpClient {
 public:
  // Does not connect. A config that check_smtp_config() refuses makes every
  // send() return status config with that error.
  explicit SmtpClient(SmtpConfig config);
  ~SmtpClient();  // close()
  SmtpClient(SmtpClient&&) noexcept;
  SmtpClient& operator=(SmtpClient&&) noexcept;

  // Sends `bytes` (a whole mail, CRLF line ends, unstuffed: curl adds the
  // dot-stuffing and the final ".") to the envelope's recipients. Reuses the
  // open connection if the server kept it; a kept connection that turns out
  // dead (no answer, or only "421") is replaced once, transparently: nothing
  // was accepted on it, so nothing is sent twice.
  // Never throws for network or server faults.
  SmtpSendResult send(const Envelope& envelope, std::string_view bytes);

  // Says QUIT and closes the connection (waits for the reply, bounded by the
  // timeouts). The next send() connects again.
  void close();
  // Drops the connection without a goodbye (after a timeout, when the server
  // may no longer answer). The next send() connects again.
  void reset();

  std::uint64_t connects() const;  // connections opened so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::transport
