#include "parser/header_text.h"

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

// Tiny RFC 2047 encoders for the round trips. `chunk` bytes per word, cut
// anywhere (also inside a multibyte character, as Outlook does).
std::string b64(std::string_view in) {
  static constexpr char kAlpha[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlpha[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlpha[v & 63] : '=';
  }
  return out;
}

std::string q(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (c == ' ')
      out += '_';
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
      out += static_cast<char>(c);
    else
      out += {'=', kHex[c >> 4], kHex[c & 15]};
  }
  return out;
}

std::string encode_words(std::string_view text, std::string_view charset, char enc,
                         std::size_t chunk, std::string_view sep = "\r\n ") {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += chunk) {
    if (i) out += sep;
    const std::string_view part = text.substr(i, chunk);
    out +=
        "=?" + std::string(charset) + "?" + enc + "?" + (enc == 'B' ? b64(part) : q(part)) + "?=";
  }
  return out;
}

struct HeaderCase {
  const char* name;
  std::string_view raw;
  std::string_view want;
  std::optional<DefectKind> defect;
  std::string_view fallback = {};

  void PrintTo(const HeaderCase& c, std::ostream* os) { *os << c.name; }
};

const HeaderCase kHeaderCases[] = {
    {"plain", "Hello world", "Hello world", std::nullopt},
    {"folding_unfolded", "Hello\r\n\tworld\r\n  again", "Hello world again", std::nullopt},
    {"trimmed", "  \t padded \r\n", "padded", std::nullopt},
    {"double_space_kept", "a  b", "a  b", std::nullopt},
    {"b_word", "=?utf-8?B?R3LDvMOfZQ==?=", "Grüße", std::nullopt},
    {"q_word_latin1", "=?iso-8859-1?Q?Gr=FC=DFe_dich?=", "Grüße dich", std::nullopt},
    {"lower_case_encoding", "=?UTF-8?q?=C3=A9t=C3=A9?=", "été", std::nullopt},
    {"adjacent_words_joined", "=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab", std::nullopt},
    {"adjacent_words_across_fold", "=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", "ab", std::nullopt},
    {"words_without_space", "=?utf-8?Q?a?==?utf-8?Q?b?=", "ab", std::nullopt},
    {"word_then_text", "=?utf-8?Q?a?= b", "a b", std::nullopt},
    {"text_then_word", "Re: =?utf-8?Q?=C3=A4?=", "Re: ä", std::nullopt},
    {"glued_to_text", "abc=?utf-8?Q?x?=def", "abcxdef", std::nullopt},
    {"different_charsets_adjacent", "=?utf-8?Q?a?= =?iso-8859-1?Q?=E9?=", "aé", std::nullopt},
    {"split_multibyte_b", "=?utf-8?B?4oI=?= =?utf-8?B?rA==?=", "€", std::nullopt},
    {"split_multibyte_q", "=?UTF-8?Q?=E2=82?=\r\n =?utf-8?Q?=AC_5?=", "€ 5", std::nullopt},
    {"rfc2231_language", "=?utf-8*en?Q?Hi_there?=", "Hi there", std::nullopt},
    {"exchange_utf7_with_spaces",
     "Benachrichtung  \r\n\tzum  \r\n\t=?unicode-1-1-utf-7?Q?+ANw-bermittlungsstatus  \r\n"
     "\t(Fehlgeschlagen)?=",
     "Benachrichtung zum Übermittlungsstatus (Fehlgeschlagen)", std::nullopt},
    {"gb2312_label_gbk_bytes", "=?GB2312?B?g8iRqsGmrmHJ+tPr16LL3Lmk0tXM9bz+1q685LXEudjPtaO7?=",
     "內應力產生与注塑工艺条件之间的关系；", std::nullopt},
    {"mixed_charsets",
     "utf8: =?UTF-8?Q?=E4=BD=BF=E3=81=A3=E3=81=A6?= / ISO-8859-1: "
     "=?iso-8859-1?Q?Priorit=E4t=22_?= / cp-1251: =?windows-1251?B?0eXw4+XpINPj6+j26uj1?=",
     "utf8: 使って / ISO-8859-1: Priorität\"  / cp-1251: Сергей Углицких", std::nullopt},
    {"iso_2022_jp_word", "=?iso-2022-jp?B?GyRCJWElayVeJSwycj18GyhC?=", "メルマガ解除",
     std::nullopt},
    {"windows_1258_nfc",
     "=?windows-1258?Q?Capture_d=92e=ECcran_a=CC.jpg?=", "Capture d’écran à.jpg", std::nullopt},
    {"unknown_encoding_literal",
     "=?utf-8?X?abc?=", "=?utf-8?X?abc?=", DefectKind::bad_encoded_word},
    {"unterminated_literal", "Re: =?utf-8?Q?abc", "Re: =?utf-8?Q?abc",
     DefectKind::bad_encoded_word},
    {"unterminated_before_good_word", "=?utf-8?Q?ab =?utf-8?Q?=C3=A9?=", "=?utf-8?Q?ab é",
     DefectKind::bad_encoded_word},
    {"question_mark_text_not_a_word", "Is 1+1=? Two", "Is 1+1=? Two", std::nullopt},
    {"unknown_charset_word", "=?x-klingon?Q?caf=C3=A9?=", "café", DefectKind::unknown_charset},
    {"raw_iso_2022_jp", "Re: \x1B$B%a%k%^%,2r=|\x1B(B", "Re: メルマガ解除", std::nullopt},
    {"raw_utf8",
     "Gr\xC3\xBC\xC3\x9F"
     "e",
     "Grüße", std::nullopt},
    {"raw_8bit_no_fallback", "caf\xE9", "café", DefectKind::undeclared_8bit},
    {"raw_gb2312_with_fallback", "\xD7\xAA\xB7\xA2", "转发", DefectKind::undeclared_8bit, "gb2312"},
    {"raw_shift_jis_with_fallback", "\x83\x63\x81\x5B\x83\x8B", "ツール",
     DefectKind::undeclared_8bit, "shift_jis"},
    {"zero_width_space_kept",
     "a\xE2\x80\x8B"
     "b",
     "a\xE2\x80\x8B"
     "b",
     std::nullopt},
    {"ideographic_space_kept", "\xE3\x80\x80x\xE3\x80\x80", "\xE3\x80\x80x\xE3\x80\x80",
     std::nullopt},
    {"nul_dropped", "a\0b"sv, "ab", DefectKind::nul_byte},
    {"decoded_crlf_becomes_space", "=?utf-8?Q?=0D=0ASubject_line?=", "Subject line", std::nullopt},
};

