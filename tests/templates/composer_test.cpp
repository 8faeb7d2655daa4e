// The composer against our own parser: every composed mail must re-parse to
// exactly the intended headers, bodies and attachments, without defects, and
// keep the wire rules (CRLF only, lines ≤ 998, encoded words ≤ 75, no Bcc).
#include "templates/composer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "parser/charset.h"
#include "parser/codec.h"
#include "parser/header_text.h"
#include "parser/parse.h"
#include "templates/encode.h"

namespace ticketd::templates {
namespace {

namespace parser = ticketd::parser;

OutgoingMail base_mail() {
  OutgoingMail m;
  m.from = {"Example Support", "support@example.com"};
  m.to = {{"Ann Customer", "ann@example.org"}};
  m.subject = "Re: printer on fire [#TD-1001]";
  m.message_id = "td.1001.3f2a@example.com";
  m.in_reply_to = "abc.123@mail.example.org";
  m.references = {"first.1@mail.example.org", "abc.123@mail.example.org"};
  m.date = 1700000000;
  m.auto_submitted = "auto-replied";
  m.text = "Hello Ann,\n\nwe got your mail and opened ticket TD-1001.\n";
  m.extra_headers = {{"X-Ticketd-Ticket", "TD-1001"}};
  return m;
}

std::string compose_ok(const OutgoingMail& m) {
  auto r = compose(m);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().detail);
  return r ? *r : std::string();
}

std::string lf_only(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out.push_back(s[i]);
  return out;
}

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

std::string header_block(const std::string& raw) { return raw.substr(0, raw.find("\r\n\r\n") + 2); }

std::string top_body(const std::string& raw) { return raw.substr(raw.find("\r\n\r\n") + 4); }

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

// The wire rules every composed mail keeps; `max_header_line` is 78 unless a
// case writes an unfoldable structured value on purpose.
void expect_wire_form(const std::string& raw, std::size_t max_header_line = 78) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at " << i;
    }
    if (raw[i] == '\r') {
      ASSERT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    }
    ASSERT_NE(raw[i], '\0') << "NUL at " << i;
  }
  ASSERT_TRUE(raw.ends_with("\r\n"));
  for (const std::string& line : lines_of(raw)) {
    EXPECT_LE(line.size(), 998u) << line.substr(0, 60);
    EXPECT_TRUE(std::all_of(line.begin(), line.end(),
                            [](char c) {
                              return is_ascii({&c, 1}) || c == '\t';
                            }))
        << "8-bit or control byte: " << line.substr(0, 60);
  }
  const std::string head = header_block(raw);
  for (const std::string& line : lines_of(head))
    EXPECT_LE(line.size(), max_header_line) << line.substr(0, 60);
  // No Bcc, and nothing injected that could pass for one in any part header.
  for (const std::string& line : lines_of(raw))
    EXPECT_FALSE(starts_with_nocase(line, "Bcc:")) << line;
  static const std::regex kWord(R"(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)");
  for (auto it = std::sregex_iterator(raw.begin(), raw.end(), kWord); it != std::sregex_iterator();
       ++it)
    EXPECT_LE(it->length(), 75) << it->str();
}

std::string describe(const parser::Defects& defects) {
  std::string out;
  for (const auto& d : defects)
    out += std::string(parser::defect_name(d.kind)) + "(" + d.detail + ") ";
  return out;
}

void expect_same_addresses(const std::vector<parser::Address>& got,
                           const std::vector<MailAddress>& want, std::string_view what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].name, want[i].name) << what << "[" << i << "]";
    EXPECT_EQ(got[i].address, want[i].address) << what << "[" << i << "]";
  }
}

void expect_same_attachments(const parser::Message& p, const OutgoingMail& m) {
  ASSERT_EQ(p.attachments.size(), m.attachments.size());
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    // A nameless attachment comes back with a name the parser made up
    // (parser/attachment_name.h: "document.txt", "file", ...).
    if (m.attachments[i].filename.empty())
      EXPECT_FALSE(p.attachments[i].filename.empty()) << i;
    else
      EXPECT_EQ(p.attachments[i].filename, m.attachments[i].filename) << i;
    EXPECT_EQ(p.attachments[i].content_type, m.attachments[i].content_type) << i;
    EXPECT_EQ(p.attachments[i].data, m.attachments[i].data) << i;
    EXPECT_FALSE(p.attachments[i].inline_part) << i;
  }
}

