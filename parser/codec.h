// ticketd parser: transfer-encoding decoders (base64, quoted-printable,
// uuencode). Pure, allocation only for the output; tolerant of the junk real
// senders put in encoded bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/message.h"

namespace ticketd::parser {

// Appends decoded bytes to `out`. Characters outside the base64 alphabet are
// skipped (defect bad_base64 once); decoding stops at the first padding end.
void decode_base64(std::string_view in, std::string& out, Defects& defects);

// Quoted-printable (RFC 2045 6.7): soft line breaks removed, =XX decoded, a
// malformed '=' kept literally (defect once). `header_mode` = RFC 2047 "Q"
// rules ('_' is a space).
void decode_quoted_printable(std::string_view in, std::string& out, Defects& defects,
                             bool header_mode = false);

struct UuFile {
  std::string filename;  // as written after "begin NNN "
  std::string data;
};

// Finds "begin NNN name ... end" blocks inside a text body. Appends each file to
// `files`; `text_out` receives the text with the blocks removed. Returns true if
// at least one block was found.
bool extract_uuencoded(std::string_view in, std::string& text_out, std::vector<UuFile>& files,
                       Defects& defects);

// Decodes a whole body that is Content-Transfer-Encoding: x-uuencode (with or
// without the begin/end lines).
void decode_uuencode_body(std::string_view in, std::string& out, Defects& defects);

}  // namespace ticketd::parser
