// The pure IMAP protocol part: framing, tokenizing, FETCH/SEARCH data, UID sets.
#include "transport/imap_protocol.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "transport/imap.h"

namespace ticketd::transport::imap {
namespace {

using namespace std::string_literals;

std::vector<std::string> frame_all(std::string_view stream, std::size_t chunk) {
  ResponseReader reader(1 << 20, 1 << 20);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < stream.size(); i += chunk) {
    reader.feed(stream.substr(i, chunk));
    for (;;) {
      auto r = reader.next();
      EXPECT_TRUE(r.has_value()) << r.error().detail;
      if (!r || !*r) break;
      out.push_back(std::string(**r));
    }
  }
  EXPECT_EQ(reader.buffered(), 0u);
  return out;
}

// Literal bodies that look like protocol: a ")" line, a "{5}", CRLF, 8-bit, NUL.
const std::string kTricky =
    "Subject: x\r\n\r\n)\r\n{5}\r\nA001 OK\r\n* 1 EXISTS\r\n\xe4\xf6\xfc\0end"s;

std::string two_fetches() {
  return "* 1 FETCH (UID 10 BODY[] {" + std::to_string(kTricky.size()) + "}\r\n" + kTricky +
         ")\r\n* 2 FETCH (UID 11 BODY[] {0}\r\n)\r\nt5 OK Fetch completed.\r\n";
}

TEST(ImapReader, SplitsAtEveryChunkSizeTheSameWay) {
  const std::string stream = two_fetches();
  const std::vector<std::string> whole = frame_all(stream, stream.size());
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_EQ(whole[2], "t5 OK Fetch completed.\r\n");
  for (std::size_t chunk = 1; chunk < 40; ++chunk) {
    EXPECT_EQ(frame_all(stream, chunk), whole) << "chunk " << chunk;
  }
}

TEST(ImapReader, SplitAtEveryPosition) {
  const std::string stream = two_fetches();
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    ResponseReader reader(1 << 20, 1 << 20);
    std::vector<std::string> got;
    for (std::string_view part :
         {std::string_view(stream).substr(0, cut), std::string_view(stream).substr(cut)}) {
      reader.feed(part);
      while (auto r = reader.next()) {
        if (!*r) break;
        got.push_back(std::string(**r));
      }
    }
    ASSERT_EQ(got.size(), 3u) << "cut at " << cut;
    auto f = parse_fetch(*parse_response(got[0]));
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(*f->body, kTricky) << "cut at " << cut;
  }
}

TEST(ImapReader, LimitsAreErrors) {
  ResponseReader lines(16, 100);
  lines.feed("* OK this line is too long for the limit\r\n");
  EXPECT_FALSE(lines.next().has_value());

  ResponseReader literals(100, 10);
  literals.feed("* 1 FETCH (BODY[] {11}\r\n");
  EXPECT_FALSE(literals.next().has_value());

  ResponseReader huge(100, 100);
  huge.feed("* 1 FETCH (BODY[] {99999999999999999999999}\r\n");
  EXPECT_FALSE(huge.next().has_value());
}

