// The SMTP client's pure parts: reply classification, reading the dialogue,
// building results, redaction, config checks and secret files. No network.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "transport/curl_util.h"
#include "transport/smtp.h"

namespace ticketd::transport {
namespace {

using enum SmtpStatus;

TEST(SmtpReply, StatusOfReplyCode) {
  struct Case {
    int code;
    SmtpStatus want;
  } cases[] = {{250, ok},        {251, ok},        {354, ok},        {421, temporary},
               {450, temporary}, {452, temporary}, {500, permanent}, {550, permanent},
               {554, permanent}, {0, temporary},   {199, temporary}, {600, temporary}};
  for (const auto& c : cases) EXPECT_EQ(status_of_reply(c.code), c.want) << c.code;
}

TEST(SmtpReply, ClassifyFailure) {
  using enum SmtpPhase;
  struct Case {
    const char* name;
    CURLcode rc;
    SmtpPhase phase;
    int reply;
    SmtpStatus want;
  } cases[] = {
      {"refused", CURLE_COULDNT_CONNECT, connect, 0, temporary},
      {"timeout after data", CURLE_OPERATION_TIMEDOUT, message, 354, temporary},
      {"lost 250 after data", CURLE_RECV_ERROR, message, 354, temporary},
      {"tls handshake reset", CURLE_SSL_CONNECT_ERROR, starttls, 220, temporary},
      {"bad password", CURLE_LOGIN_DENIED, auth, 535, SmtpStatus::auth},
      {"auth service down", CURLE_LOGIN_DENIED, auth, 454, SmtpStatus::auth},
      {"untrusted cert", CURLE_PEER_FAILED_VERIFICATION, starttls, 220, tls_verify},
      {"no STARTTLS offered", CURLE_USE_SSL_FAILED, ehlo, 250, tls_verify},
      {"STARTTLS 454", CURLE_USE_SSL_FAILED, starttls, 454, temporary},
      {"CA file unreadable", CURLE_SSL_CACERT_BADFILE, connect, 0, config},
      {"MAIL 550", CURLE_SEND_ERROR, mail, 550, permanent},
      {"MAIL 451", CURLE_SEND_ERROR, mail, 451, temporary},
      {"RCPT 550", CURLE_SEND_ERROR, rcpt, 550, permanent},
      {"DATA 554", CURLE_SEND_ERROR, data, 554, permanent},
      {"end of data 554", CURLE_WEIRD_SERVER_REPLY, message, 554, permanent},
      {"end of data 451", CURLE_WEIRD_SERVER_REPLY, message, 451, temporary},
      {"greeting 554 is not the mail's fault", CURLE_WEIRD_SERVER_REPLY, greeting, 554, temporary},
      {"EHLO 501", CURLE_WEIRD_SERVER_REPLY, ehlo, 501, temporary},
  };
  for (const auto& c : cases) EXPECT_EQ(classify_failure(c.rc, c.phase, c.reply), c.want) << c.name;
}

// One transaction as curl's debug stream shows it (LF-split, CRLF kept).
SmtpDialogue transcript(std::initializer_list<std::pair<char, const char*>> lines) {
  SmtpDialogue d;
  for (const auto& [dir, text] : lines)
    dir == '>' ? d.command(std::string(text) + "\r\n") : d.reply_line(std::string(text) + "\r\n");
  return d;
}

TEST(SmtpDialogue, ReadsRepliesPerRecipient) {
  const auto d = transcript({{'<', "220 mx ESMTP"},
                             {'>', "EHLO ticketd"},
                             {'<', "250-mx"},
                             {'<', "250-AUTH PLAIN LOGIN"},
                             {'<', "250 SMTPUTF8"},
                             {'>', "MAIL FROM:<b+1@example.com> SIZE=10"},
                             {'<', "250 2.1.0 Ok"},
                             {'>', "RCPT TO:<a@example.test>"},
                             {'<', "250 2.1.5 Ok"},
                             {'>', "RCPT TO:<b@example.test>"},
                             {'<', "550-5.1.1 no such"},
                             {'<', "550 5.1.1 user"},
                             {'>', "DATA"},
                             {'<', "354 go ahead"}});
  ASSERT_EQ(d.rcpt_replies().size(), 2u);
  EXPECT_EQ(d.rcpt_replies()[0].code, 250);
  EXPECT_EQ(d.rcpt_replies()[1].code, 550);
  EXPECT_EQ(d.rcpt_replies()[1].line, "550 5.1.1 user");  // a reply's last line
  EXPECT_EQ(d.phase(), SmtpPhase::message);               // 354: curl now sends the mail
  EXPECT_EQ(d.reply_count(), 6);
}

TEST(SmtpDialogue, SaslAnswersAreNotCommands) {
  // "DATA" is valid base64; after "334" it is our answer, not the DATA command.
  auto d =
      transcript({{'<', "220 mx"}, {'>', "AUTH LOGIN"}, {'<', "334 VXNlcm5hbWU6"}, {'>', "DATA"}});
  EXPECT_TRUE(d.in_auth());
  d.reply_line("535 5.7.8 Error: authentication failed\r\n");
  EXPECT_EQ(d.phase(), SmtpPhase::auth);
  EXPECT_EQ(d.last_reply().code, 535);
}

TEST(SmtpDialogue, QuitReplyDoesNotHideTheVerdict) {
  auto d = transcript({{'<', "220 mx"},
                       {'>', "MAIL FROM:<>"},
                       {'<', "451 4.3.0 later"},
                       {'>', "QUIT"},
                       {'<', "221 2.0.0 Bye"}});
  EXPECT_EQ(d.phase(), SmtpPhase::mail);
  EXPECT_EQ(d.last_reply().code, 451);
}

const std::vector<std::string> two = {"good@example.test", "bad@example.test"};

TEST(SmtpSummary, OneRecipientRefusedOtherDelivered) {
  const auto d = transcript({{'<', "220 mx"},
                             {'>', "MAIL FROM:<b@x>"},
                             {'<', "250 ok"},
                             {'>', "RCPT TO:<good@example.test>"},
                             {'<', "250 ok"},
                             {'>', "RCPT TO:<bad@example.test>"},
                             {'<', "550 5.1.1 no"},
                             {'>', "DATA"},
                             {'<', "354 go"},
                             {'<', "250 2.0.0 Ok: queued as 4XyZ"}});
  const auto r = summarize_send(CURLE_OK, "", d, two, Redactor{});
  EXPECT_EQ(r.status, ok);
  EXPECT_EQ(r.code, 250);
  EXPECT_TRUE(r.error.empty());
  ASSERT_EQ(r.recipients.size(), 2u);
  EXPECT_EQ(r.recipients[0].status, ok);
  EXPECT_EQ(r.recipients[0].reply, "250 2.0.0 Ok: queued as 4XyZ");
  EXPECT_EQ(r.recipients[1].status, permanent);
  EXPECT_EQ(r.recipients[1].code, 550);
  EXPECT_EQ(r.recipients[1].reply, "550 5.1.1 no");
}

TEST(SmtpSummary, EveryRecipientRefusedIsTemporaryIfOneMayWork) {
  const auto d = transcript({{'<', "220 mx"},
                             {'>', "MAIL FROM:<b@x>"},
                             {'<', "250 ok"},
                             {'>', "RCPT TO:<a>"},
                             {'<', "450 4.2.0 later"},
                             {'>', "RCPT TO:<b>"},
                             {'<', "550 5.1.1 no"}});
  const auto r =
      summarize_send(CURLE_SEND_ERROR, "RCPT failed: 550 (last error)", d, two, Redactor{});
  EXPECT_EQ(r.status, temporary);
  EXPECT_EQ(r.code, 450);
  EXPECT_EQ(r.phase, SmtpPhase::rcpt);
  EXPECT_NE(r.error.find("450 4.2.0 later"), std::string::npos) << r.error;
  EXPECT_EQ(r.recipients[0].status, temporary);
  EXPECT_EQ(r.recipients[1].status, permanent);
}

TEST(SmtpSummary, DataRefusedChargesAcceptedRecipients) {
  const auto d = transcript({{'<', "220 mx"},
                             {'>', "MAIL FROM:<b@x>"},
                             {'<', "250 ok"},
                             {'>', "RCPT TO:<a>"},
                             {'<', "250 ok"},
                             {'>', "RCPT TO:<b>"},
                             {'<', "250 ok"},
                             {'>', "DATA"},
                             {'<', "354 go"},
                             {'<', "554 5.7.1 spam"}});
  const auto r = summarize_send(CURLE_WEIRD_SERVER_REPLY, "", d, two, Redactor{});
  EXPECT_EQ(r.status, permanent);
  EXPECT_EQ(r.error, "message: 554 5.7.1 spam");
  for (const auto& rr : r.recipients) EXPECT_EQ(rr.status, permanent);
  EXPECT_EQ(r.recipients[1].code, 554);
}

TEST(SmtpSummary, NoServerAtAll) {
  const auto r = summarize_send(CURLE_COULDNT_CONNECT, "Failed to connect to 127.0.0.1 port 9",
                                SmtpDialogue{}, two, Redactor{});
  EXPECT_EQ(r.status, temporary);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.error, "connect: Failed to connect to 127.0.0.1 port 9");
  EXPECT_EQ(r.recipients[1].status, temporary);
}

TEST(SmtpSummary, EchoedSecretsAreRedacted) {
  // A server that quotes the AUTH PLAIN blob ("\0agent\0hunter22") back.
  const std::string blob = base64_encode(std::string("\0agent\0hunter22", 15));
  auto d = transcript({{'<', "220 mx"}, {'>', "AUTH PLAIN"}, {'<', "334 "}});
  d.command(blob);
  d.reply_line("535 5.7.8 bad credentials " + blob + " (hunter22)");
  const auto r = summarize_send(CURLE_LOGIN_DENIED, "Login denied: hunter22", d, two,
                                Redactor("agent", "hunter22", ""));
  EXPECT_EQ(r.status, SmtpStatus::auth);
  EXPECT_EQ(r.code, 535);
  EXPECT_EQ(r.error.find("hunter22"), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find(blob), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("[redacted]"), std::string::npos) << r.error;
}

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [in, want] : cases) EXPECT_EQ(base64_encode(in), want) << in;
}

