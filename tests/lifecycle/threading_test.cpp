// The threading decision, table-driven over a small in-memory set of tickets.
#include "lifecycle/threading.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

using namespace ticketd;
using lifecycle::Evidence;

namespace {

// Two tickets: TD-1 (Karen, with Nick as CC collaborator) and TD-2 (Cliff).
class World : public lifecycle::ThreadLookup {
 public:
  std::optional<lifecycle::TicketRef> ticket_by_token(std::string_view token) override {
    auto it = tokens.find(std::string(token));
    if (it == tokens.end()) return std::nullopt;
    return ref(it->second);
  }
  std::optional<lifecycle::TicketRef> ticket_by_message_id(std::string_view id) override {
    auto it = ids.find(std::string(id));
    if (it == ids.end()) return std::nullopt;
    return ref(it->second);
  }
  std::optional<lifecycle::TicketRef> ticket_by_number(std::string_view n) override {
    if (n == "TD-1") return ref(1);
    if (n == "TD-2") return ref(2);
    return std::nullopt;
  }
  bool is_participant(std::int64_t t, std::string_view a) override {
    return people.count({t, std::string(a)}) > 0;
  }
  static lifecycle::TicketRef ref(std::int64_t id) {
    return {id, "TD-" + std::to_string(id), "open"};
  }
  std::map<std::string, std::int64_t> tokens{{"tok1aaaaaaaaaaaaaaaaaaaaaa", 1},
                                             {"tok2bbbbbbbbbbbbbbbbbbbbbb", 2}};
  std::map<std::string, std::int64_t> ids{{"k1@mail.example", 1}, {"c1@mail.example", 2}};
  std::set<std::pair<std::int64_t, std::string>> people{
      {1, "karen@example.com"}, {1, "nick@example.com"}, {2, "cliff@example.com"}};
};

struct Case {
  const char* name;
  const char* from;
  std::vector<std::string> tokens;
  std::string in_reply_to;
  std::vector<std::string> references;
  std::optional<std::string> tag;
  std::optional<std::int64_t> want_ticket;  // nullopt: new ticket
  Evidence want_by;
  std::size_t want_refused;
};

const Case kCases[] = {
    {"no_evidence_new_ticket",
     "karen@example.com",
     {},
     "",
     {},
     {},
     std::nullopt,
     Evidence::none,
     0},
    {"token_threads",
     "karen@example.com",
     {"tok1aaaaaaaaaaaaaaaaaaaaaa"},
     "",
     {},
     {},
     1,
     Evidence::token,
     0},
    {"token_from_anyone_threads",
     "boss@example.com",
     {"tok2bbbbbbbbbbbbbbbbbbbbbb"},
     "",
     {},
     {},
     2,
     Evidence::token,
     0},
    {"unknown_token_ignored",
     "karen@example.com",
     {"forgedforgedforgedforged00"},
     "",
     {},
     {},
     std::nullopt,
     Evidence::none,
     1},
    {"altered_token_falls_back_to_in_reply_to",
     "karen@example.com",
     {"tok1aaaaaaaaaaaaaaaaaaaaab"},
     "k1@mail.example",
     {},
     {},
     1,
     Evidence::in_reply_to,
     1},
    {"in_reply_to_from_requester",
     "karen@example.com",
     {},
     "k1@mail.example",
     {},
     {},
     1,
     Evidence::in_reply_to,
     0},
    {"in_reply_to_from_collaborator",
     "nick@example.com",
     {},
     "k1@mail.example",
     {},
     {},
     1,
     Evidence::in_reply_to,
     0},
    {"references_only",
     "karen@example.com",
     {},
     "",
     {"zz@elsewhere", "k1@mail.example"},
     {},
     1,
     Evidence::references,
     0},
    {"subject_tag_from_requester",
     "cliff@example.com",
     {},
     "",
     {},
     "TD-2",
     2,
     Evidence::subject_tag,
     0},
    {"stranger_in_reply_to_refused",
     "mallory@evil.example",
     {},
     "k1@mail.example",
     {},
     {},
     std::nullopt,
     Evidence::none,
     1},
    {"stranger_tag_and_references_refused",
     "mallory@evil.example",
     {},
     "",
     {"k1@mail.example"},
     "TD-1",
     std::nullopt,
     Evidence::none,
     2},
    {"participant_of_other_ticket_refused",
     "cliff@example.com",
     {},
     "",
     {},
     "TD-1",
     std::nullopt,
     Evidence::none,
     1},
    {"unknown_tag_is_new",
     "karen@example.com",
     {},
     "",
     {},
     "TD-999",
     std::nullopt,
     Evidence::none,
     0},
};

class Threading : public ::testing::TestWithParam<Case> {};

TEST_P(Threading, Decides) {
  const Case& c = GetParam();
  World w;
  parser::Message m;
  m.from.address = c.from;
  m.keys.plus_tokens = c.tokens;
  m.keys.in_reply_to = c.in_reply_to;
  m.keys.references = c.references;
  m.keys.subject_tag = c.tag;
  auto d = lifecycle::decide_thread(m, w);
  if (c.want_ticket) {
    ASSERT_TRUE(d.ticket.has_value()) << d.detail;
    EXPECT_EQ(d.ticket->id, *c.want_ticket);
  } else {
    EXPECT_FALSE(d.ticket.has_value()) << d.detail;
  }
  EXPECT_EQ(d.by, c.want_by);
  EXPECT_EQ(d.refused.size(), c.want_refused) << lifecycle::describe_refused(d.refused);
  if (!c.want_ticket && c.want_refused > 0) {
    EXPECT_NE(d.detail.find("refused"), std::string::npos) << d.detail;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Threading, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Threading, StrangerReasonNamesTicketAndSender) {
  World w;
  parser::Message m;
  m.from.address = "mallory@evil.example";
  m.keys.subject_tag = "TD-1";
  auto d = lifecycle::decide_thread(m, w);
  EXPECT_NE(d.detail.find("TD-1"), std::string::npos);
  EXPECT_NE(d.detail.find("mallory@evil.example"), std::string::npos);
  EXPECT_NE(d.detail.find("not a participant"), std::string::npos);
}

}  // namespace
