// The SMTP client against a scripted server on 127.0.0.1 (plaintext): the
// faults Postfix will not produce on demand — an echoed AUTH blob, a lost
// reply after the data, a kept connection closed with 421, a slow verdict.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "transport/curl_util.h"
#include "transport/smtp.h"

namespace ticketd::transport {
namespace {

using namespace std::chrono_literals;

// Answers one connection at a time. The script gets each command line (no
// CRLF), "<connect>" for the greeting and "." for the end of the data, and
// returns the reply (CRLF-terminated, may be multi-line); "" closes the
// connection without a word.
class ScriptedServer {
 public:
  using Script = std::function<std::string(const std::string& line)>;

  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(listen_, 4) != 0)
      throw std::runtime_error("scripted server: cannot listen");
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_);
  }

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  std::vector<std::string> commands() const {
    std::lock_guard lock(mutex_);
    return commands_;
  }
  std::vector<std::string> messages() const {  // as received: dot-stuffed, without the final "."
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  bool readable(int fd) const {
    pollfd p{fd, POLLIN, 0};
    while (!stop_) {
      if (::poll(&p, 1, 50) > 0) return true;
    }
    return false;
  }

  void run() {
    while (readable(listen_)) {
      const int fd = ::accept(listen_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      serve(fd);
      ::close(fd);
    }
  }

  bool say(int fd, const std::string& line) {
    const std::string reply = script_(line);
    return !reply.empty() && ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) > 0;
  }

  void serve(int fd) {
    if (!say(fd, "<connect>")) return;
    std::string buf;
    bool in_data = false;
    char chunk[4096];
    while (readable(fd)) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) return;
      buf.append(chunk, static_cast<std::size_t>(n));
      for (;;) {
        if (in_data) {
          const auto end = buf.starts_with(".\r\n") ? 0 : buf.find("\r\n.\r\n");
          if (end == std::string::npos) break;
          const std::size_t body = end == 0 ? 0 : end + 2;
          {
            std::lock_guard lock(mutex_);
            messages_.push_back(buf.substr(0, body));
          }
          buf.erase(0, body + 3);
          in_data = false;
          if (!say(fd, ".")) return;
          continue;
        }
        const auto eol = buf.find("\r\n");
        if (eol == std::string::npos) break;
        const std::string line = buf.substr(0, eol);
        buf.erase(0, eol + 2);
        {
          std::lock_guard lock(mutex_);
          commands_.push_back(line);
        }
        const std::string reply = script_(line);
        if (reply.empty() || ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) <= 0) return;
        if (line == "DATA" && reply.starts_with("354")) in_data = true;
        if (line == "QUIT") return;
      }
    }
  }

  Script script_;
  int listen_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> commands_, messages_;
};

// A well-behaved server; `special` may override any line's reply first.
ScriptedServer::Script polite(
    std::function<std::optional<std::string>(const std::string&)> special = {}) {
  return [special](const std::string& line) -> std::string {
    if (special)
      if (auto r = special(line)) return *r;
    if (line == "<connect>") return "220 fake ESMTP\r\n";
    if (line.starts_with("EHLO")) return "250-fake\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 1000000\r\n";
    if (line == "DATA") return "354 go ahead\r\n";
    if (line == ".") return "250 2.0.0 Ok: queued\r\n";
    if (line == "QUIT") return "221 2.0.0 Bye\r\n";
    return "250 2.0.0 Ok\r\n";
  };
}

SmtpConfig plain_config(const ScriptedServer& s) {
  return {.url = s.url(),
          .allow_plaintext_loopback = true,
          .connect_timeout = std::chrono::milliseconds(5'000),
          .timeout = std::chrono::milliseconds(10'000),
          .helo_name = "ticketd.test"};
}

const std::string small_mail = "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n";

TEST(SmtpScripted, BytesArriveDotStuffedAndOtherwiseUntouched) {
  ScriptedServer server(polite());
  SmtpClient client(plain_config(server));
  const std::string mail =
      "Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\nbare\rCR and bare\nLF stay\r\nend";
  const auto r = client.send({"bounce+1@example.com", {"a@example.test"}}, mail);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(server.messages().size(), 1u);
  // curl stuffs every line that starts with "." and ends the data with CRLF.
  EXPECT_EQ(server.messages()[0],
            "Subject: dots\r\n\r\n..leading dot\r\n...two dots\r\n..\r\nbare\rCR and bare\nLF "
            "stay\r\nend\r\n");
  const auto cmds = server.commands();
  EXPECT_EQ(cmds[0], "EHLO ticketd.test");
  EXPECT_EQ(cmds[1], "MAIL FROM:<bounce+1@example.com> SIZE=" + std::to_string(mail.size()));
}

TEST(SmtpScripted, MailStartingWithADotIsStuffedToo) {
  ScriptedServer server(polite());
  SmtpClient client(plain_config(server));
  ASSERT_TRUE(client.send({"b@example.com", {"a@example.test"}}, ".x\r\n").ok());
  EXPECT_EQ(server.messages().at(0), "..x\r\n");
}

TEST(SmtpScripted, NullSender) {
  ScriptedServer server(polite());
  SmtpClient client(plain_config(server));
  ASSERT_TRUE(client.send({"", {"a@example.test"}}, small_mail).ok());
  EXPECT_TRUE(server.commands().at(1).starts_with("MAIL FROM:<> ")) << server.commands().at(1);
}

TEST(SmtpScripted, LostReplyAfterTheDataIsTemporary) {
  // The "-q ." fault: the mail may have been queued, but we cannot know.
  std::atomic<int> dots{0};
  ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
    if (line == "." && dots++ == 0) return "";
    return std::nullopt;
  }));
  SmtpClient client(plain_config(server));
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_EQ(r.status, SmtpStatus::temporary) << r.error;
  EXPECT_EQ(r.phase, SmtpPhase::message);
  EXPECT_EQ(r.recipients.at(0).status, SmtpStatus::temporary);
  EXPECT_EQ(client.connects(), 1u);  // no silent resend: the caller decides
  const auto again = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_TRUE(again.ok()) << again.error;
  EXPECT_TRUE(again.new_connection);
  EXPECT_EQ(server.messages().size(), 2u);
}

