// libFuzzer target: RFC 2047 encoded words in unstructured header text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "parser/charset.h"
#include "parser/header_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ticketd::parser::CharsetConverter conv;
  ticketd::parser::Defects defects;
  std::string out = ticketd::parser::decode_header_text(in, conv, defects, "gb2312");
  FUZZ_CHECK(ticketd::parser::is_valid_utf8(out));  // always UTF-8 out
  return 0;
}
