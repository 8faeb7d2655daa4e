// Config loading: the shipped example is valid, and each kind of mistake is
// reported as "file:line: key: problem".
#include "daemon/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using ticketd::daemon::ConfigError;
using ticketd::daemon::load_config;
namespace fs = std::filesystem;

namespace {

TEST(Config, ShippedExampleIsValid) {
  auto c = load_config(std::string(TICKETD_SOURCE_DIR) + "/ticketd.example.toml");
  EXPECT_EQ(c.store.path, "/var/lib/ticketd/ticketd.db");
  EXPECT_EQ(c.support.address, "support@example.com");
  EXPECT_EQ(c.tickets.prefix, "TD-");
  EXPECT_EQ(c.tickets.secret_file, "/var/lib/ticketd/ticketd.secret");
  EXPECT_EQ(c.limits.max_message_bytes, 64ll << 20);
  // The help-desk part: teams, agents, compiled rules, timings.
  ASSERT_NE(c.directory.team("accounts"), nullptr);
  ASSERT_NE(c.directory.agent("nick.moss@example.com"), nullptr);
  EXPECT_EQ(c.directory.agent("Priya Shah")->address, "priya.shah@example.com");
  EXPECT_GE(c.rules->rules().size(), 4u);
  EXPECT_EQ(c.lifecycle.auto_close_after_seconds, 7 * 86400);
  EXPECT_EQ(c.lifecycle.sla.at(ticketd::lifecycle::Priority::urgent).first_response_seconds, 3600);
  EXPECT_EQ(c.guard.max_auto_per_recipient, 5);
  EXPECT_EQ(c.guard.max_collaborators_per_mail, 20);
  EXPECT_EQ(c.guard.our_message_id_domain, "ticketd.example.com");
  EXPECT_EQ(c.daemon.batch_mails, 2000);
}

struct Bad {
  const char* name;
  const char* body;
  const char* want;  // substring of the error after "file:"
};

const Bad kBad[] = {
    {"unknown_key", "[store]\npath = \"a.db\"\ncolour = 1\n[support]\naddress = \"s@x.example\"\n",
     ":3: store.colour: unknown key"},
    {"unknown_table", "[stor]\npath = \"a.db\"\n", ":1: stor: unknown table"},
    {"duplicate_key", "[store]\npath = \"a.db\"\npath = \"b.db\"\n",
     ":3: store.path: duplicate key"},
    {"wrong_type", "[store]\npath = 5\n", ":2: store.path: must be a string"},
    {"out_of_range",
     "[store]\npath = \"a\"\nbusy_timeout_ms = -1\n[support]\naddress = \"s@x.example\"\n",
     ":3: store.busy_timeout_ms: must be between"},
    {"batch_mails_zero",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[daemon]\nbatch_mails = 0\n",
     ":6: daemon.batch_mails: must be between"},
    {"collaborators_out_of_range",
     "[store]\npath = \"a\"\n[support]\naddress = "
     "\"s@x.example\"\n[guard]\nmax_collaborators_per_mail = "
     "5000\n",
     ":6: guard.max_collaborators_per_mail: must be between"},
    {"missing_required", "[store]\npath = \"a.db\"\n", "support.address: required key missing"},
    {"bad_address", "[store]\npath = \"a\"\n[support]\naddress = \"Support <s@x>\"\n",
     ":4: support.address: not a plain address"},
    {"crlf_in_value",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\nname = \"a\\r\\nBcc: x\"\n",
     ":5: support.name: must not contain CR or LF"},
    {"bad_prefix",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[tickets]\nprefix = \"T D\"\n",
     ":6: tickets.prefix: only letters"},
    {"syntax", "[store\npath = 1\n", ":1: (syntax):"},
    {"rule_bad_regex",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[rule]]\nname = \"r1\"\n"
     "when.subject = \"(unclosed\"\n",
     ":5: rule \"r1\": subject regex"},
    {"rule_unknown_team",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[rule]]\nname = \"r2\"\n"
     "then.team = \"nobody\"\n",
     "rule.then.team: rule \"r2\": unknown team \"nobody\""},
    {"rule_unknown_agent",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[rule]]\nname = \"r3\"\n"
     "then.assignee = \"ghost@x.example\"\n",
     "rule.then.assignee: rule \"r3\": unknown agent"},
    {"rule_unknown_condition",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[rule]]\nname = \"r4\"\n"
     "when.colour = \"x\"\n",
     ":7: rule.when.colour: unknown key"},
    {"agent_unknown_team",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[agent]]\nname = \"N\"\n"
     "address = \"n@x.example\"\nteams = [\"ghosts\"]\n",
     "agent.teams: unknown team \"ghosts\""},
    {"team_bad_assign",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[[team]]\nname = \"t\"\n"
     "assign = \"randomly\"\n",
     "team.assign: round-robin, least-open or an agent's address"},
    {"default_team_unknown",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[tickets]\n"
     "default_team = \"ghosts\"\n[[team]]\nname = \"help\"\n",
     ":6: tickets.default_team: unknown team \"ghosts\""},
    {"sla_unknown_priority",
     "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n[sla.critical]\n"
     "first_response_minutes = 5\n",
     "sla.critical: unknown priority"},
};

