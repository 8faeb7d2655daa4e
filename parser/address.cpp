// ticketd parser: address lists and message-id lists from header values
// (the structured parts of header_text.h). Pure; single pass over the input,
// no backtracking, so hostile headers cost linear time.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "parser/header_text.h"
#include "parser/lex.h"

namespace ticketd::parser {
namespace {

using lex::skip_comment;
using lex::skip_quoted;

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 5322 atext.
bool is_atext(char c) {
  if (is_alpha(c) || is_digit(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '/':
    case '=':
    case '?':
    case '^':
    case '_':
    case '`':
    case '{':
    case '|':
    case '}':
    case '~':
      return true;
    default:
      return false;
  }
}

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = 0;
  for (char c : s) {
    if (c == '.') {
      if (prev == '.') return false;
    } else if (!is_atext(c)) {
      return false;
    }
    prev = c;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
  return s;
}

// Appends the text of a quoted string or comment body without its escapes.
void append_unescaped(std::string_view body, std::string& out) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) ++i;
    out += body[i];
  }
}

// Body of a token that starts at `begin` and ends before `end`, without the
// delimiters (an unterminated token has no closing delimiter to drop).
std::string_view token_body(std::string_view s, std::size_t begin, std::size_t end, char close) {
  std::string_view t = s.substr(begin + 1, end - begin - 1);
  if (end <= s.size() && end > begin + 1 && s[end - 1] == close) t.remove_suffix(1);
  return t;
}

// `s` with comments removed (each replaced by one space); the first comment's
// text is stored in `comment` when it is still empty. Quoted strings are kept
// as written so a quoted local part survives.
std::string strip_comments(std::string_view s, std::string& comment) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && s[run] != '"' && s[run] != '(') ++run;
    out.append(s.substr(i, run - i));
    i = run;
    if (i >= s.size()) break;
    if (s[i] == '"') {
      std::size_t end = skip_quoted(s, i);
      out.append(s.substr(i, end - i));
      i = end;
    } else {
      std::size_t end = skip_comment(s, i);
      if (comment.empty()) {
        // Nested comment delimiters stay in the text; rare enough.
        append_unescaped(token_body(s, i, end, ')'), comment);
      }
      out += ' ';
      i = end;
    }
  }
  return out;
}

// The raw display name from a phrase (comments already removed): quoted
// strings unquoted, whitespace runs collapsed. Encoded words are decoded later.
std::string phrase_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    if (is_wsp(s[i])) {
      space = !out.empty();
      ++i;
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (s[i] == '"') {
      std::size_t end = skip_quoted(s, i);
      append_unescaped(token_body(s, i, end, '"'), out);
      i = end;
    } else {
      std::size_t run = i;
      while (run < s.size() && !is_wsp(s[run]) && s[run] != '"') ++run;
      out.append(s.substr(i, run - i));
      i = run;
    }
  }
  return out;
}

