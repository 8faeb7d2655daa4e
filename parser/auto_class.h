// ticketd parser: is this mail automatic, and what kind? (bounce, out of
// office, read receipt, complaint, list mail, other machine mail).
// Pure: reads only the Message; no I/O. Called by parse_message() at the end
// of every parse, and again by `ticketd ingest` when the MTA tells it the
// envelope sender (pipe mode), which then stands in for Return-Path.
#pragma once

#include "parser/message.h"

namespace ticketd::parser {

// Sets msg.auto_kind, msg.auto_evidence and msg.bounced_message_ids from the
// top-level headers, the senders (Return-Path, From), the report structure the
// walker recorded (msg.report_parts, msg.carried_message_ids), the decoded
// subject and the start of the text. Replaces what an earlier call set.
//
// Evidence is strong (one piece decides: Auto-Submitted, X-Failed-Recipients,
// List-Id, a null or MAILER-DAEMON Return-Path, multipart/report, a subject
// only mail systems write such as "Undeliverable: ...") or weak (a subject
// word a person might use, "Mail Delivery"-style text in the body, a
// rule-generated Exchange mail): weak evidence counts only when pieces of two
// different kinds agree, so "Re: undeliverable invoice" from a person stays a
// person's mail. The class comes from the most specific evidence: a delivery
// report over a complaint, a read receipt, an auto-reply, list mail, and
// other machine mail.
void classify_automatic(Message& msg);

}  // namespace ticketd::parser
