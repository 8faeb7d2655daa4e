// The loop and abuse guard: tables of named cases for each of its three
// questions, with the boundaries (rate limit, expiry, open-ticket cap) spelled out.
#include "lifecycle/guard.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>

#include "parser/parse.h"

using namespace ticketd;
using lifecycle::GuardSettings;
using lifecycle::RecipientHistory;
using parser::AutoKind;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

GuardSettings settings() {
  GuardSettings s;
  s.max_auto_per_recipient = 5;
  s.rate_window_seconds = 3600;
  s.max_open_tickets_per_sender = 20;
  s.our_addresses = {"support@example.com", "bounces@example.com"};
  s.our_message_id_domain = "tickets.example.com";
  return s;
}

// --- automatic_mail_reason ---

struct AutoCase {
  const char* name;
  AutoKind kind;
  std::string detail;
  std::string from;
  std::string message_id;
  std::string id_domain;              // overrides settings().our_message_id_domain
  std::optional<std::string> reason;  // nullopt: a person wrote it
};

const AutoCase kAutoCases[] = {
    {"person", AutoKind::none, "", "karen@example.org", "abc@mail.example.org",
     "tickets.example.com", std::nullopt},
    {"auto_reply", AutoKind::auto_reply, "Auto-Submitted: auto-replied", "karen@example.org", "x@y",
     "tickets.example.com", "automatic mail: auto_reply (header Auto-Submitted: auto-replied)"},
    {"bulk", AutoKind::bulk, "Precedence: bulk", "news@example.org", "x@y", "tickets.example.com",
     "automatic mail: bulk (header Precedence: bulk)"},
    {"auto_generated_without_detail", AutoKind::auto_generated, "", "karen@example.org", "x@y",
     "tickets.example.com", "automatic mail: auto_generated"},
    {"delivery_report", AutoKind::delivery_report, "MAILER-DAEMON", "mailer-daemon@example.org",
     "x@y", "tickets.example.com", "automatic mail: delivery_report (header MAILER-DAEMON)"},
    {"detail_on_one_line", AutoKind::auto_reply, "auto-replied\r\n\tx", "k@example.org", "",
     "tickets.example.com", "automatic mail: auto_reply (header auto-replied   x)"},
    {"kind_wins_over_our_address", AutoKind::bulk, "Precedence: junk", "support@example.com", "",
     "tickets.example.com", "automatic mail: bulk (header Precedence: junk)"},
    {"our_address", AutoKind::none, "", "support@example.com", "", "tickets.example.com",
     "automatic mail: sent from our own address support@example.com"},
    {"our_address_other_case", AutoKind::none, "", "Support@Example.COM", "", "tickets.example.com",
     "automatic mail: sent from our own address Support@Example.COM"},
    {"our_bounce_address", AutoKind::none, "", "bounces@example.com", "", "tickets.example.com",
     "automatic mail: sent from our own address bounces@example.com"},
    {"our_address_plus_extension", AutoKind::none, "", "support+abc123@example.com", "",
     "tickets.example.com", "automatic mail: sent from our own address support+abc123@example.com"},
    {"similar_address_not_ours", AutoKind::none, "", "support@example.com.evil", "",
     "tickets.example.com", std::nullopt},
    {"other_local_part_with_plus_not_ours", AutoKind::none, "", "supporter+x@example.com", "",
     "tickets.example.com", std::nullopt},
    {"our_message_id", AutoKind::none, "", "karen@example.org", "td.1.abc@tickets.example.com",
     "tickets.example.com",
     "automatic mail: Message-ID <td.1.abc@tickets.example.com> is one of ours (our own mail "
     "came back)"},
    {"our_message_id_other_case", AutoKind::none, "", "karen@example.org",
     "td.1.abc@Tickets.Example.COM", "tickets.example.com",
     "automatic mail: Message-ID <td.1.abc@Tickets.Example.COM> is one of ours (our own mail "
     "came back)"},
    {"message_id_subdomain_of_ours_is_not_ours", AutoKind::none, "", "karen@example.org",
     "abc@mail.tickets.example.com", "tickets.example.com", std::nullopt},
    {"message_id_without_at_sign_not_ours", AutoKind::none, "", "karen@example.org",
     "abctickets.example.com", "tickets.example.com", std::nullopt},
    {"message_id_check_off_when_domain_empty", AutoKind::none, "", "karen@example.org",
     "td.1.abc@tickets.example.com", "", std::nullopt},
    {"message_id_domain_with_leading_at", AutoKind::none, "", "karen@example.org",
     "td.1.abc@tickets.example.com", "@tickets.example.com",
     "automatic mail: Message-ID <td.1.abc@tickets.example.com> is one of ours (our own mail "
     "came back)"},
    {"empty_message_id_not_ours", AutoKind::none, "", "karen@example.org", "",
     "tickets.example.com", std::nullopt},
};

