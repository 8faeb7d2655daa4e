// ticketd: the help-desk daemon — `run` (the IMAP/SMTP service), `ingest`
// (MTA pipe mode, one mail on stdin), `deliver` and `tick` (one outbox or
// clock pass, for cron) and `check-config`. Exit codes follow sysexits.h.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <iostream>
#include <optional>

#include "daemon/clock.h"
#include "daemon/config.h"
#include "daemon/delivery.h"
#include "daemon/exit_codes.h"
#include "daemon/ingest.h"
#include "daemon/logging.h"
#include "daemon/outbound.h"
#include "daemon/poller.h"
#include "daemon/run.h"
#include "store/store.h"

using namespace ticketd::daemon;

namespace {

// Reads stdin; beyond `limit` bytes only the first kHead bytes are kept (the
// mail goes to the quarantine as too big, with its headers for ticketctl).
RawMail read_stdin(std::string& buf, std::int64_t limit) {
  constexpr std::size_t kHead = 256 * 1024;
  RawMail r;
  // A file on stdin (`ticketd ingest < mail`): one allocation of its size
  // rather than a doubling string (which peaks at ~1.3x a big mail).
  struct stat st {};
  if (::fstat(0, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    buf.reserve(static_cast<std::size_t>(std::min<std::int64_t>(st.st_size, limit)) + 1);
  char chunk[1 << 16];
  ssize_t n;
  std::int64_t total = 0;
  while ((n = ::read(0, chunk, sizeof chunk)) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("reading stdin: ") + std::strerror(errno));
    }
    total += n;
    if (total <= limit) {
      buf.append(chunk, static_cast<std::size_t>(n));
    } else if (!r.truncated) {
      r.truncated = true;
      buf.append(chunk, static_cast<std::size_t>(n));
      if (buf.size() > kHead) buf.resize(kHead);
      buf.shrink_to_fit();
    }
  }
  r.bytes = buf;
  r.size = total;
  return r;
}

// The config, or nullopt after saying on stderr what is wrong with it.
std::optional<Config> load_or_report(const std::string& config_path) {
  try {
    return load_config(config_path);
  } catch (const ConfigError& e) {
    std::cerr << "ticketd: " << e.what() << "\n";
    return std::nullopt;
  }
}

int run_ingest(const std::string& config_path, int verbosity,
               std::optional<std::string> envelope_sender, std::optional<std::int64_t> now) {
  auto loaded = load_or_report(config_path);
  if (!loaded) return kExitConfig;
  const Config& config = *loaded;
  setup_logging(config.log.level, verbosity);
  std::string secret;
  try {
    secret = load_or_create_secret(config);
  } catch (const ConfigError& e) {
    spdlog::error("config_error stage=start error=\"{}\"", e.what());
    return kExitConfig;
  }
  std::string buf;
  RawMail raw;
  try {
    raw = read_stdin(buf, config.limits.max_message_bytes);
    raw.envelope_sender = std::move(envelope_sender);
  } catch (const std::exception& e) {
    spdlog::error("read_failed stage=fetch error=\"{}\"", e.what());
    return kExitTempFail;
  }
  try {
    ticketd::store::Store store(config.store.path, static_cast<int>(config.store.busy_timeout_ms));
    Ingestor ingestor(store, config, secret);
    auto out = ingestor.ingest(raw, now.value_or(static_cast<std::int64_t>(std::time(nullptr))));
    if (!out) {
      // Whatever the store's trouble, the MTA must keep the mail: 75.
      std::cerr << "ticketd: mail not stored, try again later: " << out.error().detail << "\n";
      return kExitTempFail;
    }
    return kExitOk;
  } catch (const ticketd::store::Error& e) {
    spdlog::error("store_open_failed stage=persist error=\"{}\"", e.what());
    std::cerr << "ticketd: mail not stored, try again later: " << e.what() << "\n";
    return kExitTempFail;
  }
}

// Runs `work` with the store and the reply-token secret; store and config
// trouble become exit codes (75: try again later, 78: fix the config).
int with_store(const Config& config,
               const std::function<void(ticketd::store::Store&, const std::string&)>& work) {
  try {
    const std::string secret = load_or_create_secret(config);
    ticketd::store::Store store(config.store.path, static_cast<int>(config.store.busy_timeout_ms));
    work(store, secret);
    return kExitOk;
  } catch (const ConfigError& e) {
    std::cerr << "ticketd: " << e.what() << "\n";
    return kExitConfig;
  } catch (const ticketd::store::Error& e) {
    std::cerr << "ticketd: store: " << e.what() << "\n";
    return kExitTempFail;
  }
}

std::int64_t now_or_wall(std::optional<std::int64_t> now) {
  return now.value_or(static_cast<std::int64_t>(std::time(nullptr)));
}

int run_tick(const std::string& config_path, std::optional<std::int64_t> now, int verbosity) {
  auto loaded = load_or_report(config_path);
  if (!loaded) return kExitConfig;
  const Config& config = *loaded;
  setup_logging(config.log.level, verbosity);
  return with_store(config, [&](ticketd::store::Store& store, const std::string& secret) {
    ClockPass pass = run_clock(store, config, secret, now_or_wall(now));
    if (verbosity > 0)
      std::cerr << "tick: " << pass.tickets_seen << " tickets looked at, " << pass.tickets_changed
                << " changed, " << pass.mails_queued << " mails queued\n";
  });
}

// `ticketd deliver`: one pass over the outbox rows due now, over one SMTP connection.
int run_deliver(const std::string& config_path, std::optional<std::int64_t> now, int verbosity) {
  auto loaded = load_or_report(config_path);
  if (!loaded) return kExitConfig;
  const Config& config = *loaded;
  setup_logging(config.log.level, verbosity);
  if (config.smtp.url.empty()) {
    std::cerr << "ticketd: " << config_path << ": smtp.url: not set; nothing can be sent\n";
    return kExitConfig;
  }
  auto smtp = smtp_config(config);
  if (!smtp) {
    std::cerr << "ticketd: " << smtp.error() << "\n";
    return kExitConfig;
  }
  auto set = load_templates(config);
  if (!set) {
    std::cerr << "ticketd: " << set.error() << "\n";
    return kExitConfig;
  }
  return with_store(config, [&](ticketd::store::Store& store, const std::string& secret) {
    ticketd::transport::SmtpClient client(std::move(*smtp));
    DeliveryPass pass = deliver_due(store, config, secret, *set, client, now_or_wall(now));
    client.close();
    if (verbosity > 0)
      std::cerr << "deliver: " << pass.due << " due, " << pass.sent << " sent, " << pass.deferred
                << " deferred, " << pass.dead << " dead\n";
  });
}

int run_check_config(const std::string& config_path) {
  try {
    Config config = load_config(config_path);
    load_or_create_secret(config);
    ticketd::store::Store store(config.store.path, static_cast<int>(config.store.busy_timeout_ms));
    if (auto set = load_templates(config); !set) {
      std::cerr << "ticketd: " << set.error() << "\n";
      return kExitConfig;
    }
    if (!config.smtp.url.empty())
      if (auto smtp = smtp_config(config); !smtp) {
        std::cerr << "ticketd: " << smtp.error() << "\n";
        return kExitConfig;
      }
    for (const auto& m : config.mailboxes)
      if (auto imap = imap_config(config, m); !imap) {
        std::cerr << "ticketd: " << imap.error() << "\n";
        return kExitConfig;
      }
    for (const std::string& w : config.warnings) std::cerr << "ticketd: warning: " << w << "\n";
    std::cout << config_path << ": ok\n";
    return kExitOk;
  } catch (const ConfigError& e) {
    std::cerr << "ticketd: " << e.what() << "\n";
    return kExitConfig;
  } catch (const ticketd::store::Error& e) {
    std::cerr << "ticketd: store: " << e.what() << "\n";
    return e.temporary() ? kExitTempFail : kExitConfig;
  }
}

}  // namespace

