// ImapClient::idle against the real Dovecot: new mail by SMTP wakes it,
// interrupt() ends it from another thread, a timeout leaves the session usable.
#include "tests/imap/imap_stack.h"

namespace ticketd::transport::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class ImapIdle : public ImapStackTest {};

long long ms_since(Clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - t).count();
}

TEST_F(ImapIdle, WakesWhenMailArrivesBySmtp) {
  const std::string user = new_user("idle");
  auto client = open_inbox(user);
  Clock::time_point sent{};
  std::atomic<bool> smtp_ok{false};
  std::thread sender([&] {
    std::this_thread::sleep_for(milliseconds(500));
    smtp_ok = send_smtp("customer@example.test", user, make_mail(user, 1, "wake up\r\n"));
    sent = Clock::now();
  });
  const auto start = Clock::now();
  auto r = client->idle(milliseconds(10'000));
  const auto woke = Clock::now();
  sender.join();
  ASSERT_TRUE(smtp_ok.load()) << "SMTP delivery to Postfix failed";
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(*r, IdleOutcome::mailbox_changed) << "idle returned after " << ms_since(start) << " ms";
  // The SMTP session ends after Postfix queued the mail, so delivery may finish later.
  std::printf(
      "IDLE woke %lld ms after the SMTP send finished (%lld ms after IDLE began)\n",
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(woke - sent).count()),
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(woke - start).count()));
  auto uids = client->search_uids_since(0);
  ASSERT_TRUE(uids.has_value());
  EXPECT_EQ(uids->size(), 1u);
}

TEST_F(ImapIdle, WakesWhenMailIsDroppedIntoTheMaildir) {
  const std::string user = new_user("idledrop");
  auto client = open_inbox(user);
  const std::string dir = maildir(user);
  Clock::time_point dropped{};
  std::thread dropper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    drop_mail(dir, make_mail(user, 1, "dropped\r\n"));
    dropped = Clock::now();
  });
  auto r = client->idle(milliseconds(10'000));
  const auto woke = Clock::now();
  dropper.join();
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(*r, IdleOutcome::mailbox_changed);
  std::printf(
      "IDLE woke %lld ms after the maildir drop\n",
      static_cast<long long>(std::chrono::duration_cast<milliseconds>(woke - dropped).count()));
}

TEST_F(ImapIdle, InterruptFromAnotherThreadReturnsPromptly) {
  auto client = open_inbox(new_user("interrupt"));
  Clock::time_point asked{};
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    asked = Clock::now();
    client->interrupt();
  });
  auto r = client->idle(milliseconds(60'000));
  const auto back = Clock::now();
  stopper.join();
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(*r, IdleOutcome::interrupted);
  const auto ms = std::chrono::duration_cast<milliseconds>(back - asked).count();
  std::printf("idle returned %lld ms after interrupt()\n", static_cast<long long>(ms));
  EXPECT_LT(ms, 5'000);
  // DONE was sent and answered: the session is still in step.
  EXPECT_TRUE(client->noop().has_value());
  EXPECT_TRUE(client->search_uids_since(0).has_value());
}

TEST_F(ImapIdle, InterruptBeforeIdleIsNotLostAndCountsOnce) {
  auto client = open_inbox(new_user("interruptearly"));
  client->interrupt();
  client->interrupt();
  EXPECT_EQ(client->idle(milliseconds(10'000)).value(), IdleOutcome::interrupted);
  const auto start = Clock::now();
  EXPECT_EQ(client->idle(milliseconds(300)).value(), IdleOutcome::timeout);
  EXPECT_GE(ms_since(start), 250);
}

// The timeout returns `timeout`; curl's CURLOPT_TIMEOUT (the connect budget,
// shorter here than the idle) must not spoil later reads and writes.
TEST_F(ImapIdle, TimeoutLeavesTheSessionUsable) {
  const std::string user = new_user("idletimeout");
  ImapConfig c = config(user);
  c.timeouts.connect = milliseconds(1000);
  auto client = open_inbox(user, c);
  const auto start = Clock::now();
  auto r = client->idle(milliseconds(2500));
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(*r, IdleOutcome::timeout);
  EXPECT_GE(ms_since(start), 2400);
  EXPECT_TRUE(client->noop().has_value());
  EXPECT_TRUE(client->select("INBOX").has_value());
}

TEST_F(ImapIdle, NewMailSeenBeforeIdleReturnsAtOnce) {
  const std::string user = new_user("idlepending");
  auto client = open_inbox(user);
  drop_mail(maildir(user), make_mail(user, 1, "x\r\n"));
  // The EXISTS arrives as the answer to some other command, here NOOP.
  ASSERT_TRUE(eventually([&] { return client->noop().value_or(false); }));
  const auto start = Clock::now();
  EXPECT_EQ(client->idle(milliseconds(10'000)).value(), IdleOutcome::mailbox_changed);
  EXPECT_LT(ms_since(start), 1000);
  // After a search the hint is consumed: the next idle waits.
  EXPECT_EQ(client->search_uids_since(0).value().size(), 1u);
  EXPECT_EQ(client->idle(milliseconds(300)).value(), IdleOutcome::timeout);
}

}  // namespace
}  // namespace ticketd::transport::test
