#include "parser/charset.h"

#include <gtest/gtest.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace ticketd::parser {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

std::size_t count_kind(const Defects& defects, DefectKind kind) {
  std::size_t n = 0;
  for (const auto& d : defects) n += d.kind == kind;
  return n;
}

struct ConvCase {
  const char* name;
  std::string_view charset;
  std::string_view in;
  std::string_view want;
  std::optional<DefectKind> defect;  // the one defect expected; none when nullopt
};

void PrintTo(const ConvCase& c, std::ostream* os) { *os << c.name; }

const ConvCase kConvCases[] = {
    {"utf8_valid", "utf-8",
     "Gr\xC3\xBC\xC3\x9F"
     "e",
     "Grüße", std::nullopt},
    {"utf8_alias", "UTF8", "\xE2\x82\xAC", "€", std::nullopt},
    {"ascii_only_any_label", "iso-8859-2", "plain text", "plain text", std::nullopt},
    {"undeclared_8bit_is_cp1252", "", "caf\xE9 \x80", "café €", DefectKind::undeclared_8bit},
    {"undeclared_valid_utf8_kept", "", "caf\xC3\xA9", "café", std::nullopt},
    {"us_ascii_with_utf8", "us-ascii", "\xC3\xA9", "é", std::nullopt},
    {"us_ascii_with_latin1", "US-ASCII", "\xE9t\xE9", "été", DefectKind::undeclared_8bit},
    {"ansi_x3_4_1968_alias", "ANSI_X3.4-1968", "\xE9", "é", DefectKind::undeclared_8bit},
    {"unknown_8bit_utf8", "unknown-8bit", "\xE2\x82\xAC", "€", std::nullopt},
    {"unknown_8bit_cp1252", "unknown-8bit", "\x80 5", "€ 5", DefectKind::undeclared_8bit},
    {"x_unknown_cp1252", "x-unknown", "\x93q\x94", "“q”", DefectKind::undeclared_8bit},
    {"latin1_label_cp1252_smart_quotes", "iso-8859-1", "\x93Hi\x94 \x96 ok", "“Hi” – ok",
     std::nullopt},
    {"latin1_quoted_label", "\"Latin1\"", "\xE4\xF6\xFC", "äöü", std::nullopt},
    {"iso_2022_jp", "ISO-2022-JP",
     "\x1B\x24\x42\x25\x61\x25\x6B\x25\x5E\x25\x2C\x32\x72\x3D\x7C\x1B\x28\x42", "メルマガ解除",
     std::nullopt},
    {"iso_2022_jp_nec_extension", "iso-2022-jp", "\x1B$B-!\x1B(B", "①", std::nullopt},
    {"gb2312_label_gbk_bytes", "gb2312", "\x83\xC8\x91\xAA\xC1\xA6\xAE\x61\xC9\xFA", "內應力產生",
     std::nullopt},
    {"gb2312_plain", "GB2312", "\xD7\xAA\xB7\xA2", "转发", std::nullopt},
    {"shift_jis", "shift_jis", "\x83\x63\x81\x5B\x83\x8B", "ツール", std::nullopt},
    {"x_sjis_alias", "x-sjis", "\x83\x63\x81\x5B\x83\x8B", "ツール", std::nullopt},
    {"ks_c_5601_1987", "ks_c_5601-1987", "\xBE\xC8\xB3\xE7", "안녕", std::nullopt},
    {"koi8_r", "koi8-r", "\xF0\xD2\xC9\xD7\xC5\xD4", "Привет", std::nullopt},
    {"iso_8859_2", "ISO-8859-2", "\xB1", "ą", std::nullopt},
    {"windows_1258_composed", "windows-1258", "a\xCC", "à", std::nullopt},
    {"utf7_exchange", "unicode-1-1-utf-7", "+ANw-bermittlung", "Übermittlung", std::nullopt},
    {"utf32_with_bom", "utf-32",
     "\xFF\xFE\x00\x00\x47\x00\x00\x00\x72\x00\x00\x00\xFC\x00\x00\x00\xDF\x00\x00\x00"
     "\x65\x00\x00\x00\x20\x00\x00\x00\xAC\x20\x00\x00"sv,
     "Grüße €", std::nullopt},
    {"utf16le", "UTF-16LE", "H\0i\0\xAC\x20"sv, "Hi€", std::nullopt},
    {"truncated_utf8", "utf-8", "ab\xE2\x82", "ab\xEF\xBF\xBD", DefectKind::invalid_utf8},
    {"utf8_stray_byte_is_cp1252", "utf-8", "li\xEE ed \x92s", "liî ed ’s",
     DefectKind::invalid_utf8},
    {"utf8_truncated_mid_text", "utf-8", "a\xE2\x82z", "a\xEF\xBF\xBDz", DefectKind::invalid_utf8},
    {"unknown_charset_utf8", "x-klingon", "\xC3\xA9", "é", DefectKind::unknown_charset},
    {"unknown_charset_cp1252", "x-klingon", "\xE9", "é", DefectKind::unknown_charset},
    {"mislabelled_utf8", "iso-8859-8", "caf\xC3\xA9", "café", DefectKind::charset_mismatch},
    {"invalid_byte_read_as_cp1252", "iso-8859-8", "\xE0\xD0", "אÐ", DefectKind::charset_mismatch},
    {"nul_dropped", "utf-8", "a\0b"sv, "ab", DefectKind::nul_byte},
    {"nul_dropped_from_utf16", "utf-16le", "a\0\0\0b\0"sv, "ab", DefectKind::nul_byte},
    {"unlabelled_iso_2022_jp", "", "\x1B$B%a%k%^%,2r=|\x1B(B", "メルマガ解除", std::nullopt},
    {"bom_dropped", "utf-8", "\xEF\xBB\xBFhi", "hi", std::nullopt},
};

