// The lifecycle engine: assignment, new tickets, customer replies, agent mail
// and the clock. Tables of named cases where the shape repeats; a few
// scenarios step `now` through a ticket's life with a tiny in-test "store"
// that applies each Decisions to the TicketView.
#include "lifecycle/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "lifecycle/engine_util.h"

using namespace ticketd::lifecycle;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000;  // 2023-11-14 22:13:20 UTC
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

// support: round-robin over nick, ann, bob (away).
// billing: least-open over nick, carol, bob (away).
// vip: fixed carol. night: fixed dave (away), with ann also a member.
// ghost: no members.
Directory directory() {
  Directory d;
  d.agents = {
      {"Nick", "nick@example.com", {"support", "billing"}, false},
      {"Ann", "ann@example.com", {"support", "night"}, false},
      {"Bob", "bob@example.com", {"support", "billing"}, true},
      {"Carol", "carol@example.com", {"billing", "vip"}, false},
      {"Dave", "dave@example.com", {"night"}, true},
  };
  d.teams = {
      {"support", AssignMode::round_robin, ""},
      {"billing", AssignMode::least_open, ""},
      {"vip", AssignMode::fixed, "carol@example.com"},
      {"night", AssignMode::fixed, "dave@example.com"},
      {"ghost", AssignMode::round_robin, ""},
  };
  return d;
}

TicketView ticket(State state = State::new_) {
  TicketView t;
  t.id = 1;
  t.number = "TD-1";
  t.state = state;
  t.requester = "karen@example.com";
  t.created_at = kT0;
  t.state_since = kT0;
  return t;
}

// What the store does with a Decisions (the part the tests need).
void apply(TicketView& t, const Decisions& d, std::int64_t now) {
  if (d.state && *d.state != t.state) {
    t.state = *d.state;
    t.state_since = now;
  }
  if (d.priority) t.priority = *d.priority;
  if (d.team) t.team = *d.team;
  if (d.assignee) t.assignee = *d.assignee;
  for (const auto& x : d.add_tags) t.tags.push_back(x);
  for (const auto& x : d.add_collaborators) t.collaborators.push_back(x);
  for (const auto& x : d.remove_collaborators) std::erase(t.collaborators, x);
  if (d.first_response_at) t.first_response_at = d.first_response_at;
  if (d.first_response_due) t.first_response_due = d.first_response_due;
  if (d.clear_first_response_due) t.first_response_due.reset();
  if (d.resolution_due) t.resolution_due = d.resolution_due;
  if (d.clear_resolution_due) t.resolution_due.reset();
  if (d.reminders_sent) t.reminders_sent = *d.reminders_sent;
  if (d.mark_first_response_overdue) t.first_response_overdue_noted = true;
  if (d.mark_resolution_overdue) t.resolution_overdue_noted = true;
}

const EventNote* find_event(const Decisions& d, std::string_view kind) {
  for (const auto& e : d.events)
    if (e.kind == kind) return &e;
  return nullptr;
}

std::string event_detail(const Decisions& d, std::string_view kind) {
  const EventNote* e = find_event(d, kind);
  return e ? e->detail : "<no " + std::string(kind) + " event>";
}

const Notice* find_notice(const Decisions& d, NoticeKind kind) {
  for (const auto& n : d.notices)
    if (n.kind == kind) return &n;
  return nullptr;
}

int count_notices(const Decisions& d, NoticeKind kind) {
  return static_cast<int>(std::count_if(d.notices.begin(), d.notices.end(),
                                        [&](const Notice& n) { return n.kind == kind; }));
}

using Addrs = std::vector<std::string>;

// ---------------------------------------------------------------- Directory

