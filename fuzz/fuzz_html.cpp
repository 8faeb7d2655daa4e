// libFuzzer target: HTML to text (our one-pass converter, no network).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "parser/charset.h"
#include "parser/html_text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string out =
      ticketd::parser::html_to_text(std::string_view(reinterpret_cast<const char*>(data), size));
  FUZZ_CHECK(ticketd::parser::is_valid_utf8(out));
  return 0;
}
