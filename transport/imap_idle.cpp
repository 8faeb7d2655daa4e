// ImapClient::idle (RFC 2177) and interrupt(): waiting for new mail on the
// socket and an eventfd at once, so another thread can end the wait at once.
#include <poll.h>
#include <unistd.h>

#include <cstdint>

#include "transport/imap_client_impl.h"

namespace ticketd::transport {

using imap::Clock;
using imap::Connection;
using imap::ResponseKind;

namespace {

bool drain_wakeup(int fd) {
  std::uint64_t count = 0;
  return ::read(fd, &count, sizeof count) == static_cast<ssize_t>(sizeof count) && count > 0;
}

bool wait_wakeup(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  const Clock::time_point deadline = Clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    const int n = ::poll(&p, 1, static_cast<int>(std::max<long long>(left, 0)));
    if (n > 0) {
      drain_wakeup(fd);
      return true;
    }
    if (n == 0 || left <= 0) return false;
  }
}

bool is_change(const imap::Response& r) {
  return r.kind == ResponseKind::untagged &&
         (r.name == "EXISTS" || r.name == "EXPUNGE" || r.name == "RECENT");
}

// Servers without IDLE: sleep (interruptibly) for one poll interval, then NOOP.
ImapResult<IdleOutcome> poll_instead(ImapClient& client, ImapClient::Impl& s,
                                     std::chrono::milliseconds timeout) {
  if (wait_wakeup(s.wake_fd, std::min(timeout, s.config.limits.poll_interval)))
    return IdleOutcome::interrupted;
  auto changed = client.noop();
  if (!changed) return std::unexpected(changed.error());
  return *changed ? IdleOutcome::mailbox_changed : IdleOutcome::timeout;
}

// Sends IDLE and waits for the server's "+".
ImapResult<std::string> start_idle(Connection& conn) {
  auto tag = conn.send_command("IDLE");
  if (!tag) return tag;
  for (;;) {
    auto r = conn.read("IDLE");
    if (!r) return std::unexpected(r.error());
    if (r->kind == ResponseKind::continuation) return tag;
    if (r->kind == ResponseKind::tagged) return std::unexpected(conn.rejection("IDLE", *r));
    if (r->name == "BYE") {
      return std::unexpected(
          conn.error(ImapErrorKind::connection, true, "the server ended the session: " + r->text));
    }
  }
}

// In IDLE until a change, the deadline, or a wake-up. `ended` is set when the
// server finished the IDLE by itself (its tagged reply came).
ImapResult<IdleOutcome> wait_in_idle(Connection& conn, std::string_view tag,
                                     Clock::time_point deadline, int wake_fd, bool& ended) {
  for (;;) {
    auto w = conn.wait(deadline, wake_fd);
    if (!w) return std::unexpected(w.error());
    if (w->woken) return IdleOutcome::interrupted;
    if (!w->response) return IdleOutcome::timeout;
    const imap::Response& r = *w->response;
    if (is_change(r)) return IdleOutcome::mailbox_changed;
    if (r.kind == ResponseKind::tagged && r.tag == tag) {
      ended = true;
      if (r.name != "OK") return std::unexpected(conn.rejection("IDLE", r));
      return IdleOutcome::timeout;
    }
    if (r.name == "BYE") {
      return std::unexpected(
          conn.error(ImapErrorKind::connection, true, "the server ended the session: " + r.text));
    }
    // "* OK Still here" keep-alives and flag changes (FETCH) are no news.
  }
}

ImapResult<IdleOutcome> run_idle(ImapClient& client, ImapClient::Impl& s,
                                 std::chrono::milliseconds timeout) {
  auto conn = s.mailbox_session();
  if (!conn) return std::unexpected(conn.error());
  if (wait_wakeup(s.wake_fd, std::chrono::milliseconds(0))) return IdleOutcome::interrupted;
  // New mail announced during earlier commands is not announced again.
  if ((*conn)->new_mail()) return IdleOutcome::mailbox_changed;
  timeout = std::min(timeout, s.config.limits.idle_max);
  if (!s.has("IDLE")) return poll_instead(client, s, timeout);
  auto tag = start_idle(**conn);
  if (!tag) return std::unexpected(tag.error());
  bool ended = false;
  auto outcome = wait_in_idle(**conn, *tag, Clock::now() + timeout, s.wake_fd, ended);
  if (!outcome || ended) return outcome;
  if (*outcome == IdleOutcome::interrupted) drain_wakeup(s.wake_fd);
  if (auto r = (*conn)->send_raw("DONE\r\n"); !r) return std::unexpected(r.error());
  auto done = (*conn)->finish(*tag, "IDLE", {});
  if (!done) return std::unexpected(done.error());
  if (done->name != "OK") return std::unexpected((*conn)->rejection("IDLE", *done));
  return outcome;
}

}  // namespace

ImapResult<IdleOutcome> ImapClient::idle(std::chrono::milliseconds timeout) {
  return impl_->checked(run_idle(*this, *impl_, timeout));
}

void ImapClient::interrupt() {
  const std::uint64_t one = 1;
  // eventfd writes are atomic; a full counter (never in practice) still wakes.
  [[maybe_unused]] ssize_t n = ::write(impl_->wake_fd, &one, sizeof one);
}

}  // namespace ticketd::transport