// Normalises an addr-spec as written: whitespace outside quotes dropped, a
// source route ("@a,@b:") dropped, a quoted local part unquoted when it is a
// plain dot-atom anyway, the domain lower-cased. Encoded words are never
// decoded here: "=?utf-8?Q?a?=@victim" must not turn into another address.
std::string normalize_addr_spec(std::string_view s) {
  // Spam tools write local parts with spaces and no quotes
  // ("<power quadrant system@example.com>"): keep the words, quoted, as RFC 5322 needs.
  if (s.find('"') == std::string_view::npos && s.find('<') == std::string_view::npos) {
    const std::size_t at = s.rfind('@');
    if (at != std::string_view::npos) {
      std::string_view local = trim(s.substr(0, at));
      bool inner_space = false;
      for (char c : local) inner_space |= is_wsp(c);
      if (inner_space && at > 0 && !is_wsp(s[at - 1]) && !trim(s.substr(at + 1)).empty()) {
        std::string quoted = "\"";
        bool in_space = false;
        for (char c : local) {
          if (is_wsp(c)) {
            in_space = true;
            continue;
          }
          if (in_space) quoted += ' ';
          in_space = false;
          quoted += c;
        }
        quoted += "\"@";
        for (char c : trim(s.substr(at + 1))) quoted += ascii_lower(c);
        return quoted;
      }
    }
  }
  std::string compact;
  compact.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '"') {
      std::size_t end = skip_quoted(s, i);
      compact.append(s.substr(i, end - i));
      i = end;
    } else {
      // Stray angle brackets: "<<a@b>>" from broken web forms.
      if (!is_wsp(s[i]) && s[i] != '<' && s[i] != '>') compact += s[i];
      ++i;
    }
  }
  std::string_view v = compact;
  // Obsolete route "<@relay1,@relay2:user@host>" (RFC 5322 obs-route).
  if (!v.empty() && v.front() == '@') {
    std::size_t colon = v.find(':');
    if (colon != std::string_view::npos) v.remove_prefix(colon + 1);
  }
  // The last '@' outside quotes splits local part and domain.
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < v.size();) {
    if (v[i] == '"') {
      i = skip_quoted(v, i);
      continue;
    }
    if (v[i] == '@') at = i;
    ++i;
  }
  std::string_view local = at == std::string_view::npos ? v : v.substr(0, at);
  std::string out;
  out.reserve(v.size());
  if (local.size() >= 2 && local.front() == '"' && local.back() == '"' &&
      skip_quoted(local, 0) == local.size() && is_dot_atom(local.substr(1, local.size() - 2))) {
    out.append(local.substr(1, local.size() - 2));
  } else {
    out.append(local);
  }
  if (at != std::string_view::npos) {
    out += '@';
    for (char c : v.substr(at + 1)) out += ascii_lower(c);
  }
  return out;
}

bool has_unquoted_at(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '"') {
      i = skip_quoted(s, i);
      continue;
    }
    if (s[i] == '@') return true;
    ++i;
  }
  return false;
}

// One entry of the list before interpretation.
struct RawEntry {
  std::string_view phrase;  // text before '<' (whole entry when there is no '<')
  std::string_view angle;   // inside "<...>"
  std::string_view after;   // text after '>' (comments there can carry the name)
  bool has_angle = false;
};

RawEntry split_entry(std::string_view e) {
  RawEntry r;
  std::size_t i = 0;
  while (i < e.size()) {
    char c = e[i];
    if (c == '"') {
      i = skip_quoted(e, i);
    } else if (c == '(') {
      i = skip_comment(e, i);
    } else if (c == '<') {
      r.has_angle = true;
      r.phrase = e.substr(0, i);
      std::size_t j = i + 1;
      while (j < e.size() && e[j] != '>') {
        j = e[j] == '"' ? skip_quoted(e, j) : j + 1;
      }
      r.angle = e.substr(i + 1, std::min(j, e.size()) - i - 1);
      if (j < e.size()) r.after = e.substr(j + 1);
      return r;
    } else {
      ++i;
    }
  }
  r.phrase = e;
  return r;
}

class AddressListParser {
 public:
  AddressListParser(std::string_view raw, CharsetConverter& conv, Defects& defects, std::size_t max)
      : raw_(raw), conv_(conv), defects_(defects), max_(max) {}

  std::vector<Address> run() {
    split_entries();
    flush_pending();
    return std::move(out_);
  }

 private:
  // Splits at ',' and ';' outside quotes, comments and angle brackets; a ':'
  // before any '@' or '<' opens a group whose name is dropped.
  void split_entries() {
    std::size_t start = 0;
    bool seen_addr_char = false;  // '@' or '<' in the current entry
    std::size_t i = 0;
    const std::size_t n = raw_.size();
    while (i < n && !full_) {
      char c = raw_[i];
      switch (c) {
        case '"': {
          std::size_t end = skip_quoted(raw_, i);
          if (end == n && raw_[n - 1] != '"') bad("unterminated quoted string");
          i = end;
          break;
        }
        case '(':
          i = skip_comment(raw_, i);
          break;
        case '<': {
          seen_addr_char = true;
          bool closed = false;
          i = skip_angle(i, closed);
          if (!closed && i < n) {
            // "John <j@x.com, Mary <m@y>": the '>' was never written.
            bad("missing '>'");
            entry(raw_.substr(start, i - start));
            start = i + 1;
            seen_addr_char = false;
            ++i;
          }
          break;
        }
        case '@':
          seen_addr_char = true;
          ++i;
          break;
        case ':':
          if (!seen_addr_char) {
            // Group "Team: a@x, b@y;" — members are flattened, the name dropped.
            flush_pending();
            start = i + 1;
          }
          ++i;
          break;
        case ',':
        case ';':
          // ';' ends a group, but Outlook also uses it between addresses.
          entry(raw_.substr(start, i - start));
          start = i + 1;
          seen_addr_char = false;
          ++i;
          break;
        default:
          ++i;
      }
    }
    if (!full_ && start < n) entry(raw_.substr(start));
  }

