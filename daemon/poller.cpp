#include "daemon/poller.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <deque>
#include <functional>
#include <future>
#include <optional>

#include "daemon/crash_point.h"
#include "transport/curl_util.h"

namespace ticketd::daemon {

namespace {

using transport::ImapErrorKind;

std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

PassResult failed(const transport::ImapError& e) {
  PassResult r;
  r.ok = false;
  r.error_kind = e.kind;
  r.error = std::string(transport::imap_error_kind_name(e.kind)) + ": " + e.detail;
  return r;
}

// One fetched batch is one transaction (group commit, one fsync);
// [daemon] batch_mails sets its size. 2,000 (the default)
// mails of everyday size are ~12 MB and ~0.3 s of work, short enough that a
// pipe mode writer waiting for the lock stays far below its busy timeout
// (5 s), and a crash re-fetches at most that. Before (50 mails, a
// transaction each) the fsyncs were ~90% of a drain (bench/drain: 108
// msgs/s); with 500 a batch, commits were still a third of it. The first
// batch of a pass is small, so that the pipeline (fetch and parse beside the
// store) starts at once and a mail that arrives alone is not held back.
constexpr std::size_t kFirstBatchMails = 250;
constexpr std::size_t kBatchBytes = 32u << 20;
constexpr std::size_t kParseSplitMails = 64;  // from this many a batch is parsed on two threads

void name_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

long ms(std::chrono::steady_clock::duration d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

std::vector<std::size_t> plan_pass_chunks(std::size_t n, std::size_t batch, std::size_t first) {
  batch = std::max<std::size_t>(batch, 1);
  first = std::clamp<std::size_t>(first, 1, batch);
  // Storing a mail costs ~2x listing, fetching and parsing it (bench/drain):
  // a chunk of twice the one being stored is fetched in about its time.
  std::vector<std::size_t> head, tail;
  for (std::size_t step = first; step < batch && n > 0; step *= 2) {
    const std::size_t front = std::min(step, n);
    head.push_back(front);
    n -= front;
    const std::size_t back = std::min(step, n);
    if (back > 0) tail.push_back(back);
    n -= back;
  }
  // The rest in as few chunks as the batch size allows, all of one size:
  // a short one among them would leave the store waiting for the move of
  // the full one before it.
  if (n > 0) {
    const std::size_t chunks = (n + batch - 1) / batch;
    for (std::size_t i = 0; i < chunks; ++i) head.push_back(n / chunks + (i < n % chunks ? 1 : 0));
  }
  head.insert(head.end(), tail.rbegin(), tail.rend());
  return head;
}

std::expected<transport::ImapConfig, std::string> imap_config(const Config& config,
                                                              const Config::Mailbox& m) {
  transport::ImapConfig c;
  c.url = m.url;
  c.username = m.username;
  c.ca_file = m.ca_file;
  c.allow_plaintext_loopback = m.tls == "none";
  for (auto [file, target] : {std::pair{&m.password_file, &c.password},
                              std::pair{&m.oauth2_token_file, &c.oauth2_bearer}}) {
    if (file->empty()) continue;
    auto secret = transport::read_secret_file(*file);
    if (!secret)
      return std::unexpected(config.file + ": mailbox " + m.name + ": " + secret.error());
    *target = std::move(*secret);
  }
  c.limits.idle_max = std::chrono::minutes(config.daemon.idle_minutes);
  c.limits.poll_interval = std::chrono::seconds(config.daemon.poll_interval_seconds);
  c.limits.max_literal_bytes = static_cast<std::size_t>(config.limits.max_message_bytes) + 4096;
  c.limits.fetch_batch_count = static_cast<std::size_t>(config.daemon.batch_mails);
  return c;
}

Poller::Poller(std::shared_ptr<const Config> config, const Config::Mailbox& mailbox,
               transport::ImapConfig imap, std::string secret, std::function<void()> nudge)
    : config_(std::move(config)),
      mailbox_(mailbox),
      secret_(secret),
      nudge_(std::move(nudge)),
      store_(config_->store.path, static_cast<int>(config_->store.busy_timeout_ms)),
      checkpointer_(store_, config_->store.path, static_cast<int>(config_->store.busy_timeout_ms)),
      ingestor_(store_, *config_, std::move(secret)),
      imap_([&] {
        imap.cancelled = [this] { return stop_.load(); };  // stop_ is read only later
        return std::move(imap);
      }()) {
  // 16 MiB of page cache: a batch of mail touches more than SQLite's default
  // 2 MiB, and each page it evicted was read back with a pread()
  // (bench/drain). Only here: pipe mode stores one mail a process, and a
  // big one would fill the cache with pages it never reads again
  // (bench/memory: +14 MiB for a 25 MB mail).
  store_.set_cache_kib(16 * 1024);
}

Poller::~Poller() { imap_.logout(); }

void Poller::stop() {
  stop_ = true;
  imap_.interrupt();
  std::lock_guard lock(mu_);
  cv_.notify_all();
}

PassResult Poller::connect_and_select() {
  if (imap_.connected()) return {};
  if (auto c = imap_.connect(); !c) return failed(c.error());
  auto info = imap_.select(mailbox_.folder);
  if (!info) return failed(info.error());
  // Back, logged as soon as it is (before the mail that waited is stored).
  if (!down_.empty()) {
    spdlog::warn("imap_up stage=fetch mailbox={} failures={}: reconnected", mailbox_.name,
                 failures_);
    down_.clear();
  }
  auto pos = store_.mailbox_position(mailbox_.name);
  if (pos && pos->uidvalidity != info->uidvalidity)
    spdlog::warn(
        "uidvalidity_changed stage=fetch mailbox={} old={} new={}: full rescan, the dedupe "
        "absorbs what was stored before",
        mailbox_.name, pos->uidvalidity, info->uidvalidity);
  return {};
}

PassResult Poller::pass() {
  // Named threads: `top -H` and `perf report --sort comm` tell the stages
  // apart. Not the main thread (`run --once`): its name is the process's.
  if (::gettid() != ::getpid()) name_thread("td-store");
  if (last_copy_.valid()) last_copy_.get();  // the copy after the last pass
  PassResult r = connect_and_select();
  if (!r.ok) return r;
  // Everything still in the folder is work: processed mail leaves it (or gets
  // the keyword), so a mail stored before a crash but not moved is found again
  // and the dedupe recognises it.
  auto uids = mailbox_.processed_folder.empty() ? imap_.search_uids_without(mailbox_.keyword)
                                                : imap_.search_uids_since(0);
  if (!uids) return failed(uids.error());
  if (uids->empty()) return r;
  // The work, in UID order: chunks whose sizes are not listed yet, and
  // batches planned from a listed chunk. Sizes are listed a chunk at a time
  // on the IMAP side: Dovecot reads a mail it has not indexed to size it
  // (~25 us a mail), which for 10,000 new mails listed at once was 0.3 s
  // before the first fetch (bench/drain). The first chunk is small, so that
  // the pipeline starts at once and a mail that arrives alone is not held
  // back.
  const auto batch_mails = static_cast<std::size_t>(config_->daemon.batch_mails);
  std::deque<Work> queue;
  {
    auto next = uids->begin();
    for (std::size_t n : plan_pass_chunks(uids->size(), batch_mails, kFirstBatchMails)) {
      queue.push_back(
          {std::vector<std::uint32_t>(next, next + static_cast<std::ptrdiff_t>(n)), false});
      next += static_cast<std::ptrdiff_t>(n);
    }
  }
  // A pass of more than one batch commits without waiting for the disk:
  // mark_processed() syncs the log before it moves a batch, on the IMAP
  // side, beside the next fetch. A single batch (mail that arrived alone)
  // has nothing to overlap: its commit syncs, and the outbox's claim right
  // after it has the disk to itself (bench/latency).
  deferred_sync_ = store_.defer_commit_sync(queue.size() > 1);
  // One step of the IMAP side: the next batch (its chunk's sizes first when
  // they are not listed yet), fetched and parsed. Parsing (a pure step)
  // runs here too: the store thread only writes. Mails over the size limit
  // are returned for the store thread to quarantine (it owns the store).
  // `beside`, when given, runs on a thread of its own while the fetched
  // mail is parsed (it may use the IMAP client: parsing does not); it does
  // not run when no mail was fetched.
  auto next_batch = [this, &queue, batch_mails](const std::function<void()>& beside = {}) {
    Step step;
    Work w = std::move(queue.front());
    queue.pop_front();
    auto t = std::chrono::steady_clock::now();
    auto lap = [&t](std::chrono::steady_clock::duration& into) {
      const auto now = std::chrono::steady_clock::now();
      into += now - t;
      t = now;
    };
    if (!w.sized) {
      auto sizes = imap_.fetch_sizes(w.uids);
      lap(step.listing);
      if (!sizes) {
        step.error = sizes.error();
        return step;
      }
      std::vector<transport::UidSize> fitting;
      for (const auto& m : *sizes) {
        if (static_cast<std::int64_t>(m.size) > config_->limits.max_message_bytes)
          step.oversized.push_back(m);
        else
          fitting.push_back(m);
      }
      auto batches = transport::plan_fetch_batches(fitting, batch_mails, kBatchBytes);
      for (std::size_t i = batches.size(); i-- > 1;)
        queue.push_front({std::move(batches[i]), true});
      w.uids = batches.empty() ? std::vector<std::uint32_t>{} : std::move(batches.front());
    }
    step.parsed = std::make_unique<Fetched>();
    if (w.uids.empty()) return step;
    auto fetched = imap_.fetch(w.uids);
    lap(step.fetching);
    if (!fetched) {
      step.error = fetched.error();
      return step;
    }
    Fetched& out = *step.parsed;
    out.mails = std::move(*fetched);
    const std::size_t n = out.mails.size();
    out.prepared.resize(n);
    auto parse = [&out, this](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        const auto& bytes = out.mails[i].bytes;
        out.prepared[i] =
            prepare_mail(RawMail{bytes, static_cast<std::int64_t>(bytes.size()), false}, *config_);
      }
    };
    std::future<void> beside_done;
    if (beside)
      beside_done = std::async(std::launch::async, [&beside] {
        name_thread("td-move");
        beside();
      });
    // A big batch is parsed on two threads (the parser is pure; its charset
    // converters are per thread): parsing was a third of this side's time,
    // and while the side runs late the store thread has nothing to do.
    const std::size_t half = n >= kParseSplitMails ? n / 2 : n;
    std::future<void> other;
    if (half < n)
      other = std::async(std::launch::async, [&parse, half, n] {
        name_thread("td-parse");
        parse(half, n);
      });
    parse(0, half);
    if (other.valid()) other.get();
    lap(step.parsing);
    if (beside_done.valid()) beside_done.get();
    crash_point("after_fetch");
    return step;
  };
  // Pipelined, two stages on two threads: while this thread stores batch k
  // (store, commit), the IMAP side lists, fetches and parses batch k+1 and
  // then moves batch k-1 — committed before the side started and synced
  // to disk beside the fetch, so nothing is acknowledged before it is
  // durable. Dovecot's work then overlaps ours
  // instead of adding to it (bench/drain). The IMAP client is used by one
  // thread at a time: this one touches it only when the side is joined.
  auto quarantine_all = [&](const std::vector<transport::UidSize>& oversized) {
    for (const auto& m : oversized) {
      if (stop_ || !r.ok) return;
      quarantine_oversized(m, r);
    }
  };
  Step first = next_batch();
  if (first.error) return failed(*first.error);
  quarantine_all(first.oversized);
  if (!r.ok || stop_) return r;
  std::unique_ptr<Fetched> mails = std::move(first.parsed);
  // The log is copied into the database on a third thread, beside both
  // stages (the checkpointer has its own connection); in the IMAP side's
  // path it held the next batch back by its whole time. One at a time,
  // started as soon as a batch has committed.
  std::future<void> checkpoint;
  auto start_checkpoint = [&] {
    if (!checkpointer_.due()) return;
    if (checkpoint.valid()) {
      if (checkpoint.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
      checkpoint.get();
    }
    checkpoint = std::async(std::launch::async, [this] {
      name_thread("td-checkpoint");
      checkpointer_.run();
    });
  };
  std::vector<std::uint32_t> to_move;                    // committed, not yet moved
  const auto uidvalidity = imap_.mailbox().uidvalidity;  // read here: the side uses imap_
  for (;;) {
    struct Side {
      PassResult moved;
      std::optional<Step> next;
      std::chrono::steady_clock::duration took{}, moving{};
    };
    const bool more = !queue.empty() && !stop_;
    auto side = std::async(std::launch::async, [&, moving = std::move(to_move)]() mutable {
      name_thread("td-imap");
      Side out;
      const auto t0 = std::chrono::steady_clock::now();
      // The fsync of the last commit (the store thread did not wait for it)
      // runs beside the fetch of the next batch; the move waits for both.
      std::future<void> synced;
      if (!moving.empty() && deferred_sync_)
        synced = std::async(std::launch::async, [this] {
          name_thread("td-sync");
          store_.sync_log();
        });
      // The move of the batch before runs beside the parse of this one:
      // the move waits for the server, the parse is our CPU, and one after
      // the other they made the side (what holds a moving drain back) the
      // parse's time longer (bench/drain, docs/benchmarks.md).
      bool moved = moving.empty();
      auto move = [&] {
        const auto m0 = std::chrono::steady_clock::now();
        mark_processed(moving, mailbox_.processed_folder, out.moved, &synced);
        out.moving = std::chrono::steady_clock::now() - m0;
        moved = true;
      };
      if (more) out.next = moved ? next_batch() : next_batch(move);
      if (!moved) move();  // nothing was fetched (or the last batch)
      out.took = std::chrono::steady_clock::now() - t0;
      return out;
    });
    to_move.clear();
    const auto s0 = std::chrono::steady_clock::now();
    const bool all_stored = store_batch(*mails, uidvalidity, r, to_move);
    const auto s1 = std::chrono::steady_clock::now();
    // When this thread has to wait for the IMAP side anyway (it moves and
    // fetches slower than we store), it also waits for the copy of what it
    // just committed: the log is then wholly copied when the next batch
    // begins, and SQLite starts it over from its first page instead of
    // appending. A log that only grows (~160 MB over 10,000 mails) costs
    // the kernel new page-cache pages and blocks at every commit
    // (ingest_bench: store 6% slower with no checkpoint between batches);
    // bench/drain, 8 interleaved drains each: ticketd's CPU -7.6%, the
    // machine's -9%. When the side is ready first, the copy runs beside the
    // next batch as before: the store thread, then the bound, never waits
    // for it (waiting at every batch made flagging 9% slower; waiting no
    // longer than the side took made moving slower: docs/benchmarks.md).
    const bool side_late = side.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
    start_checkpoint();
    Side got = side.get();
    if (side_late && checkpoint.valid()) checkpoint.get();
    // Which stage holds the pipeline back: the store (waited_ms 0) or the
    // IMAP side (list, fetch and parse the next batch, sync and move the one
    // before: side_ms, and its parts; waited_ms then includes the log's copy).
    spdlog::debug(
        "batch stage=persist mailbox={} count={} store_ms={} side_ms={} waited_ms={} list_ms={} "
        "fetch_ms={} parse_ms={} move_ms={}",
        mailbox_.name, mails->mails.size(), ms(s1 - s0), ms(got.took),
        ms(std::chrono::steady_clock::now() - s1), got.next ? ms(got.next->listing) : 0,
        got.next ? ms(got.next->fetching) : 0, got.next ? ms(got.next->parsing) : 0,
        ms(got.moving));
    if (!got.moved.ok) {
      // Stored but still in the folder: the next pass finds them, the
      // dedupe recognises them, and the move is tried again.
      r = got.moved;
      return r;
    }
    r.moved += got.moved.moved;
    if (!all_stored || !got.next || stop_) break;
    if (got.next->error) {
      r = failed(*got.next->error);
      break;
    }
    quarantine_all(got.next->oversized);
    if (!r.ok) break;
    mails = std::move(got.next->parsed);
  }
  // The last move and the log's copy into the database run side by side,
  // and the copy goes on after the pass (joined by the next pass or the
  // destructor): nothing else overlaps them. After a pass of several
  // batches the whole rest of the log is copied and the log file emptied,
  // not left for the close of the last connection (`run --once`), which did
  // both one thing after the other: the copy into places all over a big
  // file, and freeing a log as big as all the pass wrote
  // (Checkpointer::truncate_if_idle; bench/drain).
  last_copy_ = std::async(std::launch::async,
                          [this, running = std::move(checkpoint), all = deferred_sync_]() mutable {
                            name_thread("td-checkpoint");
                            if (running.valid()) running.get();  // one copy at a time
                            if (!all) {
                              if (checkpointer_.due()) checkpointer_.run();
                            } else if (!checkpointer_.truncate_if_idle()) {
                              checkpointer_.run();  // another connection is busy: what it allows
                            }
                          });
  if (!to_move.empty()) {
    PassResult moved;
    mark_processed(to_move, mailbox_.processed_folder, moved);
    if (!moved.ok) return moved;
    r.moved += moved.moved;
  }
  return r;
}

// Stores the batch in one transaction and commits; `done` gets the UIDs
// committed, for the caller to move or flag. False when the store refused a
// mail or the commit: the rest stay for the next pass.
// First without savepoints (a savepoint journals every page a mail touches:
// ~1/3 of the CPU of a drain, bench/drain). When a mail fails there, the
// batch is rolled back and stored again with a savepoint per mail, so the
// mails before the failing one are kept and it alone rolls back.
bool Poller::store_batch(const Fetched& batch, std::uint32_t uidvalidity, PassResult& r,
                         std::vector<std::uint32_t>& done) {
  Stored s = store_attempt(batch, uidvalidity, false, r, done);
  if (s == Stored::spoiled) {
    spdlog::warn(
        "batch_retry stage=persist mailbox={} count={}: a mail failed; the batch is rolled back "
        "and stored again mail by mail",
        mailbox_.name, batch.mails.size());
    s = store_attempt(batch, uidvalidity, true, r, done);
  }
  return s == Stored::all;
}

Poller::Stored Poller::store_attempt(const Fetched& batch, std::uint32_t uidvalidity,
                                     bool savepoints, PassResult& r,
                                     std::vector<std::uint32_t>& done) {
  done.clear();
  PassResult tally;
  Stored result = Stored::all;
  // mail_stored lines are written once the batch has committed: a line in
  // the log is a mail on disk.
  std::vector<std::pair<IngestOutcome, std::string>> stored;
  stored.reserve(batch.mails.size());
  try {
    store::Batch tx(store_, savepoints);
    for (std::size_t i = 0; i < batch.mails.size(); ++i) {
      if (stop_) {
        result = Stored::some;
        break;
      }
      const auto& m = batch.mails[i];
      std::string where = "mailbox=" + mailbox_.name + " uid=" + std::to_string(m.uid);
      auto out = ingestor_.ingest(
          batch.prepared[i], wall_now(),
          [&](store::Tx& t) {
            t.set_mailbox_position(mailbox_.name, uidvalidity, m.uid, wall_now());
          },
          where, false);
      if (!out) {
        if (!savepoints) return Stored::spoiled;  // ~Batch rolls back
        spdlog::error(
            "mail_not_stored stage=persist {} error=\"{}\": left on the server for the "
            "next pass",
            where, out.error().detail);
        result = Stored::some;
        break;
      }
      done.push_back(m.uid);
      if (out->result == IngestResult::duplicate)
        ++tally.duplicates;
      else if (out->result == IngestResult::quarantined)
        ++tally.quarantined;
      else
        ++tally.stored;
      stored.emplace_back(std::move(*out), std::move(where));
    }
    if (!done.empty()) {
      tx.commit();
      crash_point("after_commit");
    }
  } catch (const store::Error& e) {
    // Nothing of this batch is stored; it stays on the server for the next
    // pass.
    spdlog::error(
        "batch_not_stored stage=persist mailbox={} count={} error=\"{}\": rolled back, left on "
        "the server for the next pass",
        mailbox_.name, done.size(), e.what());
    done.clear();
    return Stored::some;
  }
  for (const auto& [out, where] : stored) Ingestor::log_stored(out, where);
  r.stored += tally.stored;
  r.duplicates += tally.duplicates;
  r.quarantined += tally.quarantined;
  if (!done.empty()) nudge_();
  return result;
}

void Poller::mark_processed(std::vector<std::uint32_t>& uids, const std::string& folder,
                            PassResult& r, std::future<void>* synced) {
  // Durable before acknowledged: the commits of these mails are on disk
  // before the server forgets them (the store's commits skip the fsync;
  // `synced`, when valid, is one already under way).
  if (deferred_sync_) {
    try {
      if (synced && synced->valid())
        synced->get();
      else
        store_.sync_log();
    } catch (const store::Error& e) {
      r.ok = false;  // retried with backoff, like a server that is down
      r.error_kind = ImapErrorKind::connection;
      r.error = std::string("the store could not sync its log, nothing moved: ") + e.what();
      spdlog::error(
          "sync_failed stage=ack mailbox={} count={} error=\"{}\": left on the server for the "
          "next pass",
          mailbox_.name, uids.size(), e.what());
      return;
    }
  }
  auto res = folder.empty() ? imap_.add_flag(uids, mailbox_.keyword) : imap_.move(uids, folder);
  if (!res) {
    // Stored but still in the folder: the next pass finds them, the dedupe
    // recognises them, and the move is tried again.
    r = failed(res.error());
    return;
  }
  r.moved += static_cast<int>(uids.size());
  spdlog::info("moved stage=ack mailbox={} count={} to={} uids={}..{}", mailbox_.name, uids.size(),
               folder.empty() ? mailbox_.keyword : folder, uids.front(), uids.back());
}

// Too big to download: only its header block is fetched; the quarantine
// records it with its size (the first line makes each one unique for the
// dedupe), its sender is told, and it is moved aside.
void Poller::quarantine_oversized(const transport::UidSize& m, PassResult& r) {
  std::string head = "X-Ticketd-Oversized: mailbox=" + mailbox_.name +
                     " uidvalidity=" + std::to_string(imap_.mailbox().uidvalidity) +
                     " uid=" + std::to_string(m.uid) + " size=" + std::to_string(m.size) + "\r\n";
  const std::uint32_t uid = m.uid;
  auto headers = imap_.fetch_headers(std::span(&uid, 1));
  if (!headers) {
    r = failed(headers.error());
    return;
  }
  head += headers->empty() ? std::string("\r\n") : headers->front().bytes;
  RawMail raw{head, static_cast<std::int64_t>(m.size), true};
  const std::string where = "mailbox=" + mailbox_.name + " uid=" + std::to_string(m.uid);
  auto out = ingestor_.ingest(raw, wall_now(), {}, where);
  if (!out) return;  // stays; tried again next pass
  ++r.quarantined;
  std::vector<std::uint32_t> one{m.uid};
  mark_processed(
      one,
      mailbox_.oversized_folder.empty() ? mailbox_.processed_folder : mailbox_.oversized_folder, r);
}

void Poller::sleep_for(std::chrono::seconds s) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, s, [&] { return stop_.load(); });
}

void Poller::run(const std::function<void(const std::string&)>& fatal) {
  std::chrono::seconds backoff{1};
  const std::chrono::seconds cap{config_->daemon.reconnect_max_seconds};
  while (!stop_) {
    PassResult r;
    try {
      r = pass();
    } catch (const std::exception& e) {  // never take the thread (and the daemon) down
      r.ok = false;
      r.error_kind = ImapErrorKind::protocol;
      r.error = std::string("unexpected: ") + e.what();
    }
    if (stop_) break;
    if (!r.ok) {
      ++failures_;
      if (r.error_kind == ImapErrorKind::tls_verify && mailbox_.ca_file.empty()) {
        spdlog::critical(
            "imap_tls_failed stage=fetch mailbox={} error=\"{}\": set ca_file for a "
            "private certificate",
            mailbox_.name, r.error);
        fatal("mailbox " + mailbox_.name + ": " + r.error);
        return;
      }
      if (down_.empty())  // one line per state change, not per retry
        spdlog::error(
            "imap_down stage=fetch mailbox={} error=\"{}\": retrying with backoff up to "
            "{}s",
            mailbox_.name, r.error, cap.count());
      down_ = r.error;
      imap_.logout();
      sleep_for(backoff);
      backoff = std::min(backoff * 2, cap);
      continue;
    }
    backoff = std::chrono::seconds{1};
    if (r.stored + r.duplicates + r.quarantined > 0)
      spdlog::info("pass stage=fetch mailbox={} stored={} duplicates={} quarantined={} moved={}",
                   mailbox_.name, r.stored, r.duplicates, r.quarantined, r.moved);
    auto idle = imap_.idle(std::chrono::minutes(config_->daemon.idle_minutes));
    if (!idle) {
      // The next pass reconnects and reports.
      imap_.logout();
    } else if (*idle == transport::IdleOutcome::mailbox_changed) {
      // Where the latency of an answer starts (bench/latency measures from here).
      spdlog::info("idle_wake stage=fetch mailbox={}", mailbox_.name);
    }
  }
}

}  // namespace ticketd::daemon
