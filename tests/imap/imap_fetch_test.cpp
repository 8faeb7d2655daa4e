// ImapClient against the real Dovecot: search, batched fetch, \Seen, move, keywords.
#include <algorithm>
#include <set>

#include "tests/imap/imap_stack.h"

namespace ticketd::transport::test {
namespace {

using std::chrono::milliseconds;

class ImapFetch : public ImapStackTest {
 protected:
  // Delivers `mails` into the user's INBOX and waits until IMAP sees them all.
  std::vector<std::uint32_t> deliver(ImapClient& client, const std::string& user,
                                     const std::vector<std::string>& mails) {
    const std::string dir = maildir(user);
    for (const std::string& m : mails) drop_mail(dir, m);
    std::vector<std::uint32_t> uids;
    EXPECT_TRUE(eventually([&] {
      // NOOP makes Dovecot look at the maildir now; other commands use its
      // last sync, which for a maildir may be up to 5 s old.
      client.noop();
      uids = client.search_uids_since(0).value_or(std::vector<std::uint32_t>{});
      return uids.size() == mails.size();
    })) << "saw "
        << uids.size() << " of " << mails.size();
    return uids;
  }
};

// Bodies that test the literal handling: 8-bit text, lines that look like
// protocol (")" alone, "{5}", a tagged OK), a 998-byte line.
std::string body_for(int i) {
  switch (i) {
    case 0:
      return "Gr\xfc\xdf"
             "e aus K\xf6ln, \xe4\xf6\xfc \xc4\xd6\xdc \xdf \xa9\xff\x80\r\n";
    case 1:
      return "before\r\n)\r\n{5}\r\nhello\r\n* 1 EXISTS\r\nt1 OK fake\r\n)\r\n";
    case 2:
      return std::string(998, 'x') + "\r\n";
    case 3:
      return "";
    default:
      return "mail number " + std::to_string(i) + "\r\n" +
             std::string(static_cast<std::size_t>(i) * 37, 'a') + "\r\n";
  }
}

std::multiset<std::string> as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

TEST_F(ImapFetch, FiftyMailsInOneBatchedFetchByteForByte) {
  const std::string user = new_user("fetch50");
  auto client = open_inbox(user);
  std::vector<std::string> mails;
  for (int i = 0; i < 50; ++i) mails.push_back(make_mail(user, i, body_for(i)));
  const std::vector<std::uint32_t> uids = deliver(*client, user, mails);
  ASSERT_EQ(uids.size(), 50u);

  auto sizes = client->fetch_sizes(uids);
  ASSERT_TRUE(sizes.has_value()) << sizes.error().detail;
  ASSERT_EQ(sizes->size(), 50u);

  const std::uint64_t fetches_before = client->stats().fetch_commands;
  auto fetched = client->fetch(uids);
  ASSERT_TRUE(fetched.has_value()) << fetched.error().detail;
  EXPECT_EQ(client->stats().fetch_commands - fetches_before, 1u);
  ASSERT_EQ(fetched->size(), 50u);
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < fetched->size(); ++i) {
    EXPECT_EQ((*fetched)[i].uid, uids[i]);
    EXPECT_EQ((*sizes)[i].uid, uids[i]);
    EXPECT_EQ((*sizes)[i].size, (*fetched)[i].bytes.size())
        << "RFC822.SIZE vs bytes, uid " << uids[i];
    bodies.push_back((*fetched)[i].bytes);
  }
  EXPECT_TRUE(as_set(bodies) == as_set(mails));
}

TEST_F(ImapFetch, FetchLeavesSeenAloneAndHumanSeenMailIsStillFound) {
  const std::string user = new_user("seen");
  auto client = open_inbox(user);
  const auto uids = deliver(
      *client, user,
      {make_mail(user, 1, "a\r\n"), make_mail(user, 2, "b\r\n"), make_mail(user, 3, "c\r\n")});
  ASSERT_EQ(uids.size(), 3u);
  // A person reads the second mail in their own client first.
  auto human = open_inbox(user);
  const std::uint32_t read_one[] = {uids[1]};
  ASSERT_TRUE(human->add_flag(read_one, "\\Seen").has_value());
  human->logout();

  auto found = client->search_uids_since(0);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, uids);
  ASSERT_EQ(client->fetch(uids).value_or(std::vector<FetchedMail>{}).size(), 3u);
  auto flags = client->fetch_flags(uids);
  ASSERT_TRUE(flags.has_value()) << flags.error().detail;
  ASSERT_EQ(flags->size(), 3u);
  for (const UidFlags& f : *flags) {
    const bool seen = std::find(f.flags.begin(), f.flags.end(), "\\Seen") != f.flags.end();
    EXPECT_EQ(seen, f.uid == uids[1]) << "uid " << f.uid;
  }
}

