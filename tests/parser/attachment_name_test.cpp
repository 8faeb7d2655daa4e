// Attachment display names: display_name() per source (table), the counters of
// numbered_names(), and parse_message() end to end (nameless inline images,
// forwarded messages, repeats).
#include "parser/attachment_name.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parser/parse.h"

using namespace ticketd::parser;

namespace {

// ---- display_name: one source at a time ----

struct NameCase {
  const char* name;
  PartNameSources part;
  std::string want;
  bool made_up = true;
};

std::string PrintToString(const NameCase& c) { return c.name; }

PartNameSources typed(std::string type) {
  PartNameSources p;
  p.content_type = std::move(type);
  return p;
}

PartNameSources with(PartNameSources p, std::string PartNameSources::*field, std::string value) {
  p.*field = std::move(value);
  return p;
}

using P = PartNameSources;

const NameCase kNameCases[] = {
    // 1. given names win over everything and are kept as written
    {"given_wins", with(with(typed("image/png"), &P::given, "logo.png"), &P::content_id, "a.gif@x"),
     "logo.png", false},
    {"given_kept_as_written", with(typed("text/plain"), &P::given, " notes .txt"), " notes .txt",
     false},
    {"given_blank_is_no_name", with(typed("image/jpeg"), &P::given, "  "), "image.jpg"},
    // 2. carried messages
    {"eml_from_subject",
     with(with(typed("message/rfc822"), &P::carried_subject, "Re: offer 12/3"), &P::description,
          "Undelivered Message"),
     "Re: offer 12_3.eml"},
    {"eml_from_description", with(typed("message/rfc822"), &P::description, "Undelivered Message"),
     "Undelivered Message.eml"},
    {"eml_fallback", typed("message/global"), "forwarded message.eml"},
    {"eml_given_name", with(typed("message/rfc822"), &P::given, "original.msg"), "original.msg",
     false},
    // 3. Content-Location
    {"location_path", with(typed("image/png"), &P::location, "images/logo.png"), "logo.png"},
    {"location_url_query",
     with(typed("image/png"), &P::location, "https://cdn.example/a/b.png?v=2#x"), "b.png"},
    {"location_percent",
     with(typed("image/jpeg"), &P::location, "file:///C:/My%20Pictures/Gr%C3%BC%C3%9Fe.jpg"),
     "Grüße.jpg"},
    {"location_windows_path", with(typed("image/gif"), &P::location, "C:\\temp\\dot.gif"),
     "dot.gif"},
    {"location_bare_host", with(typed("text/html"), &P::location, "https://www.example.com"),
     "document.html"},
    {"location_trailing_slash",
     with(typed("text/html"), &P::location, "https://www.example.com/a/"), "document.html"},
    {"location_cid_reference", with(typed("image/png"), &P::location, "cid:img1@x"), "image.png"},
    {"location_dot_dot", with(typed("image/png"), &P::location, "a/.."), "image.png"},
    {"location_encoded_dot_dot", with(typed("image/png"), &P::location, "a/%2e%2e"), "image.png"},
    {"location_encoded_slash", with(typed("image/png"), &P::location, "a/x%2Fy.png"), "x_y.png"},
    // 4. a Content-ID that holds a file name (Outlook)
    {"cid_file_name", with(typed("image/jpeg"), &P::content_id, "image001.jpg@01D3A1B2.C3D4E5F0"),
     "image001.jpg"},
    {"cid_before_type", with(typed("application/octet-stream"), &P::content_id, "scan.tiff@x"),
     "scan.tiff"},
    {"cid_extension_too_long",
     with(typed("image/png"), &P::content_id, "part1.06090408.01060107@x"), "image.png"},
    {"cid_without_at", with(typed("image/gif"), &P::content_id, "_1_08FC9B5808FC7D5C"),
     "image.gif"},
    // 5. the type, with Content-Description as the stem when it is a name
    {"type_image", typed("image/jpg"), "image.jpg"},
    {"type_html", typed("text/html"), "document.html"},
    {"type_video", typed("video/quicktime"), "video.mov"},
    {"type_dsn", typed("message/delivery-status"), "delivery-status.txt"},
    {"type_dsn_described",
     with(typed("message/delivery-status"), &P::description, "Delivery report"),
     "Delivery report.txt"},
    {"type_headers_described",
     with(typed("text/rfc822-headers"), &P::description, "Undelivered Message Headers"),
     "Undelivered Message Headers.txt"},
    {"description_with_extension", with(typed("image/jpeg"), &P::description, "image001.JPG"),
     "image001.jpg"},
    {"description_with_slash",
     with(typed("application/pkcs7-signature"), &P::description, "S/MIME Cryptographic Signature"),
     "smime.p7s"},
    {"description_only_extension", with(typed("image/jpeg"), &P::description, ".jpg"), "image.jpg"},
    {"description_too_long", with(typed("text/plain"), &P::description, std::string(101, 'x')),
     "document.txt"},
    {"type_tnef", typed("application/ms-tnef"), "winmail.dat"},
    // 6. any Content-ID local part, 7. "file"
    {"cid_local_part",
     with(typed("application/others"), &P::content_id, "32497.1617621278.2@humeexp"),
     "32497.1617621278.2"},
    {"unknown_type_described",
     with(typed("application/pgp-encrypted"), &P::description, "PGP/MIME Versions Identification"),
     "file"},
    {"nothing", typed("application/octet-stream"), "file"},
    // made-up names are cleaned
    {"control_chars_and_slashes", with(typed("message/rfc822"), &P::carried_subject, "a\x01/b\\c"),
     "a_b_c.eml"},
};

class DisplayNameTest : public ::testing::TestWithParam<NameCase> {};

TEST_P(DisplayNameTest, Names) {
  const NameCase& c = GetParam();
  DisplayName n = display_name(c.part);
  EXPECT_EQ(n.str(), c.want);
  EXPECT_EQ(n.made_up, c.made_up);
}

INSTANTIATE_TEST_SUITE_P(Cases, DisplayNameTest, ::testing::ValuesIn(kNameCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DisplayName, LongSubjectIsCutAtACharacterBoundary) {
  std::string subject;
  for (int i = 0; i < 100; ++i) subject += "ä";  // 200 bytes
  DisplayName n = display_name(with(typed("message/rfc822"), &P::carried_subject, subject));
  EXPECT_EQ(n.stem.size(), 120u);
  EXPECT_EQ(n.str(), subject.substr(0, 120) + ".eml");
}

// ---- numbered_names ----

DisplayName given(std::string name) { return {std::move(name), {}, false}; }
DisplayName made(std::string stem, std::string ext) {
  return {std::move(stem), std::move(ext), true};
}

TEST(NumberedNames, MadeUpRepeatsGetZammadsCounter) {
  // mail062 of the Zammad corpus: two nameless text/html and two nameless
  // video/quicktime parts beside Video1.MOV..Video3.MOV.
  std::vector<DisplayName> names = {made("document", "html"), made("document", "html"),
                                    given("Video1.MOV"),      given("Video2.MOV"),
                                    made("video", "mov"),     made("video", "mov")};
  EXPECT_EQ(numbered_names(names),
            (std::vector<std::string>{"document.html", "document1.html", "Video1.MOV", "Video2.MOV",
                                      "video.mov", "video1.mov"}));
}

TEST(NumberedNames, GivenNamesAreNeverRenamed) {
  std::vector<DisplayName> names = {given("shot.png"), given("shot.png"), made("image", "png")};
  EXPECT_EQ(numbered_names(names), (std::vector<std::string>{"shot.png", "shot.png", "image.png"}));
}

TEST(NumberedNames, MadeUpNameYieldsToALaterGivenName) {
  std::vector<DisplayName> names = {made("image", "jpg"), given("image.jpg"), given("image1.jpg")};
  EXPECT_EQ(numbered_names(names),
            (std::vector<std::string>{"image2.jpg", "image.jpg", "image1.jpg"}));
}

TEST(NumberedNames, StemEndingInADigitGetsADash) {
  std::vector<DisplayName> names = {made("image001", "jpg"), made("image001", "jpg"),
                                    made("file", ""), made("file", "")};
  EXPECT_EQ(numbered_names(names),
            (std::vector<std::string>{"image001.jpg", "image001-1.jpg", "file", "file1"}));
}

// ---- parse_message end to end ----

std::string mail(std::string body_parts) {
  return "From: Karen Jones <karen@example.com>\r\nTo: support@example.com\r\n"
         "Subject: Names\r\nMessage-ID: <n1@example.com>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
         "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
         body_parts + "--b--\r\n";
}

TEST(ParseNames, InlineImagesOfARelatedHtmlBody) {
  Message m = parse_message(
      "From: Karen Jones <karen@example.com>\r\nTo: support@example.com\r\n"
      "Subject: Names\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/related; boundary=r\r\n\r\n"
      "--r\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:image001.png@01D9\">"
      "<img src=\"cid:x@y\"><img src=\"cid:z@y\">\r\n"
      "--r\r\nContent-Type: image/png\r\nContent-ID: <image001.png@01D9>\r\n\r\nA\r\n"
      "--r\r\nContent-Type: image/png\r\nContent-ID: <x@y>\r\n\r\nB\r\n"
      "--r\r\nContent-Type: image/png\r\nContent-ID: <z@y>\r\n\r\nC\r\n"
      "--r--\r\n");
  ASSERT_TRUE(m.html);
  ASSERT_EQ(m.attachments.size(), 3u);
  EXPECT_EQ(m.attachments[0].filename, "image001.png");
  EXPECT_EQ(m.attachments[1].filename, "image.png");
  EXPECT_EQ(m.attachments[2].filename, "image1.png");
  EXPECT_TRUE(m.attachments[1].inline_part);
  EXPECT_EQ(m.attachments[1].content_id, "x@y");
}

TEST(ParseNames, NameFromContentTypeAndLocation) {
  Message m = parse_message(
      mail("--b\r\nContent-Type: video/quicktime; name=\"Video2.MOV\"\r\n\r\nV\r\n"
           "--b\r\nContent-Type: image/gif\r\nContent-Location: http://x.example/pics/dot.gif\r\n"
           "\r\nG\r\n"));
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].filename, "Video2.MOV");
  EXPECT_EQ(m.attachments[1].filename, "dot.gif");
}

