// libFuzzer target: a whole raw mail through the parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "parser/charset.h"
#include "parser/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace p = ticketd::parser;
  p::ParseLimits limits;
  limits.max_message_bytes = 1u << 20;
  const auto m =
      p::parse_message(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  FUZZ_CHECK(m.text.size() <= size * 16 + 4096);  // output stays proportionate
  FUZZ_CHECK(p::is_valid_utf8(m.text) && p::is_valid_utf8(m.new_text));
  FUZZ_CHECK(p::is_valid_utf8(m.subject) && p::is_valid_utf8(m.from.name));
  FUZZ_CHECK(m.new_text.size() <= m.text.size());
  for (const auto& a : m.attachments) {
    FUZZ_CHECK(!a.filename.empty() && p::is_valid_utf8(a.filename));
    FUZZ_CHECK(a.sha256.size() == 64 && (a.dropped || a.data.size() == a.size));
  }
  return 0;
}