TEST(Redactor, SecretsInAnyForm) {
  const Redactor r("agent@example.test", "correct horse", "ya29.token-XYZ");
  struct Case {
    const char* name;
    std::string text;
  } cases[] = {
      {"password", "bad password correct horse!"},
      {"token", "Bearer ya29.token-XYZ rejected"},
      {"password base64 (AUTH LOGIN)", "got " + base64_encode("correct horse")},
      {"PLAIN blob", base64_encode(std::string("\0agent@example.test\0correct horse", 33))},
      {"XOAUTH2 blob", base64_encode("user=agent@example.test\x01"
                                     "auth=Bearer ya29.token-XYZ\x01\x01")},
      {"inside base64 at offset 1", base64_encode("x" + std::string("correct horse") + "yz")},
      {"inside base64 at offset 2", base64_encode("xy" + std::string("correct horse") + "z")},
      {"token inside base64 at offset 1", base64_encode("{ya29.token-XYZ}")},
  };
  for (const auto& c : cases) {
    const std::string out = r.apply(c.text);
    EXPECT_NE(out.find("[redacted]"), std::string::npos) << c.name << ": " << out;
    EXPECT_EQ(out.find("correct horse"), std::string::npos) << c.name;
    EXPECT_EQ(out.find("ya29.token-XYZ"), std::string::npos) << c.name;
  }
  EXPECT_EQ(r.apply("250 2.0.0 Ok: queued as 4XyZ"), "250 2.0.0 Ok: queued as 4XyZ");
  EXPECT_EQ(Redactor().apply("anything"), "anything");
  EXPECT_EQ(Redactor("u", "", "").apply("u and u"), "u and u");  // a user name is no secret
}

