// Group commit (issue 10): the IMAP poller stores a fetched batch in one
// transaction, first without savepoints (a mail that fails spoils the batch,
// which then commits nothing), and again with a savepoint per mail (a mail
// that fails rolls back alone; the others and their mailbox positions commit
// together); nothing of a batch is visible (or may be acknowledged) before
// its commit. Also the store's statement cache, the open-tickets-per-assignee
// counter that schema 5 keeps with triggers, the checkpointer that copies
// the log off the writer's thread, and the clock's candidates (schema 6).
// Real SQLite files, no mocks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "daemon/clock.h"
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

TEST_F(GroupCommit, WithoutSavepointsAFailedMailSpoilsTheWholeBatch) {
  {
    store::Batch batch(*store_, /*savepoints=*/false);
    EXPECT_TRUE(ingest(mail(1), 11));
    // Its rows are written before it fails: without a savepoint they cannot
    // be taken back alone, so nothing of the batch may commit.
    EXPECT_FALSE(ingest(mail(2), 12, /*fail=*/true));
    // The batch refuses further mail rather than store it beside the half.
    EXPECT_FALSE(ingest(mail(3), 13));
    EXPECT_THROW(batch.commit(), store::Error);
  }
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 0);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM raw_mail"), 0);
  EXPECT_EQ(position_elsewhere(), 0);
  // The poller's second attempt: the same mails with savepoints.
  {
    store::Batch batch(*store_, /*savepoints=*/true);
    EXPECT_TRUE(ingest(mail(1), 11));
    EXPECT_FALSE(ingest(mail(2), 12, /*fail=*/true));
    EXPECT_TRUE(ingest(mail(3), 13));
    batch.commit();
  }
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 2);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM messages WHERE message_id = 'm2@mail.example'"),
            0);
  EXPECT_EQ(position_elsewhere(), 13);
}

TEST_F(GroupCommit, WithoutSavepointsABatchCommitsLikeOne) {
  {
    store::Batch batch(*store_, /*savepoints=*/false);
    for (int i = 1; i <= 5; ++i) EXPECT_TRUE(ingest(mail(i), 50 + i));
    EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 0);
    batch.commit();
  }
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 5);
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM outbox WHERE kind = 'acknowledgement'"), 5);
  EXPECT_EQ(position_elsewhere(), 55);
}

TEST_F(GroupCommit, TheCheckpointerCopiesTheLogFromItsOwnConnection) {
  store::Checkpointer ckpt(*store_, config_.store.path, 100);
  auto wal_pages = [&] {
    int log = -1, done = -1;
    // PASSIVE with a null name only reports (and copies what it can).
    sqlite3_wal_checkpoint_v2(store_->db().handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                              &done);
    return log;
  };
  EXPECT_FALSE(ckpt.due());
  // The writer no longer checkpoints in its own commits: the log grows past
  // SQLite's automatic limit, and the checkpointer says it is due.
  const std::string big(8000, 'x');
  for (int i = 0; !ckpt.due() && i < 2000; ++i) {
    store::Batch batch(*store_, false);
    ASSERT_TRUE(ingest(mail(i) + big, i + 1));
    batch.commit();
  }
  ASSERT_TRUE(ckpt.due());
  ckpt.run();
  EXPECT_FALSE(ckpt.due());
  // Everything is in the database file now: the next write starts the log over.
  ASSERT_TRUE(ingest(mail(9999), 9999));
  EXPECT_LT(wal_pages(), store::Checkpointer::kDuePages / 10);
}

// After a pass of many batches the poller empties the log file beside its
// last move (the log is never started over while a pass writes, so it is as
// big as all the pass wrote, and freeing it at the close held `run --once`
// up). It does not wait for a connection that is using the store: it says
// so, and nothing is lost either way.
TEST_F(GroupCommit, TheCheckpointerEmptiesTheLogWhenNoOneUsesTheStore) {
  store::Checkpointer ckpt(*store_, config_.store.path, 2000);
  const std::string big(8000, 'x');
  for (int i = 1; i <= 40; ++i) {
    store::Batch batch(*store_, false);
    ASSERT_TRUE(ingest(mail(i) + big, i));
    batch.commit();
  }
  const fs::path wal = config_.store.path + "-wal";
  ASSERT_GT(fs::file_size(wal), 40u * 8000);
  // A reader in the middle of a transaction: the log cannot be emptied now,
  // and the call comes back at once instead of waiting 2 s for it.
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open(config_.store.path.c_str(), &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM tickets;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(ckpt.truncate_if_idle());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_GT(fs::file_size(wal), 40u * 8000);
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  // Alone: everything is copied into the database and the log file is empty.
  EXPECT_TRUE(ckpt.truncate_if_idle());
  EXPECT_EQ(fs::file_size(wal), 0u);
  EXPECT_FALSE(ckpt.due());
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 40);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(reader, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  sqlite3_close(reader);
  // The store goes on writing after it.
  ASSERT_TRUE(ingest(mail(41), 41));
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 41);
}

