// libFuzzer target: Content-Type / Content-Disposition values with RFC 2231 parameters.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parser/header_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ticketd::parser::CharsetConverter conv;
  ticketd::parser::Defects defects;
  auto v = ticketd::parser::parse_content_value(in, conv, defects, 256);
  return v.params.size() > 256 ? 1 : 0;
}
