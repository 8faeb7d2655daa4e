// ticketd store: the outbox as the delivery worker sees it — due rows, the
// frozen bytes of a row, attempts with per-recipient results, retries — and
// the IMAP mailbox positions the poller commits with each mail.
#include <utility>

#include "store/store.h"

namespace ticketd::store {

namespace {

constexpr const char* kRowColumns =
    "SELECT id, ticket_id, kind, template, message_id, COALESCE(in_reply_to, ''), detail, "
    "source_message, state, created_at, attempts, next_attempt_at, sent_at, "
    "COALESCE(last_error, '') FROM outbox ";

std::optional<std::int64_t> opt_i64(const Stmt& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.i64(col);
}

// Reads every row `st` yields, with its recipients.
std::vector<OutboxRow> read_rows(Db& db, Stmt& st) {
  auto rcpt =
      db.prepare("SELECT address, role FROM outbox_recipients WHERE outbox_id = ?1 ORDER BY pos");
  std::vector<OutboxRow> out;
  while (st.step()) {
    OutboxRow r;
    r.id = st.i64(0);
    r.ticket_id = opt_i64(st, 1);
    r.kind = st.text(2);
    r.template_name = st.text(3);
    r.message_id = st.text(4);
    r.in_reply_to = st.text(5);
    r.detail = st.text(6);
    r.source_message = opt_i64(st, 7);
    r.state = st.text(8);
    r.created_at = st.i64(9);
    r.attempts = st.i64(10);
    r.next_attempt_at = opt_i64(st, 11);
    r.sent_at = opt_i64(st, 12);
    r.last_error = st.text(13);
    rcpt.reset();
    rcpt.bind(1, r.id);
    while (rcpt.step()) (rcpt.text(1) == "to" ? r.to : r.cc).push_back(rcpt.text(0));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<OutboxRow> Store::outbox(std::optional<std::int64_t> ticket_id,
                                     const std::optional<std::string>& state) {
  std::string sql = std::string(kRowColumns) + "WHERE 1";
  if (ticket_id) sql += " AND ticket_id = ?1";
  if (state) sql += " AND state = ?2";
  sql += " ORDER BY id";
  auto st = db_.prepare(sql);
  if (ticket_id) st.bind(1, *ticket_id);
  if (state) st.bind(2, *state);
  return read_rows(db_, st);
}

std::vector<OutboxRow> Store::outbox_of_message(std::int64_t message_row, std::int64_t ticket_id) {
  auto st = db_.prepare(std::string(kRowColumns) +
                        "WHERE ticket_id = ?1 AND source_message = ?2 ORDER BY id");
  st.bind(1, ticket_id).bind(2, message_row);
  return read_rows(db_, st);
}

std::vector<OutboxRow> Store::due_outbox(std::int64_t now, std::int64_t limit) {
  auto st = db_.prepare(std::string(kRowColumns) +
                        "WHERE state IN ('pending', 'deferred') AND "
                        "COALESCE(next_attempt_at, 0) <= ?1 AND COALESCE(claimed_until, 0) <= ?1 "
                        "ORDER BY id LIMIT ?2");
  st.bind(1, now).bind(2, limit);
  return read_rows(db_, st);
}

std::optional<OutboxRow> Store::outbox_row(std::int64_t id) {
  auto st = db_.prepare(std::string(kRowColumns) + "WHERE id = ?1");
  st.bind(1, id);
  auto rows = read_rows(db_, st);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<std::pair<std::string, std::string>> Store::outbox_frozen(std::int64_t id) {
  auto st = db_.prepare("SELECT raw, envelope_from FROM outbox WHERE id = ?1 AND raw IS NOT NULL");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return std::pair{st.blob(0), st.text(1)};
}

std::vector<RecipientStatus> Store::recipient_status(std::int64_t outbox_id) {
  auto st = db_.prepare(
      "SELECT address, status, COALESCE(code, 0), COALESCE(error, '') FROM outbox_recipients "
      "WHERE outbox_id = ?1 ORDER BY pos");
  st.bind(1, outbox_id);
  std::vector<RecipientStatus> out;
  while (st.step())
    out.push_back({st.text(0), st.text(1), static_cast<int>(st.i64(2)), st.text(3)});
  return out;
}

void Tx::freeze_outbox(std::int64_t id, std::string_view raw, std::string_view envelope_from,
                       std::int64_t now) {
  auto st = db_.prepare(
      "UPDATE outbox SET raw = ?2, envelope_from = ?3, updated_at = ?4 "
      "WHERE id = ?1 AND raw IS NULL");
  st.bind(1, id).bind_blob(2, raw).bind(3, envelope_from).bind(4, now);
  st.run();
}

void Tx::record_attempt(const OutboxRow& row, const std::vector<RecipientStatus>& recipients,
                        std::int64_t now) {
  auto st = db_.prepare(
      "UPDATE outbox SET state = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5, "
      "sent_at = ?6, updated_at = ?7, claimed_until = NULL WHERE id = ?1");
  st.bind(1, row.id).bind(2, row.state).bind(3, row.attempts);
  row.next_attempt_at ? st.bind(4, *row.next_attempt_at) : st.bind_null(4);
  row.last_error.empty() ? st.bind_null(5) : st.bind(5, row.last_error);
  row.sent_at ? st.bind(6, *row.sent_at) : st.bind_null(6);
  st.bind(7, now);
  st.run();
  auto rc = db_.prepare(
      "UPDATE outbox_recipients SET status = ?3, code = ?4, error = ?5 "
      "WHERE outbox_id = ?1 AND address = ?2");
  for (const auto& r : recipients) {
    rc.reset();
    rc.bind(1, row.id).bind(2, r.address).bind(3, r.status).bind(4, r.code);
    r.error.empty() ? rc.bind_null(5) : rc.bind(5, r.error);
    rc.run();
  }
}

bool Tx::claim_outbox(std::int64_t id, std::int64_t now, std::int64_t until,
                      std::string_view owner) {
  auto st = db_.prepare(
      "UPDATE outbox SET claimed_until = ?3, claimed_by = ?4 WHERE id = ?1 AND state IN "
      "('pending', 'deferred') AND COALESCE(claimed_until, 0) <= ?2");
  st.bind(1, id).bind(2, now).bind(3, until).bind(4, owner);
  st.run();
  return sqlite3_changes(db_.handle()) == 1;
}

int Tx::release_claims_of_dead(const std::function<bool(std::string_view)>& alive) {
  auto owners = db_.prepare(
      "SELECT DISTINCT claimed_by FROM outbox WHERE claimed_until IS NOT NULL AND claimed_by IS "
      "NOT NULL");
  std::vector<std::string> dead;
  while (owners.step())
    if (!alive(owners.text(0))) dead.push_back(owners.text(0));
  int released = 0;
  auto st = db_.prepare("UPDATE outbox SET claimed_until = NULL WHERE claimed_by = ?1");
  for (const auto& o : dead) {
    st.reset();
    st.bind(1, o);
    st.run();
    released += sqlite3_changes(db_.handle());
  }
  return released;
}

bool Tx::retry_outbox(std::int64_t id, std::int64_t now) {
  auto st = db_.prepare(
      "UPDATE outbox SET state = 'pending', next_attempt_at = ?2, updated_at = ?2, "
      "claimed_until = NULL WHERE id = ?1 AND state IN ('deferred', 'dead')");
  st.bind(1, id).bind(2, now);
  st.run();
  if (sqlite3_changes(db_.handle()) == 0) return false;
  auto rc = db_.prepare(
      "UPDATE outbox_recipients SET status = 'pending' WHERE outbox_id = ?1 AND status <> 'sent'");
  rc.bind(1, id);
  rc.run();
  return true;
}

std::optional<Store::MailboxPosition> Store::mailbox_position(std::string_view mailbox) {
  auto st = db_.prepare("SELECT uidvalidity, last_uid FROM mailboxes WHERE name = ?1");
  st.bind(1, mailbox);
  if (!st.step()) return std::nullopt;
  return MailboxPosition{st.i64(0), st.i64(1)};
}

void Tx::set_mailbox_position(std::string_view mailbox, std::int64_t uidvalidity,
                              std::int64_t last_uid, std::int64_t now) {
  auto st = db_.prepare(
      "INSERT INTO mailboxes(name, uidvalidity, last_uid, updated_at) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(name) DO UPDATE SET uidvalidity = ?2, last_uid = MAX(CASE WHEN uidvalidity = ?2 "
      "THEN last_uid ELSE 0 END, ?3), updated_at = ?4");
  st.bind(1, mailbox).bind(2, uidvalidity).bind(3, last_uid).bind(4, now);
  st.run();
}

}  // namespace ticketd::store
