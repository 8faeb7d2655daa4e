// libFuzzer target: a whole raw mail through the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parser/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ticketd::parser::ParseLimits limits;
  limits.max_message_bytes = 1u << 20;
  auto m = ticketd::parser::parse_message(
      std::string_view(reinterpret_cast<const char*>(data), size), limits);
  return m.text.size() > size * 16 + 4096 ? 1 : 0;  // output stays proportionate
}
