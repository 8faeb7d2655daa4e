// ticketd daemon: spdlog set-up — one line per event to stderr
// ("stage=... ticket=..." fields are written by the callers).
#pragma once

#include <string>

namespace ticketd::daemon {
// `verbosity` (count of -v) raises the configured level: 1 → info, 2+ → debug.
void setup_logging(const std::string& level, int verbosity);
// Upgrades of the store's schema are logged (before and after): call once,
// before the first store is opened.
void install_store_notices();
}  // namespace ticketd::daemon