// A response is handed out as a view of the reader's buffer, valid until the
// next feed() or next(): reading it then gives its bytes whole, and the
// reader keeps the ones after it.
TEST(ImapReader, AResponseIsReadInPlaceUntilTheNextCall) {
  ResponseReader reader(1 << 20, 1 << 20);
  const std::string stream = two_fetches();
  reader.feed(stream);
  auto first = reader.next();
  ASSERT_TRUE(first.has_value() && first->has_value());
  const std::string_view view = **first;
  EXPECT_EQ(view.substr(0, 18), "* 1 FETCH (UID 10 ");
  auto f = parse_fetch(*parse_response(view));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(*f->body, kTricky);
  EXPECT_EQ(reader.buffered(), stream.size() - view.size());
  // 2,000 responses of 1 KB fed one by one and read as they come: each
  // whole, nothing left over (the consumed prefix goes at the next call).
  ResponseReader many(1 << 20, 1 << 20);
  const std::string line = "* 1 FETCH (BODY[] {1000}\r\n" + std::string(1000, 'x') + ")\r\n";
  std::size_t seen = 0;
  for (int i = 0; i < 2000; ++i) {
    many.feed(line);
    while (auto r = many.next()) {
      if (!*r) break;
      EXPECT_EQ(**r, line);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2000u);
  EXPECT_EQ(many.buffered(), 0u);
}

TEST(ImapReader, LineWithoutLfWaits) {
  ResponseReader reader(1 << 10, 1 << 10);
  reader.feed("* 3 EXI");
  auto r = reader.next();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());
  reader.feed("STS\r");
  EXPECT_FALSE(reader.next()->has_value());
  reader.feed("\n");
  EXPECT_EQ(**reader.next(), "* 3 EXISTS\r\n");
}

TEST(ImapReader, NonSynchronizingAndBinaryLiteralsFrame) {
  auto got =
      frame_all("* 1 FETCH (BODY[] {3+}\r\nabc)\r\n* 2 FETCH (BINARY[] ~{2}\r\n\0\1)\r\n"s, 5);
  ASSERT_EQ(got.size(), 2u);
  auto b = parse_response(got[1]);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->data[0].items[1].text, "\0\1"s);
}

TEST(ImapParse, FetchWithSeveralLiteralsAndNil) {
  const std::string raw =
      "* 7 FETCH (UID 42 RFC822.SIZE 5 FLAGS (\\Seen $Label1) BODY[HEADER.FIELDS (FROM TO)] {4}\r\n"
      "ab\r\n BODY[] {5}\r\nhello INTERNALDATE NIL)\r\n";
  auto r = parse_response(raw);
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(r->kind, ResponseKind::untagged);
  EXPECT_EQ(r->number, 7u);
  EXPECT_EQ(r->name, "FETCH");
  auto f = parse_fetch(std::move(*r));
  ASSERT_TRUE(f.has_value()) << f.error().detail;
  EXPECT_EQ(f->sequence, 7u);
  EXPECT_EQ(f->uid, 42u);
  EXPECT_EQ(f->size, 5u);
  EXPECT_EQ(f->body, "hello");
  EXPECT_EQ(f->flags, (std::vector<std::string>{"\\Seen", "$Label1"}));
}

TEST(ImapParse, BodyNilIsEmpty) {
  auto f = parse_fetch(*parse_response("* 1 FETCH (UID 3 BODY[] NIL)\r\n"));
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->body, "");
}

TEST(ImapParse, QuotedStringsWithEscapes) {
  auto r = parse_response("* LIST (\\HasNoChildren) \"/\" \"a \\\"b\\\" \\\\c\"\r\n");
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  ASSERT_EQ(r->data.size(), 3u);
  EXPECT_EQ(r->data[1].text, "/");
  EXPECT_EQ(r->data[2].kind, Value::Kind::string);
  EXPECT_EQ(r->data[2].text, "a \"b\" \\c");
}

struct BadCase {
  const char* name;
  std::string raw;
};

TEST(ImapParse, MalformedResponsesAreErrors) {
  const std::vector<BadCase> cases = {
      {"unterminated quote", "* LIST () \"/\" \"abc\r\n"},
      {"unterminated list", "* 1 FETCH (UID 1\r\n"},
      {"stray paren", "* SEARCH 1)\r\n"},
      {"literal shorter than announced", "* 1 FETCH (BODY[] {10}\r\nabc)\r\n"},
      {"tagged non-status", "t1 FETCH 1\r\n"},
      {"empty", "\r\n"},
      {"deep nesting", "* X " + std::string(100, '(') + std::string(100, ')') + "\r\n"},
  };
  for (const auto& c : cases) EXPECT_FALSE(parse_response(c.raw).has_value()) << c.name;
}

