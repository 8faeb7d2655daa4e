// ticketd parser: HTML to plain text in one pass, without building a tree.
// A tokenizer feeds an element stack that recovers from what mail clients
// write the way HTML 4 parsers do (libxml2's rules, which this replaced:
// implied <html>/<body>/<p>, <p> closed by a block, <li> by the next <li>,
// end tags that do not cross a stronger boundary). Nothing is fetched, no
// entity is loaded; the stack is a vector — 100k nested <div>s cost memory,
// not the call stack.
#include "parser/html_text.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "parser/charset.h"

namespace ticketd::parser {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// ---- elements ----------------------------------------------------------------

enum Flag : unsigned {
  kHidden = 1u << 0,     // contents never shown
  kParagraph = 1u << 1,  // a blank line before and after
  kLineBlock = 1u << 2,  // starts and ends on its own line
  kVoid = 1u << 3,       // no end tag, no contents
  kRawText = 1u << 4,    // contents are text up to the end tag (script, style)
  kPcdata = 1u << 5,     // may hold text directly (whitespace between its children counts)
  kHeadOnly = 1u << 6,   // belongs in <head> (an implied one at the start)
  kClosesP = 1u << 7,    // starting it ends an open <p>
  kCell = 1u << 8,       // td, th
  kSection = 1u << 9,    // thead, tbody, tfoot
  kHeading = 1u << 10,   // h1..h6
  kSkipped = 1u << 11,   // form controls whose contents carry no message text
};

struct ElementInfo {
  std::string_view name;
  unsigned flags;
  int end_priority;  // an end tag never closes an element of higher priority
};

constexpr unsigned kBlock = kClosesP | kPcdata;
// Sorted by name (binary search). HTML 4 elements plus the HTML 5 ones mail
// clients write; unknown elements are inline, may hold text, priority 100.
constexpr ElementInfo kElements[] = {
    {"a", kPcdata, 100},
    {"abbr", kPcdata, 100},
    {"acronym", kPcdata, 100},
    {"address", kParagraph | kBlock, 100},
    {"applet", kHidden | kPcdata, 100},
    {"area", kVoid, 100},
    {"article", kLineBlock, 100},
    {"aside", kLineBlock, 100},
    {"b", kPcdata, 100},
    {"base", kVoid | kHeadOnly, 100},
    {"basefont", kVoid, 100},
    {"bdo", kPcdata, 100},
    {"big", kPcdata, 100},
    {"blockquote", kParagraph | kBlock, 100},
    {"body", kLineBlock | kPcdata | kClosesP, 200},
    {"br", kVoid, 100},
    {"button", kPcdata, 100},
    {"caption", kLineBlock | kPcdata, 100},
    {"center", kLineBlock | kBlock, 100},
    {"cite", kPcdata, 100},
    {"code", kPcdata, 100},
    {"col", kVoid, 100},
    {"dd", kLineBlock | kBlock, 100},
    {"del", kPcdata, 100},
    {"details", kLineBlock, 100},
    {"dfn", kPcdata, 100},
    {"dir", kClosesP, 100},
    {"div", kLineBlock | kBlock, 150},
    {"dl", kParagraph | kClosesP, 100},
    {"dt", kLineBlock | kBlock, 100},
    {"em", kPcdata, 100},
    {"embed", kHidden | kVoid, 100},
    {"fieldset", kParagraph | kClosesP, 100},
    {"figcaption", kLineBlock, 100},
    {"figure", kParagraph, 100},
    {"font", kPcdata, 100},
    {"footer", kLineBlock, 100},
    {"form", kLineBlock | kBlock, 100},
    {"frame", kVoid, 100},
    {"frameset", kHidden, 100},
    {"h1", kParagraph | kBlock | kHeading, 100},
    {"h2", kParagraph | kBlock | kHeading, 100},
    {"h3", kParagraph | kBlock | kHeading, 100},
    {"h4", kParagraph | kBlock | kHeading, 100},
    {"h5", kParagraph | kBlock | kHeading, 100},
    {"h6", kParagraph | kBlock | kHeading, 100},
    {"head", kHidden, 200},
    {"header", kLineBlock, 100},
    {"hr", kParagraph | kVoid | kClosesP, 100},
    {"html", kLineBlock, 220},
    {"i", kPcdata, 100},
    {"iframe", kHidden | kPcdata, 100},
    {"img", kVoid, 100},
    {"input", kVoid, 100},
    {"ins", kPcdata, 100},
    {"isindex", kVoid, 100},
    {"kbd", kPcdata, 100},
    {"label", kPcdata, 100},
    {"legend", kLineBlock | kPcdata, 100},
    {"li", kLineBlock | kBlock, 100},
    {"link", kVoid | kHeadOnly, 100},
    {"listing", kClosesP, 100},
    {"main", kLineBlock, 100},
    {"map", kPcdata, 100},
    {"math", kHidden, 100},
    {"menu", kClosesP | kPcdata, 100},
    {"meta", kVoid | kHeadOnly, 100},
    {"nav", kLineBlock, 100},
    {"noscript", kHidden, 100},
    {"object", kHidden | kPcdata, 100},
    {"ol", kLineBlock | kBlock, 100},
    {"option", kLineBlock, 100},
    {"p", kParagraph | kBlock, 100},
    {"param", kVoid, 100},
    {"pre", kParagraph | kBlock, 100},
    {"q", kPcdata, 100},
    {"s", kPcdata, 100},
    {"samp", kPcdata, 100},
    {"script", kHidden | kRawText | kHeadOnly, 100},
    {"section", kLineBlock, 100},
    {"select", kSkipped, 100},
    {"small", kPcdata, 100},
    {"span", kPcdata, 100},
    {"strike", kPcdata, 100},
    {"strong", kPcdata, 100},
    {"style", kHidden | kRawText | kHeadOnly, 100},
    {"sub", kPcdata, 100},
    {"summary", kLineBlock, 100},
    {"sup", kPcdata, 100},
    {"svg", kHidden, 100},
    {"table", kParagraph | kClosesP, 190},
    {"tbody", kSection | kClosesP, 180},
    {"td", kCell | kPcdata | kClosesP, 160},
    {"template", kHidden, 100},
    {"textarea", kPcdata, 100},
    {"tfoot", kSection | kClosesP, 180},
    {"th", kCell | kPcdata | kClosesP, 160},
    {"thead", kSection | kClosesP, 180},
    {"title", kHidden | kHeadOnly, 100},
    {"tr", kLineBlock | kClosesP, 170},
    {"track", kVoid, 100},
    {"tt", kPcdata, 100},
    {"u", kPcdata, 100},
    {"ul", kLineBlock | kBlock, 100},
    {"var", kPcdata, 100},
    {"wbr", kVoid, 100},
    {"xmp", kClosesP, 100},
};
static_assert(std::is_sorted(std::begin(kElements), std::end(kElements),
                             [](const ElementInfo& a, const ElementInfo& b) {
                               return a.name < b.name;
                             }));

constexpr ElementInfo kUnknown{"", kPcdata, 100};

const ElementInfo& info_of(std::string_view name) {
  const ElementInfo* end = std::end(kElements);
  const ElementInfo* it =
      std::lower_bound(std::begin(kElements), end, name,
                       [](const ElementInfo& e, std::string_view n) { return e.name < n; });
  return it != end && it->name == name ? *it : kUnknown;
}

// Whether starting `next` ends the open element `top` (HTML 4's optional end tags).
bool start_closes(std::string_view next, const ElementInfo& n, std::string_view top,
                  const ElementInfo& t) {
  if (top == "p") return (n.flags & kClosesP) != 0;
  if (top == "head") return (n.flags & kHeadOnly) == 0;
  if (top == "li") return next == "li";
  if (top == "dt" || top == "dd") return next == "dt" || next == "dd";
  if (t.flags & kCell) return (n.flags & (kCell | kSection)) != 0 || next == "tr";
  if (top == "tr") return next == "tr" || (n.flags & kSection) != 0;
  if (t.flags & kSection) return (n.flags & kSection) != 0;
  if (top == "option") return next == "option";
  if (t.flags & kHeading) return (n.flags & kHeading) != 0;
  if (top == "a") return next == "a";
  return false;
}

// ---- entities ----------------------------------------------------------------

struct Entity {
  std::string_view name;
  std::uint32_t code;
};
constexpr Entity kEntities[] = {
#include "parser/html_entities.inc"
};
static_assert(std::is_sorted(std::begin(kEntities), std::end(kEntities),
                             [](const Entity& a, const Entity& b) { return a.name < b.name; }));

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes the reference at s[i] == '&' into out; returns the index after it.
// An unknown name or a name without ';' stays as written; a character
// reference to nothing valid (0, a surrogate, past U+10FFFF) is dropped.
std::size_t decode_reference(std::string_view s, std::size_t i, std::string& out) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    std::uint32_t v = 0;
    const std::size_t digits = j;
    while (j < s.size() && j - digits < 8) {
      const char c = s[j];
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      ++j;
    }
    if (j == digits) {  // "&#" and no digits: text
      out += '&';
      return i + 1;
    }
    if (j < s.size() && s[j] == ';') ++j;
    if (v != 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) append_utf8(out, v);
    return j;
  }
  while (j < s.size() && j - i <= 10 && (is_alpha(s[j]) || (s[j] >= '0' && s[j] <= '9'))) ++j;
  if (j > i + 1 && j < s.size() && s[j] == ';') {
    const std::string_view name = s.substr(i + 1, j - i - 1);
    const Entity* end = std::end(kEntities);
    const Entity* it =
        std::lower_bound(std::begin(kEntities), end, name,
                         [](const Entity& e, std::string_view n) { return e.name < n; });
    if (it != end && it->name == name) {
      append_utf8(out, it->code);
      return j + 1;
    }
  }
  out += '&';
  return i + 1;
}

