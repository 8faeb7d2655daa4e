// The Mustache templates (templates/render.h): the shipped defaults, escaping,
// subjects, the reply marker, the thread, overrides, and every load-time check.
#include "templates/render.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "parser/html_text.h"
#include "parser/reply_strip.h"

namespace ticketd::templates {
namespace {

namespace fs = std::filesystem;

const std::string kHostile = "<script>alert(1)</script> & \"q\" 'a'";
const std::string kHostileHtml =
    "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;";
const std::string kMarker(parser::kReplyMarker);

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The shipped defaults as file name → source.
std::map<std::string, std::string> default_sources() {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(TICKETD_DEFAULT_TEMPLATES)) {
    out[e.path().filename().string()] = slurp(e.path());
  }
  return out;
}

TemplateSet defaults(const TemplateSettings& settings = {}) {
  auto set = TemplateSet::load(TICKETD_DEFAULT_TEMPLATES, std::nullopt, settings);
  if (!set) throw std::runtime_error(set.error().describe());  // gtest reports it as a failure
  return std::move(*set);
}

// The defaults with one file's source replaced; the error from_sources gives.
TemplateError error_with(const std::string& file, const std::string& source) {
  auto files = default_sources();
  files[file] = source;
  auto set = TemplateSet::from_sources(files);
  if (set) {
    ADD_FAILURE() << file << " was accepted:\n" << source;
    return {};
  }
  return set.error();
}

// A scratch directory, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("ticketd-render-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }
  std::string str() const { return path_.string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TemplateData ticket_data() {
  TemplateData d = sample_template_data(true);
  d.ticket.subject = "Printer broken";
  d.thread.clear();
  return d;
}

// ---- the defaults ------------------------------------------------------------

TEST(TemplateLoadTest, DefaultsLoadAndRenderEveryName) {
  const TemplateSet set = defaults();
  std::vector<std::string> want(std::begin(kTemplateNames), std::end(kTemplateNames));
  std::sort(want.begin(), want.end());
  EXPECT_EQ(set.names(), want);
  for (const bool full : {true, false}) {
    for (const std::string_view name : kTemplateNames) {
      auto mail = set.render(name, sample_template_data(full));
      ASSERT_TRUE(mail) << name << ": " << mail.error().describe();
      EXPECT_FALSE(mail->subject.empty()) << name;
      EXPECT_NE(mail->text.find_first_not_of(" \n"), std::string::npos) << name;
      EXPECT_NE(mail->html.find("</html>"), std::string::npos) << name;
      // Skipped sections leave no blank-line runs behind.
      EXPECT_EQ(mail->text.find("\n\n\n"), std::string::npos) << name << ":\n" << mail->text;
      EXPECT_NE(mail->text.front(), '\n') << name;
    }
  }
}

TEST(RenderTest, UnknownTemplateNameIsAnError) {
  auto mail = defaults().render("acknowledgment", ticket_data());
  ASSERT_FALSE(mail);
  EXPECT_EQ(mail.error().file, "acknowledgment");
}

// ---- values: escaped in HTML, verbatim in text ---------------------------------

struct ValueCase {
  const char* name;  // template
  void (*set)(TemplateData&, const std::string&);
};
void PrintTo(const ValueCase& c, std::ostream* os) { *os << c.name; }

const ValueCase kValueCases[] = {
    {"agent_alert", [](TemplateData& d, const std::string& v) { d.new_text = v; }},
    {"answer", [](TemplateData& d, const std::string& v) { d.new_text = v; }},
    {"acknowledgement", [](TemplateData& d, const std::string& v) { d.requester.name = v; }},
    {"closure", [](TemplateData& d, const std::string& v) { d.support.name = v; }},
    {"rejection", [](TemplateData& d, const std::string& v) { d.detail = v; }},
    {"command_error", [](TemplateData& d, const std::string& v) { d.detail = v; }},
    {"overdue_alert", [](TemplateData& d, const std::string& v) { d.detail = v; }},
    {"reminder", [](TemplateData& d, const std::string& v) { d.ticket.subject = v; }},
};

class RenderValueTest : public ::testing::TestWithParam<ValueCase> {};

TEST_P(RenderValueTest, EscapedInHtmlVerbatimInText) {
  TemplateData d = ticket_data();
  GetParam().set(d, kHostile);
  auto mail = defaults().render(GetParam().name, d);
  ASSERT_TRUE(mail) << mail.error().describe();
  EXPECT_NE(mail->html.find(kHostileHtml), std::string::npos) << mail->html;
  EXPECT_EQ(mail->html.find("<script>"), std::string::npos) << mail->html;
  EXPECT_NE(mail->text.find(kHostile), std::string::npos) << mail->text;
  EXPECT_EQ(mail->text.find("&amp;"), std::string::npos) << mail->text;
  EXPECT_EQ(mail->text.find("&lt;"), std::string::npos) << mail->text;
}

INSTANTIATE_TEST_SUITE_P(RenderValues, RenderValueTest, ::testing::ValuesIn(kValueCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RenderTest, LineBreaksInValues) {
  TemplateData d = ticket_data();
  d.new_text = "first\r\nsecond\rthird\nfourth";
  auto mail = defaults().render("answer", d);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->text.find("first\nsecond\nthird\nfourth"), std::string::npos) << mail->text;
  EXPECT_EQ(mail->text.find('\r'), std::string::npos);
  EXPECT_NE(mail->html.find("first<br>\nsecond<br>\nthird<br>\nfourth"), std::string::npos)
      << mail->html;
  EXPECT_EQ(mail->html.find('\r'), std::string::npos);
}

TEST(RenderTest, NonAsciiPassesThrough) {
  TemplateData d = ticket_data();
  d.requester.name = "Jürgen 日本";
  auto mail = defaults().render("acknowledgement", d);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->text.find("Hello Jürgen 日本,"), std::string::npos) << mail->text;
  EXPECT_NE(mail->html.find("Hello Jürgen 日本,"), std::string::npos) << mail->html;
}

// ---- subjects -------------------------------------------------------------------

TEST(RenderTest, SubjectCarriesTagAndNeverANewline) {
  TemplateData d = ticket_data();
  d.ticket.subject = "Printer & <toner>\r\nBcc: x@evil.example";
  const TemplateSet set = defaults();
  for (const std::string_view name : kTemplateNames) {
    auto mail = set.render(name, d);
    ASSERT_TRUE(mail) << name;
    EXPECT_EQ(mail->subject.find_first_of("\r\n"), std::string::npos) << name;
    EXPECT_NE(mail->subject.find("Printer & <toner> Bcc: x@evil.example"), std::string::npos)
        << name << ": " << mail->subject;
    if (name != "rejection") {  // a rejected mail has no ticket
      EXPECT_NE(mail->subject.find("[#TD-1001]"), std::string::npos) << name;
    }
  }
}

TEST(RenderTest, TagDefaultsToTheNumber) {
  TemplateData d = ticket_data();
  d.ticket.tag.clear();
  d.ticket.number = "TD-7";
  EXPECT_EQ(defaults().render("answer", d)->subject, "[#TD-7] Re: Printer broken");
}

TEST(RenderTest, SubjectSaysNewTicketOrReply) {
  TemplateData d = ticket_data();
  d.is_new_ticket = true;
  EXPECT_EQ(defaults().render("agent_alert", d)->subject, "[#TD-1001] New ticket: Printer broken");
  d.is_new_ticket = false;
  EXPECT_EQ(defaults().render("agent_alert", d)->subject,
            "[#TD-1001] Customer reply: Printer broken");
}

// ---- the reply marker -----------------------------------------------------------

class RenderMarkerTest : public ::testing::TestWithParam<std::string_view> {};

// A reply typed above our mail keeps only the reply, from the text part and
// from the HTML part as the parser turns it into text.
TEST_P(RenderMarkerTest, ReplyAboveTheMarkerIsAllThatIsKept) {
  auto mail = defaults().render(GetParam(), sample_template_data(true));
  ASSERT_TRUE(mail);
  ASSERT_NE(mail->text.find(kMarker), std::string::npos);
  ASSERT_NE(mail->html.find(kMarker), std::string::npos);
  EXPECT_EQ(parser::strip_quoted_reply("Thanks, fixed.\n\n" + mail->text), "Thanks, fixed.");
  EXPECT_EQ(parser::strip_quoted_reply("Thanks, fixed.\n\n" + parser::html_to_text(mail->html)),
            "Thanks, fixed.");
}

INSTANTIATE_TEST_SUITE_P(RenderEveryTemplate, RenderMarkerTest, ::testing::ValuesIn(kTemplateNames),
                         [](const auto& info) { return std::string(info.param); });

// ---- the thread ---------------------------------------------------------------------

TEST(RenderTest, ThreadKeepsTheLastEntriesInOrder) {
  TemplateData d = ticket_data();
  for (int i = 1; i <= 5; ++i) {
    d.thread.push_back({"Karen", "karen@example.com",
                        "2026-11-2" + std::to_string(i) + "T09:00:00Z", i % 2 ? "in" : "out",
                        "entry-" + std::to_string(i)});
  }
  TemplateSettings settings;
  settings.thread_entries = 3;
  auto mail = defaults(settings).render("agent_alert", d);
  ASSERT_TRUE(mail);
  for (const std::string* body : {&mail->text, &mail->html}) {
    EXPECT_EQ(body->find("entry-1"), std::string::npos) << *body;
    EXPECT_EQ(body->find("entry-2"), std::string::npos) << *body;
    const auto p3 = body->find("entry-3"), p4 = body->find("entry-4"), p5 = body->find("entry-5");
    ASSERT_NE(p3, std::string::npos) << *body;
    EXPECT_LT(p3, p4);
    EXPECT_LT(p4, p5);
    EXPECT_NE(body->find("2026-11-23 09:00 UTC"), std::string::npos) << *body;
  }
}

TEST(RenderTest, LongThreadEntryIsCutAtACharacter) {
  TemplateData d = ticket_data();
  d.thread.push_back({"K", "k@example.com", "", "in", "abéééé-tail"});  // 'é' is 2 bytes
  TemplateSettings settings;
  settings.entry_text_bytes = 5;  // "ab" + 1.5 'é' → cut back to "abé"
  auto mail = defaults(settings).render("answer", d);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->text.find("abé […]"), std::string::npos) << mail->text;
  EXPECT_EQ(mail->text.find("-tail"), std::string::npos);
}

