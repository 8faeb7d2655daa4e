// ticketd lifecycle: the vocabulary of the help desk — ticket states,
// priorities, the view of a ticket the engine decides on, and the decisions it
// returns. Pure data; shared by the engine (states.h), rules (rules.h), agent
// commands (commands.h) and the loop guard (guard.h). The store fills
// TicketView and applies Decisions; nothing here does I/O or reads a clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::lifecycle {

// new → open (assigned, or first agent answer) → pending (waiting on the
// customer) → resolved → closed.
enum class State { new_, open, pending, resolved, closed };
std::string_view state_name(State s);                     // "new", "open", ...
std::optional<State> parse_state(std::string_view name);  // case-insensitive

enum class Priority { low, normal, high, urgent };
std::string_view priority_name(Priority p);
std::optional<Priority> parse_priority(std::string_view name);  // case-insensitive

// What the engine knows about one ticket. Times are seconds since the epoch.
struct TicketView {
  std::int64_t id = 0;
  std::string number;  // "TD-1001"
  State state = State::new_;
  Priority priority = Priority::normal;
  std::string team;      // "" when none
  std::string assignee;  // agent address, "" when none
  std::vector<std::string> tags;
  std::string requester;                   // address, lower-case
  std::vector<std::string> collaborators;  // addresses, lower-case
  std::int64_t created_at = 0;
  std::int64_t state_since = 0;                    // when the current state began
  std::optional<std::int64_t> first_response_at;   // first public agent answer
  std::optional<std::int64_t> first_response_due;  // SLA, from the priority
  std::optional<std::int64_t> resolution_due;
  int reminders_sent = 0;                     // while pending
  bool first_response_overdue_noted = false;  // an overdue event was already raised
  bool resolution_overdue_noted = false;
};

// A mail to send, decided now and stored as an outbox row in the same
// transaction (the outbound issue renders and sends it).
enum class NoticeKind {
  acknowledgement,  // to the requester: we got your mail (new ticket)
  agent_alert,      // to the assignee / team: new ticket or customer reply
  answer,           // an agent's public answer relayed to requester + collaborators
  reminder,         // to the requester: the ticket waits on you
  closure,          // to the requester: resolved / closed
  rejection,        // to the sender: a rule rejected the mail
  command_error,    // to an agent: a command in their mail was not understood
  overdue_alert,    // to the assignee / team: an SLA time passed
};
std::string_view notice_kind_name(NoticeKind k);

struct Notice {
  NoticeKind kind = NoticeKind::acknowledgement;
  std::vector<std::string> to;  // addresses
  std::vector<std::string> cc;
  std::string template_name;  // e.g. "acknowledgement"
  std::string detail;         // e.g. the command error text, the answer text
};

// One line of the audit log: what changed and why.
struct EventNote {
  std::string kind;    // "state", "assigned", "priority", "tag", "rule", "command", "guard", ...
  std::string detail;  // human-readable: "new -> open (assigned to nick@example.com)"
};

// Everything a decision changes. Fields left empty/nullopt are unchanged.
struct Decisions {
  std::optional<State> state;
  std::optional<Priority> priority;
  std::optional<std::string> team;
  std::optional<std::string> assignee;
  std::vector<std::string> add_tags, remove_tags;
  std::vector<std::string> add_collaborators, remove_collaborators;
  std::optional<std::int64_t> first_response_at;
  std::optional<std::int64_t> first_response_due, resolution_due;
  // The due time no longer applies (a new priority whose SLA has no target);
  // nullopt above can only mean "unchanged", so clearing needs its own flag.
  bool clear_first_response_due = false;
  bool clear_resolution_due = false;
  std::optional<int> reminders_sent;
  bool mark_first_response_overdue = false;
  bool mark_resolution_overdue = false;
  std::vector<Notice> notices;
  std::vector<EventNote> events;
};

}  // namespace ticketd::lifecycle
