// libFuzzer target: Content-Type / Content-Disposition values with RFC 2231
// parameters (continuations, charsets, percent-encoding) and RFC 2047 inside.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "parser/charset.h"
#include "parser/header_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = ticketd::parser;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  p::CharsetConverter conv;
  p::Defects defects;
  const auto v = p::parse_content_value(in, conv, defects, 256);
  FUZZ_CHECK(v.params.size() <= 256);
  for (const auto& [name, value] : v.params) {
    if (name != "boundary") FUZZ_CHECK(p::is_valid_utf8(value));  // the boundary stays bytes
    for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));      // names lower-cased
  }
  return 0;
}
