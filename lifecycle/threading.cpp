#include "lifecycle/threading.h"

namespace ticketd::lifecycle {

std::string_view evidence_name(Evidence e) {
  switch (e) {
    case Evidence::none:
      return "none";
    case Evidence::token:
      return "reply token";
    case Evidence::in_reply_to:
      return "In-Reply-To";
    case Evidence::references:
      return "References";
    case Evidence::subject_tag:
      return "subject tag";
  }
  return "unknown";
}

ThreadDecision decide_thread(const parser::Message& msg, ThreadLookup& lookup) {
  ThreadDecision d;
  const std::string& sender = msg.from.address;

  // 1. The reply token is a capability: whoever holds it may write to the
  // ticket (a forwarded ack, a colleague in CC). It never changes the requester.
  for (const std::string& token : msg.keys.plus_tokens) {
    if (auto t = lookup.ticket_by_token(token)) {
      d.ticket = std::move(t);
      d.by = Evidence::token;
      d.evidence = token;
      d.detail = "threaded by reply token";
      return d;
    }
    d.refused.push_back({Evidence::token, token, {}, "unknown reply token ignored"});
  }

  // 2 and 3: a Message-ID or the subject tag only count from a participant;
  // anyone can copy them from a mail they saw (RT and osTicket were hijacked so).
  auto try_ref = [&](Evidence kind, const std::string& value, std::string_view raw,
                     std::optional<TicketRef> t) -> bool {
    if (!t) return false;
    if (lookup.is_participant(t->id, sender)) {
      d.evidence = std::string(raw);
      d.detail = "threaded by " + std::string(evidence_name(kind)) + " " + value;
      d.ticket = std::move(t);
      d.by = kind;
      return true;
    }
    d.refused.push_back(
        {kind, value, t->number, "sender " + sender + " is not a participant of " + t->number});
    return false;
  };

  if (!msg.keys.in_reply_to.empty() &&
      try_ref(Evidence::in_reply_to, "<" + msg.keys.in_reply_to + ">", msg.keys.in_reply_to,
              lookup.ticket_by_message_id(msg.keys.in_reply_to)))
    return d;
  // Newest reference first: it names the mail being answered.
  for (auto it = msg.keys.references.rbegin(); it != msg.keys.references.rend(); ++it) {
    if (*it == msg.keys.in_reply_to) continue;
    if (try_ref(Evidence::references, "<" + *it + ">", *it, lookup.ticket_by_message_id(*it)))
      return d;
  }
  if (msg.keys.subject_tag &&
      try_ref(Evidence::subject_tag, "[#" + *msg.keys.subject_tag + "]", *msg.keys.subject_tag,
              lookup.ticket_by_number(*msg.keys.subject_tag)))
    return d;

  d.detail = d.refused.empty() ? "new ticket: no thread evidence"
                               : "new ticket: " + describe_refused(d.refused);
  return d;
}

std::string describe_refused(const std::vector<RefusedEvidence>& refused) {
  std::string out;
  for (const auto& r : refused) {
    if (!out.empty()) out += "; ";
    out += std::string(evidence_name(r.kind)) + " " + r.value;
    if (!r.ticket_number.empty()) out += " -> " + r.ticket_number;
    out += " refused (" + r.reason + ")";
  }
  return out;
}

}  // namespace ticketd::lifecycle
