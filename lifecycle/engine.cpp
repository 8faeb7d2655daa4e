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

namespace ticketd::lifecycle {

namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool contains_ci(const std::vector<std::string>& v, std::string_view s) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& x) { return iequal(x, s); });
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Saturating, so absurd settings cannot overflow (UB) into a time in the past.
std::int64_t add_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  return r;
}

std::int64_t mul_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min()
                              : std::numeric_limits<std::int64_t>::max();
  return r;
}

// "2024-05-01 12:00 UTC" — for event details only; the store keeps the number.
std::string format_utc(std::int64_t t) {
  constexpr std::int64_t kLimit = 253402300799;  // 9999-12-31 23:59:59
  if (t < 0 || t > kLimit) return "@" + std::to_string(t);
  const std::chrono::sys_days day{std::chrono::days{t / 86400}};
  const std::chrono::year_month_day ymd{day};
  const std::int64_t rem = t % 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(rem / 3600), static_cast<int>(rem % 3600 / 60));
  return buf;
}

// "7d", "4h", "90m", "42s": the largest unit that divides evenly.
std::string format_duration(std::int64_t s) {
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

std::string_view mode_name(AssignMode m) {
  switch (m) {
    case AssignMode::round_robin:
      return "round-robin";
    case AssignMode::least_open:
      return "least-open";
    case AssignMode::fixed:
      return "fixed";
  }
  return "unknown";
}

// Event details quote at most this much of a note's text; the article itself
// keeps the whole body.
constexpr std::size_t kNoteExcerpt = 200;

std::string excerpt(std::string_view text) {
  std::size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  text.remove_prefix(b);
  std::size_t e = text.find_last_not_of(" \t\r\n");
  text = text.substr(0, e + 1);
  if (text.size() <= kNoteExcerpt) return std::string(text);
  std::size_t cut = kNoteExcerpt;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return std::string(text.substr(0, cut)) + "...";
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

bool is_done(State s) { return s == State::resolved || s == State::closed; }

SlaTimes sla_for(const LifecycleSettings& settings, Priority p) {
  auto it = settings.sla.find(p);
  return it == settings.sla.end() ? SlaTimes{} : it->second;
}

// The name of the last matched rule that did something starting with one of
// `prefixes` (later matches override earlier ones), or "".
std::string rule_that_did(const RuleResult& rules,
                          std::initializer_list<std::string_view> prefixes) {
  for (auto m = rules.matched.rbegin(); m != rules.matched.rend(); ++m)
    for (const std::string& did : m->did)
      for (std::string_view p : prefixes)
        if (did.starts_with(p)) return m->rule;
  return "";
}

std::string by_rule(const RuleResult& rules, std::initializer_list<std::string_view> prefixes) {
  std::string name = rule_that_did(rules, prefixes);
  if (!name.empty()) return "rule " + quoted(name);
  std::string all;
  for (const RuleMatch& m : rules.matched) all += (all.empty() ? "" : ", ") + quoted(m.rule);
  return all.empty() ? "rules" : "rules " + all;
}

// The assignee, else every present member of the team, else nobody.
std::vector<std::string> alert_targets(std::string_view assignee, std::string_view team,
                                       const Directory& dir) {
  if (!assignee.empty()) return {std::string(assignee)};
  std::vector<std::string> to;
  if (!team.empty())
    for (const Agent* a : dir.members(team))
      if (!a->away) to.push_back(a->address);
  return to;
}

Notice make_notice(NoticeKind kind, std::vector<std::string> to, std::vector<std::string> cc,
                   std::string detail) {
  return Notice{kind, std::move(to), std::move(cc), std::string(notice_kind_name(kind)),
                std::move(detail)};
}

std::string transition(State from, State to) {
  return std::string(state_name(from)) + " -> " + std::string(state_name(to));
}

// Sets or clears the due times in `d` where they differ from the ticket's.
// Returns "" when nothing changed, else a readable summary.
std::string apply_due_times(Decisions& d, const TicketView& t, const SlaTimes& sla,
                            bool first_response) {
  std::string summary;
  auto one = [&](std::int64_t seconds, const std::optional<std::int64_t>& current,
                 std::optional<std::int64_t>& set, bool& clear, std::string_view what) {
    std::optional<std::int64_t> due;
    if (seconds > 0) due = add_sat(t.created_at, seconds);
    if (due == current) return;
    if (due) {
      set = due;
      summary += (summary.empty() ? "" : ", ") + std::string(what) + " due " + format_utc(*due) +
                 " (+" + format_duration(seconds) + ")";
    } else {
      clear = true;
      summary += (summary.empty() ? "" : ", ") + std::string("no ") + std::string(what) + " target";
    }
  };
  if (first_response)
    one(sla.first_response_seconds, t.first_response_due, d.first_response_due,
        d.clear_first_response_due, "first response");
  one(sla.resolution_seconds, t.resolution_due, d.resolution_due, d.clear_resolution_due,
      "resolution");
  return summary;
}

}  // namespace

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
                                          ": no assignee and no present team member to alert"});
  } else {
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

namespace {

// The ticket as the agent's commands change it, one command at a time.
struct Working {
  State state;
  Priority priority;
  std::string team, assignee;
  std::vector<std::string> tags, collaborators;
  bool state_set = false;  // a command chose the state: an answer does not move it to pending
};

std::string command_text(const Command& c) {
  std::string s = "#" + std::string(command_name(c.kind));
  if (!c.arg.empty()) s += " " + c.arg;
  return s;
}

class CommandApplier {
 public:
  CommandApplier(Working& w, Decisions& d, std::vector<CommandError>& errors, const Agent& agent,
                 std::string_view requester, const Directory& dir, const AssignmentState& assign)
      : w_(w),
        d_(d),
        errors_(errors),
        agent_(agent),
        requester_(lower(requester)),
        dir_(dir),
        assign_(assign) {}

  void apply(const Command& c) {
    cmd_ = &c;
    switch (c.kind) {
      case CommandKind::assign:
        return assign(c.arg);
      case CommandKind::priority:
        if (auto p = parse_priority(c.arg)) return priority(*p);
        return error("#priority needs one of low, normal, high, urgent");
      case CommandKind::status: {
        auto s = parse_state(c.arg);
        if (!s || *s == State::new_)
          return error("#status needs one of open, pending, resolved, closed");
        return state(*s);
      }
      case CommandKind::resolve:
        return state(State::resolved);
      case CommandKind::close:
        return state(State::closed);
      case CommandKind::note:
        return;  // AgentMail::is_note carries it
      case CommandKind::tag:
        return tag(c.arg);
      case CommandKind::cc_add:
        return cc_add(lower(c.arg));
      case CommandKind::cc_remove:
        return cc_remove(lower(c.arg));
    }
  }

 private:
  std::string by() const { return "(" + command_text(*cmd_) + " by " + agent_.address + ")"; }
  void error(std::string reason) {
    errors_.push_back({cmd_->line, command_text(*cmd_), std::move(reason)});
  }
  void unchanged(std::string_view why) {
    d_.events.push_back(
        {"command", command_text(*cmd_) + " by " + agent_.address + ": " + std::string(why)});
  }

  void assign(const std::string& arg) {
    if (arg.empty()) return error("#assign needs an agent (name or address) or a team");
    // "me" is the commanding agent. Agents before teams: a person's name is
    // the more specific target.
    const Agent* a = iequal(arg, "me") ? &agent_ : dir_.agent(arg);
    if (a != nullptr) {
      if (iequal(a->address, w_.assignee)) return unchanged("already assigned to " + a->address);
      set_assignee(a->address, std::string(a->away ? " (away)" : "") + " " + by());
      return;
    }
    if (const Team* t = dir_.team(arg)) {
      if (t->name != w_.team) {
        d_.events.push_back(
            {"team", (w_.team.empty() ? "none" : w_.team) + " -> " + t->name + " " + by()});
        w_.team = t->name;
      }
      if (auto picked = pick_assignee(*t, dir_, assign_)) {
        if (*picked == w_.assignee) return;
        set_assignee(*picked,
                     " (" + std::string(mode_name(t->mode)) + " in team " + t->name + ") " + by());
      } else if (!w_.assignee.empty()) {
        d_.events.push_back({"assigned", w_.assignee + " -> nobody (team " + t->name +
                                             ": nobody available) " + by()});
        w_.assignee.clear();
      }
      return;
    }
    error("no agent or team named " + quoted(arg));
  }

  void set_assignee(const std::string& address, const std::string& why) {
    d_.events.push_back(
        {"assigned", (w_.assignee.empty() ? "nobody" : w_.assignee) + " -> " + address + why});
    w_.assignee = address;
    if (w_.state == State::new_) {
      d_.events.push_back(
          {"state", transition(w_.state, State::open) + " (assigned to " + address + ")"});
      w_.state = State::open;
    }
  }

  void priority(Priority p) {
    if (p == w_.priority) return unchanged("priority is already " + std::string(priority_name(p)));
    d_.events.push_back({"priority", std::string(priority_name(w_.priority)) + " -> " +
                                         std::string(priority_name(p)) + " " + by()});
    w_.priority = p;
  }

  void state(State s) {
    w_.state_set = true;
    if (s == w_.state) return unchanged("already " + std::string(state_name(s)));
    d_.events.push_back({"state", transition(w_.state, s) + " " + by()});
    w_.state = s;
  }

  void tag(const std::string& t) {
    if (t.empty()) return error("#tag needs a tag");
    if (contains_ci(w_.tags, t)) return unchanged("already tagged " + t);
    w_.tags.push_back(t);
    d_.events.push_back({"tag", "added " + t + " " + by()});
  }

  void cc_add(const std::string& address) {
    if (address.find('@') == std::string::npos) return error("#cc add needs an address");
    if (address == requester_) return error(address + " is the requester");
    if (contains_ci(w_.collaborators, address)) return unchanged(address + " is already copied");
    w_.collaborators.push_back(address);
    d_.events.push_back({"collaborator", "added " + address + " " + by()});
  }

  void cc_remove(const std::string& address) {
    auto it = std::find_if(w_.collaborators.begin(), w_.collaborators.end(),
                           [&](const std::string& x) { return iequal(x, address); });
    if (it == w_.collaborators.end()) return error(address + " is not a collaborator");
    w_.collaborators.erase(it);
    d_.events.push_back({"collaborator", "removed " + address + " " + by()});
  }

  Working& w_;
  Decisions& d_;
  std::vector<CommandError>& errors_;
  const Agent& agent_;
  std::string requester_;
  const Directory& dir_;
  const AssignmentState& assign_;
  const Command* cmd_ = nullptr;
};

}  // namespace

Decisions on_agent_mail(const TicketView& ticket, const Agent& agent, const AgentMail& mail,
                        bool may_command, const Directory& dir, const AssignmentState& assign,
                        const LifecycleSettings& settings, std::int64_t now) {
  Decisions d;
  Working w{ticket.state,    ticket.priority, ticket.team,
            ticket.assignee, ticket.tags,     ticket.collaborators};
  std::vector<CommandError> errors;

  if (may_command) {
    errors = mail.errors;
    CommandApplier applier(w, d, errors, agent, ticket.requester, dir, assign);
    for (const Command& c : mail.commands) applier.apply(c);
  } else {
    // "#note" is not counted: it is honoured even here (below), so it is not ignored.
    std::size_t ignored = mail.errors.size();
    for (const Command& c : mail.commands)
      if (c.kind != CommandKind::note) ++ignored;
    // No command_error notice either: the mail's origin is not proven, and
    // nothing was applied, so there is nothing to correct.
    if (ignored > 0)
      d.events.push_back({"command_ignored",
                          std::to_string(ignored) + " command line(s) from " + agent.address +
                              " ignored: commands are accepted only on the agent's token path or "
                              "a reply to a mail we sent to that agent"});
  }

  // A note stays internal even when commands are not accepted: relaying text
  // the agent marked as internal to the customer is the worse mistake.
  const bool is_answer = !mail.is_note && !is_blank(mail.body);
  if (mail.is_note) {
    std::string text = excerpt(mail.body);
    d.events.push_back({"note", "by " + agent.address + (text.empty() ? "" : ": " + text)});
  }
  if (is_answer) {
    // Answering an unassigned ticket takes it; only with proven origin, since
    // assignment is a change of ownership.
    if (may_command && w.assignee.empty()) {
      d.events.push_back(
          {"assigned", "nobody -> " + agent.address + " (answered an unassigned ticket)"});
      w.assignee = agent.address;
    }
    if (!w.state_set && (w.state == State::new_ || w.state == State::open)) {
      d.events.push_back({"state", transition(w.state, State::pending) + " (answered by " +
                                       agent.address + ", waiting on the customer)"});
      w.state = State::pending;
    }
    if (!ticket.first_response_at) d.first_response_at = now;
    std::vector<std::string> cc;
    for (const std::string& c : w.collaborators)
      if (!iequal(c, ticket.requester)) cc.push_back(c);
    d.events.push_back(
        {"answer", "by " + agent.address + " to " + ticket.requester +
                       (cc.empty() ? "" : " (+" + std::to_string(cc.size()) + " cc)") +
                       (ticket.first_response_at ? "" : "; first response")});
    if (!ticket.requester.empty())
      d.notices.push_back(make_notice(NoticeKind::answer, {ticket.requester}, cc, mail.body));
  }

  // Changes, relative to the ticket as it was.
  if (w.state != ticket.state) d.state = w.state;
  if (w.team != ticket.team) d.team = w.team;
  if (w.assignee != ticket.assignee) d.assignee = w.assignee;
  for (const std::string& t : w.tags)
    if (!contains_ci(ticket.tags, t)) d.add_tags.push_back(t);
  for (const std::string& c : w.collaborators)
    if (!contains_ci(ticket.collaborators, c)) d.add_collaborators.push_back(c);
  for (const std::string& c : ticket.collaborators)
    if (!contains_ci(w.collaborators, c)) d.remove_collaborators.push_back(c);
  if (w.state == State::pending && ticket.state != State::pending && ticket.reminders_sent != 0)
    d.reminders_sent = 0;

  if (w.priority != ticket.priority) {
    d.priority = w.priority;
    // Due times follow the new priority, counted from created_at. The first
    // response target no longer matters once a first response was sent.
    std::string due = apply_due_times(d, ticket, sla_for(settings, w.priority),
                                      !ticket.first_response_at.has_value());
    if (!due.empty())
      d.events.push_back({"sla", due + " (priority " + std::string(priority_name(w.priority)) +
                                     ", set by " + agent.address + ")"});
  }

  // The customer hears once that the ticket is done: when an agent resolves or
  // closes it from an active state. The clock's auto-close of a resolved
  // ticket sends nothing more (on_clock).
  if (is_done(w.state) && !is_done(ticket.state) && !ticket.requester.empty()) {
    std::vector<std::string> cc;
    for (const std::string& c : w.collaborators)
      if (!iequal(c, ticket.requester)) cc.push_back(c);
    d.notices.push_back(make_notice(NoticeKind::closure, {ticket.requester}, std::move(cc),
                                    std::string(state_name(w.state)) + " by " + agent.address));
  }

  // Whoever now holds the ticket hears about it, unless they did it themselves.
  if (w.assignee != ticket.assignee || (w.assignee.empty() && w.team != ticket.team)) {
    std::vector<std::string> to = alert_targets(w.assignee, w.team, dir);
    std::erase_if(to, [&](const std::string& a) { return iequal(a, agent.address); });
    if (!to.empty())
      d.notices.push_back(make_notice(NoticeKind::agent_alert, std::move(to), {},
                                      ticket.number + " assigned by " + agent.address));
  }

  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(),
                     [](const CommandError& a, const CommandError& b) { return a.line < b.line; });
    std::string detail;
    for (const CommandError& e : errors)
      detail += (detail.empty() ? "" : "\n") +
                ("line " + std::to_string(e.line) + ": " + e.text + " \u2014 " + e.reason);
    d.events.push_back({"command_error", std::to_string(errors.size()) + " command error(s) from " +
                                             agent.address + ":\n" + detail});
    d.notices.push_back(make_notice(NoticeKind::command_error, {agent.address}, {}, detail));
  }
  return d;
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
    d.events.push_back({"sla", detail + (to.empty() ? "; nobody to alert" : "")});
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
