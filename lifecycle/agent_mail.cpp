// ticketd lifecycle: an agent's mail on a ticket — commands applied in
// order, the answer relayed or the note kept (engine.h: on_agent_mail).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

#include "lifecycle/engine.h"
#include "lifecycle/engine_util.h"

namespace ticketd::lifecycle {

using namespace detail;

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

}  // namespace ticketd::lifecycle
