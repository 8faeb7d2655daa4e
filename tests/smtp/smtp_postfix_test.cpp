// The SMTP client against the private Postfix + Dovecot of
// scripts/mailstack (found through $TICKETD_MAILSTACK_ENV = DIR/env). Without
// it these tests fail, unless TICKETD_MAILSTACK_OPTIONAL=1 says skipping is
// fine. Delivery is checked in the recipient's Dovecot maildir.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "transport/smtp.h"

namespace ticketd::transport {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string lf_only(std::string s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
  return out;
}

class PostfixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env_file = std::getenv("TICKETD_MAILSTACK_ENV");
    if (!env_file || !*env_file) {
      const char* optional = std::getenv("TICKETD_MAILSTACK_OPTIONAL");
      if (optional && std::string(optional) == "1") GTEST_SKIP() << "no mail stack (optional)";
      FAIL() << "TICKETD_MAILSTACK_ENV is not set: start scripts/mailstack/start.sh DIR and set "
                "TICKETD_MAILSTACK_ENV=DIR/env (or TICKETD_MAILSTACK_OPTIONAL=1 to skip)";
    }
    load_env(env_file);
  }

  void load_env(const std::string& env_file) {
    std::ifstream in(env_file);
    ASSERT_TRUE(in) << "cannot read " << env_file;
    env_.clear();
    for (std::string line; std::getline(in, line);)
      if (auto eq = line.find('='); eq != std::string::npos)
        env_[line.substr(0, eq)] = line.substr(eq + 1);
    dir_ = fs::path(env_file).parent_path().string();
    for (const char* key : {"MAILSTACK_SMTP_PORT", "MAILSTACK_SMTPS_PORT",
                            "MAILSTACK_SUBMISSION_PORT", "MAILSTACK_CA_FILE", "MAILSTACK_PASSWORD"})
      ASSERT_FALSE(env_[key].empty()) << key << " missing in " << env_file;
  }

  // ctl.sh DIR ARGS; its stdout, or nullopt when it fails.
  std::optional<std::string> ctl(const std::string& args) const {
    const std::string cmd = quote(std::string(TICKETD_SOURCE_DIR) + "/scripts/mailstack/ctl.sh") +
                            " " + quote(dir_) + " " + args;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return std::nullopt;
    std::string out;
    char buf[512];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    if (::pclose(p) != 0) return std::nullopt;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

  enum Port { smtp, smtps, submission };
  SmtpConfig config(Port port) {
    SmtpConfig c;
    c.url = port == smtps        ? "smtps://127.0.0.1:" + env_["MAILSTACK_SMTPS_PORT"]
            : port == submission ? "smtp://127.0.0.1:" + env_["MAILSTACK_SUBMISSION_PORT"]
                                 : "smtp://127.0.0.1:" + env_["MAILSTACK_SMTP_PORT"];
    c.ca_file = env_["MAILSTACK_CA_FILE"];
    if (port == submission) {
      c.username = "agent@example.test";
      c.password = env_["MAILSTACK_PASSWORD"];
    }
    c.connect_timeout = 10s;
    c.timeout = 30s;
    c.helo_name = "ticketd.test";
    return c;
  }

  // A unique marker per mail, so parallel tests can share mailboxes.
  std::string marker(const std::string& what) {
    static int n = 0;
    return "hc-" + what + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  }

  static std::string mail(const std::string& mark, const std::string& to, const std::string& body) {
    return "From: Support <support@example.com>\r\nTo: " + to + "\r\nSubject: " + mark +
           "\r\nMessage-ID: <" + mark +
           "@ticketd.example.com>\r\nDate: Wed, 27 Nov 2024 10:00:00 +0000\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           body;
  }

  // The delivered file (as Dovecot stored it) holding `mark`, waiting up to `limit`.
  std::optional<std::string> delivered(const std::string& address, const std::string& mark,
                                       std::chrono::milliseconds limit = 15s) {
    const auto box = ctl("mailbox " + quote(address));
    if (!box) return std::nullopt;
    const auto end = std::chrono::steady_clock::now() + limit;
    do {
      for (const char* sub : {"new", "cur"}) {
        std::error_code ec;
        for (const auto& f : fs::directory_iterator(fs::path(*box) / sub, ec)) {
          std::ifstream in(f.path(), std::ios::binary);
          std::string text{std::istreambuf_iterator<char>(in), {}};
          if (text.find("Message-ID: <" + mark + "@") != std::string::npos) return text;
        }
      }
      std::this_thread::sleep_for(50ms);
    } while (std::chrono::steady_clock::now() < end);
    return std::nullopt;
  }

  // How many distinct marks starting with `prefix` reached `address`.
  std::size_t count_delivered(const std::string& address, const std::string& prefix) {
    std::size_t n = 0;
    const auto box = ctl("mailbox " + quote(address)).value_or("/nonexistent");
    for (const char* sub : {"new", "cur"}) {
      std::error_code ec;
      for (const auto& f : fs::directory_iterator(fs::path(box) / sub, ec)) {
        std::ifstream in(f.path(), std::ios::binary);
        std::string text{std::istreambuf_iterator<char>(in), {}};
        n += text.find("Message-ID: <" + prefix) != std::string::npos;
      }
    }
    return n;
  }

  std::map<std::string, std::string> env_;
  std::string dir_;
};

