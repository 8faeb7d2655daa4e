// ticketd transport (internal to the IMAP client): one IMAP connection.
// libcurl opens it (TCP, STARTTLS or implicit TLS, certificate check, LOGIN
// or XOAUTH2 with CURLOPT_CONNECT_ONLY); from then on we speak IMAP ourselves
// through curl_easy_send / curl_easy_recv, which keep curl's TLS session.
// Why not curl's own IMAP commands: a custom UID FETCH through
// CURLOPT_CUSTOMREQUEST hands only the untagged lines to the write callback
// and drops the literals (libcurl 7.88), so a batched FETCH is impossible.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "transport/curl_util.h"
#include "transport/imap.h"
#include "transport/imap_protocol.h"

namespace ticketd::transport::imap {

using Clock = std::chrono::steady_clock;

// Receives the untagged responses of a running command; an error aborts the
// command (the connection is then unusable: the tagged reply is still due).
using UntaggedHandler = std::function<ImapResult<void>(Response&&)>;

class Connection {
 public:
  // Connects and logs in. `config` and `stats` must outlive the connection.
  static ImapResult<std::unique_ptr<Connection>> open(const ImapConfig& config, ImapStats& stats);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends "<tag> <command>" and reads up to its tagged reply, which is returned
  // whatever its status; untagged replies go to `on_untagged` (may be empty).
  // An untagged BYE is a connection error.
  ImapResult<Response> run(std::string_view command, const UntaggedHandler& on_untagged);
  // run(), with a tagged NO or BAD turned into a `rejected` error.
  ImapResult<Response> run_ok(std::string_view command, const UntaggedHandler& on_untagged);

  // Lower level, for IDLE. send_command returns the tag it used.
  ImapResult<std::string> send_command(std::string_view command);
  ImapResult<void> send_raw(std::string_view bytes);
  // The next response, read within the command timeout (silence = connection error).
  ImapResult<Response> read(std::string_view waiting_for);
  // Reads up to the tagged reply for `tag`, as run() does.
  ImapResult<Response> finish(std::string_view tag, std::string_view what,
                              const UntaggedHandler& on_untagged);

  struct Waited {
    std::optional<Response> response;  // empty: deadline passed, or woken
    bool woken = false;                // wake_fd became readable first
  };
  // The next response, or nothing by `deadline` or when wake_fd (-1: none) is readable.
  ImapResult<Waited> wait(Clock::time_point deadline, int wake_fd);

  // True after an untagged EXISTS or RECENT (new mail may be there) since clear_new_mail().
  bool new_mail() const { return new_mail_; }
  void clear_new_mail() { new_mail_ = false; }

  // An error whose detail has the password and token (also in base64) blanked out.
  ImapError error(ImapErrorKind kind, bool temporary, std::string detail) const;
  // The tagged NO/BAD reply as a `rejected` error.
  ImapError rejection(std::string_view what, const Response& reply) const;

 private:
  Connection(const ImapConfig& config, ImapStats& stats);
  ImapResult<void> login();
  enum class Ready { socket, wake, timeout };
  ImapResult<Ready> poll_until(short events, Clock::time_point deadline, int wake_fd) const;
  ImapResult<std::optional<Response>> take_buffered();

  const ImapConfig& config_;
  ImapStats& stats_;
  CURL* curl_ = nullptr;
  curl_socket_t socket_ = CURL_SOCKET_BAD;
  void* tls_ = nullptr;  // the connection's OpenSSL SSL*, seen at its handshake (login())
  Redactor redactor_;
  ResponseReader reader_;
  std::vector<char> recv_buf_;
  std::uint64_t next_tag_ = 1;
  bool new_mail_ = false;
  char curl_error_[CURL_ERROR_SIZE] = {};
};

// The first word of a command, for error texts ("UID FETCH" for UID commands).
std::string_view command_name(std::string_view command);

}  // namespace ticketd::transport::imap
