// Group commit (issue 10): the IMAP poller stores a fetched batch in one
// transaction, each mail a savepoint of it. A mail that fails rolls back
// alone; the others and their mailbox positions commit together; nothing of
// a batch is visible (or may be acknowledged) before its commit. Also the
// store's statement cache and the open-tickets-per-assignee counter that
// schema 5 keeps with triggers. Real SQLite files, no mocks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "daemon/ingest.h"
#include "store/store.h"

using namespace ticketd;
namespace fs = std::filesystem;

namespace {

std::string mail(int n, const std::string& from = "karen@example.com") {
  return "From: Customer " + std::to_string(n) + " <" + from + ">\nTo: support@example.com\n" +
         "Subject: problem number " + std::to_string(n) +
         "\nDate: Tue, 24 Nov 2026 09:15:00 +0100\nMessage-ID: <m" + std::to_string(n) +
         "@mail.example>\nMIME-Version: 1.0\nContent-Type: text/plain\n\nbody " +
         std::to_string(n) + "\n";
}

class GroupCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ticketd-group-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    config_.store.path = (dir_ / "t.db").string();
    config_.support.address = "support@example.com";
    store_ = std::make_unique<store::Store>(config_.store.path, 100);
    ingestor_ = std::make_unique<daemon::Ingestor>(*store_, config_, "0123456789abcdef");
  }
  void TearDown() override {
    ingestor_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }
  // Ingests `raw` with its mailbox position (uid) in the same transaction;
  // `fail` makes the store refuse it after its rows were written.
  bool ingest(const std::string& raw, std::int64_t uid, bool fail = false) {
    auto r = ingestor_->ingest({raw, static_cast<std::int64_t>(raw.size()), false}, now_++,
                               [&](store::Tx& tx) {
                                 tx.set_mailbox_position("support", 7, uid, now_);
                                 if (fail) throw store::Error(SQLITE_FULL, "disk full (test)");
                               });
    return r.has_value();
  }
  // What another connection (ticketctl, a restarted daemon) sees.
  std::int64_t count_elsewhere(const char* sql) {
    store::Db other(config_.store.path, 100, true);
    auto st = other.prepare(sql);
    return st.step() ? st.i64(0) : -1;
  }
  std::int64_t position_elsewhere() {
    return count_elsewhere("SELECT COALESCE(MAX(last_uid), 0) FROM mailboxes");
  }

  fs::path dir_;
  daemon::Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<daemon::Ingestor> ingestor_;
  std::int64_t now_ = 1'800'000'000;
};

TEST_F(GroupCommit, AMailThatFailsRollsBackAloneTheOthersCommitWithTheirPositions) {
  {
    store::Batch batch(*store_);
    EXPECT_TRUE(ingest(mail(1), 11));
    EXPECT_FALSE(ingest(mail(2), 12, /*fail=*/true));
    EXPECT_TRUE(ingest(mail(3), 13));
    batch.commit();
  }
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 2);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM raw_mail"), 2);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM messages WHERE message_id = 'm2@mail.example'"),
            0);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM events WHERE detail LIKE '%m2@mail.example%'"),
            0);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM outbox WHERE kind = 'acknowledgement'"), 2);
  EXPECT_EQ(position_elsewhere(), 13);
  // The refused mail comes again in the next pass and is stored then.
  EXPECT_TRUE(ingest(mail(2), 12));
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 3);
}

TEST_F(GroupCommit, NothingIsVisibleBeforeTheCommitAndAnAbandonedBatchLeavesNothing) {
  {
    store::Batch batch(*store_);
    EXPECT_TRUE(ingest(mail(1), 21));
    EXPECT_TRUE(ingest(mail(2), 22));
    // Another connection: the mails are not stored yet, so they must not be
    // acknowledged (moved on the IMAP server) yet.
    EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 0);
    EXPECT_EQ(position_elsewhere(), 0);
  }  // destroyed without commit (a crash, a failed commit)
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 0);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM raw_mail"), 0);
  EXPECT_EQ(position_elsewhere(), 0);
  // The store is usable afterwards, in a batch or alone.
  {
    store::Batch batch(*store_);
    EXPECT_TRUE(ingest(mail(1), 21));
    batch.commit();
  }
  EXPECT_TRUE(ingest(mail(2), 22));
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 2);
  EXPECT_EQ(position_elsewhere(), 22);
}

TEST_F(GroupCommit, DuplicatesInsideOneBatchAreRecognised) {
  store::Batch batch(*store_);
  EXPECT_TRUE(ingest(mail(1), 31));
  auto again = ingestor_->ingest({mail(1), static_cast<std::int64_t>(mail(1).size()), false}, now_);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->result, daemon::IngestResult::duplicate);
  batch.commit();
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM raw_mail"), 1);
}

TEST_F(GroupCommit, OneBatchAtATime) {
  store::Batch batch(*store_);
  EXPECT_THROW(store::Batch second(*store_), store::Error);
}

TEST_F(GroupCommit, OutsideABatchEachMailIsItsOwnTransaction) {
  EXPECT_TRUE(ingest(mail(1), 41));
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_FALSE(ingest(mail(2), 42, /*fail=*/true));
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(position_elsewhere(), 41);
}

TEST_F(GroupCommit, CachedStatementsNestAndRebind) {
  store::Db& db = store_->db();
  db.exec("CREATE TABLE t(x INTEGER)");
  for (int i = 0; i < 3; ++i) db.prepare("INSERT INTO t(x) VALUES(?1)").bind(1, i).run();
  const char* sql = "SELECT x FROM t WHERE x >= ?1 ORDER BY x";
  auto outer = db.prepare(sql);
  outer.bind(1, 1);
  std::vector<std::int64_t> seen;
  while (outer.step()) {
    auto inner = db.prepare(sql);  // the same SQL while the first is running
    inner.bind(1, outer.i64(0));
    while (inner.step()) seen.push_back(outer.i64(0) * 10 + inner.i64(0));
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{11, 12, 22}));
  auto again = db.prepare(sql);  // handed back reset, bindings cleared
  again.bind(1, 2);
  ASSERT_TRUE(again.step());
  EXPECT_EQ(again.i64(0), 2);
}

TEST_F(GroupCommit, OpenTicketsPerAssigneeFollowAssignmentAndState) {
  auto direct = [&](const std::string& who) {
    auto st = store_->db().prepare(
        "SELECT COUNT(*) FROM tickets WHERE assignee = ?1 AND state IN ('new','open','pending')");
    st.bind(1, who);
    st.step();
    return static_cast<int>(st.i64(0));
  };
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(ingest(mail(i, "c" + std::to_string(i) + "@x.test"), i));
  auto tx = store_->begin();
  auto set = [&](std::int64_t id, const char* assignee, lifecycle::State state) {
    lifecycle::Decisions d;
    d.assignee = assignee;
    d.state = state;
    tx.apply_fields(id, d, now_);
  };
  set(1, "nick@example.com", lifecycle::State::open);
  set(2, "nick@example.com", lifecycle::State::pending);
  set(3, "priya@example.com", lifecycle::State::open);
  set(4, "nick@example.com", lifecycle::State::resolved);
  set(3, "nick@example.com", lifecycle::State::open);  // reassigned
  set(1, "nick@example.com", lifecycle::State::closed);
  auto state = tx.assignment_state();
  tx.commit();
  EXPECT_EQ(state.open_tickets["nick@example.com"], direct("nick@example.com"));
  EXPECT_EQ(state.open_tickets["nick@example.com"], 2);
  EXPECT_EQ(state.open_tickets.count("priya@example.com"), 0u);
}

}  // namespace
