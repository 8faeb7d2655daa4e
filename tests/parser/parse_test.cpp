// parse_message end to end on mails built in the test: MIME structure, body
// choice, thread keys, automatic-mail classification and the caps.
#include "parser/parse.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "parser/mime.h"

using namespace ticketd::parser;

namespace {

bool has_defect(const Message& m, DefectKind k) {
  return std::any_of(m.defects.begin(), m.defects.end(),
                     [&](const Defect& d) { return d.kind == k; });
}

std::string head(std::string extra = "") {
  return "From: Karen Jones <karen@example.com>\r\nTo: support@example.com\r\n"
         "Subject: Test\r\nMessage-ID: <m1@example.com>\r\n" +
         extra + "MIME-Version: 1.0\r\n";
}

TEST(Parse, PlainTextAndHeaders) {
  Message m = parse_message(head("Cc: \"Moss, Nick\" <Nick@Example.COM>\r\n") +
                            "Content-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n");
  EXPECT_EQ(m.from.name, "Karen Jones");
  EXPECT_EQ(m.from.address, "karen@example.com");
  ASSERT_EQ(m.cc.size(), 1u);
  EXPECT_EQ(m.cc[0].name, "Moss, Nick");
  EXPECT_EQ(m.keys.message_id, "m1@example.com");
  EXPECT_EQ(m.text, "Hello\n");  // stored with LF line ends
  EXPECT_FALSE(m.html.has_value());
  EXPECT_EQ(m.auto_kind, AutoKind::none);
}

TEST(Parse, AlternativePrefersPlainKeepsHtml) {
  Message m = parse_message(head() +
                            "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
                            "--b\r\nContent-Type: text/plain\r\n\r\nplain body\r\n"
                            "--b\r\nContent-Type: text/html\r\n\r\n<p>html <b>body</b></p>\r\n"
                            "--b--\r\n");
  EXPECT_EQ(m.text, "plain body");
  ASSERT_TRUE(m.html.has_value());
  EXPECT_NE(m.html->find("<b>body</b>"), std::string::npos);
  EXPECT_TRUE(m.attachments.empty());
}

TEST(Parse, AlternativeWithEmptyPlainUsesHtml) {
  Message m = parse_message(head() +
                            "Content-Type: multipart/alternative; boundary=b\r\n\r\n"
                            "--b\r\nContent-Type: text/plain\r\n\r\n \r\n"
                            "--b\r\nContent-Type: text/html\r\n\r\n<p>only html</p>\r\n--b--\r\n");
  EXPECT_NE(m.text.find("only html"), std::string::npos);
  EXPECT_EQ(m.text.find("<p>"), std::string::npos);
}

TEST(Parse, HtmlOnlyIsConvertedAndKept) {
  Message m = parse_message(head() +
                            "Content-Type: text/html; charset=utf-8\r\n\r\n"
                            "<html><head><script>alert(1)</script></head><body><p>Hi</p>"
                            "<a href=\"https://x.example/\">portal</a></body></html>\r\n");
  EXPECT_NE(m.text.find("Hi"), std::string::npos);
  EXPECT_NE(m.text.find("portal <https://x.example/>"), std::string::npos) << m.text;
  EXPECT_EQ(m.text.find("alert"), std::string::npos);
  ASSERT_TRUE(m.html);
}

TEST(Parse, RelatedInlineImageAndAttachment) {
  Message m = parse_message(
      head() +
      "Content-Type: multipart/mixed; boundary=outer\r\n\r\n"
      "--outer\r\nContent-Type: multipart/related; boundary=rel\r\n\r\n"
      "--rel\r\nContent-Type: text/html\r\n\r\n<p>see <img src=\"cid:img1@x\"></p>\r\n"
      "--rel\r\nContent-Type: image/png\r\nContent-ID: <img1@x>\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--rel--\r\n"
      "--outer\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--outer--\r\n");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].content_id, "img1@x");
  EXPECT_TRUE(m.attachments[0].inline_part);
  EXPECT_EQ(m.attachments[0].data, "hello");
  EXPECT_EQ(m.attachments[0].sha256,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(m.attachments[1].filename, "report.pdf");
  EXPECT_FALSE(m.attachments[1].inline_part);
  EXPECT_EQ(m.attachments[1].size, 5u);
  EXPECT_NE(m.text.find("see"), std::string::npos);
}

