// Tests for strip_quoted_reply (parser/reply_strip.h).
#include "parser/reply_strip.h"

#include <gtest/gtest.h>

#include <string>

namespace ticketd::parser {
namespace {

struct ReplyCase {
  const char* name;
  std::string text;
  std::string want;
};

class ReplyStripTest : public ::testing::TestWithParam<ReplyCase> {};

TEST_P(ReplyStripTest, Strips) {
  const ReplyCase& c = GetParam();
  EXPECT_EQ(strip_quoted_reply(c.text), c.want) << "input:\n" << c.text;
}

const std::string kMarker(kReplyMarker);

const ReplyCase kReplyCases[] = {
    {"our_marker", "Thanks, that fixed it.\n\n" + kMarker + "\n\nTicket #1234 was updated.\n",
     "Thanks, that fixed it."},
    {"our_marker_quoted",
     "Works now.\n\nOn Tue, 1 Jul 2003 at 10:52, Support <help@x.com> wrote:\n> " + kMarker +
         "\n> Ticket #1234\n",
     "Works now."},
    {"our_marker_quoted_without_attribution", "Works now.\n\n> " + kMarker + "\n> Ticket #1234\n",
     "Works now."},
    {"gmail",
     "Yes, please.\n\nOn Tue, Jul 1, 2003 at 10:52 AM John Doe <j@x.com> wrote:\n\n> Shall "
     "we?\n",
     "Yes, please."},
    {"gmail_wrapped_over_two_lines",
     "Yes.\n\nOn Tue, Jul 1, 2003 at 10:52 AM Somebody With A Long Name <\nsomebody@example.com> "
     "wrote:\n\n> Question?\n",
     "Yes."},
    {"gmail_wrapped_over_three_lines",
     "Yes.\n\nOn Tue, Jul 1, 2003 at 10:52 AM\nSomebody With A Long Name\n<somebody@example.com> "
     "wrote:\n> Question?\n",
     "Yes."},
    {"apple_mail",
     "Sure.\n\nSent from my iPhone\n\nOn Jul 1, 2003, at 10:52, John Doe <j@x.com> wrote:\n\n> "
     "Can you?\n",
     "Sure.\n\nSent from my iPhone"},
    {"outlook_original_message",
     "Approved.\n\n-----Original Message-----\nFrom: John Doe [mailto:j@x.com]\nSent: Tuesday, "
     "July 1, 2003 10:52 AM\nTo: Help\nSubject: Request\n\nPlease approve.\n",
     "Approved."},
    {"outlook_original_message_german",
     "Erledigt.\n\n-----Ursprüngliche Nachricht-----\nVon: Hans\nText\n", "Erledigt."},
    {"outlook_header_block",
     "See attached.\n\nFrom: John Doe <j@x.com>\nSent: Tuesday, July 1, 2003 10:52 AM\nTo: "
     "Help <help@x.com>\nSubject: RE: [#1234] Printer\n\nOld text\n",
     "See attached."},
    {"outlook_header_block_bold",
     "See attached.\n\n*From:* John Doe <j@x.com>\n*Sent:* Tuesday, July 1, 2003 10:52 AM\n*To:* "
     "Help\n*Subject:* Printer\n\nOld text\n",
     "See attached."},
    {"outlook_header_block_with_date_field",
     "Done.\n\nFrom: Help <help@x.com>\nDate: Tuesday, 1 July 2003 at 10:52\nTo: John\n\nOld\n",
     "Done."},
    {"outlook_header_block_german",
     "Danke.\n\nVon: Hans Muster <h@x.de>\nGesendet: Dienstag, 1. Juli 2003 10:52\nAn: Hilfe "
     "<help@x.com>\nBetreff: Drucker\n\nAlter Text\n",
     "Danke."},
    {"underscores_then_from",
     "Thanks!\n\n________________________________\nFrom: Help <help@x.com>\nSent: Tuesday\nTo: "
     "John\n\nOld\n",
     "Thanks!"},
    {"underscores_then_from_only",
     "Thanks!\n________________________________\nFrom: Help <help@x.com>\nOld\n", "Thanks!"},
    {"underscores_without_from_kept", "Sign here:\n________________________________\nName\n",
     "Sign here:\n________________________________\nName"},
    {"german_attribution",
     "Hallo,\nalles gut.\n\nAm 01.07.2003 um 10:52 schrieb Hans Muster <h@x.de>:\n> Frage?\n",
     "Hallo,\nalles gut."},
    {"german_attribution_wrapped",
     "Gut.\n\nAm Di., 1. Juli 2003 um 10:52 Uhr schrieb Hans Muster\n<h@x.de>:\n\n> Frage?\n",
     "Gut."},
    {"french_attribution",
     "Merci.\n\nLe 1 juil. 2003 à 10:52, Jean Dupont <j@x.fr> a écrit :\n> Question ?\n", "Merci."},
    {"french_attribution_nbsp",
     "Merci.\n\nLe mar. 1 juil. 2003 à 10:52, Jean <j@x.fr> a écrit\xC2\xA0:\n> Q\n", "Merci."},
    {"trailing_quote_block", "Fine by me.\n\n> Is Tuesday ok?\n> Or Wednesday?\n", "Fine by me."},
    {"trailing_quote_with_attribution",
     "Fine by me.\n\nJohn Doe wrote:\n> Is Tuesday ok?\n>\n> Or Wednesday?\n\n", "Fine by me."},
    {"trailing_quote_nested", "Ok.\n\n> > old\n> newer\n>> older\n", "Ok."},
    {"inline_replies_kept", "> Question one?\nAnswer one.\n> Question two?\nAnswer two.\n",
     "> Question one?\nAnswer one.\n> Question two?\nAnswer two."},
    {"no_quote_at_all", "Hello,\n\nmy printer is broken.\n\nJohn\n",
     "Hello,\n\nmy printer is broken.\n\nJohn"},
    {"trailing_whitespace_trimmed", "\n\n  Hello   \n\n\n  \n", "  Hello"},
    {"only_quote", "> Everything is quoted\n> here\n", ""},
    {"only_attribution_and_quote",
     "On Tue, Jul 1, 2003 at 10:52 AM John <j@x.com> wrote:\n> quoted\n", ""},
    {"only_marker", kMarker + "\nTicket text\n", ""},
    {"empty", "", ""},
    {"crlf_lines", "Yes.\r\n\r\nOn Tue, Jul 1, 2003 at 10:52 AM John <j@x.com> wrote:\r\n> q\r\n",
     "Yes."},
    {"on_without_date_is_text", "On second thought I wrote:\nthe text below.\n",
     "On second thought I wrote:\nthe text below."},
    {"from_line_in_text_kept", "From: the accounting team\nPlease pay.\n",
     "From: the accounting team\nPlease pay."},
    {"earliest_pattern_wins",
     "New.\n\nOn Tue, Jul 1, 2003 at 10:52 AM John <j@x.com> wrote:\n> Mid.\n> -----Original "
     "Message-----\n> " +
         kMarker + "\n",
     "New."},
};

INSTANTIATE_TEST_SUITE_P(Cases, ReplyStripTest, ::testing::ValuesIn(kReplyCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReplyStripLarge, ManyLinesStayFast) {
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "On and on it goes 12\n";
  text += "> quoted\n";
  std::string out = strip_quoted_reply(text);
  EXPECT_EQ(out.size(), 200000u * 21 - 1);
}

TEST(ReplyStripLarge, LongAttributionLikeLine) {
  std::string text = "Top.\nOn " + std::string(1 << 20, '1') + " wrote:\n> q\n";
  // Too long to be an attribution: only the trailing quote block is cut.
  std::string out = strip_quoted_reply(text);
  EXPECT_EQ(out.substr(0, 4), "Top.");
  EXPECT_EQ(out.find("> q"), std::string::npos);
}

}  // namespace
}  // namespace ticketd::parser