// ---- overrides and files ---------------------------------------------------------------

TEST(TemplateLoadTest, OverrideReplacesOneFile) {
  ScratchDir dir;
  dir.write("acknowledgement.subject.mustache", "{{ticket.tag}} Custom: {{ticket.subject}}\n");
  auto set = TemplateSet::load(TICKETD_DEFAULT_TEMPLATES, dir.str());
  ASSERT_TRUE(set) << set.error().describe();
  auto mail = set->render("acknowledgement", ticket_data());
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->subject, "[#TD-1001] Custom: Printer broken");
  EXPECT_NE(mail->text.find("We have received your message"), std::string::npos);  // default
  EXPECT_EQ(set->render("answer", ticket_data())->subject, "[#TD-1001] Re: Printer broken");
}

TEST(TemplateLoadTest, OverrideWithATypoIsNamed) {
  ScratchDir dir;
  dir.write("acknowledgment.text.mustache", "{{reply_marker}}\n");
  auto set = TemplateSet::load(TICKETD_DEFAULT_TEMPLATES, dir.str());
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().file, (dir.path() / "acknowledgment.text.mustache").string());
  EXPECT_NE(set.error().message.find("unknown template file"), std::string::npos);
}

TEST(TemplateLoadTest, MissingOverrideDirIsAnError) {
  auto set = TemplateSet::load(TICKETD_DEFAULT_TEMPLATES, std::string("/nonexistent/ticketd"));
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().file, "/nonexistent/ticketd");
}

