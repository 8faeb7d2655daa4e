#include "store/store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <limits>
#include <thread>
#include <utility>

#include "parser/parse.h"

namespace ticketd::store {

namespace {

// Each entry moves the schema one version up; never edit a released entry,
// append a new one. PRAGMA user_version holds the version reached.
constexpr const char* kMigrations[] = {
    // 1: the inbound path.
    R"sql(
CREATE TABLE raw_mail(
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,          -- size of the original mail
  truncated INTEGER NOT NULL DEFAULT 0,  -- 1: only the head was kept (over the size limit)
  received_at INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE tickets(
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  number TEXT NOT NULL UNIQUE,
  token TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  state TEXT NOT NULL,
  requester_name TEXT NOT NULL,
  requester_address TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE participants(
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  address TEXT NOT NULL,          -- lower-cased
  name TEXT NOT NULL,
  role TEXT NOT NULL,             -- requester | collaborator | agent
  PRIMARY KEY(ticket_id, address)
);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  raw_id INTEGER REFERENCES raw_mail(id),
  message_id TEXT,
  content_hash TEXT NOT NULL,
  direction TEXT NOT NULL,        -- in | out
  kind TEXT NOT NULL,             -- customer | agent | note | system
  from_name TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_at INTEGER,                -- the mail's Date header
  at INTEGER NOT NULL,            -- when we stored it
  text TEXT NOT NULL,
  new_text TEXT NOT NULL,
  html TEXT,                      -- not written since schema 15 (the raw mail has it)
  auto_kind TEXT
);
CREATE INDEX messages_by_ticket ON messages(ticket_id, id);
CREATE INDEX messages_by_message_id ON messages(message_id);
CREATE TABLE blobs(
  sha256 TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE attachments(
  id INTEGER PRIMARY KEY,
  message_row INTEGER NOT NULL REFERENCES messages(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  content_id TEXT NOT NULL,
  inline INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  dropped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_by_message ON attachments(message_row);
CREATE TABLE events(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER REFERENCES tickets(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX events_by_ticket ON events(ticket_id, id);
CREATE TABLE quarantine(
  id INTEGER PRIMARY KEY,
  raw_id INTEGER NOT NULL REFERENCES raw_mail(id),
  at INTEGER NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql",
    // 2: the lifecycle engine — ticket fields, tags, outbox, agent tokens,
    // assignment state, failing addresses; events point at the mail that caused them.
    R"sql(
ALTER TABLE tickets ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE tickets ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN state_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN first_response_at INTEGER;
ALTER TABLE tickets ADD COLUMN first_response_due INTEGER;
ALTER TABLE tickets ADD COLUMN resolution_due INTEGER;
ALTER TABLE tickets ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN first_response_overdue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN resolution_overdue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN linked_ticket INTEGER REFERENCES tickets(id);
UPDATE tickets SET state_since = updated_at;
CREATE INDEX tickets_by_state ON tickets(state);
CREATE TABLE ticket_tags(
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  tag TEXT NOT NULL,
  PRIMARY KEY(ticket_id, tag)
);
ALTER TABLE events ADD COLUMN message_row INTEGER REFERENCES messages(id);
CREATE INDEX events_by_message ON events(message_row);
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER REFERENCES tickets(id),
  kind TEXT NOT NULL,              -- acknowledgement | agent_alert | answer | ...
  template TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE, -- assigned now, so replies thread before it is sent
  in_reply_to TEXT,                -- the mail being answered
  detail TEXT NOT NULL,
  source_message INTEGER REFERENCES messages(id),
  state TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | deferred | dead
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX outbox_by_ticket ON outbox(ticket_id, id);
CREATE INDEX outbox_by_source ON outbox(source_message);
CREATE TABLE outbox_recipients(
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  address TEXT NOT NULL,           -- lower-cased
  role TEXT NOT NULL,              -- to | cc
  status TEXT NOT NULL DEFAULT 'pending',
  PRIMARY KEY(outbox_id, address)
);
CREATE INDEX outbox_recipients_by_address ON outbox_recipients(address);
CREATE TABLE agent_tokens(
  token TEXT PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  agent TEXT NOT NULL
);
CREATE TABLE assignment(
  team TEXT PRIMARY KEY,
  last_agent TEXT NOT NULL
);
CREATE TABLE failing_addresses(
  address TEXT PRIMARY KEY,
  until INTEGER NOT NULL,
  reason TEXT NOT NULL
);
)sql",
    // 3: delivery — the composed bytes frozen at the first attempt (a resend is
    // byte-identical, same Message-ID), the envelope sender, per-recipient results.
    R"sql(
ALTER TABLE outbox ADD COLUMN raw BLOB;
ALTER TABLE outbox ADD COLUMN envelope_from TEXT;
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
ALTER TABLE outbox ADD COLUMN updated_at INTEGER;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
ALTER TABLE outbox_recipients ADD COLUMN code INTEGER;
ALTER TABLE outbox_recipients ADD COLUMN error TEXT;
)sql",
    // 4: the daemon — each IMAP mailbox's position, committed with its mail;
    // outbox claims.
    R"sql(
CREATE TABLE mailboxes(
  name TEXT PRIMARY KEY,
  uidvalidity INTEGER NOT NULL,
  last_uid INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A sender claims a row before SMTP (the daemon's worker, a `ticketd deliver`
-- from cron): two never send it at once. A crash leaves a claim that expires.
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;   -- the sender's process id
)sql",
    // 5: growth — nothing a mail runs may scan the tickets (bench/growth:
    // ingest with 1M tickets stored runs at the speed of an empty store).
    // Indexes for the guard's open-tickets-per-sender count, the subject tag
    // lookup (COLLATE NOCASE cannot use the BINARY unique index) and the
    // dedupe's raw -> message/quarantine joins; and the open tickets per
    // assignee kept by triggers, which least-open assignment read by counting
    // every open ticket for each new one.
    R"sql(
CREATE INDEX tickets_by_requester ON tickets(requester_address, state);
CREATE INDEX tickets_by_number_nocase ON tickets(number COLLATE NOCASE);
CREATE INDEX messages_by_raw ON messages(raw_id);
CREATE INDEX quarantine_by_raw ON quarantine(raw_id);
CREATE TABLE open_by_assignee(
  assignee TEXT PRIMARY KEY,
  open INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO open_by_assignee(assignee, open)
  SELECT assignee, COUNT(*) FROM tickets
  WHERE assignee <> '' AND state IN ('new','open','pending') GROUP BY assignee;
CREATE TRIGGER tickets_open_insert AFTER INSERT ON tickets
  WHEN NEW.assignee <> '' AND NEW.state IN ('new','open','pending') BEGIN
  INSERT INTO open_by_assignee(assignee, open) VALUES(NEW.assignee, 1)
    ON CONFLICT(assignee) DO UPDATE SET open = open + 1;
END;
CREATE TRIGGER tickets_open_leave AFTER UPDATE OF assignee, state ON tickets
  WHEN OLD.assignee <> '' AND OLD.state IN ('new','open','pending') BEGIN
  UPDATE open_by_assignee SET open = open - 1 WHERE assignee = OLD.assignee;
END;
CREATE TRIGGER tickets_open_enter AFTER UPDATE OF assignee, state ON tickets
  WHEN NEW.assignee <> '' AND NEW.state IN ('new','open','pending') BEGIN
  INSERT INTO open_by_assignee(assignee, open) VALUES(NEW.assignee, 1)
    ON CONFLICT(assignee) DO UPDATE SET open = open + 1;
END;
CREATE TRIGGER tickets_open_delete AFTER DELETE ON tickets
  WHEN OLD.assignee <> '' AND OLD.state IN ('new','open','pending') BEGIN
  UPDATE open_by_assignee SET open = open - 1 WHERE assignee = OLD.assignee;
END;
)sql",
    // 6: the clock looks only at tickets it may change (Store::clock_candidates):
    // the SLA deadlines not yet passed and noted, by time. Before, each tick
    // opened a transaction per ticket not closed (9,000 after a 10k drain).
    R"sql(
CREATE INDEX tickets_first_response_due ON tickets(first_response_due)
  WHERE first_response_at IS NULL AND first_response_overdue = 0;
CREATE INDEX tickets_resolution_due ON tickets(resolution_due)
  WHERE resolution_overdue = 0;
)sql",
    // 7: fewer bytes and index entries a mail (bench/drain). A mail's new
    // text is nearly always the start of its text (the whole of a first
    // mail, a reply's part above the quote): then new_text is '' and
    // new_text_len its length in bytes (~2 KB a mail written once instead
    // of twice). No query looks outbox rows up by the mail that caused them.
    R"sql(
ALTER TABLE messages ADD COLUMN new_text_len INTEGER;
DROP INDEX outbox_by_source;
)sql",
    // 8: cheaper to store a mail (instructions, bench/ingest_bench). A new
    // ticket counts for its assignee in create_ticket's own statement, not
    // in an AFTER INSERT trigger: a statement with a trigger keeps a copy of
    // every page it touches to undo itself (~11%); updates and deletes are
    // rare and keep theirs. A recipient of an automatic mail carries its
    // time (auto_at), so that the guard's rate count is one index range
    // instead of a look at the outbox row of every mail the address was
    // ever sent (~12%, and growing with the store). Events lose their index
    // by mail (~5%): `ticketctl why` finds a mail's events by its ticket.
    // Tickets lose their index by number COLLATE NOCASE (~2%): a number is
    // looked up by its sequence (ticket_seq_candidates).
    R"sql(
DROP TRIGGER tickets_open_insert;
DROP INDEX events_by_message;
DROP INDEX tickets_by_number_nocase;
ALTER TABLE outbox_recipients ADD COLUMN auto_at INTEGER;
UPDATE outbox_recipients SET auto_at = (SELECT o.created_at FROM outbox o WHERE o.id = outbox_id
  AND o.kind IN ('acknowledgement','agent_alert','reminder','closure','rejection',
                 'command_error','overdue_alert'));
DROP INDEX outbox_recipients_by_address;
CREATE INDEX outbox_recipients_auto ON outbox_recipients(address, auto_at)
  WHERE auto_at IS NOT NULL;
)sql",
    // 9: the event log's references (ticket, mail) are no longer checked
    // by SQLite: two parent lookups for each of a new ticket's ~10 events
    // were 6% of storing a mail (bench/ingest_bench). Every event is written
    // by the transaction that created or read its ticket and mail, and
    // tickets and mails are never deleted (tests check the log has no
    // orphans); the other tables keep theirs. Removing a constraint does not
    // change a row on disk: the table's text is edited in place (SQLite's
    // documented procedure; migrate() bumps schema_version), not copied.
    R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_master
  SET sql = replace(replace(sql, ' REFERENCES tickets(id)', ''), ' REFERENCES messages(id)', '')
  WHERE type = 'table' AND name = 'events';
PRAGMA writable_schema=OFF;
)sql",
    // 10: the four tables keyed by their primary key alone are stored in it
    // (WITHOUT ROWID): a row was a rowid table entry plus an entry of the
    // key's index, two B-tree inserts for one row (participants, agent
    // tokens, tags, outbox recipients; -2.7% of storing a mail,
    // bench/ingest_bench). A recipient keeps its place in the mail
    // (to before cc, in order) in `pos`, which the rowid gave before. No
    // table refers to these four, so each is copied, dropped and renamed.
    R"sql(
CREATE TABLE participants_v10(
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  address TEXT NOT NULL,          -- lower-cased
  name TEXT NOT NULL,
  role TEXT NOT NULL,             -- requester | collaborator | agent
  PRIMARY KEY(ticket_id, address)
) WITHOUT ROWID;
INSERT INTO participants_v10 SELECT ticket_id, address, name, role FROM participants;
DROP TABLE participants;
ALTER TABLE participants_v10 RENAME TO participants;
CREATE TABLE ticket_tags_v10(
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  tag TEXT NOT NULL,
  PRIMARY KEY(ticket_id, tag)
) WITHOUT ROWID;
INSERT INTO ticket_tags_v10 SELECT ticket_id, tag FROM ticket_tags;
DROP TABLE ticket_tags;
ALTER TABLE ticket_tags_v10 RENAME TO ticket_tags;
CREATE TABLE agent_tokens_v10(
  token TEXT PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  agent TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO agent_tokens_v10 SELECT token, ticket_id, agent FROM agent_tokens;
DROP TABLE agent_tokens;
ALTER TABLE agent_tokens_v10 RENAME TO agent_tokens;
CREATE TABLE outbox_recipients_v10(
  outbox_id INTEGER NOT NULL REFERENCES outbox(id),
  address TEXT NOT NULL,           -- lower-cased
  role TEXT NOT NULL,              -- to | cc
  status TEXT NOT NULL DEFAULT 'pending',
  code INTEGER,
  error TEXT,
  auto_at INTEGER,                 -- set for automatic mail: the guard's rate count
  pos INTEGER NOT NULL DEFAULT 0,  -- place in the mail: to first, then cc
  PRIMARY KEY(outbox_id, address)
) WITHOUT ROWID;
INSERT INTO outbox_recipients_v10
  SELECT outbox_id, address, role, status, code, error, auto_at, rowid FROM outbox_recipients;
DROP TABLE outbox_recipients;
ALTER TABLE outbox_recipients_v10 RENAME TO outbox_recipients;
CREATE INDEX outbox_recipients_auto ON outbox_recipients(address, auto_at)
  WHERE auto_at IS NOT NULL;
)sql",
    // 11: the guard's two counts read indexes whose new entries land among
    // recent ones. Keyed by address alone, each new ticket put an entry on a
    // random page of two indexes that held every ticket and every automatic
    // mail ever: a store of a million tickets wrote (and checkpointed) two
    // more pages a mail than a small one, whose pages the mails of a batch
    // share (bench/growth). The open tickets per requester are a partial
    // index of the open ones (a desk's open tickets, not its history); the
    // automatic mail per recipient is grouped by hour first, so a new entry
    // joins the current hour's (hot pages whatever the store's size) and the
    // count seeks the address in each hour of the window.
    R"sql(
DROP INDEX tickets_by_requester;
CREATE INDEX tickets_open_by_requester ON tickets(requester_address, state)
  WHERE state = 'new' OR state = 'open' OR state = 'pending';
DROP INDEX outbox_recipients_auto;
CREATE INDEX outbox_recipients_auto_hourly ON outbox_recipients(auto_at / 3600, address, auto_at)
  WHERE auto_at IS NOT NULL;
)sql",
    // 12: the events that one transaction records for one ticket, mail and
    // actor at one time are one row of event_log, their kinds and details a
    // JSON array in the order they happened: a new ticket wrote ~10 rows
    // and as many index entries (17% of storing its mail,
    // bench/ingest_bench), now one. `events` becomes a view with the columns
    // and rows of the table it was (one row per event; ids ordered as they
    // were recorded, those of event_log rows after every older one), so
    // every reader and query of it reads the same log. The rows of before
    // stay where they are (no copy: instant on any store).
    R"sql(
ALTER TABLE events RENAME TO events_before_12;
CREATE TABLE event_log(
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  message_row INTEGER,
  items TEXT NOT NULL              -- JSON: [[kind, detail], ...], in order
);
CREATE INDEX event_log_by_ticket ON event_log(ticket_id, id);
CREATE VIEW events(id, ticket_id, at, kind, actor, detail, message_row) AS
  SELECT id, ticket_id, at, kind, actor, detail, message_row FROM events_before_12
  UNION ALL
  SELECT 1000000000000 + l.id * 64 + e.key, l.ticket_id, l.at, json_extract(e.value, '$[0]'),
         l.actor, json_extract(e.value, '$[1]'), l.message_row
  FROM event_log l, json_each(l.items) e;
)sql",
    // 13: a raw mail's hash is no longer a UNIQUE key of raw_mail. The
    // index held every mail ever stored, keyed by a hash (random by
    // nature): once it outgrew a batch, each mail dirtied a page of it of
    // its own, written to the log and copied by the checkpoint
    // (bench/growth: the cost a store of 100k or 1M tickets paid that an
    // empty one did not). A mail stored under its Message-ID is found again
    // through the index that Message-ID lookups need anyway
    // (messages_by_message_id) and the hash of its raw_mail row compared:
    // one index entry a mail instead of two. Only the mails that no message
    // row names by their Message-ID (quarantined, without one, a duplicate
    // kept) are keyed by hash, in raw_unkeyed (Tx::commit). The UNIQUE
    // index is made an index of its own (the same entries; the text of the
    // table and the index are edited, no row moves; the DDL after it
    // changes the schema cookie, so other connections read the schema
    // again), its entries copied in order into raw_unkeyed (every mail
    // stored before this schema stays found by its hash), and dropped.
    R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_master SET sql = replace(sql, 'sha256 TEXT NOT NULL UNIQUE', 'sha256 TEXT NOT NULL')
  WHERE type = 'table' AND name = 'raw_mail';
UPDATE sqlite_master SET name = 'raw_mail_by_sha256',
  sql = 'CREATE UNIQUE INDEX raw_mail_by_sha256 ON raw_mail(sha256)'
  WHERE type = 'index' AND name = 'sqlite_autoindex_raw_mail_1';
PRAGMA writable_schema=RESET;
CREATE TABLE raw_unkeyed(
  sha256 TEXT PRIMARY KEY,
  raw_id INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO raw_unkeyed(sha256, raw_id)
  SELECT sha256, id FROM raw_mail INDEXED BY raw_mail_by_sha256 ORDER BY sha256;
DROP INDEX raw_mail_by_sha256;
)sql",
    // 14: the rows a mail's transaction writes beside the ticket and the
    // mail they belong to are no longer checked by SQLite for their parent:
    // messages (ticket, raw mail), outbox rows (ticket, source mail), their
    // recipients (outbox row), participants and agent tokens (ticket). A
    // new ticket made ten parent lookups (4.4% of storing its mail,
    // bench/ingest_bench), each for a row the same transaction had just
    // written or read; tickets, mails, raw mails and outbox rows are never
    // deleted. The rare rows (attachments, tags, quarantine, a linked
    // ticket) keep their checks. As in 9, only the tables' text is edited
    // (no row changes; migrate() bumps schema_version), and the tests check
    // after every ingest test that no such row lacks its parent.
    R"sql(
PRAGMA writable_schema=ON;
UPDATE sqlite_master
  SET sql = replace(replace(replace(replace(sql, ' REFERENCES tickets(id)', ''),
            ' REFERENCES messages(id)', ''), ' REFERENCES raw_mail(id)', ''),
            ' REFERENCES outbox(id)', '')
  WHERE type = 'table' AND name IN ('messages', 'outbox', 'outbox_recipients', 'participants',
                                     'agent_tokens');
PRAGMA writable_schema=OFF;
)sql",
    // 15: an attachment's content is no longer stored decoded (the blobs
    // table) beside the raw mail that holds it (Tx::add_message);
    // attachments_with_data() decodes it again from the raw mail. Nothing in
    // the file changes: blobs stored before stay and are read first. The
    // version alone matters: a ticketd of schema 14 reads content only from
    // blobs, and would relay an empty attachment; it refuses a newer store.
    "-- no change to the file",
    // 16: a raw mail's bytes are kept in the raw spool beside the database
    // (store/raw_spool.h), written once, instead of in its row, written to
    // the log and copied again by the checkpoint (~55% of the bytes a drain
    // wrote, bench/drain). The row keeps its hash and sizes, and where its
    // bytes are: data is empty and spool_segment, spool_offset and
    // spool_size are set. Rows stored before keep their bytes (spool_segment
    // NULL); so do the rows of a database in memory. Added columns: no row
    // is rewritten.
    R"sql(
ALTER TABLE raw_mail ADD COLUMN spool_segment INTEGER;
ALTER TABLE raw_mail ADD COLUMN spool_offset INTEGER;
ALTER TABLE raw_mail ADD COLUMN spool_size INTEGER;
)sql",
};

