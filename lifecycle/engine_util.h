// ticketd lifecycle: small helpers shared by the engine's source files
// (engine.cpp, agent_mail.cpp). Internal: not part of the public API.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <limits>

#include "lifecycle/engine.h"

namespace ticketd::lifecycle::detail {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

inline bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

inline bool contains_ci(const std::vector<std::string>& v, std::string_view s) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& x) { return iequal(x, s); });
}

inline std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Saturating, so absurd settings cannot overflow (UB) into a time in the past.
inline std::int64_t add_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r))
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
  return r;
}

inline std::int64_t mul_sat(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r))
    return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min()
                              : std::numeric_limits<std::int64_t>::max();
  return r;
}

// "2024-05-01 12:00 UTC" — for event details only; the store keeps the number.
inline std::string format_utc(std::int64_t t) {
  constexpr std::int64_t kLimit = 253402300799;  // 9999-12-31 23:59:59
  if (t < 0 || t > kLimit) return "@" + std::to_string(t);
  const std::chrono::sys_days day{std::chrono::days{t / 86400}};
  const std::chrono::year_month_day ymd{day};
  const std::int64_t rem = t % 86400;
  // Digits written by hand: snprintf was half the cost of a new ticket's
  // SLA events (two of these each).
  char buf[] = "0000-00-00 00:00 UTC";
  auto put = [&buf](int at, int width, unsigned v) {
    for (int i = at + width - 1; i >= at; --i, v /= 10) buf[i] = static_cast<char>('0' + v % 10);
  };
  put(0, 4, static_cast<unsigned>(static_cast<int>(ymd.year())));
  put(5, 2, static_cast<unsigned>(ymd.month()));
  put(8, 2, static_cast<unsigned>(ymd.day()));
  put(11, 2, static_cast<unsigned>(rem / 3600));
  put(14, 2, static_cast<unsigned>(rem % 3600 / 60));
  return std::string(buf, sizeof buf - 1);
}

// "7d", "4h", "90m", "42s": the largest unit that divides evenly.
inline std::string format_duration(std::int64_t s) {
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

inline std::string_view mode_name(AssignMode m) {
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

inline std::string excerpt(std::string_view text) {
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

inline bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

inline bool is_done(State s) { return s == State::resolved || s == State::closed; }

inline SlaTimes sla_for(const LifecycleSettings& settings, Priority p) {
  auto it = settings.sla.find(p);
  return it == settings.sla.end() ? SlaTimes{} : it->second;
}

// The name of the last matched rule that did something starting with one of
// `prefixes` (later matches override earlier ones), or "".
inline std::string rule_that_did(const RuleResult& rules,
                                 std::initializer_list<std::string_view> prefixes) {
  for (auto m = rules.matched.rbegin(); m != rules.matched.rend(); ++m)
    for (const std::string& did : m->did)
      for (std::string_view p : prefixes)
        if (did.starts_with(p)) return m->rule;
  return "";
}

inline std::string by_rule(const RuleResult& rules,
                           std::initializer_list<std::string_view> prefixes) {
  std::string name = rule_that_did(rules, prefixes);
  if (!name.empty()) return "rule " + detail::quoted(name);
  std::string all;
  for (const RuleMatch& m : rules.matched)
    all += (all.empty() ? "" : ", ") + detail::quoted(m.rule);
  return all.empty() ? "rules" : "rules " + all;
}

// The assignee, else every present member of the team, else nobody.
// Who hears about a ticket: its assignee; else the present members of its
// team; a ticket with no team at all (no rule, no default team) alerts every
// present agent, as osTicket does for its default department.
inline std::vector<std::string> alert_targets(std::string_view assignee, std::string_view team,
                                              const Directory& dir) {
  if (!assignee.empty()) return {std::string(assignee)};
  std::vector<std::string> to;
  if (!team.empty()) {
    for (const Agent* a : dir.members(team))
      if (!a->away) to.push_back(a->address);
  } else {
    for (const Agent& a : dir.agents)
      if (!a.away) to.push_back(a.address);
  }
  return to;
}

inline Notice make_notice(NoticeKind kind, std::vector<std::string> to, std::vector<std::string> cc,
                          std::string detail) {
  return Notice{kind, std::move(to), std::move(cc), std::string(notice_kind_name(kind)),
                std::move(detail)};
}

inline std::string transition(State from, State to) {
  return std::string(state_name(from)) + " -> " + std::string(state_name(to));
}

// Sets or clears the due times in `d` where they differ from the ticket's.
// Returns "" when nothing changed, else a readable summary.
inline std::string apply_due_times(Decisions& d, const TicketView& t, const SlaTimes& sla,
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

}  // namespace ticketd::lifecycle::detail
