// ticketd daemon: the clock-driven lifecycle work — auto-close, reminders,
// auto-resolve, SLA overdue alerts — one transaction per ticket. `now` is
// passed in so tests and `ticketd tick --now` can step time.
#pragma once

#include <cstdint>
#include <string>

#include "daemon/config.h"
#include "store/store.h"

namespace ticketd::daemon {

struct ClockPass {
  int tickets_seen = 0;
  int tickets_changed = 0;
  int mails_queued = 0;
};

// Runs the lifecycle clock over every ticket that is not closed. Throws store::Error.
ClockPass run_clock(store::Store& store, const Config& config, const std::string& secret,
                    std::int64_t now);

}  // namespace ticketd::daemon