TEST_F(ImapFetch, SearchSinceFiltersTheHighestUidQuirk) {
  const std::string user = new_user("since");
  auto client = open_inbox(user);
  const auto uids =
      deliver(*client, user, {make_mail(user, 1, "a\r\n"), make_mail(user, 2, "b\r\n")});
  ASSERT_EQ(uids.size(), 2u);
  EXPECT_EQ(client->search_uids_since(uids[0]).value(), std::vector<std::uint32_t>{uids[1]});
  // "UID n:*" with n above every UID still returns the highest one; we drop it.
  EXPECT_TRUE(client->search_uids_since(uids[1]).value().empty());
  EXPECT_TRUE(client->search_uids_since(uids[1] + 1000).value().empty());
  EXPECT_TRUE(client->search_uids_since(UINT32_MAX).value().empty());
}

TEST_F(ImapFetch, VanishedUidsAreSimplyAbsent) {
  const std::string user = new_user("vanished");
  auto client = open_inbox(user);
  const auto uids = deliver(*client, user, {make_mail(user, 1, "a\r\n")});
  ASSERT_EQ(uids.size(), 1u);
  const std::uint32_t asked[] = {uids[0], uids[0] + 50, uids[0] + 51};
  auto got = client->fetch(asked);
  ASSERT_TRUE(got.has_value()) << got.error().detail;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(client->fetch_sizes(asked).value().size(), 1u);
}

void check_move(ImapClient& client, const std::vector<std::uint32_t>& uids) {
  const std::vector<std::uint32_t> moving = {uids[0], uids[2]};
  auto moved = client.move(moving, "Processed");
  ASSERT_TRUE(moved.has_value()) << moved.error().detail;
  EXPECT_EQ(client.search_uids_since(0).value(), std::vector<std::uint32_t>{uids[1]});
  auto processed = client.select("Processed");
  ASSERT_TRUE(processed.has_value()) << processed.error().detail;
  EXPECT_EQ(processed->exists, 2u);
  auto there = client.search_uids_since(0);
  ASSERT_TRUE(there.has_value());
  EXPECT_EQ(client.fetch(*there).value().size(), 2u);
  // Nothing left marked \Deleted by the COPY path.
  const std::vector<UidFlags> flags = client.fetch_flags(*there).value();
  for (const UidFlags& f : flags) {
    EXPECT_EQ(std::find(f.flags.begin(), f.flags.end(), "\\Deleted"), f.flags.end());
  }
}

TEST_F(ImapFetch, MoveCreatesProcessedAndRemovesFromInbox) {
  const std::string user = new_user("move");
  auto client = open_inbox(user);
  const auto uids = deliver(
      *client, user,
      {make_mail(user, 1, "a\r\n"), make_mail(user, 2, "b\r\n"), make_mail(user, 3, "c\r\n")});
  ASSERT_EQ(uids.size(), 3u);
  check_move(*client, uids);
}

TEST_F(ImapFetch, MoveByCopyStoreExpungeLeavesOtherDeletedMailAlone) {
  const std::string user = new_user("copymove");
  ImapConfig c = config(user);
  c.use_move = false;
  auto client = open_inbox(user, c);
  const auto uids = deliver(
      *client, user,
      {make_mail(user, 1, "a\r\n"), make_mail(user, 2, "b\r\n"), make_mail(user, 3, "c\r\n")});
  ASSERT_EQ(uids.size(), 3u);
  // Another client marked the middle one \Deleted but did not expunge.
  auto other = open_inbox(user);
  const std::uint32_t middle[] = {uids[1]};
  ASSERT_TRUE(other->add_flag(middle, "\\Deleted").has_value());
  other->logout();
  check_move(*client, uids);
}