const std::string agent = "agent@example.test";
const std::string customer = "customer@example.test";

TEST_F(PostfixTest, StartTlsWithCaFileDelivers) {
  SmtpClient client(config(smtp));
  const std::string mark = marker("starttls");
  const std::string bytes = mail(mark, customer, "Hello over STARTTLS.\r\n");
  const auto r = client.send({"support+bounce-1@example.com", {customer}}, bytes);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.code, 250);
  EXPECT_TRUE(r.new_connection);
  ASSERT_EQ(r.recipients.size(), 1u);
  EXPECT_EQ(r.recipients[0].status, SmtpStatus::ok);
  EXPECT_NE(r.recipients[0].reply.find("queued as"), std::string::npos) << r.recipients[0].reply;
  const auto file = delivered(customer, mark);
  ASSERT_TRUE(file) << "not in the maildir of " << customer;
  EXPECT_NE(file->find("using TLS"), std::string::npos) << "Postfix's Received header shows no TLS";
  EXPECT_NE(file->find("Return-Path: <support+bounce-1@example.com>"), std::string::npos);
  EXPECT_TRUE(file->ends_with(lf_only(bytes))) << *file;  // our bytes, untouched
}

TEST_F(PostfixTest, SmtpsDelivers) {
  SmtpClient client(config(smtps));
  const std::string mark = marker("smtps");
  const auto r = client.send({"support@example.com", {customer}}, mail(mark, customer, "Hi.\r\n"));
  ASSERT_TRUE(r.ok()) << r.error;
  const auto file = delivered(customer, mark);
  ASSERT_TRUE(file);
  EXPECT_NE(file->find("using TLS"), std::string::npos);
}

TEST_F(PostfixTest, PlaintextToLoopbackWhenAllowed) {
  SmtpConfig c = config(smtp);
  c.allow_plaintext_loopback = true;
  std::vector<std::string> debug;
  c.debug = [&](std::string_view l) { debug.emplace_back(l); };
  SmtpClient client(c);
  const std::string mark = marker("plain");
  ASSERT_TRUE(client.send({"support@example.com", {customer}}, mail(mark, customer, "x\r\n")).ok());
  EXPECT_TRUE(std::ranges::none_of(debug, [](const auto& l) { return l == "> STARTTLS"; }));
  const auto file = delivered(customer, mark);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->find("using TLS"), std::string::npos);
}

TEST_F(PostfixTest, SubmissionWithEachAuthMechanism) {
  for (const auto mech :
       {SmtpAuthMechanism::any, SmtpAuthMechanism::plain, SmtpAuthMechanism::login}) {
    SmtpConfig c = config(submission);
    c.auth = mech;
    std::vector<std::string> debug;
    c.debug = [&](std::string_view l) { debug.emplace_back(l); };
    SmtpClient client(c);
    const std::string mark = marker("auth");
    const auto r = client.send({"support@example.com", {customer}}, mail(mark, customer, "x\r\n"));
    ASSERT_TRUE(r.ok()) << static_cast<int>(mech) << ": " << r.error;
    const auto file = delivered(customer, mark);
    ASSERT_TRUE(file);
    EXPECT_NE(file->find("Authenticated sender: agent@example.test"), std::string::npos) << *file;
    const char* want = mech == SmtpAuthMechanism::login ? "> AUTH LOGIN" : "> AUTH PLAIN";
    EXPECT_TRUE(std::ranges::any_of(debug, [&](const auto& l) { return l.starts_with(want); }))
        << "no " << want << " line for mechanism " << static_cast<int>(mech);
    for (const auto& l : debug)
      EXPECT_EQ(l.find(env_["MAILSTACK_PASSWORD"]), std::string::npos) << l;
  }
}

