// The composer's encoders against our parser's decoders: quoted-printable,
// RFC 2047 encoded words, RFC 2231 percent encoding, base64 lines.
#include "templates/encode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "parser/charset.h"
#include "parser/codec.h"
#include "parser/header_text.h"

namespace ticketd::templates {
namespace {

namespace parser = ticketd::parser;

std::vector<std::string> lines_of(std::string_view s) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = s.find("\r\n", pos);
    if (end == std::string_view::npos) end = s.size();
    lines.emplace_back(s.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

// `unit` repeated until the result holds `code_points` UTF-8 characters.
std::string repeat_to(std::string_view unit, std::size_t code_points) {
  std::string out;
  std::size_t n = 0;
  while (n < code_points) {
    for (std::size_t i = 0; i < unit.size() && n < code_points; ++n) {
      const unsigned char c = static_cast<unsigned char>(unit[i]);
      const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      out.append(unit.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string all_bytes(int copies) {
  std::string out;
  for (int k = 0; k < copies; ++k)
    for (int b = 0; b < 256; ++b) out.push_back(static_cast<char>(b));
  return out;
}

TEST(Encode, QuotedPrintableRoundTripsWithin76) {
  const std::vector<std::string> texts = {
      "",
      "a",
      "a\n",
      std::string(76, 'x'),
      std::string(75, 'x') + "=",
      std::string(74, 'x') + " ",
      std::string(200, ' '),
      std::string(300, '='),
      "From me\nFrom\n.\n..\nx.\n",
      "trailing \t\nnext",
      repeat_to("äöü日本🎉", 500),
      all_bytes(2),
  };
  for (const std::string& text : texts) {
    const std::string qp = encode_quoted_printable(text);
    for (const std::string& line : lines_of(qp)) EXPECT_LE(line.size(), 76u) << line;
    EXPECT_TRUE(qp.empty() || qp.ends_with("\r\n"));
    for (const std::string& line : lines_of(qp)) {
      EXPECT_FALSE(line.starts_with(".")) << line;
      EXPECT_FALSE(line.starts_with("From ")) << line;
      EXPECT_FALSE(line.ends_with(" ") || line.ends_with("\t")) << line;
    }
    std::string decoded;
    parser::Defects d;
    parser::decode_quoted_printable(qp, decoded, d);
    EXPECT_TRUE(d.empty());
    // Every line break comes back as CRLF (bare CR and LF included).
    std::string want;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
      if (text[i] == '\r' || text[i] == '\n')
        want += "\r\n";
      else
        want.push_back(text[i]);
    }
    EXPECT_EQ(decoded, want);
  }
}

TEST(Encode, EncodedWordsRoundTripAndKeepTheirBudget) {
  parser::CharsetConverter conv;
  const std::vector<std::string> texts = {
      "a",
      "Grüße",
      "🎉",
      repeat_to("🎉", 40),
      repeat_to("日本語", 100),
      "a_b=c?d \"e\" (f) <g> ,;:",
      repeat_to("Zoë ", 60) + "end",
  };
  for (std::size_t first : {0u, 16u, 20u, 30u, 75u}) {
    for (const std::string& text : texts) {
      const std::vector<std::string> words = encode_words(text, first);
      ASSERT_FALSE(words.empty());
      EXPECT_LE(words.front().size(), std::max<std::size_t>(first, 20u)) << words.front();
      std::string joined;
      for (const std::string& w : words) {
        EXPECT_LE(w.size(), 75u) << w;
        joined += (joined.empty() ? "" : " ") + w;
      }
      parser::Defects d;
      EXPECT_EQ(parser::decode_header_text(joined, conv, d), text);
      EXPECT_TRUE(d.empty());
    }
  }
}

TEST(Encode, EncodedWordsNeverSplitACharacter) {
  const std::string text = repeat_to("aé日🎉", 400);
  for (const std::string& w : encode_words(text, 23, 27)) {
    const bool b = w[8] == 'B';
    std::string bytes;
    parser::Defects d;
    const std::string inner = w.substr(10, w.size() - 12);
    if (b)
      parser::decode_base64(inner, bytes, d);
    else
      parser::decode_quoted_printable(inner, bytes, d, true);
    EXPECT_TRUE(parser::is_valid_utf8(bytes)) << w;
  }
}

TEST(Encode, PercentEncodeKeepsOnlyAttrChars) {
  EXPECT_EQ(percent_encode("a-b.c_d~e"), "a-b.c_d~e");
  EXPECT_EQ(percent_encode("a b*c'd%e\"f;g=h"), "a%20b%2Ac%27d%25e%22f%3Bg%3Dh");
  EXPECT_EQ(percent_encode("ä"), "%C3%A4");
}

TEST(Encode, Base64LinesOf76) {
  EXPECT_EQ(encode_base64_lines(""), "");
  EXPECT_EQ(encode_base64_lines("abc"), "YWJj\r\n");
  EXPECT_EQ(encode_base64_lines("ab"), "YWI=\r\n");
  const std::string data = all_bytes(3);
  const std::string b64 = encode_base64_lines(data);
  for (const std::string& line : lines_of(b64)) EXPECT_LE(line.size(), 76u);
  std::string back;
  parser::Defects d;
  parser::decode_base64(b64, back, d);
  EXPECT_EQ(back, data);
  EXPECT_TRUE(d.empty());
}

}  // namespace
}  // namespace ticketd::templates