class HeaderTextTest : public testing::TestWithParam<HeaderCase> {};

TEST_P(HeaderTextTest, Decodes) {
  const HeaderCase& c = GetParam();
  CharsetConverter conv;
  Defects defects;
  EXPECT_EQ(decode_header_text(c.raw, conv, defects, c.fallback), c.want);
  if (c.defect) {
    ASSERT_EQ(defects.size(), 1u) << defect_name(defects.empty() ? *c.defect : defects[1].kind);
    EXPECT_EQ(defects[0].kind, *c.defect) << defect_name(defects[0].kind);
  } else {
    EXPECT_TRUE(defects.empty()) << defect_name(defects[0].kind);
  }
}

INSTANTIATE_TEST_SUITE_P(HeaderText, HeaderTextTest, testing::ValuesIn(kHeaderCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HeaderText, Rfc2047RoundTrip) {
  const std::string texts[] = {
      "Grüße aus Köln",
      "价格 €5 — “quoted” 😀 end",
      "plain ascii subject with ?= and =? inside",
      "Ünïcödé\tand_underscores_",
  };
  CharsetConverter conv;
  for (const std::string& t : texts) {
    // The expectation: tabs unfold to a space like any folding whitespace.
    std::string want = t;
    for (char& c : want)
      if (c == '\t') c = ' ';
    for (char enc : {'B', 'Q'}) {
      for (std::size_t chunk : {1u, 2u, 5u, 7u, 45u}) {
        Defects defects;
        const std::string raw = encode_words(t, "utf-8", enc, chunk);
        EXPECT_EQ(decode_header_text(raw, conv, defects), want) << raw;
        EXPECT_TRUE(defects.empty()) << raw;
      }
    }
  }
}

TEST(HeaderText, RoundTripLatin1SplitWords) {
  CharsetConverter conv;
  Defects defects;
  const std::string latin1 =
      "Gr\xFC\xDF"
      "e \x93zitat\x94";
  EXPECT_EQ(decode_header_text(encode_words(latin1, "ISO-8859-1", 'Q', 3, " "), conv, defects),
            "Grüße “zitat”");
  EXPECT_TRUE(defects.empty());
}

TEST(HeaderText, OneDefectPerKind) {
  CharsetConverter conv;
  Defects defects;
  EXPECT_EQ(decode_header_text("=?a?X?b?= =?c?Y?d?= \xE9 =?utf-8?Q?x?= \xE8", conv, defects),
            "=?a?X?b?= =?c?Y?d?= é x è");
  EXPECT_EQ(count_kind(defects, DefectKind::bad_encoded_word), 1u);
  EXPECT_EQ(count_kind(defects, DefectKind::undeclared_8bit), 1u);
}

// ---- parse_content_value -----------------------------------------------------

struct ContentCase {
  const char* name;
  std::string_view raw;
  std::string_view value;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<DefectKind> defect = std::nullopt;
};

void PrintTo(const ContentCase& c, std::ostream* os) { *os << c.name; }

const ContentCase kContentCases[] = {
    {"simple", "text/plain; charset=\"utf-8\"", "text/plain", {{"charset", "utf-8"}}},
    {"case_and_spaces", "  TEXT/Plain ; Charset = UTF-8 ", "text/plain", {{"charset", "UTF-8"}}},
    {"no_params", "multipart/alternative", "multipart/alternative", {}},
    {"missing_subtype", "text", "text", {}},
    {"spaced_slash", "text / html; charset=us-ascii", "text/html", {{"charset", "us-ascii"}}},
    {"quoted_main_value", "\"text/plain\"; format=flowed", "text/plain", {{"format", "flowed"}}},
    {"no_main_value", "charset=utf-8", "", {{"charset", "utf-8"}}},
    {"missing_semicolons",
     "text/plain charset=utf-8 format=flowed",
     "text/plain",
     {{"charset", "utf-8"}, {"format", "flowed"}}},
    {"stray_semicolons_and_bare_names",
     "attachment;; foo; ;filename=a.txt;",
     "attachment",
     {{"filename", "a.txt"}}},
    {"unquoted_with_spaces",
     "attachment; filename=my file.txt; size=3",
     "attachment",
     {{"filename", "my file.txt"}, {"size", "3"}}},
    {"quoted_escapes",
     R"(attachment; filename="a \"b\" \\ c.txt")",
     "attachment",
     {{"filename", R"(a "b" \ c.txt)"}}},
    {"windows_path_unescaped",
     R"(attachment; filename="C:\dir\a.txt")",
     "attachment",
     {{"filename", R"(C:\dir\a.txt)"}}},
    {"quoted_then_missing_semicolon",
     "attachment; filename=\"a b.txt\" size=10",
     "attachment",
     {{"filename", "a b.txt"}, {"size", "10"}}},
    {"unterminated_quote", "attachment; filename=\"a.txt", "attachment", {{"filename", "a.txt"}}},
    {"rfc2231_continuations",
     "attachment; name*0*=utf-8''%E2%82%AC; name*1=abc.txt",
     "attachment",
     {{"name", "€abc.txt"}}},
    {"rfc2231_out_of_order",
     "attachment; filename*1=\"b.txt\"; filename*0=\"a\"",
     "attachment",
     {{"filename", "ab.txt"}}},
    {"rfc2231_three_parts_mixed",
     "attachment; filename*0*=iso-8859-1'de'Gr%FC; filename*1*=%DFe; filename*2=\" 2.txt\"",
     "attachment",
     {{"filename", "Grüße 2.txt"}}},
    {"rfc2231_single_extended",
     "attachment; filename*=UTF-8''%C3%A4%20b.txt",
     "attachment",
     {{"filename", "ä b.txt"}}},
    {"rfc2231_wins_over_plain",
     "attachment; filename=\"fallback.txt\"; filename*=utf-8''%C3%A4.txt",
     "attachment",
     {{"filename", "ä.txt"}}},
    {"rfc2231_us_ascii_8bit",
     "image/jpeg; name*=\"us-ascii''Forex%20Platte%20ohne%20W%F6lbung.jpg\"",
     "image/jpeg",
     {{"name", "Forex Platte ohne Wölbung.jpg"}},
     DefectKind::undeclared_8bit},
    {"rfc2231_no_charset", "attachment; filename*=''a%20b", "attachment", {{"filename", "a b"}}},
    {"rfc2047_in_quoted_value_leading_space",
     "image/jpeg; name=\" =?ISO-8859-1?B?QmVzdGVsbGJlc3TkdGlndW5nX0JLMTgwNTI3OTU=?=.jpg\"",
     "image/jpeg",
     {{"name", "Bestellbestätigung_BK18052795.jpg"}}},
    {"rfc2047_windows_1258",
     "attachment; filename=\r\n        "
     "\"=?windows-1258?Q?Capture_d=92e=ECcran_2017-12-27_a=CC_12.22.38.jpg?=\";\r\n"
     "        size=74975; creation-date=\"Wed, 27 Dec 2017 11:23:05 GMT\"",
     "attachment",
     {{"filename", "Capture d’écran 2017-12-27 à 12.22.38.jpg"},
      {"size", "74975"},
      {"creation-date", "Wed, 27 Dec 2017 11:23:05 GMT"}}},
    {"rfc2047_unquoted",
     "attachment; filename==?utf-8?B?w6QudHh0?=",
     "attachment",
     {{"filename", "ä.txt"}}},
    {"raw_8bit_value",
     "attachment; filename=\"caf\xE9.txt\"",
     "attachment",
     {{"filename", "café.txt"}},
     DefectKind::undeclared_8bit},
    {"boundary_kept_exact",
     "multipart/mixed; boundary=\"----=_NextPart_000_0012 =?x\"",
     "multipart/mixed",
     {{"boundary", "----=_NextPart_000_0012 =?x"}}},
    {"duplicate_param_first_wins",
     "text/plain; charset=utf-8; charset=latin1",
     "text/plain",
     {{"charset", "utf-8"}}},
    {"empty_value", "attachment; filename=\"\"", "attachment", {{"filename", ""}}},
};