class SecretFile : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  void SetUp() override { std::filesystem::create_directories(dir_); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_ =
      std::filesystem::temp_directory_path() / ("smtp-secret-" + std::to_string(::getpid()));
};

TEST_F(SecretFile, TrimsOneFinalNewline) {
  EXPECT_EQ(read_secret_file(write("lf", "s3cret\n")).value(), "s3cret");
  EXPECT_EQ(read_secret_file(write("crlf", "s3cret\r\n")).value(), "s3cret");
  EXPECT_EQ(read_secret_file(write("none", "s3cret")).value(), "s3cret");
  EXPECT_EQ(read_secret_file(write("spaces", " s3 cret \n")).value(), " s3 cret ");
}

TEST_F(SecretFile, ErrorsNameTheFile) {
  struct Case {
    const char* name;
    std::string path;
    const char* why;
  } cases[] = {
      {"missing", (dir_ / "nope").string(), "No such file or directory"},
      {"directory", dir_.string(), "not a regular file"},
      {"empty", write("empty", ""), "empty"},
      {"only a newline", write("nl", "\n"), "empty"},
      {"two lines", write("two", "a\nb\n"), "more than one line"},
      {"two newlines", write("twonl", "a\n\n"), "more than one line"},
      {"NUL", write("nul", std::string("a\0b", 3)), "NUL"},
      {"huge", write("huge", std::string(70'000, 'x')), "64 KiB"},
  };
  for (const auto& c : cases) {
    auto r = read_secret_file(c.path);
    ASSERT_FALSE(r.has_value()) << c.name;
    EXPECT_NE(r.error().find(c.path), std::string::npos) << c.name << ": " << r.error();
    EXPECT_NE(r.error().find(c.why), std::string::npos) << c.name << ": " << r.error();
  }
}

TEST(SmtpConfigCheck, Table) {
  struct Case {
    const char* name;
    SmtpConfig config;
    const char* error;  // nullptr: valid
  } cases[] = {
      {"starttls", {.url = "smtp://mail.example.com:587"}, nullptr},
      {"smtps", {.url = "smtps://mail.example.com"}, nullptr},
      {"auth", {.url = "smtp://m.example.com:587", .username = "u", .password = "p"}, nullptr},
      {"bearer", {.url = "smtp://m:587", .username = "u", .oauth2_bearer = "t"}, nullptr},
      {"plaintext 127.0.0.1",
       {.url = "smtp://127.0.0.1:2525", .allow_plaintext_loopback = true},
       nullptr},
      {"plaintext ::1", {.url = "smtp://[::1]:2525", .allow_plaintext_loopback = true}, nullptr},
      {"plaintext localhost",
       {.url = "smtp://LocalHost:25", .allow_plaintext_loopback = true},
       nullptr},
      {"helo", {.url = "smtp://m:25", .helo_name = "desk.example.com"}, nullptr},
      {"plaintext remote",
       {.url = "smtp://mail.example.com:25", .allow_plaintext_loopback = true},
       "only to 127.0.0.1, ::1 or localhost, not mail.example.com"},
      {"plaintext 127.0.0.2",
       {.url = "smtp://127.0.0.2:25", .allow_plaintext_loopback = true},
       "not 127.0.0.2"},
      {"scheme", {.url = "http://m:25"}, "scheme must be smtp or smtps"},
      {"garbage", {.url = "not a url"}, "not a URL"},
      {"user in url", {.url = "smtp://u:p@m:25"}, "must not contain a user name or password"},
      {"path", {.url = "smtp://m:25/x"}, "must not have a path"},
      {"bad helo", {.url = "smtp://m:25", .helo_name = "a b"}, "helo_name"},
      {"user without secret", {.url = "smtp://m", .username = "u"}, "has no password"},
      {"secret without user", {.url = "smtp://m", .password = "p"}, "needs a username"},
      {"both secrets",
       {.url = "smtp://m", .username = "u", .password = "p", .oauth2_bearer = "t"},
       "not both"},
      {"bearer with AUTH=PLAIN",
       {.url = "smtp://m", .username = "u", .oauth2_bearer = "t", .auth = SmtpAuthMechanism::plain},
       "XOAUTH2"},
      {"zero timeout", {.url = "smtp://m", .timeout = std::chrono::milliseconds(0)}, "positive"},
  };
  for (const auto& c : cases) {
    const auto r = check_smtp_config(c.config);
    if (!c.error) {
      EXPECT_TRUE(r.has_value()) << c.name << ": " << r.error();
    } else {
      ASSERT_FALSE(r.has_value()) << c.name;
      EXPECT_NE(r.error().find(c.error), std::string::npos) << c.name << ": " << r.error();
    }
  }
}

TEST(SmtpConfigCheck, LoopbackHosts) {
  for (const char* h : {"127.0.0.1", "::1", "[::1]", "localhost", "LOCALHOST"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"127.0.0.2", "localhost.example.com", "0.0.0.0", "", "[::]", "mail"})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(SmtpClientOffline, RefusesBeforeConnecting) {
  SmtpClient remote_plain({.url = "smtp://mail.example.com:25",
                           .username = "u",
                           .password = "pw-123456",
                           .allow_plaintext_loopback = true});
  const auto r =
      remote_plain.send({"b@example.com", {"a@example.test"}}, "Subject: x\r\n\r\nx\r\n");
  EXPECT_EQ(r.status, config);
  EXPECT_EQ(remote_plain.connects(), 0u);
  ASSERT_EQ(r.recipients.size(), 1u);
  EXPECT_EQ(r.recipients[0].status, config);

  SmtpClient c({.url = "smtp://127.0.0.1:9", .allow_plaintext_loopback = true});
  struct Case {
    const char* name;
    Envelope envelope;
    const char* error;
  } cases[] = {
      {"CRLF in recipient", {"b@x", {"a@x\r\nRCPT TO:<evil@x>"}}, "line break"},
      {"angle in sender", {"b@x>", {"a@x"}}, "MAIL FROM address contains < or >"},
      {"no recipients", {"b@x", {}}, "no recipients"},
      {"empty recipient", {"b@x", {""}}, "recipient 1 empty"},
  };
  for (const auto& k : cases) {
    const auto e = c.send(k.envelope, "x\r\n");
    EXPECT_EQ(e.status, permanent) << k.name;
    EXPECT_NE(e.error.find(k.error), std::string::npos) << k.name << ": " << e.error;
  }
  EXPECT_EQ(c.connects(), 0u);
}

}  // namespace
}  // namespace ticketd::transport