TEST_F(GroupCommit, TheClockLooksOnlyAtTicketsItMayChange) {
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(ingest(mail(i, "c" + std::to_string(i) + "@x.test"), i));
  {
    auto tx = store_->begin();
    lifecycle::Decisions pending, resolved, closed, answered;
    pending.state = lifecycle::State::pending;
    resolved.state = lifecycle::State::resolved;
    closed.state = lifecycle::State::closed;
    answered.first_response_at = now_;
    tx.apply_fields(2, pending, now_);
    tx.apply_fields(3, resolved, now_);
    tx.apply_fields(4, closed, now_);
    tx.apply_fields(5, answered, now_);
    tx.commit();
  }
  // Now: every ticket's first-response deadline is still ahead.
  EXPECT_EQ(store_->clock_candidates(now_), (std::vector<std::int64_t>{2, 3}));
  // Nine hours on (normal priority: first response within 8 h): the
  // unanswered open ones (1 and 6) are due as well; the answered one (5) and
  // the closed one (4) are not.
  const std::int64_t later = now_ + 9 * 3600;
  EXPECT_EQ(store_->clock_candidates(later), (std::vector<std::int64_t>{1, 2, 3, 6}));
  // The clock notes the overdue ones once: afterwards they are no candidates.
  daemon::run_clock(*store_, config_, "0123456789abcdef", later);
  EXPECT_EQ(store_->clock_candidates(later + 60), (std::vector<std::int64_t>{2, 3}));
  // Read through indexes, never a scan of every ticket.
  auto plan = store_->db().prepare(std::string("EXPLAIN QUERY PLAN ") + store::kClockCandidatesSql);
  while (plan.step()) EXPECT_EQ(plan.text(3).find("SCAN"), std::string::npos) << plan.text(3);
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

// The cache finds a literal by its address, but a heap string may reuse an
// address for other SQL: the text decides.
TEST_F(GroupCommit, CachedStatementsFollowTheTextNotItsAddress) {
  store::Db& db = store_->db();
  db.exec("CREATE TABLE t(x INTEGER)");
  for (int i = 1; i <= 3; ++i) db.prepare("INSERT INTO t(x) VALUES(?1)").bind(1, i).run();
  auto count = [&](const std::string& sql) {
    auto st = db.prepare(sql);
    return st.step() ? st.i64(0) : -1;
  };
  std::string sql;
  sql.reserve(128);
  const char* at = sql.data();
  sql = "SELECT COUNT(*) FROM t WHERE x = 1";
  EXPECT_EQ(count(sql), 1);
  sql = "SELECT COUNT(*) FROM t WHERE x > 1";  // same buffer, other statement
  ASSERT_EQ(sql.data(), at);
  EXPECT_EQ(count(sql), 2);
  sql = "SELECT COUNT(*) FROM t WHERE x = 1";
  EXPECT_EQ(count(sql), 1);
  EXPECT_EQ(count(std::string("SELECT COUNT(*) FROM t WHERE x > 1")), 2);  // another address
}

// The poller's connection commits without waiting for the disk and syncs
// the log itself, from its IMAP side, before it moves what it stored
// (Store::defer_commit_sync, sync_log); every other connection keeps
// synchronous=FULL. The sync runs beside a writer on the same store.
TEST_F(GroupCommit, DeferredSyncIsOneConnectionsAndTheLogSyncsBesideTheWriter) {
  ASSERT_TRUE(store_->defer_commit_sync());
  EXPECT_EQ(store_->pragma("synchronous"), "1");  // NORMAL
  store::Store other(config_.store.path, 100);
  EXPECT_EQ(other.pragma("synchronous"), "2");  // FULL
  {
    store::Batch batch(*store_, false);
    ASSERT_TRUE(ingest(mail(1), 1));
    batch.commit();
  }
  ASSERT_TRUE(fs::exists(config_.store.path + "-wal"));
  std::atomic<bool> writing{true};
  std::thread syncer([&] {
    int syncs = 0;
    while (writing.load() || syncs == 0) {
      EXPECT_NO_THROW(store_->sync_log());
      ++syncs;
    }
  });
  {
    store::Batch batch(*store_, false);
    for (int i = 2; i <= 50; ++i) ASSERT_TRUE(ingest(mail(i), i));
    batch.commit();
  }
  writing = false;
  syncer.join();
  EXPECT_EQ(count_elsewhere("SELECT COUNT(*) FROM tickets"), 50);
  EXPECT_EQ(position_elsewhere(), 50);
  EXPECT_FALSE(store_->defer_commit_sync(false));  // back to commits that sync
  EXPECT_EQ(store_->pragma("synchronous"), "2");
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
