// ImapClient refusals that need no server: bad URLs, plaintext off loopback,
// a port nobody listens on, calls without a session.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/imap.h"

namespace ticketd::transport {
namespace {

ImapConfig config_for(std::string url) {
  ImapConfig c;
  c.url = std::move(url);
  c.username = "support@example.com";
  c.password = "hunter2-secret";
  c.timeouts.connect = std::chrono::milliseconds(3000);
  return c;
}

struct UrlCase {
  const char* url;
  bool plaintext;
};

TEST(ImapConfig, BadUrlsAreConfigErrors) {
  const UrlCase cases[] = {
      {"http://mail.example.com", false},
      {"imap://user:hunter2-secret@mail.example.com", false},
      {"imap://mail.example.com/INBOX", false},
      {"not a url", false},
      {"imap://mail.example.com:1143", true},  // plaintext only to loopback
      {"imap://10.0.0.1", true},
  };
  for (const auto& c : cases) {
    ImapConfig config = config_for(c.url);
    config.allow_plaintext_loopback = c.plaintext;
    ImapClient client(config);
    auto r = client.connect();
    ASSERT_FALSE(r.has_value()) << c.url;
    EXPECT_EQ(r.error().kind, ImapErrorKind::config) << c.url << ": " << r.error().detail;
    EXPECT_FALSE(r.error().temporary);
    EXPECT_EQ(r.error().detail.find("hunter2"), std::string::npos) << r.error().detail;
  }
}

int unused_port() {
  int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(s);  // nobody listens there now
  return ntohs(a.sin_port);
}

TEST(ImapConfig, RefusedPortIsATemporaryConnectionError) {
  ImapClient client(config_for("imap://127.0.0.1:" + std::to_string(unused_port())));
  auto r = client.connect();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ImapErrorKind::connection) << r.error().detail;
  EXPECT_TRUE(r.error().temporary);
  EXPECT_FALSE(client.connected());
}

TEST(ImapConfig, CallsWithoutASessionFail) {
  ImapClient client(config_for("imaps://127.0.0.1:1"));
  EXPECT_EQ(client.select("INBOX").error().kind, ImapErrorKind::connection);
  EXPECT_EQ(client.search_uids_since(0).error().kind, ImapErrorKind::connection);
  EXPECT_EQ(client.idle(std::chrono::milliseconds(10)).error().kind, ImapErrorKind::connection);
  const std::uint32_t uids[] = {1};
  EXPECT_EQ(client.fetch(uids).error().kind, ImapErrorKind::connection);
  EXPECT_EQ(client.add_flag(uids, "bad flag").error().kind, ImapErrorKind::config);
  client.logout();  // harmless
}

TEST(ImapConfig, ErrorKindNames) {
  EXPECT_EQ(imap_error_kind_name(ImapErrorKind::tls_verify), "tls_verify");
  EXPECT_EQ(imap_error_kind_name(ImapErrorKind::auth), "auth");
}

}  // namespace
}  // namespace ticketd::transport