void decode_text(std::string_view s, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t amp = s.find('&', i);
    const std::size_t stop = amp == std::string_view::npos ? s.size() : amp;
    for (std::size_t k = i; k < stop; ++k)
      if (s[k] != '\0') out += s[k];
    if (amp == std::string_view::npos) break;
    i = decode_reference(s, amp, out);
  }
}

// ---- links -----------------------------------------------------------------

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

// ---- text layout -------------------------------------------------------------

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

// ---- the converter -------------------------------------------------------------

struct Tag {
  std::string name;  // lower-cased
  bool end = false;
  std::vector<std::pair<std::string, std::string>> attrs;  // lower-cased name, decoded value

  std::string_view attr(std::string_view n) const {
    for (const auto& [k, v] : attrs)
      if (k == n) return v;
    return {};
  }
};

enum class LastChild : std::uint8_t { none, text, pcdata_element, other_element };

struct Open {
  std::string name;
  const ElementInfo* info;
  bool entered;  // enter() ran and leave() is owed
  bool implied;  // opened by the recovery rules, not by a tag
  LastChild last = LastChild::none;
};

struct ListState {
  bool ordered = false;
  int next = 1;
};

struct LinkState {
  std::size_t start;
  std::string href;
  std::size_t depth;  // the <a>'s index in the open stack
};