TEST(TemplateLoadTest, BadOverrideNamesTheOverrideFile) {
  ScratchDir dir;
  dir.write("answer.text.mustache", "{{reply_marker}}\n{{ticket.nubmer}}\n");
  auto set = TemplateSet::load(TICKETD_DEFAULT_TEMPLATES, dir.str());
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().file, (dir.path() / "answer.text.mustache").string());
  EXPECT_EQ(set.error().message, "line 2: unknown variable \"ticket.nubmer\"");
}

TEST(TemplateLoadTest, MissingDefaultFileIsNamed) {
  ScratchDir dir;
  for (const auto& [name, text] : default_sources()) dir.write(name, text);
  fs::remove(dir.path() / "closure.html.mustache");
  auto set = TemplateSet::load(dir.str(), std::nullopt);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().file, (dir.path() / "closure.html.mustache").string());
  EXPECT_EQ(set.error().message, "missing template file");
}

TEST(TemplateLoadTest, MissingSourceIsNamed) {
  auto files = default_sources();
  files.erase("reminder.subject.mustache");
  auto set = TemplateSet::from_sources(files);
  ASSERT_FALSE(set);
  EXPECT_EQ(set.error().file, "reminder.subject.mustache");
}

TEST(TemplateLoadTest, NotUtf8IsAnError) {
  const TemplateError e = error_with("closure.text.mustache",
                                     "{{reply_marker}}\nGr\xFC\xDF"
                                     "e\n");
  EXPECT_EQ(e.file, "closure.text.mustache");
  EXPECT_EQ(e.message, "not valid UTF-8");
}

