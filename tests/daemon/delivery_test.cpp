// The outbox worker: backoff, the state after an attempt, VERP (pure), and
// one pass of deliver_due over a real SQLite file with an SMTP client that
// cannot connect.
#include "daemon/delivery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/ingest.h"
#include "daemon/outbound.h"
#include "daemon/verp.h"

namespace ticketd::daemon {
namespace {

Config settings() {
  Config c;
  c.outbox.max_attempts = 4;
  c.outbox.backoff_seconds = 60;
  c.outbox.backoff_max_seconds = 300;
  return c;
}

store::OutboxRow row() {
  store::OutboxRow r;
  r.id = 7;
  r.kind = "acknowledgement";
  r.message_id = "TD-1001.acknowledgement.0011223344556677@ticketd.example.com";
  r.to = {"karen@example.com"};
  return r;
}

TEST(Backoff, DoublesAndCaps) {
  const Config c = settings();
  EXPECT_EQ(backoff_seconds(1, c), 60);
  EXPECT_EQ(backoff_seconds(2, c), 120);
  EXPECT_EQ(backoff_seconds(3, c), 240);
  EXPECT_EQ(backoff_seconds(4, c), 300);
  EXPECT_EQ(backoff_seconds(40, c), 300);  // no overflow, capped
}

TEST(NextState, DeliveredToEveryoneIsSent) {
  Attempt a{Attempt::delivered, 250, "", {{"karen@example.com", "sent", 250, "250 queued"}}};
  auto r = next_state(row(), {"karen@example.com"}, a, settings(), 1000);
  EXPECT_EQ(r.row.state, "sent");
  EXPECT_EQ(r.row.attempts, 1);
  EXPECT_EQ(r.row.sent_at, 1000);
  EXPECT_FALSE(r.row.next_attempt_at);
  EXPECT_TRUE(r.row.last_error.empty());
}

TEST(NextState, TemporaryDefersWithBackoffThenDies) {
  const Config c = settings();
  Attempt a{Attempt::temporary, 450, "mailbox busy", {}};
  store::OutboxRow r = row();
  for (int i = 1; i < c.outbox.max_attempts; ++i) {
    auto res = next_state(r, {"karen@example.com"}, a, c, 1000);
    r = res.row;
    EXPECT_EQ(r.state, "deferred");
    EXPECT_EQ(r.attempts, i);
    EXPECT_EQ(r.next_attempt_at, 1000 + backoff_seconds(i, c));
    ASSERT_EQ(res.recipients.size(), 1u);
    EXPECT_EQ(res.recipients[0].status, "deferred");
    EXPECT_NE(r.last_error.find("450"), std::string::npos);
  }
  auto last = next_state(r, {"karen@example.com"}, a, c, 1000);
  EXPECT_EQ(last.row.state, "dead");
  EXPECT_NE(last.row.last_error.find("gave up after 4 attempts"), std::string::npos);
}

TEST(NextState, PermanentIsDeadAtOnce) {
  Attempt a{Attempt::permanent, 550, "no such user", {}};
  auto r = next_state(row(), {"karen@example.com"}, a, settings(), 1000);
  EXPECT_EQ(r.row.state, "dead");
  EXPECT_EQ(r.row.attempts, 1);
  EXPECT_EQ(r.recipients.at(0).status, "failed");
}

TEST(NextState, TransportFaultIsNotCharged) {
  Attempt a{Attempt::transport, 535, "auth: refused", {}};
  auto r = next_state(row(), {"karen@example.com"}, a, settings(), 1000);
  EXPECT_EQ(r.row.state, "deferred");
  EXPECT_EQ(r.row.attempts, 0);
  EXPECT_EQ(r.row.next_attempt_at, 1060);
}

TEST(NextState, MixedRecipients) {
  // One took it, one refused for good, one busy: the row waits for the busy one.
  Attempt a{Attempt::delivered,
            250,
            "",
            {{"a@example.com", "sent", 250, ""},
             {"b@example.com", "failed", 550, "no such user"},
             {"c@example.com", "deferred", 450, "busy"}}};
  auto r =
      next_state(row(), {"a@example.com", "b@example.com", "c@example.com"}, a, settings(), 1000);
  EXPECT_EQ(r.row.state, "deferred");
  EXPECT_NE(r.row.last_error.find("b@example.com: 550"), std::string::npos);
  EXPECT_NE(r.row.last_error.find("c@example.com: 450"), std::string::npos);
  EXPECT_EQ(r.recipients.size(), 3u);
  // Without the busy one the mail counts as sent, with the refusal noted.
  a.recipients.pop_back();
  r = next_state(row(), {"a@example.com", "b@example.com"}, a, settings(), 1000);
  EXPECT_EQ(r.row.state, "sent");
  EXPECT_NE(r.row.last_error.find("550"), std::string::npos);
}

TEST(Verp, RoundTripAndForgery) {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  const std::string a = verp_address("support@example.com", secret, 42);
  ASSERT_TRUE(a.starts_with("support+bounce-42-")) << a;
  ASSERT_TRUE(a.ends_with("@example.com")) << a;
  const std::string token = a.substr(8, a.find('@') - 8);
  EXPECT_EQ(verp_row({"sometoken", token}, secret), 42);
  EXPECT_FALSE(verp_row({token}, "another-secret-another-secret-xx"));
  std::string forged = token;
  forged[forged.size() - 1] = forged.back() == 'a' ? 'b' : 'a';
  EXPECT_FALSE(verp_row({forged}, secret));
  EXPECT_FALSE(verp_row({"bounce-43-" + token.substr(token.rfind('-') + 1)}, secret));
  EXPECT_FALSE(verp_row({"bounce--x", "bounce-x-y", "bounce-42"}, secret));
}

// The claim and the frozen bytes commit together before SMTP is tried: a
// server that cannot be reached leaves the row deferred with its mail frozen
// (a resend is the same mail), the claim released, no attempt charged for
// our own configuration's fault.
TEST(DeliverDue, ClaimAndFrozenMailCommitBeforeSmtp) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("ticketd-deliver-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Config c = settings();
  c.store.path = (dir / "t.db").string();
  c.support.address = "support@example.com";
  const std::string secret = "0123456789abcdef0123456789abcdef";
  {
    store::Store store(c.store.path, 100);
    Ingestor ingestor(store, c, secret);
    const std::string mail =
        "From: Karen Jones <karen@example.com>\nTo: support@example.com\nSubject: Locked "
        "out\nMessage-ID: <k1@mail.example>\nDate: Tue, 24 Nov 2026 09:15:00 +0100\n\nHelp.\n";
    ASSERT_TRUE(ingestor.ingest({mail, static_cast<std::int64_t>(mail.size()), false}, 1000));
    auto set = load_templates(c);
    ASSERT_TRUE(set) << set.error();
    transport::SmtpConfig sc;
    sc.url = "ftp://nowhere";  // refused before connecting: status config
    transport::SmtpClient smtp(sc);
    const DeliveryPass p = deliver_due(store, c, secret, *set, smtp, 1000);
    ASSERT_GT(p.due, 0);
    EXPECT_EQ(p.sent, 0);
    EXPECT_EQ(p.deferred, p.due);
    const auto later = store.due_outbox(2000, 10);
    EXPECT_EQ(static_cast<int>(later.size()), p.due);
    for (const auto& r : later) {
      EXPECT_TRUE(store.outbox_frozen(r.id)) << r.id;
      const auto row = store.outbox_row(r.id);
      EXPECT_EQ(row->state, "deferred");
      EXPECT_EQ(row->attempts, 0);  // transport fault: not charged
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ticketd::daemon
