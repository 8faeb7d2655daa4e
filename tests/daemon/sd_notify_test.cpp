// The sd_notify protocol against real AF_UNIX datagram sockets (a path in a
// scratch directory and an abstract name): exact payloads, the sender's
// credentials systemd checks, and the errors; WATCHDOG_USEC/WATCHDOG_PID and
// JOURNAL_STREAM parsing.
#include "daemon/sd_notify.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace sd = ticketd::daemon::systemd;
namespace fs = std::filesystem;
using std::chrono::microseconds;

namespace {

// Saves the variables the module reads and puts them back afterwards, so the
// cases do not leak into each other when run in one process.
class Env {
 public:
  Env() {
    for (const char* name : kNames) {
      const char* v = std::getenv(name);
      saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
      ::unsetenv(name);
    }
  }
  ~Env() {
    for (auto& [name, v] : saved_) {
      if (v)
        ::setenv(name, v->c_str(), 1);
      else
        ::unsetenv(name);
    }
  }

 private:
  static constexpr const char* kNames[] = {"NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
                                           "JOURNAL_STREAM"};
  std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

// A bound datagram socket standing in for systemd's notify socket.
class Receiver {
 public:
  // `name` starting with '@' binds in the abstract namespace, else a path.
  explicit Receiver(const std::string& name) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    // systemd turns this on to learn the sender's pid (NotifyAccess=main).
    int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    socklen_t len = offsetof(sockaddr_un, sun_path) + name.size();
    if (name[0] == '@')
      addr.sun_path[0] = '\0';
    else
      len += 1;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0)
      throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
  }
  ~Receiver() { ::close(fd_); }

  // The next datagram, or "<none>" when nothing is queued (AF_UNIX delivers
  // synchronously, so a sent datagram is already here). Sets `sender` from the
  // credentials the kernel attached.
  std::string next(pid_t* sender = nullptr) {
    char buf[4096];
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    iovec iov{buf, sizeof buf};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd_, &msg, MSG_DONTWAIT);
    if (n < 0) return "<none>";
    EXPECT_EQ(msg.msg_flags & MSG_TRUNC, 0);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS && sender != nullptr) {
        ucred cred;
        std::memcpy(&cred, CMSG_DATA(c), sizeof cred);
        *sender = cred.pid;
      }
    }
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
};

// A scratch directory removed at the end of the case.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "ticketd-sd-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = tmpl;
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::uint64_t monotonic_usec() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000u +
         static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

struct Message {
  const char* name;
  std::function<std::expected<bool, std::string>()> send;
  const char* payload;
};

const Message kMessages[] = {
    {"ready", [] { return sd::notify_ready(); }, "READY=1"},
    {"ready_with_status", [] { return sd::notify_ready("polling imap.example.com"); },
     "READY=1\nSTATUS=polling imap.example.com"},
    {"stopping", [] { return sd::notify_stopping(); }, "STOPPING=1"},
    {"watchdog", [] { return sd::notify_watchdog(); }, "WATCHDOG=1"},
    {"status", [] { return sd::notify_status("3 mails in the outbox"); },
     "STATUS=3 mails in the outbox"},
    // A status with a newline must not become a second assignment.
    {"status_newline_flattened", [] { return sd::notify_status("ok\nREADY=1"); },
     "STATUS=ok READY=1"},
    {"ready_status_newline_flattened", [] { return sd::notify_ready("a\nb"); },
     "READY=1\nSTATUS=a b"},
    {"raw", [] { return sd::notify("STATUS=x\nEXTEND_TIMEOUT_USEC=5000000"); },
     "STATUS=x\nEXTEND_TIMEOUT_USEC=5000000"},
};

TEST(SdNotify, UnsetSocketIsANoOp) {
  Env env;
  for (const auto& m : kMessages) {
    auto r = m.send();
    ASSERT_TRUE(r.has_value()) << m.name << ": " << r.error();
    EXPECT_FALSE(*r) << m.name;
  }
  ::setenv("NOTIFY_SOCKET", "", 1);
  auto r = sd::notify_ready();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(*r);
}