TEST_F(PostfixTest, WrongPasswordIsAnAuthFailureWithoutThePassword) {
  for (const auto mech : {SmtpAuthMechanism::plain, SmtpAuthMechanism::login}) {
    SmtpConfig c = config(submission);
    c.password = "Wr0ng-pa55word";
    c.auth = mech;
    std::string all_debug;
    c.debug = [&](std::string_view l) { all_debug.append(l).append("\n"); };
    SmtpClient client(c);
    const auto r =
        client.send({"support@example.com", {customer}}, mail(marker("badpw"), customer, "x\r\n"));
    EXPECT_EQ(r.status, SmtpStatus::auth) << r.error;
    EXPECT_EQ(r.code, 535);
    EXPECT_EQ(r.phase, SmtpPhase::auth);
    EXPECT_EQ(r.recipients.at(0).status, SmtpStatus::auth);
    for (const std::string& text : {r.error, all_debug}) {
      EXPECT_EQ(text.find("Wr0ng-pa55word"), std::string::npos) << text;
      EXPECT_EQ(text.find(base64_encode("Wr0ng-pa55word")), std::string::npos) << text;
    }
    std::printf("[ info ] wrong password (%s): %s\n",
                mech == SmtpAuthMechanism::plain ? "PLAIN" : "LOGIN", r.error.c_str());
  }
}

TEST_F(PostfixTest, SubmissionWithoutCredentialsIsRefusedAtRcpt) {
  // A config mistake the server only reveals per recipient (554 at RCPT),
  // so it looks permanent; the daemon's config check must demand a username.
  SmtpConfig c = config(submission);
  c.username.clear();
  c.password.clear();
  SmtpClient client(c);
  const auto r =
      client.send({"support@example.com", {customer}}, mail(marker("noauth"), customer, "x\r\n"));
  EXPECT_EQ(r.status, SmtpStatus::permanent) << r.error;
  EXPECT_EQ(r.code, 554);
  EXPECT_EQ(r.phase, SmtpPhase::rcpt);
}

TEST_F(PostfixTest, CredentialsButNoAuthOfferedSendsNothing) {
  // Port 25-style: STARTTLS but no AUTH. curl would go on unauthenticated.
  SmtpConfig c = config(smtp);
  c.username = "agent@example.test";
  c.password = env_["MAILSTACK_PASSWORD"];
  SmtpClient client(c);
  const std::string mark = marker("noauthoffered");
  const auto r = client.send({"support@example.com", {customer}}, mail(mark, customer, "x\r\n"));
  EXPECT_EQ(r.status, SmtpStatus::auth) << r.error;
  EXPECT_NE(r.error.find("offers no AUTH"), std::string::npos) << r.error;
  EXPECT_EQ(r.recipients.at(0).status, SmtpStatus::auth);
  EXPECT_FALSE(delivered(customer, mark, 2s)) << "sent without AUTH";
}

TEST_F(PostfixTest, UntrustedCertificateIsTlsVerify) {
  for (const Port port : {smtp, smtps, submission}) {
    SmtpConfig c = config(port);
    c.ca_file.clear();  // the system store does not know the stack's self-signed certificate
    SmtpClient client(c);
    const auto r =
        client.send({"support@example.com", {customer}}, mail(marker("tls"), customer, "x\r\n"));
    EXPECT_EQ(r.status, SmtpStatus::tls_verify) << port << ": " << r.error;
    EXPECT_NE(r.error.find("certificate"), std::string::npos) << r.error;
  }
  SmtpConfig c = config(smtp);
  c.ca_file = "/nonexistent/ca.pem";
  const auto r = SmtpClient(c).send({"support@example.com", {customer}},
                                    mail(marker("tls"), customer, "x\r\n"));
  EXPECT_EQ(r.status, SmtpStatus::config) << r.error;
}

// Environment for start.sh: every port the kernel's pick.
constexpr const char* kAnyPorts = "MAILSTACK_ANY_PORTS=1 ";

// A private mail stack for a test that stops or restarts Postfix (the shared
// one serves the tests running beside it); stopped and purged at scope exit,
// also when a check fails. Its ports are the kernel's pick, never the
// defaults: a default it frees at a stop is what a stack starting beside it
// takes, and the stop, waiting for its port to close, saw it open again.
struct OwnStack {
  explicit OwnStack(const std::string& name)
      : dir("/tmp/ticketd-smtp-" + name + "-" + std::to_string(::getpid())) {
    ok = std::system((std::string(kAnyPorts) + "bash " + quote(scripts() + "start.sh") + " " +
                      quote(dir) + " >/dev/null")
                         .c_str()) == 0;
  }
  ~OwnStack() {
    std::system(("bash " + quote(scripts() + "stop.sh") + " " + quote(dir) + " --purge").c_str());
  }
  OwnStack(const OwnStack&) = delete;
  OwnStack& operator=(const OwnStack&) = delete;
  bool started() const { return ok; }
  static std::string scripts() { return std::string(TICKETD_SOURCE_DIR) + "/scripts/mailstack/"; }

