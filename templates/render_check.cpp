// The static half of template checking: a small scanner over Mustache tags
// (the engine exposes no parse tree) that knows our variable names, plus the
// "no markup in plain text" rule. See check_template_source in render.h.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "templates/render.h"

namespace ticketd::templates {

namespace {

enum class VarType { text, flag, list };

struct KnownVar {
  std::string_view name;
  VarType type;
};

// Keep in step with to_mustache() in render.cpp; the KnownVariablesRender test
// renders each of these and fails on one the data does not carry.
constexpr KnownVar kTopVars[] = {
    {"ticket.number", VarType::text},
    {"ticket.tag", VarType::text},
    {"ticket.subject", VarType::text},
    {"ticket.state", VarType::text},
    {"ticket.priority", VarType::text},
    {"ticket.team", VarType::text},
    {"ticket.assignee_name", VarType::text},
    {"ticket.first_response_due", VarType::text},
    {"ticket.resolution_due", VarType::text},
    {"ticket.status_line", VarType::text},
    {"requester.name", VarType::text},
    {"requester.address", VarType::text},
    {"agent.name", VarType::text},
    {"agent.address", VarType::text},
    {"support.name", VarType::text},
    {"support.address", VarType::text},
    {"new_text", VarType::text},
    {"detail", VarType::text},
    {"reply_instructions", VarType::text},
    {"reply_marker", VarType::text},
    {"is_new_ticket", VarType::flag},
    {"has_thread", VarType::flag},
    {"thread", VarType::list},
};

constexpr KnownVar kEntryVars[] = {
    {"from_name", VarType::text}, {"from_address", VarType::text}, {"at", VarType::text},
    {"direction", VarType::text}, {"text", VarType::text},         {"inbound", VarType::flag},
};

constexpr std::string_view kEntryList = "thread";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::size_t line_of(std::string_view src, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(src.begin(), src.begin() + offset, '\n'));
}

// Length of an HTML tag opening at s[0] ('<'), or 0: "<b>", "</p>", "<br/>",
// "<a href=...>", "<!--", "<!DOCTYPE". Not tags: "<support@example.com>",
// "a<b and c" (no '>' on the line).
std::size_t tag_markup_at(std::string_view s) {
  std::size_t i = 1;
  if (i < s.size() && s[i] == '!') return 2;
  if (i < s.size() && s[i] == '/') ++i;
  if (i >= s.size() || !is_alpha(s[i])) return 0;
  while (i < s.size() && (is_alnum(s[i]) || s[i] == '-')) ++i;
  if (i < s.size() && (s[i] == '>' || s[i] == '/')) return i + 1;
  if (i == s.size() || !std::isspace(static_cast<unsigned char>(s[i])) || s[i] == '\n') return 0;
  const std::size_t close = s.find_first_of(">\n", i);
  return close != std::string_view::npos && s[close] == '>' ? i : 0;
}

// Length of an entity at s[0] ('&'): "&amp;", "&#39;", "&#x27;"; else 0.
std::size_t entity_at(std::string_view s) {
  std::size_t i = 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    if (i < s.size() && (s[i] == 'x' || s[i] == 'X')) ++i;
  }
  const std::size_t body = i;
  while (i < s.size() && is_alnum(s[i]) && i - body < 32) ++i;
  return i > body && i < s.size() && s[i] == ';' ? i + 1 : 0;
}

// The first markup in plain template text: {offset, the markup}, or offset npos.
std::pair<std::size_t, std::string_view> find_markup(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::size_t n = 0;
    if (text[i] == '<') n = tag_markup_at(text.substr(i));
    if (text[i] == '&') n = entity_at(text.substr(i));
    if (n > 0) return {i, text.substr(i, n)};
  }
  return {std::string_view::npos, {}};
}

struct Tag {
  char sigil = 0;  // 0 (variable), '#', '^', '/', '>', '&' (also {{{x}}}), '!', '='
  std::string_view name;
  std::size_t end = 0;  // offset after the closing braces
};

// Reads the tag starting at src[start] ("{{"); nullopt when it never closes.
std::optional<Tag> read_tag(std::string_view src, std::size_t start) {
  const bool triple = start + 2 < src.size() && src[start + 2] == '{';
  const std::string_view close = triple ? "}}}" : "}}";
  const std::size_t body = start + (triple ? 3 : 2);
  const std::size_t stop = src.find(close, body);
  if (stop == std::string_view::npos) return std::nullopt;
  Tag tag;
  tag.end = stop + close.size();
  std::string_view contents = trim(src.substr(body, stop - body));
  if (triple) {
    tag.sigil = '&';
  } else if (!contents.empty() &&
             std::string_view("#^/>&!=").find(contents[0]) != std::string_view::npos) {
    tag.sigil = contents[0];
    contents = trim(contents.substr(1));
  }
  tag.name = contents;
  return tag;
}

