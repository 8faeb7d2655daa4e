#include "lifecycle/ticket.h"

#include <array>
#include <utility>

namespace ticketd::lifecycle {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

constexpr std::array<std::pair<State, std::string_view>, 5> kStates{{
    {State::new_, "new"},
    {State::open, "open"},
    {State::pending, "pending"},
    {State::resolved, "resolved"},
    {State::closed, "closed"},
}};

constexpr std::array<std::pair<Priority, std::string_view>, 4> kPriorities{{
    {Priority::low, "low"},
    {Priority::normal, "normal"},
    {Priority::high, "high"},
    {Priority::urgent, "urgent"},
}};

}  // namespace

std::string_view state_name(State s) {
  for (const auto& [v, n] : kStates)
    if (v == s) return n;
  return "unknown";
}

std::optional<State> parse_state(std::string_view name) {
  for (const auto& [v, n] : kStates)
    if (iequal(n, name)) return v;
  return std::nullopt;
}

std::string_view priority_name(Priority p) {
  for (const auto& [v, n] : kPriorities)
    if (v == p) return n;
  return "unknown";
}

std::optional<Priority> parse_priority(std::string_view name) {
  for (const auto& [v, n] : kPriorities)
    if (iequal(n, name)) return v;
  return std::nullopt;
}

std::string_view notice_kind_name(NoticeKind k) {
  switch (k) {
    case NoticeKind::acknowledgement:
      return "acknowledgement";
    case NoticeKind::agent_alert:
      return "agent_alert";
    case NoticeKind::answer:
      return "answer";
    case NoticeKind::reminder:
      return "reminder";
    case NoticeKind::closure:
      return "closure";
    case NoticeKind::rejection:
      return "rejection";
    case NoticeKind::command_error:
      return "command_error";
    case NoticeKind::overdue_alert:
      return "overdue_alert";
  }
  return "unknown";
}

}  // namespace ticketd::lifecycle