TEST(ImapParse, MalformedFetchIsError) {
  EXPECT_FALSE(parse_fetch(*parse_response("* 1 FETCH (UID)\r\n")).has_value());
  EXPECT_FALSE(parse_fetch(*parse_response("* 1 FETCH (UID abc)\r\n")).has_value());
  EXPECT_FALSE(parse_fetch(*parse_response("* 1 FETCH (UID 0)\r\n")).has_value());
  EXPECT_FALSE(parse_fetch(*parse_response("* 1 FETCH UID 3\r\n")).has_value());
}

TEST(ImapParse, StatusResponsesWithCodes) {
  auto t = parse_response("t12 NO [TRYCREATE] Mailbox doesn't exist: Processed\r\n");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->kind, ResponseKind::tagged);
  EXPECT_EQ(t->tag, "t12");
  EXPECT_EQ(t->name, "NO");
  EXPECT_EQ(t->code, "TRYCREATE");
  EXPECT_EQ(t->text, "Mailbox doesn't exist: Processed");

  auto v = parse_response("* OK [UIDVALIDITY 1732670000] UIDs valid\r\n");
  EXPECT_EQ(v->code, "UIDVALIDITY");
  EXPECT_EQ(v->code_args, "1732670000");

  auto p = parse_response("* OK [PERMANENTFLAGS (\\Answered \\Seen \\*)] Flags permitted.\r\n");
  EXPECT_EQ(p->code, "PERMANENTFLAGS");
  EXPECT_EQ(p->code_args, "(\\Answered \\Seen \\*)");

  auto bye = parse_response("* BYE Server shutting down.\r\n");
  EXPECT_TRUE(bye->is_status());
  EXPECT_EQ(bye->name, "BYE");
  EXPECT_EQ(bye->text, "Server shutting down.");

  auto plain = parse_response("t3 ok done\r\n");
  EXPECT_EQ(plain->name, "OK");
  EXPECT_EQ(plain->code, "");
}

TEST(ImapParse, Capabilities) {
  auto c = parse_response("* CAPABILITY IMAP4rev1 SASL-IR idle MOVE UIDPLUS\r\n");
  EXPECT_EQ(parse_capabilities(*c),
            (std::vector<std::string>{"IMAP4REV1", "SASL-IR", "IDLE", "MOVE", "UIDPLUS"}));
  auto code = parse_response("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.\r\n");
  EXPECT_EQ(parse_capabilities(*code),
            (std::vector<std::string>{"IMAP4REV1", "STARTTLS", "AUTH=PLAIN"}));
}

TEST(ImapParse, Search) {
  EXPECT_EQ(*parse_search(*parse_response("* SEARCH\r\n")), std::vector<std::uint32_t>{});
  EXPECT_EQ(*parse_search(*parse_response("* SEARCH 3 4 4294967295\r\n")),
            (std::vector<std::uint32_t>{3, 4, 4294967295u}));
  EXPECT_EQ(*parse_search(*parse_response("* SEARCH 5 9 (MODSEQ 917162500)\r\n")),
            (std::vector<std::uint32_t>{5, 9}));
  EXPECT_FALSE(parse_search(*parse_response("* SEARCH 1 4294967296\r\n")).has_value());
  EXPECT_FALSE(parse_search(*parse_response("* SEARCH 1 x\r\n")).has_value());
}

