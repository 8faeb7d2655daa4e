// ticketd store: the SQLite database — schema and migrations, the one
// transaction per accepted mail, and the read queries behind ticketctl.
// Raw mail is kept byte for byte as a BLOB in the same database (not in
// files) so that the raw bytes, the ticket and the cursor commit or roll back
// together and a backup is one file; an attachment is recorded (name, size,
// SHA-256) and its content read from the raw mail that holds it.
// Failures throw store::Error (store/sqlite.h); Error::temporary() tells the
// caller to try again later (pipe mode exits 75).
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/engine.h"
#include "lifecycle/guard.h"
#include "lifecycle/threading.h"
#include "lifecycle/ticket.h"
#include "parser/message.h"
#include "store/raw_spool.h"
#include "store/sqlite.h"

namespace ticketd::store {

inline constexpr int kSchemaVersion = 16;

struct Person {
  std::string name;
  std::string address;
};

struct EventRow {
  std::int64_t at = 0;
  std::string kind;
  std::string actor;
  std::string detail;
};

struct TicketRow {
  std::int64_t id = 0;
  std::string number;
  std::string token;
  std::string subject;
  std::string state;
  Person requester;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t messages = 0;
  std::string priority = "normal";
  std::string team;
  std::string assignee;
  std::vector<std::string> tags;
  std::vector<Person> collaborators;
  std::optional<std::int64_t> first_response_at, first_response_due, resolution_due;
  std::optional<std::string> linked_ticket;  // number of the ticket this one follows up
};

// An outgoing mail decided now, sent later (the outbound issue renders it).
struct OutboxRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> ticket_id;
  std::string kind;  // lifecycle::notice_kind_name
  std::string template_name;
  std::string message_id;   // without <>
  std::string in_reply_to;  // without <>, may be empty
  std::vector<std::string> to, cc;
  std::string detail;
  std::optional<std::int64_t> source_message;  // messages.id that caused it
  std::string state = "pending";               // pending | deferred | sent | dead
  std::int64_t created_at = 0;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> next_attempt_at, sent_at;
  std::string last_error;
};

// One recipient's result of a delivery attempt.
struct RecipientStatus {
  std::string address;
  std::string status;  // pending | sent | deferred | failed
  int code = 0;        // the SMTP reply code, 0 when none
  std::string error;
};

// Everything recorded about one stored mail, for `ticketctl why`.
struct MailStory {
  std::int64_t message_row = 0;
  std::string ticket;
  std::string kind;
  std::string from;
  std::int64_t at = 0;
  std::vector<EventRow> events;
  std::vector<OutboxRow> queued;
};

struct ThreadEntry {
  std::int64_t id = 0;
  std::string message_id;
  Person from;
  std::string direction;  // in | out
  std::string kind;       // customer | agent | note | system
  std::int64_t at = 0;
  std::string subject;
  std::string text;
  std::string new_text;
  std::vector<parser::Attachment> attachments;  // data left empty
};

struct QuarantineRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string reason;
  std::string detail;
  std::string sha256;
  std::int64_t size = 0;
};

// Where an already-stored raw mail went.
struct RawRef {
  std::int64_t raw_id = 0;
  std::optional<std::int64_t> ticket_id;
  std::optional<std::string> ticket_number;
  bool quarantined = false;
};

struct MessageIdRef {
  std::int64_t ticket_id = 0;
  std::string ticket_number;
  std::string content_hash;
};

class Store;

// One write transaction (BEGIN IMMEDIATE). Rolled back unless commit() ran.
// Inside an open Batch it is part of the batch instead (durable only when
// the batch commits). In a Batch with savepoints it is a SAVEPOINT: a Tx
// that is not committed rolls back alone, leaving the batch's other mails in
// place. In a Batch without them (the fast path) a Tx that is not committed
// spoils the whole batch: Batch::commit() then throws and nothing is kept.
// Also answers the threading lookups, so the decision sees exactly what the
// transaction will write against.
class Tx : public lifecycle::ThreadLookup {
 public:
  explicit Tx(Store& store);
  ~Tx() override;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  // The raw mail stored with these bytes (`sha256`): by the mail's
  // Message-ID (a message row of it whose raw mail has the hash), else by
  // the hash among the mails no message row names (schema 13).
  std::optional<RawRef> find_raw(std::string_view sha256, std::string_view message_id);
  std::vector<MessageIdRef> find_message_id(std::string_view message_id);

