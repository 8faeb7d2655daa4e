#include "daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "daemon/sd_notify.h"
#include "store/store.h"

namespace ticketd::daemon {

void setup_logging(const std::string& level, int verbosity) {
  // Thread-safe: `ticketd run` logs from its pollers and outbox worker too.
  spdlog::drop("ticketd");
  auto logger = spdlog::stderr_logger_mt("ticketd");
  // Under systemd the journal stamps each line itself.
  logger->set_pattern(systemd::stderr_is_journal() ? "%l %v" : "%Y-%m-%dT%H:%M:%S.%e %l %v");
  spdlog::level::level_enum lvl = spdlog::level::from_str(level);
  if (verbosity >= 2)
    lvl = std::min(lvl, spdlog::level::debug);
  else if (verbosity == 1)
    lvl = std::min(lvl, spdlog::level::info);
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
}

void install_store_notices() {
  // An upgrade of a big store holds the write lock for a while: say so
  // before it starts, and how long it took. The store may be opened before
  // logging is set up (the config's level is not known yet): then the line
  // goes to stderr as it is.
  store::set_migration_notice([](std::int64_t from, std::int64_t to, double seconds, bool done) {
    const std::string line =
        done
            ? fmt::format("store_migrated stage=store from={} to={} seconds={:.1f}", from, to,
                          seconds)
            : fmt::format(
                  "store_migrate stage=store from={} to={}: upgrading the store's schema; the "
                  "write lock is held until it is done (a store of a million tickets: up to ~15 s)",
                  from, to);
    if (auto logger = spdlog::get("ticketd"))
      logger->warn(line);
    else
      std::fprintf(stderr, "ticketd: %s\n", line.c_str());
  });
}

}  // namespace ticketd::daemon
