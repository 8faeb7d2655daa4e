// ticketd parser: transfer-encoding decoders (base64, quoted-printable,
// uuencode). Pure, allocation only for the output; tolerant of the junk real
// senders put in encoded bodies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/message.h"

namespace ticketd::parser {

// Appends decoded bytes to `out`. Characters outside the base64 alphabet are
// skipped (defect bad_base64 once); decoding stops at the first padding end.
void decode_base64(std::string_view in, std::string& out, Defects& defects);

// decode_base64 over input given in pieces: feeding the pieces of an input in
// order and then finishing appends exactly what decode_base64 appends for the
// whole of it, wherever the pieces are cut (a big attachment is decoded a
// piece at a time instead of held whole).
class Base64Decoder {
 public:
  void feed(std::string_view in, std::string& out);
  // The bytes the last sextets still carry; true when the input was bad
  // (decode_base64's defect bad_base64).
  bool finish(std::string& out);

 private:
  std::uint32_t acc_ = 0;
  int have_ = 0;
  bool bad_ = false;
  bool ended_ = false;  // past the first '=': the rest is ignored
};

// An attachment's body decoded in pieces of at most about `piece` bytes of
// input, each decoded piece handed to `sink` (valid during the call): base64,
// or the body as it is (any other encoding but quoted-printable and
// uuencode, which decode_body takes as is too). True when the base64 was bad.
bool decode_in_pieces(std::string_view body, bool base64,
                      const std::function<void(std::string_view)>& sink,
                      std::size_t piece = 1u << 20);

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
