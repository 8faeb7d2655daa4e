// Tests for parse_address_list, parse_message_ids and parse_rfc5322_date
// (parser/header_text.h, implemented in parser/address.cpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "parser/header_text.h"

namespace ticketd::parser {
namespace {

bool has_defect(const Defects& defects, DefectKind kind) {
  return std::any_of(defects.begin(), defects.end(),
                     [kind](const Defect& d) { return d.kind == kind; });
}

// ---- address lists ----

struct AddressCase {
  const char* name;
  std::string raw;
  std::vector<std::pair<std::string, std::string>> want;  // (display name, address)
  bool bad_address = false;                               // expect defect bad_address
};

std::string PrintToString(const AddressCase& c) { return c.name; }

class AddressListTest : public ::testing::TestWithParam<AddressCase> {};

TEST_P(AddressListTest, Parses) {
  const AddressCase& c = GetParam();
  CharsetConverter conv;
  Defects defects;
  std::vector<Address> got = parse_address_list(c.raw, conv, defects, 1000);
  std::vector<std::pair<std::string, std::string>> flat;
  for (const Address& a : got) flat.emplace_back(a.name, a.address);
  EXPECT_EQ(flat, c.want) << "input: " << c.raw;
  EXPECT_EQ(has_defect(defects, DefectKind::bad_address), c.bad_address) << "input: " << c.raw;
  EXPECT_FALSE(has_defect(defects, DefectKind::too_many_addresses));
}

const AddressCase kAddressCases[] = {
    {"quoted_name_with_comma", R"("Doe, John" <j@x.com>)", {{"Doe, John", "j@x.com"}}},
    {"plain_name", "John Doe <j@x.com>", {{"John Doe", "j@x.com"}}},
    {"bare_address", "j@x.com", {{"", "j@x.com"}}},
    {"angle_only", "<j@x.com>", {{"", "j@x.com"}}},
    {"comment_as_name", "j@x.com (John Doe)", {{"John Doe", "j@x.com"}}},
    {"comment_not_over_name", "John <j@x.com> (Sales)", {{"John", "j@x.com"}}},
    {"comment_after_angle_only", "<j@x.com> (John)", {{"John", "j@x.com"}}},
    {"comment_inside_angle_dropped", "<j@x.com (work)>", {{"", "j@x.com"}}},
    {"list_of_three",
     "a@x.com, \"B\" <b@y.org>, C <c@z.net>",
     {{"", "a@x.com"}, {"B", "b@y.org"}, {"C", "c@z.net"}}},
    {"group", "Team: a@x.com, b@y.com;", {{"", "a@x.com"}, {"", "b@y.com"}}},
    {"group_then_address",
     "Team: a@x.com, B <b@y.com>;, c@z.com",
     {{"", "a@x.com"}, {"B", "b@y.com"}, {"", "c@z.com"}}},
    {"empty_group", "undisclosed-recipients:;", {}},
    {"empty_group_then_address", "undisclosed-recipients:; j@x.com", {{"", "j@x.com"}}},
    {"quoted_local_not_dot_atom", R"("john..doe"@x.com)", {{"", "\"john..doe\"@x.com"}}},
    {"quoted_local_with_space", R"(<"john doe"@x.com>)", {{"", "\"john doe\"@x.com"}}},
    {"quoted_local_dot_atom_unquoted", R"("john.doe"@x.com)", {{"", "john.doe@x.com"}}},
    {"quoted_local_with_at", R"("a@b"@X.com)", {{"", "\"a@b\"@x.com"}}},
    {"missing_closing_bracket", "John <j@x.com", {{"John", "j@x.com"}}, true},
    {"missing_closing_bracket_mid_list",
     "John <j@x.com, Mary <m@y.com>",
     {{"John", "j@x.com"}, {"Mary", "m@y.com"}},
     true},
    {"encoded_word_name", "=?utf-8?Q?J=C3=B6rg?= <j@x>", {{"J\xC3\xB6rg", "j@x"}}},
    {"encoded_word_in_quotes", R"("=?utf-8?Q?J=C3=B6rg?=" <j@x>)", {{"J\xC3\xB6rg", "j@x"}}},
    {"raw_utf8_name",
     "J\xC3\xB6rg M\xC3\xBCller <j@x.de>",
     {{"J\xC3\xB6rg M\xC3\xBCller", "j@x.de"}}},
    {"stray_commas", ",, a@x.com,,, b@y.com ,", {{"", "a@x.com"}, {"", "b@y.com"}}},
    // Outlook separates recipients with ';'.
    {"semicolon_separators",
     "A <a@x.com>; B <b@y.com>; c@z.com",
     {{"A", "a@x.com"}, {"B", "b@y.com"}, {"", "c@z.com"}}},
    {"route", "<@relay.example:j@x.com>", {{"", "j@x.com"}}},
    {"route_two_hops", "John <@r1.example,@r2.example:j@x.com>", {{"John", "j@x.com"}}},
    {"domain_lowercased_local_kept", "John.Doe@Example.COM", {{"", "John.Doe@example.com"}}},
    {"spaces_inside_angle", "John < j@x.com >", {{"John", "j@x.com"}}},
    {"folded_header",
     "John\r\n Doe <j@x.com>,\r\n\tMary <m@y.com>",
     {{"John Doe", "j@x.com"}, {"Mary", "m@y.com"}}},
    {"escaped_quote_in_name", R"("John \"JD\" Doe" <j@x.com>)", {{"John \"JD\" Doe", "j@x.com"}}},
    {"unquoted_comma_name", "Doe, John <j@x.com>", {{"Doe, John", "j@x.com"}}},
    {"mailer_daemon_without_at", "MAILER-DAEMON", {{"", "MAILER-DAEMON"}}, true},
    {"words_without_address", "Undisclosed recipients", {}, true},
    {"null_sender", "<>", {}},
    {"name_without_brackets", "John Doe j@x.com", {{"John Doe", "j@x.com"}}, true},
    {"obsolete_spaces_around_at", "john @ x.com", {{"", "john@x.com"}}},
    {"double_brackets", "John <<j@x.com>>", {{"John", "j@x.com"}}},
    // The Zammad sender-spoofing case: an encoded word in the local part must
    // not be decoded into a different address.
    {"encoded_word_in_local_part_not_decoded",
     "=?utf-8?Q?attacker?Q?agent?=@victim.example",
     {{"", "=?utf-8?Q?attacker?Q?agent?=@victim.example"}}},
    {"encoded_at_sign_in_local_part",
     "=?utf-8?Q?attacker=40evil.example?=@victim.example",
     {{"", "=?utf-8?Q?attacker=40evil.example?=@victim.example"}}},
    {"encoded_name_cannot_inject_address",
     "=?utf-8?Q?x=3Cattacker=40evil.example=3E?= <j@x.com>",
     {{"x<attacker@evil.example>", "j@x.com"}}},
    {"empty", "", {}},
    {"whitespace_only", "  \r\n ", {}},
};