class AutomaticMail : public testing::TestWithParam<AutoCase> {};

TEST_P(AutomaticMail, Reason) {
  const AutoCase& c = GetParam();
  parser::Message msg;
  msg.auto_kind = c.kind;
  if (!c.detail.empty()) msg.auto_evidence.push_back({parser::EvidenceKind::header, c.detail});
  msg.from.address = c.from;
  msg.keys.message_id = c.message_id;
  GuardSettings s = settings();
  s.our_message_id_domain = c.id_domain;
  EXPECT_EQ(lifecycle::automatic_mail_reason(msg, s), c.reason);
}

INSTANTIATE_TEST_SUITE_P(Guard, AutomaticMail, testing::ValuesIn(kAutoCases),
                         [](const testing::TestParamInfo<AutoCase>& info) {
                           return info.param.name;
                         });

TEST(AutomaticMailParsed, AutoSubmittedHeaderFromTheParser) {
  const parser::Message msg = parser::parse_message(
      "From: Karen <karen@example.org>\r\nTo: support@example.com\r\n"
      "Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n"
      "Message-ID: <ooo1@example.org>\r\n\r\nI am away.\r\n");
  const auto reason = lifecycle::automatic_mail_reason(msg, settings());
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(*reason,
            "automatic mail: auto_reply (header Auto-Submitted: auto-replied; subject Out of "
            "office)");
}

TEST(AutomaticMailParsed, LongDetailIsCut) {
  parser::Message msg;
  msg.auto_kind = AutoKind::bulk;
  msg.auto_evidence = {{parser::EvidenceKind::header, std::string(10000, 'x')},
                       {parser::EvidenceKind::sender, "s"},
                       {parser::EvidenceKind::subject, "never shown: two pieces are enough"}};
  const auto reason = lifecycle::automatic_mail_reason(msg, settings());
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(*reason, "automatic mail: bulk (header " + std::string(100, 'x') + "; sender s)");
}

// --- recipient_block_reason ---

struct RecipientCase {
  const char* name;
  std::string address;
  RecipientHistory history;
  std::optional<std::string> reason;  // nullopt: may send
};

RecipientHistory sent(int n) {
  RecipientHistory h;
  h.auto_sent_in_window = n;
  return h;
}

RecipientHistory failing(std::int64_t until) {
  RecipientHistory h;
  h.failing_until = until;
  return h;
}

