// Tests for html_to_text (parser/html_text.h).
#include "parser/html_text.h"

#include <gtest/gtest.h>

#include <string>

namespace ticketd::parser {
namespace {

struct HtmlCase {
  const char* name;
  std::string html;
  std::string want;
};

class HtmlToTextTest : public ::testing::TestWithParam<HtmlCase> {};

TEST_P(HtmlToTextTest, Converts) {
  const HtmlCase& c = GetParam();
  EXPECT_EQ(html_to_text(c.html), c.want) << "input: " << c.html;
}

const HtmlCase kHtmlCases[] = {
    {"empty", "", ""},
    {"plain_text", "Hello world", "Hello world"},
    {"paragraphs", "<p>First</p><p>Second</p>", "First\n\nSecond"},
    {"full_document",
     "<!DOCTYPE html><html><head><title>T</title><meta charset=utf-8></head>"
     "<body><p>Hi</p></body></html>",
     "Hi"},
    {"br", "line one<br>line two<br/>line three", "line one\nline two\nline three"},
    {"double_br_is_blank_line", "a<br><br>b", "a\n\nb"},
    {"many_br_capped", "a<br><br><br><br><br>b", "a\n\nb"},
    {"divs", "<div>a</div><div>b</div>", "a\nb"},
    {"empty_paragraphs_capped", "<p>a</p><p>&nbsp;</p><p></p><p>&nbsp;</p><p>b</p>", "a\n\nb"},
    {"headings", "<h1>Title</h1>text", "Title\n\ntext"},
    {"unordered_list", "<p>Items:</p><ul><li>one</li><li>two</li></ul>after",
     "Items:\n\n- one\n- two\nafter"},
    {"ordered_list", "<ol><li>one</li><li> two </li><li>three</li></ol>",
     "1. one\n2. two\n3. three"},
    {"ordered_list_start", "<ol start=\"4\"><li>four</li><li>five</li></ol>", "4. four\n5. five"},
    {"nested_list", "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"},
    {"list_item_paragraphs", "<ul><li><p>a</p></li><li><p>b</p></li></ul>", "- a\n- b"},
    {"link", "See <a href=\"https://example.com/x\">the docs</a>.",
     "See the docs <https://example.com/x>."},
    {"link_text_is_url", "<a href=\"https://example.com/\">https://example.com/</a>",
     "https://example.com/"},
    {"link_text_is_url_without_scheme", "<a href=\"https://www.example.com/\">www.example.com</a>",
     "www.example.com"},
    {"mailto_same_text", "<a href=\"mailto:help@x.com\">help@x.com</a>", "help@x.com"},
    {"mailto_other_text", "<a href=\"mailto:help@x.com\">write us</a>",
     "write us <mailto:help@x.com>"},
    {"javascript_link_dropped", "<a href=\"javascript:alert(1)\">click</a>", "click"},
    {"javascript_with_tab_dropped", "<a href=\"java&#9;script:alert(1)\">click</a>", "click"},
    {"anchor_link_dropped", "<a href=\"#top\">top</a>", "top"},
    {"link_without_text_dropped", "a<a href=\"https://t.example/p\"><img src=\"x.png\"></a>b",
     "ab"},
    {"script_dropped", "a<script>alert('x');</script>b", "ab"},
    {"style_dropped",
     "<style>p { color: red; background: url(https://t.example/x) }</style><p>a</p>", "a"},
    {"noscript_template_dropped", "<noscript>enable js</noscript><template>t</template>x", "x"},
    {"entities", "&lt;tag&gt; &amp; &quot;q&quot; caf&eacute; &#8364; &#x41;",
     "<tag> & \"q\" caf\xC3\xA9 \xE2\x82\xAC A"},
    {"nbsp_is_space", "a&nbsp;b", "a b"},
    {"whitespace_collapsed", "  a \n\t  b   c  ", "a b c"},
    {"inline_elements_keep_space", "<b>bold</b> <i>italic</i>", "bold italic"},
    {"inline_without_space", "<b>bo</b><i>ld</i>", "bold"},
    {"pre_keeps_whitespace", "<pre>a  b\n  c</pre>", "a  b\n  c"},
    {"trailing_spaces_trimmed", "<pre>a   \nb</pre>", "a\nb"},
    {"img_alt", "Logo: <img src=\"https://tracker.example/pixel.gif\" alt=\"ACME\">", "Logo: ACME"},
    {"img_remote_src_not_in_output", "<img src=\"https://tracker.example/pixel.gif\">hi", "hi"},
    {"on_attributes_not_in_output",
     "<body onload=\"steal()\"><p onclick=\"evil()\" style=\"background:url(x)\">text</p></body>",
     "text"},
    {"table_rows_and_cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
     "a b\nc"},
    {"blockquote", "reply<blockquote>quoted</blockquote>", "reply\n\nquoted"},
    {"comment_dropped", "a<!-- secret -->b", "ab"},
    {"unclosed_tags_recovered", "<p>a<p>b<div>c", "a\n\nb\n\nc"},
    {"utf8_text", "<p>J\xC3\xB6rg \xE6\x97\xA5\xE6\x9C\xAC</p>",
     "J\xC3\xB6rg \xE6\x97\xA5\xE6\x9C\xAC"},
    {"meta_charset_ignored", "<meta charset=\"iso-8859-1\"><p>J\xC3\xB6rg</p>", "J\xC3\xB6rg"},
    {"hr", "a<hr>b", "a\n\nb"},
    // Recovery rules of the one-pass converter (as libxml2's HTML parser did).
    {"word_o_p_is_a_paragraph", "<div>a<o:p></o:p></div><div><o:p>&nbsp;</o:p></div><div>b</div>",
     "a\n\nb"},
    {"text_before_block_is_a_paragraph", "text<div>x</div>", "text\n\nx"},
    {"text_before_body_is_a_paragraph", "a<body>b</body>", "a\n\nb"},
    {"late_head_ignored", "<p>a</p><head><meta charset=utf-8></head>b", "a\n\nb"},
    {"pasted_document_styles_hidden",
     "<p>mine</p><html><head><style>p{x:1}</style></head><body><p>theirs</p></body></html>",
     "mine\n\ntheirs"},
    {"li_closes_li", "<ul><li>a<li>b</ul>", "- a\n- b"},
    {"cells_without_end_tags", "<table><tr><td>a<td>b<tr><td>c</table>", "a b\nc"},
    {"end_tag_does_not_cross_div", "<b><div>x</b>y</div>z", "xy\nz"},
    {"unknown_entity_kept", "&bogus; &amp &copy;", "&bogus; &amp \xC2\xA9"},
    {"invalid_char_refs_dropped", "a&#0;b&#xD800;c&#x110000;d", "abcd"},
    {"lone_lt_is_text", "2 < 3 <", "2 < 3 <"},
    {"unterminated_comment", "a<!-- never closed b", "a"},
    {"script_end_tag_in_other_case", "a<SCRIPT>x</ScRiPt>b", "ab"},
    {"select_options_hidden", "a<select><option>one<option>two</select>b", "ab"},
    {"svg_text_hidden", "a<svg><text>hidden</text></svg>b", "ab"},
};

INSTANTIATE_TEST_SUITE_P(Cases, HtmlToTextTest, ::testing::ValuesIn(kHtmlCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtmlToTextDeep, FiveThousandNestedDivs) {
  std::string html;
  for (int i = 0; i < 5000; ++i) html += "<div>";
  html += "deep";
  for (int i = 0; i < 5000; ++i) html += "</div>";
  EXPECT_EQ(html_to_text(html), "deep");
}

TEST(HtmlToTextDeep, HundredThousandUnclosedInlineTags) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<span><b>";
  html += "x";
  std::string text = html_to_text(html);
  EXPECT_LE(text.size(), 1u);
}

TEST(HtmlToTextHostile, InvalidUtf8IsRepaired) {
  std::string text = html_to_text(
      "<p>a\xFF"
      "b</p>");
  EXPECT_EQ(text,
            "a\xEF\xBF\xBD"
            "b");
}

TEST(HtmlToTextHostile, NulBytes) {
  std::string html("<p>a", 4);
  html += '\0';
  html += "b</p>";
  std::string text = html_to_text(html);
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.substr(0, 1), "a");
}

TEST(HtmlToTextHostile, ExternalEntitiesNotLoaded) {
  std::string text = html_to_text(
      "<!DOCTYPE html SYSTEM \"file:///etc/passwd\"><p>&xxe;</p>"
      "<iframe src=\"file:///etc/passwd\"></iframe>");
  EXPECT_EQ(text.find("root:"), std::string::npos);
}

TEST(HtmlToTextLarge, ManyParagraphs) {
  std::string html;
  for (int i = 0; i < 20000; ++i) html += "<p>line <a href=\"https://x.example/\">link</a></p>";
  std::string text = html_to_text(html);
  EXPECT_EQ(text.substr(0, 31), "line link <https://x.example/>\n");
  EXPECT_EQ(text.size(), 20000u * 32 - 2);
}

}  // namespace
}  // namespace ticketd::parser