INSTANTIATE_TEST_SUITE_P(Cases, AddressListTest, ::testing::ValuesIn(kAddressCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(AddressListCap, HundredThousandAddressesAreCapped) {
  std::string raw;
  raw.reserve(100000 * 24);
  for (int i = 0; i < 100000; ++i) {
    raw += "User ";
    raw += std::to_string(i);
    raw += " <u";
    raw += std::to_string(i);
    raw += "@x.com>, ";
  }
  CharsetConverter conv;
  Defects defects;
  std::vector<Address> got = parse_address_list(raw, conv, defects, 1000);
  ASSERT_EQ(got.size(), 1000u);
  EXPECT_EQ(got.front().address, "u0@x.com");
  EXPECT_EQ(got.back().address, "u999@x.com");
  EXPECT_EQ(got.back().name, "User 999");
  EXPECT_TRUE(has_defect(defects, DefectKind::too_many_addresses));
  EXPECT_LE(defects.size(), 1u);
}

TEST(AddressListCap, HundredThousandBareAddressesUncapped) {
  std::string raw;
  for (int i = 0; i < 100000; ++i) raw += "a" + std::to_string(i) + "@x.com,";
  CharsetConverter conv;
  Defects defects;
  std::vector<Address> got = parse_address_list(raw, conv, defects, 200000);
  ASSERT_EQ(got.size(), 100000u);
  EXPECT_EQ(got[54321].address, "a54321@x.com");
  EXPECT_TRUE(defects.empty());
}

TEST(AddressListHostile, UnterminatedTokensDoNotCrash) {
  const std::string inputs[] = {std::string(50000, '<'), std::string(50000, '('),
                                std::string(50000, '"'), "\"unterminated <a@x.com>",
                                "(unterminated a@x.com", "a@x.com \\",
                                ":::;;;,,,<<>>",         std::string(20000, ':') + "a@x"};
  for (const std::string& raw : inputs) {
    CharsetConverter conv;
    Defects defects;
    std::vector<Address> got = parse_address_list(raw, conv, defects, 1000);
    EXPECT_LE(got.size(), 1000u);
  }
}

TEST(AddressListCap, ZeroCapKeepsNothing) {
  CharsetConverter conv;
  Defects defects;
  EXPECT_TRUE(parse_address_list("a@x.com", conv, defects, 0).empty());
  EXPECT_TRUE(has_defect(defects, DefectKind::too_many_addresses));
}

// ---- message ids ----

struct MessageIdCase {
  const char* name;
  std::string raw;
  std::vector<std::string> want;
  std::size_t max = 500;
};

class MessageIdTest : public ::testing::TestWithParam<MessageIdCase> {};

TEST_P(MessageIdTest, Extracts) {
  const MessageIdCase& c = GetParam();
  EXPECT_EQ(parse_message_ids(c.raw, c.max), c.want) << "input: " << c.raw;
}

const MessageIdCase kMessageIdCases[] = {
    {"single", "<abc@x.com>", {"abc@x.com"}},
    {"references_in_order", "<a@x>\r\n <b@y> <c@z>", {"a@x", "b@y", "c@z"}},
    {"duplicates_removed", "<a@x> <b@y> <a@x>", {"a@x", "b@y"}},
    {"comment_ignored", "<a@x> (sent by (nested) foo <evil@x>) <b@y>", {"a@x", "b@y"}},
    {"no_brackets", "a@x, b@y c@z", {"a@x", "b@y", "c@z"}},
    {"no_brackets_tokens_without_at_skipped", "hello a@x world", {"a@x"}},
    {"glued_without_space", "<a@x><b@y>", {"a@x", "b@y"}},
    {"text_around_brackets", "Your message <a@x> of today", {"a@x"}},
    {"empty_brackets", "<> <a@x>", {"a@x"}},
    {"truncated_last", "<a@x> <b@y", {"a@x", "b@y"}},
    {"capped", "<a@x> <b@x> <c@x> <d@x>", {"a@x", "b@x"}, 2},
    {"empty", "", {}},
    {"folded_inside_id", "<abc\r\n def@x>", {"abcdef@x"}},
};

INSTANTIATE_TEST_SUITE_P(Cases, MessageIdTest, ::testing::ValuesIn(kMessageIdCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MessageIdHostile, ManyOpeningBracketsStayLinear) {
  std::string raw(200000, '<');
  EXPECT_TRUE(parse_message_ids(raw).empty());
}

// ---- dates ----

struct DateCase {
  const char* name;
  std::string raw;
  bool ok;
  std::int64_t want = 0;
};

class DateTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(DateTest, Parses) {
  const DateCase& c = GetParam();
  std::int64_t got = -1;
  ASSERT_EQ(parse_rfc5322_date(c.raw, got), c.ok) << "input: " << c.raw;
  if (c.ok) {
    EXPECT_EQ(got, c.want) << "input: " << c.raw;
  }
}

// 2003-07-01T08:52:37Z
constexpr std::int64_t kJul2003 = 1057049557;

const DateCase kDateCases[] = {
    {"rfc5322", "Tue, 1 Jul 2003 10:52:37 +0200", true, kJul2003},
    {"no_weekday", "1 Jul 2003 10:52:37 +0200", true, kJul2003},
    {"comment_zone", "Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", true, kJul2003},
    {"utc_plus_zero", "Tue, 01 Jul 2003 08:52:37 +0000", true, kJul2003},
    {"negative_zone", "Tue, 1 Jul 2003 01:52:37 -0700", true, kJul2003},
    {"gmt", "Tue, 1 Jul 2003 08:52:37 GMT", true, kJul2003},
    {"ut", "Tue, 1 Jul 2003 08:52:37 UT", true, kJul2003},
    {"edt", "Tue, 1 Jul 2003 04:52:37 EDT", true, kJul2003},
    {"est", "Tue, 1 Jul 2003 03:52:37 EST", true, kJul2003},
    {"cst", "Tue, 1 Jul 2003 02:52:37 CST", true, kJul2003},
    {"cdt", "Tue, 1 Jul 2003 03:52:37 CDT", true, kJul2003},
    {"mst", "Tue, 1 Jul 2003 01:52:37 MST", true, kJul2003},
    {"mdt", "Tue, 1 Jul 2003 02:52:37 MDT", true, kJul2003},
    {"pst", "Tue, 1 Jul 2003 00:52:37 PST", true, kJul2003},
    {"pdt", "Tue, 1 Jul 2003 01:52:37 PDT", true, kJul2003},
    {"military_letter_is_zero", "Tue, 1 Jul 2003 08:52:37 Z", true, kJul2003},
    {"military_other_letter_is_zero", "Tue, 1 Jul 2003 08:52:37 A", true, kJul2003},
    {"no_zone_is_utc", "Tue, 1 Jul 2003 08:52:37", true, kJul2003},
    {"missing_seconds", "Tue, 1 Jul 2003 10:52 +0200", true, kJul2003 - 37},
    {"two_digit_year_2000s", "Tue, 1 Jul 03 10:52:37 +0200", true, kJul2003},
    {"two_digit_year_1900s", "Thu, 1 Jan 70 00:00:00 +0000", true, 0},
    {"two_digit_year_49", "1 Jan 49 00:00:00 +0000", true, 2493072000},
    {"two_digit_year_50", "1 Jan 50 00:00:00 +0000", true, -631152000},
    {"three_digit_year", "1 Jan 103 00:00:00 +0000", true, 1041379200},
    {"extra_spaces", "  Tue,   1   Jul   2003   10:52:37   +0200  ", true, kJul2003},
    {"folded", "Tue, 1 Jul 2003\r\n 10:52:37 +0200", true, kJul2003},
    {"german_weekday_junk", "Mi., 13 Jun 2012 10:00:00 +0200", true, 1339574400},
    {"french_weekday_that_looks_like_march", "mar., 13 Jun 2012 10:00:00 +0200", true, 1339574400},
    {"dashes", "01-Jul-2003 10:52:37 +0200", true, kJul2003},
    {"asctime", "Tue Jul  1 08:52:37 2003", true, kJul2003},
    {"full_month_name", "1 July 2003 10:52:37 +0200", true, kJul2003},
    {"lowercase", "tue, 1 jul 2003 10:52:37 +0200", true, kJul2003},
    {"zone_with_colon", "Tue, 1 Jul 2003 10:52:37 +02:00", true, kJul2003},
    {"gmt_with_offset", "Tue, 1 Jul 2003 10:52:37 GMT+0200", true, kJul2003},
    {"zone_glued_to_time", "Tue, 1 Jul 2003 10:52:37+0200", true, kJul2003},
    {"pm", "Tue, 1 Jul 2003 08:52:37 PM +1200", true, kJul2003},
    {"leap_day", "29 Feb 2024 00:00:00 +0000", true, 1709164800},
    {"before_epoch", "31 Dec 1969 23:59:59 +0000", true, -1},
    {"far_future", "1 Jan 2100 00:00:00 +0000", true, 4102444800},
    {"empty", "", false},
    {"garbage", "not a date", false},
    {"no_month", "1 2003 10:52:37", false},
    {"feb_30", "30 Feb 2003 10:00:00 +0000", false},
    {"no_leap_day", "29 Feb 2023 00:00:00 +0000", false},
    {"bad_hour", "1 Jul 2003 25:00:00 +0000", false},
};

INSTANTIATE_TEST_SUITE_P(Cases, DateTest, ::testing::ValuesIn(kDateCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace ticketd::parser

// Corpus-style senders (Zammad mail035 / mail071 shapes, our own text).
TEST(AddressListRegression, QuotedWholeAddressIsTheAddress) {
  ticketd::parser::CharsetConverter conv;
  ticketd::parser::Defects defects;
  auto list =
      ticketd::parser::parse_address_list("\"loans7@offers.example.com\"", conv, defects, 100);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].address, "loans7@offers.example.com");
}

TEST(AddressListRegression, UnquotedSpacesInLocalPartAreQuoted) {
  ticketd::parser::CharsetConverter conv;
  ticketd::parser::Defects defects;
  auto list = ticketd::parser::parse_address_list("\"past\" <big  secret plan@Example.com>", conv,
                                                  defects, 100);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].address, "\"big secret plan\"@example.com");
  EXPECT_EQ(list[0].name, "past");
  auto spaced = ticketd::parser::parse_address_list("john @ example.com", conv, defects, 100);
  ASSERT_EQ(spaced.size(), 1u);
  EXPECT_EQ(spaced[0].address, "john@example.com");
}
