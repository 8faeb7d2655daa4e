// ticketd parser: HTML to plain text. libxml2 builds the tree (recovering from
// whatever mail clients write); we walk it iteratively through parent/next
// pointers — a mail with 100k nested <div>s must not exhaust the stack.
#include "parser/html_text.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "parser/charset.h"

namespace ticketd::parser {
namespace {

void ignore_generic_error(void*, const char*, ...) {}
void ignore_structured_error(void*, xmlErrorPtr) {}

void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  // The handlers are per thread in libxml2; set them on every call (cheap) so
  // a worker thread never prints parser complaints to stderr.
  xmlSetGenericErrorFunc(nullptr, ignore_generic_error);
  xmlSetStructuredErrorFunc(nullptr, ignore_structured_error);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

std::string_view name_of(const xmlNode* node) {
  return node->name ? reinterpret_cast<const char*>(node->name) : "";
}

bool is_any(std::string_view name, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names) {
    if (name == n) return true;
  }
  return false;
}

// Elements whose contents are never shown. The HTML parser lower-cases names.
bool is_hidden(std::string_view name) {
  return is_any(name, {"script", "style", "head", "title", "noscript", "template", "iframe",
                       "object", "embed", "svg", "math", "applet", "frameset"});
}

// Paragraph-like blocks: a blank line before and after.
bool is_paragraph(std::string_view name) {
  return is_any(name, {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "dl",
                       "hr", "address", "figure", "fieldset"});
}

// Other blocks: start and end on their own line.
bool is_line_block(std::string_view name) {
  return is_any(
      name, {"div",     "tr",         "li",     "ul",   "ol",      "dt",      "dd",     "article",
             "section", "header",     "footer", "nav",  "aside",   "main",    "center", "form",
             "caption", "figcaption", "body",   "html", "details", "summary", "legend", "option"});
}

std::string_view attr(const xmlNode* node, const char* name) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (a->name == nullptr || std::strcmp(reinterpret_cast<const char*>(a->name), name) != 0) {
      continue;
    }
    // HTML attribute values are a single text child (entities already decoded).
    const xmlNode* v = a->children;
    if (v != nullptr && v->content != nullptr && v->next == nullptr) {
      return reinterpret_cast<const char*>(v->content);
    }
    return {};
  }
  return {};
}

// The href as shown to the reader, or "" when it must not be shown: script
// URLs, data: blobs and in-page anchors.
std::string clean_href(std::string_view href) {
  std::string url;
  url.reserve(href.size());
  // Browsers ignore control characters and whitespace inside URLs
  // ("java&#9;script:"), so drop them before looking at the scheme.
  for (char c : href) {
    if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f && c != '<' && c != '>') url += c;
  }
  if (url.empty() || url.front() == '#') return {};
  if (istarts_with(url, "javascript:") || istarts_with(url, "vbscript:") ||
      istarts_with(url, "data:")) {
    return {};
  }
  return url;
}

// Whether link text already says where the link goes: "x@y" for
// "mailto:x@y", "www.x.com" for "https://www.x.com/".
bool same_target(std::string_view shown, std::string_view href) {
  if (shown == href) return true;
  for (std::string_view scheme : {"mailto:", "https://", "http://"}) {
    if (istarts_with(href, scheme)) {
      href.remove_prefix(scheme.size());
      break;
    }
  }
  for (std::string_view scheme : {"https://", "http://"}) {
    if (istarts_with(shown, scheme)) {
      shown.remove_prefix(scheme.size());
      break;
    }
  }
  if (!href.empty() && href.back() == '/') href.remove_suffix(1);
  if (!shown.empty() && shown.back() == '/') shown.remove_suffix(1);
  return shown == href;
}