const RecipientCase kRecipientCases[] = {
    {"fresh_address", "karen@example.org", {}, std::nullopt},
    {"our_address", "support@example.com", {}, "support@example.com is one of our own addresses"},
    {"our_address_other_case",
     "SUPPORT@example.com",
     {},
     "SUPPORT@example.com is one of our own addresses"},
    {"our_address_plus_extension",
     "support+tok@example.com",
     {},
     "support+tok@example.com is one of our own addresses"},
    {"empty_address", "", {}, "no recipient address"},
    {"failing_before_expiry", "karen@example.org", failing(kNow + 3600),
     "failing address: delivery to karen@example.org failed; no automatic mail for another "
     "3600 s"},
    {"failing_one_second_left", "karen@example.org", failing(kNow + 1),
     "failing address: delivery to karen@example.org failed; no automatic mail for another 1 s"},
    {"failing_expires_exactly_now", "karen@example.org", failing(kNow), std::nullopt},
    {"failing_after_expiry", "karen@example.org", failing(kNow - 60), std::nullopt},
    {"rate_below_limit", "karen@example.org", sent(4), std::nullopt},
    {"rate_at_limit", "karen@example.org", sent(5),
     "rate limit: 5 automatic mails to karen@example.org in the last 3600 s"},
    {"rate_above_limit", "karen@example.org", sent(9),
     "rate limit: 9 automatic mails to karen@example.org in the last 3600 s"},
    {"our_address_checked_first", "support@example.com", sent(9),
     "support@example.com is one of our own addresses"},
};

class RecipientBlock : public testing::TestWithParam<RecipientCase> {};

TEST_P(RecipientBlock, Reason) {
  const RecipientCase& c = GetParam();
  EXPECT_EQ(lifecycle::recipient_block_reason(c.address, c.history, settings(), kNow), c.reason);
}

INSTANTIATE_TEST_SUITE_P(Guard, RecipientBlock, testing::ValuesIn(kRecipientCases),
                         [](const testing::TestParamInfo<RecipientCase>& info) {
                           return info.param.name;
                         });

TEST(RecipientBlockSettings, WindowAndMaximumComeFromSettings) {
  GuardSettings s = settings();
  s.max_auto_per_recipient = 2;
  s.rate_window_seconds = 600;
  EXPECT_EQ(lifecycle::recipient_block_reason("a@example.org", sent(1), s, kNow), std::nullopt);
  EXPECT_EQ(lifecycle::recipient_block_reason("a@example.org", sent(2), s, kNow),
            "rate limit: 2 automatic mails to a@example.org in the last 600 s");
}

TEST(RecipientBlockSettings, AbsurdFailingTimeDoesNotOverflow) {
  const auto reason = lifecycle::recipient_block_reason(
      "a@example.org", failing(std::numeric_limits<std::int64_t>::max()), settings(),
      std::numeric_limits<std::int64_t>::min());
  ASSERT_TRUE(reason.has_value());
  EXPECT_TRUE(reason->starts_with("failing address: ")) << *reason;
}

// --- sender_cap_reason ---

struct CapCase {
  const char* name;
  int open_tickets;
  int max;
  std::optional<std::string> reason;
};

const CapCase kCapCases[] = {
    {"none_open", 0, 20, std::nullopt},
    {"one_below_cap", 19, 20, std::nullopt},
    {"at_cap", 20, 20, "open ticket cap: karen@example.org has 20 open tickets (limit 20)"},
    {"above_cap", 21, 20, "open ticket cap: karen@example.org has 21 open tickets (limit 20)"},
    {"small_cap_below", 1, 2, std::nullopt},
    {"small_cap_at", 2, 2, "open ticket cap: karen@example.org has 2 open tickets (limit 2)"},
};

class SenderCap : public testing::TestWithParam<CapCase> {};

TEST_P(SenderCap, Reason) {
  const CapCase& c = GetParam();
  GuardSettings s = settings();
  s.max_open_tickets_per_sender = c.max;
  RecipientHistory h;
  h.open_tickets = c.open_tickets;
  EXPECT_EQ(lifecycle::sender_cap_reason("karen@example.org", h, s), c.reason);
}

INSTANTIATE_TEST_SUITE_P(Guard, SenderCap, testing::ValuesIn(kCapCases),
                         [](const testing::TestParamInfo<CapCase>& info) {
                           return info.param.name;
                         });

}  // namespace
