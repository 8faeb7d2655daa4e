// libFuzzer target: a whole raw mail through the parser.
#include <cstddef>
#include <cstdint>
#include <string>
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
  // Lazy attachments (as the daemon parses): the same attachments, defects and
  // content as kept ones, decoded again from the input.
  p::ParseLimits lazy_limits = limits;
  lazy_limits.lazy_attachment_bytes = 1;
  const auto l =
      p::parse_message(std::string_view(reinterpret_cast<const char*>(data), size), lazy_limits);
  FUZZ_CHECK(l.attachments.size() == m.attachments.size());
  FUZZ_CHECK(l.defects.size() == m.defects.size() && l.text == m.text);
  for (std::size_t i = 0; i < l.defects.size(); ++i)
    FUZZ_CHECK(l.defects[i].kind == m.defects[i].kind);
  for (std::size_t i = 0; i < l.attachments.size(); ++i) {
    const auto& a = l.attachments[i];
    const auto& k = m.attachments[i];
    FUZZ_CHECK(a.sha256 == k.sha256 && a.size == k.size && a.dropped == k.dropped);
    FUZZ_CHECK(a.filename == k.filename);
    std::string content;
    p::attachment_content(a, [&](std::string_view piece) { content.append(piece); });
    FUZZ_CHECK(content == k.data);
  }
  return 0;
}
