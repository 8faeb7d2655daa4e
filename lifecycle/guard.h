// ticketd lifecycle: the loop and abuse guard — whether an automatic mail
// (acknowledgement, alert, reminder, notice) may go to an address now. Pure:
// the store supplies the counts, the caller passes `now`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/message.h"

namespace ticketd::lifecycle {

struct GuardSettings {
  int max_auto_per_recipient = 5;                // automatic mails to one address ...
  std::int64_t rate_window_seconds = 3600;       // ... per this window
  int max_open_tickets_per_sender = 20;          // beyond: stored, not answered
  int max_collaborators_per_mail = 20;           // Cc addresses one mail may add to a ticket
  std::int64_t failing_address_seconds = 86400;  // after a bounce, no automatic mail for this long
  std::vector<std::string> our_addresses;  // support addresses (lower-case), incl. bounce address
  std::string our_message_id_domain;       // right side of Message-IDs we generate
};

// What the store knows about a recipient (or the sender of the mail in hand).
struct RecipientHistory {
  int auto_sent_in_window = 0;  // automatic mails to this address within rate_window_seconds
  int open_tickets = 0;         // tickets (not resolved/closed) this address requested
  std::optional<std::int64_t> failing_until;  // set by a delivery failure report
};

// Why a mail must not be answered automatically at all (nullopt: a person wrote
// it). Checks, in order: parser::AutoKind of the mail (Auto-Submitted ≠ no,
// Precedence bulk/junk/list, List-Id, X-Auto-Response-Suppress, null
// Return-Path, delivery report); the sender is one of our_addresses; the mail's
// Message-ID ends in "@" + our_message_id_domain (our own mail came back).
// The reason reads like "automatic mail: auto_reply (header Auto-Submitted: auto-replied)".
std::optional<std::string> automatic_mail_reason(const parser::Message& msg,
                                                 const GuardSettings& settings);

// Why no automatic mail may go to `address` now (nullopt: it may). Checks: one
// of our own addresses; failing_until > now; auto_sent_in_window >=
// max_auto_per_recipient ("rate limit: 5 automatic mails to x in the last
// 3600 s"). Case-insensitive address comparison.
std::optional<std::string> recipient_block_reason(std::string_view address,
                                                  const RecipientHistory& history,
                                                  const GuardSettings& settings, std::int64_t now);

// Why a new ticket from this sender gets no acknowledgement (nullopt: fine):
// open_tickets >= max_open_tickets_per_sender.
std::optional<std::string> sender_cap_reason(std::string_view sender,
                                             const RecipientHistory& history,
                                             const GuardSettings& settings);

}  // namespace ticketd::lifecycle