class ContentValueTest : public testing::TestWithParam<ContentCase> {};

TEST_P(ContentValueTest, Parses) {
  const ContentCase& c = GetParam();
  CharsetConverter conv;
  Defects defects;
  const ContentValue v = parse_content_value(c.raw, conv, defects, 256);
  EXPECT_EQ(v.value, c.value);
  EXPECT_EQ(v.params, c.params);
  if (c.defect) {
    ASSERT_EQ(defects.size(), 1u);
    EXPECT_EQ(defects[0].kind, *c.defect) << defect_name(defects[0].kind);
  } else {
    EXPECT_TRUE(defects.empty()) << defect_name(defects[0].kind);
  }
}

INSTANTIATE_TEST_SUITE_P(HeaderText, ContentValueTest, testing::ValuesIn(kContentCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ContentValue, ParamLookup) {
  CharsetConverter conv;
  Defects defects;
  const ContentValue v = parse_content_value("text/plain; Charset=utf-8", conv, defects, 256);
  ASSERT_NE(v.param("charset"), nullptr);
  EXPECT_EQ(*v.param("charset"), "utf-8");
  ASSERT_NE(v.param("CHARSET"), nullptr);
  EXPECT_EQ(v.param("name"), nullptr);
}

TEST(ContentValue, CapsParameterCount) {
  CharsetConverter conv;
  Defects defects;
  const ContentValue v = parse_content_value("x/y; a=1; b=2; c=3; d=4; e=5", conv, defects, 3);
  ASSERT_EQ(v.params.size(), 3u);
  EXPECT_EQ(v.params[2].first, "c");
  EXPECT_EQ(count_kind(defects, DefectKind::too_many_params), 1u);
}

TEST(ContentValue, TenThousandParams) {
  std::string raw = "application/octet-stream";
  for (int i = 0; i < 10000; ++i)
    raw += "; p" + std::to_string(i) + "=\"v" + std::to_string(i) + "\"";
  CharsetConverter conv;
  {
    Defects defects;
    const ContentValue v = parse_content_value(raw, conv, defects, 20000);
    ASSERT_EQ(v.params.size(), 10000u);
    EXPECT_EQ(v.params.back(), (std::pair<std::string, std::string>{"p9999", "v9999"}));
    EXPECT_TRUE(defects.empty());
  }
  {
    Defects defects;
    const ContentValue v = parse_content_value(raw, conv, defects, 256);
    EXPECT_EQ(v.params.size(), 256u);
    EXPECT_EQ(count_kind(defects, DefectKind::too_many_params), 1u);
  }
}

TEST(ContentValue, TenThousandContinuations) {
  // Sections written in reverse order: the join must still be in index order.
  std::string raw = "attachment";
  for (int i = 9999; i >= 0; --i)
    raw += "; filename*" + std::to_string(i) + "*=%" + (i % 2 ? "41" : "42");
  CharsetConverter conv;
  Defects defects;
  const ContentValue v = parse_content_value(raw, conv, defects, 20000);
  ASSERT_EQ(v.params.size(), 1u);
  ASSERT_EQ(v.params[0].second.size(), 10000u);
  EXPECT_TRUE(v.params[0].second.starts_with("BABA"));
  EXPECT_TRUE(defects.empty());
}

TEST(ContentValue, TenThousandBareWordsWithoutSemicolons) {
  std::string raw = "text/plain";
  for (int i = 0; i < 10000; ++i) raw += " junk";
  raw += " charset=utf-8";
  CharsetConverter conv;
  Defects defects;
  const ContentValue v = parse_content_value(raw, conv, defects, 256);
  ASSERT_NE(v.param("charset"), nullptr);
  EXPECT_EQ(*v.param("charset"), "utf-8");
}

}  // namespace
}  // namespace ticketd::parser

namespace ticketd::parser {
namespace {

TEST(HeaderText, ManyUnterminatedWordsStayLiteral) {
  // 1 MB of word starts without any "?=": must stay linear (no rescans to the end).
  std::string raw;
  while (raw.size() < (1u << 20)) raw += "=?a?q?x ";
  CharsetConverter conv;
  Defects defects;
  const std::string out = decode_header_text(raw, conv, defects);
  EXPECT_EQ(out, std::string_view(raw).substr(0, raw.size() - 1));
  EXPECT_EQ(count_kind(defects, DefectKind::bad_encoded_word), 1u);
}

TEST(HeaderText, ManyEncodedWords) {
  std::string raw;
  for (int i = 0; i < 20000; ++i) raw += "=?utf-8?B?w6Q=?= ";
  CharsetConverter conv;
  Defects defects;
  const std::string out = decode_header_text(raw, conv, defects);
  EXPECT_EQ(out.size(), 40000u);
  EXPECT_TRUE(out.starts_with("ää"));
  EXPECT_TRUE(defects.empty());
}

}  // namespace
}  // namespace ticketd::parser