class Converter {
 public:
  explicit Converter(std::string_view html) : s_(html) {}

  std::string run() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const std::size_t lt = s_.find('<', i);
      const std::size_t stop = lt == std::string_view::npos ? s_.size() : lt;
      if (stop > i) decode_text(s_.substr(i, stop - i), text_);
      if (lt == std::string_view::npos) break;
      i = markup(lt);
    }
    flush_text(/*at_end=*/true);
    while (!stack_.empty()) pop();
    return out_.finish();
  }

 private:
  // Markup at s_[lt] == '<'; returns the index after it.
  std::size_t markup(std::size_t lt) {
    const std::size_t n = s_.size();
    const char c = lt + 1 < n ? s_[lt + 1] : '\0';
    if (c == '!' || c == '?') {
      flush_text(false);
      if (s_.substr(lt, 4) == "<!--") {
        const std::size_t e = s_.find("-->", lt + 4);
        return e == std::string_view::npos ? n : e + 3;
      }
      const std::size_t e = s_.find('>', lt + 2);
      return e == std::string_view::npos ? n : e + 1;
    }
    const bool end = c == '/';
    const std::size_t name_at = lt + (end ? 2 : 1);
    if (name_at >= n || !is_alpha(s_[name_at])) {  // a lone '<' is text
      text_ += '<';
      return lt + 1;
    }
    flush_text(false);
    Tag tag;
    tag.end = end;
    std::size_t i = name_at;
    while (i < n && !is_space(s_[i]) && s_[i] != '>' && s_[i] != '/')
      tag.name += ascii_lower(s_[i++]);
    // Word's "<o:p>" is a paragraph: a prefix does not change the element.
    // Its end tag "</o:p>" matches nothing (as in libxml2, which this follows).
    if (const std::size_t colon = tag.name.rfind(':');
        !end && colon != std::string::npos && colon + 1 < tag.name.size())
      tag.name.erase(0, colon + 1);
    i = attributes(i, end ? nullptr : &tag);
    if (end)
      end_tag(tag.name);
    else
      i = start_tag(tag, i);
    return i;
  }

  // Reads attributes up to and past '>'; fills tag->attrs unless tag is null.
  std::size_t attributes(std::size_t i, Tag* tag) {
    const std::size_t n = s_.size();
    while (i < n) {
      while (i < n && (is_space(s_[i]) || s_[i] == '/')) ++i;
      if (i >= n) return n;
      if (s_[i] == '>') return i + 1;
      std::string name;
      while (i < n && !is_space(s_[i]) && s_[i] != '>' && s_[i] != '=' &&
             !(s_[i] == '/' && name.size() > 0))
        name += ascii_lower(s_[i++]);
      while (i < n && is_space(s_[i])) ++i;
      std::string value;
      if (i < n && s_[i] == '=') {
        ++i;
        while (i < n && is_space(s_[i])) ++i;
        std::size_t vb = i, ve;
        if (i < n && (s_[i] == '"' || s_[i] == '\'')) {
          const char q = s_[i];
          vb = i + 1;
          ve = s_.find(q, vb);
          if (ve == std::string_view::npos) ve = n;
          i = ve < n ? ve + 1 : n;
        } else {
          while (i < n && !is_space(s_[i]) && s_[i] != '>') ++i;
          ve = i;
        }
        if (tag) decode_text(s_.substr(vb, ve - vb), value);
      }
      if (tag && !name.empty() && tag->attrs.size() < 64)
        tag->attrs.emplace_back(std::move(name), std::move(value));
    }
    return n;
  }

  bool skipping() const { return skip_from_ != kNone; }

  std::size_t start_tag(const Tag& tag, std::size_t after) {
    const ElementInfo& info = info_of(tag.name);
    if (info.flags & kRawText) {  // script, style: text to the end tag, never shown
      std::size_t e = after;
      while ((e = s_.find("</", e)) != std::string_view::npos &&
             !istarts_with(s_.substr(e + 2), tag.name))
        e += 2;
      if (e == std::string_view::npos) return s_.size();
      const std::size_t close = s_.find('>', e);
      if (!skipping()) place(tag.name, info);
      return close == std::string_view::npos ? s_.size() : close + 1;
    }
    if (skipping()) {
      // Inside hidden contents only the structure counts: <body> (or any
      // body element) ends an open <head>.
      if (stack_[skip_from_].name == "head" && skip_from_ + 1 == stack_.size() &&
          (info.flags & kHeadOnly) == 0) {
        pop();
      } else {
        if ((info.flags & kVoid) == 0) stack_.push_back({tag.name, &info, false, false});
        return after;
      }
    }
    // A second <html> or <head>, or a <head> after the body began (forwarded
    // mails paste whole documents): the tag is ignored, its contents are not.
    if (tag.name == "html" && !stack_.empty()) return after;
    if (tag.name == "head" && (seen_head_ || seen_body_)) return after;
    recover_for(tag.name, info);
    if (tag.name == "body" && seen_body_) return after;
    if (tag.name == "body") seen_body_ = true;
    if (tag.name == "head") seen_head_ = true;
    if (!stack_.empty())
      stack_.back().last = (info.flags & kPcdata) && (info.flags & kVoid) == 0
                               ? LastChild::pcdata_element
                               : LastChild::other_element;
    const bool descend = enter(tag.name, info, tag);
    if (info.flags & kVoid) {
      if (descend) leave(tag.name, stack_.size());
      return after;
    }
    stack_.push_back({tag.name, &info, descend, false});
    if (!descend) skip_from_ = stack_.size() - 1;
    return after;
  }

  // The element an end-less raw-text element would have been: records it as
  // the last child (for the whitespace rule) without entering it.
  void place(const std::string& name, const ElementInfo& info) {
    recover_for(name, info);
    if (!stack_.empty()) stack_.back().last = LastChild::other_element;
  }

  // Implied elements and optional end tags before `name` starts.
  void recover_for(const std::string& name, const ElementInfo& info) {
    while (!stack_.empty() && start_closes(name, info, stack_.back().name, *stack_.back().info))
      pop();
    if (name == "html") return;
    if (stack_.empty()) push_implied("html");
    if (name == "head" || name == "body") return;
    if (stack_.size() == 1 && (info.flags & kHeadOnly) && !seen_head_) {
      seen_head_ = true;
      push_implied("head");
    } else if (!seen_body_ && (info.flags & kHeadOnly) == 0) {
      seen_body_ = true;
      push_implied("body");
    }
  }

  void push_implied(std::string_view name) {
    const ElementInfo& info = info_of(name);
    Tag none;
    const bool descend = enter(std::string(name), info, none);
    stack_.push_back({std::string(name), &info, descend, true});
    if (!descend && !skipping()) skip_from_ = stack_.size() - 1;
  }

  void end_tag(const std::string& name) {
    const ElementInfo& info = info_of(name);
    std::size_t k = stack_.size();
    while (k > 0) {
      const Open& o = stack_[k - 1];
      if (o.name == name) break;
      if (o.info->end_priority > info.end_priority) return;  // does not cross it
      --k;
    }
    if (k == 0) {
      // "</p>" with no <p> open: an empty paragraph, as browsers do.
      if (name == "p" && !skipping()) {
        Tag none;
        recover_for(name, info);
        enter(name, info, none);
        leave(name, stack_.size());
      }
      return;
    }
    while (stack_.size() >= k) pop();
  }

  void pop() {
    Open o = std::move(stack_.back());
    stack_.pop_back();
    if (skipping() && stack_.size() <= skip_from_) skip_from_ = kNone;
    if (o.entered) leave(o.name, stack_.size());
  }

  // Text collected since the last tag goes out (or not) when markup comes.
  void flush_text(bool at_end) {
    if (text_.empty()) return;
    std::string t;
    t.swap(text_);
    const bool blank = std::all_of(t.begin(), t.end(), is_space);
    // Text in an open <head> ends it (and goes into an implied body).
    if (!blank && skipping() && skip_from_ + 1 == stack_.size() && stack_.back().name == "head")
      pop();
    if (skipping()) return;
    if (blank) {
      if (at_end || !keeps_whitespace()) return;
    } else if (stack_.empty() || stack_.back().name == "html" || stack_.back().name == "head") {
      // Text outside <body>: an implied paragraph in an implied body.
      if (!stack_.empty() && stack_.back().name == "head") pop();
      const ElementInfo& p = info_of("p");
      recover_for("p", p);
      stack_.back().last = LastChild::pcdata_element;
      Tag none;
      stack_.push_back({"p", &p, enter("p", p, none), true});
    }
    stack_.back().last = LastChild::text;
    out_.text(t, pre_depth_ > 0);
  }

  // Whitespace between tags counts only where text may stand: after text, or
  // in an element that holds text and whose last child holds text too.
  bool keeps_whitespace() const {
    if (stack_.empty()) return false;
    const Open& o = stack_.back();
    if (o.name == "html" || o.name == "head") return false;
    switch (o.last) {
      case LastChild::none:
        return (o.info->flags & kPcdata) != 0;
      case LastChild::text:
      case LastChild::pcdata_element:
        return true;
      case LastChild::other_element:
        return false;
    }
    return false;
  }

  // Returns whether the element's contents are shown (and leave() is owed).
  bool enter(const std::string& name, const ElementInfo& info, const Tag& tag) {
    if (info.flags & kHidden) return false;
    if (name == "br") {
      out_.newlines(1, /*add=*/true);
      return false;
    }
    if (name == "img") {
      // Only the alt text; the src (often a tracking pixel) is never shown or fetched.
      const std::string_view alt = tag.attr("alt");
      if (!alt.empty()) out_.text(alt, false);
      return false;
    }
    if (name == "input" || (info.flags & kSkipped)) return false;  // form controls
    if (info.flags & kVoid && (info.flags & kParagraph) == 0) return false;
    block_break(info, name);
    if (name == "pre") ++pre_depth_;
    if (name == "ul" || name == "ol") {
      ListState list;
      list.ordered = name == "ol";
      const std::string_view start = tag.attr("start");
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
      const std::string_view href = tag.attr("href");
      if (!href.empty()) links_.push_back({out_.size(), clean_href(href), stack_.size()});
    }
    return true;
  }

  // Line breaks around a block element, before and after it.
  void block_break(const ElementInfo& info, std::string_view name) {
    if (info.flags & kParagraph) {
      // Paragraphs inside list items (Outlook, Word) keep the list compact.
      out_.newlines(lists_.empty() ? 2 : 1);
    } else if (info.flags & kLineBlock) {
      out_.newlines(1);
    } else if (name == "td" || name == "th") {
      out_.space();
    }
  }

  // `depth`: the element's index in the open stack.
  void leave(const std::string& name, std::size_t depth) {
    const ElementInfo& info = info_of(name);
    block_break(info, name);
    if (name == "pre" && pre_depth_ > 0) --pre_depth_;
    if ((name == "ul" || name == "ol") && !lists_.empty()) lists_.pop_back();
    if (name == "a" && !links_.empty() && links_.back().depth == depth) {
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

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  std::string_view s_;
  std::string text_;  // decoded text since the last tag
  std::vector<Open> stack_;
  std::size_t skip_from_ = kNone;  // index of the open element whose contents are hidden
  bool seen_head_ = false;
  bool seen_body_ = false;
  TextBuilder out_;
  std::vector<ListState> lists_;
  std::vector<LinkState> links_;
  int pre_depth_ = 0;
};

}  // namespace

std::string html_to_text(std::string_view html) {
  // Invalid UTF-8 is repaired first (U+FFFD), so the text out is valid.
  std::string repaired;
  if (!is_valid_utf8(html)) {
    repaired.reserve(html.size() + 16);
    append_repaired_utf8(html, repaired);
    html = repaired;
  }
  if (html.empty()) return {};
  return Converter(html).run();
}

}  // namespace ticketd::parser
