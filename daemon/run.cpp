#include "daemon/run.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "daemon/clock.h"
#include "daemon/delivery.h"
#include "daemon/exit_codes.h"
#include "daemon/logging.h"
#include "daemon/outbound.h"
#include "daemon/poller.h"
#include "daemon/sd_notify.h"

namespace ticketd::daemon {

namespace asio = boost::asio;

namespace {

std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

// Everything a config produces before anything starts: a reload builds a new
// one and swaps only when it is complete.
struct Setup {
  std::shared_ptr<const Config> config;
  std::string secret;
  std::shared_ptr<const templates::TemplateSet> templates;
  std::optional<transport::SmtpConfig> smtp;
  std::vector<transport::ImapConfig> imap;  // one per config->mailboxes entry
};

std::expected<Setup, std::string> prepare(const std::string& path) {
  Setup s;
  try {
    auto c = std::make_shared<Config>(load_config(path));
    s.secret = load_or_create_secret(*c);
    store::Store probe(c->store.path, static_cast<int>(c->store.busy_timeout_ms));
    s.config = std::move(c);
  } catch (const ConfigError& e) {
    return std::unexpected(std::string(e.what()));
  } catch (const store::Error& e) {
    return std::unexpected("store: " + std::string(e.what()));
  }
  auto set = load_templates(*s.config);
  if (!set) return std::unexpected(set.error());
  s.templates = std::make_shared<const templates::TemplateSet>(std::move(*set));
  if (!s.config->smtp.url.empty()) {
    auto smtp = smtp_config(*s.config);
    if (!smtp) return std::unexpected(smtp.error());
    s.smtp = std::move(*smtp);
  }
  for (const auto& m : s.config->mailboxes) {
    auto imap = imap_config(*s.config, m);
    if (!imap) return std::unexpected(imap.error());
    s.imap.push_back(std::move(*imap));
  }
  return s;
}

// How long the outbox worker keeps an idle SMTP connection for the next
// mail. A new one costs connect + EHLO + STARTTLS (+ AUTH): 7-50 ms on
// loopback here, a few round trips more over a WAN — most of a customer's
// wait for the acknowledgement once the mail is stored. RFC 5321 4.5.3.2.7
// asks servers to wait 5 minutes for the next command (Postfix's
// smtpd_timeout: 300 s, 10 s under stress); a server that hangs up sooner
// costs only a reconnect (SmtpClient::send replaces a dead kept connection).
constexpr std::chrono::seconds kSmtpKeepOpen{60};

// Sends the outbox on its own thread: woken by a nudge (a commit) or by the
// sweep interval, whichever comes first. The SMTP connection stays open
// kSmtpKeepOpen after the last mail, then is closed with QUIT.
class OutboxWorker {
 public:
  explicit OutboxWorker(const Setup& s) : s_(s) {
    if (s_.smtp) thread_ = std::thread([this] { loop(); });
  }
  ~OutboxWorker() { stop(); }
  void nudge() {
    std::lock_guard lock(mu_);
    nudged_ = true;
    cv_.notify_all();
  }
  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      stopping_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  using Clock = std::chrono::steady_clock;