  // From '<' at `i` to just past the closing '>'; stops before a ',' or ';'
  // that cannot belong to the address (missing '>'), except inside a route.
  std::size_t skip_angle(std::size_t i, bool& closed) {
    const std::size_t n = raw_.size();
    std::size_t j = i + 1;
    while (j < n && is_wsp(raw_[j])) ++j;
    bool route = j < n && raw_[j] == '@';
    for (; j < n; ++j) {
      char c = raw_[j];
      if (c == '>') {
        closed = true;
        return j + 1;
      }
      if (c == '"') {
        j = skip_quoted(raw_, j) - 1;
      } else if (c == ':' && route) {
        route = false;
      } else if ((c == ',' && !route) || c == ';') {
        return j;
      }
    }
    bad("missing '>'");
    return n;
  }

  void bad(std::string_view what) { add_defect(defects_, DefectKind::bad_address, what); }

  void entry(std::string_view e) {
    if (trim(e).empty()) return;  // stray or doubled separators
    RawEntry r = split_entry(e);
    if (r.has_angle) {
      std::string comment;
      std::string phrase = phrase_text(strip_comments(r.phrase, comment));
      if (pending_.data() != nullptr) {
        // 'Doe, John <j@x>': an unquoted display name with a comma (Outlook
        // Express and hand-written headers) — the first half has no address.
        if (!phrase.empty()) {
          std::string joined = phrase_text(strip_comments(pending_, comment));
          joined += ", ";
          joined += phrase;
          phrase = std::move(joined);
          pending_ = {};
        } else {
          flush_pending();
        }
      }
      if (!comment.empty() && phrase.empty()) phrase = std::move(comment);
      if (phrase.empty()) strip_comments(r.after, phrase);
      std::string ignored;
      std::string addr = normalize_addr_spec(strip_comments(r.angle, ignored));
      if (addr.empty()) return;  // "<>": the null sender, nothing to keep
      if (addr.find('@') == std::string::npos) bad("address without '@'");
      emit(std::move(phrase), std::move(addr));
      return;
    }
    flush_pending();
    std::string comment;
    std::string text = strip_comments(r.phrase, comment);
    if (!has_unquoted_at(text)) {
      pending_ = e;
      return;
    }
    // Words split at whitespace outside quotes; the last one with an '@' is the
    // address, the rest (if any) a name written without brackets.
    std::string_view t = text;
    std::string_view addr_word;
    std::size_t addr_begin = 0;
    for (std::size_t i = 0; i < t.size();) {
      if (is_wsp(t[i])) {
        ++i;
        continue;
      }
      std::size_t begin = i;
      while (i < t.size() && !is_wsp(t[i])) i = t[i] == '"' ? skip_quoted(t, i) : i + 1;
      std::string_view word = t.substr(begin, i - begin);
      if (has_unquoted_at(word)) {
        addr_word = word;
        addr_begin = begin;
      }
    }
    std::string name;
    if (addr_word.size() != trim(t).size()) {
      if (addr_word == "@" || addr_word.front() == '@' || addr_word.back() == '@') {
        // Obsolete "john @ example.com" — spaces around the '@'.
        addr_word = t;
      } else {
        bad("name without angle brackets");
        std::string rest(t.substr(0, addr_begin));
        rest += ' ';
        rest.append(t.substr(addr_begin + addr_word.size()));
        name = phrase_text(rest);
      }
    }
    if (name.empty()) name = std::move(comment);
    emit(std::move(name), normalize_addr_spec(addr_word));
  }