TEST(SdNotify, PathSocketGetsExactPayloads) {
  Env env;
  ScratchDir dir;
  const std::string path = (dir.path() / "notify").string();
  Receiver rx(path);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  for (const auto& m : kMessages) {
    auto r = m.send();
    ASSERT_TRUE(r.has_value()) << m.name << ": " << r.error();
    EXPECT_TRUE(*r) << m.name;
    pid_t sender = 0;
    EXPECT_EQ(rx.next(&sender), m.payload) << m.name;
    // systemd's NotifyAccess=main accepts only datagrams from the main pid.
    EXPECT_EQ(sender, ::getpid()) << m.name;
  }
  EXPECT_EQ(rx.next(), "<none>");
}

TEST(SdNotify, AbstractSocketGetsExactPayloads) {
  Env env;
  const std::string name = "@ticketd-sd-test-" + std::to_string(::getpid());
  Receiver rx(name);
  ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
  for (const auto& m : kMessages) {
    auto r = m.send();
    ASSERT_TRUE(r.has_value()) << m.name << ": " << r.error();
    EXPECT_TRUE(*r) << m.name;
    EXPECT_EQ(rx.next(), m.payload) << m.name;
  }
  EXPECT_EQ(rx.next(), "<none>");
}

TEST(SdNotify, ReloadingCarriesMonotonicTimestamp) {
  Env env;
  ScratchDir dir;
  const std::string path = (dir.path() / "notify").string();
  Receiver rx(path);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  const std::uint64_t before = monotonic_usec();
  auto r = sd::notify_reloading();
  const std::uint64_t after = monotonic_usec();
  ASSERT_TRUE(r.has_value()) << r.error();
  EXPECT_TRUE(*r);
  const std::string got = rx.next();
  const std::string head = "RELOADING=1\nMONOTONIC_USEC=";
  ASSERT_EQ(got.substr(0, head.size()), head) << got;
  const std::string digits = got.substr(head.size());
  ASSERT_FALSE(digits.empty());
  ASSERT_EQ(digits.find_first_not_of("0123456789"), std::string::npos) << got;
  const std::uint64_t stamp = std::stoull(digits);
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after);
}

struct BadSocket {
  const char* name;
  std::string value;
  const char* want;  // substring of the error
};

TEST(SdNotify, BadSocketsAreErrorsNotThrows) {
  Env env;
  ScratchDir dir;
  const BadSocket cases[] = {
      {"missing_path", (dir.path() / "nobody-listens").string(), "sendto"},
      {"relative_path", "run/notify", "not an absolute path"},
      // systemd ≥ 253 hands VMs a vsock address; we only speak AF_UNIX.
      {"vsock", "vsock:2:1234", "not an absolute path"},
      {"too_long", "/" + std::string(200, 'x'), "length"},
      {"bare_at", "@", "length"},
  };
  for (const auto& c : cases) {
    ::setenv("NOTIFY_SOCKET", c.value.c_str(), 1);
    auto r = sd::notify_ready();
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_NE(r.error().find(c.want), std::string::npos) << c.name << ": " << r.error();
    EXPECT_NE(r.error().find("NOTIFY_SOCKET="), std::string::npos) << c.name << ": " << r.error();
  }
}

TEST(SdNotify, EmptyStateIsAnError) {
  Env env;
  ScratchDir dir;
  const std::string path = (dir.path() / "notify").string();
  Receiver rx(path);
  ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  EXPECT_FALSE(sd::notify("").has_value());
  EXPECT_EQ(rx.next(), "<none>");
}

struct WatchdogCase {
  const char* name;
  const char* usec;
  const char* pid;  // "self" stands for our pid
  std::optional<microseconds> want;
};