  std::string dir;
  bool ok = false;
};

TEST_F(PostfixTest, ServerDownIsTemporaryAndUpAgainDelivers) {
  // Stopping the shared stack's Postfix would fail the tests running beside
  // this one (ctest -j): this test starts a stack of its own (~1 s).
  OwnStack own("down");
  ASSERT_TRUE(own.started());
  load_env(own.dir + "/env");
  ASSERT_TRUE(ctl("stop-smtp"));
  SmtpClient client(config(smtp));
  const auto down =
      client.send({"support@example.com", {customer}}, mail(marker("down"), customer, "x\r\n"));
  EXPECT_EQ(down.status, SmtpStatus::temporary) << down.error;
  EXPECT_EQ(down.phase, SmtpPhase::connect);
  EXPECT_EQ(down.code, 0);
  std::printf("[ info ] server down: %s\n", down.error.c_str());
  ASSERT_TRUE(ctl("start-smtp"));
  const std::string mark = marker("up");  // the same client, a new connection
  const auto up = client.send({"support@example.com", {customer}}, mail(mark, customer, "x\r\n"));
  ASSERT_TRUE(up.ok()) << up.error;
  EXPECT_TRUE(delivered(customer, mark));
}

// The daemon keeps its connection between mails (daemon/run.cpp,
// kSmtpKeepOpen). A kept connection the server has closed meanwhile (here:
// Postfix restarted, as after an idle timeout or a reload) is replaced, AUTH
// included, and the mail goes once.
TEST_F(PostfixTest, KeptConnectionClosedByTheServerIsReplaced) {
  // Restarting the shared stack's Postfix would fail the tests beside this one.
  OwnStack own("kept");
  ASSERT_TRUE(own.started());
  load_env(own.dir + "/env");
  int auth_lines = 0;
  SmtpConfig c = config(submission);
  c.debug = [&](std::string_view l) { auth_lines += l.starts_with("> AUTH "); };
  SmtpClient client(c);
  auto send = [&](const std::string& mark) {
    return client.send({"support@example.com", {customer}}, mail(mark, customer, "x\r\n"));
  };
  ASSERT_TRUE(send(marker("kept-1")).ok());
  const auto kept = send(marker("kept-2"));
  ASSERT_TRUE(kept.ok()) << kept.error;
  EXPECT_FALSE(kept.new_connection);
  ASSERT_TRUE(ctl("stop-smtp"));  // the server side of the kept connection goes away
  ASSERT_TRUE(ctl("start-smtp"));
  const std::string mark = marker("kept-3");
  const auto again = send(mark);
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_TRUE(again.new_connection);
  EXPECT_EQ(client.connects(), 2u);
  EXPECT_EQ(auth_lines, 2);  // the new connection authenticated again
  ASSERT_TRUE(delivered(customer, mark));
  std::this_thread::sleep_for(500ms);  // a second copy would have arrived by now
  EXPECT_EQ(count_delivered(customer, mark), 1u);
}

TEST_F(PostfixTest, RecipientDeferredWith450) {
  const std::string rcpt = marker("defer") + "@example.test";
  ASSERT_TRUE(ctl("access " + quote(rcpt) + " " + quote("450 4.2.0 try later")));
  SmtpClient client(config(smtp));
  const auto r = client.send({"support@example.com", {rcpt}}, mail(marker("m"), rcpt, "x\r\n"));
  client.close();  // ctl.sh's reload waits for busy smtpd processes
  ctl("access " + quote(rcpt) + " DUNNO");
  EXPECT_EQ(r.status, SmtpStatus::temporary) << r.error;
  EXPECT_EQ(r.code, 450);
  EXPECT_EQ(r.phase, SmtpPhase::rcpt);
  ASSERT_EQ(r.recipients.size(), 1u);
  EXPECT_EQ(r.recipients[0].status, SmtpStatus::temporary);
  EXPECT_EQ(r.recipients[0].code, 450);
  EXPECT_NE(r.recipients[0].reply.find("try later"), std::string::npos) << r.recipients[0].reply;
}