  std::int64_t put_raw(std::string_view sha256, std::string_view bytes, std::int64_t size,
                       bool truncated, std::int64_t now);
  // The sequence and number (prefix + sequence) the next ticket gets.
  std::pair<std::int64_t, std::string> next_ticket_number(std::string_view prefix,
                                                          std::int64_t first_number);
  // Creates ticket `number` (from next_ticket_number) with the column changes
  // of `initial` (as apply_fields would make them, in the same INSERT: an
  // UPDATE right after it rewrote the row and five index entries). Tags and
  // collaborators in `initial` are apply_lists' work.
  lifecycle::TicketRef create_ticket(std::int64_t seq, std::string_view number,
                                     std::string_view token, std::string_view subject,
                                     const Person& requester, std::int64_t now,
                                     const lifecycle::Decisions& initial);
  void add_participant(std::int64_t ticket_id, const Person& who, std::string_view role);
  std::int64_t add_message(std::int64_t ticket_id, std::int64_t raw_id, const parser::Message& msg,
                           std::string_view direction, std::string_view kind,
                           std::string_view content_hash, std::int64_t now);
  // Events are written at commit (or before the store reads events), the
  // events that follow each other with the same ticket, time, actor and mail
  // as one row of event_log (schema 12; the `events` view shows one row per
  // event, in order): a new ticket's ~10 events were ~10 rows and as many
  // index entries, 17% of storing its mail.
  void add_event(std::optional<std::int64_t> ticket_id, std::int64_t now, std::string_view kind,
                 std::string_view actor, std::string_view detail,
                 std::optional<std::int64_t> message_row = std::nullopt);
  void add_events(std::int64_t ticket_id, std::int64_t now,
                  const std::vector<lifecycle::EventNote>& events, std::string_view actor,
                  std::optional<std::int64_t> message_row = std::nullopt);
  // Writes the events added and not yet written (commit() does).
  void flush_events();
  std::int64_t quarantine(std::int64_t raw_id, std::string_view reason, std::string_view detail,
                          std::int64_t now);
  void touch_ticket(std::int64_t ticket_id, std::int64_t now);

  // ---- lifecycle (store/lifecycle_store.cpp) ----
  lifecycle::TicketView ticket_view(std::int64_t ticket_id);
  // Applies the field changes of `d` (state with state_since, priority, team,
  // assignee, tags, collaborators, SLA fields); notices and events are the
  // caller's (they need the guard and the actor).
  void apply_fields(std::int64_t ticket_id, const lifecycle::Decisions& d, std::int64_t now);
  // The tags and collaborators part of apply_fields alone.
  void apply_lists(std::int64_t ticket_id, const lifecycle::Decisions& d);
  lifecycle::AssignmentState assignment_state();
  void set_last_assigned(std::string_view team, std::string_view agent);
  // Automatic mails queued to `address` since `since` (answers excluded),
  // tickets it requested that are still open, and its failing mark.
  lifecycle::RecipientHistory history(std::string_view address, std::int64_t since);
  std::int64_t queue(const OutboxRow& row);
  void add_agent_token(std::string_view token, std::int64_t ticket_id, std::string_view agent);
  // True when `evidence` (a token or a Message-ID, as ThreadDecision::evidence)
  // is the agent path of `agent`: their own agent token, or a mail we queued to them.
  bool is_agent_path(std::string_view evidence, std::string_view agent);
  void link_ticket(std::int64_t ticket_id, std::int64_t previous_ticket_id);
  void mark_failing(std::string_view address, std::int64_t until, std::string_view reason);
  std::optional<std::int64_t> ticket_of_outbox_message(std::string_view message_id);
  std::vector<std::string> outbox_recipients(std::string_view message_id);