TEST(SdNotify, WatchdogInterval) {
  const pid_t self = 4242;
  const WatchdogCase cases[] = {
      {"sixty_seconds", "60000000", nullptr, microseconds(30'000'000)},
      {"our_pid", "60000000", "self", microseconds(30'000'000)},
      {"odd_value_rounds_down", "3", nullptr, microseconds(1)},
      {"one_usec_still_pings", "1", nullptr, microseconds(1)},
      {"unset", nullptr, nullptr, std::nullopt},
      {"zero", "0", nullptr, std::nullopt},
      {"empty", "", nullptr, std::nullopt},
      {"garbage", "abc", nullptr, std::nullopt},
      {"unit_suffix", "60s", nullptr, std::nullopt},
      {"negative", "-5", nullptr, std::nullopt},
      {"plus_sign", "+5", nullptr, std::nullopt},
      {"leading_blank", " 5", nullptr, std::nullopt},
      {"overflow", "99999999999999999999", nullptr, std::nullopt},
      {"beyond_int64", "18446744073709551615", nullptr, std::nullopt},
      {"other_pid", "60000000", "1", std::nullopt},
      {"pid_garbage", "60000000", "4242x", std::nullopt},
      {"pid_empty", "60000000", "", std::nullopt},
  };
  for (const auto& c : cases) {
    std::string pid = c.pid ? c.pid : "";
    if (pid == "self") pid = std::to_string(self);
    auto got = sd::watchdog_ping_interval(c.usec, c.pid ? pid.c_str() : nullptr, self);
    EXPECT_EQ(got, c.want) << c.name;
  }
}

TEST(SdNotify, WatchdogIntervalFromEnvironment) {
  Env env;
  EXPECT_EQ(sd::watchdog_ping_interval(), std::nullopt);
  ::setenv("WATCHDOG_USEC", "60000000", 1);
  EXPECT_EQ(sd::watchdog_ping_interval(), microseconds(30'000'000));
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  EXPECT_EQ(sd::watchdog_ping_interval(), microseconds(30'000'000));
  // Inherited from a parent process: not ours to ping.
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  EXPECT_EQ(sd::watchdog_ping_interval(), std::nullopt);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("WATCHDOG_USEC", "garbage", 1);
  EXPECT_EQ(sd::watchdog_ping_interval(), std::nullopt);
}

TEST(SdNotify, JournalStream) {
  Env env;
  ScratchDir dir;
  const std::string file = (dir.path() / "stream").string();
  const int fd = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  const int other = ::open((dir.path() / "other").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(other, 0);
  struct stat st {};
  ASSERT_EQ(::fstat(fd, &st), 0);
  const std::string dev = std::to_string(static_cast<std::uint64_t>(st.st_dev));
  const std::string ino = std::to_string(static_cast<std::uint64_t>(st.st_ino));

  EXPECT_FALSE(sd::is_journal_stream(fd)) << "unset";
  const struct {
    const char* name;
    std::string value;
    bool want_fd;
  } cases[] = {
      {"match", dev + ":" + ino, true},
      {"other_inode", dev + ":" + ino + "1", false},
      {"other_device", "1" + dev + ":" + ino, false},
      {"no_colon", dev + ino, false},
      {"empty", "", false},
      {"garbage", "tty:1", false},
      {"trailing", dev + ":" + ino + "x", false},
      {"empty_inode", dev + ":", false},
  };
  for (const auto& c : cases) {
    ::setenv("JOURNAL_STREAM", c.value.c_str(), 1);
    EXPECT_EQ(sd::is_journal_stream(fd), c.want_fd) << c.name;
    EXPECT_FALSE(sd::is_journal_stream(other)) << c.name;
  }
  ::setenv("JOURNAL_STREAM", (dev + ":" + ino).c_str(), 1);
  EXPECT_FALSE(sd::is_journal_stream(-1)) << "fstat fails";
  ::close(fd);
  ::close(other);
}

TEST(SdNotify, StderrIsJournalFollowsStderr) {
  Env env;
  struct stat st {};
  ASSERT_EQ(::fstat(STDERR_FILENO, &st), 0);
  ::setenv("JOURNAL_STREAM",
           (std::to_string(static_cast<std::uint64_t>(st.st_dev)) + ":" +
            std::to_string(static_cast<std::uint64_t>(st.st_ino)))
               .c_str(),
           1);
  EXPECT_TRUE(sd::stderr_is_journal());
  ::setenv("JOURNAL_STREAM", "0:0", 1);
  EXPECT_FALSE(sd::stderr_is_journal());
}

}  // namespace