void expect_same_headers(const parser::Message& p, const OutgoingMail& m) {
  EXPECT_EQ(p.from.name, m.from.name);
  EXPECT_EQ(p.from.address, m.from.address);
  expect_same_addresses(p.to, m.to, "to");
  expect_same_addresses(p.cc, m.cc, "cc");
  expect_same_addresses(
      p.reply_to, m.reply_to ? std::vector<MailAddress>{*m.reply_to} : std::vector<MailAddress>{},
      "reply_to");
  EXPECT_EQ(p.subject, m.subject);
  EXPECT_EQ(p.keys.message_id, m.message_id);
  EXPECT_EQ(p.keys.in_reply_to, m.in_reply_to);
  EXPECT_EQ(p.keys.references, m.references);
  EXPECT_EQ(p.date, m.date);
  ASSERT_NE(p.header("MIME-Version"), nullptr);
  EXPECT_EQ(*p.header("MIME-Version"), "1.0");
  if (m.auto_submitted.empty()) {
    EXPECT_EQ(p.header("Auto-Submitted"), nullptr);
  } else {
    ASSERT_NE(p.header("Auto-Submitted"), nullptr);
    EXPECT_EQ(*p.header("Auto-Submitted"), m.auto_submitted);
    // Automatic, and for the reason the header gives (the class may be refined
    // by other evidence: an auto-generated mail that answers one is an auto-reply).
    EXPECT_NE(p.auto_kind, parser::AutoKind::none);
    EXPECT_TRUE(std::any_of(p.auto_evidence.begin(), p.auto_evidence.end(), [&](const auto& e) {
      return e.detail == "Auto-Submitted: " + m.auto_submitted;
    }));
  }
  parser::CharsetConverter conv;
  for (const auto& [name, value] : m.extra_headers) {
    const std::string* got = p.header(name);
    ASSERT_NE(got, nullptr) << name;
    if (is_ascii(value)) {
      EXPECT_EQ(*got, value) << name;
    } else {
      parser::Defects d;
      EXPECT_EQ(parser::decode_header_text(*got, conv, d), value) << name;
    }
  }
  for (const auto& [name, value] : p.headers) EXPECT_FALSE(starts_with_nocase(name, "Bcc")) << name;
}

// Composes `m`, checks the wire form, re-parses and compares everything.
std::string expect_round_trip(const OutgoingMail& m, std::size_t max_header_line = 78) {
  const std::string raw = compose_ok(m);
  expect_wire_form(raw, max_header_line);
  const parser::Message p = parser::parse_message(raw);
  EXPECT_TRUE(p.defects.empty()) << describe(p.defects);
  expect_same_headers(p, m);
  EXPECT_EQ(p.text, m.text);
  EXPECT_EQ(p.html.has_value(), m.html.has_value());
  // The parser keeps the HTML with the wire's CRLF line ends (the text gets LF).
  if (m.html && p.html) {
    EXPECT_EQ(lf_only(*p.html), *m.html);
  }
  expect_same_attachments(p, m);
  return raw;
}

// ---- round trips --------------------------------------------------------------