  // ---- delivery (store/outbox_store.cpp) ----
  // Keeps the composed bytes and envelope sender of a row (first attempt only;
  // a frozen row is never recomposed, so a resend is byte-identical).
  void freeze_outbox(std::int64_t id, std::string_view raw, std::string_view envelope_from,
                     std::int64_t now);
  // The result of one attempt: the row's state, attempts, next attempt, last
  // error and sent time, and each recipient's status.
  void record_attempt(const OutboxRow& row, const std::vector<RecipientStatus>& recipients,
                      std::int64_t now);
  // Claims a due row for one sender until `until` (seconds); false when it is
  // not due or another sender holds it. record_attempt() releases it.
  bool claim_outbox(std::int64_t id, std::int64_t now, std::int64_t until,
                    std::string_view owner = {});
  // Releases the claims of senders `alive` says are gone (a killed daemon's
  // rows are due again at once, not after the claim expires). Returns the count.
  int release_claims_of_dead(const std::function<bool(std::string_view)>& alive);
  // A deferred or dead row back to pending, due now. False when there is no
  // such row or it was already sent.
  bool retry_outbox(std::int64_t id, std::int64_t now);

  // Runs `fn` inside this transaction right before COMMIT (e.g. the IMAP
  // mailbox position, which must commit with the mail).
  void before_commit(std::function<void(Tx&)> fn) { before_commit_ = std::move(fn); }
  // ---- mailbox positions (store/outbox_store.cpp) ----
  void set_mailbox_position(std::string_view mailbox, std::int64_t uidvalidity,
                            std::int64_t last_uid, std::int64_t now);

  void commit();

  // lifecycle::ThreadLookup
  std::optional<lifecycle::TicketRef> ticket_by_token(std::string_view token) override;
  std::optional<lifecycle::TicketRef> ticket_by_message_id(std::string_view message_id) override;
  std::optional<lifecycle::TicketRef> ticket_by_number(std::string_view number) override;
  bool is_participant(std::int64_t ticket_id, std::string_view address) override;

 private:
  Db& db_;
  Store& store_;
  Tx* outer_ = nullptr;     // the store's open Tx before this one
  bool nested_ = false;     // part of an open Batch
  bool savepoint_ = false;  // ... as a SAVEPOINT of it
  bool done_ = false;
  std::function<void(Tx&)> before_commit_;
  // The raw mail put_raw() stored, until commit: keyed by its hash in
  // raw_unkeyed unless add_message() named it by its Message-ID.
  struct PendingRaw {
    std::int64_t id = 0;
    std::string sha256;
    bool named = false;
  };
  std::optional<PendingRaw> raw_;
  // The events not yet written: one event_log row's worth.
  struct PendingEvents {
    std::optional<std::int64_t> ticket_id;
    std::int64_t at = 0;
    std::string actor;
    std::optional<std::int64_t> message_row;
    std::string items;  // JSON array of [kind, detail], being built
    int count = 0;
  } pending_;
};

// Group commit: one write transaction around several mails, each mail a Tx
// in it, so N mails cost one fsync instead of N. The IMAP poller opens one
// per fetched batch and moves the batch's mails only after commit()
// returned: nothing is acknowledged before it is durable. Rolled back unless
// commit() ran. One Batch per Store at a time.
// With `savepoints`, each Tx is a SAVEPOINT and one that fails rolls back
// alone. Without (the fast path: a savepoint journals every page a mail
// touches, ~1/3 of a drain's CPU in bench/drain), a failed Tx spoils the
// batch; the poller then rolls it back and stores it again with savepoints.
class Batch {
 public:
  explicit Batch(Store& store, bool savepoints = true);  // BEGIN IMMEDIATE; throws Error (busy)
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  // COMMIT (on disk when it returns, unless the store defers its syncs:
  // then after the owner's sync_log()). Throws Error, also
  // when SQLite already rolled the whole transaction back after a failed
  // mail (disk full, I/O error): then none of the batch is stored.
  void commit();