TEST(ImapParse, IdleConversation) {
  const std::string stream =
      "+ idling\r\n* 4 EXISTS\r\n* 1 RECENT\r\n* OK Still here\r\n* 2 EXPUNGE\r\n"
      "* 3 FETCH (FLAGS (\\Seen))\r\nt9 OK Idle completed (0.001 + 2.5 secs).\r\n";
  std::vector<Response> got;
  for (const std::string& raw : frame_all(stream, 7)) got.push_back(*parse_response(raw));
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[0].kind, ResponseKind::continuation);
  EXPECT_EQ(got[0].text, "idling");
  EXPECT_EQ(got[1].name, "EXISTS");
  EXPECT_EQ(got[1].number, 4u);
  EXPECT_EQ(got[2].name, "RECENT");
  EXPECT_EQ(got[3].name, "OK");
  EXPECT_EQ(got[4].name, "EXPUNGE");
  EXPECT_EQ(got[4].number, 2u);
  EXPECT_EQ(got[5].name, "FETCH");
  EXPECT_EQ(got[6].kind, ResponseKind::tagged);
  EXPECT_EQ(got[6].text, "Idle completed (0.001 + 2.5 secs).");
  auto bare = parse_response("+\r\n");
  EXPECT_EQ(bare->kind, ResponseKind::continuation);
}

struct UidSetCase {
  std::vector<std::uint32_t> uids;
  std::string set;
};

TEST(ImapUidSet, Compacts) {
  const std::vector<UidSetCase> cases = {
      {{}, ""},
      {{7}, "7"},
      {{1, 2, 3, 4, 5, 7, 9, 10, 11, 12}, "1:5,7,9:12"},
      {{12, 9, 3, 1, 2, 3, 10, 11, 11}, "1:3,9:12"},
      {{4294967294u, 4294967295u, 1}, "1,4294967294:4294967295"},
      {{2, 4, 6}, "2,4,6"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(format_uid_set(c.uids), c.set);
    if (c.set.empty()) continue;
    std::vector<std::uint32_t> sorted = c.uids;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    EXPECT_EQ(*parse_uid_set(c.set, 1000), sorted) << c.set;
  }
}

TEST(ImapUidSet, ParseRefusesJunkAndHugeRanges) {
  EXPECT_FALSE(parse_uid_set("1:x", 10).has_value());
  EXPECT_FALSE(parse_uid_set("0", 10).has_value());
  EXPECT_FALSE(parse_uid_set("1:4294967295", 1000).has_value());
  EXPECT_FALSE(parse_uid_set("1:5,7:12", 10).has_value());
  EXPECT_EQ(parse_uid_set("5:3", 10)->size(), 3u);
}

TEST(ImapBatches, ByCountAndBytes) {
  const std::vector<UidSize> mails = {{1, 10}, {2, 10}, {3, 10}, {4, 500}, {5, 10}, {6, 10}};
  EXPECT_EQ(plan_fetch_batches(mails, 2, 1000),
            (std::vector<std::vector<std::uint32_t>>{{1, 2}, {3, 4}, {5, 6}}));
  EXPECT_EQ(plan_fetch_batches(mails, 100, 100),
            (std::vector<std::vector<std::uint32_t>>{{1, 2, 3}, {4}, {5, 6}}));
  EXPECT_TRUE(plan_fetch_batches({}, 10, 10).empty());
}

TEST(ImapQuote, NamesAndFlags) {
  EXPECT_EQ(*quote("Processed"), "\"Processed\"");
  EXPECT_EQ(*quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_FALSE(quote("a\r\nb").has_value());
  EXPECT_FALSE(quote("Gel\xc3\xb6scht").has_value());
  EXPECT_FALSE(quote("a\0b"s).has_value());
  EXPECT_TRUE(is_valid_flag("$TicketdProcessed"));
  EXPECT_TRUE(is_valid_flag("\\Seen"));
  EXPECT_TRUE(is_valid_flag("\\deleted"));
  EXPECT_FALSE(is_valid_flag("\\Recent"));
  EXPECT_FALSE(is_valid_flag("two words"));
  EXPECT_FALSE(is_valid_flag("a)b"));
  EXPECT_FALSE(is_valid_flag(""));
  EXPECT_FALSE(is_valid_flag("x\r\n"));
}

}  // namespace
}  // namespace ticketd::transport::imap
