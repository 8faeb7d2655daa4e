// ticketd parser: RFC 5322 lexical helpers shared by the structured-header
// parsers (addresses, dates). Internal to parser/.
#pragma once

#include <cstddef>
#include <string_view>

namespace ticketd::parser::lex {

// Index just past the quoted string starting at `i` (s[i] == '"'); s.size() if
// it is never closed.
inline std::size_t skip_quoted(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return s.size();
}

// Index just past the (possibly nested) comment starting at `i` (s[i] == '(').
inline std::size_t skip_comment(std::string_view s, std::size_t i) {
  int depth = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '(') {
      ++depth;
    } else if (s[i] == ')') {
      if (--depth == 0) return i + 1;
    }
  }
  return s.size();
}

}  // namespace ticketd::parser::lex