TEST(ParseNames, EmptyEncodedFileNameFallsBackToTheType) {
  // Apple Mail: filename="=?utf-8?b??=" (mail080 of the Zammad corpus).
  Message m =
      parse_message(mail("--b\r\nContent-Type: image/jpeg\r\n"
                         "Content-Disposition: inline; filename=\"=?utf-8?b?\?=\"\r\n\r\nJ\r\n"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "image.jpg");
}

TEST(ParseNames, BounceParts) {
  Message m = parse_message(
      "From: MAILER-DAEMON@mx.example\r\nTo: support@example.com\r\nSubject: Undelivered\r\n"
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
      "--r\r\nContent-Description: Notification\r\nContent-Type: text/plain\r\n\r\nsorry\r\n"
      "--r\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n"
      "\r\nAction: failed\r\n"
      "--r\r\nContent-Description: Undelivered Message\r\nContent-Type: message/rfc822\r\n\r\n"
      "From: support@example.com\r\nMessage-ID: <a@b>\r\n\r\nbody\r\n--r--\r\n");
  ASSERT_EQ(m.attachments.size(), 2u);
  EXPECT_EQ(m.attachments[0].filename, "Delivery report.txt");
  EXPECT_EQ(m.attachments[1].filename, "Undelivered Message.eml");
}

TEST(ParseNames, ForwardedMessageKeepsItsAttachmentsInside) {
  Message m =
      parse_message(mail("--b\r\nContent-Type: message/rfc822\r\n\r\n"
                         "From: a@b.example\r\nSubject: Invoice\r\nMIME-Version: 1.0\r\n"
                         "Content-Type: multipart/mixed; boundary=i\r\n\r\n"
                         "--i\r\nContent-Type: text/plain\r\n\r\nhere it is\r\n"
                         "--i\r\nContent-Type: application/pdf\r\n"
                         "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n\r\n%PDF\r\n"
                         "--i--\r\n"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].filename, "Invoice.eml");
  EXPECT_EQ(m.attachments[0].content_type, "message/rfc822");
  // The .eml is the whole carried mail: opened with the parser, it has the PDF.
  Message inner = parse_message(m.attachments[0].data);
  ASSERT_EQ(inner.attachments.size(), 1u);
  EXPECT_EQ(inner.attachments[0].filename, "invoice.pdf");
}

}  // namespace