std::string repeat_to(std::string_view unit, std::size_t code_points) {
  std::string out;
  std::size_t n = 0;
  while (n < code_points) {
    for (std::size_t i = 0; i < unit.size() && n < code_points;) {
      std::size_t len = 1;
      const unsigned char c = static_cast<unsigned char>(unit[i]);
      if (c >= 0xF0)
        len = 4;
      else if (c >= 0xE0)
        len = 3;
      else if (c >= 0xC0)
        len = 2;
      out.append(unit.substr(i, len));
      i += len;
      ++n;
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

struct RoundTripCase {
  const char* name;
  std::function<void(OutgoingMail&)> edit;
  std::size_t max_header_line = 78;
};

const std::vector<RoundTripCase>& round_trip_cases() {
  static const std::vector<RoundTripCase> cases = {
      {"plain_ascii", [](OutgoingMail&) {}},
      {"only_required_fields",
       [](OutgoingMail& m) {
         m = OutgoingMail{};
         m.from = {"", "support@example.com"};
         m.cc = {{"", "watcher@example.net"}};
         m.message_id = "x@y";
       }},
      {"reply_to_and_cc",
       [](OutgoingMail& m) {
         m.reply_to = MailAddress{"Helpdesk Replies", "support+td-1001@example.com"};
         m.cc = {{"Bob", "bob@example.net"}, {"", "carol@example.net"}};
       }},
      {"japanese",
       [](OutgoingMail& m) {
         m.subject = "Re: お問い合わせの件について — 受付番号 [#TD-1001]";
         m.from.name = "サポート窓口";
         m.to = {{"山田 太郎", "taro@example.jp"}, {"佐藤花子", "hanako@example.jp"}};
         m.text =
             "山田様\n\nお問い合わせありがとうございます。\n担当者より折り返しご連絡いたします。\n";
       }},
      {"german_umlauts",
       [](OutgoingMail& m) {
         m.subject = "Ärger mit der Größe: übermäßig viele Änderungen";
         m.from.name = "Jürgen Müller-Lüdenscheidt";
         m.to = {{"Björn Ødegård", "bjoern@example.de"}};
         m.cc = {{"Weiß, Straße", "weiss@example.de"}};
         m.text = "Grüße aus Köln!\nÄÖÜ äöü ß\n";
       }},
      {"emoji",
       [](OutgoingMail& m) {
         m.subject = "Thanks 🎉🙂 for writing — we are on it 🚀";
         m.from.name = "Zoë 🚀 Support";
         m.text = "👍 Got it.\n";
       }},
      {"subject_2000_multibyte",
       [](OutgoingMail& m) { m.subject = repeat_to("日本語テキスト🎉äöü漢字", 2000); }},
      {"subject_long_ascii_words",
       [](OutgoingMail& m) {
         m.subject.clear();
         for (int i = 0; i < 60; ++i) m.subject += "word" + std::to_string(i) + " ";
         m.subject += "end";
       }},
      {"subject_space_runs",
       [](OutgoingMail& m) { m.subject = "Re:  two  spaces   three    four"; }},
      {"subject_looks_encoded",
       [](OutgoingMail& m) { m.subject = "literal =?utf-8?Q?not_a_word?= text"; }},
      {"subject_one_long_word",
       [](OutgoingMail& m) {
         m.subject = "see https://example.com/" + std::string(300, 'a') + " please";
       }},
      {"subject_ascii_specials",
       [](OutgoingMail& m) { m.subject = "a (comment) \"quote\" <x@y> \\ ; : , [#TD-1]"; }},
      {"subject_empty", [](OutgoingMail& m) { m.subject.clear(); }},
      {"names_with_specials",
       [](OutgoingMail& m) {
         m.from.name = "Doe, John \"JD\" \\ Jr.";
         m.to = {{"a (not a comment) b", "a@example.org"},
                 {"semi;colon <x@y>", "b@example.org"},
                 {"at@sign", "c@example.org"},
                 {"back\\slash \"quoted\"", "d@example.org"},
                 {"two  spaces", "e@example.org"},
                 {"=?utf-8?Q?x?=", "f@example.org"},
                 {"Group: member", "g@example.org"}};
       }},
      {"long_names",
       [](OutgoingMail& m) {
         m.from.name = std::string(120, 'A') + " " + std::string(40, 'b');
         m.to = {{"Very Long Name " + std::string(90, 'x') + ", with comma", "ann@example.org"},
                 {repeat_to("長い名前", 150), "long@example.jp"}};
       }},
      {"names_just_over_a_line",
       [](OutgoingMail& m) {
         m.reply_to = MailAddress{"Lee, " + std::string(62, 'r'), "reply@example.com"};
         m.to = {{std::string(67, 'a'), "a@example.org"}, {std::string(66, 'b'), "b@example.org"}};
       }},
      {"many_recipients",
       [](OutgoingMail& m) {
         m.to.clear();
         for (int i = 0; i < 30; ++i)
           m.to.push_back(
               {"Person " + std::to_string(i), "p" + std::to_string(i) + "@example.org"});
         for (int i = 0; i < 10; ++i)
           m.cc.push_back({"Kollegin Nr. " + std::to_string(i) + " Größe",
                           "c" + std::to_string(i) + "@example.de"});
       }},
      {"long_body_lines",
       [](OutgoingMail& m) {
         m.text = std::string(5000, 'x') + "\n" + repeat_to("é日🎉", 5000) + "\n" +
                  std::string(3000, '=') + "\n" + std::string(2000, ' ') + "\n";
       }},
      {"risky_lines",
       [](OutgoingMail& m) {
         m.text =
             "From the desk of Ann\n.\n.leading dot\n..\ntrailing spaces   \ntrailing tab\t\n "
             "\n\t\n"
             "From \nFrom\n=3D literal\nline with\ttab\n\n\nlast";
       }},
      {"text_without_final_newline", [](OutgoingMail& m) { m.text = "no newline at the end"; }},
      {"text_ending_in_76_chars", [](OutgoingMail& m) { m.text = std::string(76, 'y'); }},
      {"text_control_bytes",
       [](OutgoingMail& m) { m.text = std::string("bell\x07 esc\x1b del\x7f ok\n"); }},
      {"empty_text", [](OutgoingMail& m) { m.text.clear(); }},
      {"html_alternative",
       [](OutgoingMail& m) {
         m.text = "Hello Ann,\nsee below.\n";
         m.html = "<html><body>\n<p>Hello <b>Ann</b>,</p>\n<p>Grüße — 🎉</p>\n</body></html>\n";
       }},
      {"attachments",
       [](OutgoingMail& m) {
         m.attachments = {
             {"report.pdf", "application/pdf", "%PDF-1.4\n..."},
             {"Rechnung März 2024.pdf", "application/pdf", all_bytes(3)},
             {"見積書.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              all_bytes(1)},
             {repeat_to("とても長いファイル名", 120) + ".txt", "text/plain", "plain\r\ntext\n"},
             {"a \"b\" \\c.txt", "text/plain", "x"},
             {std::string(25, '"') + std::string(25, '\\'), "text/plain", "quotes"},
             {"=?utf-8?Q?looks_encoded?=.bin", "application/octet-stream", "y"},
             {"", "application/octet-stream", all_bytes(2)},
             {"empty.dat", "application/octet-stream", ""},
             {std::string(90, 'n') + ".log", "text/plain", "long ascii name"},
             {"semi;colon=equals%percent'quote*star.txt", "text/plain", "z"},
             // CR/LF in a name (decoded from a hostile incoming mail) go out percent-encoded.
             {"a\r\nBcc: victim@example.net\r\n.txt", "text/plain", "crlf"},
             {"tab\there\rcr\nlf.txt", "text/plain", "crlf"},
         };
       }},
      {"attachments_with_html",
       [](OutgoingMail& m) {
         m.html = "<p>see attached</p>";
         m.attachments = {{"data.bin", "application/octet-stream", all_bytes(4)},
                          {"inner.html", "text/html", "<p>not the body</p>"}};
       }},
      {"extra_headers",
       [](OutgoingMail& m) {
         m.extra_headers = {
             {"X-Ticketd-Ticket", "TD-1001"},
             {"X-Ticketd-Token", std::string(40, 'f')},
             {"List-Unsubscribe", "<mailto:unsubscribe@example.com?subject=ticket%20TD-1001>"},
             {"X-Long",
              "one two three four five six seven eight nine ten eleven twelve thirteen "
              "fourteen fifteen sixteen seventeen eighteen nineteen twenty"},
             {"X-Spaces", "a  b   c"},
             {"X-Unicode", "Grüße 🎉"},
             {"X-Empty", ""},
             {"x-lower-case", "ok"},
         };
       }},
      {"extra_header_long_word",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X-Url", "https://example.com/" + std::string(500, 'q')}};
       },
       600},
      {"long_references",
       [](OutgoingMail& m) {
         m.references.clear();
         for (int i = 0; i < 40; ++i)
           m.references.push_back("ref." + std::to_string(i) + ".abcdef@mail.example.org");
         m.in_reply_to = m.references.back();
       }},
      {"message_id_odd_chars",
       [](OutgoingMail& m) { m.message_id = "a.b+c=d/e$f!#%&'*?^_`{|}~@[127.0.0.1]"; }},
      {"auto_generated", [](OutgoingMail& m) { m.auto_submitted = "auto-generated"; }},
      {"no_auto_submitted", [](OutgoingMail& m) { m.auto_submitted.clear(); }},
  };
  return cases;
}

void PrintTo(const RoundTripCase& c, std::ostream* os) { *os << c.name; }

class ComposerRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(ComposerRoundTrip, ReparsesToTheSameMail) {
  OutgoingMail m = base_mail();
  GetParam().edit(m);
  expect_round_trip(m, GetParam().max_header_line);
}

INSTANTIATE_TEST_SUITE_P(Cases, ComposerRoundTrip, ::testing::ValuesIn(round_trip_cases()),
                         [](const ::testing::TestParamInfo<RoundTripCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(Composer, LongBodyLinesAreQuotedPrintableWithin76) {
  const std::vector<std::string> texts = {
      std::string(5000, 'x') + "\n" + repeat_to("日本", 5000) + "\n",
      std::string(5000, 'x'),  // no final line break: ends in a soft break
      std::string(76, 'x'),
      std::string(75, 'x') + " ",
      std::string(998, '=') + "\n" + std::string(1200, ' ') + "\n",
  };
  for (const std::string& text : texts) {
    OutgoingMail m = base_mail();
    m.text = text;
    const std::string raw = expect_round_trip(m);
    EXPECT_NE(header_block(raw).find("Content-Transfer-Encoding: quoted-printable"),
              std::string::npos);
    for (const std::string& line : lines_of(top_body(raw))) EXPECT_LE(line.size(), 76u) << line;
  }
}

TEST(Composer, Long2000CharacterSubjectIsFoldedEncodedWords) {
  OutgoingMail m = base_mail();
  m.subject = repeat_to("日本語テキスト🎉äöü漢字", 2000);
  const std::string raw = expect_round_trip(m);
  const std::string head = header_block(raw);
  const std::size_t at = head.find("Subject:");
  ASSERT_NE(at, std::string::npos);
  std::size_t folded_lines = 0;
  for (std::size_t p = head.find("\r\n ", at);
       p != std::string::npos && p < head.find("\r\nMessage-ID", at); p = head.find("\r\n ", p + 1))
    ++folded_lines;
  EXPECT_GT(folded_lines, 50u);  // 2,000 characters of ~3.3 bytes cannot fit in a few lines
  // Each word on its own is whole UTF-8 (the parser would mend a split one).
  static const std::regex kWord(R"(=\?utf-8\?([BQ])\?([^?\s]*)\?=)");
  std::size_t words = 0;
  for (auto it = std::sregex_iterator(head.begin(), head.end(), kWord);
       it != std::sregex_iterator(); ++it, ++words) {
    std::string bytes;
    parser::Defects d;
    if ((*it)[1] == "B")
      parser::decode_base64((*it)[2].str(), bytes, d);
    else
      parser::decode_quoted_printable((*it)[2].str(), bytes, d, true);
    EXPECT_TRUE(parser::is_valid_utf8(bytes)) << it->str();
  }
  EXPECT_GT(words, 50u);
}

TEST(Composer, HeaderOrderAndForms) {
  OutgoingMail m = base_mail();
  m.reply_to = MailAddress{"", "reply@example.com"};
  m.cc = {{"", "cc@example.org"}};
  const std::string head = header_block(compose_ok(m));
  std::vector<std::string> names;
  for (const std::string& line : lines_of(head))
    if (!line.empty() && line[0] != ' ') names.push_back(line.substr(0, line.find(':')));
  EXPECT_EQ(names, (std::vector<std::string>{"Date", "From", "Reply-To", "To", "Cc", "Subject",
                                             "Message-ID", "In-Reply-To", "References",
                                             "Auto-Submitted", "MIME-Version", "X-Ticketd-Ticket",
                                             "Content-Type", "Content-Transfer-Encoding"}));
  EXPECT_NE(head.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos);
  EXPECT_NE(head.find("From: Example Support <support@example.com>\r\n"), std::string::npos);
  EXPECT_NE(head.find("Message-ID: <td.1001.3f2a@example.com>\r\n"), std::string::npos);
  EXPECT_NE(head.find("In-Reply-To: <abc.123@mail.example.org>\r\n"), std::string::npos);
  EXPECT_NE(head.find("References: <first.1@mail.example.org> <abc.123@mail.example.org>\r\n"),
            std::string::npos);
  EXPECT_NE(head.find("Auto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
}

TEST(Composer, DatesAreRfc5322Utc) {
  const std::vector<std::pair<std::int64_t, std::string>> cases = {
      {0, "Thu, 01 Jan 1970 00:00:00 +0000"},
      {1700000000, "Tue, 14 Nov 2023 22:13:20 +0000"},
      {951782400, "Tue, 29 Feb 2000 00:00:00 +0000"},
      {-1, "Wed, 31 Dec 1969 23:59:59 +0000"},
      {4102444799, "Thu, 31 Dec 2099 23:59:59 +0000"},
  };
  for (const auto& [epoch, want] : cases) {
    OutgoingMail m = base_mail();
    m.date = epoch;
    const std::string raw = compose_ok(m);
    EXPECT_NE(raw.find("Date: " + want + "\r\n"), std::string::npos) << epoch;
    EXPECT_EQ(parser::parse_message(raw).date, epoch);
  }
}

TEST(Composer, MimeStructure) {
  OutgoingMail m = base_mail();
  std::string head = header_block(compose_ok(m));
  EXPECT_NE(head.find("Content-Type: text/plain; charset=utf-8"), std::string::npos);

  m.html = "<p>x</p>";
  const std::string alt = compose_ok(m);
  EXPECT_NE(header_block(alt).find("multipart/alternative;"), std::string::npos);
  EXPECT_NE(alt.find("boundary=\"=_alt_" + hash_hex(m.message_id) + "\""), std::string::npos);

  m.attachments = {{"a.txt", "text/plain", "a"}};
  const std::string mixed = compose_ok(m);
  EXPECT_NE(header_block(mixed).find("multipart/mixed;"), std::string::npos);
  EXPECT_NE(mixed.find("boundary=\"=_mix_" + hash_hex(m.message_id) + "\""), std::string::npos);
  EXPECT_NE(mixed.find("Content-Disposition: attachment; filename=\"a.txt\"\r\n"),
            std::string::npos);
  EXPECT_NE(mixed.find("Content-Transfer-Encoding: base64\r\n"), std::string::npos);
}

TEST(Composer, NonAsciiFilenameUsesRfc2231WithAsciiFallback) {
  OutgoingMail m = base_mail();
  m.attachments = {{"Größe.pdf", "application/pdf", "x"}};
  const std::string raw = compose_ok(m);
  EXPECT_NE(raw.find("filename=\"Gr__e.pdf\";"), std::string::npos) << raw;
  EXPECT_NE(raw.find("filename*=utf-8''Gr%C3%B6%C3%9Fe.pdf"), std::string::npos) << raw;
}

TEST(Composer, InvalidAttachmentTypeIsSentAsOctetStream) {
  OutgoingMail m = base_mail();
  // message/* and multipart/* may not be base64 (RFC 2046), so they go as bytes too.
  m.attachments = {{"a.bin", "text/plain; charset=\"x\"", "x"},
                   {"b.bin", "no-slash", "y"},
                   {"c.eml", "message/rfc822", "Subject: x\r\n\r\nbody\r\n"},
                   {"d.bin", "Multipart/Mixed", "z"},
                   {"e.bin", "text/", "z"},
                   {"f.bin", "a b/c", "z"}};
  const parser::Message p = parser::parse_message(compose_ok(m));
  EXPECT_TRUE(p.defects.empty()) << describe(p.defects);
  ASSERT_EQ(p.attachments.size(), m.attachments.size());
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    EXPECT_EQ(p.attachments[i].content_type, "application/octet-stream") << i;
    EXPECT_EQ(p.attachments[i].filename, m.attachments[i].filename) << i;
    EXPECT_EQ(p.attachments[i].data, m.attachments[i].data) << i;
  }
}

// Random mixes of ASCII specials, spaces and multibyte characters in every
// header text, file name and body (fixed seed, so failures reproduce).
std::string random_text(std::mt19937& rng, std::size_t max_len, bool header) {
  static const std::vector<std::string> kPool = {
      "a", "Z", "0", " ", " ",  "  ", "\"", "\\",   "(",    ")", ",", ";",
      ":", "<", ">", "@", "=",  "?",  "=?", "?=",   "_",    ".", "'", "*",
      "%", "ä", "ß", "€", "日", "本", "🎉",  "\x7f", "\x01", "\t"};
  std::uniform_int_distribution<std::size_t> len(0, max_len), pick(0, kPool.size() - 1);
  std::string out;
  for (std::size_t n = len(rng); n > 0; --n) out += kPool[pick(rng)];
  if (!header) return out;
  // Header text cannot keep tabs or leading/trailing blanks (folding whitespace).
  std::replace(out.begin(), out.end(), '\t', '-');
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

TEST(Composer, RandomMailsRoundTrip) {
  std::mt19937 rng(20240601);
  for (int round = 0; round < 300; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    OutgoingMail m = base_mail();
    m.subject = random_text(rng, round % 10 == 0 ? 400 : 30, true);
    m.from.name = random_text(rng, 20, true);
    m.to = {{random_text(rng, 20, true), "a@example.org"},
            {random_text(rng, 60, true), "b@example.org"}};
    m.text = random_text(rng, 200, false) + "\n" + random_text(rng, 200, false);
    if (round % 2) m.html = "<p>" + random_text(rng, 100, false) + "</p>";
    if (round % 3 == 0)
      m.attachments = {
          {random_text(rng, 80, true), "application/octet-stream", random_text(rng, 50, false)}};
    m.extra_headers = {{"X-Random", random_text(rng, 40, true)}};
    expect_round_trip(m);
    if (HasFailure()) break;
  }
}

TEST(Composer, IsDeterministic) {
  OutgoingMail m = base_mail();
  m.subject = repeat_to("Grüße 日本 🎉 ", 300);
  m.html = "<p>hi</p>";
  m.attachments = {{"見積書.pdf", "application/pdf", all_bytes(2)}};
  const std::string first = compose_ok(m);
  const OutgoingMail copy = m;
  EXPECT_EQ(compose_ok(copy), first);
  EXPECT_EQ(compose_ok(m), first);
}

TEST(Composer, BoundaryAvoidsContent) {
  // QP and base64 cannot hold "=_", but a plain ASCII file name in a part
  // header can: the composer must then take the next candidate.
  OutgoingMail m = base_mail();
  const std::string first = "=_mix_" + hash_hex(m.message_id);
  m.attachments = {{first.substr(0, 30), "text/plain", "x"}};
  const std::string raw = expect_round_trip(m);
  EXPECT_EQ(raw.find("boundary=\"" + first + "\""), std::string::npos);
  EXPECT_NE(raw.find("boundary=\"=_mix_" + hash_hex(m.message_id + "#1") + "\""),
            std::string::npos);
}

// ---- refusals -----------------------------------------------------------------

struct RefusalCase {
  const char* name;
  std::function<void(OutgoingMail&)> edit;
  ComposeErrorKind kind;
  const char* detail;
};

const std::string kNul("a\0b", 3);

const std::vector<RefusalCase>& refusal_cases() {
  using K = ComposeErrorKind;
  static const std::vector<RefusalCase> cases = {
      // CR, LF, CRLF, lone CR and NUL wherever a value becomes a header.
      {"subject_crlf", [](OutgoingMail& m) { m.subject = "Hi\r\nBcc: victim@example.net"; },
       K::header_injection, "subject"},
      {"subject_lf", [](OutgoingMail& m) { m.subject = "Hi\nBcc: x@y"; }, K::header_injection,
       "subject"},
      {"subject_cr", [](OutgoingMail& m) { m.subject = "Hi\rthere"; }, K::header_injection,
       "subject"},
      {"subject_nul", [](OutgoingMail& m) { m.subject = kNul; }, K::header_injection, "subject"},
      {"subject_utf8_crlf", [](OutgoingMail& m) { m.subject = "Grüße\r\n"; }, K::header_injection,
       "subject"},
      {"from_name", [](OutgoingMail& m) { m.from.name = "Eve\r\nBcc: x@y"; }, K::header_injection,
       "from.name"},
      {"from_address", [](OutgoingMail& m) { m.from.address = "a@b.c\r\nBcc: x@y"; },
       K::header_injection, "from.address"},
      {"to_name",
       [](OutgoingMail& m) {
         m.to.push_back({"Eve\n", "e@example.org"});
       },
       K::header_injection, "to[1].name"},
      {"to_address_nul", [](OutgoingMail& m) { m.to[0].address = "ann@example.org" + kNul; },
       K::header_injection, "to[0].address"},
      {"cc_address",
       [](OutgoingMail& m) {
         m.cc = {{"", "c@d.e\r"}};
       },
       K::header_injection, "cc[0].address"},
      {"reply_to_name",
       [](OutgoingMail& m) {
         m.reply_to = MailAddress{"R\r\n", "r@example.com"};
       },
       K::header_injection, "reply_to.name"},
      {"message_id", [](OutgoingMail& m) { m.message_id = "x@y>\r\nBcc: <z@w"; },
       K::header_injection, "message_id"},
      {"in_reply_to", [](OutgoingMail& m) { m.in_reply_to = "x@y\n"; }, K::header_injection,
       "in_reply_to"},
      {"references", [](OutgoingMail& m) { m.references[1] = "x@y\r\nBcc: z@w"; },
       K::header_injection, "references[1]"},
      {"auto_submitted", [](OutgoingMail& m) { m.auto_submitted = "auto-replied\r\nBcc: x@y"; },
       K::header_injection, "auto_submitted"},
      {"extra_header_value",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X-A", "1\r\nBcc: x@y"}};
       },
       K::header_injection, "extra_headers[0].value"},
      {"extra_header_name",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X-Ok", "1"}, {"X-A\r\nBcc", "x@y"}};
       },
       K::header_injection, "extra_headers[1].name"},
      {"attachment_type",
       [](OutgoingMail& m) {
         m.attachments = {{"a.txt", "text/plain\r\nBcc: x@y", ""}};
       },
       K::header_injection, "attachments[0].content_type"},
      // Addresses that are not a plain local@domain.
      {"no_at", [](OutgoingMail& m) { m.from.address = "support"; }, K::bad_address,
       "from.address"},
      {"empty_domain", [](OutgoingMail& m) { m.to[0].address = "ann@"; }, K::bad_address,
       "to[0].address"},
      {"empty_local", [](OutgoingMail& m) { m.to[0].address = "@example.org"; }, K::bad_address,
       "to[0].address"},
      {"space", [](OutgoingMail& m) { m.to[0].address = "ann lee@example.org"; }, K::bad_address,
       "to[0].address"},
      {"angle_brackets", [](OutgoingMail& m) { m.to[0].address = "<ann@example.org>"; },
       K::bad_address, "to[0].address"},
      {"display_form", [](OutgoingMail& m) { m.to[0].address = "Ann <ann@example.org>"; },
       K::bad_address, "to[0].address"},
      {"two_addresses", [](OutgoingMail& m) { m.to[0].address = "a@example.org,b@example.org"; },
       K::bad_address, "to[0].address"},
      {"two_ats", [](OutgoingMail& m) { m.to[0].address = "a@b@example.org"; }, K::bad_address,
       "to[0].address"},
      {"double_dot", [](OutgoingMail& m) { m.to[0].address = "a..b@example.org"; }, K::bad_address,
       "to[0].address"},
      {"leading_dot", [](OutgoingMail& m) { m.to[0].address = ".a@example.org"; }, K::bad_address,
       "to[0].address"},
      {"quoted_local", [](OutgoingMail& m) { m.to[0].address = "\"a b\"@example.org"; },
       K::bad_address, "to[0].address"},
      {"domain_literal", [](OutgoingMail& m) { m.to[0].address = "a@[127.0.0.1]"; }, K::bad_address,
       "to[0].address"},
      {"non_ascii", [](OutgoingMail& m) { m.to[0].address = "jürgen@example.de"; }, K::bad_address,
       "to[0].address"},
      {"tab", [](OutgoingMail& m) { m.to[0].address = "a\t@example.org"; }, K::bad_address,
       "to[0].address"},
      {"long_local",
       [](OutgoingMail& m) { m.to[0].address = std::string(65, 'a') + "@example.org"; },
       K::bad_address, "to[0].address"},
      {"long_address",
       [](OutgoingMail& m) {
         m.cc = {{"", "a@" + std::string(250, 'b') + ".org"}};
       },
       K::bad_address, "cc[0].address"},
      {"reply_to_empty",
       [](OutgoingMail& m) {
         m.reply_to = MailAddress{"R", ""};
       },
       K::bad_address, "reply_to.address"},
      {"message_id_brackets", [](OutgoingMail& m) { m.message_id = "<x@y>"; }, K::bad_address,
       "message_id"},
      {"message_id_space", [](OutgoingMail& m) { m.message_id = "x y@z"; }, K::bad_address,
       "message_id"},
      {"reference_empty", [](OutgoingMail& m) { m.references = {""}; }, K::bad_address,
       "references[0]"},
      {"reference_8bit", [](OutgoingMail& m) { m.references = {"ä@b"}; }, K::bad_address,
       "references[0]"},
      {"in_reply_to_long", [](OutgoingMail& m) { m.in_reply_to = std::string(251, 'i'); },
       K::bad_address, "in_reply_to"},
      // Missing fields.
      {"no_from", [](OutgoingMail& m) { m.from = {}; }, K::missing_field, "from"},
      {"from_name_only", [](OutgoingMail& m) { m.from.address.clear(); }, K::missing_field, "from"},
      {"no_recipient", [](OutgoingMail& m) { m.to.clear(); }, K::missing_field, "to"},
      {"no_message_id", [](OutgoingMail& m) { m.message_id.clear(); }, K::missing_field,
       "message_id"},
      // Extra header names.
      {"name_empty",
       [](OutgoingMail& m) {
         m.extra_headers = {{"", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_bcc",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Bcc", "x@y"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_bcc_case",
       [](OutgoingMail& m) {
         m.extra_headers = {{"bCC", "x@y"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_from",
       [](OutgoingMail& m) {
         m.extra_headers = {{"From", "x@y"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_to",
       [](OutgoingMail& m) {
         m.extra_headers = {{"TO", "x@y"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_subject",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Subject", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_message_id",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Message-Id", "<x@y>"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_date",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Date", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_mime_version",
       [](OutgoingMail& m) {
         m.extra_headers = {{"MIME-Version", "1.0"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_content",
       [](OutgoingMail& m) {
         m.extra_headers = {{"content-type", "text/html"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_resent_bcc",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Resent-Bcc", "x@y"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_auto_submitted",
       [](OutgoingMail& m) {
         m.extra_headers = {{"Auto-Submitted", "no"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_space",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X Bad", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_colon",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X:Bad", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_8bit",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X-Größe", "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
      {"name_too_long",
       [](OutgoingMail& m) {
         m.extra_headers = {{"X-" + std::string(63, 'a'), "x"}};
       },
       K::bad_header_name, "extra_headers[0].name"},
  };
  return cases;
}

void PrintTo(const RefusalCase& c, std::ostream* os) { *os << c.name; }

class ComposerRefusal : public ::testing::TestWithParam<RefusalCase> {};

TEST_P(ComposerRefusal, ReturnsTheNamedErrorAndNoBytes) {
  OutgoingMail m = base_mail();
  GetParam().edit(m);
  const auto r = compose(m);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, GetParam().kind);
  EXPECT_EQ(r.error().detail, GetParam().detail);
}

INSTANTIATE_TEST_SUITE_P(Cases, ComposerRefusal, ::testing::ValuesIn(refusal_cases()),
                         [](const ::testing::TestParamInfo<RefusalCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace ticketd::templates