  // An entry without '@' and without brackets: kept as an address only when it
  // looks like a bare mailbox name ("MAILER-DAEMON", local delivery).
  void flush_pending() {
    if (pending_.data() == nullptr) return;
    std::string comment;
    std::string text = strip_comments(pending_, comment);
    pending_ = {};
    std::string_view word = trim(text);
    // Bulk mailers and some web forms quote the whole address:
    // From: "finances8@loans.example" — the quoted text is the address.
    if (word.size() > 2 && word.front() == '"' && skip_quoted(word, 0) == word.size()) {
      std::string inner;
      append_unescaped(word.substr(1, word.size() - 2), inner);
      const std::size_t at = inner.find('@');
      if (at != std::string::npos && at > 0 && at + 1 < inner.size() &&
          inner.find_first_of(" \t\"<>,;") == std::string::npos &&
          inner.find('@', at + 1) == std::string::npos) {
        bad("address written as a quoted string");
        emit(std::move(comment), normalize_addr_spec(inner));
        return;
      }
    }
    if (is_dot_atom(word)) {
      bad("address without '@'");
      emit(std::move(comment), std::string(word));
    } else {
      bad("entry without address");
    }
  }

  void emit(std::string name, std::string addr) {
    if (full_) return;
    if (out_.size() >= max_) {
      full_ = true;
      add_defect(defects_, DefectKind::too_many_addresses, "address list truncated");
      return;
    }
    Address a;
    if (!name.empty()) a.name = decode_header_text(name, conv_, defects_);
    a.address = std::move(addr);
    out_.push_back(std::move(a));
  }

  std::string_view raw_;
  CharsetConverter& conv_;
  Defects& defects_;
  std::size_t max_;
  bool full_ = false;
  std::string_view pending_;
  std::vector<Address> out_;
};

}  // namespace

std::vector<Address> parse_address_list(std::string_view raw, CharsetConverter& conv,
                                        Defects& defects, std::size_t max_addresses) {
  AddressListParser parser(raw, conv, defects, max_addresses);
  return parser.run();
}

std::vector<std::string> parse_message_ids(std::string_view raw, std::size_t max_ids) {
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string_view token) {
    std::string id;
    id.reserve(token.size());
    // Some mailers fold inside long ids; whitespace is never part of one.
    for (char c : token) {
      if (!is_wsp(c)) id += c;
    }
    if (id.empty() || ids.size() >= max_ids) return;
    if (seen.insert(id).second) ids.push_back(std::move(id));
  };
  bool brackets = raw.find('<') != std::string_view::npos;
  const std::size_t n = raw.size();
  std::size_t i = 0;
  while (i < n && ids.size() < max_ids) {
    char c = raw[i];
    if (c == '(') {
      i = skip_comment(raw, i);
    } else if (brackets) {
      if (c != '<') {
        ++i;
        continue;
      }
      // Stop at '>' or at the next '<': never rescan, so "<<<<..." stays linear.
      std::size_t stop = i + 1;
      while (stop < n && raw[stop] != '>' && raw[stop] != '<') ++stop;
      if (stop < n && raw[stop] == '>') {
        add(raw.substr(i + 1, stop - i - 1));
        i = stop + 1;
      } else {
        // Truncated "<abc@x" (cut-off References): the token up to a separator.
        std::size_t end = i + 1;
        while (end < stop && !is_wsp(raw[end]) && raw[end] != ',') ++end;
        add(raw.substr(i + 1, end - i - 1));
        i = stop;
      }
    } else if (is_wsp(c) || c == ',') {
      ++i;
    } else {
      std::size_t end = i;
      while (end < n && !is_wsp(raw[end]) && raw[end] != ',' && raw[end] != '(') ++end;
      std::string_view token = raw.substr(i, end - i);
      if (token.find('@') != std::string_view::npos) add(token);
      i = end;
    }
  }
  return ids;
}

}  // namespace ticketd::parser