// The migrations that edit sqlite_master's text and nothing else: after
// them the schema's version is bumped, so that the other connections read
// the schema again (13 edits it too, but its DDL bumps the version).
constexpr std::int64_t kEditsSchemaText[] = {9, 14};
// The migration that turns raw_mail's UNIQUE index into one of its own. Its
// edit must find the text and the index it expects: an edit of one without
// the other would leave a store SQLite calls malformed, so it is checked
// first and the migration refused (rolled back) otherwise.
constexpr std::int64_t kRawHashNotUnique = 13;

}  // namespace

std::string lower_address(std::string_view address) {
  std::string out(address);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

Store::Store(const std::string& path, int busy_timeout_ms)
    // Absolute: sync_log() opens the log by name, also after a chdir.
    : path_(path.starts_with("file:") || path == ":memory:"
                ? path
                : std::filesystem::absolute(path).string()),
      db_(path, busy_timeout_ms) {
  // WAL: readers (ticketctl) never block the writer. synchronous=FULL: a
  // commit is on disk before we acknowledge the mail (exit 0 / IMAP flag).
  // 8 KiB pages for a new store: half the log frames, pwrite()s and
  // checkpoint copies of 4 KiB pages for the same bytes (bench/drain:
  // ticketd's CPU -12%; growth at 1M unchanged, 16 KiB pages hurt it). A
  // store that exists keeps its size (WAL mode cannot change it): a no-op.
  db_.exec("PRAGMA page_size=8192");
  enter_wal(busy_timeout_ms);
  db_.exec("PRAGMA synchronous=FULL");
  db_.exec("PRAGMA foreign_keys=ON");
  // The poller's savepoints (one per mail inside a batch) journal the pages
  // they change in a sub-journal: a temp file by default, which cost ~90
  // small pwrite()s per mail (bench/drain); in memory it is truncated at
  // each RELEASE. Our queries sort nothing large.
  db_.exec("PRAGMA temp_store=MEMORY");
  migrate();
  if (!path_.starts_with("file:") && path_ != ":memory:" && !path_.empty())
    spool_ = std::make_unique<RawSpool>(path_ + "-raw");
}

void Store::enter_wal(int busy_timeout_ms) {
  // Switching a new file to WAL takes an exclusive lock and SQLite does not
  // wait for it (no busy handler): a second process opening the same new
  // store at that moment got "database is locked". Once switched, the mode
  // is in the file and the pragma only reads it.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(busy_timeout_ms, 0));
  for (;;) {
    try {
      db_.exec("PRAGMA journal_mode=WAL");
      return;
    } catch (const Error& e) {
      if ((e.code() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void Store::set_cache_kib(int kib) {
  db_.exec(("PRAGMA cache_size=-" + std::to_string(kib)).c_str());
}

bool Store::defer_commit_sync(bool defer) {
  // NORMAL in any other journal mode may corrupt the file on power loss; in
  // WAL mode it may only lose the last commits, which sync_log() prevents.
  defer = defer && pragma("journal_mode") == "wal";
  db_.exec(defer ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL");
  return defer;
}

void Store::sync_log() const {
  // Linux syncs a file's every dirty page whichever descriptor wrote it.
  // The log exists while a connection is open; without one it has been
  // copied into the database and removed (the checkpoint synced the copy).
  const std::string wal = path_ + "-wal";
  const int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return;
    throw Error(SQLITE_IOERR, "opening " + wal + " to sync it: " + std::strerror(errno));
  }
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw Error(SQLITE_IOERR_FSYNC, "fsync " + wal + ": " + std::strerror(err));
}

namespace {
std::atomic<MigrationNotice> migration_notice{nullptr};
}  // namespace

void set_migration_notice(MigrationNotice notice) { migration_notice = notice; }

void Store::migrate() {
  const auto version = [&] {
    auto st = db_.prepare("PRAGMA user_version");  // reset before the migrations (DROP INDEX)
    st.step();
    return st.i64(0);
  };
  constexpr std::int64_t want = std::size(kMigrations);
  static_assert(std::size(kMigrations) == kSchemaVersion);
  const auto check_not_newer = [&](std::int64_t have) {
    if (have > want)
      throw Error(SQLITE_ERROR, "database schema version " + std::to_string(have) +
                                    " is newer than this ticketd (" + std::to_string(want) + ")");
  };
  std::int64_t have = version();
  check_not_newer(have);
  if (have == want) return;
  db_.exec("BEGIN IMMEDIATE");
  try {
    // Another process (two deliveries in pipe mode into a new store) may
    // have migrated between the read above and our write lock: read again
    // under the lock, or the second one fails with "table already exists".
    have = version();
    check_not_newer(have);
    // A new store (version 0) is being created, not upgraded: no notice.
    const MigrationNotice notice = have > 0 && have < want ? migration_notice.load() : nullptr;
    const auto started = std::chrono::steady_clock::now();
    if (notice) notice(have, want, 0, false);
    for (std::int64_t v = have; v < want; ++v) {
      if (v + 1 == kRawHashNotUnique) {
        auto st = db_.prepare(
            "SELECT (SELECT (length(sql) - length(replace(sql, 'sha256 TEXT NOT NULL UNIQUE', "
            "''))) / length('sha256 TEXT NOT NULL UNIQUE') FROM sqlite_master "
            "WHERE type = 'table' AND name = 'raw_mail'), (SELECT COUNT(*) FROM sqlite_master "
            "WHERE type = 'index' AND name = 'sqlite_autoindex_raw_mail_1' "
            "AND tbl_name = 'raw_mail' AND sql IS NULL)");
        if (!st.step() || st.i64(0) != 1 || st.i64(1) != 1)
          throw Error(SQLITE_CORRUPT,
                      "cannot migrate to schema 13: raw_mail is not defined as schema 1 "
                      "made it (sha256 TEXT NOT NULL UNIQUE and its automatic index)");
      }
      db_.exec(kMigrations[v]);
    }
    if (std::any_of(std::begin(kEditsSchemaText), std::end(kEditsSchemaText),
                    [&](std::int64_t v) { return have < v && want >= v; })) {
      std::int64_t schema = 0;
      {
        auto st = db_.prepare("PRAGMA schema_version");
        if (st.step()) schema = st.i64(0);
      }
      db_.exec(("PRAGMA schema_version=" + std::to_string(schema + 1)).c_str());
    }
    if (have != want) db_.exec(("PRAGMA user_version=" + std::to_string(want)).c_str());
    db_.exec("COMMIT");
    if (notice)
      notice(have, want,
             std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
             true);
  } catch (...) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::string Store::pragma(std::string_view name) {
  auto st = db_.prepare("PRAGMA " + std::string(name));
  return st.step() ? st.text(0) : std::string();
}

namespace {
// From this size on, a blob is written in pieces into a zeroblob rather than
// bound whole (which SQLite copies into the record it builds).
constexpr std::size_t kStreamBlobBytes = 1u << 20;

constexpr const char* kTicketColumns =
    "t.id, t.number, t.token, t.subject, t.state, t.requester_name, t.requester_address, "
    "t.created_at, t.updated_at, (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = t.id), "
    "t.priority, t.team, t.assignee, t.first_response_at, t.first_response_due, "
    "t.resolution_due, (SELECT number FROM tickets l WHERE l.id = t.linked_ticket)";

std::optional<std::int64_t> opt_i64(const Stmt& st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return st.i64(col);
}

}  // namespace

// A ticket's number is its prefix and its sequence (next_ticket_number); a
// prefix may end in digits ("TD2026"), so the sequence is one of the
// suffixes of the number's trailing digits that do not start with 0:
// "TD-1001" -> 1001, 1. Looked up by seq (its UNIQUE index) and the number
// compared case-insensitively: no index on number COLLATE NOCASE to keep
// up for every new ticket (schema 8).
std::vector<std::int64_t> ticket_seq_candidates(std::string_view number) {
  std::size_t digits = number.size();
  while (digits > 0 && number[digits - 1] >= '0' && number[digits - 1] <= '9') --digits;
  std::vector<std::int64_t> out;
  for (std::size_t from = digits; from < number.size(); ++from) {
    const std::size_t n = number.size() - from;
    if (number[from] == '0' || n > 18) continue;  // not a sequence: to_string has no 0 lead
    std::int64_t v = 0;
    for (std::size_t i = from; i < number.size(); ++i) v = v * 10 + (number[i] - '0');
    out.push_back(v);
  }
  return out;
}

namespace {

TicketRow read_ticket(const Stmt& st) {
  TicketRow r;
  r.id = st.i64(0);
  r.number = st.text(1);
  r.token = st.text(2);
  r.subject = st.text(3);
  r.state = st.text(4);
  r.requester = {st.text(5), st.text(6)};
  r.created_at = st.i64(7);
  r.updated_at = st.i64(8);
  r.messages = st.i64(9);
  r.priority = st.text(10);
  r.team = st.text(11);
  r.assignee = st.text(12);
  r.first_response_at = opt_i64(st, 13);
  r.first_response_due = opt_i64(st, 14);
  r.resolution_due = opt_i64(st, 15);
  r.linked_ticket = st.opt_text(16);
  return r;
}

// Tags and collaborators of each ticket row.
void add_lists(Db& db, std::vector<TicketRow>& rows) {
  auto tags = db.prepare("SELECT tag FROM ticket_tags WHERE ticket_id = ?1 ORDER BY tag");
  auto people = db.prepare(
      "SELECT name, address FROM participants WHERE ticket_id = ?1 AND role = 'collaborator' "
      "ORDER BY address");
  for (auto& r : rows) {
    tags.reset();
    tags.bind(1, r.id);
    while (tags.step()) r.tags.push_back(tags.text(0));
    people.reset();
    people.bind(1, r.id);
    while (people.step()) r.collaborators.push_back({people.text(0), people.text(1)});
  }
}
}  // namespace

std::vector<TicketRow> Store::list_tickets(const std::optional<std::string>& state,
                                           bool unassigned_only) {
  std::string sql = std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE 1";
  if (state) sql += " AND t.state = ?1";
  if (unassigned_only)
    sql += " AND COALESCE(t.assignee, '') = '' AND t.state NOT IN ('resolved', 'closed')";
  sql += " ORDER BY t.seq";
  auto st = db_.prepare(sql);
  if (state) st.bind(1, *state);
  std::vector<TicketRow> out;
  while (st.step()) out.push_back(read_ticket(st));
  add_lists(db_, out);
  return out;
}

std::optional<TicketRow> Store::find_ticket(std::string_view number) {
  auto st = db_.prepare(std::string("SELECT ") + kTicketColumns +
                        " FROM tickets t WHERE t.seq = ?1 AND t.number = ?2 COLLATE NOCASE");
  for (std::int64_t seq : ticket_seq_candidates(number)) {
    st.reset();
    st.bind(1, seq).bind(2, number);
    if (!st.step()) continue;
    std::vector<TicketRow> one{read_ticket(st)};
    add_lists(db_, one);
    return std::move(one.front());
  }
  return std::nullopt;
}

std::optional<TicketRow> Store::ticket_by_id(std::int64_t id) {
  auto st =
      db_.prepare(std::string("SELECT ") + kTicketColumns + " FROM tickets t WHERE t.id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  std::vector<TicketRow> one{read_ticket(st)};
  add_lists(db_, one);
  return std::move(one.front());
}

namespace {

constexpr const char* kEntryColumns =
    "SELECT id, COALESCE(message_id, ''), from_name, from_address, direction, kind, at, "
    "subject, text, new_text, new_text_len FROM messages ";

// A stored mail's attachments in order; column 7 is the content when asked for.
std::string attachments_of_message(bool with_data) {
  return std::string(
             "SELECT a.filename, a.content_type, a.size, a.content_id, a.inline, a.sha256, "
             "a.dropped, ") +
         (with_data ? "b.data FROM attachments a LEFT JOIN blobs b ON b.sha256 = a.sha256 "
                    : "NULL FROM attachments a ") +
         "WHERE a.message_row = ?1 ORDER BY a.id";
}

parser::Attachment read_attachment(const Stmt& st, bool with_data) {
  parser::Attachment a;
  a.filename = st.text(0);
  a.content_type = st.text(1);
  a.size = static_cast<std::size_t>(st.i64(2));
  a.content_id = st.text(3);
  a.inline_part = st.i64(4) != 0;
  a.sha256 = st.text(5);
  a.dropped = st.i64(6) != 0;
  if (with_data) a.data = st.blob(7);
  return a;
}

ThreadEntry read_entry(const Stmt& st) {
  ThreadEntry e;
  e.id = st.i64(0);
  e.message_id = st.text(1);
  e.from = {st.text(2), st.text(3)};
  e.direction = st.text(4);
  e.kind = st.text(5);
  e.at = st.i64(6);
  e.subject = st.text(7);
  e.text = st.text(8);
  // Stored as a length when it is the start of the text (schema 7).
  if (st.is_null(10))
    e.new_text = st.text(9);
  else
    e.new_text = e.text.substr(
        0, std::min<std::size_t>(static_cast<std::size_t>(st.i64(10)), e.text.size()));
  return e;
}

}  // namespace

std::optional<ThreadEntry> Store::message(std::int64_t message_row) {
  auto st = db_.prepare(std::string(kEntryColumns) + "WHERE id = ?1");
  st.bind(1, message_row);
  if (!st.step()) return std::nullopt;
  return read_entry(st);
}

std::vector<ThreadEntry> Store::thread(std::int64_t ticket_id) {
  auto st = db_.prepare(std::string(kEntryColumns) + "WHERE ticket_id = ?1 ORDER BY id");
  st.bind(1, ticket_id);
  std::vector<ThreadEntry> out;
  while (st.step()) out.push_back(read_entry(st));
  auto at = db_.prepare(attachments_of_message(false));
  for (auto& e : out) {
    at.reset();
    at.bind(1, e.id);
    while (at.step()) e.attachments.push_back(read_attachment(at, false));
  }
  return out;
}

std::expected<std::vector<parser::Attachment>, std::string> Store::attachments_with_data(
    std::int64_t message_row) {
  auto st = db_.prepare(attachments_of_message(true));
  st.bind(1, message_row);
  std::vector<parser::Attachment> out;
  std::vector<std::size_t> from_raw;
  while (st.step()) {
    out.push_back(read_attachment(st, true));
    const parser::Attachment& a = out.back();
    if (!a.dropped && a.size > 0 && st.is_null(7)) from_raw.push_back(out.size() - 1);
  }
  if (from_raw.empty()) return out;
  auto raw = db_.prepare(
      "SELECT r.id, r.truncated FROM messages m JOIN raw_mail r ON r.id = m.raw_id "
      "WHERE m.id = ?1");
  raw.bind(1, message_row);
  const std::string where = "mail row " + std::to_string(message_row);
  if (!raw.step()) return std::unexpected(where + ": its raw mail is missing");
  if (raw.i64(1) != 0) return std::unexpected(where + ": its raw mail was kept truncated");
  const std::int64_t raw_id = raw.i64(0);
  raw.reset();
  std::optional<RawBytes> stored;
  try {
    stored = raw_bytes(raw_id);
  } catch (const Error& e) {
    return std::unexpected(where + ": " + e.what());
  }
  if (!stored) return std::unexpected(where + ": its raw mail is missing");
  const std::string& bytes = stored->bytes;
  // Parsed as at ingest but without limits (those that applied then are in
  // `dropped`), every attachment left in the bytes (lazy) and only those
  // asked for decoded, matched by their SHA-256.
  parser::ParseLimits limits;
  limits.max_message_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_attachment_bytes = std::numeric_limits<std::size_t>::max();
  limits.lazy_attachment_bytes = 1;
  const parser::Message msg = parser::parse_message(bytes, limits);
  for (std::size_t i : from_raw) {
    parser::Attachment& a = out[i];
    const auto found = std::find_if(
        msg.attachments.begin(), msg.attachments.end(),
        [&](const auto& p) { return p.sha256 == a.sha256 && p.size == a.size && !p.dropped; });
    if (found == msg.attachments.end())
      return std::unexpected(where + ": attachment \"" + a.filename + "\" (sha256 " + a.sha256 +
                             ") is not in its raw mail");
    a.data.reserve(a.size);
    parser::attachment_content(*found, [&](std::string_view piece) { a.data += piece; });
  }
  return out;
}

std::optional<Store::RawBytes> Store::raw_bytes(std::int64_t raw_id) {
  auto st = db_.prepare(
      "SELECT sha256, truncated, spool_segment, spool_offset, spool_size, "
      "CASE WHEN spool_segment IS NULL THEN data END FROM raw_mail WHERE id = ?1");
  st.bind(1, raw_id);
  if (!st.step()) return std::nullopt;
  RawBytes out;
  out.truncated = st.i64(1) != 0;
  const std::string sha256 = st.text(0);
  if (st.is_null(2)) {
    out.bytes = st.blob(5);
  } else {
    const RawSpool::Place at{st.i64(2), st.i64(3)};
    const std::int64_t size = st.i64(4);
    st.reset();
    if (!spool_)
      throw Error(SQLITE_CORRUPT, "raw mail " + std::to_string(raw_id) +
                                      " is in a raw spool, which a database opened by URI has not");
    out.bytes = spool_->read(at, size);
    if (parser::sha256_hex(out.bytes) != sha256)
      throw Error(SQLITE_CORRUPT, "raw mail " + std::to_string(raw_id) + " in " +
                                      spool_->segment_path(at.segment) + " at offset " +
                                      std::to_string(at.offset) + " does not match its SHA-256");
    return out;
  }
  if (parser::sha256_hex(out.bytes) != sha256)
    throw Error(SQLITE_CORRUPT,
                "raw mail " + std::to_string(raw_id) + " does not match its SHA-256");
  return out;
}

std::vector<EventRow> Store::events(std::int64_t ticket_id) {
  if (open_tx_) open_tx_->flush_events();
  auto st =
      db_.prepare("SELECT at, kind, actor, detail FROM events WHERE ticket_id = ?1 ORDER BY id");
  st.bind(1, ticket_id);
  std::vector<EventRow> out;
  while (st.step()) out.push_back({st.i64(0), st.text(1), st.text(2), st.text(3)});
  return out;
}

std::vector<QuarantineRow> Store::quarantined() {
  auto st = db_.prepare(
      "SELECT q.id, q.at, q.reason, q.detail, r.sha256, r.size FROM quarantine q "
      "JOIN raw_mail r ON r.id = q.raw_id ORDER BY q.id");
  std::vector<QuarantineRow> out;
  while (st.step())
    out.push_back({st.i64(0), st.i64(1), st.text(2), st.text(3), st.text(4), st.i64(5)});
  return out;
}

// ---- Tx ----

Tx::Tx(Store& store)
    : db_(store.db()),
      store_(store),
      outer_(store.open_tx_),
      nested_(store.in_batch()),
      savepoint_(store.in_batch() && store.batch_savepoints()) {
  // Prepared (and cached) rather than exec'd: compiling the statement text
  // each time was ~5% of a mail's cost in a batch.
  if (!nested_) {
    db_.prepare("BEGIN IMMEDIATE").run();
    store_.open_tx_ = this;
    return;
  }
  // SQLite rolls the whole transaction back on some errors (full disk, I/O);
  // a SAVEPOINT then would open a new transaction that RELEASE commits alone.
  if (sqlite3_get_autocommit(db_.handle()) || store_.batch_spoiled_)
    throw Error(SQLITE_ABORT, "the batch transaction was rolled back");
  if (savepoint_) db_.prepare("SAVEPOINT mail").run();
  store_.open_tx_ = this;
}

Tx::~Tx() {
  store_.open_tx_ = outer_;
  if (done_) return;
  if (!nested_) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  } else if (!savepoint_) {
    // Part of this mail may be written: the batch must not commit.
    store_.batch_spoiled_ = true;
  } else if (!sqlite3_get_autocommit(db_.handle())) {
    sqlite3_exec(db_.handle(), "ROLLBACK TO mail; RELEASE mail", nullptr, nullptr, nullptr);
  }
}

void Tx::commit() {
  if (before_commit_) std::exchange(before_commit_, nullptr)(*this);
  flush_events();
  if (raw_ && !raw_->named) {
    auto st = db_.prepare("INSERT OR IGNORE INTO raw_unkeyed(sha256, raw_id) VALUES(?1, ?2)");
    st.bind(1, raw_->sha256).bind(2, raw_->id);
    st.run();
  }
  raw_.reset();
  if (!nested_) {
    store_.sync_raw();  // the bytes before the rows that name them
    db_.prepare("COMMIT").run();
  } else if (savepoint_)
    db_.prepare("RELEASE mail").run();
  done_ = true;
}

Checkpointer::Checkpointer(Store& writer, const std::string& path, int busy_timeout_ms)
    : writer_(writer), db_(path, busy_timeout_ms), busy_timeout_ms_(busy_timeout_ms) {
  // A connection finds the log at its first read; before, a checkpoint on it
  // reports "not in WAL mode" and copies nothing.
  db_.prepare("SELECT COUNT(*) FROM sqlite_master").run();
  sqlite3_wal_hook(writer_.db().handle(), &Checkpointer::on_commit, this);
}

Checkpointer::~Checkpointer() {
  // Back to SQLite's own automatic checkpoint for the writer.
  sqlite3_wal_autocheckpoint(writer_.db().handle(), kDuePages);
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
  static_cast<Checkpointer*>(self)->wal_pages_.store(pages);
  return SQLITE_OK;
}

void Checkpointer::run() {
  int log = 0, done = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  // All copied: the writer starts the log over at its next transaction, and
  // its next commit reports the new size.
  if (rc == SQLITE_OK && log >= 0 && done == log) wal_pages_.store(0);
}

bool Checkpointer::truncate_if_idle() {
  sqlite3_busy_timeout(db_.handle(), 0);
  int log = 0, done = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
  sqlite3_busy_timeout(db_.handle(), busy_timeout_ms_);
  if (rc != SQLITE_OK) return false;
  wal_pages_.store(0);
  return true;
}

Batch::Batch(Store& store, bool savepoints) : store_(store) {
  if (store_.in_batch_) throw Error(SQLITE_MISUSE, "a batch is already open");
  store_.db().exec("BEGIN IMMEDIATE");
  store_.in_batch_ = true;
  store_.batch_savepoints_ = savepoints;
  store_.batch_spoiled_ = false;
}

Batch::~Batch() {
  store_.in_batch_ = false;
  if (!done_ && !sqlite3_get_autocommit(store_.db().handle()))
    sqlite3_exec(store_.db().handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Batch::commit() {
  done_ = true;
  store_.in_batch_ = false;
  if (store_.batch_spoiled_) {
    sqlite3_exec(store_.db().handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw Error(SQLITE_ABORT, "a mail of the batch failed without a savepoint: rolled back");
  }
  if (sqlite3_get_autocommit(store_.db().handle()))
    throw Error(SQLITE_ABORT, "the batch transaction was rolled back (an earlier error)");
  try {
    store_.sync_raw();  // the bytes before the rows that name them
    store_.db().exec("COMMIT");
  } catch (...) {
    sqlite3_exec(store_.db().handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<RawRef> Tx::find_raw(std::string_view sha256, std::string_view message_id) {
  // Both ways in one statement: the raw mail of a message row with this
  // Message-ID and hash, then the mails keyed by hash alone.
  auto st = db_.prepare(
      "SELECT r.id, m.ticket_id, t.number, q.id FROM ("
      "  SELECT id FROM (SELECT r.id FROM messages m JOIN raw_mail r ON r.id = m.raw_id "
      "    WHERE m.message_id = ?2 AND r.sha256 = ?1 ORDER BY m.id LIMIT 1) "
      "  UNION ALL SELECT raw_id FROM raw_unkeyed WHERE sha256 = ?1 LIMIT 1) r "
      "LEFT JOIN messages m ON m.raw_id = r.id LEFT JOIN tickets t ON t.id = m.ticket_id "
      "LEFT JOIN quarantine q ON q.raw_id = r.id LIMIT 1");
  st.bind(1, sha256);
  st.bind(2, message_id);
  if (!st.step()) return std::nullopt;
  RawRef r;
  r.raw_id = st.i64(0);
  if (!st.is_null(1)) r.ticket_id = st.i64(1);
  r.ticket_number = st.opt_text(2);
  r.quarantined = !st.is_null(3);
  return r;
}

std::vector<MessageIdRef> Tx::find_message_id(std::string_view message_id) {
  auto st = db_.prepare(
      "SELECT m.ticket_id, t.number, m.content_hash FROM messages m "
      "JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = ?1 ORDER BY m.id");
  st.bind(1, message_id);
  std::vector<MessageIdRef> out;
  while (st.step()) out.push_back({st.i64(0), st.text(1), st.text(2)});
  return out;
}

std::int64_t Tx::put_raw(std::string_view sha256, std::string_view bytes, std::int64_t size,
                         bool truncated, std::int64_t now) {
  if (RawSpool* spool = store_.raw_spool()) {
    const RawSpool::Place at = spool->append(bytes);
    auto st = db_.prepare(
        "INSERT INTO raw_mail(sha256, size, truncated, received_at, data, spool_segment, "
        "spool_offset, spool_size) VALUES(?1,?2,?3,?4,X'',?5,?6,?7)");
    st.bind(1, sha256).bind(2, size).bind(3, truncated ? 1 : 0).bind(4, now);
    st.bind(5, at.segment).bind(6, at.offset).bind(7, static_cast<std::int64_t>(bytes.size()));
    st.run();
    const std::int64_t id = db_.last_insert_id();
    raw_ = PendingRaw{id, std::string(sha256), false};
    return id;
  }
  // Big mails are streamed into a zeroblob (Db::write_blob), small ones bound.
  const bool big = bytes.size() >= kStreamBlobBytes;
  auto st = db_.prepare(big ? "INSERT INTO raw_mail(sha256, size, truncated, received_at, data) "
                              "VALUES(?1,?2,?3,?4,zeroblob(?5))"
                            : "INSERT INTO raw_mail(sha256, size, truncated, received_at, data) "
                              "VALUES(?1,?2,?3,?4,?5)");
  st.bind(1, sha256).bind(2, size).bind(3, truncated ? 1 : 0).bind(4, now);
  if (big)
    st.bind(5, static_cast<std::int64_t>(bytes.size()));
  else
    st.bind_blob(5, bytes);
  st.run();
  const std::int64_t id = db_.last_insert_id();
  if (big) db_.write_blob("raw_mail", "data", id, bytes);
  raw_ = PendingRaw{id, std::string(sha256), false};
  return id;
}

std::pair<std::int64_t, std::string> Tx::next_ticket_number(std::string_view prefix,
                                                            std::int64_t first_number) {
  auto q = db_.prepare("SELECT COALESCE(MAX(seq), ?1) + 1 FROM tickets");
  q.bind(1, first_number);
  q.step();
  const std::int64_t seq = q.i64(0);
  return {seq, std::string(prefix) + std::to_string(seq)};
}

lifecycle::TicketRef Tx::create_ticket(std::int64_t seq, std::string_view number,
                                       std::string_view token, std::string_view subject,
                                       const Person& requester, std::int64_t now,
                                       const lifecycle::Decisions& initial) {
  const lifecycle::Decisions& d = initial;
  const lifecycle::State initial_state = d.state.value_or(lifecycle::State::new_);
  const std::string state(lifecycle::state_name(initial_state));
  const std::string_view priority =
      lifecycle::priority_name(d.priority.value_or(lifecycle::Priority::normal));
  const std::string team = d.team.value_or("");
  const std::string assignee = d.assignee ? lower_address(*d.assignee) : std::string();
  auto st = db_.prepare(
      "INSERT INTO tickets(seq, number, token, subject, state, requester_name, "
      "requester_address, created_at, updated_at, state_since, priority, team, assignee, "
      "first_response_at, first_response_due, resolution_due, reminders_sent, "
      "first_response_overdue, resolution_overdue) "
      "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?8,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
  st.bind(1, seq).bind(2, number).bind(3, token).bind(4, subject).bind(5, state);
  st.bind(6, requester.name).bind(7, requester.address).bind(8, now);
  st.bind(9, priority).bind(10, team).bind(11, assignee);
  auto bind_time = [&](int i, const std::optional<std::int64_t>& t) {
    if (t)
      st.bind(i, *t);
    else
      st.bind_null(i);
  };
  bind_time(12, d.first_response_at);
  bind_time(13, d.clear_first_response_due ? std::nullopt : d.first_response_due);
  bind_time(14, d.clear_resolution_due ? std::nullopt : d.resolution_due);
  st.bind(15, static_cast<std::int64_t>(d.reminders_sent.value_or(0)));
  st.bind(16, std::int64_t{d.mark_first_response_overdue ? 1 : 0});
  st.bind(17, std::int64_t{d.mark_resolution_overdue ? 1 : 0});
  st.run();
  const std::int64_t id = db_.last_insert_id();
  // What the update triggers keep for changes (schema 8).
  if (!assignee.empty() &&
      (initial_state == lifecycle::State::new_ || initial_state == lifecycle::State::open ||
       initial_state == lifecycle::State::pending)) {
    auto count = db_.prepare(
        "INSERT INTO open_by_assignee(assignee, open) VALUES(?1, 1) "
        "ON CONFLICT(assignee) DO UPDATE SET open = open + 1");
    count.bind(1, assignee);
    count.run();
  }
  return {id, std::string(number), state};
}

void Tx::add_participant(std::int64_t ticket_id, const Person& who, std::string_view role) {
  auto st = db_.prepare(
      "INSERT OR IGNORE INTO participants(ticket_id, address, name, role) VALUES(?1,?2,?3,?4)");
  std::string addr = lower_address(who.address);
  st.bind(1, ticket_id).bind(2, addr).bind(3, who.name).bind(4, role);
  st.run();
}

std::int64_t Tx::add_message(std::int64_t ticket_id, std::int64_t raw_id,
                             const parser::Message& msg, std::string_view direction,
                             std::string_view kind, std::string_view content_hash,
                             std::int64_t now) {
  auto st = db_.prepare(
      "INSERT INTO messages(ticket_id, raw_id, message_id, content_hash, direction, kind, "
      "from_name, from_address, subject, sent_at, at, text, new_text, html, auto_kind, "
      "new_text_len) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)");
  st.bind(1, ticket_id).bind(2, raw_id);
  if (msg.keys.message_id.empty()) {
    st.bind_null(3);
  } else {
    st.bind(3, msg.keys.message_id);
    if (raw_ && raw_id == raw_->id) raw_->named = true;  // found by it (find_raw)
  }
  st.bind(4, content_hash).bind(5, direction).bind(6, kind);
  st.bind(7, msg.from.name).bind(8, msg.from.address).bind(9, msg.subject);
  if (msg.date)
    st.bind(10, *msg.date);
  else
    st.bind_null(10);
  // The HTML body is not kept beside the text made of it: nothing read it,
  // and the raw mail holds it (the store of the bench mails: -3.6%).
  st.bind(11, now).bind(12, msg.text).bind_null(14);
  if (std::string_view(msg.text).starts_with(msg.new_text)) {
    st.bind(13, "").bind(16, static_cast<std::int64_t>(msg.new_text.size()));
  } else {
    st.bind(13, msg.new_text);
    st.bind_null(16);
  }
  if (msg.auto_kind == parser::AutoKind::none)
    st.bind_null(15);
  else
    st.bind(15, parser::auto_kind_name(msg.auto_kind));
  st.run();
  const std::int64_t row = db_.last_insert_id();

  // An attachment is recorded (name, type, size, SHA-256), not stored: its
  // content is in the raw mail beside it, and attachments_with_data() decodes
  // it again from there when an answer relays it. Stored decoded as well
  // (schemas 1-14, the blobs table), every attachment was written twice:
  // 15% of the store of the bench mails (docs/benchmarks.md).
  auto att = db_.prepare(
      "INSERT INTO attachments(message_row, filename, content_type, size, content_id, inline, "
      "sha256, dropped) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
  for (const auto& a : msg.attachments) {
    att.reset();
    att.bind(1, row).bind(2, a.filename).bind(3, a.content_type);
    att.bind(4, static_cast<std::int64_t>(a.size)).bind(5, a.content_id);
    att.bind(6, a.inline_part ? 1 : 0).bind(7, a.sha256).bind(8, a.dropped ? 1 : 0);
    att.run();
  }
  return row;
}

namespace {
// Eight bytes at a time: the high bit of each byte that is a control
// character, a quote or a backslash (the lowest set bit is exact; above it
// a borrow may set more). Most details have one every few dozen bytes at
// most: a byte at a time was 7 instructions a byte, 4% of storing a mail.
static_assert(std::endian::native == std::endian::little, "escape_mask: first byte is lowest");
std::uint64_t escape_mask(std::uint64_t v) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto zero_in = [&](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  return ((v - kOnes * 0x20) & ~v & kHigh) | zero_in(v ^ (kOnes * '"')) |
         zero_in(v ^ (kOnes * '\\'));
}

// `text` as a JSON string into `out`: quotes, backslashes and control
// characters escaped; other bytes (UTF-8) as they are, which SQLite's JSON
// functions read back unchanged.
void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t from = 0, i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      const std::uint64_t m = escape_mask(word);
      if (m == 0) {
        i += 8;
        continue;
      }
      i += static_cast<std::size_t>(std::countr_zero(m)) >> 3;  // little-endian: first byte
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {  // the last bytes, one at a time
      ++i;
      continue;
    }
    out.append(text, from, i - from);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
    from = ++i;
  }
  out.append(text, from, std::string_view::npos);
  out += '"';
}

// Events of one event_log row at most: the view numbers them id * 64 + n.
constexpr int kEventsPerRow = 64;
}  // namespace

void Tx::add_event(std::optional<std::int64_t> ticket_id, std::int64_t now, std::string_view kind,
                   std::string_view actor, std::string_view detail,
                   std::optional<std::int64_t> message_row) {
  auto& p = pending_;
  if (p.count > 0 && (p.count == kEventsPerRow || p.ticket_id != ticket_id || p.at != now ||
                      p.actor != actor || p.message_row != message_row))
    flush_events();
  if (p.count == 0) {
    p.ticket_id = ticket_id;
    p.at = now;
    p.actor.assign(actor);
    p.message_row = message_row;
    p.items.assign(1, '[');
  } else {
    p.items += ',';
  }
  p.items += '[';
  append_json_string(p.items, kind);
  p.items += ',';
  append_json_string(p.items, detail);
  p.items += ']';
  ++p.count;
}

void Tx::add_events(std::int64_t ticket_id, std::int64_t now,
                    const std::vector<lifecycle::EventNote>& events, std::string_view actor,
                    std::optional<std::int64_t> message_row) {
  for (const auto& e : events) add_event(ticket_id, now, e.kind, actor, e.detail, message_row);
}

void Tx::flush_events() {
  auto& p = pending_;
  if (p.count == 0) return;
  p.items += ']';
  auto st = db_.prepare(
      "INSERT INTO event_log(ticket_id, at, actor, message_row, items) VALUES(?1,?2,?3,?4,?5)");
  if (p.ticket_id)
    st.bind(1, *p.ticket_id);
  else
    st.bind_null(1);
  st.bind(2, p.at).bind(3, p.actor);
  if (p.message_row)
    st.bind(4, *p.message_row);
  else
    st.bind_null(4);
  st.bind(5, p.items);
  p.count = 0;  // before run(): a failed insert leaves nothing half-written behind
  st.run();
}

std::int64_t Tx::quarantine(std::int64_t raw_id, std::string_view reason, std::string_view detail,
                            std::int64_t now) {
  auto st = db_.prepare("INSERT INTO quarantine(raw_id, at, reason, detail) VALUES(?1,?2,?3,?4)");
  st.bind(1, raw_id).bind(2, now).bind(3, reason).bind(4, detail);
  st.run();
  return db_.last_insert_id();
}

void Tx::touch_ticket(std::int64_t ticket_id, std::int64_t now) {
  auto st = db_.prepare("UPDATE tickets SET updated_at = ?2 WHERE id = ?1");
  st.bind(1, ticket_id).bind(2, now);
  st.run();
}

std::optional<lifecycle::TicketRef> Tx::ticket_by_token(std::string_view token) {
  // The customer's token, or an agent's token for the ticket.
  auto st = db_.prepare(
      "SELECT id, number, state FROM tickets WHERE token = ?1 UNION ALL "
      "SELECT t.id, t.number, t.state FROM agent_tokens a JOIN tickets t ON t.id = a.ticket_id "
      "WHERE a.token = ?1 LIMIT 1");
  const std::string lowered = lower_address(token);  // bound without a copy: must outlive step()
  st.bind(1, lowered);
  if (!st.step()) return std::nullopt;
  return lifecycle::TicketRef{st.i64(0), st.text(1), st.text(2)};
}

std::optional<lifecycle::TicketRef> Tx::ticket_by_message_id(std::string_view message_id) {
  // A mail we received, or one we queued/sent (its Message-ID is assigned at queueing).
  auto st = db_.prepare(
      "SELECT t.id, t.number, t.state FROM messages m JOIN tickets t ON t.id = m.ticket_id "
      "WHERE m.message_id = ?1 UNION ALL "
      "SELECT t.id, t.number, t.state FROM outbox o JOIN tickets t ON t.id = o.ticket_id "
      "WHERE o.message_id = ?1 LIMIT 1");
  st.bind(1, message_id);
  if (!st.step()) return std::nullopt;
  return lifecycle::TicketRef{st.i64(0), st.text(1), st.text(2)};
}

std::optional<lifecycle::TicketRef> Tx::ticket_by_number(std::string_view number) {
  auto st = db_.prepare(
      "SELECT id, number, state FROM tickets WHERE seq = ?1 AND number = ?2 COLLATE NOCASE");
  for (std::int64_t seq : ticket_seq_candidates(number)) {
    st.reset();
    st.bind(1, seq).bind(2, number);
    if (st.step()) return lifecycle::TicketRef{st.i64(0), st.text(1), st.text(2)};
  }
  return std::nullopt;
}

bool Tx::is_participant(std::int64_t ticket_id, std::string_view address) {
  auto st = db_.prepare("SELECT 1 FROM participants WHERE ticket_id = ?1 AND address = ?2");
  std::string addr = lower_address(address);
  st.bind(1, ticket_id).bind(2, addr);
  return st.step();
}

}  // namespace ticketd::store