  void loop() {
    const auto& c = *s_.config;
    store::Store store(c.store.path, static_cast<int>(c.store.busy_timeout_ms));
    transport::SmtpConfig sc = *s_.smtp;
    sc.cancelled = [this] { return stopping_.load(); };  // SIGTERM never waits on a silent server
    transport::SmtpClient smtp(std::move(sc));
    const std::chrono::seconds sweep{c.daemon.outbox_interval_seconds};
    bool more = false;  // the last pass was a full batch: go on without waiting
    Clock::time_point next_sweep = Clock::now() + sweep;
    Clock::time_point close_at = Clock::time_point::max();  // a kept connection is closed then
    while (true) {
      bool work = true;
      {
        std::unique_lock lock(mu_);
        if (!more) {
          const auto until = std::min(next_sweep, close_at);
          cv_.wait_until(lock, until, [&] { return stop_ || nudged_; });
        }
        if (stop_) break;
        work = more || nudged_ || Clock::now() >= next_sweep;
        nudged_ = false;
      }
      if (!work) {  // only the kept connection's time is up
        smtp.close();
        close_at = Clock::time_point::max();
        continue;
      }
      next_sweep = Clock::now() + sweep;
      more = false;
      try {
        DeliveryPass p =
            deliver_due(store, c, s_.secret, *s_.templates, smtp, wall_now(), &stopping_);
        more = p.due >= c.outbox.batch && p.sent + p.dead > 0;
        if (p.due > 0) close_at = Clock::now() + kSmtpKeepOpen;
      } catch (const std::exception& e) {  // store trouble included: the row stays due
        spdlog::error("deliver_failed stage=deliver error=\"{}\": retried at the next sweep",
                      e.what());
        smtp.reset();
        close_at = Clock::time_point::max();
      }
    }
    // No QUIT at shutdown: a server that stopped answering would hold
    // SIGTERM up for the whole reply timeout.
    smtp.reset();
  }

  const Setup& s_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool nudged_ = true;  // a first pass at start
  bool stop_ = false;
  std::atomic<bool> stopping_{false};  // read between rows, outside the lock
  std::thread thread_;
};

void log_notify(const std::expected<bool, std::string>& r) {
  if (!r) spdlog::warn("sd_notify_failed error=\"{}\"", r.error());
}

// One configuration's workers: pollers, outbox worker.
class Workers {
 public:
  // The pollers nudge the outbox worker directly (thread-safe); they are
  // joined before it is destroyed (member order).
  Workers(const Setup& s, std::function<void(const std::string&)> fatal) : outbox_(s) {
    for (std::size_t i = 0; i < s.config->mailboxes.size(); ++i) {
      pollers_.push_back(std::make_unique<Poller>(s.config, s.config->mailboxes[i], s.imap[i],
                                                  s.secret, [this] { outbox_.nudge(); }));
    }
    for (auto& p : pollers_) threads_.emplace_back([&p, fatal] { p->run(fatal); });
  }
  ~Workers() {
    for (auto& p : pollers_) p->stop();
    for (auto& t : threads_) t.join();
    outbox_.stop();
  }
  void nudge_outbox() { outbox_.nudge(); }

