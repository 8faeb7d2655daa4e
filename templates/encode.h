// ticketd templates: the transfer and header encoders the composer writes with —
// base64, quoted-printable bodies, RFC 2047 encoded words, RFC 2231 parameter
// values. Pure, no validation (the composer checks its input first). Only the
// composer calls these; the parser has the matching decoders.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::templates {

// Base64 of `data` in lines of 76 characters, each ending in CRLF; "" for no data.
std::string encode_base64_lines(std::string_view data);

// Quoted-printable (RFC 2045 6.7) of a text whose line breaks may be LF, CRLF or
// a bare CR; every break becomes CRLF. Lines are at most 76 characters; '=',
// control bytes, non-ASCII bytes, whitespace at the end of a line, a '.' that
// starts a line and the 'F' of a line-leading "From " are escaped. The result
// ends in CRLF unless empty; a text without a final line break ends in a soft
// break ("=" CRLF), so decoding gives back exactly the text (with CRLF breaks).
std::string encode_quoted_printable(std::string_view text);

// `utf8` as RFC 2047 encoded words ("=?utf-8?B?...?=" or "=?utf-8?Q?...?="),
// the shorter of B and Q per word, each word at most `first_max` (the first)
// or `max` (the rest) characters, never splitting a UTF-8 sequence. Q words
// escape everything but letters, digits and "!*+-/", so they are valid in
// phrases (display names) too. Budgets below 20 (the size of a word holding
// one 4-byte character) are raised to 20. An empty `utf8` gives no words.
std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_max,
                                      std::size_t max = 75);

// RFC 2231 extended-value percent encoding (attr-char kept, the rest %XX).
std::string percent_encode(std::string_view bytes);

// 64-bit FNV-1a of `data` as 16 lower-case hex digits (MIME boundaries).
std::string hash_hex(std::string_view data);

}  // namespace ticketd::templates
