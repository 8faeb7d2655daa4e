// ticketd lifecycle: the engine (engine.h). Pure: every function reads its
// arguments and returns Decisions; nothing here does I/O, logs or reads a clock.
//
// Conventions the store and ticketctl can rely on:
// - A Decisions field is set only when its value changes; vectors list only
//   what is added or removed.
// - Every state change is one event whose detail starts "<from> -> <to>". Its
//   kind names the cause when there is one ("reopened", "auto_close",
//   "auto_resolve"), else it is "state".
// - Event details say who or what caused the change: `rule "name"`, the
//   agent's address, "round-robin in team support", "the clock".
// - Rules that reject or mark a mail as spam (RuleActions::reject / spam) are
//   handled by the caller before a ticket exists; on_new_ticket ignores them.
#include "lifecycle/engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

#include "lifecycle/engine_util.h"

namespace ticketd::lifecycle {

using namespace detail;

const Agent* Directory::agent(std::string_view name_or_address) const {
  for (const Agent& a : agents)
    if (iequal(a.name, name_or_address) || iequal(a.address, name_or_address)) return &a;
  return nullptr;
}

const Team* Directory::team(std::string_view name) const {
  for (const Team& t : teams)
    if (iequal(t.name, name)) return &t;
  return nullptr;
}

std::vector<const Agent*> Directory::members(std::string_view team_name) const {
  std::vector<const Agent*> out;
  for (const Agent& a : agents)
    if (contains_ci(a.teams, team_name)) out.push_back(&a);
  return out;
}

std::optional<std::string> pick_assignee(const Team& team, const Directory& dir,
                                         const AssignmentState& state) {
  const std::vector<const Agent*> members = dir.members(team.name);
  switch (team.mode) {
    case AssignMode::fixed: {
      // The fixed agent need not be listed as a member; it must be a known agent
      // so we can tell whether it is away.
      const Agent* a = dir.agent(team.fixed_agent);
      if (a == nullptr || a->away) return std::nullopt;
      return a->address;
    }
    case AssignMode::least_open: {
      const Agent* best = nullptr;
      int best_open = 0;
      for (const Agent* a : members) {
        if (a->away) continue;
        auto it = state.open_tickets.find(a->address);
        int open = it == state.open_tickets.end() ? 0 : it->second;
        if (best == nullptr || open < best_open) best = a, best_open = open;  // ties: first wins
      }
      if (best == nullptr) return std::nullopt;
      return best->address;
    }
    case AssignMode::round_robin: {
      if (members.empty()) return std::nullopt;
      std::string last;
      if (auto it = state.last_assigned.find(team.name); it != state.last_assigned.end()) {
        last = it->second;
      } else {
        for (const auto& [name, address] : state.last_assigned)
          if (iequal(name, team.name)) last = address;
      }
      // Start after the last one; an unknown (or no) last agent starts at the top.
      std::size_t start = 0;
      for (std::size_t i = 0; i < members.size(); ++i)
        if (iequal(members[i]->address, last)) start = i + 1;
      // n steps from `start` visit every member once, the last one included.
      for (std::size_t k = 0; k < members.size(); ++k) {
        const Agent* a = members[(start + k) % members.size()];
        if (!a->away) return a->address;
      }
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Decisions on_new_ticket(const TicketView& ticket, const RuleResult& rules,
                        const std::optional<std::string>& ack_blocked, const Directory& dir,
                        const AssignmentState& assign, const LifecycleSettings& settings,
                        std::int64_t /*now*/) {
  // Due times run from created_at, not from `now`: the ticket's clock starts
  // when the mail arrived, however long the caller took to get here.
  Decisions d;
  const RuleActions& act = rules.actions;

  for (const RuleMatch& m : rules.matched) {
    std::string did;
    for (const std::string& x : m.did) did += (did.empty() ? "" : ", ") + x;
    d.events.push_back({"rule", "rule " + quoted(m.rule) + ": " + (did.empty() ? "matched" : did)});
  }

  std::string team = ticket.team;
  if (act.team) {
    const Team* t = dir.team(*act.team);
    team = t ? t->name : *act.team;
    if (team != ticket.team) {
      d.team = team;
      d.events.push_back({"team", team + " (" + by_rule(rules, {"team="}) + ")"});
    }
  }
  if (team.empty() && !act.assignee && !dir.default_team.empty()) {
    team = dir.default_team;
    d.team = team;
    d.events.push_back({"team", team + " (no rule gave a team; default team: " +
                                    (dir.default_team_why.empty() ? std::string("configured")
                                                                  : dir.default_team_why) +
                                    ")"});
  }

  std::string assignee = ticket.assignee;
  std::string how;  // how the assignee was chosen, for the events
  if (act.assignee) {
    const Agent* a = dir.agent(*act.assignee);
    assignee = a ? a->address : lower(*act.assignee);
    how = "by " + by_rule(rules, {"assignee=", "assign="});
  } else if (assignee.empty() && !team.empty()) {
    if (const Team* t = dir.team(team)) {
      if (auto picked = pick_assignee(*t, dir, assign)) {
        assignee = *picked;
        how = "by " + std::string(mode_name(t->mode)) + " in team " + t->name;
      } else {
        d.events.push_back({"unassigned", "team " + t->name + ": nobody available (" +
                                              std::string(mode_name(t->mode)) +
                                              "; all away or no members)"});
      }
    } else {
      d.events.push_back({"unassigned", "team " + team + " is not in the directory"});
    }
  }
  if (assignee != ticket.assignee) {
    d.assignee = assignee;
    d.events.push_back({"assigned", assignee + " (" + how + ")"});
  }
  if (!assignee.empty() && ticket.state == State::new_) {
    d.state = State::open;
    d.events.push_back({"state", transition(State::new_, State::open) + " (assigned to " +
                                     assignee + " " + how + ")"});
  }

  Priority priority = ticket.priority;
  if (act.priority && *act.priority != ticket.priority) {
    priority = *act.priority;
    d.priority = priority;
    d.events.push_back({"priority", std::string(priority_name(ticket.priority)) + " -> " +
                                        std::string(priority_name(priority)) + " (" +
                                        by_rule(rules, {"priority="}) + ")"});
  }

  std::vector<std::string> tags = ticket.tags;
  for (const std::string& tag : act.tags) {
    if (tag.empty() || contains_ci(tags, tag)) continue;
    tags.push_back(tag);
    d.add_tags.push_back(tag);
    d.events.push_back({"tag", "added " + tag + " (" + by_rule(rules, {"tag=" + tag}) + ")"});
  }

  // A rule's `sla` borrows another priority's times without changing the
  // priority itself ("VIP senders get urgent response times").
  Priority sla_priority = priority;
  std::string sla_why = "priority " + std::string(priority_name(priority));
  if (act.sla) {
    if (auto p = parse_priority(*act.sla)) {
      sla_priority = *p;
      sla_why = "SLA of " + std::string(priority_name(*p)) + ", " + by_rule(rules, {"sla="});
    } else {
      d.events.push_back(
          {"sla", "SLA " + quoted(*act.sla) + " is not a priority; using " + sla_why});
    }
  }
  std::string due = apply_due_times(d, ticket, sla_for(settings, sla_priority), true);
  if (!due.empty()) d.events.push_back({"sla", due + " (" + sla_why + ")"});

  if (ack_blocked) {
    d.events.push_back(
        {"guard", "no acknowledgement to " + ticket.requester + ": " + *ack_blocked});
  } else if (act.suppress_ack) {
    d.events.push_back({"rule", "no acknowledgement: suppressed by " +
                                    by_rule(rules, {"suppress_ack", "no_ack", "ack="})});
  } else if (ticket.requester.empty()) {
    d.events.push_back({"guard", "no acknowledgement: the ticket has no requester address"});
  } else {
    d.notices.push_back(make_notice(NoticeKind::acknowledgement, {ticket.requester}, {}, ""));
  }

  std::vector<std::string> to = alert_targets(assignee, team, dir);
  if (to.empty()) {
    d.events.push_back({"unassigned", "new ticket " + ticket.number +
                                          (team.empty() && assignee.empty()
                                               ? ": no team, and no agent is present"
                                               : ": no assignee and no present team member") +
                                          " to alert; the clock alerts every agent when the "
                                          "first response is overdue"});
  } else {
    if (assignee.empty() && team.empty())
      d.events.push_back({"unrouted", "no rule and no default team route " + ticket.number +
                                          ": alerting every present agent (" +
                                          std::to_string(to.size()) + ")"});
    d.notices.push_back(
        make_notice(NoticeKind::agent_alert, std::move(to), {}, "new ticket " + ticket.number));
  }
  return d;
}

CustomerReplyOutcome on_customer_reply(const TicketView& ticket, const Directory& dir,
                                       const LifecycleSettings& settings, std::int64_t now) {
  CustomerReplyOutcome out;
  Decisions& d = out.decisions;
  switch (ticket.state) {
    case State::new_:
    case State::open:
      break;
    case State::pending:
      d.state = State::open;
      d.events.push_back({"state", transition(ticket.state, State::open) + " (customer replied)"});
      break;
    case State::resolved:
      d.state = State::open;
      d.events.push_back(
          {"reopened", transition(ticket.state, State::open) + " (customer replied)"});
      break;
    case State::closed: {
      const std::int64_t window = settings.reopen_closed_within_seconds;
      const std::int64_t since = now - ticket.state_since;
      if (window > 0 && since <= window) {
        d.state = State::open;
        d.events.push_back({"reopened", transition(ticket.state, State::open) +
                                            " (customer replied " + format_duration(since) +
                                            " after closing, within " + format_duration(window) +
                                            ")"});
        break;
      }
      // The new ticket gets its own on_new_ticket (acknowledgement, alert), so
      // this one sends nothing.
      out.open_new_linked_ticket = true;
      d.events.push_back(
          {"linked", "customer replied to closed ticket " + ticket.number +
                         (window > 0 ? " after " + format_duration(since) + " (reopen window " +
                                           format_duration(window) + ")"
                                     : std::string(" (closed tickets are never reopened)")) +
                         ": a new linked ticket opens"});
      return out;
    }
  }
  // Reminders count while pending; a ticket that leaves pending starts over.
  if (d.state && ticket.reminders_sent != 0) d.reminders_sent = 0;

  std::vector<std::string> to = alert_targets(ticket.assignee, ticket.team, dir);
  if (to.empty()) {
    d.events.push_back({"unassigned", "customer reply on " + ticket.number +
                                          ": no assignee and no present team member to alert"});
  } else {
    d.notices.push_back(make_notice(NoticeKind::agent_alert, std::move(to), {},
                                    "customer replied on " + ticket.number));
  }
  return out;
}

Decisions on_clock(const TicketView& ticket, const Directory& dir,
                   const LifecycleSettings& settings, std::int64_t now) {
  // One step per tick: a ticket that slept through several deadlines (daemon
  // down) takes them one tick at a time, so the customer still gets the
  // reminder before the ticket is resolved. A setting <= 0 turns its step off.
  Decisions d;
  if (ticket.state == State::resolved && settings.auto_close_after_seconds > 0 &&
      now >= add_sat(ticket.state_since, settings.auto_close_after_seconds)) {
    d.state = State::closed;
    d.events.push_back(
        {"auto_close", transition(State::resolved, State::closed) + " (the clock: resolved for " +
                           format_duration(now - ticket.state_since) + ", auto-close after " +
                           format_duration(settings.auto_close_after_seconds) + ")"});
  } else if (ticket.state == State::pending) {
    // The n-th reminder goes reminder_after * n after the ticket became
    // pending; the last reminder is taken to have gone at
    // reminder_after * reminders_sent (we keep no separate timestamp for it),
    // and auto-resolve follows auto_resolve_after later.
    const std::int64_t every = settings.reminder_after_seconds;
    const int max = every > 0 ? std::max(settings.max_reminders, 0) : 0;
    const int sent = std::max(ticket.reminders_sent, 0);
    if (sent < max) {
      if (now >= add_sat(ticket.state_since, mul_sat(every, sent + 1))) {
        d.reminders_sent = sent + 1;
        d.events.push_back({"reminder", "reminder " + std::to_string(sent + 1) + " of " +
                                            std::to_string(max) + " to " + ticket.requester +
                                            " (pending since " + format_utc(ticket.state_since) +
                                            ")"});
        if (!ticket.requester.empty())
          d.notices.push_back(make_notice(NoticeKind::reminder, {ticket.requester}, {},
                                          "reminder " + std::to_string(sent + 1)));
      }
    } else if (settings.auto_resolve_after_seconds > 0) {
      const std::int64_t last = add_sat(ticket.state_since, mul_sat(every > 0 ? every : 0, sent));
      if (now >= add_sat(last, settings.auto_resolve_after_seconds)) {
        d.state = State::resolved;
        d.events.push_back(
            {"auto_resolve",
             transition(State::pending, State::resolved) + " (the clock: no reply " +
                 format_duration(now - last) + " after " +
                 (sent > 0 ? std::to_string(sent) + " reminder(s)" : std::string("going pending")) +
                 ")"});
        if (!ticket.requester.empty()) {
          std::vector<std::string> cc;
          for (const std::string& c : ticket.collaborators)
            if (!iequal(c, ticket.requester)) cc.push_back(c);
          d.notices.push_back(make_notice(NoticeKind::closure, {ticket.requester}, std::move(cc),
                                          "resolved: no reply"));
        }
      }
    }
  }

  // SLA: raised once each (the mark_* flags); not for a ticket that is done.
  // The resolution alert is held while pending — a ticket waiting on the
  // customer is not ours to hurry — and, not being marked, is raised when a
  // reply brings the ticket back to open. The due time itself does not move.
  const State state = d.state.value_or(ticket.state);
  auto overdue = [&](std::string_view what, std::int64_t due) {
    std::vector<std::string> to = alert_targets(ticket.assignee, ticket.team, dir);
    std::string detail = std::string(what) + " overdue on " + ticket.number + ": due " +
                         format_utc(due) + " (priority " +
                         std::string(priority_name(ticket.priority)) + ")";
    std::string why;
    if (to.empty()) {
      // Nobody present (every agent away): tell everyone rather than no one.
      for (const Agent& a : dir.agents) to.push_back(a.address);
      why = to.empty() ? "; no agent configured to alert" : "; nobody present: alerting all agents";
    }
    d.events.push_back({"sla", detail + why});
    if (!to.empty())
      d.notices.push_back(make_notice(NoticeKind::overdue_alert, std::move(to), {}, detail));
  };
  if (!is_done(state) && ticket.first_response_due && !ticket.first_response_at &&
      !ticket.first_response_overdue_noted && now > *ticket.first_response_due) {
    d.mark_first_response_overdue = true;
    overdue("first response", *ticket.first_response_due);
  }
  if (!is_done(state) && state != State::pending && ticket.resolution_due &&
      !ticket.resolution_overdue_noted && now > *ticket.resolution_due) {
    d.mark_resolution_overdue = true;
    overdue("resolution", *ticket.resolution_due);
  }
  return d;
}

}  // namespace ticketd::lifecycle
