// ImapClient when Dovecot goes away and comes back. Stopping IMAP would break
// every other test on the shared stack, so these start a private stack of
// their own (same scripts, ~1 s to start, ~2 s to stop).
#include <cstdlib>

#include "tests/imap/imap_stack.h"

namespace ticketd::transport::test {
namespace {

// Environment for start.sh: every port the kernel's pick.
constexpr const char* kAnyPorts = "MAILSTACK_ANY_PORTS=1 ";

class ImapServerRestart : public ImapStackTest {
 protected:
  void SetUp() override {
    ImapStackTest::SetUp();  // the shared stack's env names the scripts
    if (IsSkipped() || HasFatalFailure()) return;
    char dir[] = "/tmp/imap-restart-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    private_dir_ = dir;
    // Ports of the kernel's pick (OwnStack in smtp_postfix_test.cpp says why).
    ASSERT_TRUE(run_command(std::string(kAnyPorts) + shell_quote(script("start.sh")) + " " +
                            shell_quote(private_dir_) + " >/dev/null"))
        << "start.sh " << private_dir_ << " failed";
    load_env(private_dir_ + "/env");
  }
  void TearDown() override {
    if (!private_dir_.empty())
      run_command(shell_quote(script("stop.sh")) + " " + shell_quote(private_dir_) + " --purge");
  }
  std::string private_dir_;
};

TEST_F(ImapServerRestart, StoppedServerIsAConnectionErrorThenReconnectWorks) {
  const std::string user = new_user("restart");
  auto client = open_inbox(user);
  ASSERT_TRUE(client->connected());

  ASSERT_TRUE(ctl("stop-imap").has_value());
  auto r = client->noop();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::connection) << r.error().detail;
  EXPECT_TRUE(r.error().temporary);
  EXPECT_FALSE(client->connected());
  std::printf("after stop: %s\n", r.error().detail.c_str());

  auto refused = client->connect();
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ImapErrorKind::connection) << refused.error().detail;

  ASSERT_TRUE(ctl("start-imap").has_value());
  ASSERT_TRUE(eventually([&] { return client->connect().has_value(); }));
  auto box = client->select("INBOX");
  ASSERT_TRUE(box.has_value()) << box.error().detail;
  EXPECT_TRUE(client->noop().has_value());
  client->logout();
}

TEST_F(ImapServerRestart, StopDuringIdleEndsTheIdleWithAConnectionError) {
  auto client = open_inbox(new_user("restartidle"));
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(500));
    ctl("stop-imap");
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = client->idle(milliseconds(30'000));
  const auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::connection) << r.error().detail;
  EXPECT_LT(ms, 20'000);
  std::printf("idle ended %lld ms after start: %s\n", static_cast<long long>(ms),
              r.error().detail.c_str());
}

}  // namespace
}  // namespace ticketd::transport::test
