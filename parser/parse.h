// ticketd parser: the entry point — raw RFC 5322 bytes to a Message.
// Pure: no I/O, no clock, no logging, never throws; whatever it tolerated or
// refused is in Message::defects. Called by ticketd ingest, ticketctl parse and
// the benchmarks.
#pragma once

#include <string_view>

#include "parser/message.h"

namespace ticketd::parser {

// Parses `raw` (one message; a leading mbox "From " line is skipped). The
// returned Message owns copies of everything it needs; `raw` may be freed after.
// Mail larger than limits.max_message_bytes is not parsed beyond its header
// block (defect message_too_big).
Message parse_message(std::string_view raw, const ParseLimits& limits = {});

// SHA-256 of `data` in lower-case hex: attachments here, and the daemon's
// raw-mail and content hashes (the dedupe).
std::string sha256_hex(std::string_view data);

}  // namespace ticketd::parser