// ---- load-time checks, each naming the file ----------------------------------------------

struct BadCase {
  const char* name;
  const char* file;
  std::string source;
  const char* message;  // a part of the error message
};
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

const BadCase kBadCases[] = {
    {"unknown_variable", "acknowledgement.text.mustache", "{{reply_marker}}\n{{ticket.nubmer}}\n",
     "line 2: unknown variable \"ticket.nubmer\""},
    {"unknown_section", "answer.html.mustache", "{{reply_marker}}{{#tickets}}x{{/tickets}}",
     "unknown variable \"tickets\""},
    {"entry_field_outside_thread", "answer.text.mustache", "{{reply_marker}}\n{{text}}\n",
     "unknown variable \"text\""},
    {"list_as_value", "answer.text.mustache", "{{reply_marker}}\n{{thread}}\n",
     "\"thread\" is a list"},
    {"unclosed_section", "agent_alert.text.mustache", "{{reply_marker}}\n{{#thread}}\n{{text}}\n",
     "line 2: unclosed section \"thread\""},
    {"crossed_sections", "agent_alert.text.mustache",
     "{{reply_marker}}{{#has_thread}}{{#thread}}{{/has_thread}}{{/thread}}",
     "{{/has_thread}} closes section \"thread\""},
    {"stray_close", "closure.text.mustache", "{{reply_marker}}{{/thread}}",
     "closes no open section"},
    {"unclosed_tag", "closure.text.mustache", "{{reply_marker}}\n\nHello {{requester.name",
     "line 3: unclosed tag"},
    {"triple_stache_in_html", "answer.html.mustache", "<p>{{reply_marker}}</p>{{{new_text}}}",
     "unescaped {{{new_text}}}"},
    {"ampersand_in_html", "answer.html.mustache", "<p>{{reply_marker}}</p>{{& new_text}}",
     "unescaped {{{new_text}}}"},
    {"markup_in_text", "answer.text.mustache", "{{reply_marker}}\n<b>{{new_text}}</b>\n",
     "line 2: markup \"<b>\""},
    {"entity_in_text", "answer.text.mustache", "{{reply_marker}}\nA &amp; B\n", "markup \"&amp;\""},
    {"tag_with_attributes_in_text", "answer.text.mustache",
     "{{reply_marker}}\n<a href=\"x\">{{new_text}}</a>\n", "markup \"<a\""},
    {"markup_in_subject", "answer.subject.mustache", "<i>Re</i> {{ticket.tag}}\n",
     "markup \"<i>\""},
    {"partial", "answer.text.mustache", "{{reply_marker}}\n{{> footer}}\n",
     "partials ({{> footer}}) are not supported"},
    {"set_delimiter", "answer.text.mustache", "{{reply_marker}}\n{{=<% %>=}}\n",
     "set-delimiter tags"},
    {"empty_tag", "answer.text.mustache", "{{reply_marker}}{{ }}", "empty tag"},
    {"subject_two_lines", "answer.subject.mustache", "{{ticket.tag}}\nRe: {{ticket.subject}}\n",
     "more than one line"},
    {"subject_can_be_empty", "answer.subject.mustache", "{{ticket.tag}} {{ticket.subject}}\n",
     "renders empty"},
    {"text_without_marker", "reminder.text.mustache", "Hello\n", "no reply marker"},
    {"html_without_marker", "reminder.html.mustache", "<p>Hello</p>\n", "no reply marker"},
};

class TemplateCheckTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(TemplateCheckTest, IsAnErrorNamingTheFile) {
  const BadCase& c = GetParam();
  const TemplateError e = error_with(c.file, c.source);
  EXPECT_EQ(e.file, c.file);
  EXPECT_NE(e.message.find(c.message), std::string::npos) << e.message;
}

INSTANTIATE_TEST_SUITE_P(TemplateBad, TemplateCheckTest, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return std::string(info.param.name); });

struct GoodCase {
  const char* name;
  TemplatePart kind;
  std::string source;
};
void PrintTo(const GoodCase& c, std::ostream* os) { *os << c.name; }

