// ticketd parser: decoding of header values — RFC 2047 encoded words in
// unstructured text, structured Content-* values with RFC 2231 parameters, and
// address lists. Pure; callers pass the unfolded raw header value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parser/charset.h"
#include "parser/message.h"

namespace ticketd::parser {

// Decodes an unstructured header value (Subject, display names) to UTF-8:
//  - encoded words =?cs?B|Q?...?= (also with RFC 2231 language "cs*lang"),
//    whitespace between adjacent encoded words dropped; an encoded word whose
//    charset/encoding is broken is kept as literal text (defect bad_encoded_word);
//  - lenient: encoded words glued to text, or containing spaces (Exchange),
//    are still decoded;
//  - raw 8-bit bytes outside encoded words: UTF-8 if valid, else
//    `fallback_charset` (e.g. the body's charset), else windows-1252 (defect undeclared_8bit);
//  - runs of folding whitespace (tab, CR, LF) become one space; leading and
//    trailing whitespace trimmed.
std::string decode_header_text(std::string_view raw, CharsetConverter& conv, Defects& defects,
                               std::string_view fallback_charset = {});

// A Content-Type / Content-Disposition value split into its main token
// (lower-cased, e.g. "text/plain" or "attachment") and parameters.
struct ContentValue {
  std::string value;
  // Parameter names lower-cased; values decoded to UTF-8: RFC 2231 continuations
  // (name*0, name*1*...) joined and percent-decoded with their charset; quoted
  // strings unquoted; RFC 2047 encoded words inside values decoded (common, not
  // allowed); an 8-bit raw value converted like decode_header_text does.
  std::vector<std::pair<std::string, std::string>> params;

  // Value of the first parameter with this (lower-case) name, or nullptr.
  const std::string* param(std::string_view name) const;
};

ContentValue parse_content_value(std::string_view raw, CharsetConverter& conv, Defects& defects,
                                 std::size_t max_params);

// Parses an address list (To, Cc, From, Reply-To): display names (decoded like
// decode_header_text, quoted or not), "<addr>", bare addresses, groups
// ("team: a@x, b@y;" — members flattened), comments "(...)" (used as the name
// when there is no other), quoted local parts, missing brackets, stray commas.
// Domains lower-cased. At most `max_addresses` entries (defect too_many_addresses).
std::vector<Address> parse_address_list(std::string_view raw, CharsetConverter& conv,
                                        Defects& defects, std::size_t max_addresses);

// Extracts message ids ("<a@b>" tokens, or bare tokens with an '@' when no
// brackets are used) from Message-ID / In-Reply-To / References, without the
// brackets, in order, duplicates removed, at most `max_ids`.
std::vector<std::string> parse_message_ids(std::string_view raw, std::size_t max_ids = 500);

// RFC 5322 date (and the common broken forms) to seconds since epoch UTC.
// Returns false when unparseable.
bool parse_rfc5322_date(std::string_view raw, std::int64_t& epoch_seconds);

}  // namespace ticketd::parser
