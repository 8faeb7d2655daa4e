// ticketd lifecycle: which ticket does a mail belong to? A pure decision over
// the parser's ThreadKeys and lookups the caller provides (the store answers
// them inside the mail's transaction). Evidence, strongest first: the reply
// token, In-Reply-To/References naming a known Message-ID, the subject tag —
// the last two only when the sender already takes part in that ticket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/message.h"

namespace ticketd::lifecycle {

struct TicketRef {
  std::int64_t id = 0;
  std::string number;  // as people see it, prefix included
  std::string state;
};

// Read-only questions the decision asks; implemented by the store.
class ThreadLookup {
 public:
  virtual ~ThreadLookup() = default;
  virtual std::optional<TicketRef> ticket_by_token(std::string_view token) = 0;
  virtual std::optional<TicketRef> ticket_by_message_id(std::string_view message_id) = 0;
  virtual std::optional<TicketRef> ticket_by_number(std::string_view number) = 0;
  // Requester, CC collaborator or agent of the ticket (address compared case-insensitively).
  virtual bool is_participant(std::int64_t ticket_id, std::string_view address) = 0;
};

enum class Evidence { none, token, in_reply_to, references, subject_tag };
std::string_view evidence_name(Evidence e);

// Evidence that pointed at a ticket but was not accepted, and why.
struct RefusedEvidence {
  Evidence kind = Evidence::none;
  std::string value;          // the token, Message-ID or tag as seen
  std::string ticket_number;  // the ticket it pointed at, empty if none
  std::string reason;
};

struct ThreadDecision {
  std::optional<TicketRef> ticket;  // nullopt: open a new ticket
  Evidence by = Evidence::none;
  std::string evidence;  // the accepted token, Message-ID (without <>) or tag
  std::string detail;    // one line for the event log: why here
  std::vector<RefusedEvidence> refused;
};

// Decides where `msg` goes. Never throws; lookups may throw (store errors
// propagate to the caller, which rolls the transaction back).
ThreadDecision decide_thread(const parser::Message& msg, ThreadLookup& lookup);

// One line summarising refused evidence, for the event log ("" when none).
std::string describe_refused(const std::vector<RefusedEvidence>& refused);

}  // namespace ticketd::lifecycle
