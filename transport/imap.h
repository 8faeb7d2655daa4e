// ticketd transport: the IMAP client — connect (STARTTLS or IMAPS, certificate
// always verified), select a folder, find new UIDs, fetch mail in batches
// without setting \Seen, move or flag what was processed, and wait with IDLE.
// It does not parse mail or decide anything; the daemon's poller calls it on
// one worker thread. libcurl does connect/TLS/login; the IMAP conversation
// after login is our own code (transport/imap_protocol.h) on curl's connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::transport {

enum class ImapErrorKind {
  connection,  // refused, reset, timed out, BYE, server closed: temporary, reconnect later
  auth,        // LOGIN / AUTHENTICATE rejected: permanent until the secret changes
  tls_verify,  // certificate not trusted, or the server refused STARTTLS: permanent
  protocol,    // a reply we cannot make sense of; the connection is dropped
  rejected,    // the server answered NO or BAD; detail carries its text
  config,      // a bad URL, plaintext to a non-loopback host, an unusable name
};
std::string_view imap_error_kind_name(ImapErrorKind kind);

struct ImapError {
  ImapErrorKind kind = ImapErrorKind::connection;
  bool temporary = true;  // worth retrying with backoff
  std::string detail;     // never contains the password or the bearer token
};

template <typename T>
using ImapResult = std::expected<T, ImapError>;