// Accumulates text like a browser lays it out: whitespace collapsed outside
// <pre>, line breaks requested by blocks merged, at most one blank line.
class TextBuilder {
 public:
  void text(std::string_view s, bool preformatted) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      // U+00A0 (&nbsp;) reads as a plain space.
      if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
        ++i;
        c = ' ';
      }
      if (preformatted) {
        if (c == '\n') {
          newlines(1, /*add=*/true);
        } else if (c != '\r') {
          flush();
          out_ += c == '\t' ? ' ' : c;
        }
        continue;
      }
      if (is_space(c)) {
        space_ = true;
        continue;
      }
      std::size_t run = i;
      while (run < s.size() && !is_space(s[run]) && s[run] != '\xC2') ++run;
      flush();
      if (run == i) {
        out_ += c;
      } else {
        out_.append(s.substr(i, run - i));
        i = run - 1;
      }
    }
  }

  // Requests `n` line breaks before the next text; merged with pending ones
  // (max), or added to them (<br>, newlines in <pre>), never more than 2.
  void newlines(int n, bool add = false) {
    // Nothing before, or only a list marker ("<li><p>item</p>") on this line.
    if (out_.empty() || after_marker_) return;
    pending_ = add ? pending_ + n : std::max(pending_, n);
    if (pending_ > 2) pending_ = 2;
    space_ = false;
  }

  void space() { space_ = true; }

  // Raw text (list markers, link targets), written as is after pending breaks.
  void literal(std::string_view s) {
    flush();
    out_.append(s);
  }

  // Like literal(), but the break pending before it stays (a marker starts its line).
  void marker(std::string_view s) {
    flush();
    out_.append(s);
    space_ = false;
    after_marker_ = true;
  }

  std::size_t size() const { return out_.size(); }
  std::string_view since(std::size_t pos) const {
    return std::string_view(out_).substr(std::min(pos, out_.size()));
  }

  std::string finish() {
    trim_line_end();
    std::size_t start = 0;
    while (start < out_.size() && is_space(out_[start])) ++start;
    out_.erase(0, start);
    return std::move(out_);
  }

 private:
  void flush() {
    if (pending_ > 0 && !out_.empty()) {
      trim_line_end();
      out_.append(static_cast<std::size_t>(pending_), '\n');
      space_ = false;
    } else if (space_ && !out_.empty() && out_.back() != '\n' && !after_marker_) {
      out_ += ' ';
    }
    pending_ = 0;
    space_ = false;
    after_marker_ = false;
  }

  void trim_line_end() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\t')) out_.pop_back();
  }

  std::string out_;
  int pending_ = 0;
  bool space_ = false;
  bool after_marker_ = false;
};

struct ListState {
  bool ordered = false;
  int next = 1;
};

struct LinkState {
  std::size_t start;
  std::string href;
  const xmlNode* node;
};

class Walker {
 public:
  std::string run(const xmlNode* root) {
    const xmlNode* node = root;
    while (node != nullptr) {
      bool descend = enter(node);
      if (descend && node->children != nullptr) {
        node = node->children;
        continue;
      }
      // Leave this node and every ancestor that has no next sibling.
      while (node != nullptr) {
        if (descend) leave(node);
        descend = true;
        if (node == root) return out_.finish();
        if (node->next != nullptr) {
          node = node->next;
          break;
        }
        node = node->parent;
      }
    }
    return out_.finish();
  }

