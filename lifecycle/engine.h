// ticketd lifecycle: the engine — given a ticket, an event (new mail, customer
// reply, agent mail, the clock) and the configuration, decide what changes
// and whom to write to. Pure: no I/O, `now` is passed in; the store applies
// the Decisions in the same transaction as the mail that caused them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/commands.h"
#include "lifecycle/rules.h"
#include "lifecycle/ticket.h"

namespace ticketd::lifecycle {

struct Agent {
  std::string name;
  std::string address;  // lower-case
  std::vector<std::string> teams;
  bool away = false;  // skipped by automatic assignment
};

enum class AssignMode { round_robin, least_open, fixed };

struct Team {
  std::string name;
  AssignMode mode = AssignMode::round_robin;
  std::string fixed_agent;  // address, for AssignMode::fixed
};

struct Directory {
  std::vector<Agent> agents;
  std::vector<Team> teams;
  // The team of a ticket that no rule gives a team; "" when there is none, and
  // then an unrouted ticket alerts every present agent (osTicket's default
  // department). `default_team_why` says where it came from, for the events
  // ("tickets.default_team", "the only team").
  std::string default_team;
  std::string default_team_why;
  const Agent* agent(std::string_view name_or_address) const;      // case-insensitive
  const Team* team(std::string_view name) const;                   // case-insensitive
  std::vector<const Agent*> members(std::string_view team) const;  // in config order
};

// Assignment state kept in the store.
struct AssignmentState {
  std::map<std::string, std::string> last_assigned;  // team -> agent address (round-robin)
  std::map<std::string, int> open_tickets;           // agent address -> open tickets
};

// The agent for a ticket routed to `team`, or nullopt when nobody is available
// (all away, empty team). round_robin: the member after last_assigned in config
// order, wrapping, skipping away agents; least_open: the fewest open tickets,
// ties by config order; fixed: that agent unless away.
std::optional<std::string> pick_assignee(const Team& team, const Directory& dir,
                                         const AssignmentState& state);

struct SlaTimes {
  std::int64_t first_response_seconds = 0;  // 0: no target
  std::int64_t resolution_seconds = 0;
};

struct LifecycleSettings {
  std::int64_t auto_close_after_seconds = 7 * 86400;    // resolved this long → closed
  std::int64_t reminder_after_seconds = 3 * 86400;      // pending this long → reminder
  int max_reminders = 1;                                // then auto-resolve
  std::int64_t auto_resolve_after_seconds = 3 * 86400;  // after the last reminder
  std::int64_t reopen_closed_within_seconds = 0;  // 0: a reply to a closed ticket opens a new one
  std::map<Priority, SlaTimes> sla = {
      {Priority::low, {24 * 3600, 10 * 86400}},
      {Priority::normal, {8 * 3600, 5 * 86400}},
      {Priority::high, {4 * 3600, 2 * 86400}},
      {Priority::urgent, {3600, 8 * 3600}},
  };
};

// A new ticket was just created from `requester`'s mail (ticket.state == new).
// Applies the rule actions (team, assignee — a team without an assignee picks
// one via pick_assignee —, priority, tags, SLA due times from created_at);
// a ticket no rule routes gets dir.default_team; assigned → state open.
// Notices: an acknowledgement to the requester unless `ack_blocked` (a guard
// or suppress_ack says why: recorded as an event) and an agent_alert to the
// assignee (or every present member of the team; with no team at all, every
// present agent; or nobody, with an `unassigned` event).
// Every rule match becomes an event ("rule <name>: team=accounts, ...").
Decisions on_new_ticket(const TicketView& ticket, const RuleResult& rules,
                        const std::optional<std::string>& ack_blocked, const Directory& dir,
                        const AssignmentState& assign, const LifecycleSettings& settings,
                        std::int64_t now);

// What a customer's reply to an existing ticket does.
struct CustomerReplyOutcome {
  Decisions decisions;
  bool open_new_linked_ticket = false;  // closed and outside reopen_closed_within_seconds
};
// pending/resolved → open (event says why); closed → reopen within the window,
// else open_new_linked_ticket; new/open unchanged. Notice: agent_alert to the
// assignee (or the team) with the reply.
CustomerReplyOutcome on_customer_reply(const TicketView& ticket, const Directory& dir,
                                       const LifecycleSettings& settings, std::int64_t now);

// An agent's mail on a ticket. `may_command`: the mail came through the
// agent's token path or a Message-ID we sent to that agent (the caller knows);
// when false, commands are ignored with an event saying why, and the body is
// still treated as an answer/note. Commands: #assign (agent by name/address,
// or team → pick_assignee), #priority, #status, #resolve, #close, #tag, #cc,
// #note. A public answer (not a note, body non-empty) → notice `answer` to
// requester + collaborators, first_response_at if unset, state → pending
// (unless a command set the state; new/open → pending). Command errors →
// one command_error notice to the agent listing them. Every change → an event
// naming the agent.
Decisions on_agent_mail(const TicketView& ticket, const Agent& agent, const AgentMail& mail,
                        bool may_command, const Directory& dir, const AssignmentState& assign,
                        const LifecycleSettings& settings, std::int64_t now);

// The clock: resolved ≥ auto_close_after → closed (event, closure notice);
// pending ≥ reminder_after since state_since and reminders_sent < max →
// reminder notice (reminders_sent+1); pending with reminders_sent ≥ max and
// auto_resolve_after since the last reminder (state_since + reminder_after *
// reminders_sent is close enough; document what you choose) → resolved;
// first_response_due/resolution_due passed and not yet noted → an event and
// an overdue_alert to the assignee (or team), marked so it is raised once;
// when nobody present would get it (every agent away), it goes to every
// agent, away or not: a ticket never sits silently past its due time.
Decisions on_clock(const TicketView& ticket, const Directory& dir,
                   const LifecycleSettings& settings, std::int64_t now);

}  // namespace ticketd::lifecycle
