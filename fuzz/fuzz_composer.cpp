// libFuzzer target: the composer. Random field values must give either a named
// refusal or well-formed RFC 5322 (CRLF lines <= 998 octets, 7-bit, header
// fields "name: value" or folded, no Bcc) that our parser reads back to the
// same addresses, Message-ID, subject and text.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/check.h"
#include "parser/charset.h"
#include "parser/parse.h"
#include "templates/composer.h"

namespace {

// Fields are taken from the input one after another: a length byte, then
// that many bytes (two length bytes for the bodies).
struct Reader {
  std::string_view in;
  std::string take(int len_bytes = 1) {
    std::size_t n = 0;
    for (int i = 0; i < len_bytes && !in.empty(); ++i, in.remove_prefix(1))
      n = n * 256 + static_cast<unsigned char>(in.front());
    n = std::min(n, in.size());
    std::string out(in.substr(0, n));
    in.remove_prefix(n);
    return out;
  }
};

// Text the round trip promises to give back unchanged: UTF-8, no control
// characters, no U+FEFF (the parser drops byte order marks, on purpose: a
// finding of this target), and for header text no blanks at either end
// (folding whitespace).
bool plain(std::string_view s, bool header) {
  if (!ticketd::parser::is_valid_utf8(s)) return false;
  if (s.find("\xEF\xBB\xBF") != std::string_view::npos) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && !(c == '\n' && !header)) || c == 0x7f) return false;
  return !header || s.empty() || (s.front() != ' ' && s.back() != ' ');
}

// The parser lower-cases domains (parser/message.h: Address); local parts stay.
bool same_address(std::string_view got, std::string_view sent) {
  const std::size_t at = sent.rfind('@');
  if (got.size() != sent.size() || got.substr(0, at) != sent.substr(0, at)) return false;
  for (std::size_t i = at; i < sent.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(got[i])) !=
        std::tolower(static_cast<unsigned char>(sent[i])))
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace t = ticketd::templates;
  namespace p = ticketd::parser;
  Reader r{std::string_view(reinterpret_cast<const char*>(data), size)};
  const unsigned char flags = size ? data[0] : 0;
  if (size) r.in.remove_prefix(1);
  t::OutgoingMail m;
  m.from = {r.take(), "support@example.com"};
  if (flags & 1) m.from.address = r.take();
  m.to = {{r.take(), "ann@example.org"}};
  if (flags & 2) m.to.push_back({r.take(), r.take()});
  if (flags & 4) m.reply_to = t::MailAddress{r.take(), "support+1001-abc@example.com"};
  m.subject = r.take();
  m.message_id = (flags & 8) ? r.take() : "TD-1001.answer.0123456789abcdef@ticketd.example.com";
  if (flags & 16) m.in_reply_to = r.take();
  if (flags & 32) m.extra_headers = {{r.take(), r.take()}};
  if (flags & 64) m.attachments = {{r.take(), r.take(), r.take()}};
  if (flags & 128) m.html = r.take(2);
  m.date = 1767225600;
  m.auto_submitted = "auto-replied";
  m.text = r.take(2);

  const auto raw = t::compose(m);
  if (!raw) {
    FUZZ_CHECK(!raw.error().detail.empty());  // a refusal names the field
    return 0;
  }
  const std::string& w = *raw;
  FUZZ_CHECK(w.size() >= 2 && w.ends_with("\r\n"));
  const std::size_t head_end = w.find("\r\n\r\n");
  FUZZ_CHECK(head_end != std::string::npos);
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(w[i]);
    FUZZ_CHECK(c != 0 && c < 0x80);  // 7-bit: QP, base64 and encoded words
    if (c == '\r') FUZZ_CHECK(i + 1 < w.size() && w[i + 1] == '\n');
    if (c != '\n') continue;
    FUZZ_CHECK(i > 0 && w[i - 1] == '\r');
    const std::string_view line(w.data() + line_start, i - 1 - line_start);
    FUZZ_CHECK(line.size() <= 998);
    if (line_start < head_end) {
      if (line.empty()) break;
      const bool folded = line.front() == ' ' || line.front() == '\t';
      const std::size_t colon = line.find(':');
      FUZZ_CHECK(folded || (colon != std::string_view::npos && colon > 0));
      if (!folded) {
        for (char ch : line.substr(0, colon)) FUZZ_CHECK(ch > 32 && ch < 127);
        FUZZ_CHECK(!(line.size() >= 4 && (line[0] | 32) == 'b' && (line[1] | 32) == 'c' &&
                     (line[2] | 32) == 'c' && line[3] == ':'));
      }
    }
    line_start = i + 1;
  }

  const p::Message back = p::parse_message(w);
  FUZZ_CHECK(back.keys.message_id == m.message_id);
  FUZZ_CHECK(same_address(back.from.address, m.from.address));
  FUZZ_CHECK(back.to.size() == m.to.size());
  for (std::size_t i = 0; i < m.to.size(); ++i) {
    FUZZ_CHECK(same_address(back.to[i].address, m.to[i].address));
    if (plain(m.to[i].name, true)) FUZZ_CHECK(back.to[i].name == m.to[i].name);
  }
  if (plain(m.from.name, true)) FUZZ_CHECK(back.from.name == m.from.name);
  if (plain(m.subject, true)) FUZZ_CHECK(back.subject == m.subject);
  if (plain(m.text, false) && !m.html) FUZZ_CHECK(back.text == m.text);
  FUZZ_CHECK(back.attachments.size() == m.attachments.size());
  return 0;
}