TEST_F(PostfixTest, RefusedRecipientDoesNotStopTheOthers) {
  const std::string bad = marker("reject") + "@example.test";
  const std::string deferred = marker("defer") + "@example.test";
  ASSERT_TRUE(ctl("access " + quote(bad) + " " + quote("550 5.1.1 no")));
  ASSERT_TRUE(ctl("access " + quote(deferred) + " " + quote("450 4.2.0 try later")));
  SmtpClient client(config(smtp));
  const std::string mark = marker("partial");
  const auto r = client.send({"support@example.com", {bad, customer, deferred, agent}},
                             mail(mark, customer + ", " + agent, "x\r\n"));
  client.close();  // ctl.sh's reload waits for busy smtpd processes
  ctl("access " + quote(bad) + " DUNNO");
  ctl("access " + quote(deferred) + " DUNNO");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.recipients.size(), 4u);
  EXPECT_EQ(r.recipients[0].status, SmtpStatus::permanent);
  EXPECT_EQ(r.recipients[0].code, 550);
  EXPECT_NE(r.recipients[0].reply.find("Recipient address rejected: no"), std::string::npos)
      << r.recipients[0].reply;
  EXPECT_EQ(r.recipients[1].status, SmtpStatus::ok);
  EXPECT_EQ(r.recipients[1].code, 250);
  EXPECT_EQ(r.recipients[2].status, SmtpStatus::temporary);
  EXPECT_EQ(r.recipients[2].code, 450);
  EXPECT_EQ(r.recipients[3].status, SmtpStatus::ok);
  EXPECT_TRUE(delivered(customer, mark));
  EXPECT_TRUE(delivered(agent, mark));
}

TEST_F(PostfixTest, LeadingDotLinesArriveIntact) {
  SmtpClient client(config(smtp));
  const std::string mark = marker("dots");
  const std::string body = ".\r\n.leading dot\r\n..two dots\r\n. space\r\nlast line\r\n";
  const std::string bytes = mail(mark, customer, body);
  ASSERT_TRUE(client.send({"support@example.com", {customer}}, bytes).ok());
  const auto file = delivered(customer, mark);
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->ends_with(lf_only(bytes))) << *file;
}

TEST_F(PostfixTest, OversizedMailIsRefusedAtMailFrom) {
  // curl announces SIZE=; Postfix (message_size_limit 10240000) refuses up front.
  SmtpClient client(config(smtp));
  const std::string big = mail(marker("big"), customer, std::string(11'000'000, 'x'));
  const auto r = client.send({"support@example.com", {customer}}, big);
  EXPECT_EQ(r.status, SmtpStatus::permanent) << r.error;
  EXPECT_EQ(r.code, 552);
  EXPECT_EQ(r.phase, SmtpPhase::mail);
}

TEST_F(PostfixTest, ManyMailsOverOneConnection) {
  constexpr int count = 200;
  SmtpConfig c = config(submission);
  int connected_lines = 0;
  c.debug = [&](std::string_view l) { connected_lines += l.starts_with("* Connected to"); };
  SmtpClient client(c);
  const std::string prefix = marker("batch") + "-";
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const auto r =
        client.send({"support+b" + std::to_string(i) + "@example.com", {agent}},
                    mail(prefix + std::to_string(i), agent, "mail " + std::to_string(i) + "\r\n"));
    ASSERT_TRUE(r.ok()) << i << ": " << r.error;
    EXPECT_EQ(r.new_connection, i == 0) << i;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("[ info ] %d mails over one STARTTLS+AUTH connection in %.2f s: %.0f mails/s\n",
              count, secs, count / secs);
  EXPECT_EQ(client.connects(), 1u);
  EXPECT_EQ(connected_lines, 1);
  for (int waited = 0; count_delivered(agent, prefix) < count && waited < 600; ++waited)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(count_delivered(agent, prefix), static_cast<std::size_t>(count));
}

TEST_F(PostfixTest, CloseAndResetDropTheConnection) {
  SmtpClient client(config(smtp));
  auto send = [&] {
    return client.send({"support@example.com", {customer}},
                       mail(marker("close"), customer, "x\r\n"));
  };
  ASSERT_TRUE(send().ok());
  EXPECT_FALSE(send().new_connection);
  client.close();
  EXPECT_TRUE(send().new_connection);
  client.reset();
  const auto r = send();
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.new_connection);
  EXPECT_EQ(client.connects(), 3u);
}

}  // namespace
}  // namespace ticketd::transport
