// SQLite's allocator (store/sqlite_malloc.h): small blocks on per-thread
// lists. SQLite must work on it from several threads, with connections that
// move between threads (the checkpointer's does), and a thread must keep a
// bounded amount.
#include "store/sqlite_malloc.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite.h"

using namespace ticketd;
namespace fs = std::filesystem;

namespace {

class SqliteAllocator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ticketd-sqlite-malloc-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

std::string bytes_for(int key, std::size_t n) {
  std::mt19937 rng(static_cast<unsigned>(key));
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Rows of every size from 0 to 3 KiB (small and large blocks, records that
// grow by realloc), written and read back on one connection.
void round_trip(store::Db& db, int from, int to) {
  for (int k = from; k < to; ++k) {
    const std::string v = bytes_for(k, static_cast<std::size_t>(k * 7 % 3072));
    const std::string label = "row " + std::to_string(k);
    auto ins = db.prepare("INSERT INTO t(k, v, s) VALUES(?1, ?2, ?3)");
    ins.bind(1, k).bind_blob(2, v).bind(3, label);
    ins.run();
  }
  for (int k = from; k < to; ++k) {
    auto sel = db.prepare("SELECT v, s FROM t WHERE k = ?1");
    sel.bind(1, k);
    ASSERT_TRUE(sel.step()) << k;
    ASSERT_EQ(sel.blob(0), bytes_for(k, static_cast<std::size_t>(k * 7 % 3072))) << k;
    ASSERT_EQ(sel.text(1), "row " + std::to_string(k));
  }
}

}  // namespace

// Installed: blocks SQLite frees on this thread are kept for reuse (with
// SQLite's own allocator nothing would be).
TEST_F(SqliteAllocator, SqliteFreesIntoThePerThreadLists) {
  store::Db db(path("a.db"), 1000);
  db.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB, s TEXT)");
  round_trip(db, 0, 200);
  EXPECT_GT(store::sqlite_allocator_cached_bytes(), 0u);
  EXPECT_LE(store::sqlite_allocator_cached_bytes(), 256u << 10);
}

// Four threads, each with a connection of its own, and one connection that
// every thread uses in turn (blocks made on one thread freed on another);
// every byte read back is the byte written, and no thread keeps more than
// its bound.
TEST_F(SqliteAllocator, ThreadsAndAConnectionMovingBetweenThem) {
  store::Db shared(path("shared.db"), 5000);
  shared.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB, s TEXT)");
  std::mutex shared_mu;
  std::vector<std::thread> threads;
  std::vector<std::string> failures(4);
  std::vector<std::size_t> kept(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      try {
        store::Db own(path("own" + std::to_string(t) + ".db"), 5000);
        own.exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v BLOB, s TEXT)");
        for (int round = 0; round < 5; ++round) {
          round_trip(own, round * 100, round * 100 + 100);
          std::lock_guard lock(shared_mu);
          const int base = 10'000 * (t + 1) + round * 50;
          round_trip(shared, base, base + 50);
        }
        kept[static_cast<std::size_t>(t)] = store::sqlite_allocator_cached_bytes();
      } catch (const std::exception& e) {
        failures[static_cast<std::size_t>(t)] = e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    EXPECT_EQ(failures[static_cast<std::size_t>(t)], "") << "thread " << t;
    EXPECT_GT(kept[static_cast<std::size_t>(t)], 0u) << "thread " << t;
    EXPECT_LE(kept[static_cast<std::size_t>(t)], 256u << 10) << "thread " << t;
  }
  auto count = shared.prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.i64(0), 4 * 5 * 50);
  // The shared connection's statements were made on the workers' threads;
  // they are finalised here, on this one.
}

// What SQLite asks of an allocator (sqlite3_mem_methods): the size it
// reports covers the request, realloc keeps the bytes, both ways.
TEST_F(SqliteAllocator, SizesAndReallocKeepTheBytes) {
  store::Db db(path("b.db"), 1000);  // SQLite initialised with our allocator
  for (int n : {1, 8, 15, 16, 17, 500, 1024, 1025, 4000, 70000}) {
    auto* p = static_cast<unsigned char*>(sqlite3_malloc(n));
    ASSERT_NE(p, nullptr) << n;
    EXPECT_GE(sqlite3_msize(p), static_cast<sqlite3_uint64>(n));
    for (int i = 0; i < n; ++i) p[i] = static_cast<unsigned char>(i * 31 + n);
    for (int m : {n / 3 + 1, n * 2 + 5}) {
      auto* q = static_cast<unsigned char*>(sqlite3_malloc(n));
      ASSERT_NE(q, nullptr);
      std::memcpy(q, p, static_cast<std::size_t>(n));
      q = static_cast<unsigned char*>(sqlite3_realloc(q, m));
      ASSERT_NE(q, nullptr) << n << " -> " << m;
      EXPECT_GE(sqlite3_msize(q), static_cast<sqlite3_uint64>(m));
      for (int i = 0; i < std::min(n, m); ++i)
        ASSERT_EQ(q[i], static_cast<unsigned char>(i * 31 + n)) << n << " -> " << m << " at " << i;
      sqlite3_free(q);
    }
    sqlite3_free(p);
  }
  EXPECT_LE(store::sqlite_allocator_cached_bytes(), 256u << 10);
}
