// libFuzzer target: stripping the quoted history from a reply's text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "parser/reply_strip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string top = ticketd::parser::strip_quoted_reply(in);
  FUZZ_CHECK(top.size() <= in.size());  // a prefix of the text, trimmed: never more
  FUZZ_CHECK(top.empty() || in.find(top) != std::string_view::npos);
  return 0;
}
