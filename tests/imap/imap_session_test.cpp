// ImapClient against the real Dovecot: TLS, login, select, UIDVALIDITY, restart.
#include <filesystem>

#include "tests/imap/imap_stack.h"

namespace ticketd::transport::test {
namespace {

using std::chrono::milliseconds;

class ImapSession : public ImapStackTest {};

void expect_selected_inbox(ImapClient& client) {
  auto box = client.select("INBOX");
  ASSERT_TRUE(box.has_value()) << box.error().detail;
  EXPECT_GT(box->uidvalidity, 0u);
  EXPECT_GE(box->uidnext, 1u);
  EXPECT_EQ(box->exists, 0u);
  EXPECT_TRUE(box->has_idle);
  EXPECT_TRUE(box->has_move);
  EXPECT_TRUE(box->has_uidplus);
  EXPECT_TRUE(box->keywords_allowed);
}

TEST_F(ImapSession, StartTlsVerifiedWithCaFile) {
  ImapClient client(config(new_user("starttls")));
  auto r = client.connect();
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_TRUE(client.connected());
  expect_selected_inbox(client);
  EXPECT_EQ(client.stats().connects, 1u);
  client.logout();
  EXPECT_FALSE(client.connected());
}

TEST_F(ImapSession, ImplicitTls) {
  ImapClient client(config(new_user("imaps"), /*imaps=*/true));
  auto r = client.connect();
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  expect_selected_inbox(client);
  client.logout();
}

TEST_F(ImapSession, PlaintextOnlyWhenAllowedForLoopback) {
  const std::string user = new_user("plain");
  ImapConfig c = config(user);
  c.ca_file.clear();  // no TLS at all, so no certificate to check
  c.allow_plaintext_loopback = true;
  ImapClient client(c);
  auto r = client.connect();
  ASSERT_TRUE(r.has_value()) << r.error().detail;  // Dovecot counts loopback as secure
  EXPECT_TRUE(client.select("INBOX").has_value());
  client.logout();
}

// Dropping a client mid-IDLE must not wait for curl's own LOGOUT round trip.
TEST_F(ImapSession, DestroyingAConnectedClientIsQuick) {
  auto client = open_inbox(new_user("drop"));
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(300));
    client->interrupt();
  });
  EXPECT_EQ(client->idle(milliseconds(5000)).value(), IdleOutcome::interrupted);
  stopper.join();
  const auto start = std::chrono::steady_clock::now();
  client.reset();
  const auto ms =
      std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::printf("destroying a connected client took %lld ms\n", static_cast<long long>(ms));
  EXPECT_LT(ms, 1000);
}

TEST_F(ImapSession, WrongPasswordIsAuthErrorWithoutThePassword) {
  ImapConfig c = config(new_user("badpass"));
  c.password = "Wr0ng-pa55word-xyzzy";
  ImapClient client(c);
  auto r = client.connect();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::auth) << r.error().detail;
  EXPECT_FALSE(r.error().temporary);
  EXPECT_EQ(r.error().detail.find("Wr0ng"), std::string::npos) << r.error().detail;
  std::printf("auth error text: %s\n", r.error().detail.c_str());
  EXPECT_FALSE(client.connected());
}

TEST_F(ImapSession, WithoutTheCaFileTheSelfSignedCertIsRefused) {
  for (bool imaps : {false, true}) {
    ImapConfig c = config(new_user("noca"), imaps);
    c.ca_file.clear();
    ImapClient client(c);
    auto r = client.connect();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().kind, ImapErrorKind::tls_verify) << r.error().detail;
    EXPECT_FALSE(r.error().temporary);
    std::printf("tls error text (%s): %s\n", imaps ? "imaps" : "starttls",
                r.error().detail.c_str());
  }
}

TEST_F(ImapSession, UnknownFolderIsRejectedAndTheSessionGoesOn) {
  auto client = open_inbox(new_user("nofolder"));
  auto r = client->select("NoSuchFolder");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::rejected) << r.error().detail;
  EXPECT_TRUE(client->connected());
  EXPECT_TRUE(client->select("INBOX").has_value());
  EXPECT_TRUE(client->create_folder("Processed").has_value());
  EXPECT_TRUE(client->create_folder("Processed").has_value());  // exists: fine
  EXPECT_TRUE(client->select("Processed").has_value());
}

TEST_F(ImapSession, CallsBeforeSelectAreRejected) {
  ImapClient client(config(new_user("noselect")));
  ASSERT_TRUE(client.connect().has_value());
  auto r = client.search_uids_since(0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::rejected);
}

// UIDVALIDITY changes when Dovecot loses its UID list (a restored backup, an
// admin's cleanup): the caller must notice it and rescan.
TEST_F(ImapSession, UidvalidityChangesWhenTheUidListIsLost) {
  const std::string user = new_user("uidvalidity");
  auto client = open_inbox(user);
  const std::uint32_t before = client->mailbox().uidvalidity;
  drop_mail(maildir(user), make_mail(user, 1, "hello\r\n"));
  ASSERT_TRUE(eventually([&] { return client->noop().value_or(false); }));
  client->logout();
  // Dovecot takes new UIDVALIDITY values from the clock (seconds).
  std::this_thread::sleep_for(milliseconds(1100));
  std::filesystem::remove(std::filesystem::path(maildir(user)) / "dovecot-uidlist");
  std::filesystem::remove_all(std::filesystem::path(maildir(user)) / "dovecot.index");
  std::filesystem::remove(std::filesystem::path(maildir(user)) / "dovecot.index.log");
  auto again = open_inbox(user);
  const std::uint32_t after = again->mailbox().uidvalidity;
  std::printf("uidvalidity before=%u after=%u\n", before, after);
  EXPECT_NE(before, after);
  EXPECT_EQ(again->mailbox().exists, 1u);
}

}  // namespace
}  // namespace ticketd::transport::test
