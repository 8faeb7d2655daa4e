// ticketd parser: zero-copy MIME structure primitives — line splitting,
// header blocks and multipart bodies as string_views into the caller's raw
// buffer. Used by parse.cpp; pure and allocation-light (one vector per block).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/message.h"

namespace ticketd::parser {

struct HeaderField {
  std::string_view name;   // as written, trimmed
  std::string_view value;  // raw, may contain folding CR/LF; leading space trimmed
};

struct HeaderBlock {
  std::vector<HeaderField> fields;
  std::string_view body;  // everything after the blank line ending the block

  // First field with this name (ASCII case-insensitive), or nullptr.
  const HeaderField* find(std::string_view name) const;
};

// Splits `part` into its header block and body. Tolerances (each a defect):
//  - lines without a colon inside the block are folded into the previous field
//    (Lotus Notes / Exchange "X-Brightmail-Tracker" continuation lines without indent);
//  - a block past limits.max_header_bytes or max_header_count: the excess is skipped;
//  - bare CR or LF line endings accepted as well as CRLF.
HeaderBlock split_header_block(std::string_view part, const ParseLimits& limits, Defects& defects);

// Header value with folding removed (CR/LF dropped; a fold's whitespace kept).
std::string unfold(std::string_view value);

// The parts of a multipart body delimited by "--boundary" lines. `closed` tells
// whether the closing "--boundary--" was seen. The preamble and epilogue are
// dropped. At most `max_parts` parts are returned.
struct MultipartSplit {
  std::vector<std::string_view> parts;
  bool found_any = false;
  bool closed = false;
  bool truncated = false;
};
MultipartSplit split_multipart(std::string_view body, std::string_view boundary,
                               std::size_t max_parts);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s);

}  // namespace ticketd::parser
