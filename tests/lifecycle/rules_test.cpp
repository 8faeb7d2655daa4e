// Routing rules: each condition field, the actions and how matches merge, stop
// and order, every compile error, hostile regex input and glob edge cases.
#include "lifecycle/rules.h"

#include <gtest/gtest.h>

#include <functional>

using namespace ticketd;
using lifecycle::Condition;
using lifecycle::ConditionField;
using lifecycle::Priority;
using lifecycle::Rule;
using lifecycle::RuleInput;
using lifecycle::RuleSet;

namespace {

// Karen writes to support, with billing in Cc, through a mailing list.
parser::Message base_message() {
  parser::Message m;
  m.from = {"Karen Smith", "Karen.Smith@example.com"};
  m.to = {{"Support", "support@example.com"}};
  m.cc = {{"", "billing@example.com"}};
  m.delivered_to = {{"", "help+abc123@example.com"}};
  m.subject = "Invoice #42 is overdue";
  m.text = "Hello,\nmy invoice is wrong.\nThanks\n";
  m.headers = {{"From", "Karen Smith <Karen.Smith@example.com>"},
               {"X-Priority", "1 (Highest)"},
               {"List-Id", "<news.example.com>"},
               {"X-Priority", "5"}};
  m.auto_kind = parser::AutoKind::bulk;
  return m;
}

Rule rule_with(std::string name, std::vector<Condition> conditions) {
  Rule r;
  r.name = std::move(name);
  r.conditions = std::move(conditions);
  r.source = "ticketd.toml:1";
  return r;
}

RuleSet compile_ok(std::vector<Rule> rules) {
  auto set = RuleSet::compile(std::move(rules));
  EXPECT_TRUE(set.has_value()) << (set ? "" : set.error());
  return set ? std::move(*set) : RuleSet();
}

// ---------------------------------------------------------------- conditions

struct ConditionCase {
  const char* name;
  Condition condition;
  bool expected;
  std::function<void(parser::Message&)> tweak = {};
  std::string mailbox = "INBOX.support";
};

void PrintTo(const ConditionCase& c, std::ostream* os) { *os << c.name; }

class ConditionTest : public testing::TestWithParam<ConditionCase> {};

TEST_P(ConditionTest, Holds) {
  const ConditionCase& c = GetParam();
  parser::Message msg = base_message();
  if (c.tweak) c.tweak(msg);
  RuleSet set = compile_ok({rule_with("r", {c.condition})});
  auto result = set.evaluate({&msg, c.mailbox});
  EXPECT_EQ(result.matched.size(), c.expected ? 1u : 0u);
}

using F = ConditionField;
const ConditionCase kConditionCases[] = {
    // from: the sender address, glob, case-insensitive
    {"from_domain_glob", {F::from, "", "*@example.com"}, true},
    {"from_prefix_glob", {F::from, "", "karen.*@*"}, true},
    {"from_case_insensitive", {F::from, "", "KAREN.SMITH@EXAMPLE.COM"}, true},
    {"from_other_sender", {F::from, "", "bob@*"}, false},
    {"from_negated", {F::from, "", "bob@*", true}, true},
    {"from_negated_match", {F::from, "", "*@example.com", true}, false},
    {"from_whole_address_only", {F::from, "", "karen*"}, true},
    {"from_no_partial", {F::from, "", "example.com"}, false},
    // from_domain: after the last '@'
    {"from_domain_exact", {F::from_domain, "", "example.com"}, true},
    {"from_domain_subdomain_glob_no_match", {F::from_domain, "", "*.example.com"}, false},
    {"from_domain_subdomain",
     {F::from_domain, "", "*.example.com"},
     true,
     [](parser::Message& m) { m.from.address = "ops@mail.example.com"; }},
    {"from_domain_after_last_at",
     {F::from_domain, "", "evil.test"},
     true,
     [](parser::Message& m) { m.from.address = "\"a@example.com\"@evil.test"; }},
    {"from_domain_no_at_is_empty",
     {F::from_domain, "", "?*"},
     false,
     [](parser::Message& m) { m.from.address = "mailer-daemon"; }},
    {"from_domain_negated", {F::from_domain, "", "example.org", true}, true},
    // to: To, Cc, Delivered-To or the mailbox
    {"to_in_to", {F::to, "", "support@*"}, true},
    {"to_in_cc", {F::to, "", "billing@example.com"}, true},
    {"to_in_delivered_to", {F::to, "", "help+*@example.com"}, true},
    {"to_mailbox", {F::to, "", "inbox.support"}, true},
    {"to_nowhere", {F::to, "", "sales@*"}, false},
    {"to_negated", {F::to, "", "sales@*", true}, true},
    {"to_negated_when_cc_matches", {F::to, "", "billing@*", true}, false},
    {"to_empty_mailbox_not_a_candidate",
     {F::to, "", "*"},
     false,
     [](parser::Message& m) {
       m.to.clear();
       m.cc.clear();
       m.delivered_to.clear();
     },
     ""},
    // subject: regex, case-insensitive unless (?-i)
    {"subject_regex", {F::subject, "", "invoice #\\d+"}, true},
    {"subject_case_insensitive", {F::subject, "", "OVERDUE"}, true},
    {"subject_inline_case_sensitive", {F::subject, "", "(?-i)invoice"}, false},
    {"subject_inline_case_sensitive_match", {F::subject, "", "(?-i)Invoice"}, true},
    {"subject_anchored", {F::subject, "", "^overdue"}, false},
    {"subject_no_match", {F::subject, "", "refund"}, false},
    {"subject_negated", {F::subject, "", "refund", true}, true},
    {"subject_unicode_caseless",
     {F::subject, "", "ÉTÉ"},
     true,
     [](parser::Message& m) { m.subject = "Rapport d'été"; }},
    // body: regex over Message::text
    {"body_regex", {F::body, "", "invoice is (wrong|late)"}, true},
    {"body_not_multiline_by_default", {F::body, "", "^my"}, false},
    {"body_multiline_inline", {F::body, "", "(?m)^my"}, true},
    {"body_no_match", {F::body, "", "password"}, false},
    {"body_negated", {F::body, "", "password", true}, true},
    {"body_not_new_text",
     {F::body, "", "quoted"},
     false,
     [](parser::Message& m) { m.new_text = "quoted"; }},
    // header: first header of that name, case-insensitive name
    {"header_first_value", {F::header, "X-Priority", "^1\\b"}, true},
    {"header_later_value_ignored", {F::header, "X-Priority", "^5$"}, false},
    {"header_name_case_insensitive", {F::header, "x-PRIORITY", "highest"}, true},
    {"header_value_no_match", {F::header, "List-Id", "other\\.example"}, false},
    {"header_missing", {F::header, "X-Missing", ".*"}, false},
    {"header_missing_negated", {F::header, "X-Missing", ".*", true}, true},
    {"header_negated_match", {F::header, "List-Id", "news", true}, false},
    // auto_class
    {"auto_any", {F::auto_class, "", "any"}, true},
    {"auto_exact", {F::auto_class, "", "bulk"}, true},
    {"auto_exact_case_insensitive", {F::auto_class, "", "BULK"}, true},
    {"auto_other_kind", {F::auto_class, "", "auto_reply"}, false},
    {"auto_none_on_list_mail", {F::auto_class, "", "none"}, false},
    {"auto_none_negated", {F::auto_class, "", "none", true}, true},
    {"auto_none_on_person",
     {F::auto_class, "", "none"},
     true,
     [](parser::Message& m) { m.auto_kind = parser::AutoKind::none; }},
    {"auto_any_on_person",
     {F::auto_class, "", "any"},
     false,
     [](parser::Message& m) { m.auto_kind = parser::AutoKind::none; }},
    {"auto_delivery_report",
     {F::auto_class, "", "delivery_report"},
     true,
     [](parser::Message& m) { m.auto_kind = parser::AutoKind::delivery_report; }},
};

INSTANTIATE_TEST_SUITE_P(Rules, ConditionTest, testing::ValuesIn(kConditionCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Rules, EmptyConditionListAlwaysHolds) {
  parser::Message msg;
  RuleSet set = compile_ok({rule_with("always", {})});
  auto result = set.evaluate({&msg, ""});
  ASSERT_EQ(result.matched.size(), 1u);
  EXPECT_EQ(result.matched[0].rule, "always");
  EXPECT_TRUE(result.matched[0].did.empty());
}

TEST(Rules, AllConditionsMustHold) {
  parser::Message msg = base_message();
  RuleSet set = compile_ok({
      rule_with("both", {{F::from_domain, "", "example.com"}, {F::subject, "", "invoice"}}),
      rule_with("one_fails", {{F::from_domain, "", "example.com"}, {F::subject, "", "refund"}}),
  });
  auto result = set.evaluate({&msg, ""});
  ASSERT_EQ(result.matched.size(), 1u);
  EXPECT_EQ(result.matched[0].rule, "both");
}

TEST(Rules, NoMessageMatchesNothing) {
  RuleSet set = compile_ok({rule_with("always", {})});
  EXPECT_TRUE(set.evaluate({nullptr, "INBOX"}).matched.empty());
}

TEST(Rules, DefaultAndMovedFromSetsAreEmpty) {
  parser::Message msg;
  RuleSet empty;
  EXPECT_TRUE(empty.rules().empty());
  EXPECT_TRUE(empty.evaluate({&msg, ""}).matched.empty());

  RuleSet a = compile_ok({rule_with("always", {{F::subject, "", "x*"}})});
  RuleSet b = std::move(a);
  ASSERT_EQ(b.rules().size(), 1u);
  EXPECT_EQ(b.rules()[0].name, "always");
  EXPECT_EQ(b.evaluate({&msg, ""}).matched.size(), 1u);
  RuleSet c;
  c = std::move(b);
  EXPECT_EQ(c.evaluate({&msg, ""}).matched.size(), 1u);
}

TEST(Rules, ConditionFieldNames) {
  EXPECT_EQ(lifecycle::condition_field_name(F::from), "from");
  EXPECT_EQ(lifecycle::condition_field_name(F::from_domain), "from_domain");
  EXPECT_EQ(lifecycle::condition_field_name(F::to), "to");
  EXPECT_EQ(lifecycle::condition_field_name(F::subject), "subject");
  EXPECT_EQ(lifecycle::condition_field_name(F::body), "body");
  EXPECT_EQ(lifecycle::condition_field_name(F::header), "header");
  EXPECT_EQ(lifecycle::condition_field_name(F::auto_class), "auto_class");
}

// ---------------------------------------------------------------- actions

Rule acting(std::string name, lifecycle::RuleActions actions, bool stop = false,
            std::vector<Condition> conditions = {}) {
  Rule r = rule_with(std::move(name), std::move(conditions));
  r.actions = std::move(actions);
  r.stop = stop;
  return r;
}

lifecycle::RuleActions team(std::string t) {
  lifecycle::RuleActions a;
  a.team = std::move(t);
  return a;
}

struct ActionCase {
  const char* name;
  std::vector<Rule> rules;
  std::vector<std::pair<std::string, std::vector<std::string>>> matched;  // rule, did
  std::function<void(const lifecycle::RuleActions&)> check;
};

void PrintTo(const ActionCase& c, std::ostream* os) { *os << c.name; }

class ActionTest : public testing::TestWithParam<ActionCase> {};

TEST_P(ActionTest, DidAndMerged) {
  const ActionCase& c = GetParam();
  parser::Message msg = base_message();
  RuleSet set = compile_ok(c.rules);
  auto result = set.evaluate({&msg, "INBOX"});
  std::vector<std::pair<std::string, std::vector<std::string>>> got;
  for (const auto& m : result.matched) got.emplace_back(m.rule, m.did);
  EXPECT_EQ(got, c.matched);
  c.check(result.actions);
}

const ActionCase kActionCases[] = {
    {"each_action_listed",
     {acting("all", {.team = "accounts",
                     .assignee = "nick@example.com",
                     .priority = Priority::high,
                     .tags = {"billing", "vip"},
                     .sla = "urgent",
                     .suppress_ack = true,
                     .reject = "Please use the portal.",
                     .spam = true})},
     {{"all",
       {"team=accounts", "assignee=nick@example.com", "priority=high", "tag=billing", "tag=vip",
        "sla=urgent", "suppress_ack", "reject", "spam"}}},
     [](const lifecycle::RuleActions& a) {
       EXPECT_EQ(a.team, "accounts");
       EXPECT_EQ(a.assignee, "nick@example.com");
       EXPECT_EQ(a.priority, Priority::high);
       EXPECT_EQ(a.tags, (std::vector<std::string>{"billing", "vip"}));
       EXPECT_EQ(a.sla, "urgent");
       EXPECT_TRUE(a.suppress_ack);
       EXPECT_EQ(a.reject, "Please use the portal.");
       EXPECT_TRUE(a.spam);
     }},
    {"no_actions_leave_defaults",
     {acting("nothing", {})},
     {{"nothing", {}}},
     [](const lifecycle::RuleActions& a) {
       EXPECT_FALSE(a.team || a.assignee || a.priority || a.sla || a.reject);
       EXPECT_TRUE(a.tags.empty());
       EXPECT_FALSE(a.suppress_ack || a.spam);
     }},
    {"later_scalars_override",
     {acting("first", {.team = "a", .assignee = "x@e", .priority = Priority::low, .sla = "low"}),
      acting("second", {.team = "b", .priority = Priority::urgent, .sla = "high"})},
     {{"first", {"team=a", "assignee=x@e", "priority=low", "sla=low"}},
      {"second", {"team=b", "priority=urgent", "sla=high"}}},
     [](const lifecycle::RuleActions& a) {
       EXPECT_EQ(a.team, "b");
       EXPECT_EQ(a.assignee, "x@e");  // not set again, so kept
       EXPECT_EQ(a.priority, Priority::urgent);
       EXPECT_EQ(a.sla, "high");
     }},
    {"tags_accumulate_deduplicated_in_order",
     {acting("first", {.tags = {"login", "vip", "login"}}),
      acting("second", {.tags = {"billing", "vip"}})},
     {{"first", {"tag=login", "tag=vip", "tag=login"}}, {"second", {"tag=billing", "tag=vip"}}},
     [](const lifecycle::RuleActions& a) {
       EXPECT_EQ(a.tags, (std::vector<std::string>{"login", "vip", "billing"}));
     }},
    {"booleans_or",
     {acting("quiet", {.suppress_ack = true}), acting("spam", {.spam = true}),
      acting("neither", {})},
     {{"quiet", {"suppress_ack"}}, {"spam", {"spam"}}, {"neither", {}}},
     [](const lifecycle::RuleActions& a) {
       EXPECT_TRUE(a.suppress_ack);
       EXPECT_TRUE(a.spam);
     }},
    {"later_reject_overrides",
     {acting("first", {.reject = "one"}), acting("second", {.reject = "two"}), acting("third", {})},
     {{"first", {"reject"}}, {"second", {"reject"}}, {"third", {}}},
     [](const lifecycle::RuleActions& a) { EXPECT_EQ(a.reject, "two"); }},
    {"stop_ends_matching",
     {acting("a", team("a")), acting("b", team("b"), true), acting("c", team("c"))},
     {{"a", {"team=a"}}, {"b", {"team=b", "stop"}}},
     [](const lifecycle::RuleActions& a) { EXPECT_EQ(a.team, "b"); }},
    {"stop_without_actions",
     {acting("b", {}, true), acting("c", team("c"))},
     {{"b", {"stop"}}},
     [](const lifecycle::RuleActions& a) { EXPECT_FALSE(a.team); }},
    {"unmatched_stop_does_not_stop",
     {acting("a", team("a")), acting("b", team("b"), true, {{F::subject, "", "refund"}}),
      acting("c", team("c"))},
     {{"a", {"team=a"}}, {"c", {"team=c"}}},
     [](const lifecycle::RuleActions& a) { EXPECT_EQ(a.team, "c"); }},
    {"rule_order_decides",
     {acting("c", team("c")), acting("a", team("a"))},
     {{"c", {"team=c"}}, {"a", {"team=a"}}},
     [](const lifecycle::RuleActions& a) { EXPECT_EQ(a.team, "a"); }},
    {"unmatched_rules_do_nothing",
     {acting("vip", {.priority = Priority::urgent, .tags = {"vip"}}, false,
             {{F::from, "", "ceo@*"}})},
     {},
     [](const lifecycle::RuleActions& a) {
       EXPECT_FALSE(a.priority);
       EXPECT_TRUE(a.tags.empty());
     }},
};

INSTANTIATE_TEST_SUITE_P(Rules, ActionTest, testing::ValuesIn(kActionCases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------- compile errors

struct ErrorCase {
  const char* name;
  Condition condition;
  std::string expected;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class CompileErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(CompileErrorTest, Message) {
  const ErrorCase& c = GetParam();
  Rule good = rule_with("fine", {{F::subject, "", "ok"}});
  Rule bad = rule_with("broken", {{F::from, "", "*@example.com"}, c.condition});
  bad.source = "ticketd.toml:42";
  auto set = RuleSet::compile({good, bad});
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error(), c.expected);
}

const ErrorCase kErrorCases[] = {
    {"bad_subject_regex",
     {F::subject, "", "(invoice"},
     "ticketd.toml:42: rule \"broken\": subject regex \"(invoice\": missing closing parenthesis "
     "at offset 8"},
    {"bad_body_regex",
     {F::body, "", "a{2,1}"},
     "ticketd.toml:42: rule \"broken\": body regex \"a{2,1}\": numbers out of order in {} "
     "quantifier at offset 5"},
    {"bad_header_regex",
     {F::header, "X-Spam", "[a-"},
     "ticketd.toml:42: rule \"broken\": header X-Spam regex \"[a-\": missing terminating ] for "
     "character class at offset 3"},
    {"invalid_utf8_in_regex",
     {F::subject, "", "caf\xC3"},
     "ticketd.toml:42: rule \"broken\": subject regex \"caf\xC3\": UTF-8 error: 1 byte missing "
     "at end at offset 3"},
    {"empty_regex", {F::body, "", ""}, "ticketd.toml:42: rule \"broken\": body: empty pattern"},
    {"empty_glob", {F::to, "", ""}, "ticketd.toml:42: rule \"broken\": to: empty pattern"},
    {"empty_header_pattern",
     {F::header, "X-Spam", ""},
     "ticketd.toml:42: rule \"broken\": header X-Spam: empty pattern"},
    {"header_without_name",
     {F::header, "", "yes"},
     "ticketd.toml:42: rule \"broken\": header condition without a header name"},
    {"empty_auto_class",
     {F::auto_class, "", ""},
     "ticketd.toml:42: rule \"broken\": auto_class: empty pattern"},
    {"unknown_auto_class",
     {F::auto_class, "", "robot"},
     "ticketd.toml:42: rule \"broken\": unknown auto_class \"robot\" (one of any, none, "
     "delivery_report, auto_reply, read_receipt, feedback_report, bulk, auto_generated)"},
};

INSTANTIATE_TEST_SUITE_P(Rules, CompileErrorTest, testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Rules, FirstBrokenRuleIsReported) {
  Rule one = rule_with("one", {{F::subject, "", "("}});
  Rule two = rule_with("two", {{F::subject, "", ""}});
  one.source = "a.toml:1";
  two.source = "a.toml:9";
  auto set = RuleSet::compile({one, two});
  ASSERT_FALSE(set.has_value());
  EXPECT_TRUE(set.error().starts_with("a.toml:1: rule \"one\": subject regex")) << set.error();
}

// ---------------------------------------------------------------- hostile input

// Catastrophic backtracking ends at the match limit and counts as no match.
TEST(Rules, PathologicalRegexEndsAsNoMatch) {
  parser::Message msg;
  msg.text = std::string(100 * 1024, 'a') + "b";
  msg.subject = msg.text;
  msg.headers = {{"X-Junk", msg.text}};
  RuleSet set = compile_ok({
      rule_with("body", {{F::body, "", "(a+)+$"}}),
      rule_with("subject", {{F::subject, "", "^(a|aa)+$"}}),
      rule_with("header", {{F::header, "X-Junk", "(a*)*$"}}),
      rule_with("negated", {{F::body, "", "(a+)+$", true}}),
      rule_with("sane", {{F::body, "", "a+b$"}}),
  });
  auto result = set.evaluate({&msg, ""});
  std::vector<std::string> names;
  for (const auto& m : result.matched) names.push_back(m.rule);
  // "negated" holds because a limit counts as no match (documented in rules.cpp).
  EXPECT_EQ(names, (std::vector<std::string>{"negated", "sane"}));
}

// Raw header bytes and a broken body must not make matching fail.
TEST(Rules, InvalidUtf8InInput) {
  parser::Message msg;
  msg.subject = "\xFF\xFE subject";
  msg.text = "caf\xC3 invoice \xE2\x82 end \x80";
  msg.headers = {{"X-Raw",
                  "gr\xFC\xDF"
                  "e aus K\xF6ln"}};
  msg.from.address = "j\xF6rg@example.com";
  RuleSet set = compile_ok({
      rule_with("body_word", {{F::body, "", "invoice"}}),
      rule_with("dot_not_an_invalid_byte", {{F::body, "", "caf.\\s"}}),
      rule_with("body_end", {{F::body, "", "\\bend\\b"}}),
      rule_with("dot_never_matches_invalid", {{F::body, "", "invoice .* end"}}),
      rule_with("subject_word", {{F::subject, "", "subject$"}}),
      rule_with("header_word", {{F::header, "X-Raw", "k.ln"}}),
      rule_with("header_text", {{F::header, "X-Raw", "aus"}}),
      rule_with("from_glob", {{F::from, "", "j?rg@*"}}),
  });
  auto result = set.evaluate({&msg, ""});
  std::vector<std::string> names;
  for (const auto& m : result.matched) names.push_back(m.rule);
  // An invalid byte never matches '.', so "caf." and "k.ln" do not match; a
  // glob '?' takes a stray byte as one character.
  EXPECT_EQ(names, (std::vector<std::string>{"body_word", "body_end", "subject_word", "header_text",
                                             "from_glob"}));
}

// ---------------------------------------------------------------- glob

struct GlobCase {
  const char* name;
  std::string pattern;
  std::string text;
  bool expected;
};

void PrintTo(const GlobCase& c, std::ostream* os) { *os << c.name; }

class GlobTest : public testing::TestWithParam<GlobCase> {};

TEST_P(GlobTest, Matches) {
  const GlobCase& c = GetParam();
  EXPECT_EQ(lifecycle::glob_match(c.pattern, c.text), c.expected)
      << "pattern \"" << c.pattern << "\" text \"" << c.text << "\"";
}

const GlobCase kGlobCases[] = {
    {"empty_both", "", "", true},
    {"empty_pattern", "", "a", false},
    {"star_empty_text", "*", "", true},
    {"stars_empty_text", "***", "", true},
    {"question_empty_text", "?", "", false},
    {"literal", "abc", "abc", true},
    {"literal_longer_text", "abc", "abcd", false},
    {"literal_shorter_text", "abcd", "abc", false},
    {"case_insensitive", "Support@EXAMPLE.com", "support@example.COM", true},
    {"question_one", "a?c", "abc", true},
    {"question_not_zero", "a?c", "ac", false},
    {"star_middle", "a*c", "abbbbc", true},
    {"star_zero", "a*c", "ac", true},
    {"star_needs_backtrack", "*ab", "aaab", true},
    {"several_stars", "a*b*c", "aXbYbZc", true},
    {"several_stars_fail", "a*b*c", "aXbYbZ", false},
    {"star_then_question", "*?", "x", true},
    {"trailing_star", "abc*", "abc", true},
    {"leading_star_suffix", "*.example.com", "mail.example.com", true},
    {"leading_star_not_bare", "*.example.com", "example.com", false},
    {"star_suffix_mismatch", "*a", "bbb", false},
    {"double_star", "**x", "x", true},
    {"utf8_question_one_char", "caf?", "café", true},
    {"utf8_question_not_two", "caf??", "café", false},
    {"utf8_star", "*é*", "un été", true},
    {"utf8_literal", "jörg@*", "jörg@example.com", true},
    {"utf8_no_case_fold", "É", "é", false},
    {"stray_byte_is_one_char", "caf?", "caf\xC3", true},
    {"truncated_sequence_then_char", "caf??", "caf\xE2\x82x", true},
    {"special_chars_literal", "a.b[c]", "a.b[c]", true},
    {"special_chars_not_regex", "a.b", "axb", false},
};

INSTANTIATE_TEST_SUITE_P(Rules, GlobTest, testing::ValuesIn(kGlobCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Many stars against a long text that never matches: iterative, finishes.
TEST(Rules, GlobLongTextNoRecursion) {
  const std::string text(200 * 1024, 'a');
  EXPECT_FALSE(lifecycle::glob_match("*a*a*a*a*a*b", text));
  EXPECT_TRUE(lifecycle::glob_match("*a*a*a*a*a", text));
  EXPECT_TRUE(lifecycle::glob_match("a*", text));
}

}  // namespace