struct ImapTimeouts {
  std::chrono::milliseconds connect{30'000};  // TCP + TLS + login, as one budget
  std::chrono::milliseconds command{60'000};  // longest silence while a reply is due
};

struct ImapLimits {
  std::size_t fetch_batch_count = 100;              // UIDs in one UID FETCH of whole mails
  std::size_t uids_per_command = 1000;              // other commands (keeps lines < 64 KiB)
  std::size_t max_literal_bytes = 200u << 20;       // one literal (one mail); more = protocol error
  std::size_t max_line_bytes = 16u << 20;           // one response line outside literals
  std::chrono::milliseconds idle_max{29 * 60'000};  // RFC 3501: servers may drop at 30 min
  std::chrono::milliseconds poll_interval{60'000};  // idle() without the IDLE capability
};

struct ImapConfig {
  std::string url;  // imap://host[:port] (STARTTLS required) or imaps://host[:port]
  std::string username;
  std::string password;                   // LOGIN; unused when oauth2_bearer is set
  std::string oauth2_bearer;              // non-empty: SASL XOAUTH2 instead of LOGIN
  std::string ca_file;                    // PEM bundle; empty = the system store
  bool allow_plaintext_loopback = false;  // imap:// without TLS, only to 127.0.0.1, ::1, localhost
  bool use_move = true;  // false: COPY + STORE \Deleted + UID EXPUNGE even if MOVE exists
  ImapTimeouts timeouts;
  ImapLimits limits;
  // Optional: polled about once a second while curl connects and logs in;
  // true aborts connect() (a shutdown must not wait for a silent server).
  std::function<bool()> cancelled;
};

struct MailboxInfo {
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;  // 0 when the server did not say
  std::uint32_t exists = 0;
  bool keywords_allowed = false;  // PERMANENTFLAGS has \* (new keywords are kept)
  bool has_idle = false, has_move = false, has_uidplus = false;
};

struct UidSize {
  std::uint32_t uid = 0;
  std::uint64_t size = 0;  // RFC822.SIZE: the bytes fetch() will return
};

struct FetchedMail {
  std::uint32_t uid = 0;
  std::string bytes;  // exactly as the server sent the literal; binary-safe
};

struct UidFlags {
  std::uint32_t uid = 0;
  std::vector<std::string> flags;  // as the server spells them: "\\Seen", "$TicketdProcessed"
};

// Cuts mails (in the given order) into fetch() calls of at most max_count
// mails and max_bytes bytes by RFC822.SIZE; a mail over max_bytes goes alone.
std::vector<std::vector<std::uint32_t>> plan_fetch_batches(std::span<const UidSize> mails,
                                                           std::size_t max_count,
                                                           std::size_t max_bytes);

enum class IdleOutcome {
  mailbox_changed,  // EXISTS, EXPUNGE or RECENT arrived (or had arrived before the call)
  timeout,          // nothing happened within the timeout; call again
  interrupted,      // interrupt() was called
};

struct ImapStats {
  std::uint64_t commands = 0;        // tagged commands we sent (curl's login not counted)
  std::uint64_t fetch_commands = 0;  // UID FETCH ... BODY.PEEK[] commands
  std::uint64_t bytes_received = 0;
  std::uint64_t connects = 0;
};

// One IMAP session. Every call blocks; every wait is bounded by a timeout.
// Not thread-safe, except interrupt(). After a connection-kind error the
// session is closed and every call fails until connect() succeeds again.
class ImapClient {
 public:
  explicit ImapClient(ImapConfig config);
  ~ImapClient();
  ImapClient(const ImapClient&) = delete;
  ImapClient& operator=(const ImapClient&) = delete;

  // Connects, secures, logs in, reads CAPABILITY. Closes any earlier session first.
  ImapResult<void> connect();
  // LOGOUT when connected (errors ignored); the session is closed afterwards.
  void logout();
  bool connected() const;

  // SELECT (read-write). Compare uidvalidity with the stored cursor's: when
  // it changed, every stored UID is void and the folder must be rescanned.
  // Needed again after every connect().
  ImapResult<MailboxInfo> select(std::string_view folder);
  // UIDs greater than last_uid, ascending (\Seen or not). The server answers
  // from its last look at the folder: after idle() or noop() that is now;
  // otherwise Dovecot's maildir may lag up to ~5 s (measured).
  ImapResult<std::vector<std::uint32_t>> search_uids_since(std::uint32_t last_uid);
  // UIDs without `keyword`, ascending: the work list in keyword mode.
  ImapResult<std::vector<std::uint32_t>> search_uids_without(std::string_view keyword);
  // RFC822.SIZE per UID, ascending; UIDs that no longer exist are absent.
  ImapResult<std::vector<UidSize>> fetch_sizes(std::span<const std::uint32_t> uids);
  // Whole mails by BODY.PEEK[] (\Seen unchanged), limits.fetch_batch_count per
  // UID FETCH; ascending by UID; UIDs that no longer exist are absent.
  ImapResult<std::vector<FetchedMail>> fetch(std::span<const std::uint32_t> uids);
  // The header block only (BODY.PEEK[HEADER]), e.g. of a mail too big to fetch whole.
  ImapResult<std::vector<FetchedMail>> fetch_headers(std::span<const std::uint32_t> uids);
  ImapResult<std::vector<UidFlags>> fetch_flags(std::span<const std::uint32_t> uids);
  // Moves to `folder` (created when missing): MOVE, else COPY + \Deleted + UID
  // EXPUNGE of exactly these UIDs. Without MOVE and UIDPLUS: rejected, nothing copied.
  ImapResult<void> move(std::span<const std::uint32_t> uids, std::string_view folder);
  // Adds a flag or keyword ("$TicketdProcessed", "\\Seen"). Rejected when the
  // mailbox cannot keep new keywords.
  ImapResult<void> add_flag(std::span<const std::uint32_t> uids, std::string_view flag);
  // CREATE (and SUBSCRIBE); an existing folder is success.
  ImapResult<void> create_folder(std::string_view folder);
  // NOOP; true when new mail (EXISTS/RECENT) was announced since the last search.
  ImapResult<bool> noop();
  // Waits for new mail on the selected mailbox (IDLE; NOOP polling when the
  // server lacks IDLE) for at most min(timeout, limits.idle_max).
  ImapResult<IdleOutcome> idle(std::chrono::milliseconds timeout);
  // Any thread: makes a running or the next idle() return `interrupted`.
  void interrupt();

  const MailboxInfo& mailbox() const;
  ImapStats stats() const;

  struct Impl;  // defined in transport/imap_client_impl.h

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace ticketd::transport
