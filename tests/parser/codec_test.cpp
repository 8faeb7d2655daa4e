#include "parser/codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace ticketd::parser {
namespace {

using namespace std::string_view_literals;

std::size_t count_kind(const Defects& defects, DefectKind kind) {
  std::size_t n = 0;
  for (const auto& d : defects) n += d.kind == kind;
  return n;
}

// Tiny reference encoders for the round trips.
std::string encode_base64(std::string_view in, std::size_t line = 76) {
  static constexpr char kAlpha[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t col = 0;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlpha[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlpha[v & 63] : '=';
    if ((col += 4) >= line) {
      out += "\r\n";
      col = 0;
    }
  }
  return out;
}

std::string encode_qp(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t col = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    std::string piece;
    if (c == '\n') {
      out += "\n";
      col = 0;
      continue;
    }
    const bool trailing_ws = (c == ' ' || c == '\t') && (i + 1 == in.size() || in[i + 1] == '\n');
    if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !trailing_ws))
      piece = std::string(1, static_cast<char>(c));
    else
      piece = {'=', kHex[c >> 4], kHex[c & 15]};
    if (col + piece.size() > 75) {
      out += "=\r\n";
      col = 0;
    }
    out += piece;
    col += piece.size();
  }
  return out;
}

std::string encode_uu_lines(std::string_view data) {
  auto enc = [](unsigned v) { return static_cast<char>(v ? v + 32 : '`'); };
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += 45) {
    const std::string_view chunk = data.substr(i, 45);
    out += enc(static_cast<unsigned>(chunk.size()));
    for (std::size_t k = 0; k < chunk.size(); k += 3) {
      unsigned b[3] = {0, 0, 0};
      for (std::size_t m = 0; m < 3 && k + m < chunk.size(); ++m)
        b[m] = static_cast<unsigned char>(chunk[k + m]);
      out += enc(b[0] >> 2);
      out += enc(((b[0] << 4) | (b[1] >> 4)) & 63);
      out += enc(((b[1] << 2) | (b[2] >> 6)) & 63);
      out += enc(b[2] & 63);
    }
    out += "\n";
  }
  out += "`\n";
  return out;
}