 private:
  // Returns whether to walk the children (and later call leave()).
  bool enter(const xmlNode* node) {
    switch (node->type) {
      case XML_TEXT_NODE:
      case XML_CDATA_SECTION_NODE:
        if (node->content != nullptr) {
          out_.text(reinterpret_cast<const char*>(node->content), pre_depth_ > 0);
        }
        return false;
      case XML_ELEMENT_NODE:
        break;
      case XML_DOCUMENT_NODE:
      case XML_HTML_DOCUMENT_NODE:
        return true;
      default:
        return false;  // comments, processing instructions, DTDs
    }
    std::string_view name = name_of(node);
    if (is_hidden(name)) return false;
    if (name == "br") {
      out_.newlines(1, /*add=*/true);
      return false;
    }
    if (name == "img") {
      // Only the alt text; the src (often a tracking pixel) is never shown or fetched.
      std::string_view alt = attr(node, "alt");
      if (!alt.empty()) out_.text(alt, false);
      return false;
    }
    if (name == "input" || name == "button" || name == "select" || name == "textarea") {
      // Form controls carry no message text worth keeping.
      return name == "button" || name == "textarea";
    }
    block_break(name);
    if (name == "pre") ++pre_depth_;
    if (name == "ul" || name == "ol") {
      ListState list;
      list.ordered = name == "ol";
      std::string_view start = attr(node, "start");
      if (list.ordered && !start.empty() && start.size() < 6 &&
          start.find_first_not_of("0123456789") == std::string_view::npos) {
        list.next = std::stoi(std::string(start));
      }
      lists_.push_back(list);
    } else if (name == "li") {
      std::string m(lists_.size() > 1 ? (lists_.size() - 1) * 2 : 0, ' ');
      if (!lists_.empty() && lists_.back().ordered) {
        m += std::to_string(lists_.back().next++);
        m += ". ";
      } else {
        m += "- ";
      }
      out_.marker(m);
    } else if (name == "a") {
      std::string_view href = attr(node, "href");
      if (!href.empty()) links_.push_back({out_.size(), clean_href(href), node});
    }
    return true;
  }

  // Line breaks around a block element, before and after it.
  void block_break(std::string_view name) {
    if (is_paragraph(name)) {
      // Paragraphs inside list items (Outlook, Word) keep the list compact.
      out_.newlines(lists_.empty() ? 2 : 1);
    } else if (is_line_block(name)) {
      out_.newlines(1);
    } else if (name == "td" || name == "th") {
      out_.space();
    }
  }

  void leave(const xmlNode* node) {
    if (node->type != XML_ELEMENT_NODE) return;
    std::string_view name = name_of(node);
    block_break(name);
    if (name == "pre" && pre_depth_ > 0) --pre_depth_;
    if ((name == "ul" || name == "ol") && !lists_.empty()) lists_.pop_back();
    if (name == "a" && !links_.empty() && links_.back().node == node) {
      LinkState link = std::move(links_.back());
      links_.pop_back();
      std::string_view shown = out_.since(link.start);
      while (!shown.empty() && is_space(shown.front())) shown.remove_prefix(1);
      while (!shown.empty() && is_space(shown.back())) shown.remove_suffix(1);
      // A link without visible text is an image or a tracker; a link whose
      // text is its own URL needs no repetition.
      if (link.href.empty() || shown.empty() || same_target(shown, link.href)) return;
      out_.space();
      std::string target = "<";
      target += link.href;
      target += '>';
      out_.literal(target);
    }
  }

  TextBuilder out_;
  std::vector<ListState> lists_;
  std::vector<LinkState> links_;
  int pre_depth_ = 0;
};

}  // namespace

std::string html_to_text(std::string_view html) {
  // libxml2 would switch to latin-1 at the first invalid UTF-8 byte and garble
  // the rest; repair the bytes first so the declared UTF-8 holds.
  std::string repaired;
  if (!is_valid_utf8(html)) {
    repaired.reserve(html.size() + 16);
    append_repaired_utf8(html, repaired);
    html = repaired;
  }
  if (html.size() > static_cast<std::size_t>(INT_MAX)) html = html.substr(0, INT_MAX);
  if (html.empty()) return {};
  init_libxml();

  htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
  if (ctxt == nullptr) return {};
  // No NOBLANKS: it drops the whitespace-only text between inline elements
  // ("<b>a</b> <i>b</i>"). NONET: nothing is ever fetched.
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_COMPACT | XML_PARSE_HUGE;
  htmlDocPtr doc = htmlCtxtReadMemory(ctxt, html.data(), static_cast<int>(html.size()), nullptr,
                                      "UTF-8", options);
  std::string text;
  if (doc != nullptr) {
    Walker walker;
    text = walker.run(reinterpret_cast<const xmlNode*>(doc));
    xmlFreeDoc(doc);
  }
  htmlFreeParserCtxt(ctxt);
  return text;
}

}  // namespace ticketd::parser