 private:
  Store& store_;
  bool done_ = false;
};

class Store {
 public:
  // Opens or creates the database, sets WAL + synchronous=FULL, and migrates
  // the schema to kSchemaVersion. Throws Error.
  Store(const std::string& path, int busy_timeout_ms);
  // SQLite's page cache for this connection (its default is 2 MiB),
  // allocated as it is used.
  void set_cache_kib(int kib);
  // This connection's commits no longer wait for the disk (synchronous=NORMAL,
  // WAL mode only): the owner makes them durable with sync_log() before it
  // acknowledges anything they stored. For the IMAP poller: the fsync of a
  // batch's commit then runs on its IMAP side, before the move, while the
  // next batch is stored, instead of holding the store thread (~28 ms a
  // batch, bench/drain). Other connections (pipe mode, the outbox, the
  // clock) keep synchronous=FULL, and each of their commits syncs the whole
  // log, ours included: the outbox's claim before SMTP makes an
  // acknowledgement's ticket durable before the mail goes out. False (commits
  // keep syncing) when the database is not in WAL mode, or when `defer` is
  // false: back to synchronous=FULL.
  bool defer_commit_sync(bool defer = true);
  // Makes every transaction committed to this database so far durable: an
  // fsync of its write-ahead log through a descriptor of its own, so any
  // thread may call it while another writes. Throws Error (I/O).
  void sync_log() const;

  Tx begin() { return Tx(*this); }
  bool in_batch() const { return in_batch_; }
  bool batch_savepoints() const { return batch_savepoints_; }

  // Every ticket in number order; only those in `state` when given; with
  // `unassigned_only`, only tickets still being worked (not resolved or
  // closed) that have no assignee.
  std::vector<TicketRow> list_tickets(const std::optional<std::string>& state,
                                      bool unassigned_only = false);
  std::optional<TicketRow> find_ticket(std::string_view number);
  std::optional<TicketRow> ticket_by_id(std::int64_t id);
  std::vector<ThreadEntry> thread(std::int64_t ticket_id);
  std::vector<EventRow> events(std::int64_t ticket_id);
  std::vector<QuarantineRow> quarantined();
  std::vector<OutboxRow> outbox(std::optional<std::int64_t> ticket_id,
                                const std::optional<std::string>& state = std::nullopt);
  // The rows a stored mail queued (source_message), oldest first. They are
  // on the mail's ticket (apply_decisions queues on the ticket the mail was
  // added to): read through outbox_by_ticket, not the whole outbox.
  std::vector<OutboxRow> outbox_of_message(std::int64_t message_row, std::int64_t ticket_id);
  // Rows to send now: pending or deferred, due at `now`, oldest first.
  std::vector<OutboxRow> due_outbox(std::int64_t now, std::int64_t limit);
  std::optional<OutboxRow> outbox_row(std::int64_t id);
  // The frozen bytes and envelope sender, when the row was composed before.
  std::optional<std::pair<std::string, std::string>> outbox_frozen(std::int64_t id);
  std::vector<RecipientStatus> recipient_status(std::int64_t outbox_id);
  // A stored mail's attachments with their bytes, decoded again from its raw
  // mail (a store of schema 14 or before kept them in the blobs table, read
  // first). Those recorded as dropped (over limits.max_attachment_bytes)
  // have no bytes. An error names the attachment the raw mail does not hold.
  std::expected<std::vector<parser::Attachment>, std::string> attachments_with_data(
      std::int64_t message_row);
  // The bytes a raw mail row holds (from its row, or from the raw spool
  // since schema 16), checked against its SHA-256; truncated: only the head
  // of the mail was kept. nullopt when there is no such row. Throws Error
  // when the bytes are missing, short or not the ones stored.
  struct RawBytes {
    std::string bytes;
    bool truncated = false;
  };
  std::optional<RawBytes> raw_bytes(std::int64_t raw_id);
  // The raw spool beside the database (store/raw_spool.h); nullptr for a
  // database in memory or named by URI, which keeps raw mail in its rows.
  RawSpool* raw_spool() { return spool_.get(); }
  // Makes the raw mail appended so far durable: before every COMMIT that
  // names it (Tx::commit, Batch::commit).
  void sync_raw() {
    if (spool_) spool_->sync();
  }
  // The first mail of a ticket's thread and a stored mail, by row id.
  std::optional<ThreadEntry> message(std::int64_t message_row);
  // An IMAP mailbox's position: UIDVALIDITY and the last UID stored.
  struct MailboxPosition {
    std::int64_t uidvalidity = 0, last_uid = 0;
  };
  std::optional<MailboxPosition> mailbox_position(std::string_view mailbox);
  // Tickets the clock may change at `now`, by id: every pending or resolved
  // one (reminders, auto-resolve, auto-close) and those whose first-response
  // or resolution deadline has passed without being noted. A superset: the
  // clock decides. Read through indexes, never a scan of all tickets.
  std::vector<std::int64_t> clock_candidates(std::int64_t now);  // kClockCandidatesSql
  // Every stored mail with this Message-ID, with its events and queued mail.
  std::vector<MailStory> why(std::string_view message_id);
  // Value of a PRAGMA, for checks and tests (e.g. "journal_mode").
  std::string pragma(std::string_view name);
  Db& db() { return db_; }

