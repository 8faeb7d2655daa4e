// The lifecycle half of the store: ticket views for the engine, applying its
// decisions, the outbox, agent tokens, assignment state and the guard's counts.
#include <algorithm>
#include <variant>

#include "store/store.h"

namespace ticketd::store {

namespace {
std::optional<std::int64_t> opt(const Stmt& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.i64(col);
}

// Automatic kinds count towards the per-recipient rate limit; an agent's
// answer is a person writing and does not. Their recipients' rows carry
// auto_at (schema 8, which lists the same kinds for rows from before).
constexpr std::string_view kAutomaticKinds[] = {"acknowledgement", "agent_alert", "reminder",
                                                "closure",         "rejection",   "command_error",
                                                "overdue_alert"};
bool automatic_kind(std::string_view kind) {
  return std::ranges::find(kAutomaticKinds, kind) != std::end(kAutomaticKinds);
}
// outbox_recipients_auto_hourly groups automatic mail by `auto_at / 3600`
// (schema 11; the queries spell the number, as the index does).
constexpr std::int64_t kAutoHour = 3600;
// Hours of a window counted by one seek each; beyond, one range.
constexpr std::int64_t kAutoHoursSeeked = 48;
}  // namespace

lifecycle::TicketView Tx::ticket_view(std::int64_t ticket_id) {
  auto st = db_.prepare(
      "SELECT id, number, state, priority, team, assignee, requester_address, created_at, "
      "state_since, first_response_at, first_response_due, resolution_due, reminders_sent, "
      "first_response_overdue, resolution_overdue FROM tickets WHERE id = ?1");
  st.bind(1, ticket_id);
  if (!st.step())
    throw Error(SQLITE_NOTFOUND, "ticket " + std::to_string(ticket_id) + " not found");
  lifecycle::TicketView v;
  v.id = st.i64(0);
  v.number = st.text(1);
  v.state = lifecycle::parse_state(st.text(2)).value_or(lifecycle::State::open);
  v.priority = lifecycle::parse_priority(st.text(3)).value_or(lifecycle::Priority::normal);
  v.team = st.text(4);
  v.assignee = st.text(5);
  v.requester = st.text(6);
  v.created_at = st.i64(7);
  v.state_since = st.i64(8);
  v.first_response_at = opt(st, 9);
  v.first_response_due = opt(st, 10);
  v.resolution_due = opt(st, 11);
  v.reminders_sent = static_cast<int>(st.i64(12));
  v.first_response_overdue_noted = st.i64(13) != 0;
  v.resolution_overdue_noted = st.i64(14) != 0;
  auto tags = db_.prepare("SELECT tag FROM ticket_tags WHERE ticket_id = ?1 ORDER BY tag");
  tags.bind(1, ticket_id);
  while (tags.step()) v.tags.push_back(tags.text(0));
  auto people = db_.prepare(
      "SELECT address FROM participants WHERE ticket_id = ?1 AND role = 'collaborator' "
      "ORDER BY address");
  people.bind(1, ticket_id);
  while (people.step()) v.collaborators.push_back(people.text(0));
  return v;
}

void Tx::apply_fields(std::int64_t id, const lifecycle::Decisions& d, std::int64_t now) {
  // One UPDATE for every changed column (its SQL depends only on which
  // columns change, so the statement cache holds a handful of them): a
  // statement per column made this a tenth of a new ticket's cost.
  std::string sql = "UPDATE tickets SET updated_at = ?2";
  std::vector<std::pair<int, std::variant<std::int64_t, std::string>>> values;
  int next = 3;
  auto set = [&](const char* column, std::variant<std::int64_t, std::string> value) {
    sql += std::string(", ") + column + " = ?" + std::to_string(next);
    values.emplace_back(next++, std::move(value));
  };
  auto clear = [&](const char* column) { sql += std::string(", ") + column + " = NULL"; };
  if (d.state) {
    set("state", std::string(lifecycle::state_name(*d.state)));
    set("state_since", now);
  }
  if (d.priority) set("priority", std::string(lifecycle::priority_name(*d.priority)));
  if (d.team) set("team", *d.team);
  if (d.assignee) set("assignee", lower_address(*d.assignee));
  if (d.first_response_at) set("first_response_at", *d.first_response_at);
  if (d.first_response_due) set("first_response_due", *d.first_response_due);
  if (d.resolution_due) set("resolution_due", *d.resolution_due);
  if (d.reminders_sent) set("reminders_sent", static_cast<std::int64_t>(*d.reminders_sent));
  if (d.clear_first_response_due) clear("first_response_due");
  if (d.clear_resolution_due) clear("resolution_due");
  if (d.mark_first_response_overdue) set("first_response_overdue", std::int64_t{1});
  if (d.mark_resolution_overdue) set("resolution_overdue", std::int64_t{1});
  {
    auto st = db_.prepare(sql + " WHERE id = ?1");
    st.bind(1, id).bind(2, now);
    for (const auto& [i, v] : values) {
      if (const auto* n = std::get_if<std::int64_t>(&v))
        st.bind(i, *n);
      else
        st.bind(i, std::get<std::string>(v));
    }
    st.run();
  }
  apply_lists(id, d);
}

void Tx::apply_lists(std::int64_t id, const lifecycle::Decisions& d) {
  auto add_tag = db_.prepare("INSERT OR IGNORE INTO ticket_tags(ticket_id, tag) VALUES(?1, ?2)");
  for (const auto& t : d.add_tags) {
    add_tag.reset();
    add_tag.bind(1, id).bind(2, t);
    add_tag.run();
  }
  auto del_tag = db_.prepare("DELETE FROM ticket_tags WHERE ticket_id = ?1 AND tag = ?2");
  for (const auto& t : d.remove_tags) {
    del_tag.reset();
    del_tag.bind(1, id).bind(2, t);
    del_tag.run();
  }
  for (const auto& a : d.add_collaborators) add_participant(id, {"", a}, "collaborator");
  auto del = db_.prepare(
      "DELETE FROM participants WHERE ticket_id = ?1 AND address = ?2 AND role = 'collaborator'");
  for (const auto& a : d.remove_collaborators) {
    const std::string addr = lower_address(a);
    del.reset();
    del.bind(1, id).bind(2, addr);
    del.run();
  }
}

lifecycle::AssignmentState Tx::assignment_state() {
  lifecycle::AssignmentState s;
  // One statement for both. The open counts are kept by create_ticket and
  // triggers on tickets (schemas 5, 8): counting here was O(open tickets).
  auto st = db_.prepare(
      "SELECT 0, team, last_agent FROM assignment UNION ALL "
      "SELECT 1, assignee, open FROM open_by_assignee WHERE open > 0");
  while (st.step()) {
    if (st.i64(0) == 0)
      s.last_assigned[st.text(1)] = st.text(2);
    else
      s.open_tickets[st.text(1)] = static_cast<int>(st.i64(2));
  }
  return s;
}

void Tx::set_last_assigned(std::string_view team, std::string_view agent) {
  // An upsert that writes only a change: REPLACE deleted and inserted the
  // row (and its key's index entry) for every new ticket of the team.
  auto st = db_.prepare(
      "INSERT INTO assignment(team, last_agent) VALUES(?1, ?2) ON CONFLICT(team) DO UPDATE SET "
      "last_agent = excluded.last_agent WHERE last_agent <> excluded.last_agent");
  st.bind(1, team).bind(2, agent);
  st.run();
}

lifecycle::RecipientHistory Tx::history(std::string_view address, std::int64_t since) {
  const std::string addr = lower_address(address);
  lifecycle::RecipientHistory h;
  // One statement (each costs about as much again as its lookups): the
  // address's automatic mail in the first two hours of the window (one seek
  // each in outbox_recipients_auto_hourly, schema 11) and the newest hour
  // any automatic mail has; its open tickets, one seek per open state in
  // the partial index of open tickets (`state IN (...)` built a temporary
  // table of the three names at every run: ~15% of this statement);
  // whether it is failing.
  const std::int64_t first_hour = since / kAutoHour;  // as SQLite divides: toward zero
  auto st = db_.prepare(
      "SELECT (SELECT COUNT(*) FROM outbox_recipients WHERE auto_at / 3600 = ?3 "
      "AND address = ?1 AND auto_at >= ?2) + "
      "(SELECT COUNT(*) FROM outbox_recipients WHERE auto_at / 3600 = ?3 + 1 "
      "AND address = ?1 AND auto_at >= ?2), "
      "(SELECT COUNT(*) FROM tickets WHERE requester_address = ?1 AND state = 'new') + "
      "(SELECT COUNT(*) FROM tickets WHERE requester_address = ?1 AND state = 'open') + "
      "(SELECT COUNT(*) FROM tickets WHERE requester_address = ?1 AND state = 'pending'), "
      "(SELECT until FROM failing_addresses WHERE address = ?1), "
      "(SELECT MAX(auto_at / 3600) FROM outbox_recipients WHERE auto_at IS NOT NULL)");
  st.bind(1, addr).bind(2, since).bind(3, first_hour);
  st.step();
  std::int64_t auto_sent = st.i64(0);
  h.open_tickets = static_cast<int>(st.i64(1));
  if (!st.is_null(2)) h.failing_until = st.i64(2);
  const std::int64_t last_hour = st.is_null(3) ? first_hour : st.i64(3);
  if (last_hour > first_hour + 1) {
    // A window longer than an hour (or mail stamped ahead of the clock):
    // the hours after the first two, one seek each; past two days of hours,
    // one range over all of them (slower, exact).
    if (last_hour - first_hour <= kAutoHoursSeeked) {
      auto hour = db_.prepare(
          "SELECT COUNT(*) FROM outbox_recipients WHERE auto_at / 3600 = ?3 "
          "AND address = ?1 AND auto_at >= ?2");
      for (std::int64_t k = first_hour + 2; k <= last_hour; ++k) {
        hour.reset();
        hour.bind(1, addr).bind(2, since).bind(3, k);
        hour.step();
        auto_sent += hour.i64(0);
      }
    } else {
      auto rest = db_.prepare(
          "SELECT COUNT(*) FROM outbox_recipients WHERE auto_at / 3600 >= ?3 "
          "AND address = ?1 AND auto_at >= ?2");
      rest.bind(1, addr).bind(2, since).bind(3, first_hour + 2);
      rest.step();
      auto_sent += rest.i64(0);
    }
  }
  h.auto_sent_in_window = static_cast<int>(auto_sent);
  return h;
}

std::int64_t Tx::queue(const OutboxRow& row) {
  auto st = db_.prepare(
      "INSERT INTO outbox(ticket_id, kind, template, message_id, in_reply_to, detail, "
      "source_message, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
  if (row.ticket_id)
    st.bind(1, *row.ticket_id);
  else
    st.bind_null(1);
  st.bind(2, row.kind).bind(3, row.template_name).bind(4, row.message_id);
  if (row.in_reply_to.empty())
    st.bind_null(5);
  else
    st.bind(5, row.in_reply_to);
  st.bind(6, row.detail);
  if (row.source_message)
    st.bind(7, *row.source_message);
  else
    st.bind_null(7);
  st.bind(8, row.created_at);
  st.run();
  const std::int64_t id = db_.last_insert_id();
  auto rcpt = db_.prepare(
      "INSERT OR IGNORE INTO outbox_recipients(outbox_id, address, role, auto_at, pos) "
      "VALUES(?1,?2,?3,?4,?5)");
  const bool automatic = automatic_kind(row.kind);
  std::int64_t pos = 0;
  for (const auto* list : {&row.to, &row.cc}) {
    for (const auto& a : *list) {
      const std::string addr = lower_address(a);
      rcpt.reset();
      rcpt.bind(1, id).bind(2, addr).bind(3, list == &row.to ? "to" : "cc").bind(5, pos++);
      if (automatic)
        rcpt.bind(4, row.created_at);
      else
        rcpt.bind_null(4);
      rcpt.run();
    }
  }
  return id;
}

void Tx::add_agent_token(std::string_view token, std::int64_t ticket_id, std::string_view agent) {
  auto st =
      db_.prepare("INSERT OR IGNORE INTO agent_tokens(token, ticket_id, agent) VALUES(?1, ?2, ?3)");
  const std::string addr = lower_address(agent);
  st.bind(1, token).bind(2, ticket_id).bind(3, addr);
  st.run();
}

bool Tx::is_agent_path(std::string_view evidence, std::string_view agent) {
  const std::string addr = lower_address(agent);
  auto tok = db_.prepare("SELECT 1 FROM agent_tokens WHERE token = ?1 AND agent = ?2");
  tok.bind(1, evidence).bind(2, addr);
  if (tok.step()) return true;
  auto sent = db_.prepare(
      "SELECT 1 FROM outbox o JOIN outbox_recipients r ON r.outbox_id = o.id "
      "WHERE o.message_id = ?1 AND r.address = ?2");
  sent.bind(1, evidence).bind(2, addr);
  return sent.step();
}

void Tx::link_ticket(std::int64_t ticket_id, std::int64_t previous_ticket_id) {
  auto st = db_.prepare("UPDATE tickets SET linked_ticket = ?2 WHERE id = ?1");
  st.bind(1, ticket_id).bind(2, previous_ticket_id);
  st.run();
}

void Tx::mark_failing(std::string_view address, std::int64_t until, std::string_view reason) {
  auto st = db_.prepare(
      "INSERT OR REPLACE INTO failing_addresses(address, until, reason) VALUES(?1, ?2, ?3)");
  const std::string addr = lower_address(address);
  st.bind(1, addr).bind(2, until).bind(3, reason);
  st.run();
}

std::optional<std::int64_t> Tx::ticket_of_outbox_message(std::string_view message_id) {
  auto st = db_.prepare("SELECT ticket_id FROM outbox WHERE message_id = ?1");
  st.bind(1, message_id);
  if (!st.step() || st.is_null(0)) return std::nullopt;
  return st.i64(0);
}

std::vector<std::string> Tx::outbox_recipients(std::string_view message_id) {
  auto st = db_.prepare(
      "SELECT r.address FROM outbox o JOIN outbox_recipients r ON r.outbox_id = o.id "
      "WHERE o.message_id = ?1 ORDER BY r.pos");
  st.bind(1, message_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

// ---- reads ----

// UNION ALL without ORDER BY: each part through its index (a UNION sorted
// in SQL made SQLite scan the table); sorted and deduplicated in C++.
const char* const kClockCandidatesSql =
    "SELECT id FROM tickets WHERE state IN ('pending','resolved') "
    "UNION ALL SELECT id FROM tickets WHERE first_response_due < ?1 "
    "AND first_response_at IS NULL AND first_response_overdue = 0 AND state <> 'closed' "
    "UNION ALL SELECT id FROM tickets WHERE resolution_due < ?1 AND resolution_overdue = 0 "
    "AND state <> 'closed'";

std::vector<std::int64_t> Store::clock_candidates(std::int64_t now) {
  auto st = db_.prepare(kClockCandidatesSql);
  st.bind(1, now);
  std::vector<std::int64_t> out;
  while (st.step()) out.push_back(st.i64(0));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<MailStory> Store::why(std::string_view message_id) {
  if (open_tx_) open_tx_->flush_events();
  auto st = db_.prepare(
      "SELECT m.id, t.number, m.kind, m.from_address, m.at FROM messages m "
      "JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = ?1 ORDER BY m.id");
  st.bind(1, message_id);
  std::vector<MailStory> out;
  while (st.step()) {
    MailStory s;
    s.message_row = st.i64(0);
    s.ticket = st.text(1);
    s.kind = st.text(2);
    s.from = st.text(3);
    s.at = st.i64(4);
    out.push_back(std::move(s));
  }
  // A mail's events are on its ticket, or (followed_up) on the closed ticket
  // its ticket follows up: read by ticket (schema 8 has no index by message;
  // it cost every event an entry to answer this command). The two tickets
  // are bound as values: through the `events` view (schema 12) a subquery
  // in the IN would be a scan of the whole log.
  auto tickets = db_.prepare(
      "SELECT m.ticket_id, COALESCE(t.linked_ticket, m.ticket_id) FROM messages m "
      "JOIN tickets t ON t.id = m.ticket_id WHERE m.id = ?1");
  auto ev = db_.prepare(
      "SELECT at, kind, actor, detail FROM events WHERE ticket_id IN (?2, ?3) "
      "AND message_row = ?1 ORDER BY id");
  for (auto& s : out) {
    tickets.reset();
    tickets.bind(1, s.message_row);
    if (tickets.step()) {  // the mail's row was just read: always
      const std::int64_t own = tickets.i64(0), linked = tickets.i64(1);
      tickets.reset();
      ev.reset();
      ev.bind(1, s.message_row).bind(2, own).bind(3, linked);
      while (ev.step()) s.events.push_back({ev.i64(0), ev.text(1), ev.text(2), ev.text(3)});
      // Read the whole outbox before (every row and its recipients, for
      // each mail): seconds on a store of a million tickets.
      s.queued = outbox_of_message(s.message_row, own);
    }
  }
  return out;
}

}  // namespace ticketd::store