int main(int argc, char** argv) {
  install_store_notices();
  CLI::App app{"ticketd — an email help desk in one daemon"};
  app.set_version_flag("--version", std::string("ticketd ") + TICKETD_VERSION);
  app.require_subcommand(1);
  std::string config_path;
  int verbosity = 0;

  auto* ingest = app.add_subcommand(
      "ingest",
      "Read one mail on stdin and store it (MTA pipe mode). Exit 0 when stored, "
      "75 when it could not be stored now (the MTA keeps it), 78 for a bad config.");
  ingest->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  ingest->add_flag("-v,--verbose", verbosity, "Log each stored mail (repeat for debug)");
  std::optional<std::string> envelope_sender;
  ingest->add_option("-f,--sender", envelope_sender,
                     "Envelope sender as the MTA saw it (Postfix pipe: -f ${sender}; \"\" or <> "
                     "for the null sender). Default: $SENDER when the MTA sets it (Postfix "
                     "local(8)). Used to recognise bounces and auto-replies.");
  std::optional<std::int64_t> ingest_now;
  ingest->add_option("--now", ingest_now,
                     "Pretend the time is this (seconds since the epoch; tests and replays)");

  std::optional<std::int64_t> tick_now;
  auto* tick = app.add_subcommand(
      "tick", "Run the lifecycle clock once (auto-close, reminders, auto-resolve, SLA alerts)");
  tick->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  tick->add_option("--now", tick_now, "Pretend the time is this (seconds since the epoch)");
  tick->add_flag("-v,--verbose", verbosity, "Say what the pass did");

  std::optional<std::int64_t> deliver_now;
  auto* deliver = app.add_subcommand(
      "deliver", "Send the outbox rows that are due (one pass over one SMTP connection)");
  deliver->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  deliver->add_option("--now", deliver_now, "Pretend the time is this (seconds since the epoch)");
  deliver->add_flag("-v,--verbose", verbosity, "Log each mail (-vv: the SMTP dialogue, redacted)");

  bool once = false;
  auto* run = app.add_subcommand(
      "run",
      "The daemon: watch the [[mailbox]] folders (IMAP IDLE), store mail as tickets, send "
      "the outbox, run the clock. SIGTERM stops, SIGHUP reloads the config.");
  run->add_option("-c,--config", config_path, "Config file (TOML)")->required();
  run->add_flag("--once", once, "One pass over every mailbox, the clock and the outbox, then exit");
  run->add_flag("-v,--verbose", verbosity, "Log each mail (-vv: protocol dialogue, redacted)");

  auto* check = app.add_subcommand("check-config", "Validate the config and the store, then exit");
  check->add_option("-c,--config", config_path, "Config file (TOML)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (*ingest) {
    // Postfix's local(8) exports the envelope sender as SENDER ("" for <>).
    if (!envelope_sender)
      if (const char* env = std::getenv("SENDER")) envelope_sender = std::string(env);
    return run_ingest(config_path, verbosity, std::move(envelope_sender), ingest_now);
  }
  if (*check) return run_check_config(config_path);
  if (*tick) return run_tick(config_path, tick_now, verbosity);
  if (*deliver) return run_deliver(config_path, deliver_now, verbosity);
  if (*run) return run_daemon(config_path, once, verbosity);
  return kExitUsage;
}
