// libFuzzer target: address lists and Message-ID lists.
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
  auto list = ticketd::parser::parse_address_list(in, conv, defects, 1000);
  auto ids = ticketd::parser::parse_message_ids(in, 500);
  std::int64_t t = 0;
  ticketd::parser::parse_rfc5322_date(in, t);
  FUZZ_CHECK(list.size() <= 1000 && ids.size() <= 500);
  for (const auto& a : list) FUZZ_CHECK(ticketd::parser::is_valid_utf8(a.name));
  return 0;
}