 private:
  OutboxWorker outbox_;
  std::vector<std::unique_ptr<Poller>> pollers_;
  std::vector<std::thread> threads_;
};

void run_clock_once(const Setup& s) {
  try {
    store::Store store(s.config->store.path, static_cast<int>(s.config->store.busy_timeout_ms));
    ClockPass p = run_clock(store, *s.config, s.secret, wall_now());
    if (p.tickets_changed > 0)
      spdlog::info("clock stage=decide tickets={} changed={} queued={}", p.tickets_seen,
                   p.tickets_changed, p.mails_queued);
  } catch (const std::exception& e) {
    spdlog::error("clock_failed stage=clock error=\"{}\": tried again at the next tick", e.what());
  }
}

int run_once(const Setup& s) {
  int rc = kExitOk;
  for (std::size_t i = 0; i < s.config->mailboxes.size(); ++i) {
    Poller p(s.config, s.config->mailboxes[i], s.imap[i], s.secret, [] {});
    PassResult r = p.pass();
    if (!r.ok) {
      spdlog::error("imap_down stage=fetch mailbox={} error=\"{}\"", p.name(), r.error);
      rc = kExitTempFail;
    } else {
      spdlog::info("pass stage=fetch mailbox={} stored={} duplicates={} quarantined={} moved={}",
                   p.name(), r.stored, r.duplicates, r.quarantined, r.moved);
    }
  }
  run_clock_once(s);
  if (s.smtp) {
    try {
      store::Store store(s.config->store.path, static_cast<int>(s.config->store.busy_timeout_ms));
      transport::SmtpClient smtp(*s.smtp);
      // Everything due, batch after batch, while batches come back full and moving.
      for (;;) {
        DeliveryPass p = deliver_due(store, *s.config, s.secret, *s.templates, smtp, wall_now());
        if (p.due < s.config->outbox.batch || p.sent + p.dead == 0) break;
      }
      smtp.close();
    } catch (const store::Error& e) {
      spdlog::error("store_failed stage=deliver error=\"{}\"", e.what());
      rc = kExitTempFail;
    }
  }
  return rc;
}

// Things in the config that work but are probably not what the admin meant
// (nothing routes every ticket), at start-up and after each reload.
void log_config_warnings(const Config& config) {
  for (const std::string& w : config.warnings)
    spdlog::warn("config_warning stage=run warning=\"{}\"", w);
}

}  // namespace

int run_daemon(const std::string& config_path, bool once, int verbosity) {
  auto first = prepare(config_path);
  if (!first) {
    std::cerr << "ticketd: " << first.error() << "\n";
    return kExitConfig;
  }
  auto setup = std::make_unique<Setup>(std::move(*first));
  setup_logging(setup->config->log.level, verbosity);
  if (once) return run_once(*setup);

  asio::io_context io;
  int exit_code = kExitOk;
  auto fatal = [&io, &exit_code](const std::string& why) {
    asio::post(io, [&io, &exit_code, why] {
      spdlog::critical("stopping stage=run error=\"{}\"", why);
      exit_code = kExitConfig;
      io.stop();
    });
  };
  asio::signal_set signals(io, SIGTERM, SIGINT, SIGHUP);  // before any thread starts
  std::unique_ptr<Workers> workers;
  try {
    workers = std::make_unique<Workers>(*setup, fatal);
  } catch (const std::exception& e) {  // the store went away since prepare()
    spdlog::critical("start_failed stage=run error=\"{}\"", e.what());
    return kExitTempFail;
  }

  asio::steady_timer clock(io);
  std::function<void()> tick = [&] {
    run_clock_once(*setup);
    if (workers) workers->nudge_outbox();
    clock.expires_after(std::chrono::seconds(setup->config->daemon.clock_interval_seconds));
    clock.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) tick();
    });
  };
  tick();

  asio::steady_timer watchdog(io);
  const auto ping = systemd::watchdog_ping_interval();
  std::function<void()> pet = [&] {
    log_notify(systemd::notify_watchdog());
    watchdog.expires_after(*ping);
    watchdog.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) pet();
    });
  };
  if (ping) pet();

  std::function<void()> wait_signal = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig != SIGHUP) {
        spdlog::warn("stopping stage=run signal={}: finishing the mail in hand",
                     sig == SIGTERM ? "TERM" : "INT");
        log_notify(systemd::notify_stopping());
        io.stop();
        return;
      }
      log_notify(systemd::notify_reloading());
      auto next = prepare(config_path);
      if (!next) {
        spdlog::error("config_reload_failed stage=run error=\"{}\": keeping the running config",
                      next.error());
        log_notify(systemd::notify_ready("reload failed: " + next.error()));
      } else {
        workers.reset();  // stops and joins the old workers first
        setup = std::make_unique<Setup>(std::move(*next));
        setup_logging(setup->config->log.level, verbosity);
        try {
          workers = std::make_unique<Workers>(*setup, fatal);
        } catch (const std::exception& e) {
          spdlog::critical("reload_failed stage=run error=\"{}\": exiting for a restart", e.what());
          exit_code = kExitTempFail;
          io.stop();
          return;
        }
        spdlog::warn("config_reloaded stage=run file={} mailboxes={}", config_path,
                     setup->config->mailboxes.size());
        log_config_warnings(*setup->config);
        log_notify(systemd::notify_ready("running"));
      }
      wait_signal();
    });
  };
  wait_signal();

  spdlog::warn("started stage=run mailboxes={} smtp={}", setup->config->mailboxes.size(),
               setup->smtp ? "yes" : "no");
  log_config_warnings(*setup->config);
  log_notify(systemd::notify_ready("running"));
  io.run();
  workers.reset();
  spdlog::warn("stopped stage=run");
  return exit_code;
}

}  // namespace ticketd::daemon
