// Agent commands: a table of named mails with the commands, errors, note flag
// and body each must give; a few properties (line cap, cut error text) apart.
#include "lifecycle/commands.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace ticketd::lifecycle;

namespace {

struct WantCommand {
  CommandKind kind;
  std::string arg;
  int line;
};

struct WantError {
  int line;
  std::string text;
  std::string reason;
};

struct Case {
  const char* name;
  std::string text;
  std::vector<WantCommand> commands;
  std::vector<WantError> errors;
  bool is_note;
  std::string body;
};

using K = CommandKind;

const Case kCases[] = {
    // --- every command ---
    {"assign_name", "#assign nick\nHello", {{K::assign, "nick", 1}}, {}, false, "Hello"},
    {"assign_name_with_spaces",
     "#assign   Nick Moss  \nHello",
     {{K::assign, "Nick Moss", 1}},
     {},
     false,
     "Hello"},
    {"assign_address",
     "#assign nick@example.com\n",
     {{K::assign, "nick@example.com", 1}},
     {},
     false,
     ""},
    {"priority_each_word",
     "#priority low\n#priority normal\n#priority HIGH\n#priority Urgent\n",
     {{K::priority, "low", 1},
      {K::priority, "normal", 2},
      {K::priority, "high", 3},
      {K::priority, "urgent", 4}},
     {},
     false,
     ""},
    {"status_each_word",
     "#status pending\n#status Resolved\n#status closed",
     {{K::status, "pending", 1}, {K::status, "resolved", 2}, {K::status, "closed", 3}},
     {},
     false,
     ""},
    {"resolve_and_close",
     "#resolve\n#close\nThanks, all done.",
     {{K::resolve, "", 1}, {K::close, "", 2}},
     {},
     false,
     "Thanks, all done."},
    {"tag", "#tag billing.refund-2_x\n", {{K::tag, "billing.refund-2_x", 1}}, {}, false, ""},
    {"tag_keeps_case", "#tag VIP\n", {{K::tag, "VIP", 1}}, {}, false, ""},
    {"cc_add_lower_cased",
     "#cc add Boss@Example.COM\n",
     {{K::cc_add, "boss@example.com", 1}},
     {},
     false,
     ""},
    {"cc_remove",
     "#cc remove a.b@example.com",
     {{K::cc_remove, "a.b@example.com", 1}},
     {},
     false,
     ""},
    {"cc_angle_brackets_dropped",
     "#cc add <boss@example.com>",
     {{K::cc_add, "boss@example.com", 1}},
     {},
     false,
     ""},
    {"command_words_case_insensitive",
     "#Assign nick\n#PRIORITY high\n#Resolve\n#CC ADD x@example.com\n#Tag t\n",
     {{K::assign, "nick", 1},
      {K::priority, "high", 2},
      {K::resolve, "", 3},
      {K::cc_add, "x@example.com", 4},
      {K::tag, "t", 5}},
     {},
     false,
     ""},
    {"all_commands_then_body",
     "#assign nick\n#priority high\n#status pending\n#tag refund\n#cc add a@example.com\n"
     "#cc remove b@example.com\nDear Karen,\n\nthanks.\n",
     {{K::assign, "nick", 1},
      {K::priority, "high", 2},
      {K::status, "pending", 3},
      {K::tag, "refund", 4},
      {K::cc_add, "a@example.com", 5},
      {K::cc_remove, "b@example.com", 6}},
     {},
     false,
     "Dear Karen,\n\nthanks.\n"},

    // --- the block and the body ---
    {"no_commands_body_is_text",
     "\n\nHello Karen,\n\n#assign nick is not read here\n",
     {},
     {},
     false,
     "Hello Karen,\n\n#assign nick is not read here\n"},
    {"empty_text", "", {}, {}, false, ""},
    {"first_line_not_a_command_number",
     "#1 issue is the printer\n#assign nick\n",
     {},
     {},
     false,
     "#1 issue is the printer\n#assign nick\n"},
    {"hash_then_space_is_text", "# heading\n", {}, {}, false, "# heading\n"},
    {"leading_blank_lines_skipped",
     "\n  \n\t\n#resolve\nBye",
     {{K::resolve, "", 4}},
     {},
     false,
     "Bye"},
    {"blank_lines_inside_block",
     "#assign nick\n\n#priority high\n\n\nHello\n",
     {{K::assign, "nick", 1}, {K::priority, "high", 3}},
     {},
     false,
     "Hello\n"},
    {"block_ends_at_first_text_line",
     "#resolve\nDone.\n#close\n",
     {{K::resolve, "", 1}},
     {},
     false,
     "Done.\n#close\n"},
    {"indented_command_line", "  #resolve\nok", {{K::resolve, "", 1}}, {}, false, "ok"},
    {"crlf_lines",
     "#assign Nick Moss\r\n#priority high\r\n\r\nHello\r\n",
     {{K::assign, "Nick Moss", 1}, {K::priority, "high", 2}},
     {},
     false,
     "Hello\r\n"},
    {"commands_only_body_empty", "#resolve\n\n\n", {{K::resolve, "", 1}}, {}, false, ""},

    // --- #note ---
    {"note_alone",
     "#note\nCalled her, fixed.\n",
     {{K::note, "", 1}},
     {},
     true,
     "Called her, fixed.\n"},
    {"note_with_text_on_line",
     "#note called her, fixed",
     {{K::note, "", 1}},
     {},
     true,
     "called her, fixed"},
    {"note_text_continues_with_lines_as_written",
     "#note called her\n\nShe will send the log.\n",
     {{K::note, "", 1}},
     {},
     true,
     "called her\n\nShe will send the log.\n"},
    {"note_after_other_commands",
     "#assign nick\n#note\n\nInternal remark",
     {{K::assign, "nick", 1}, {K::note, "", 2}},
     {},
     true,
     "Internal remark"},
    {"note_before_other_commands",
     "#note waiting for vendor\n#priority low\n\nMore detail.",
     {{K::note, "", 1}, {K::priority, "low", 2}},
     {},
     true,
     "waiting for vendor\nMore detail."},
    {"note_upper_case_crlf",
     "#NOTE spoke to Karen\r\n",
     {{K::note, "", 1}},
     {},
     true,
     "spoke to Karen"},
    {"note_word_in_body_is_not_a_note",
     "Hello\n#note this is text",
     {},
     {},
     false,
     "Hello\n#note this is text"},

    // --- every error kind, with its reason ---
    {"unknown_command_with_suggestion",
     "#asign nick\nHi",
     {},
     {{1, "#asign nick", "unknown command #asign (did you mean #assign?)"}},
     false,
     "Hi"},
    {"unknown_command_suggestion_keeps_spelling",
     "#Stauts pending",
     {},
     {{1, "#Stauts pending", "unknown command #Stauts (did you mean #status?)"}},
     false,
     ""},
    {"unknown_command_too_far_for_a_suggestion",
     "#prio high",
     {},
     {{1, "#prio high", "unknown command #prio"}},
     false,
     ""},
    {"unknown_command_close_typo",
     "#clsoe",
     {},
     {{1, "#clsoe", "unknown command #clsoe (did you mean #close?)"}},
     false,
     ""},
    {"unknown_command_without_suggestion",
     "#escalate now",
     {},
     {{1, "#escalate now", "unknown command #escalate"}},
     false,
     ""},
    {"short_unknown_word_no_far_suggestion",
     "#hi",
     {},
     {{1, "#hi", "unknown command #hi"}},
     false,
     ""},
    {"assign_without_argument",
     "#assign\n",
     {},
     {{1, "#assign", "#assign needs an agent (name or address) or a team"}},
     false,
     ""},
    {"priority_bad_word",
     "#priority asap",
     {},
     {{1, "#priority asap", "#priority needs one of low, normal, high, urgent"}},
     false,
     ""},
    {"priority_missing",
     "#priority",
     {},
     {{1, "#priority", "#priority needs one of low, normal, high, urgent"}},
     false,
     ""},
    {"priority_two_words",
     "#priority high now",
     {},
     {{1, "#priority high now", "#priority needs one of low, normal, high, urgent"}},
     false,
     ""},
    {"status_open_refused",
     "#status open",
     {},
     {{1, "#status open", "#status open is not a command: a ticket reopens when you answer it"}},
     false,
     ""},
    {"status_bad_word",
     "#status new",
     {},
     {{1, "#status new", "#status needs one of pending, resolved, closed"}},
     false,
     ""},
    {"resolve_with_argument",
     "#resolve now",
     {},
     {{1, "#resolve now", "#resolve takes no argument"}},
     false,
     ""},
    {"close_with_argument",
     "#close it",
     {},
     {{1, "#close it", "#close takes no argument"}},
     false,
     ""},
    {"tag_missing", "#tag", {}, {{1, "#tag", "#tag needs a tag"}}, false, ""},
    {"tag_two_words",
     "#tag a b",
     {},
     {{1, "#tag a b", "#tag takes one tag; write one #tag line per tag"}},
     false,
     ""},
    {"tag_bad_characters",
     "#tag a/b",
     {},
     {{1, "#tag a/b", "#tag needs letters, digits, '_', '.' or '-' (at most 64)"}},
     false,
     ""},
    {"tag_too_long",
     "#tag " + std::string(65, 'x'),
     {},
     {{1, "#tag " + std::string(65, 'x'),
       "#tag needs letters, digits, '_', '.' or '-' (at most 64)"}},
     false,
     ""},
    {"tag_64_is_fine",
     "#tag " + std::string(64, 'x'),
     {{K::tag, std::string(64, 'x'), 1}},
     {},
     false,
     ""},
    {"cc_without_subcommand",
     "#cc x@example.com",
     {},
     {{1, "#cc x@example.com",
       "#cc needs add or remove and one address (#cc add name@example.com)"}},
     false,
     ""},
    {"cc_add_without_address",
     "#cc add",
     {},
     {{1, "#cc add", "#cc add needs an address"}},
     false,
     ""},
    {"cc_add_two_addresses",
     "#cc add a@example.com b@example.com",
     {},
     {{1, "#cc add a@example.com b@example.com",
       "#cc add takes one address; write one #cc line each"}},
     false,
     ""},
    {"cc_add_no_at",
     "#cc add karen",
     {},
     {{1, "#cc add karen", "#cc add needs an address like name@example.com"}},
     false,
     ""},
    {"cc_remove_bad_address",
     "#cc remove a@b@example.com",
     {},
     {{1, "#cc remove a@b@example.com", "#cc remove needs an address like name@example.com"}},
     false,
     ""},
    {"cc_add_angle_inside",
     "#cc add a<b>@example.com",
     {},
     {{1, "#cc add a<b>@example.com", "#cc add needs an address like name@example.com"}},
     false,
     ""},
    {"cc_add_empty_domain",
     "#cc add karen@",
     {},
     {{1, "#cc add karen@", "#cc add needs an address like name@example.com"}},
     false,
     ""},
    {"errors_and_commands_mixed",
     "#assign nick\n#priority soon\n#resolve\n\nDone",
     {{K::assign, "nick", 1}, {K::resolve, "", 3}},
     {{2, "#priority soon", "#priority needs one of low, normal, high, urgent"}},
     false,
     "Done"},
    {"error_text_without_cr",
     "#tag a b\r\nx",
     {},
     {{1, "#tag a b", "#tag takes one tag; write one #tag line per tag"}},
     false,
     "x"},
};

class CommandsTable : public testing::TestWithParam<Case> {};

TEST_P(CommandsTable, Parses) {
  const Case& c = GetParam();
  const AgentMail m = parse_agent_commands(c.text);

  ASSERT_EQ(m.commands.size(), c.commands.size());
  for (std::size_t i = 0; i < c.commands.size(); ++i) {
    SCOPED_TRACE("command " + std::to_string(i));
    EXPECT_EQ(m.commands[i].kind, c.commands[i].kind)
        << command_name(m.commands[i].kind) << " vs " << command_name(c.commands[i].kind);
    EXPECT_EQ(m.commands[i].arg, c.commands[i].arg);
    EXPECT_EQ(m.commands[i].line, c.commands[i].line);
  }
  ASSERT_EQ(m.errors.size(), c.errors.size());
  for (std::size_t i = 0; i < c.errors.size(); ++i) {
    SCOPED_TRACE("error " + std::to_string(i));
    EXPECT_EQ(m.errors[i].line, c.errors[i].line);
    EXPECT_EQ(m.errors[i].text, c.errors[i].text);
    EXPECT_EQ(m.errors[i].reason, c.errors[i].reason);
  }
  EXPECT_EQ(m.is_note, c.is_note);
  EXPECT_EQ(m.body, c.body);
}

INSTANTIATE_TEST_SUITE_P(Commands, CommandsTable, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(CommandName, NamesEveryKind) {
  const std::pair<CommandKind, std::string_view> names[] = {
      {K::assign, "assign"},   {K::priority, "priority"}, {K::status, "status"},
      {K::resolve, "resolve"}, {K::close, "close"},       {K::note, "note"},
      {K::tag, "tag"},         {K::cc_add, "cc add"},     {K::cc_remove, "cc remove"},
  };
  for (const auto& [kind, name] : names) EXPECT_EQ(command_name(kind), name);
}

std::string lines(int n, std::string_view line) {
  std::string out;
  for (int i = 0; i < n; ++i) out += std::string(line) + "\n";
  return out;
}

TEST(CommandLineCap, FiftyLinesAreRead) {
  const AgentMail m = parse_agent_commands(lines(50, "#tag t") + "Body");
  EXPECT_EQ(m.commands.size(), 50u);
  EXPECT_TRUE(m.errors.empty());
  EXPECT_EQ(m.body, "Body");
}

TEST(CommandLineCap, FiftyFirstLineIsAnErrorAndTheRestStaysOutOfTheBody) {
  const AgentMail m = parse_agent_commands(lines(50, "#tag t") + "#resolve\n#close\n\nBody");
  EXPECT_EQ(m.commands.size(), 50u);
  for (const Command& c : m.commands) EXPECT_EQ(c.kind, K::tag);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].line, 51);
  EXPECT_EQ(m.errors[0].text, "#resolve");
  EXPECT_EQ(m.errors[0].reason,
            "more than 50 command lines: this line and the command lines after it were not read");
  EXPECT_EQ(m.body, "Body");
}