TEST(Parse, ForwardedMessageBecomesEmlAttachment) {
  Message m =
      parse_message(head() +
                    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                    "--b\r\nContent-Type: text/plain\r\n\r\nFYI\r\n"
                    "--b\r\nContent-Type: message/rfc822\r\n\r\n"
                    "From: a@b.example\r\nSubject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\r\n\r\ninner\r\n"
                    "--b--\r\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "Grüße.eml");
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  EXPECT_EQ(m.text, "FYI");
}

TEST(Parse, DeliveryReportCitesBouncedMessageId) {
  Message m = parse_message(
      "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nTo: support@example.com\r\n"
      "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
      "--r\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
      "--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; x@y\r\n"
      "Action: failed\r\n"
      "--r\r\nContent-Type: message/rfc822\r\n\r\nFrom: support@example.com\r\n"
      "Message-ID: <ack-17@ticketd.example.com>\r\nSubject: [#TD-1] ack\r\n\r\nbody\r\n--r--\r\n");
  EXPECT_EQ(m.auto_kind, AutoKind::delivery_report);
  ASSERT_EQ(m.bounced_message_ids.size(), 1u);
  EXPECT_EQ(m.bounced_message_ids[0], "ack-17@ticketd.example.com");
}

TEST(Parse, UuencodedBody) {
  Message m = parse_message(head() +
                            "Content-Type: text/plain\r\n\r\nSee file:\r\n\r\n"
                            "begin 644 hi.txt\r\n&:&5L;&\\*\r\n`\r\nend\r\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "hi.txt");
  EXPECT_EQ(m.attachments[0].data, "hello\n");
  EXPECT_EQ(m.text.find("begin 644"), std::string::npos);
}

// The name after "begin 644" is in the text's charset (fuzz/regressions/message).
TEST(Parse, UuencodedNameIsReadInTheTextCharset) {
  Message m = parse_message(head() +
                            "Content-Type: text/plain; charset=iso-8859-1\r\n\r\nSee file:\r\n\r\n"
                            "begin 644 r\xe9sum\xe9.txt\r\n&:&5L;&\\*\r\n`\r\nend\r\n");
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "résumé.txt");
}

TEST(Parse, ThreadKeys) {
  Message m = parse_message(
      "From: karen@example.com\r\nTo: \"Support\" <support+abc123def@example.com>\r\n"
      "Subject: Re: [#TD-1042] Locked out\r\nIn-Reply-To: <a@x> (comment)\r\n"
      "References: <r1@x>\r\n <a@x>\r\n\r\nbody\r\n");
  EXPECT_EQ(m.keys.in_reply_to, "a@x");
  EXPECT_EQ(m.keys.references, (std::vector<std::string>{"r1@x", "a@x"}));
  ASSERT_TRUE(m.keys.subject_tag);
  EXPECT_EQ(*m.keys.subject_tag, "TD-1042");
  EXPECT_EQ(m.keys.plus_tokens, std::vector<std::string>{"abc123def"});
}

TEST(Parse, MboxFromLineSkipped) {
  Message m =
      parse_message("From karen@example.com  Thu May  3 12:04:29 2012\n" + head() + "\r\nbody\r\n");
  EXPECT_EQ(m.from.address, "karen@example.com");
  EXPECT_TRUE(has_defect(m, DefectKind::mbox_from_line));
}

TEST(Parse, MissingBoundaryReadsAsText) {
  Message m = parse_message(head() + "Content-Type: multipart/mixed\r\n\r\nstill readable\r\n");
  EXPECT_TRUE(has_defect(m, DefectKind::missing_boundary));
  EXPECT_NE(m.text.find("still readable"), std::string::npos);
}

TEST(Parse, BoundaryNeverAppearingReadsAsText) {
  Message m =
      parse_message(head() + "Content-Type: multipart/mixed; boundary=zzz\r\n\r\nhello\r\n");
  EXPECT_TRUE(has_defect(m, DefectKind::missing_boundary));
  EXPECT_NE(m.text.find("hello"), std::string::npos);
}

TEST(Parse, UnterminatedMultipartKeepsLastPart) {
  Message m = parse_message(head() +
                            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                            "--b\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
                            "--b\r\nContent-Type: text/plain\r\n\r\nsecond, cut off");
  EXPECT_TRUE(has_defect(m, DefectKind::unterminated_multipart));
  EXPECT_NE(m.text.find("first"), std::string::npos);
  EXPECT_NE(m.text.find("second, cut off"), std::string::npos);
}

TEST(Parse, ThousandDeepNestingIsCapped) {
  std::string body;
  for (int i = 0; i < 1000; ++i)
    body += "--b" + std::to_string(i) + "\r\nContent-Type: multipart/mixed; boundary=b" +
            std::to_string(i + 1) + "\r\n\r\n";
  body += "--b1000\r\nContent-Type: text/plain\r\n\r\ndeep\r\n";
  Message m = parse_message(head() + "Content-Type: multipart/mixed; boundary=b0\r\n\r\n" + body);
  EXPECT_TRUE(has_defect(m, DefectKind::too_deep));
  EXPECT_EQ(m.from.address, "karen@example.com");
}

TEST(Parse, HundredThousandPartsAreCapped) {
  std::string body;
  body.reserve(100000 * 40);
  for (int i = 0; i < 100000; ++i) body += "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n";
  body += "--b--\r\n";
  ParseLimits limits;
  Message m =
      parse_message(head() + "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + body, limits);
  EXPECT_TRUE(has_defect(m, DefectKind::too_many_parts));
  EXPECT_LE(m.attachments.size(), limits.max_parts);
}

TEST(Parse, HugeHeaderIsCapped) {
  std::string big = "X-Junk: " + std::string(10u << 20, 'a') + "\r\n";
  Message m = parse_message(head() + big + "Subject2: x\r\n\r\nbody\r\n");
  EXPECT_TRUE(has_defect(m, DefectKind::header_too_big));
  EXPECT_EQ(m.from.address, "karen@example.com");
  EXPECT_EQ(m.text, "body\n");
}

// One header line longer than the cap, right before the body: not kept
// (hostile_test found it kept whole when it started below the cap).
TEST(Parse, OneHugeHeaderLineIsCapped) {
  std::string big = "X-Junk: " + std::string(10u << 20, 'a') + "\r\n";
  Message m = parse_message(head() + big + "\r\nbody\r\n");
  EXPECT_TRUE(has_defect(m, DefectKind::header_too_big));
  EXPECT_EQ(m.header("X-Junk"), nullptr);
  EXPECT_EQ(m.from.address, "karen@example.com");
  EXPECT_EQ(m.text, "body\n");
}

TEST(Parse, AttachmentOverCapIsDroppedButRecorded) {
  ParseLimits limits;
  limits.max_attachment_bytes = 4;
  Message m = parse_message(head() +
                                "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                                "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                                "--b\r\nContent-Type: application/octet-stream; name=a.bin\r\n"
                                "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n",
                            limits);
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_TRUE(m.attachments[0].dropped);
  EXPECT_EQ(m.attachments[0].size, 5u);
  EXPECT_TRUE(m.attachments[0].data.empty());
  EXPECT_TRUE(has_defect(m, DefectKind::attachment_too_big));
}

// ParseLimits::lazy_attachment_bytes: a base64 or unencoded attachment that
// big is hashed and measured but not kept; attachment_content() decodes it
// again from the parsed bytes, the same bytes the ordinary parse keeps.
// Quoted-printable and smaller bodies are kept as before; so is one past
// max_attachment_bytes dropped.
TEST(Parse, LazyAttachmentsMatchTheKeptOnes) {
  std::string b64;
  for (int i = 0; i < 40; ++i) b64 += "SGVsbG8sIGxhenkgd29ybGQhIEJ5dGVzOiD/AAEC\r\n";
  b64 += "SGk|=\r\n";  // junk before the end: the defect either way
  const std::string raw = head() +
                          "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                          "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                          "--b\r\nContent-Type: application/pdf; name=a.pdf\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n" +
                          b64 +
                          "--b\r\nContent-Type: application/octet-stream; name=b.bin\r\n"
                          "Content-Transfer-Encoding: binary\r\n\r\n" +
                          std::string(300, 'z') + std::string("\0tail\r\n", 7) +
                          "--b\r\nContent-Type: text/csv; name=c.csv\r\n"
                          "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
                          std::string(300, 'q') +
                          "=41\r\n"
                          "--b\r\nContent-Type: image/png; name=small.png\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n"
                          "--b--\r\n";
  const Message kept = parse_message(raw);
  ParseLimits limits;
  limits.lazy_attachment_bytes = 100;
  const Message lazy = parse_message(raw, limits);
  ASSERT_EQ(kept.attachments.size(), 4u);
  ASSERT_EQ(lazy.attachments.size(), 4u);
  const bool expect_lazy[] = {true, true, false, false};  // base64, binary, QP, small
  for (std::size_t i = 0; i < 4; ++i) {
    const Attachment& k = kept.attachments[i];
    const Attachment& l = lazy.attachments[i];
    SCOPED_TRACE(k.filename);
    EXPECT_FALSE(k.lazy);
    EXPECT_EQ(l.lazy, expect_lazy[i]);
    EXPECT_EQ(l.data.empty(), expect_lazy[i]);
    EXPECT_EQ(l.filename, k.filename);
    EXPECT_EQ(l.sha256, k.sha256);
    EXPECT_EQ(l.size, k.size);
    std::string content;
    attachment_content(l, [&](std::string_view p) { content.append(p); });
    EXPECT_TRUE(content == k.data) << content.size() << " bytes against " << k.data.size();
    EXPECT_EQ(content.size(), l.size);
  }
  EXPECT_EQ(sha256_hex(kept.attachments[0].data), lazy.attachments[0].sha256);
  ASSERT_EQ(lazy.defects.size(), kept.defects.size());
  for (std::size_t i = 0; i < kept.defects.size(); ++i)
    EXPECT_EQ(lazy.defects[i].kind, kept.defects[i].kind);
  EXPECT_TRUE(has_defect(lazy, DefectKind::bad_base64));

  limits.max_attachment_bytes = 100;  // the base64 one decodes to more
  const Message capped = parse_message(raw, limits);
  ASSERT_EQ(capped.attachments.size(), 4u);
  EXPECT_TRUE(capped.attachments[0].dropped);
  EXPECT_FALSE(capped.attachments[0].lazy);
  EXPECT_EQ(capped.attachments[0].size, kept.attachments[0].size);
  EXPECT_EQ(capped.attachments[0].sha256, kept.attachments[0].sha256);
  EXPECT_TRUE(has_defect(capped, DefectKind::attachment_too_big));
  std::string none;
  attachment_content(capped.attachments[0], [&](std::string_view p) { none.append(p); });
  EXPECT_TRUE(none.empty());
}

TEST(Parse, BareLfAndBareCrLineEndings) {
  Message lf = parse_message("From: a@b.example\nSubject: lf\n\nbody\n");
  EXPECT_EQ(lf.subject, "lf");
  Message cr = parse_message("From: a@b.example\rSubject: cr\r\rbody\r");
  EXPECT_EQ(cr.subject, "cr");
  EXPECT_EQ(cr.from.address, "a@b.example");
}

// The text is stored with LF ends whatever the mail had: CRLF, a bare CR
// (also several in a row, at the start and at the end), and CRs that a
// quoted-printable body decodes (=0D).
TEST(Parse, TextLineEndsBecomeLf) {
  Message m = parse_message(head() +
                            "Content-Type: text/plain\r\nContent-Transfer-Encoding: "
                            "quoted-printable\r\n\r\n=0Done=0D=0Atwo=0Dthree=0D=0D=0Afour\r\n"
                            "five=0D=0D\r\n");
  EXPECT_EQ(m.text, "\none\ntwo\nthree\n\nfour\nfive\n\n\n");  // CR, CR, CRLF
  Message plain = parse_message(head() + "Content-Type: text/plain\r\n\r\nno CR at all\n");
  EXPECT_EQ(plain.text, "no CR at all\n");
}

// Unfolding drops every CR and LF and keeps the rest (RFC 5322 2.2.3: the
// folding whitespace stays).
TEST(Parse, UnfoldDropsLineBreaksOnly) {
  EXPECT_EQ(unfold("one line"), "one line");
  EXPECT_EQ(unfold(""), "");
  EXPECT_EQ(unfold(std::string_view()), "");
  EXPECT_EQ(unfold("Hello\r\n\tworld\r\n  again"), "Hello\tworld  again");
  EXPECT_EQ(unfold("a\n b\r c\r\n\r\n d\n"), "a b c d");
  EXPECT_EQ(unfold("\r\n"), "");
  EXPECT_EQ(unfold("\rx\n"), "x");
}

TEST(Parse, NulBytesDoNotCrash) {
  std::string raw = head() + "Content-Type: text/plain\r\n\r\nab";
  raw.push_back('\0');
  raw += "cd\r\n";
  Message m = parse_message(raw);
  EXPECT_EQ(m.text.find('\0'), std::string::npos);
  EXPECT_NE(m.text.find("cd"), std::string::npos);
}

TEST(Parse, EmptyInput) {
  Message m = parse_message("");
  EXPECT_TRUE(m.headers.empty());
  EXPECT_TRUE(m.text.empty());
}

}  // namespace
