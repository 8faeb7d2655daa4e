// ticketd parser: the entry point — raw RFC 5322 bytes to a Message.
// Pure: no I/O, no clock, no logging, never throws; whatever it tolerated or
// refused is in Message::defects. Called by ticketd ingest, ticketctl parse and
// the benchmarks.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "parser/message.h"

namespace ticketd::parser {

// Parses `raw` (one message; a leading mbox "From " line is skipped). The
// returned Message owns copies of everything it needs and `raw` may be freed
// after, unless limits.lazy_attachment_bytes left attachments in it.
// Mail larger than limits.max_message_bytes is not parsed beyond its header
// block (defect message_too_big).
Message parse_message(std::string_view raw, const ParseLimits& limits = {});

// SHA-256 of `data` in lower-case hex: attachments here, and the daemon's
// raw-mail and content hashes (the dedupe).
std::string sha256_hex(std::string_view data);

// An attachment's content handed to `sink` in order: its data, or for a lazy
// one (ParseLimits::lazy_attachment_bytes) decoded again from the parsed bytes
// a piece at a time (each piece valid during its call). Nothing when dropped.
void attachment_content(const Attachment& a, const std::function<void(std::string_view)>& sink);

}  // namespace ticketd::parser