TEST(SmtpScripted, DeadKeptConnectionIsReplacedOnce) {
  // The second MAIL FROM meets a server that has given up on the session.
  for (const std::string goodbye : {"421 4.4.2 fake idle timeout\r\n", ""}) {
    std::atomic<int> mails{0};
    ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
      if (line.starts_with("MAIL") && mails++ == 1) return goodbye;
      return std::nullopt;
    }));
    SmtpClient client(plain_config(server));
    const auto first = client.send({"b@example.com", {"a@example.test"}}, small_mail);
    ASSERT_TRUE(first.ok()) << first.error;
    EXPECT_TRUE(first.new_connection);
    const auto second = client.send({"b@example.com", {"a@example.test"}}, small_mail);
    EXPECT_TRUE(second.ok()) << goodbye << second.error;
    EXPECT_TRUE(second.new_connection);
    EXPECT_EQ(server.connections(), 2);
    EXPECT_EQ(server.messages().size(), 2u);  // once each, never twice
  }
}

TEST(SmtpScripted, SilentKeptConnectionIsNotRetriedAfterTheTimeout) {
  std::atomic<int> mails{0};
  ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
    if (line.starts_with("MAIL") && mails++ == 1) std::this_thread::sleep_for(2'500ms);
    return std::nullopt;
  }));
  SmtpConfig config = plain_config(server);
  config.timeout = 1'000ms;
  SmtpClient client(config);
  ASSERT_TRUE(client.send({"b@example.com", {"a@example.test"}}, small_mail).ok());
  const auto started = std::chrono::steady_clock::now();
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_EQ(r.status, SmtpStatus::temporary) << r.error;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1'900ms);  // one timeout, not two
  EXPECT_EQ(client.connects(), 1u);
}

TEST(SmtpScripted, RefusalsAfterMailFromAreNotRetried) {
  ScriptedServer server(polite([](const std::string& line) -> std::optional<std::string> {
    if (line.starts_with("MAIL")) return "451 4.3.0 fake trouble\r\n";
    return std::nullopt;
  }));
  SmtpClient client(plain_config(server));
  ASSERT_TRUE(client.send({"b@example.com", {"a@example.test"}}, small_mail).status ==
              SmtpStatus::temporary);
  // Second send on the kept connection? curl dropped it after the error.
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_EQ(r.status, SmtpStatus::temporary);
  EXPECT_EQ(r.code, 451);
  EXPECT_EQ(r.error, "MAIL: 451 4.3.0 fake trouble");
  EXPECT_EQ(server.connections(), 2);
}

TEST(SmtpScripted, EchoedCredentialsNeverReachErrorsOrDebugLines) {
  for (const auto mech : {SmtpAuthMechanism::plain, SmtpAuthMechanism::login}) {
    enum { none, plain, login_user, login_password } state = none;
    ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
      if (line.starts_with("AUTH PLAIN ")) return "535 5.7.8 nope: " + line + "\r\n";
      if (line == "AUTH PLAIN") return state = plain, "334 \r\n";
      if (line.starts_with("AUTH LOGIN")) return state = login_user, "334 VXNlcm5hbWU6\r\n";
      const auto was = std::exchange(state, none);
      if (was == login_user) return state = login_password, "334 UGFzc3dvcmQ6\r\n";
      if (was != none) return "535 5.7.8 bad secret " + line + "\r\n";  // echoes our answer
      return std::nullopt;
    }));
    std::vector<std::string> debug;
    SmtpConfig config = plain_config(server);
    config.username = "agent@example.test";
    config.password = "Tr0ub4dor&3";
    config.auth = mech;
    config.debug = [&](std::string_view line) { debug.emplace_back(line); };
    SmtpClient client(config);
    const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
    EXPECT_EQ(r.status, SmtpStatus::auth) << r.error;
    EXPECT_EQ(r.code, 535);
    const std::string blob = base64_encode(std::string("\0agent@example.test\0Tr0ub4dor&3", 31));
    for (const std::string& text : [&] {
           auto all = debug;
           all.push_back(r.error);
           return all;
         }()) {
      EXPECT_EQ(text.find("Tr0ub4dor&3"), std::string::npos) << text;
      EXPECT_EQ(text.find(base64_encode("Tr0ub4dor&3")), std::string::npos) << text;
      EXPECT_EQ(text.find(blob), std::string::npos) << text;
    }
    // The server did get the real thing (the secret was sent, just never shown).
    bool sent = false;
    for (const auto& c : server.commands())
      sent |= c.find(blob) != std::string::npos || c == base64_encode("Tr0ub4dor&3");
    EXPECT_TRUE(sent);
    EXPECT_NE(r.error.find("[redacted]"), std::string::npos) << r.error;
    EXPECT_TRUE(std::ranges::any_of(debug, [](const auto& l) { return l.starts_with("> AUTH "); }));
  }
}

