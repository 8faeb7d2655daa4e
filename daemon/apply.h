// ticketd daemon: turns the lifecycle engine's Decisions into rows — ticket
// fields, events, and outbox rows that passed the loop guard — inside the
// caller's transaction. Shared by ingest (mail events) and the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/config.h"
#include "lifecycle/ticket.h"
#include "store/store.h"

namespace ticketd::daemon {

struct ApplyContext {
  store::Tx& tx;
  const Config& config;
  std::string_view secret;  // for agents' reply tokens
  std::int64_t now = 0;
  // The guard's history of one address, already read in this transaction
  // (the sender of a new ticket): its first notice reuses it instead of
  // reading it again. Cleared once mail to that address is queued.
  std::optional<std::pair<std::string, lifecycle::RecipientHistory>> known_history = {};
};

// Applies `d` to the ticket `view` describes. `actor` is who caused it (an
// address or "clock"); `message_row` the stored mail that caused it, if any;
// `in_reply_to` the Message-ID (without <>) our mails answer;
// `columns_stored`: the ticket row already holds d's column changes (a new
// ticket, Tx::create_ticket), only its lists are applied.
// Returns the number of outbox rows queued.
int apply_decisions(ApplyContext& ctx, const lifecycle::TicketView& view,
                    const lifecycle::Decisions& d, std::string_view actor,
                    std::optional<std::int64_t> message_row, std::string_view in_reply_to,
                    bool columns_stored = false);

// A fresh Message-ID for an outbox row: "<number>.<kind>.<16 hex>@<domain>",
// so a reply to it threads by In-Reply-To and a resend is recognisable.
std::string new_message_id(std::string_view number, std::string_view kind, std::string_view domain);

// The right side of our Message-IDs ("ticketd.<support domain>").
std::string message_id_domain(const Config& config);

// The reply token of `agent` on ticket `number`: HMAC(secret, number/agent).
std::string agent_token(std::string_view secret, std::string_view number, std::string_view agent);

}  // namespace ticketd::daemon