TEST(CommandLineCap, ErrorLinesCountTowardsTheCap) {
  const AgentMail m = parse_agent_commands(lines(60, "#bogus"));
  EXPECT_TRUE(m.commands.empty());
  EXPECT_EQ(m.errors.size(), 51u);  // 50 unknown commands + the cap
  EXPECT_EQ(m.errors.back().line, 51);
}

TEST(CommandLineCap, NoteBeyondTheCapStillKeepsTheMailInternal) {
  const AgentMail m = parse_agent_commands(lines(50, "#tag t") + "#note secret\n");
  EXPECT_TRUE(m.is_note);
  EXPECT_EQ(m.body, "secret");
}

TEST(CommandLineCap, HugeBlockIsLinear) {
  const AgentMail m = parse_agent_commands(lines(200000, "#asign x"));
  EXPECT_EQ(m.errors.size(), 51u);
  EXPECT_TRUE(m.body.empty());
}

TEST(CommandErrorText, CutTo200BytesOnACharacterBoundary) {
  // "é" is two bytes; 5 + 2*150 bytes, so byte 200 falls inside a character.
  std::string arg;
  for (int i = 0; i < 150; ++i) arg += "\xC3\xA9";
  const AgentMail m = parse_agent_commands("#tag " + arg);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].text.size(), 199u);
  EXPECT_EQ(m.errors[0].text.substr(0, 5), "#tag ");
}

TEST(CommandErrorText, LongUnknownWordIsCutInTheReason) {
  const std::string word(5000, 'z');
  const AgentMail m = parse_agent_commands("#" + word);
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].reason, "unknown command #" + std::string(40, 'z'));
  EXPECT_EQ(m.errors[0].text.size(), 200u);
}

}  // namespace
