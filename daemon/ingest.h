// ticketd daemon: the inbound pipeline for one raw mail — parse (before any
// transaction: prepare_mail), dedupe, thread, persist in ONE transaction (or
// as part of the poller's batch).
// Shared by `ticketd ingest` (pipe mode, a transaction per mail) and the IMAP
// poller. Logs one line per outcome.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/config.h"
#include "parser/message.h"
#include "store/store.h"

namespace ticketd::daemon {

enum class IngestResult { new_ticket, reply, duplicate, quarantined };
std::string_view ingest_result_name(IngestResult r);

struct IngestOutcome {
  IngestResult result = IngestResult::new_ticket;
  std::string ticket;  // ticket number, empty for quarantine
  std::string detail;
  std::string message_id;  // the mail's, without <>; empty when it has none
};

struct IngestError {
  bool temporary = true;  // pipe mode: 75 so the MTA keeps the mail
  std::string detail;
};

// The mail as it came in. `size` may exceed raw.size() when only the head of
// an oversized mail was read.
struct RawMail {
  std::string_view bytes;
  std::int64_t size = 0;
  bool truncated = false;
  // Pipe mode: the envelope sender the MTA names (-f / $SENDER; "" for the
  // null sender <>). It stands in for the mail's Return-Path when deciding
  // whether the mail is automatic.
  std::optional<std::string> envelope_sender;
};

// Attachments encoded in this many bytes or more (all but empty ones) are
// hashed and measured, not kept (ParseLimits::lazy_attachment_bytes): the
// store records them, and their content stays in the raw mail it keeps
// (Store::attachments_with_data decodes it again from there).
inline constexpr std::size_t kLazyAttachmentBytes = 1;

// A mail parsed and hashed, before any store work. Pure (no store, no
// shared state): the IMAP poller prepares the next fetched batch on its IMAP
// thread while the store thread writes the previous one.
struct PreparedMail {
  RawMail raw;               // views into bytes the caller keeps alive (so do big
                             // attachments of msg: they are views into them)
  std::string raw_hash;      // sha256 of the bytes, hex
  bool too_big = false;      // over the size limit (or only its head was read)
  parser::Message msg;       // empty when too big
  std::string content_hash;  // of the parsed content; empty when too big
};
PreparedMail prepare_mail(const RawMail& raw, const Config& config);

// HMAC-SHA256(secret, message), its first 130 bits in base32 (26 characters).
std::string reply_token(std::string_view secret, std::string_view message);

// A ticket's reply token (support+<token>@...): the digits of its number, '-',
// and reply_token(secret, number). The digits lead so that a new ticket's token
// sorts beside the last one's: the UNIQUE index on tickets.token takes each
// new key on the page it just wrote, not on a random one of its thousands
// (bench/growth). The HMAC is what makes it unguessable; a token from before
// (the HMAC alone) still threads, its lookup is by the whole string.
std::string ticket_token(std::string_view secret, std::string_view number);

// `mac` behind the digits `number` ends with (ticket_token, agent_token).
std::string numbered_token(std::string_view number, std::string mac);

class Ingestor {
 public:
  Ingestor(store::Store& store, const Config& config, std::string secret)
      : store_(store), config_(config), secret_(std::move(secret)) {}

  // Stores one mail (committed before returning; inside an open store::Batch
  // it is part of the batch, durable when the batch commits) or explains why
  // it could not (then nothing of it was written; in a batch without
  // savepoints the batch is spoiled and must be rolled back).
  // `same_tx` runs in the mail's transaction right before it commits (the
  // IMAP poller records its mailbox position there); `where` is added to the
  // log line ("mailbox=support uid=42").
  std::expected<IngestOutcome, IngestError> ingest(
      const RawMail& raw, std::int64_t now, const std::function<void(store::Tx&)>& same_tx = {},
      std::string_view where = {});
  // The same for a mail prepare_mail() made. With `log` false the mail_stored
  // line is left to the caller (log_stored), who writes it once the batch
  // holding the mail has committed.
  std::expected<IngestOutcome, IngestError> ingest(const PreparedMail& mail, std::int64_t now,
                                                   const std::function<void(store::Tx&)>& same_tx,
                                                   std::string_view where, bool log = true);
  static void log_stored(const IngestOutcome& out, std::string_view where);

 private:
  IngestOutcome ingest_tx(const PreparedMail& mail, std::int64_t now,
                          const std::function<void(store::Tx&)>& same_tx);
  void queue_rejection(store::Tx& tx, const parser::Message& msg, const std::string& why,
                       std::int64_t now);
  // A bounce, complaint, read receipt or auto-reply about a mail we sent:
  // stored on that mail's ticket (or quarantined) and committed; nullopt when
  // `msg` is not such a report and goes the ordinary way.
  std::optional<IngestOutcome> ingest_report(store::Tx& tx, const parser::Message& msg,
                                             std::int64_t raw_id, const std::string& chash,
                                             std::int64_t now);
  store::Store& store_;
  const Config& config_;
  std::string secret_;
};

}  // namespace ticketd::daemon
