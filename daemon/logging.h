// ticketd daemon: spdlog set-up — one line per event to stderr
// ("stage=... ticket=..." fields are written by the callers).
#pragma once

#include <string>

namespace ticketd::daemon {
// `verbosity` (count of -v) raises the configured level: 1 → info, 2+ → debug.
void setup_logging(const std::string& level, int verbosity);
}  // namespace ticketd::daemon