const GoodCase kGoodCases[] = {
    {"comment", TemplatePart::text, "{{! <b>not markup</b> }}{{new_text}}"},
    {"address_in_angles", TemplatePart::text,
     "Write to <support@example.com> or <{{support.address}}>"},
    {"comparison", TemplatePart::text, "5 < 6 and a<b & c\nd > e"},
    {"entry_fields_in_thread", TemplatePart::text,
     "{{#thread}}{{at}} {{from_name}} {{from_address}} {{direction}} {{#inbound}}in{{/inbound}} "
     "{{text}} {{ticket.number}}{{/thread}}"},
    {"inverted_and_flags", TemplatePart::html,
     "{{^is_new_ticket}}reply{{/is_new_ticket}}{{#has_thread}}t{{/has_thread}}"},
    {"triple_stache_in_text", TemplatePart::text, "{{{new_text}}}"},
    {"spaces_in_tags", TemplatePart::html,
     "{{ ticket.number }}{{# detail }}{{ detail }}{{/ detail }}"},
};

class TemplateCheckGoodTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(TemplateCheckGoodTest, Passes) {
  const auto problem = check_template_source(GetParam().source, GetParam().kind);
  EXPECT_FALSE(problem) << *problem;
}

INSTANTIATE_TEST_SUITE_P(TemplateGood, TemplateCheckGoodTest, ::testing::ValuesIn(kGoodCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Every name the checker accepts is one the data carries: a template of all of
// them renders each to something non-empty with the full sample.
TEST(RenderTest, KnownVariablesRender) {
  std::string text = "{{reply_marker}}\n";
  for (const std::string& v : known_variables()) {
    if (v == "thread") continue;
    text += v + "=[{{#" + v + "}}set{{/" + v + "}}]\n";
  }
  text += "{{#thread}}\n";
  for (const std::string& v : thread_entry_variables()) {
    text += "entry." + v + "=[{{#" + v + "}}set{{/" + v + "}}]\n";
  }
  text += "{{/thread}}\n";
  auto files = default_sources();
  files["answer.text.mustache"] = text;
  auto set = TemplateSet::from_sources(files);
  ASSERT_TRUE(set) << set.error().describe();
  TemplateData d = sample_template_data(true);
  d.thread.resize(1);  // the first sample entry is inbound
  auto mail = set->render("answer", d);
  ASSERT_TRUE(mail);
  EXPECT_EQ(mail->text.find("=[]"), std::string::npos) << mail->text;
  EXPECT_NE(mail->text.find("entry.inbound=[set]"), std::string::npos) << mail->text;
}

TEST(RenderTest, EmptyValuesAreFalse) {
  TemplateData d = ticket_data();
  d.requester.name.clear();
  auto mail = defaults().render("acknowledgement", d);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->text.find("\nHello,\n"), std::string::npos) << mail->text;
}

// ---- helpers ---------------------------------------------------------------------------

TEST(RenderHelpersTest, StatusLine) {
  TicketData t;
  t.number = "TD-1001";
  t.state = "open";
  t.priority = "high";
  t.assignee_name = "Nick Moss";
  t.first_response_due = "2026-11-27T14:00:00Z";
  EXPECT_EQ(status_line(t),
            "TD-1001 · open · priority high · assigned to Nick Moss · first response due "
            "2026-11-27 14:00 UTC");
  t.assignee_name.clear();
  t.team = "it";
  t.first_response_due.clear();
  t.resolution_due = "2026-11-29T09:30:00Z";
  EXPECT_EQ(status_line(t),
            "TD-1001 · open · priority high · team it · unassigned · resolution due 2026-11-29 "
            "09:30 UTC");
}

TEST(RenderHelpersTest, StatusLineFilledWhenEmpty) {
  TemplateData d = ticket_data();
  d.ticket.status_line.clear();
  const std::string want = status_line(d.ticket);
  EXPECT_NE(defaults().render("agent_alert", d)->text.find("Status: " + want), std::string::npos);
  d.ticket.status_line = "given by the caller";
  EXPECT_NE(defaults().render("agent_alert", d)->text.find("Status: given by the caller"),
            std::string::npos);
}

TEST(RenderHelpersTest, Times) {
  EXPECT_EQ(display_time("2026-11-27T14:00:00Z"), "2026-11-27 14:00 UTC");
  EXPECT_EQ(display_time("2026-11-27T14:00Z"), "2026-11-27 14:00 UTC");
  EXPECT_EQ(display_time("2026-11-27T14:00:59.250+00:00"), "2026-11-27 14:00 UTC");
  EXPECT_EQ(display_time("2026-11-27T14:00:00+01:00"), "2026-11-27T14:00:00+01:00");
  EXPECT_EQ(display_time("tomorrow"), "tomorrow");
  EXPECT_EQ(display_time(""), "");
  EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso8601_utc(1'700'000'000), "2023-11-14T22:13:20Z");
}

}  // namespace
}  // namespace ticketd::templates