class ConfigErrors : public ::testing::TestWithParam<Bad> {};

TEST_P(ConfigErrors, NameFileLineAndKey) {
  const fs::path file =
      fs::temp_directory_path() / ("ticketd-config-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << GetParam().body;
  try {
    load_config(file.string());
    ADD_FAILURE() << "no error for " << GetParam().name;
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_TRUE(what.starts_with(file.string() + ":")) << what;
    EXPECT_NE(what.find(GetParam().want), std::string::npos) << what;
  }
  fs::remove(file);
}

INSTANTIATE_TEST_SUITE_P(Cases, ConfigErrors, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.name); });

// Loads `body` from a temporary file; returns the config and the file's name.
std::pair<ticketd::daemon::Config, std::string> load_body(const std::string& body) {
  const fs::path file =
      fs::temp_directory_path() / ("ticketd-config-ok-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << body;
  auto c = load_config(file.string());
  fs::remove(file);
  return {std::move(c), file.string()};
}

const std::string kHead = "[store]\npath = \"a\"\n[support]\naddress = \"s@x.example\"\n";
const std::string kTwoTeams =
    "[[team]]\nname = \"help\"\n[[team]]\nname = \"sales\"\n"
    "[[agent]]\nname = \"Ann\"\naddress = \"ann@x.example\"\nteams = [\"help\"]\n";

TEST(ConfigDefaultTeam, OnlyTeamIsTheDefaultWithoutWarning) {
  auto [c, file] = load_body(kHead +
                             "[[team]]\nname = \"Help\"\n[[agent]]\nname = \"Ann\"\n"
                             "address = \"ann@x.example\"\nteams = [\"help\"]\n");
  EXPECT_EQ(c.directory.default_team, "Help");
  EXPECT_EQ(c.directory.default_team_why, "the only team");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigDefaultTeam, NamedDefaultIsCanonicalised) {
  auto [c, file] = load_body(kHead + "[tickets]\ndefault_team = \"SALES\"\n" + kTwoTeams);
  EXPECT_EQ(c.directory.default_team, "sales");
  EXPECT_EQ(c.directory.default_team_why, "tickets.default_team");
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigDefaultTeam, SeveralTeamsNoDefaultNoCatchAllWarnsNamingTheFile) {
  auto [c, file] = load_body(kHead + kTwoTeams +
                             "[[rule]]\nname = \"bills\"\nwhen.subject = \"invoice\"\n"
                             "then.team = \"sales\"\n");
  EXPECT_EQ(c.directory.default_team, "");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_TRUE(c.warnings[0].starts_with(file + ": ")) << c.warnings[0];
  EXPECT_NE(c.warnings[0].find("alerts every present agent"), std::string::npos);
}

TEST(ConfigDefaultTeam, CatchAllRuleSilencesTheWarning) {
  auto [c, file] =
      load_body(kHead + kTwoTeams + "[[rule]]\nname = \"all\"\nthen.team = \"help\"\n");
  EXPECT_EQ(c.directory.default_team, "");
  EXPECT_TRUE(c.warnings.empty());
}

}  // namespace
