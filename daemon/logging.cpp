#include "daemon/logging.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "daemon/sd_notify.h"

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

}  // namespace ticketd::daemon