std::string binary_sample(std::size_t n) {
  std::string s(n, '\0');
  std::uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

struct DecodeCase {
  const char* name;
  std::string_view in;
  std::string_view want;
  std::optional<DefectKind> defect;
};

void PrintTo(const DecodeCase& c, std::ostream* os) { *os << c.name; }

const DecodeCase kBase64Cases[] = {
    {"padded", "SGVsbG8=", "Hello", std::nullopt},
    {"two_pad", "SGk=", "Hi", std::nullopt},
    {"missing_padding", "SGVsbG8", "Hello", std::nullopt},
    {"missing_double_padding", "SGk", "Hi", std::nullopt},
    {"crlf_and_spaces", "SGVs\r\n bG8g\td29y\nbGQ=\r\n", "Hello world", std::nullopt},
    {"pipes_skipped", "SGVs|bG8g|d29y|bGQ=", "Hello world", DefectKind::bad_base64},
    {"junk_chars_skipped", "SG!Vs*bG8=", "Hello", DefectKind::bad_base64},
    {"stops_at_padding", "SGk=\r\n-- \r\nlist footer", "Hi", std::nullopt},
    {"truncated_single_sextet", "SGVsbG8hS", "Hello!", DefectKind::bad_base64},
    {"empty", "", "", std::nullopt},
    {"binary", "AP8Q", "\x00\xFF\x10"sv, std::nullopt},
};

class Base64Test : public testing::TestWithParam<DecodeCase> {};

TEST_P(Base64Test, Decodes) {
  const DecodeCase& c = GetParam();
  std::string out;
  Defects defects;
  decode_base64(c.in, out, defects);
  EXPECT_EQ(out, c.want);
  if (c.defect) {
    ASSERT_EQ(defects.size(), 1u);
    EXPECT_EQ(defects[0].kind, *c.defect);
  } else {
    EXPECT_TRUE(defects.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Codec, Base64Test, testing::ValuesIn(kBase64Cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Base64, RoundTripEveryLength) {
  for (std::size_t n = 0; n < 70; ++n) {
    const std::string data = binary_sample(n);
    std::string out;
    Defects defects;
    decode_base64(encode_base64(data, 8), out, defects);
    EXPECT_EQ(out, data) << n;
    EXPECT_TRUE(defects.empty());
  }
}

TEST(Base64, LargeBodyAppendsAndKeepsPrefix) {
  const std::string data = binary_sample(25u << 20);  // a 25 MB attachment
  const std::string encoded = encode_base64(data);
  std::string out = "prefix";
  Defects defects;
  decode_base64(encoded, out, defects);
  ASSERT_EQ(out.size(), data.size() + 6);
  EXPECT_TRUE(out.starts_with("prefix"));
  EXPECT_TRUE(std::string_view(out).substr(6) == data);
  EXPECT_TRUE(defects.empty());
}

// Base64Decoder fed in pieces appends what decode_base64 appends for the
// whole input, cut anywhere: inside a quad, beside line ends and junk, before
// and after the padding that ends it, before a truncated last quad.
TEST(Base64, PiecesDecodeAsTheWhole) {
  std::string clean = encode_base64(binary_sample(3000), 76);
  const std::string inputs[] = {
      clean,
      encode_base64(binary_sample(1001), 64),                    // padded end
      "S|G|V|s|b|G|8|=",                                         // junk inside
      "SGVsbG8=IGFmdGVyIHRoZSBwYWQ=",                            // text after the first pad
      "SGVsbG8gd29ybGQ",                                         // no padding
      "SGVsbG8gd29ybGQhI",                                       // one sextet short: bad
      clean.substr(0, 1500) + "!!\r\n \t" + clean.substr(1500),  // junk and blanks mid-body
      "",
  };
  std::uint32_t seed = 7;
  auto next = [&] { return seed = seed * 1103515245u + 12345u; };
  for (const auto& in : inputs) {
    std::string whole;
    Defects defects;
    decode_base64(in, whole, defects);
    const bool whole_bad = count_kind(defects, DefectKind::bad_base64) > 0;
    for (int trial = 0; trial < 50; ++trial) {
      Base64Decoder d;
      std::string out = "x";  // appends after what is there
      for (std::size_t at = 0; at < in.size();) {
        const std::size_t n = trial == 0 ? 1 : 1 + next() % 9;  // a byte at a time, then 1..9
        d.feed(std::string_view(in).substr(at, n), out);
        at += n;
      }
      const bool bad = d.finish(out);
      ASSERT_EQ(out, "x" + whole) << "input of " << in.size() << " bytes, trial " << trial;
      EXPECT_EQ(bad, whole_bad) << in.substr(0, 40);
    }
    // decode_in_pieces: the same bytes in order, for any piece size.
    for (std::size_t piece :
         {std::size_t{4}, std::size_t{5}, std::size_t{77}, std::size_t{1} << 20}) {
      std::string got;
      const bool bad = decode_in_pieces(
          in, true, [&](std::string_view p) { got.append(p); }, piece);
      EXPECT_EQ(got, whole) << "piece " << piece;
      EXPECT_EQ(bad, whole_bad);
    }
  }
  // Not base64: the body as it is, and never bad.
  std::string got;
  EXPECT_FALSE(decode_in_pieces("as it is\r\n", false, [&](std::string_view p) { got.append(p); }));
  EXPECT_EQ(got, "as it is\r\n");
}

TEST(Base64, ManyBadCharactersGiveOneDefect) {
  std::string out;
  Defects defects;
  decode_base64("S|G|V|s|b|G|8|=", out, defects);
  EXPECT_EQ(out, "Hello");
  EXPECT_EQ(count_kind(defects, DefectKind::bad_base64), 1u);
}

const DecodeCase kQpCases[] = {
    {"plain", "Hello world", "Hello world", std::nullopt},
    {"hex_escape", "a=3Db", "a=b", std::nullopt},
    {"lower_case_hex", "caf=e9", "caf\xE9", std::nullopt},
    {"soft_break_crlf", "long=\r\nline", "longline", std::nullopt},
    {"soft_break_lf", "long=\nline", "longline", std::nullopt},
    {"soft_break_with_trailing_blanks", "long= \t\r\nline", "longline", std::nullopt},
    {"hard_breaks_kept", "a\r\nb\nc", "a\r\nb\nc", std::nullopt},
    {"trailing_equals_dropped", "no newline=", "no newline", std::nullopt},
    {"underscore_kept_in_body", "a_b", "a_b", std::nullopt},
    {"malformed_kept", "50=ZZ off", "50=ZZ off", DefectKind::bad_quoted_printable},
    {"half_escape_kept", "a=4", "a=4", DefectKind::bad_quoted_printable},
    {"two_malformed_one_defect", "x= y =Q", "x= y =Q", DefectKind::bad_quoted_printable},
    {"utf8_bytes", "=E2=82=AC", "€", std::nullopt},
};

class QpTest : public testing::TestWithParam<DecodeCase> {};

TEST_P(QpTest, Decodes) {
  const DecodeCase& c = GetParam();
  std::string out;
  Defects defects;
  decode_quoted_printable(c.in, out, defects);
  EXPECT_EQ(out, c.want);
  if (c.defect) {
    ASSERT_EQ(defects.size(), 1u);
    EXPECT_EQ(defects[0].kind, *c.defect);
  } else {
    EXPECT_TRUE(defects.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Codec, QpTest, testing::ValuesIn(kQpCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(QuotedPrintable, HeaderModeUnderscoreIsSpace) {
  std::string out;
  Defects defects;
  decode_quoted_printable("Gr=C3=BC=C3=9Fe_aus_Berlin=5F", out, defects, true);
  EXPECT_EQ(out, "Grüße aus Berlin_");
  EXPECT_TRUE(defects.empty());
}

TEST(QuotedPrintable, RoundTrip) {
  const std::string samples[] = {
      "",
      "plain ascii",
      "trailing space \nand tab\t\nend",
      "Grüße, “quotes” and € — " + std::string(200, 'x') + "\nnext line =",
      binary_sample(5000),
  };
  for (const std::string& s : samples) {
    std::string out;
    Defects defects;
    decode_quoted_printable(encode_qp(s), out, defects);
    EXPECT_EQ(out, s);
    EXPECT_TRUE(defects.empty());
  }
}

TEST(Uuencode, ExtractsBlocksFromText) {
  const std::string data = binary_sample(1000);
  const std::string in =
      "Hello,\nsee the file.\n\nbegin 644 report.bin\n" + encode_uu_lines(data) + "end\nRegards\n";
  std::string text;
  std::vector<UuFile> files;
  Defects defects;
  ASSERT_TRUE(extract_uuencoded(in, text, files, defects));
  EXPECT_EQ(text, "Hello,\nsee the file.\n\nRegards\n");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "report.bin");
  EXPECT_EQ(files[0].data, data);
}

TEST(Uuencode, TwoBlocksWithCrlf) {
  std::string in = "begin 600 a.txt\r\n" + encode_uu_lines("first file") + "end\r\n";
  in += "middle\r\nbegin 0644 b.txt\r\n" + encode_uu_lines("second") + "end\r\n";
  // The encoder writes LF; mix in CRLF endings on the data lines too.
  std::string crlf;
  for (char c : in) {
    if (c == '\n' && (crlf.empty() || crlf.back() != '\r')) crlf += '\r';
    crlf += c;
  }
  std::string text;
  std::vector<UuFile> files;
  Defects defects;
  ASSERT_TRUE(extract_uuencoded(crlf, text, files, defects));
  EXPECT_EQ(text, "middle\r\n");
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename, "a.txt");
  EXPECT_EQ(files[0].data, "first file");
  EXPECT_EQ(files[1].filename, "b.txt");
  EXPECT_EQ(files[1].data, "second");
}

TEST(Uuencode, ProseStartingWithBeginIsText) {
  const std::string in = "begin 600 words of prose\nand more prose here\n";
  std::string text;
  std::vector<UuFile> files;
  Defects defects;
  EXPECT_FALSE(extract_uuencoded(in, text, files, defects));
  EXPECT_EQ(text, in);
  EXPECT_TRUE(files.empty());
}

TEST(Uuencode, BlockWithoutEndStopsAtText) {
  const std::string in =
      "begin 644 x.bin\n" + encode_uu_lines("abc").substr(0, 6) + "Thanks for reading\n";
  std::string text;
  std::vector<UuFile> files;
  Defects defects;
  ASSERT_TRUE(extract_uuencoded(in, text, files, defects));
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].data, "abc");
  EXPECT_EQ(text, "Thanks for reading\n");
}

TEST(Uuencode, BodyWithAndWithoutBeginLine) {
  const std::string data = binary_sample(200);
  for (const std::string& body :
       {"begin 644 f.bin\n" + encode_uu_lines(data) + "end\n", encode_uu_lines(data)}) {
    std::string out;
    Defects defects;
    decode_uuencode_body(body, out, defects);
    EXPECT_EQ(out, data);
  }
}

}  // namespace
}  // namespace ticketd::parser