// Event details show times as "YYYY-MM-DD HH:MM UTC"; out of range: "@<seconds>".
TEST(FormatUtc, MinutesInUtcAndRawSecondsOutOfRange) {
  using ticketd::lifecycle::detail::format_utc;
  EXPECT_EQ(format_utc(0), "1970-01-01 00:00 UTC");
  EXPECT_EQ(format_utc(kT0), "2023-11-14 22:13 UTC");
  EXPECT_EQ(format_utc(951'782'400), "2000-02-29 00:00 UTC");  // leap day
  EXPECT_EQ(format_utc(1'798'761'599), "2026-12-31 23:59 UTC");
  EXPECT_EQ(format_utc(253'402'300'799), "9999-12-31 23:59 UTC");
  EXPECT_EQ(format_utc(-1), "@-1");
  EXPECT_EQ(format_utc(253'402'300'800), "@253402300800");
}

TEST(Directory, LooksUpAgentsByNameOrAddressCaseInsensitively) {
  const Directory dir = directory();
  ASSERT_NE(dir.agent("nick"), nullptr);
  EXPECT_EQ(dir.agent("nick")->address, "nick@example.com");
  ASSERT_NE(dir.agent("ANN@Example.COM"), nullptr);
  EXPECT_EQ(dir.agent("ANN@Example.COM")->name, "Ann");
  EXPECT_EQ(dir.agent("zed"), nullptr);
  ASSERT_NE(dir.team("BILLING"), nullptr);
  EXPECT_EQ(dir.team("BILLING")->name, "billing");
  EXPECT_EQ(dir.team("sales"), nullptr);
}

TEST(Directory, MembersInConfigOrder) {
  const Directory dir = directory();
  std::vector<std::string> names;
  for (const Agent* a : dir.members("Support")) names.push_back(a->name);
  EXPECT_EQ(names, (std::vector<std::string>{"Nick", "Ann", "Bob"}));
  EXPECT_TRUE(dir.members("ghost").empty());
}

// ------------------------------------------------------------ pick_assignee

struct PickCase {
  const char* name;
  const char* team;
  AssignmentState state;
  std::optional<std::string> want;
};

class PickAssignee : public testing::TestWithParam<PickCase> {};

TEST_P(PickAssignee, Picks) {
  const Directory dir = directory();
  const PickCase& c = GetParam();
  const Team* team = dir.team(c.team);
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(pick_assignee(*team, dir, c.state), c.want);
}

const PickCase kPickCases[] = {
    {"round_robin_starts_at_top", "support", {}, "nick@example.com"},
    {"round_robin_next_after_last",
     "support",
     {{{"support", "nick@example.com"}}, {}},
     "ann@example.com"},
    {"round_robin_skips_away_and_wraps",
     "support",
     {{{"support", "ann@example.com"}}, {}},
     "nick@example.com"},
    {"round_robin_last_was_away_agent",
     "support",
     {{{"support", "bob@example.com"}}, {}},
     "nick@example.com"},
    {"round_robin_unknown_last_starts_at_top",
     "support",
     {{{"support", "gone@example.com"}}, {}},
     "nick@example.com"},
    {"round_robin_other_teams_state_ignored",
     "support",
     {{{"billing", "nick@example.com"}}, {}},
     "nick@example.com"},
    {"round_robin_empty_team", "ghost", {}, std::nullopt},
    {"least_open_fewest",
     "billing",
     {{}, {{"nick@example.com", 3}, {"carol@example.com", 1}}},
     "carol@example.com"},
    {"least_open_tie_config_order",
     "billing",
     {{}, {{"nick@example.com", 2}, {"carol@example.com", 2}}},
     "nick@example.com"},
    {"least_open_missing_count_is_zero",
     "billing",
     {{}, {{"nick@example.com", 2}}},
     "carol@example.com"},
    {"least_open_skips_away_with_fewest",
     "billing",
     {{}, {{"nick@example.com", 5}, {"carol@example.com", 4}, {"bob@example.com", 0}}},
     "carol@example.com"},
    {"fixed_present", "vip", {}, "carol@example.com"},
    {"fixed_away", "night", {}, std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(Engine, PickAssignee, testing::ValuesIn(kPickCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(PickAssigneeEdge, RoundRobinAllAwayAndSingleMember) {
  Directory dir = directory();
  for (Agent& a : dir.agents)
    if (a.name != "Bob") a.away = true;
  EXPECT_EQ(pick_assignee(*dir.team("support"), dir, {}), std::nullopt);
  // One present member is picked again after itself.
  dir.agents[0].away = false;  // nick
  AssignmentState s{{{"support", "nick@example.com"}}, {}};
  EXPECT_EQ(pick_assignee(*dir.team("support"), dir, s), "nick@example.com");
}

TEST(PickAssigneeEdge, FixedAgentUnknownIsNobody) {
  Directory dir = directory();
  Team t{"x", AssignMode::fixed, "nobody@example.com"};
  EXPECT_EQ(pick_assignee(t, dir, {}), std::nullopt);
}

// ------------------------------------------------------------ on_new_ticket

// Builds RuleActions (designated initializers warn on g++ 12 with -Wextra).
struct Acts {
  RuleActions a;
  Acts& team(std::string v) { return a.team = std::move(v), *this; }
  Acts& assignee(std::string v) { return a.assignee = std::move(v), *this; }
  Acts& priority(Priority v) { return a.priority = v, *this; }
  Acts& tags(std::vector<std::string> v) { return a.tags = std::move(v), *this; }
  Acts& sla(std::string v) { return a.sla = std::move(v), *this; }
  Acts& suppress_ack() { return a.suppress_ack = true, *this; }
  operator RuleActions() const { return a; }
};

RuleResult rules_for(std::vector<RuleMatch> matched, RuleActions actions) {
  RuleResult r;
  r.matched = std::move(matched);
  r.actions = std::move(actions);
  return r;
}

struct NewCase {
  const char* name;
  RuleResult rules;
  std::optional<State> want_state;
  std::optional<std::string> want_team;
  std::optional<std::string> want_assignee;
  std::string state_detail;  // "" when no state event
  Addrs alert_to;            // empty: no agent_alert
};

class NewTicket : public testing::TestWithParam<NewCase> {};

TEST_P(NewTicket, AssignsAndAlerts) {
  const NewCase& c = GetParam();
  AssignmentState assign{{{"support", "nick@example.com"}}, {}};
  Decisions d = on_new_ticket(ticket(), c.rules, std::nullopt, directory(), assign, {}, kT0);
  EXPECT_EQ(d.state, c.want_state);
  EXPECT_EQ(d.team, c.want_team);
  EXPECT_EQ(d.assignee, c.want_assignee);
  if (c.state_detail.empty()) {
    EXPECT_EQ(find_event(d, "state"), nullptr);
  } else {
    EXPECT_EQ(event_detail(d, "state"), c.state_detail);
  }
  const Notice* alert = find_notice(d, NoticeKind::agent_alert);
  if (c.alert_to.empty()) {
    EXPECT_EQ(alert, nullptr);
    EXPECT_NE(find_event(d, "unassigned"), nullptr);
  } else {
    ASSERT_NE(alert, nullptr);
    EXPECT_EQ(alert->to, c.alert_to);
    EXPECT_EQ(alert->template_name, "agent_alert");
  }
  // Every case acknowledges: nothing blocks it here.
  ASSERT_EQ(count_notices(d, NoticeKind::acknowledgement), 1);
  EXPECT_EQ(find_notice(d, NoticeKind::acknowledgement)->to, Addrs{"karen@example.com"});
}

const NewCase kNewCases[] = {
    // Several teams, no default: every agent who is not away hears of it.
    {"no_rules_no_default_alerts_every_present_agent",
     {},
     std::nullopt,
     std::nullopt,
     std::nullopt,
     "",
     {"nick@example.com", "ann@example.com", "carol@example.com"}},
    {"rule_assignee_opens",
     rules_for({{"password", {"assignee=nick@example.com"}}}, Acts().assignee("Nick@Example.com")),
     State::open,
     std::nullopt,
     "nick@example.com",
     "new -> open (assigned to nick@example.com by rule \"password\")",
     {"nick@example.com"}},
    {"rule_team_round_robin",
     rules_for({{"general", {"team=support"}}}, Acts().team("support")),
     State::open,
     "support",
     "ann@example.com",
     "new -> open (assigned to ann@example.com by round-robin in team support)",
     {"ann@example.com"}},
    {"rule_team_name_canonicalised",
     rules_for({{"vip", {"team=VIP"}}}, Acts().team("VIP")),
     State::open,
     "vip",
     "carol@example.com",
     "new -> open (assigned to carol@example.com by fixed in team vip)",
     {"carol@example.com"}},
    {"fixed_agent_away_alerts_present_members",
     rules_for({{"late", {"team=night"}}}, Acts().team("night")),
     std::nullopt,
     "night",
     std::nullopt,
     "",
     {"ann@example.com"}},
    {"empty_team_nobody_alerted",
     rules_for({{"void", {"team=ghost"}}}, Acts().team("ghost")),
     std::nullopt,
     "ghost",
     std::nullopt,
     "",
     {}},
    {"rule_team_and_assignee_assignee_wins",
     rules_for({{"a", {"team=support"}}, {"b", {"assignee=carol@example.com"}}},
               Acts().team("support").assignee("carol@example.com")),
     State::open,
     "support",
     "carol@example.com",
     "new -> open (assigned to carol@example.com by rule \"b\")",
     {"carol@example.com"}},
};

INSTANTIATE_TEST_SUITE_P(Engine, NewTicket, testing::ValuesIn(kNewCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(NewTicketDefaults, UnroutedTicketWithoutDefaultSaysEveryPresentAgentIsAlerted) {
  Decisions d = on_new_ticket(ticket(), {}, std::nullopt, directory(), {}, {}, kT0);
  EXPECT_EQ(d.team, std::nullopt);
  EXPECT_EQ(event_detail(d, "unrouted"),
            "no rule and no default team route TD-1: alerting every present agent (3)");
  EXPECT_EQ(find_event(d, "unassigned"), nullptr);
}

TEST(NewTicketDefaults, DefaultTeamRoutesWhatNoRuleRoutes) {
  Directory dir = directory();
  dir.default_team = "support";
  dir.default_team_why = "tickets.default_team";
  AssignmentState assign{{{"support", "nick@example.com"}}, {}};
  Decisions d = on_new_ticket(ticket(), {}, std::nullopt, dir, assign, {}, kT0);
  EXPECT_EQ(d.team, "support");
  EXPECT_EQ(d.assignee, "ann@example.com");  // round-robin after nick
  EXPECT_EQ(d.state, State::open);
  EXPECT_EQ(event_detail(d, "team"),
            "support (no rule gave a team; default team: tickets.default_team)");
  EXPECT_EQ(find_event(d, "unrouted"), nullptr);
  const Notice* alert = find_notice(d, NoticeKind::agent_alert);
  ASSERT_NE(alert, nullptr);
  EXPECT_EQ(alert->to, Addrs{"ann@example.com"});
}

TEST(NewTicketDefaults, RuleTeamOrAssigneeWinsOverTheDefault) {
  Directory dir = directory();
  dir.default_team = "support";
  dir.default_team_why = "the only team";
  Decisions by_team =
      on_new_ticket(ticket(), rules_for({{"vip", {"team=vip"}}}, Acts().team("vip")), std::nullopt,
                    dir, {}, {}, kT0);
  EXPECT_EQ(by_team.team, "vip");
  Decisions by_agent = on_new_ticket(
      ticket(),
      rules_for({{"a", {"assignee=carol@example.com"}}}, Acts().assignee("carol@example.com")),
      std::nullopt, dir, {}, {}, kT0);
  EXPECT_EQ(by_agent.team, std::nullopt);
  EXPECT_EQ(by_agent.assignee, "carol@example.com");
}

TEST(NewTicketDefaults, OnlyTeamAsDefaultAlertsItsPresentMember) {
  Directory dir;
  dir.agents = {{"Ann", "ann@example.com", {"help"}, false}};
  dir.teams = {{"help", AssignMode::round_robin, ""}};
  dir.default_team = "help";
  dir.default_team_why = "the only team";
  Decisions d = on_new_ticket(ticket(), {}, std::nullopt, dir, {}, {}, kT0);
  EXPECT_EQ(d.team, "help");
  EXPECT_EQ(d.assignee, "ann@example.com");
  EXPECT_EQ(event_detail(d, "team"), "help (no rule gave a team; default team: the only team)");
  const Notice* alert = find_notice(d, NoticeKind::agent_alert);
  ASSERT_NE(alert, nullptr);
  EXPECT_EQ(alert->to, Addrs{"ann@example.com"});
}

// Every agent away: nobody is alerted at intake, the event says the clock
// will, and the first-response overdue alert goes to all agents.
TEST(NewTicketDefaults, EveryAgentAwayThenTheClockAlertsAllAgents) {
  Directory dir;
  dir.agents = {{"Ann", "ann@example.com", {"help"}, true}, {"Bob", "bob@example.com", {}, true}};
  dir.teams = {{"help", AssignMode::round_robin, ""}, {"other", AssignMode::round_robin, ""}};
  TicketView t = ticket();
  Decisions d = on_new_ticket(t, {}, std::nullopt, dir, {}, {}, kT0);
  EXPECT_EQ(find_notice(d, NoticeKind::agent_alert), nullptr);
  EXPECT_NE(event_detail(d, "unassigned").find("the clock alerts every agent"), std::string::npos);
  ASSERT_TRUE(d.first_response_due.has_value());
  apply(t, d, kT0);
  EXPECT_EQ(find_notice(on_clock(t, dir, {}, *t.first_response_due - 1), NoticeKind::overdue_alert),
            nullptr);
  Decisions late = on_clock(t, dir, {}, *t.first_response_due + 1);
  EXPECT_TRUE(late.mark_first_response_overdue);
  const Notice* n = find_notice(late, NoticeKind::overdue_alert);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->to, (Addrs{"ann@example.com", "bob@example.com"}));
  EXPECT_NE(event_detail(late, "sla").find("nobody present: alerting all agents"),
            std::string::npos);
}

TEST(NewTicketRules, EveryMatchIsAnEventAndPriorityAndTagsApply) {
  TicketView t = ticket();
  t.tags = {"vip"};
  RuleResult r =
      rules_for({{"urgent-words", {"priority=urgent", "tag=login"}}, {"stopper", {"stop"}}},
                Acts().priority(Priority::urgent).tags({"login", "VIP"}));
  Decisions d = on_new_ticket(t, r, std::nullopt, directory(), {}, {}, kT0);
  std::vector<std::string> rule_events;
  for (const auto& e : d.events)
    if (e.kind == "rule") rule_events.push_back(e.detail);
  EXPECT_EQ(rule_events,
            (std::vector<std::string>{"rule \"urgent-words\": priority=urgent, tag=login",
                                      "rule \"stopper\": stop"}));
  EXPECT_EQ(d.priority, Priority::urgent);
  EXPECT_EQ(event_detail(d, "priority"), "normal -> urgent (rule \"urgent-words\")");
  EXPECT_EQ(d.add_tags, Addrs{"login"});  // "VIP" is already there as "vip"
  EXPECT_EQ(event_detail(d, "tag"), "added login (rule \"urgent-words\")");
  EXPECT_EQ(d.first_response_due, kT0 + kHour);  // urgent's SLA
  EXPECT_EQ(d.resolution_due, kT0 + 8 * kHour);
}

struct SlaCase {
  const char* name;
  Priority priority;
  std::int64_t first, resolution;
};

class NewTicketSla : public testing::TestWithParam<SlaCase> {};

TEST_P(NewTicketSla, DueTimesFromCreatedAt) {
  const SlaCase& c = GetParam();
  TicketView t = ticket();
  t.priority = c.priority;
  // `now` later than created_at: due times still count from created_at.
  Decisions d = on_new_ticket(t, {}, std::nullopt, directory(), {}, {}, kT0 + 600);
  EXPECT_EQ(d.first_response_due, kT0 + c.first);
  EXPECT_EQ(d.resolution_due, kT0 + c.resolution);
  EXPECT_NE(find_event(d, "sla"), nullptr);
}

const SlaCase kSlaCases[] = {
    {"low", Priority::low, 24 * kHour, 10 * kDay},
    {"normal", Priority::normal, 8 * kHour, 5 * kDay},
    {"high", Priority::high, 4 * kHour, 2 * kDay},
    {"urgent", Priority::urgent, kHour, 8 * kHour},
};

INSTANTIATE_TEST_SUITE_P(Engine, NewTicketSla, testing::ValuesIn(kSlaCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(NewTicketSlaEdge, RuleSlaBorrowsTimesWithoutChangingPriority) {
  RuleResult r = rules_for({{"vip-sender", {"sla=urgent"}}}, Acts().sla("urgent"));
  Decisions d = on_new_ticket(ticket(), r, std::nullopt, directory(), {}, {}, kT0);
  EXPECT_EQ(d.priority, std::nullopt);
  EXPECT_EQ(d.first_response_due, kT0 + kHour);
  EXPECT_EQ(d.resolution_due, kT0 + 8 * kHour);
  EXPECT_NE(event_detail(d, "sla").find("SLA of urgent, rule \"vip-sender\""), std::string::npos);
}

TEST(NewTicketSlaEdge, ZeroMeansNoTarget) {
  LifecycleSettings s;
  s.sla[Priority::normal] = {0, 3 * kDay};
  Decisions d = on_new_ticket(ticket(), {}, std::nullopt, directory(), {}, s, kT0);
  EXPECT_EQ(d.first_response_due, std::nullopt);
  EXPECT_FALSE(d.clear_first_response_due);  // it was never set
  EXPECT_EQ(d.resolution_due, kT0 + 3 * kDay);
}

TEST(NewTicketAck, BlockedByGuardRecordsTheReason) {
  Decisions d = on_new_ticket(ticket(), {}, std::string("rate limit: 5 automatic mails"),
                              directory(), {}, {}, kT0);
  EXPECT_EQ(count_notices(d, NoticeKind::acknowledgement), 0);
  EXPECT_EQ(event_detail(d, "guard"),
            "no acknowledgement to karen@example.com: rate limit: 5 automatic mails");
}

TEST(NewTicketAck, SuppressedByRuleNamesTheRule) {
  RuleResult r = rules_for({{"team-only", {"team=support"}}, {"noreply", {"suppress_ack"}}},
                           Acts().team("support").suppress_ack());
  Decisions d = on_new_ticket(ticket(), r, std::nullopt, directory(), {}, {}, kT0);
  EXPECT_EQ(count_notices(d, NoticeKind::acknowledgement), 0);
  bool found = false;
  for (const auto& e : d.events)
    if (e.kind == "rule" && e.detail == "no acknowledgement: suppressed by rule \"noreply\"")
      found = true;
  EXPECT_TRUE(found);
  EXPECT_EQ(count_notices(d, NoticeKind::agent_alert), 1);  // agents still hear of it
}

// -------------------------------------------------------- on_customer_reply

struct ReplyCase {
  const char* name;
  State state;
  std::int64_t reopen_window;
  std::int64_t since_state;  // now - state_since
  std::optional<State> want_state;
  const char* want_event_kind;  // "" when no state event
  bool want_linked;
};

class CustomerReply : public testing::TestWithParam<ReplyCase> {};

TEST_P(CustomerReply, Transitions) {
  const ReplyCase& c = GetParam();
  TicketView t = ticket(c.state);
  t.assignee = "nick@example.com";
  t.reminders_sent = 1;
  LifecycleSettings s;
  s.reopen_closed_within_seconds = c.reopen_window;
  const std::int64_t now = t.state_since + c.since_state;
  CustomerReplyOutcome out = on_customer_reply(t, directory(), s, now);
  EXPECT_EQ(out.decisions.state, c.want_state);
  EXPECT_EQ(out.open_new_linked_ticket, c.want_linked);
  if (*c.want_event_kind != '\0') {
    EXPECT_EQ(event_detail(out.decisions, c.want_event_kind)
                  .rfind(std::string(state_name(c.state)) + " -> open", 0),
              0u)
        << event_detail(out.decisions, c.want_event_kind);
    EXPECT_EQ(out.decisions.reminders_sent, 0);
  }
  if (c.want_linked) {
    EXPECT_TRUE(out.decisions.notices.empty());  // the new ticket alerts
    EXPECT_NE(find_event(out.decisions, "linked"), nullptr);
  } else {
    const Notice* n = find_notice(out.decisions, NoticeKind::agent_alert);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->to, Addrs{"nick@example.com"});
  }
}

const ReplyCase kReplyCases[] = {
    {"new_unchanged", State::new_, 0, 60, std::nullopt, "", false},
    {"open_unchanged", State::open, 0, 60, std::nullopt, "", false},
    {"pending_to_open", State::pending, 0, kDay, State::open, "state", false},
    {"resolved_reopens", State::resolved, 0, 3 * kDay, State::open, "reopened", false},
    {"closed_within_window_reopens", State::closed, 7 * kDay, 2 * kDay, State::open, "reopened",
     false},
    {"closed_at_window_edge_reopens", State::closed, 7 * kDay, 7 * kDay, State::open, "reopened",
     false},
    {"closed_outside_window_links", State::closed, 7 * kDay, 8 * kDay, std::nullopt, "", true},
    {"closed_without_window_links", State::closed, 0, 60, std::nullopt, "", true},
};

INSTANTIATE_TEST_SUITE_P(Engine, CustomerReply, testing::ValuesIn(kReplyCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CustomerReplyAlert, UnassignedGoesToPresentTeamMembers) {
  TicketView t = ticket(State::pending);
  t.team = "support";
  CustomerReplyOutcome out = on_customer_reply(t, directory(), {}, kT0 + kDay);
  const Notice* n = find_notice(out.decisions, NoticeKind::agent_alert);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->to, (Addrs{"nick@example.com", "ann@example.com"}));  // bob is away
}

// ------------------------------------------------------------ on_agent_mail

const Agent& nick() {
  static const Directory dir = directory();
  return *dir.agent("nick");
}

AgentMail mail(std::vector<Command> commands, std::string body = "",
               std::vector<CommandError> errors = {}) {
  AgentMail m;
  m.commands = std::move(commands);
  m.errors = std::move(errors);
  m.body = std::move(body);
  for (const auto& c : m.commands)
    if (c.kind == CommandKind::note) m.is_note = true;
  return m;
}

TicketView open_ticket() {
  TicketView t = ticket(State::open);
  t.team = "support";
  t.assignee = "nick@example.com";
  t.collaborators = {"sue@example.com"};
  t.tags = {"login"};
  t.first_response_due = kT0 + 8 * kHour;
  t.resolution_due = kT0 + 5 * kDay;
  return t;
}

TEST(AgentMail, AnswerGoesToCustomerAndWaitsOnThem) {
  const std::int64_t now = kT0 + kHour;
  Decisions d = on_agent_mail(open_ticket(), nick(), mail({}, "Try resetting it."), true,
                              directory(), {}, {}, now);
  const Notice* n = find_notice(d, NoticeKind::answer);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->to, Addrs{"karen@example.com"});
  EXPECT_EQ(n->cc, Addrs{"sue@example.com"});
  EXPECT_EQ(n->template_name, "answer");
  EXPECT_EQ(n->detail, "Try resetting it.");
  EXPECT_EQ(d.first_response_at, now);
  EXPECT_EQ(d.state, State::pending);
  EXPECT_EQ(event_detail(d, "state").rfind("open -> pending", 0), 0u);
  EXPECT_EQ(d.notices.size(), 1u);
}

TEST(AgentMail, SecondAnswerKeepsFirstResponseTime) {
  TicketView t = open_ticket();
  t.first_response_at = kT0 + 60;
  t.state = State::pending;
  Decisions d = on_agent_mail(t, nick(), mail({}, "More."), true, directory(), {}, {}, kT0 + kDay);
  EXPECT_EQ(d.first_response_at, std::nullopt);
  EXPECT_EQ(d.state, std::nullopt);  // already pending
  EXPECT_EQ(count_notices(d, NoticeKind::answer), 1);
}

TEST(AgentMail, NoteIsInternal) {
  Decisions d =
      on_agent_mail(open_ticket(), nick(), mail({{CommandKind::note, "", 1}}, "called her"), true,
                    directory(), {}, {}, kT0 + kHour);
  EXPECT_TRUE(d.notices.empty());
  EXPECT_EQ(d.state, std::nullopt);
  EXPECT_EQ(d.first_response_at, std::nullopt);
  EXPECT_EQ(event_detail(d, "note"), "by nick@example.com: called her");
}

TEST(AgentMail, BlankBodyIsNoAnswer) {
  Decisions d = on_agent_mail(open_ticket(), nick(), mail({}, " \n\n"), true, directory(), {}, {},
                              kT0 + kHour);
  EXPECT_TRUE(d.notices.empty());
  EXPECT_EQ(d.state, std::nullopt);
}

TEST(AgentMail, AnsweringUnassignedNewTicketTakesIt) {
  Decisions d =
      on_agent_mail(ticket(), nick(), mail({}, "Hello"), true, directory(), {}, {}, kT0 + 60);
  EXPECT_EQ(d.assignee, "nick@example.com");
  EXPECT_EQ(d.state, State::pending);
}

struct CommandCase {
  const char* name;
  std::vector<Command> commands;
  std::string body;
  std::function<void(const Decisions&)> check;
};

class AgentCommands : public testing::TestWithParam<CommandCase> {};

TEST_P(AgentCommands, Apply) {
  const CommandCase& c = GetParam();
  AssignmentState assign{{{"support", "nick@example.com"}}, {}};
  Decisions d = on_agent_mail(open_ticket(), nick(), mail(c.commands, c.body), true, directory(),
                              assign, {}, kT0 + 2 * kHour);
  c.check(d);
}

std::string error_detail(const Decisions& d) {
  const Notice* n = find_notice(d, NoticeKind::command_error);
  if (n == nullptr) return "<no command_error notice>";
  EXPECT_EQ(n->to, Addrs{"nick@example.com"});
  EXPECT_EQ(n->template_name, "command_error");
  return n->detail;
}

const CommandCase kCommandCases[] = {
    {"assign_agent_by_name",
     {{CommandKind::assign, "ann", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, "ann@example.com");
       EXPECT_EQ(event_detail(d, "assigned"),
                 "nick@example.com -> ann@example.com (#assign ann by nick@example.com)");
       const Notice* n = find_notice(d, NoticeKind::agent_alert);
       ASSERT_NE(n, nullptr);
       EXPECT_EQ(n->to, Addrs{"ann@example.com"});
     }},
    {"assign_agent_by_address_any_case",
     {{CommandKind::assign, "CAROL@example.com", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, "carol@example.com");
       EXPECT_EQ(d.team, std::nullopt);  // the team stays
     }},
    {"assign_away_agent_explicitly",
     {{CommandKind::assign, "bob", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, "bob@example.com");
       EXPECT_NE(event_detail(d, "assigned").find("(away)"), std::string::npos);
     }},
    {"assign_team_picks",
     {{CommandKind::assign, "billing", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.team, "billing");
       EXPECT_EQ(d.assignee, std::nullopt);  // least-open picks nick, who has it already
       EXPECT_TRUE(d.notices.empty());
     }},
    {"assign_team_vip",
     {{CommandKind::assign, "vip", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.team, "vip");
       EXPECT_EQ(d.assignee, "carol@example.com");
     }},
    {"assign_team_nobody_available_unassigns",
     {{CommandKind::assign, "ghost", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.team, "ghost");
       EXPECT_EQ(d.assignee, "");
     }},
    {"assign_unknown_is_error",
     {{CommandKind::assign, "zed", 3}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, std::nullopt);
       EXPECT_EQ(error_detail(d), "line 3: #assign zed \u2014 no agent or team named \"zed\"");
     }},
    {"assign_self_is_noop",
     {{CommandKind::assign, "me", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, std::nullopt);
       EXPECT_NE(find_event(d, "command"), nullptr);
     }},
    {"priority_recomputes_due_times",
     {{CommandKind::priority, "high", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.priority, Priority::high);
       EXPECT_EQ(event_detail(d, "priority"),
                 "normal -> high (#priority high by nick@example.com)");
       EXPECT_EQ(d.first_response_due, kT0 + 4 * kHour);
       EXPECT_EQ(d.resolution_due, kT0 + 2 * kDay);
     }},
    {"priority_same_is_noop",
     {{CommandKind::priority, "normal", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.priority, std::nullopt);
       EXPECT_EQ(d.resolution_due, std::nullopt);
     }},
    {"priority_bad_word_is_error",
     {{CommandKind::priority, "asap", 2}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.priority, std::nullopt);
       EXPECT_NE(error_detail(d).find("line 2: #priority asap"), std::string::npos);
     }},
    {"status_resolved_sends_closure",
     {{CommandKind::status, "resolved", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.state, State::resolved);
       const Notice* n = find_notice(d, NoticeKind::closure);
       ASSERT_NE(n, nullptr);
       EXPECT_EQ(n->to, Addrs{"karen@example.com"});
       EXPECT_EQ(n->cc, Addrs{"sue@example.com"});
     }},
    {"status_pending",
     {{CommandKind::status, "pending", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.state, State::pending);
       EXPECT_EQ(count_notices(d, NoticeKind::closure), 0);
     }},
    {"status_new_is_error",
     {{CommandKind::status, "new", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.state, std::nullopt);
       EXPECT_NE(error_detail(d).find("#status needs one of"), std::string::npos);
     }},
    {"resolve_with_answer_sends_both_stays_resolved",
     {{CommandKind::resolve, "", 1}},
     "Fixed now.",
     [](const Decisions& d) {
       EXPECT_EQ(d.state, State::resolved);
       EXPECT_EQ(count_notices(d, NoticeKind::answer), 1);
       EXPECT_EQ(count_notices(d, NoticeKind::closure), 1);
       EXPECT_EQ(d.first_response_at, kT0 + 2 * kHour);
     }},
    {"close",
     {{CommandKind::close, "", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.state, State::closed);
       EXPECT_EQ(count_notices(d, NoticeKind::closure), 1);
     }},
    {"tag_adds",
     {{CommandKind::tag, "billing-issue", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.add_tags, Addrs{"billing-issue"});
       EXPECT_EQ(event_detail(d, "tag"),
                 "added billing-issue (#tag billing-issue by nick@example.com)");
     }},
    {"tag_existing_is_noop",
     {{CommandKind::tag, "LOGIN", 1}},
     "",
     [](const Decisions& d) { EXPECT_TRUE(d.add_tags.empty()); }},
    {"cc_add",
     {{CommandKind::cc_add, "Tom@Example.com", 1}},
     "",
     [](const Decisions& d) { EXPECT_EQ(d.add_collaborators, Addrs{"tom@example.com"}); }},
    {"cc_add_requester_is_error",
     {{CommandKind::cc_add, "karen@example.com", 4}},
     "",
     [](const Decisions& d) {
       EXPECT_TRUE(d.add_collaborators.empty());
       EXPECT_EQ(error_detail(d),
                 "line 4: #cc add karen@example.com \u2014 karen@example.com is the requester");
     }},
    {"cc_remove",
     {{CommandKind::cc_remove, "sue@example.com", 1}},
     "",
     [](const Decisions& d) { EXPECT_EQ(d.remove_collaborators, Addrs{"sue@example.com"}); }},
    {"cc_remove_unknown_is_error",
     {{CommandKind::cc_remove, "tom@example.com", 1}},
     "",
     [](const Decisions& d) {
       EXPECT_TRUE(d.remove_collaborators.empty());
       EXPECT_NE(error_detail(d).find("is not a collaborator"), std::string::npos);
     }},
    {"cc_add_then_answer_copies_new_collaborator",
     {{CommandKind::cc_add, "tom@example.com", 1}},
     "Hi all",
     [](const Decisions& d) {
       const Notice* n = find_notice(d, NoticeKind::answer);
       ASSERT_NE(n, nullptr);
       EXPECT_EQ(n->cc, (Addrs{"sue@example.com", "tom@example.com"}));
     }},
    {"commands_apply_in_order",
     {{CommandKind::assign, "ann", 1}, {CommandKind::assign, "carol", 2}},
     "",
     [](const Decisions& d) {
       EXPECT_EQ(d.assignee, "carol@example.com");
       const Notice* n = find_notice(d, NoticeKind::agent_alert);
       ASSERT_NE(n, nullptr);
       EXPECT_EQ(n->to, Addrs{"carol@example.com"});
     }},
};

INSTANTIATE_TEST_SUITE_P(Engine, AgentCommands, testing::ValuesIn(kCommandCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AgentMailCommands, AssignOnNewTicketOpensIt) {
  Decisions d = on_agent_mail(ticket(), nick(), mail({{CommandKind::assign, "ann", 1}}), true,
                              directory(), {}, {}, kT0 + 60);
  EXPECT_EQ(d.state, State::open);
  EXPECT_EQ(d.assignee, "ann@example.com");
}

TEST(AgentMailCommands, PriorityAfterFirstResponseKeepsFirstResponseDue) {
  TicketView t = open_ticket();
  t.first_response_at = kT0 + kHour;
  Decisions d = on_agent_mail(t, nick(), mail({{CommandKind::priority, "urgent", 1}}), true,
                              directory(), {}, {}, kT0 + 2 * kHour);
  EXPECT_EQ(d.first_response_due, std::nullopt);
  EXPECT_EQ(d.resolution_due, kT0 + 8 * kHour);
}

TEST(AgentMailCommands, PriorityWithoutTargetClearsDueTimes) {
  LifecycleSettings s;
  s.sla[Priority::low] = {0, 0};
  Decisions d = on_agent_mail(open_ticket(), nick(), mail({{CommandKind::priority, "low", 1}}),
                              true, directory(), {}, s, kT0 + 2 * kHour);
  EXPECT_TRUE(d.clear_first_response_due);
  EXPECT_TRUE(d.clear_resolution_due);
  EXPECT_EQ(d.first_response_due, std::nullopt);
}

TEST(AgentMailCommands, ParserAndEngineErrorsMakeOneNoticeInLineOrder) {
  AgentMail m = mail({{CommandKind::assign, "zed", 3}, {CommandKind::tag, "ok", 4}}, "",
                     {{1, "#asign ann", "unknown command #asign (did you mean #assign?)"}});
  Decisions d = on_agent_mail(open_ticket(), nick(), m, true, directory(), {}, {}, kT0 + kHour);
  EXPECT_EQ(count_notices(d, NoticeKind::command_error), 1);
  EXPECT_EQ(error_detail(d),
            "line 1: #asign ann \u2014 unknown command #asign (did you mean #assign?)\n"
            "line 3: #assign zed \u2014 no agent or team named \"zed\"");
  EXPECT_EQ(d.add_tags, Addrs{"ok"});  // the good command still applies
  EXPECT_NE(find_event(d, "command_error"), nullptr);
}

TEST(AgentMailMayCommand, FalseIgnoresCommandsButRelaysTheAnswer) {
  AgentMail m = mail({{CommandKind::assign, "ann", 1}, {CommandKind::resolve, "", 2}},
                     "Answer text", {{3, "#bogus", "unknown command #bogus"}});
  Decisions d = on_agent_mail(open_ticket(), nick(), m, false, directory(), {}, {}, kT0 + kHour);
  EXPECT_EQ(d.assignee, std::nullopt);
  EXPECT_EQ(d.state, State::pending);  // the answer's effect, not #resolve's
  EXPECT_EQ(count_notices(d, NoticeKind::command_error), 0);
  EXPECT_EQ(count_notices(d, NoticeKind::closure), 0);
  EXPECT_EQ(count_notices(d, NoticeKind::answer), 1);
  EXPECT_EQ(event_detail(d, "command_ignored"),
            "3 command line(s) from nick@example.com ignored: commands are accepted only on the "
            "agent's token path or a reply to a mail we sent to that agent");
}

TEST(AgentMailMayCommand, FalseStillKeepsANoteInternal) {
  Decisions d = on_agent_mail(open_ticket(), nick(), mail({{CommandKind::note, "", 1}}, "internal"),
                              false, directory(), {}, {}, kT0 + kHour);
  EXPECT_TRUE(d.notices.empty());
  EXPECT_EQ(find_event(d, "command_ignored"), nullptr);
  EXPECT_NE(find_event(d, "note"), nullptr);
}

TEST(AgentMailMayCommand, FalseDoesNotTakeAnUnassignedTicket) {
  Decisions d = on_agent_mail(ticket(), nick(), mail({}, "Hi"), false, directory(), {}, {}, kT0);
  EXPECT_EQ(d.assignee, std::nullopt);
  EXPECT_EQ(d.state, State::pending);
}

// ----------------------------------------------------------------- on_clock

TEST(Clock, ResolvedClosesAfterAutoCloseWithoutNotice) {
  TicketView t = ticket(State::resolved);
  const LifecycleSettings s;
  EXPECT_EQ(on_clock(t, directory(), s, kT0 + 7 * kDay - 1).state, std::nullopt);
  Decisions d = on_clock(t, directory(), s, kT0 + 7 * kDay);
  EXPECT_EQ(d.state, State::closed);
  EXPECT_EQ(event_detail(d, "auto_close").rfind("resolved -> closed", 0), 0u);
  EXPECT_TRUE(d.notices.empty());
}

TEST(Clock, OpenAndNewTicketsAreLeftAlone) {
  for (State s : {State::new_, State::open, State::closed}) {
    Decisions d = on_clock(ticket(s), directory(), {}, kT0 + 30 * kDay);
    EXPECT_EQ(d.state, std::nullopt) << state_name(s);
    EXPECT_TRUE(d.notices.empty()) << state_name(s);
  }
}

// A ticket's whole life, stepping `now` an hour at a time through the clock.
TEST(Scenario, NewOpenPendingReminderAutoResolveClosed) {
  const Directory dir = directory();
  const LifecycleSettings s;
  TicketView t = ticket();
  std::int64_t now = kT0;

  RuleResult r = rules_for({{"general", {"team=support"}}}, Acts().team("support"));
  Decisions d = on_new_ticket(t, r, std::nullopt, dir, {}, s, now);
  apply(t, d, now);
  EXPECT_EQ(t.state, State::open);
  EXPECT_EQ(t.assignee, "nick@example.com");

  now += kHour;
  apply(t, on_agent_mail(t, nick(), mail({}, "Try this."), true, dir, {}, s, now), now);
  EXPECT_EQ(t.state, State::pending);

  std::vector<std::pair<std::int64_t, std::string>> happened;  // hours since pending, what
  const std::int64_t pending_at = now;
  for (int hour = 1; hour <= 24 * 10 && t.state != State::closed; ++hour) {
    now = pending_at + hour * kHour;
    d = on_clock(t, dir, s, now);
    for (const auto& n : d.notices)
      happened.emplace_back(hour, std::string(notice_kind_name(n.kind)));
    if (d.state) happened.emplace_back(hour, "state " + std::string(state_name(*d.state)));
    apply(t, d, now);
  }
  // Reminder after 3 days, resolved 3 days after that, closed 7 days later —
  // except the loop stops at 10 days, so: reminder, resolved+closure.
  const std::vector<std::pair<std::int64_t, std::string>> want = {
      {72, "reminder"}, {144, "closure"}, {144, "state resolved"}};
  EXPECT_EQ(happened, want);
  EXPECT_EQ(t.reminders_sent, 1);
  EXPECT_EQ(t.state, State::resolved);
  EXPECT_EQ(on_clock(t, dir, s, t.state_since + 7 * kDay).state, State::closed);
}

TEST(Clock, SeveralRemindersAreSpacedByReminderAfter) {
  LifecycleSettings s;
  s.max_reminders = 2;
  s.reminder_after_seconds = kDay;
  s.auto_resolve_after_seconds = 2 * kDay;
  TicketView t = ticket(State::pending);
  std::vector<std::int64_t> reminders;
  std::optional<std::int64_t> resolved;
  for (std::int64_t now = kT0; now <= kT0 + 6 * kDay && !resolved; now += kHour) {
    Decisions d = on_clock(t, directory(), s, now);
    if (count_notices(d, NoticeKind::reminder) == 1) reminders.push_back((now - kT0) / kHour);
    if (d.state == State::resolved) {
      resolved = (now - kT0) / kHour;
      EXPECT_EQ(event_detail(d, "auto_resolve").rfind("pending -> resolved", 0), 0u);
    }
    apply(t, d, now);
  }
  EXPECT_EQ(reminders, (std::vector<std::int64_t>{24, 48}));
  EXPECT_EQ(resolved, 96);  // the second reminder (48h) + 2 days
}

TEST(Clock, ReminderThenCustomerReplyResetsCount) {
  TicketView t = ticket(State::pending);
  t.reminders_sent = 1;
  CustomerReplyOutcome out = on_customer_reply(t, directory(), {}, kT0 + 4 * kDay);
  EXPECT_EQ(out.decisions.state, State::open);
  EXPECT_EQ(out.decisions.reminders_sent, 0);
}

TEST(ClockSla, FirstResponseOverdueRaisedOnce) {
  const Directory dir = directory();
  TicketView t = open_ticket();  // first response due kT0 + 8h, assigned to nick
  std::vector<std::int64_t> raised;
  for (std::int64_t now = kT0; now <= kT0 + 12 * kHour; now += kHour / 2) {
    Decisions d = on_clock(t, dir, {}, now);
    if (d.mark_first_response_overdue) {
      raised.push_back(now - kT0);
      const Notice* n = find_notice(d, NoticeKind::overdue_alert);
      ASSERT_NE(n, nullptr);
      EXPECT_EQ(n->to, Addrs{"nick@example.com"});
      EXPECT_EQ(n->template_name, "overdue_alert");
      EXPECT_EQ(event_detail(d, "sla").rfind("first response overdue on TD-1", 0), 0u);
    }
    apply(t, d, now);
  }
  EXPECT_EQ(raised, (std::vector<std::int64_t>{8 * kHour + kHour / 2}));  // first tick past due
}

TEST(ClockSla, ResolutionOverdueToTeamWhenUnassigned) {
  TicketView t = open_ticket();
  t.assignee.clear();
  t.first_response_at = kT0 + kHour;
  Decisions d = on_clock(t, directory(), {}, kT0 + 5 * kDay + 1);
  EXPECT_FALSE(d.mark_first_response_overdue);
  EXPECT_TRUE(d.mark_resolution_overdue);
  const Notice* n = find_notice(d, NoticeKind::overdue_alert);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->to, (Addrs{"nick@example.com", "ann@example.com"}));
  apply(t, d, kT0 + 5 * kDay + 1);
  EXPECT_FALSE(on_clock(t, directory(), {}, kT0 + 6 * kDay).mark_resolution_overdue);
}

TEST(ClockSla, ResolutionOverdueHeldWhilePendingRaisedWhenBackOpen) {
  const Directory dir = directory();
  TicketView t = open_ticket();
  t.first_response_at = kT0 + kHour;
  t.state = State::pending;
  t.state_since = kT0 + 4 * kDay + 23 * kHour;  // no reminder due yet
  std::int64_t now = kT0 + 5 * kDay + kHour;
  Decisions d = on_clock(t, dir, {}, now);
  EXPECT_FALSE(d.mark_resolution_overdue);
  EXPECT_EQ(count_notices(d, NoticeKind::overdue_alert), 0);
  apply(t, on_customer_reply(t, dir, {}, now).decisions, now);
  ASSERT_EQ(t.state, State::open);
  now += kHour;
  d = on_clock(t, dir, {}, now);
  EXPECT_TRUE(d.mark_resolution_overdue);
  EXPECT_EQ(event_detail(d, "sla").rfind("resolution overdue on TD-1", 0), 0u);
}

struct OverdueCase {
  const char* name;
  State state;
  bool responded;
  bool noted;
  bool want_first;
};

class ClockOverdue : public testing::TestWithParam<OverdueCase> {};

TEST_P(ClockOverdue, OnlyWhenStillDue) {
  const OverdueCase& c = GetParam();
  TicketView t = open_ticket();
  t.state = c.state;
  if (c.responded) t.first_response_at = kT0 + kHour;
  t.first_response_overdue_noted = c.noted;
  Decisions d = on_clock(t, directory(), {}, kT0 + 9 * kHour);
  EXPECT_EQ(d.mark_first_response_overdue, c.want_first);
  EXPECT_EQ(count_notices(d, NoticeKind::overdue_alert), c.want_first ? 1 : 0);
}

const OverdueCase kOverdueCases[] = {
    {"open_unanswered", State::open, false, false, true},
    {"pending_unanswered", State::pending, false, false, true},
    {"answered", State::open, true, false, false},
    {"already_noted", State::open, false, true, false},
    {"resolved", State::resolved, false, false, false},
    {"closed", State::closed, false, false, false},
};

INSTANTIATE_TEST_SUITE_P(Engine, ClockOverdue, testing::ValuesIn(kOverdueCases),
                         [](const auto& info) { return std::string(info.param.name); });

// The transitions a customer reply and the store make together.
TEST(Scenario, ClosedTicketReopensWithinWindowElseLinks) {
  LifecycleSettings s;
  s.reopen_closed_within_seconds = 3 * kDay;
  TicketView t = ticket(State::closed);
  t.state_since = kT0 + kDay;
  auto within = on_customer_reply(t, directory(), s, kT0 + 2 * kDay);
  EXPECT_EQ(within.decisions.state, State::open);
  EXPECT_FALSE(within.open_new_linked_ticket);
  auto outside = on_customer_reply(t, directory(), s, kT0 + 5 * kDay);
  EXPECT_EQ(outside.decisions.state, std::nullopt);
  EXPECT_TRUE(outside.open_new_linked_ticket);
}

}  // namespace
