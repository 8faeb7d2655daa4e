#include "daemon/clock.h"

#include <spdlog/spdlog.h>

#include "daemon/apply.h"
#include "lifecycle/engine.h"

namespace ticketd::daemon {

namespace {
bool changes_something(const lifecycle::Decisions& d) {
  return d.state || d.priority || d.team || d.assignee || d.reminders_sent ||
         d.mark_first_response_overdue || d.mark_resolution_overdue || !d.notices.empty() ||
         !d.events.empty() || !d.add_tags.empty() || !d.remove_tags.empty();
}
}  // namespace

ClockPass run_clock(store::Store& store, const Config& config, const std::string& secret,
                    std::int64_t now) {
  ClockPass pass;
  for (std::int64_t id : store.clock_candidates(now)) {
    store::Tx tx = store.begin();
    const lifecycle::TicketView view = tx.ticket_view(id);
    const lifecycle::Decisions d =
        lifecycle::on_clock(view, config.directory, config.lifecycle, now);
    ++pass.tickets_seen;
    if (!changes_something(d)) continue;  // the transaction rolls back: nothing was written
    ApplyContext ctx{tx, config, secret, now};
    pass.mails_queued += apply_decisions(ctx, view, d, "clock", std::nullopt, "");
    tx.commit();
    ++pass.tickets_changed;
    for (const auto& e : d.events)
      spdlog::info("clock stage=decide ticket={} event={} detail=\"{}\"", view.number, e.kind,
                   e.detail);
  }
  return pass;
}

}  // namespace ticketd::daemon