TEST_F(ImapFetch, KeywordMarksProcessedMail) {
  const std::string user = new_user("keyword");
  auto client = open_inbox(user);
  const auto uids =
      deliver(*client, user, {make_mail(user, 1, "a\r\n"), make_mail(user, 2, "b\r\n")});
  ASSERT_EQ(uids.size(), 2u);
  EXPECT_EQ(client->search_uids_without("$TicketdProcessed").value(), uids);
  const std::uint32_t first[] = {uids[0]};
  ASSERT_TRUE(client->add_flag(first, "$TicketdProcessed").has_value());
  EXPECT_EQ(client->search_uids_without("$TicketdProcessed").value(),
            std::vector<std::uint32_t>{uids[1]});
  auto flags = client->fetch_flags(first).value();
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_NE(std::find(flags[0].flags.begin(), flags[0].flags.end(), "$TicketdProcessed"),
            flags[0].flags.end());
  // A second client sees it too: the keyword is permanent, not session state.
  auto other = open_inbox(user);
  EXPECT_EQ(other->search_uids_without("$TicketdProcessed").value(),
            std::vector<std::uint32_t>{uids[1]});
  EXPECT_FALSE(client->add_flag(first, "bad keyword").has_value());
}

// One literal far larger than a TLS record or our read buffer; then the same
// mail over a tighter literal limit: a protocol error, the session is dropped.
TEST_F(ImapFetch, TwelveMegabyteMailAndTheLiteralLimit) {
  const std::string user = new_user("big");
  auto client = open_inbox(user);
  std::string body;
  for (std::uint32_t i = 0; body.size() < (12u << 20); ++i) {
    std::string line(76, 'a');
    for (std::size_t j = 0; j < line.size(); ++j)
      line[j] = static_cast<char>(0x21 + (i * 7 + j * 13) % 0xde);
    body += line + "\r\n";
  }
  const std::string mail = make_mail(user, 1, body);
  const auto uids = deliver(*client, user, {mail});
  ASSERT_EQ(uids.size(), 1u);
  auto got = client->fetch(uids);
  ASSERT_TRUE(got.has_value()) << got.error().detail;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_TRUE((*got)[0].bytes == mail);

  ImapConfig tight = config(user);
  tight.limits.max_literal_bytes = 1u << 20;
  auto limited = open_inbox(user, tight);
  auto refused = limited->fetch(uids);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ImapErrorKind::protocol) << refused.error().detail;
  EXPECT_FALSE(limited->connected());
  ASSERT_TRUE(limited->connect().has_value());
  EXPECT_EQ(limited->select("INBOX").value().exists, 1u);
  EXPECT_EQ(limited->fetch_sizes(uids).value().at(0).size, mail.size());
}

// Not a pass/fail test: prints throughput for the report (500 mails of ~20 KB).
TEST_F(ImapFetch, Throughput500Mails) {
  const std::string user = new_user("bulk");
  auto client = open_inbox(user);
  std::vector<std::string> mails;
  std::string filler;
  for (int line = 0; line < 260; ++line)
    filler +=
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit " + std::to_string(line) + "\r\n";
  for (int i = 0; i < 500; ++i) mails.push_back(make_mail(user, i, body_for(i % 4) + filler));
  const auto uids = deliver(*client, user, mails);
  ASSERT_EQ(uids.size(), 500u);
  for (std::size_t batch : {std::size_t{100}, std::size_t{500}}) {
    ImapConfig c = config(user);
    c.limits.fetch_batch_count = batch;
    auto fresh = open_inbox(user, c);
    const auto start = std::chrono::steady_clock::now();
    auto got = fresh->fetch(uids);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(got.has_value()) << got.error().detail;
    ASSERT_EQ(got->size(), 500u);
    std::size_t bytes = 0;
    for (const auto& m : *got) bytes += m.bytes.size();
    std::printf("fetch 500 mails, batch %zu (%llu UID FETCH): %.1f MB in %.3f s = %.1f MB/s\n",
                batch, static_cast<unsigned long long>(fresh->stats().fetch_commands), bytes / 1e6,
                s, bytes / 1e6 / s);
  }
}

}  // namespace
}  // namespace ticketd::transport::test
