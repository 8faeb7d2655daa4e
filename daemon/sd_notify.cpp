#include "daemon/sd_notify.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <limits>

namespace ticketd::daemon::systemd {

namespace {

// Closes the descriptor on every path out of notify().
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string errno_text(const char* what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

// A whole string of decimal digits as an unsigned number; nullopt for anything
// else (sign, blanks, trailing bytes, overflow).
template <typename T>
std::optional<T> parse_decimal(std::string_view s) {
  T value{};
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

}  // namespace

std::expected<bool, std::string> notify(std::string_view state) {
  const char* env = std::getenv("NOTIFY_SOCKET");
  if (env == nullptr || *env == '\0') return false;
  const std::string_view where(env);
  const std::string prefix = "NOTIFY_SOCKET=" + std::string(where) + ": ";
  if (state.empty()) return std::unexpected(prefix + "empty notification");

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  // systemd ≥ 253 may also hand out "vsock:CID:PORT" (for VMs); a service on the
  // host never gets one, so only the two AF_UNIX forms are spoken.
  if (where.front() != '/' && where.front() != '@')
    return std::unexpected(prefix + "not an absolute path or @abstract name");
  // A path needs its terminating NUL inside sun_path; an abstract name does not.
  const bool abstract = where.front() == '@';
  if (where.size() + (abstract ? 0 : 1) > sizeof addr.sun_path || where.size() < 2)
    return std::unexpected(prefix + "bad socket name length");
  std::memcpy(addr.sun_path, where.data(), where.size());
  if (abstract) addr.sun_path[0] = '\0';
  const auto addr_len =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + where.size() + (abstract ? 0 : 1));

  Fd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return std::unexpected(prefix + errno_text("socket", errno));
  // A datagram to a full receive queue blocks; systemd drains its queue at once,
  // but a wedged manager must not stall our event loop for good.
  const timeval send_timeout{.tv_sec = 2, .tv_usec = 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);

  ssize_t n;
  do {
    n = ::sendto(fd.get(), state.data(), state.size(), MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&addr), addr_len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return std::unexpected(prefix + errno_text("sendto", errno));
  // A datagram goes whole or not at all; a short count would be a kernel surprise.
  if (static_cast<std::size_t>(n) != state.size()) return std::unexpected(prefix + "short send");
  return true;
}

std::expected<bool, std::string> notify_ready(std::string_view status) {
  if (status.empty()) return notify("READY=1");
  std::string state = "READY=1\nSTATUS=";
  for (char c : status) state += c == '\n' ? ' ' : c;
  return notify(state);
}

std::expected<bool, std::string> notify_stopping() { return notify("STOPPING=1"); }

std::expected<bool, std::string> notify_reloading() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000u +
                    static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
  return notify("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec));
}

std::expected<bool, std::string> notify_watchdog() { return notify("WATCHDOG=1"); }

std::expected<bool, std::string> notify_status(std::string_view text) {
  std::string state = "STATUS=";
  for (char c : text) state += c == '\n' ? ' ' : c;
  return notify(state);
}

std::optional<std::chrono::microseconds> watchdog_ping_interval(const char* usec, const char* pid,
                                                                pid_t self) {
  if (usec == nullptr) return std::nullopt;
  auto limit = parse_decimal<std::uint64_t>(usec);
  // Zero means "no watchdog"; beyond int64 the duration type would overflow.
  if (!limit || *limit == 0 ||
      *limit > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return std::nullopt;
  // systemd sets WATCHDOG_PID to the main process; a child that inherited the
  // environment must not ping on its parent's behalf.
  if (pid != nullptr) {
    auto owner = parse_decimal<std::uint64_t>(pid);
    if (!owner || *owner != static_cast<std::uint64_t>(self)) return std::nullopt;
  }
  return std::chrono::microseconds(
      std::max<std::int64_t>(1, static_cast<std::int64_t>(*limit / 2)));
}

std::optional<std::chrono::microseconds> watchdog_ping_interval() {
  return watchdog_ping_interval(std::getenv("WATCHDOG_USEC"), std::getenv("WATCHDOG_PID"),
                                ::getpid());
}

bool is_journal_stream(int fd) {
  const char* env = std::getenv("JOURNAL_STREAM");
  if (env == nullptr) return false;
  const std::string_view value(env);
  const auto colon = value.find(':');
  if (colon == std::string_view::npos) return false;
  auto dev = parse_decimal<std::uint64_t>(value.substr(0, colon));
  auto ino = parse_decimal<std::uint64_t>(value.substr(colon + 1));
  if (!dev || !ino) return false;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<std::uint64_t>(st.st_dev) == *dev &&
         static_cast<std::uint64_t>(st.st_ino) == *ino;
}

bool stderr_is_journal() { return is_journal_stream(STDERR_FILENO); }

}  // namespace ticketd::daemon::systemd