 private:
  friend class Batch;
  friend class Tx;
  void enter_wal(int busy_timeout_ms);
  void migrate();
  std::string path_;
  Db db_;
  std::unique_ptr<RawSpool> spool_;
  Tx* open_tx_ = nullptr;  // its unwritten events are written before events are read
  bool in_batch_ = false;
  bool batch_savepoints_ = true;
  bool batch_spoiled_ = false;  // a Tx of a batch without savepoints failed
};

// Checkpoints the write-ahead log of `writer` from a connection of its own,
// so that a busy writer (the IMAP poller) does not copy the log into the
// database inside its commits (SQLite's automatic checkpoint ran in the
// commit of every ~1,000 pages: a third of a drain's commit time). Installing
// it turns the writer's automatic checkpoint off; the owner calls run() when
// due(), from any one thread at a time (the poller: on its IMAP side while
// the store thread writes, and after each pass).
class Checkpointer {
 public:
  static constexpr int kDuePages = 1000;  // SQLite's wal_autocheckpoint default
  Checkpointer(Store& writer, const std::string& path, int busy_timeout_ms);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  bool due() const { return wal_pages_.load() >= kDuePages; }
  // PASSIVE: copies what no reader still needs, never waits for a lock.
  // Failures (busy, I/O) are left for the next call: the log stays valid.
  void run();
  // After a long run of writes (a pass of many batches): copies the rest and
  // empties the log file (TRUNCATE), if no other connection is using the
  // store right now (it does not wait). The writer starts the log over only
  // when a checkpoint has copied all of it before its next transaction
  // begins; a pass that writes while checkpoints run beside it can leave
  // a log of up to all the pass wrote (~160 MB for 10,000 mails); freeing
  // that when the last connection closed took ~70 ms, one thing after the
  // other at the end of `run --once` (bench/drain). Here it runs beside the
  // pass's last move.
  // True when the log was emptied.
  bool truncate_if_idle();

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  Store& writer_;
  Db db_;
  int busy_timeout_ms_;
  std::atomic<int> wal_pages_{0};
};

std::string lower_address(std::string_view address);
// Told when an existing store's schema is upgraded: before (done false) and
// after (done true, with the seconds it took). Upgrades hold the write lock,
// and one may take a while on a big store (schema 10 copies four tables:
// ~12 s for a million tickets). Set once at startup; ticketd logs it.
using MigrationNotice = void (*)(std::int64_t from, std::int64_t to, double seconds, bool done);
void set_migration_notice(MigrationNotice notice);
// The sequences ticket `number` may have (store.cpp); for lookups by number.
std::vector<std::int64_t> ticket_seq_candidates(std::string_view number);
extern const char* const kClockCandidatesSql;  // ?1 = now

}  // namespace ticketd::store