struct OpenSection {
  std::string_view name;
  std::size_t line;
  bool entry_scope;  // {{#thread}}: the entry fields are visible inside
};

class Scanner {
 public:
  Scanner(std::string_view src, TemplatePart kind) : src_(src), kind_(kind) {}

  std::optional<std::string> run() {
    std::size_t pos = 0;
    while (true) {
      const std::size_t start = src_.find("{{", pos);
      if (auto err = check_literal(pos, start)) return err;
      if (start == std::string_view::npos) break;
      const std::optional<Tag> tag = read_tag(src_, start);
      if (!tag) return at(start, "unclosed tag");
      if (auto err = check_tag(*tag, start)) return err;
      pos = tag->end;
    }
    if (!open_.empty()) {
      return "line " + std::to_string(open_.back().line) + ": unclosed section \"" +
             std::string(open_.back().name) + "\"";
    }
    return std::nullopt;
  }

 private:
  std::string at(std::size_t offset, std::string_view what) const {
    return "line " + std::to_string(line_of(src_, offset)) + ": " + std::string(what);
  }

  // Plain-text parts (subject, text) carry no markup in their literal text.
  std::optional<std::string> check_literal(std::size_t from, std::size_t to) const {
    if (kind_ == TemplatePart::html) return std::nullopt;
    const std::string_view literal =
        src_.substr(from, to == std::string_view::npos ? std::string_view::npos : to - from);
    const auto [offset, markup] = find_markup(literal);
    if (offset == std::string_view::npos) return std::nullopt;
    return at(from + offset,
              "markup \"" + std::string(markup) + "\" in a plain-text part (write plain text)");
  }

  std::optional<std::string> check_tag(const Tag& tag, std::size_t start) {
    switch (tag.sigil) {
      case '!':
        return std::nullopt;
      case '>':
        return at(start, "partials ({{> " + std::string(tag.name) + "}}) are not supported");
      case '=':
        return at(start, "set-delimiter tags ({{=...=}}) are not supported");
      case '#':
      case '^':
        return open_section(tag, start);
      case '/':
        return close_section(tag, start);
      default:
        return check_variable(tag, start);
    }
  }

  std::optional<std::string> open_section(const Tag& tag, std::size_t start) {
    if (!lookup(tag.name)) return unknown(tag.name, start);
    open_.push_back({tag.name, line_of(src_, start), tag.sigil == '#' && tag.name == kEntryList});
    return std::nullopt;
  }

  std::optional<std::string> close_section(const Tag& tag, std::size_t start) {
    if (open_.empty()) {
      return at(start, "{{/" + std::string(tag.name) + "}} closes no open section");
    }
    if (open_.back().name != tag.name) {
      return at(start, "{{/" + std::string(tag.name) + "}} closes section \"" +
                           std::string(open_.back().name) + "\" opened on line " +
                           std::to_string(open_.back().line));
    }
    open_.pop_back();
    return std::nullopt;
  }

  std::optional<std::string> check_variable(const Tag& tag, std::size_t start) const {
    const KnownVar* var = lookup(tag.name);
    if (!var) return unknown(tag.name, start);
    if (var->type == VarType::list) {
      return at(start, "\"" + std::string(tag.name) + "\" is a list; use {{#" +
                           std::string(tag.name) + "}}...{{/" + std::string(tag.name) + "}}");
    }
    if (tag.sigil == '&' && kind_ == TemplatePart::html) {
      return at(start, "unescaped {{{" + std::string(tag.name) + "}}} in an HTML part; use {{" +
                           std::string(tag.name) + "}}");
    }
    return std::nullopt;
  }

  std::optional<std::string> unknown(std::string_view name, std::size_t start) const {
    if (name.empty()) return at(start, "empty tag");
    return at(start, "unknown variable \"" + std::string(name) + "\"");
  }

  const KnownVar* lookup(std::string_view name) const {
    const bool in_entry =
        std::any_of(open_.begin(), open_.end(), [](const OpenSection& s) { return s.entry_scope; });
    if (in_entry) {
      for (const KnownVar& v : kEntryVars) {
        if (v.name == name) return &v;
      }
    }
    for (const KnownVar& v : kTopVars) {
      if (v.name == name) return &v;
    }
    return nullptr;
  }

  std::string_view src_;
  TemplatePart kind_;
  std::vector<OpenSection> open_;
};

}  // namespace

std::optional<std::string> check_template_source(std::string_view source, TemplatePart kind) {
  return Scanner(source, kind).run();
}

std::vector<std::string> known_variables() {
  std::vector<std::string> out;
  for (const KnownVar& v : kTopVars) out.emplace_back(v.name);
  return out;
}

std::vector<std::string> thread_entry_variables() {
  std::vector<std::string> out;
  for (const KnownVar& v : kEntryVars) out.emplace_back(v.name);
  return out;
}

}  // namespace ticketd::templates
