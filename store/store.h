// ticketd store: the SQLite database — schema and migrations, the one
// transaction per accepted mail, and the read queries behind ticketctl.
// Raw mail is kept byte for byte as a BLOB in the same database (not in
// files) so that the raw bytes, the ticket and the cursor commit or roll back
// together and a backup is one file; attachments are content-addressed blobs.
// Failures throw store::Error (store/sqlite.h); Error::temporary() tells the
// caller to try again later (pipe mode exits 75).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/threading.h"
#include "parser/message.h"
#include "store/sqlite.h"

namespace ticketd::store {

inline constexpr int kSchemaVersion = 1;

struct Person {
  std::string name;
  std::string address;
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

struct EventRow {
  std::int64_t at = 0;
  std::string kind;
  std::string actor;
  std::string detail;
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
// Also answers the threading lookups, so the decision sees exactly what the
// transaction will write against.
class Tx : public lifecycle::ThreadLookup {
 public:
  explicit Tx(Store& store);
  ~Tx() override;
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;

  std::optional<RawRef> find_raw(std::string_view sha256);
  std::vector<MessageIdRef> find_message_id(std::string_view message_id);

  std::int64_t put_raw(std::string_view sha256, std::string_view bytes, std::int64_t size,
                       bool truncated, std::int64_t now);
  // Creates a ticket numbered prefix + next sequence; `make_token` turns the
  // number into the reply token.
  lifecycle::TicketRef create_ticket(std::string_view prefix, std::int64_t first_number,
                                     std::string_view subject, const Person& requester,
                                     const std::function<std::string(std::string_view)>& make_token,
                                     std::int64_t now);
  void add_participant(std::int64_t ticket_id, const Person& who, std::string_view role);
  std::int64_t add_message(std::int64_t ticket_id, std::optional<std::int64_t> raw_id,
                           const parser::Message& msg, std::string_view direction,
                           std::string_view kind, std::string_view content_hash, std::int64_t now);
  void add_event(std::optional<std::int64_t> ticket_id, std::int64_t now, std::string_view kind,
                 std::string_view actor, std::string_view detail);
  std::int64_t quarantine(std::int64_t raw_id, std::string_view reason, std::string_view detail,
                          std::int64_t now);
  void touch_ticket(std::int64_t ticket_id, std::int64_t now);
  void commit();

  // lifecycle::ThreadLookup
  std::optional<lifecycle::TicketRef> ticket_by_token(std::string_view token) override;
  std::optional<lifecycle::TicketRef> ticket_by_message_id(std::string_view message_id) override;
  std::optional<lifecycle::TicketRef> ticket_by_number(std::string_view number) override;
  bool is_participant(std::int64_t ticket_id, std::string_view address) override;

 private:
  Db& db_;
  bool done_ = false;
};

class Store {
 public:
  // Opens or creates the database, sets WAL + synchronous=FULL, and migrates
  // the schema to kSchemaVersion. Throws Error.
  Store(const std::string& path, int busy_timeout_ms);

  Tx begin() { return Tx(*this); }

  std::vector<TicketRow> list_tickets(const std::optional<std::string>& state);
  std::optional<TicketRow> find_ticket(std::string_view number);
  std::vector<ThreadEntry> thread(std::int64_t ticket_id);
  std::vector<EventRow> events(std::int64_t ticket_id);
  std::vector<QuarantineRow> quarantined();
  // Value of a PRAGMA, for checks and tests (e.g. "journal_mode").
  std::string pragma(std::string_view name);
  Db& db() { return db_; }

 private:
  void migrate();
  Db db_;
};

std::string lower_address(std::string_view address);

}  // namespace ticketd::store