class ConvTest : public testing::TestWithParam<ConvCase> {};

TEST_P(ConvTest, ConvertsWithFallback) {
  const ConvCase& c = GetParam();
  CharsetConverter conv;
  Defects defects;
  EXPECT_EQ(conv.to_utf8(c.charset, c.in, defects), c.want);
  if (c.defect) {
    ASSERT_EQ(defects.size(), 1u) << defect_name(defects.empty() ? *c.defect : defects[0].kind);
    EXPECT_EQ(defects[0].kind, *c.defect) << defect_name(defects[0].kind);
  } else {
    EXPECT_TRUE(defects.empty()) << defect_name(defects[0].kind);
  }
}

INSTANTIATE_TEST_SUITE_P(Charset, ConvTest, testing::ValuesIn(kConvCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CharsetConverter, AppendsToExistingOutput) {
  CharsetConverter conv;
  Defects defects;
  std::string out = "x:";
  conv.to_utf8("iso-8859-1", "\xE9", out, defects);
  conv.to_utf8("utf-8", "\xC3\xA9", out, defects);
  EXPECT_EQ(out, "x:éé");
}

TEST(CharsetConverter, CachedDescriptorIsResetBetweenCalls) {
  CharsetConverter conv;
  Defects defects;
  // A stateful decoder left in kanji mode (no closing ESC ( B) must not leak into
  // the next call.
  EXPECT_EQ(conv.to_utf8("iso-2022-jp", "\x1B$B%a", defects), "メ");
  EXPECT_EQ(conv.to_utf8("iso-2022-jp", "%a", defects), "%a");
  EXPECT_EQ(conv.to_utf8("ISO-2022-JP", "\x1B$B%a\x1B(B", defects), "メ");
}

TEST(CharsetConverter, OneDefectPerKindPerCall) {
  CharsetConverter conv;
  Defects defects;
  EXPECT_EQ(conv.to_utf8("utf-8", "\xE2\x82-\xE2\x82-\xFF\0\0"sv, defects),
            "\xEF\xBF\xBD-\xEF\xBF\xBD-ÿ");
  EXPECT_EQ(count_kind(defects, DefectKind::invalid_utf8), 1u);
  EXPECT_EQ(count_kind(defects, DefectKind::nul_byte), 1u);
}

// glibc's ISO-10646 (UCS-4) decoder writes code points past U+10FFFF as 5- and 6-byte
// forms that are not UTF-8 (fuzz/regressions/encoded_words): the output is
// repaired with U+FFFD and the defect says so; what is valid passes.
TEST(CharsetConverter, WhatIconvWritesIsCheckedUtf8) {
  CharsetConverter conv;
  for (std::string_view wide : {"\x48\x47\x46\xAE"sv, "\x7F\xFF\xFF\xFF"sv}) {
    Defects defects;
    const std::string out =
        "A" + conv.to_utf8("iso-10646", "\x00\x00\x00\x41"s + std::string(wide), defects);
    EXPECT_TRUE(is_valid_utf8(out)) << out.size();
    EXPECT_TRUE(out.starts_with("AA")) << out;
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_FALSE(defects.empty());
  }
  Defects none;
  EXPECT_EQ(conv.to_utf8("ucs-4be", "\x00\x01\xF3\x89"sv, none), "\xF0\x9F\x8E\x89");
  EXPECT_TRUE(none.empty());
}

TEST(CharsetConverter, LargeBodyInEveryPath) {
  CharsetConverter conv;
  Defects defects;
  std::string latin;
  for (int i = 0; i < 200000; ++i)
    latin +=
        "Gr\xFC\xDF"
        "e \x93x\x94\n";
  const std::string out = conv.to_utf8("iso-8859-15", latin, defects);
  EXPECT_TRUE(is_valid_utf8(out));
  // 0x93 is a C1 control in ISO-8859-15 (not a smart quote as in cp1252).
  EXPECT_TRUE(out.starts_with("Grüße \xC2\x93x\xC2\x94\n"));
  EXPECT_EQ(out.size(), 200000u * 14);
  std::string big5;
  for (int i = 0; i < 100000; ++i) big5 += "\xA4\xA4\xA4\xE5 ";  // 中文
  const std::string zh = conv.to_utf8("big5", big5, defects);
  EXPECT_EQ(zh.size(), 100000u * 7);
  EXPECT_TRUE(zh.starts_with("中文 "));
  EXPECT_TRUE(defects.empty());
}

struct Utf8Case {
  const char* name;
  std::string_view in;
  bool valid;
};

void PrintTo(const Utf8Case& c, std::ostream* os) { *os << c.name; }

const Utf8Case kUtf8Cases[] = {
    {"empty", "", true},
    {"ascii_long", "abcdefghijklmnopqrstuvwxyz0123456789", true},
    {"two_byte", "\xC3\xA9", true},
    {"three_byte", "\xE2\x82\xAC", true},
    {"four_byte", "\xF0\x9F\x98\x80", true},
    {"overlong_nul", "\xC0\x80", false},
    {"overlong_three", "\xE0\x80\xAF", false},
    {"surrogate", "\xED\xA0\x80", false},
    {"past_max", "\xF4\x90\x80\x80", false},
    {"lone_continuation", "\x80", false},
    {"truncated_at_end", "abcdefgh\xE2\x82", false},
    {"bad_after_ascii_words", "abcdefghijklmnop\xFFqrstuvwx", false},
    {"valid_after_ascii_words", "abcdefghijklmnop\xC3\xA9qrstuvwx", true},
};

class Utf8Test : public testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Test, ValidatesAndRepairs) {
  const Utf8Case& c = GetParam();
  EXPECT_EQ(is_valid_utf8(c.in), c.valid);
  std::string out;
  EXPECT_EQ(append_repaired_utf8(c.in, out), !c.valid);
  EXPECT_TRUE(is_valid_utf8(out));
  if (c.valid) {
    EXPECT_EQ(out, c.in);
  }
}