TEST(SmtpScripted, OAuth2BearerUsesXoauth2) {
  const std::string blob = base64_encode(
      "user=agent@example.test\x01"
      "auth=Bearer ya29.SECRET-token\x01\x01");
  bool challenged = false;
  ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
    if (line.starts_with("EHLO")) return "250-fake\r\n250 AUTH PLAIN LOGIN XOAUTH2\r\n";
    if (line == "AUTH XOAUTH2") return challenged = true, "334 \r\n";
    if (challenged && std::exchange(challenged, false))
      return line == blob ? "235 2.7.0 Ok\r\n" : "535 5.7.8 bad token " + line + "\r\n";
    return std::nullopt;
  }));
  SmtpConfig config = plain_config(server);
  config.username = "agent@example.test";
  config.oauth2_bearer = "ya29.SECRET-token";
  std::string debug;
  config.debug = [&](std::string_view l) { debug.append(l).append("\n"); };
  SmtpClient client(config);
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_TRUE(r.ok()) << r.error << "\n" << debug;
  EXPECT_EQ(debug.find("SECRET"), std::string::npos) << debug;
  EXPECT_EQ(debug.find(blob), std::string::npos) << debug;
  EXPECT_NE(debug.find("> AUTH XOAUTH2"), std::string::npos) << debug;
}

TEST(SmtpScripted, SlowVerdictWithinTheTimeoutIsWaitedFor) {
  ScriptedServer server(polite([](const std::string& line) -> std::optional<std::string> {
    if (line == ".") std::this_thread::sleep_for(std::chrono::milliseconds(1'500));
    return std::nullopt;
  }));
  SmtpClient client(plain_config(server));
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_TRUE(r.ok()) << r.error;
}

TEST(SmtpScripted, VerdictLaterThanTheTimeoutIsTemporary) {
  ScriptedServer server(polite([](const std::string& line) -> std::optional<std::string> {
    if (line == ".") std::this_thread::sleep_for(std::chrono::milliseconds(2'500));
    return std::nullopt;
  }));
  SmtpConfig config = plain_config(server);
  config.timeout = std::chrono::milliseconds(1'000);
  SmtpClient client(config);
  const auto started = std::chrono::steady_clock::now();
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_EQ(r.status, SmtpStatus::temporary) << r.error;
  EXPECT_EQ(r.phase, SmtpPhase::message);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2'400));
  client.reset();
}

TEST(SmtpScripted, ConnectionLevelRefusals) {
  struct Case {
    const char* name;
    std::string greeting;
    bool plaintext;
    SmtpStatus want;
  } cases[] = {
      {"554 greeting: the server's problem, not the mail's", "554 5.3.2 go away\r\n", true,
       SmtpStatus::temporary},
      {"421 greeting", "421 4.3.2 busy\r\n", true, SmtpStatus::temporary},
      {"STARTTLS required but not offered", "220 fake\r\n", false, SmtpStatus::tls_verify},
  };
  for (const auto& c : cases) {
    ScriptedServer server(polite([&](const std::string& line) -> std::optional<std::string> {
      if (line == "<connect>") return c.greeting;
      return std::nullopt;
    }));
    SmtpConfig config = plain_config(server);
    config.allow_plaintext_loopback = c.plaintext;
    SmtpClient client(config);
    const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
    EXPECT_EQ(r.status, c.want) << c.name << ": " << r.error;
    EXPECT_TRUE(server.messages().empty()) << c.name;
  }
}

TEST(SmtpScripted, NothingListening) {
  int port = 0;
  {
    ScriptedServer gone(polite());
    port = std::stoi(gone.url().substr(gone.url().rfind(':') + 1));
  }
  SmtpClient client(
      {.url = "smtp://127.0.0.1:" + std::to_string(port), .allow_plaintext_loopback = true});
  const auto r = client.send({"b@example.com", {"a@example.test"}}, small_mail);
  EXPECT_EQ(r.status, SmtpStatus::temporary);
  EXPECT_EQ(r.phase, SmtpPhase::connect);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.error.find("connect: "), std::string::npos) << r.error;
}

}  // namespace
}  // namespace ticketd::transport
