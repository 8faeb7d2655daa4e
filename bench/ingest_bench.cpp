// ingest_bench: the store stage of a drain alone, no IMAP — mails read from
// files, prepared (parsed and hashed) up front, then stored into a fresh
// store in batches as the poller stores them (one transaction a batch, no
// savepoints, the same Ingestor). Prints the two stages' time per mail, so
// that a change to the store path can be measured (and profiled with perf
// or callgrind) without Dovecot's share in the figures.
//
//   ingest_bench CONFIG LIST [--db PATH] [--batch N] [--repeat R] [--cache-kib K]
//
// LIST names one mail file a line, in the order they arrived (a reply after
// the mail it answers; `bench/drain --keep` leaves 10,000 in its Dovecot's
// Processed folder, in the order of its dovecot-uidlist). CONFIG is a
// ticketd.toml; --db replaces its store path (the file is deleted first:
// every round starts empty; with --from STORE, from a copy of that store,
// e.g. one bench/bulk_tickets filled, to price what a big store costs).
// --exec SQL runs on the fresh store before the
// first mail (e.g. "DROP INDEX x", to price an index); PROFILE_SQL=1 prints
// the time spent in each statement (PROFILE_SQL=full: with its whole text). Instruction counts of
// the store stage alone, stable on a noisy machine:
//   valgrind --tool=callgrind --toggle-collect='*store_batch*' ingest_bench ...
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"
#include "daemon/ingest.h"
#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
std::map<std::string, std::pair<long, long>> prof;  // SQL -> (runs, ns), PROFILE_SQL=1

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// One batch as the poller stores it. Its own function so that callgrind
// can count it alone: valgrind --tool=callgrind --toggle-collect='*store_batch*'
[[gnu::noinline]] bool store_batch(ticketd::store::Store& st, ticketd::daemon::Ingestor& ingestor,
                                   const std::vector<ticketd::daemon::PreparedMail>& prepared,
                                   std::size_t from, std::size_t to, std::int64_t now) {
  ticketd::store::Batch tx(st, false);
  for (std::size_t j = from; j < to; ++j) {
    auto out = ingestor.ingest(
        prepared[j], now,
        [&](ticketd::store::Tx& t) { t.set_mailbox_position("support", 1, j + 1, now); }, "",
        false);
    if (!out) {
      std::fprintf(stderr, "mail %zu not stored: %s\n", j, out.error().detail.c_str());
      return false;
    }
  }
  tx.commit();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ticketd;
  constexpr const char* kUsage =
      "usage: ingest_bench CONFIG LIST [--db PATH] [--batch N] [--repeat R] [--cache-kib K] "
      "[--from STORE] [--exec SQL]...";
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--help") {
      std::puts(kUsage);
      return 0;
    }
    if (std::string_view(argv[i]) == "--version") {
      std::puts("ingest_bench " TICKETD_VERSION);
      return 0;
    }
  }
  if (argc < 3 || argc % 2 == 0) {
    std::fprintf(stderr, "%s\n", kUsage);
    return 64;
  }
  std::string db = "/tmp/ingest_bench.db";
  std::size_t batch = 2000;
  int repeat = 1;
  int cache_kib = 16 * 1024;
  std::vector<std::string> exec;  // --exec SQL: run on the fresh store (experiments)
  std::string from;               // --from STORE: each round starts from a copy of it
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--db")
      db = argv[i + 1];
    else if (k == "--batch")
      batch = std::max<std::size_t>(1, std::stoul(argv[i + 1]));
    else if (k == "--repeat")
      repeat = std::stoi(argv[i + 1]);
    else if (k == "--cache-kib")
      cache_kib = std::stoi(argv[i + 1]);
    else if (k == "--exec")
      exec.push_back(argv[i + 1]);
    else if (k == "--from")
      from = argv[i + 1];
    else {
      std::fprintf(stderr, "ingest_bench: unknown option %s\n%s\n", k.c_str(), kUsage);
      return 64;
    }
  }
  daemon::Config config;
  std::string secret;
  try {
    config = daemon::load_config(argv[1]);
    config.store.path = db;
    secret = daemon::load_or_create_secret(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ingest_bench: %s\n", e.what());
    return 78;  // EX_CONFIG
  }

  std::vector<std::string> bytes;
  {
    std::ifstream list(argv[2]);
    if (!list) {
      std::fprintf(stderr, "ingest_bench: cannot read %s\n", argv[2]);
      return 66;  // EX_NOINPUT
    }
    std::string path;
    while (std::getline(list, path)) {
      if (path.empty()) continue;
      std::ifstream f(path, std::ios::binary);
      if (!f) {
        std::fprintf(stderr, "ingest_bench: cannot read mail %s\n", path.c_str());
        return 66;
      }
      std::stringstream ss;
      ss << f.rdbuf();
      bytes.push_back(ss.str());
    }
  }
  std::size_t total = 0;
  for (const auto& b : bytes) total += b.size();

  for (int round = 0; round < repeat; ++round) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
    if (!from.empty()) {
      std::error_code ec;
      std::filesystem::copy_file(from, db, ec);
      if (ec) {
        std::fprintf(stderr, "ingest_bench: cannot copy %s: %s\n", from.c_str(),
                     ec.message().c_str());
        return 74;  // EX_IOERR
      }
    }
    auto t0 = Clock::now();
    std::vector<daemon::PreparedMail> prepared;
    prepared.reserve(bytes.size());
    for (const auto& b : bytes)
      prepared.push_back(daemon::prepare_mail(
          daemon::RawMail{b, static_cast<std::int64_t>(b.size()), false}, config));
    const double parse_ms = ms_since(t0);

    store::Store st(db, 5000);
    st.set_cache_kib(cache_kib);
    for (const auto& sql : exec) st.db().exec(sql.c_str());
    store::Checkpointer cp(st, db, 5000);
    daemon::Ingestor ingestor(st, config, secret);
    if (std::getenv("PROFILE_SQL"))
      sqlite3_trace_v2(
          st.db().handle(), SQLITE_TRACE_PROFILE,
          [](unsigned, void*, void* p, void* x) -> int {
            auto& e = prof[sqlite3_sql(static_cast<sqlite3_stmt*>(p))];
            e.first += 1;
            e.second += *static_cast<sqlite3_int64*>(x);
            return 0;
          },
          nullptr);
    double store_ms = 0, checkpoint_ms = 0;
    std::int64_t now = 1'800'000'000;
    for (std::size_t i = 0; i < prepared.size(); i += batch) {
      auto t1 = Clock::now();
      if (!store_batch(st, ingestor, prepared, i, std::min(prepared.size(), i + batch), now))
        return 70;
      store_ms += ms_since(t1);
      if (cp.due()) {
        auto t2 = Clock::now();
        cp.run();
        checkpoint_ms += ms_since(t2);
      }
    }
    const double n = static_cast<double>(prepared.size());
    std::printf(
        "round %d: %zu mails, %.1f MB; parse %.1f us/mail; store %.1f us/mail (%.0f msgs/s); "
        "checkpoint %.1f us/mail\n",
        round + 1, prepared.size(), total / 1e6, parse_ms * 1000 / n, store_ms * 1000 / n,
        n / (store_ms / 1000), checkpoint_ms * 1000 / n);
  }
  if (const char* how = std::getenv("PROFILE_SQL")) {
    const std::size_t width = std::string_view(how) == "full" ? std::string::npos : 150;
    std::vector<std::pair<long, std::string>> v;
    long total = 0;
    for (auto& [k, e] : prof)
      v.emplace_back(e.second, std::to_string(e.first) + "x " + k.substr(0, width)),
          total += e.second;
    std::sort(v.rbegin(), v.rend());
    std::printf("total %.1f ms in statements\n", total / 1e6);
    for (auto& [ns, k] : v) std::printf("%8.1f ms  %s\n", ns / 1e6, k.c_str());
  }
  return 0;
}
