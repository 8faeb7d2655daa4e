// ticketd daemon: the outbox worker — due rows are rendered, composed and
// frozen (so every resend is byte-identical, same Message-ID) in the same
// transaction that claims the row, then handed to SMTP over the caller's
// connection (kept between passes by `ticketd run`); each attempt's result is written back
// with per-recipient status: sent, deferred with capped exponential backoff,
// or dead (5xx, or out of attempts) with an event on the ticket.
#pragma once

#include <atomic>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"
#include "store/store.h"
#include "templates/render.h"
#include "transport/smtp.h"

namespace ticketd::daemon {

// One delivery attempt as the worker sees it.
struct Attempt {
  enum Kind {
    delivered,  // the server answered; per-recipient results below
    temporary,  // connection failure, timeout, 4xx for the whole mail
    permanent,  // 5xx for the whole mail, or the mail cannot be built
    transport,  // our side is wrong (auth refused, TLS not verified): the row is not charged
  } kind = temporary;
  int code = 0;
  std::string error;                               // short, never a secret
  std::vector<store::RecipientStatus> recipients;  // delivered: each one's result
};

// Seconds to wait before attempt `attempts + 1`: base · 2^(attempts − 1), capped.
std::int64_t backoff_seconds(std::int64_t attempts, const Config& config);

struct AttemptResult {
  store::OutboxRow row;  // state, attempts, next attempt, last error, sent time
  std::vector<store::RecipientStatus> recipients;  // what to record per recipient
};

// The row after `attempt` at `attempted` (the recipients tried). Pure.
AttemptResult next_state(store::OutboxRow row, const std::vector<std::string>& attempted,
                         const Attempt& attempt, const Config& config, std::int64_t now);

// The SMTP client settings of [smtp], secrets read from their files; the
// dialogue goes to the debug log (already redacted). Error: "file: problem".
std::expected<transport::SmtpConfig, std::string> smtp_config(const Config& config);

struct DeliveryPass {
  int due = 0, sent = 0, deferred = 0, dead = 0;
};

// Sends the rows due at `now` (at most outbox.batch) over `smtp`; stops
// between rows once `*stop` is set. Throws store::Error when the store fails
// (the row stays due).
DeliveryPass deliver_due(store::Store& store, const Config& config, std::string_view secret,
                         const templates::TemplateSet& set, transport::SmtpClient& smtp,
                         std::int64_t now, const std::atomic<bool>* stop = nullptr);

}  // namespace ticketd::daemon
