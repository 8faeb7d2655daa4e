// The IMAP conversation after login: tagged commands, reading responses with
// timeouts, and waiting on the socket together with a wake-up descriptor.
#include "transport/imap_connection.h"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace ticketd::transport::imap {
namespace {

// Only these NO codes mean "try again later" (RFC 5530); others need a change first.
bool temporary_code(std::string_view code) {
  return code == "UNAVAILABLE" || code == "INUSE" || code == "SERVERBUG" || code == "LIMIT" ||
         code == "OVERQUOTA" || code == "EXPUNGEISSUED";
}

int poll_timeout_ms(Clock::time_point deadline) {
  if (deadline == Clock::time_point::max()) return -1;
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

}  // namespace

std::string_view command_name(std::string_view command) {
  std::size_t end = command.find(' ');
  if (command.starts_with("UID ") && end != std::string_view::npos)
    end = command.find(' ', end + 1);
  return command.substr(0, end);
}

ImapError Connection::rejection(std::string_view what, const Response& reply) const {
  std::string detail = std::string(what) + " failed: " + reply.name;
  if (!reply.code.empty()) detail += " [" + reply.code + "]";
  detail += " " + reply.text;
  const bool temporary = reply.name == "NO" && temporary_code(reply.code);
  return error(ImapErrorKind::rejected, temporary, std::move(detail));
}

ImapResult<Connection::Ready> Connection::poll_until(short events, Clock::time_point deadline,
                                                     int wake_fd) const {
  pollfd fds[2] = {{socket_, events, 0}, {wake_fd, POLLIN, 0}};
  const nfds_t count = wake_fd >= 0 ? 2 : 1;
  for (;;) {
    const int n = ::poll(fds, count, poll_timeout_ms(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(error(ImapErrorKind::connection, true, std::strerror(errno)));
    // Socket first: data that is already there is not lost to a wake-up.
    if (fds[0].revents != 0) return Ready::socket;
    if (count == 2 && fds[1].revents != 0) return Ready::wake;
    if (Clock::now() >= deadline) return Ready::timeout;
  }
}

ImapResult<void> Connection::send_raw(std::string_view bytes) {
  const Clock::time_point deadline = Clock::now() + config_.timeouts.command;
  while (!bytes.empty()) {
    std::size_t sent = 0;
    const CURLcode rc = curl_easy_send(curl_, bytes.data(), bytes.size(), &sent);
    if (rc == CURLE_OK) {
      bytes.remove_prefix(sent);
      continue;
    }
    if (rc != CURLE_AGAIN) {
      return std::unexpected(
          error(ImapErrorKind::connection, true, std::string("send: ") + curl_easy_strerror(rc)));
    }
    auto ready = poll_until(POLLOUT, deadline, -1);
    if (!ready) return std::unexpected(ready.error());
    if (*ready == Ready::timeout) {
      return std::unexpected(error(ImapErrorKind::connection, true, "send timed out"));
    }
  }
  return {};
}

ImapResult<std::string> Connection::send_command(std::string_view command) {
  std::string tag = "t" + std::to_string(next_tag_++);  // curl's own tags were A001...
  std::string line = tag + " " + std::string(command) + "\r\n";
  if (auto r = send_raw(line); !r) return std::unexpected(r.error());
  ++stats_.commands;
  return tag;
}

// A response already framed in the reader, if any.
ImapResult<std::optional<Response>> Connection::take_buffered() {
  auto framed = reader_.next();
  if (!framed) return std::unexpected(error(ImapErrorKind::protocol, true, framed.error().detail));
  if (!*framed) return std::optional<Response>();
  auto parsed = parse_response(**framed);
  if (!parsed) return std::unexpected(error(ImapErrorKind::protocol, true, parsed.error().detail));
  if (parsed->kind == ResponseKind::untagged &&
      (parsed->name == "EXISTS" || parsed->name == "RECENT")) {
    new_mail_ = true;
  }
  return std::optional<Response>(std::move(*parsed));
}

ImapResult<Connection::Waited> Connection::wait(Clock::time_point deadline, int wake_fd) {
  for (;;) {
    auto buffered = take_buffered();
    if (!buffered) return std::unexpected(buffered.error());
    if (*buffered) return Waited{std::move(*buffered), false};
    // Read until curl says "again" before polling: TLS may hold decrypted
    // bytes that poll() on the socket cannot see.
    std::size_t got = 0;
    const CURLcode rc = curl_easy_recv(curl_, recv_buf_.data(), recv_buf_.size(), &got);
    if (rc == CURLE_OK && got == 0) {
      return std::unexpected(
          error(ImapErrorKind::connection, true, "the server closed the connection"));
    }
    if (rc == CURLE_OK) {
      reader_.feed(std::string_view(recv_buf_.data(), got));
      stats_.bytes_received += got;
      continue;
    }
    if (rc != CURLE_AGAIN) {
      return std::unexpected(error(ImapErrorKind::connection, true,
                                   std::string("receive: ") + curl_easy_strerror(rc)));
    }
    auto ready = poll_until(POLLIN, deadline, wake_fd);
    if (!ready) return std::unexpected(ready.error());
    if (*ready == Ready::wake) return Waited{std::nullopt, true};
    if (*ready == Ready::timeout) return Waited{};
  }
}

ImapResult<Response> Connection::read(std::string_view waiting_for) {
  // The timeout is for silence: a 50 MB FETCH may take longer, but not stall.
  for (;;) {
    const std::uint64_t received = stats_.bytes_received;
    auto w = wait(Clock::now() + config_.timeouts.command, -1);
    if (!w) return std::unexpected(w.error());
    if (w->response) return std::move(*w->response);
    if (stats_.bytes_received == received) {
      return std::unexpected(error(ImapErrorKind::connection, true,
                                   "no reply to " + std::string(waiting_for) + " within " +
                                       std::to_string(config_.timeouts.command.count()) + " ms"));
    }
  }
}

ImapResult<Response> Connection::finish(std::string_view tag, std::string_view what,
                                        const UntaggedHandler& on_untagged) {
  for (;;) {
    auto r = read(what);
    if (!r) return std::unexpected(r.error());
    if (r->kind == ResponseKind::tagged) {
      if (r->tag != tag) {
        return std::unexpected(
            error(ImapErrorKind::protocol, true, "reply for unknown tag " + r->tag));
      }
      return std::move(*r);
    }
    if (r->kind == ResponseKind::continuation) {
      return std::unexpected(error(ImapErrorKind::protocol, true,
                                   "unexpected continuation during " + std::string(what)));
    }
    if (r->name == "BYE") {
      return std::unexpected(
          error(ImapErrorKind::connection, true, "the server ended the session: " + r->text));
    }
    if (on_untagged) {
      if (auto h = on_untagged(std::move(*r)); !h) return std::unexpected(h.error());
    }
  }
}

ImapResult<Response> Connection::run(std::string_view command, const UntaggedHandler& on_untagged) {
  auto tag = send_command(command);
  if (!tag) return std::unexpected(tag.error());
  return finish(*tag, command_name(command), on_untagged);
}

ImapResult<Response> Connection::run_ok(std::string_view command,
                                        const UntaggedHandler& on_untagged) {
  auto r = run(command, on_untagged);
  if (r && r->name != "OK") return std::unexpected(rejection(command_name(command), *r));
  return r;
}

}  // namespace ticketd::transport::imap