INSTANTIATE_TEST_SUITE_P(Charset, Utf8Test, testing::ValuesIn(kUtf8Cases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AppendRepairedUtf8, OneReplacementPerMaximalSubpart) {
  std::string out;
  EXPECT_TRUE(append_repaired_utf8("a\xF0\x9F\x98z\xE2\x82\xAC", out));
  EXPECT_EQ(out, "a\xEF\xBF\xBDz€");
}

}  // namespace
}  // namespace ticketd::parser

namespace ticketd::parser {
namespace {

struct GuessCase {
  const char* name;
  std::string_view in;
  std::string_view want;  // empty: no CJK guess
};

void PrintTo(const GuessCase& c, std::ostream* os) { *os << c.name; }

const GuessCase kGuessCases[] = {
    // "转发：整体提升企业服务水平" in GB2312 (Foxmail, raw Subject).
    {"gb2312_subject",
     "\xD7\xAA\xB7\xA2\xA3\xBA\xD5\xFB\xCC\xE5\xCC\xE1\xC9\xFD\xC6\xF3\xD2\xB5\xB7\xFE\xCE\xF1"
     "\xCB\xAE\xC6\xBD",
     "gb18030"},
    {"shift_jis_subject", "\x83\x63\x81\x5B\x83\x8B", "cp932"},
    {"latin1_words",
     "Gr\xFC\xDF"
     "e aus K\xF6ln, caf\xE9 na\xEFve",
     ""},
    {"cp1252_quotes", "\x93Hallo\x94 \x96 sagte er", ""},
    {"single_pair_is_too_little", "\xC4\xE4nestys", ""},
    {"ascii", "plain", ""},
};

class GuessTest : public testing::TestWithParam<GuessCase> {};

TEST_P(GuessTest, Guesses) { EXPECT_EQ(guess_cjk_charset(GetParam().in), GetParam().want); }

INSTANTIATE_TEST_SUITE_P(Charset, GuessTest, testing::ValuesIn(kGuessCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CharsetConverter, UnlabelledGbkBodyIsGuessed) {
  CharsetConverter conv;
  Defects defects;
  // "机房环境法规" followed by ASCII, no charset (mail whose headers ended early).
  EXPECT_EQ(conv.to_utf8("", "\xBB\xFA\xB7\xBF\xBB\xB7\xBE\xB3\xB7\xA8\xB9\xE6\r\nMessage-ID: <x>",
                         defects),
            "机房环境法规\r\nMessage-ID: <x>");
  ASSERT_EQ(defects.size(), 1u);
  EXPECT_EQ(defects[0].kind, DefectKind::undeclared_8bit);
}

}  // namespace
}  // namespace ticketd::parser
