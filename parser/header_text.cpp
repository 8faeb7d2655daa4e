// RFC 2047 encoded words in unstructured header text and RFC 2045/2231
// Content-* values. The address-list, message-id and date parts of
// header_text.h live in address.cpp.
#include "parser/header_text.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

#include "parser/codec.h"

namespace ticketd::parser {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_copy(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = lower(c);
  return r;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ws(s.back())) s.remove_suffix(1);
  return s;
}

bool has_8bit(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  return false;
}

// Runs of whitespace that contain a tab, CR or LF become one space (folding);
// runs of plain spaces are kept; NUL bytes are dropped. Leading and trailing
// whitespace is removed.
std::string collapse_folding(std::string_view s, Defects& defects) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  bool nul = false;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '\0') {
      nul = true;
      ++i;
      continue;
    }
    if (!is_ws(c)) {
      out.push_back(c);
      ++i;
      continue;
    }
    std::size_t j = i;
    bool fold = false;
    while (j < s.size() && (is_ws(s[j]) || s[j] == '\0')) {
      fold |= s[j] != ' ' && s[j] != '\0';
      nul |= s[j] == '\0';
      ++j;
    }
    if (fold) {
      out.push_back(' ');
    } else {
      for (std::size_t k = i; k < j; ++k)
        if (s[k] == ' ') out.push_back(' ');
    }
    i = j;
  }
  if (nul) add_defect(defects, DefectKind::nul_byte, "header");
  std::string_view t = trim_view(out);
  return std::string(t);
}

enum class WordStatus { none, ok, broken };

struct EncodedWord {
  std::size_t end = 0;       // one past "?="
  std::string_view charset;  // without an RFC 2231 "*lang" suffix
  char encoding = 0;         // 'b' or 'q'
  std::string_view text;
};

// Parses "=?charset?X?text?=" at `pos` (s[pos..] starts with "=?").
// `next_end` caches the position of the next "?=" so that input full of "=?"
// without any end (hostile or truncated) stays linear.
WordStatus parse_encoded_word(std::string_view s, std::size_t pos, EncodedWord& w,
                              std::size_t& next_end) {
  std::size_t i = pos + 2;
  const std::size_t cs_start = i;
  while (i < s.size() && s[i] != '?' && !is_ws(s[i]) && i - cs_start < 80) ++i;
  if (i >= s.size() || s[i] != '?' || i == cs_start) return WordStatus::none;
  std::string_view cs = s.substr(cs_start, i - cs_start);
  // RFC 2231 section 5: "=?utf-8*en?Q?...?=".
  if (std::size_t star = cs.find('*'); star != std::string_view::npos) cs = cs.substr(0, star);
  ++i;
  if (i + 1 >= s.size() || s[i + 1] != '?') return WordStatus::broken;
  const char enc = lower(s[i]);
  i += 2;
  if (next_end != std::string_view::npos && next_end < i) next_end = s.find("?=", i);
  const std::size_t end = next_end;
  if (end == std::string_view::npos) return WordStatus::broken;
  std::string_view text = s.substr(i, end - i);
  // Neither B nor Q text can hold "=?": this word is unterminated and the "?="
  // belongs to a later word.
  if (text.find("=?") != std::string_view::npos) return WordStatus::broken;
  if ((enc != 'b' && enc != 'q') || cs.empty()) return WordStatus::broken;
  w.end = end + 2;
  w.charset = cs;
  w.encoding = enc;
  w.text = text;
  return WordStatus::ok;
}

struct Piece {
  bool word = false;
  std::string_view literal;  // raw text when !word
  std::string_view charset;  // when word
  std::string bytes;         // decoded bytes when word
};

Piece literal_piece(std::string_view text) {
  Piece p;
  p.literal = text;
  return p;
}

// Labels under which raw 8-bit header bytes cannot be meant: single-byte
// Western sets (a SpamAssassin wrapper says iso-8859-1 over a GB2312 subject)
// and 7-bit ISO-2022 (a Japanese mail declares iso-2022-jp, its Subject is raw
// Shift_JIS).
bool weak_fallback(std::string_view label) {
  const std::string l = lower_copy(trim_view(label));
  for (std::string_view prefix : {"iso-8859", "iso8859", "iso_8859", "windows-125", "cp125",
                                  "latin", "us-ascii", "ascii", "iso-2022", "utf-7"})
    if (l.starts_with(prefix)) return true;
  return false;
}

void append_literal(std::string_view lit, CharsetConverter& conv, Defects& defects,
                    std::string_view fallback_charset, std::string& out) {
  if (!has_8bit(lit)) {
    // Raw ISO-2022-JP (7-bit, but not text) in a Subject without encoded words.
    if (lit.find('\x1b') != std::string_view::npos)
      conv.to_utf8({}, lit, out, defects);
    else
      out.append(lit);
    return;
  }
  if (is_valid_utf8(lit)) {
    out.append(lit);
    return;
  }
  // Raw 8-bit header text (Foxmail, Japanese mailers): the body's charset is
  // the best guess unless the bytes clearly are CJK and the label cannot be.
  if (fallback_charset.empty() ||
      (weak_fallback(fallback_charset) && !guess_cjk_charset(lit).empty())) {
    conv.to_utf8({}, lit, out, defects);  // UTF-8 / CJK guess / windows-1252
  } else {
    add_defect(defects, DefectKind::undeclared_8bit, fallback_charset);
    conv.to_utf8(fallback_charset, lit, out, defects);
  }
}

// Whitespace runs containing tab/CR/LF (decoded "=0D=0A" included) → one space.
std::string finish(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n' || s[i] == ' ') {
      std::size_t j = i;
      bool fold = false;
      while (j < s.size() && is_ws(s[j])) fold |= s[j++] != ' ';
      if (fold)
        out.push_back(' ');
      else
        out.append(s.substr(i, j - i));
      i = j;
    } else {
      out.push_back(s[i++]);
    }
  }
  return std::string(trim_view(out));
}

// ---- Content-* values -------------------------------------------------------

bool is_param_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '*' || c == '.';
}

// True when s[i..] is "token *ws =" (the start of another parameter).
bool param_starts_at(std::string_view s, std::size_t i) {
  const std::size_t start = i;
  while (i < s.size() && is_param_name_char(s[i])) ++i;
  if (i == start) return false;
  while (i < s.size() && is_ws(s[i])) ++i;
  return i < s.size() && s[i] == '=';
}

struct RawParam {
  std::string base;       // lower-case name without "*N" / "*"
  int section = -1;       // RFC 2231 continuation index, -1 when none
  bool extended = false;  // trailing '*': charset'lang' and %XX encoding
  std::string value;      // unquoted
};

void split_param_name(std::string_view name, RawParam& p) {
  std::string n = lower_copy(name);
  if (!n.empty() && n.back() == '*') {
    p.extended = true;
    n.pop_back();
  }
  if (std::size_t star = n.rfind('*'); star != std::string::npos && star + 1 < n.size()) {
    std::string_view digits = std::string_view(n).substr(star + 1);
    if (digits.size() <= 4 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      int v = 0;
      for (char c : digits) v = v * 10 + (c - '0');
      p.section = v;
      n.resize(star);
    }
  }
  p.base = std::move(n);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_percent_decoded(std::string_view s, std::string& out) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);  // a bare '%' is kept (Thunderbird 2 wrote them unescaped)
    }
  }
}

// A plain (non-2231) value: encoded words and raw 8-bit are decoded like header
// text. Outlook and Apple Mail put RFC 2047 words inside quoted file names.
std::string decode_plain_value(const std::string& name, std::string_view v, CharsetConverter& conv,
                               Defects& defects) {
  if (name == "boundary") return std::string(v);  // must stay byte-exact
  if (v.find("=?") != std::string_view::npos || has_8bit(v))
    return decode_header_text(v, conv, defects);
  return std::string(trim_view(v));
}

struct ParamGroup {
  std::string name;
  bool has_plain = false;
  std::string plain;
  std::vector<RawParam> sections;  // RFC 2231 parts, in the order written
};

std::string join_rfc2231(const std::string& name, std::vector<RawParam>& parts,
                         CharsetConverter& conv, Defects& defects) {
  std::stable_sort(parts.begin(), parts.end(), [](const RawParam& a, const RawParam& b) {
    return std::max(a.section, 0) < std::max(b.section, 0);
  });
  std::string charset, bytes;
  bool any_extended = false;
  int last = -2;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    RawParam& p = parts[k];
    const int idx = std::max(p.section, 0);
    if (idx == last) continue;  // duplicate section: the first one wins
    last = idx;
    std::string_view v = p.value;
    if (p.extended) {
      if (k == 0) {
        // charset'language'value on the first section only.
        const std::size_t q1 = v.find('\'');
        const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          charset = std::string(trim_view(v.substr(0, q1)));
          v = v.substr(q2 + 1);
        }
      }
      any_extended = true;
      append_percent_decoded(v, bytes);
    } else {
      bytes.append(v);
    }
  }
  if (!any_extended) return decode_plain_value(name, bytes, conv, defects);
  std::string out;
  conv.to_utf8(charset, bytes, out, defects);
  return std::string(trim_view(out));
}

}  // namespace

std::string decode_header_text(std::string_view raw, CharsetConverter& conv, Defects& defects,
                               std::string_view fallback_charset) {
  const std::string u = collapse_folding(raw, defects);
  std::vector<Piece> pieces;
  std::size_t lit_start = 0, i = 0;
  std::size_t next_end = 0;  // below any i: forces the first search
  if (u.empty()) return {};
  while (true) {
    const std::size_t p = u.find("=?", i);
    if (p == std::string::npos) break;
    EncodedWord w;
    const WordStatus st = parse_encoded_word(u, p, w, next_end);
    if (st != WordStatus::ok) {
      if (st == WordStatus::broken)
        add_defect(defects, DefectKind::bad_encoded_word, std::string_view(u).substr(p, 60));
      i = p + 2;
      continue;
    }
    if (p > lit_start)
      pieces.push_back(literal_piece(std::string_view(u).substr(lit_start, p - lit_start)));
    Piece word;
    word.word = true;
    word.charset = w.charset;
    if (w.encoding == 'b') {
      Defects ignored;  // junk in one word is not worth a body-level defect
      decode_base64(w.text, word.bytes, ignored);
    } else {
      decode_quoted_printable(w.text, word.bytes, defects, true);
    }
    pieces.push_back(std::move(word));
    lit_start = i = w.end;
  }
  if (lit_start < u.size()) pieces.push_back(literal_piece(std::string_view(u).substr(lit_start)));

  std::string out;
  out.reserve(u.size());
  std::string run;  // bytes of consecutive words in one charset, converted together
  std::string_view run_charset;
  bool in_run = false;
  auto flush = [&] {
    if (in_run) conv.to_utf8(run_charset, run, out, defects);
    run.clear();
    in_run = false;
  };
  for (std::size_t k = 0; k < pieces.size(); ++k) {
    Piece& pc = pieces[k];
    if (!pc.word) {
      // RFC 2047 6.2: whitespace between two encoded words is not displayed.
      const bool between_words = k > 0 && k + 1 < pieces.size() && pieces[k - 1].word &&
                                 pieces[k + 1].word && trim_view(pc.literal).empty();
      if (between_words) continue;
      flush();
      append_literal(pc.literal, conv, defects, fallback_charset, out);
      continue;
    }
    // A multibyte character may be split across two words of one charset
    // (Outlook splits UTF-8 every 45 bytes), so bytes are joined before conversion.
    if (in_run && !iequal(run_charset, pc.charset)) flush();
    run_charset = pc.charset;
    in_run = true;
    run.append(pc.bytes);
  }
  flush();
  return finish(out);
}

const std::string* ContentValue::param(std::string_view name) const {
  for (const auto& [n, v] : params)
    if (iequal(n, name)) return &v;
  return nullptr;
}

ContentValue parse_content_value(std::string_view raw, CharsetConverter& conv, Defects& defects,
                                 std::size_t max_params) {
  ContentValue cv;
  const std::string_view s = raw;
  std::size_t i = 0;
  while (i < s.size() && is_ws(s[i])) ++i;

  // Main value: up to ';' or whitespace. "text / plain" (hand-written headers) is glued.
  {
    std::string main;
    std::size_t j = i;
    while (true) {
      while (j < s.size() && s[j] != ';' && !is_ws(s[j])) ++j;
      main.append(s.substr(i, j - i));
      std::size_t k = j;
      while (k < s.size() && is_ws(s[k])) ++k;
      const bool glue = k < s.size() && (s[k] == '/' || (!main.empty() && main.back() == '/'));
      if (!glue || k == j) break;
      i = j = k;
    }
    if (main.find('=') != std::string::npos) {
      // No main value at all ("Content-Type: charset=utf-8"): all of it is parameters.
      i = 0;
    } else {
      std::erase(main, '"');
      cv.value = lower_copy(trim_view(main));
      i = j;
    }
  }

  std::vector<ParamGroup> groups;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t count = 0;
  while (i < s.size()) {
    // Separators: ';', stray ";;", and whitespace where Eudora forgets the ';'.
    if (s[i] == ';' || is_ws(s[i])) {
      ++i;
      continue;
    }
    const std::size_t name_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';' && s[i] != '"' && !is_ws(s[i])) ++i;
    std::string_view name = s.substr(name_start, i - name_start);
    std::size_t k = i;
    while (k < s.size() && is_ws(s[k])) ++k;
    if (k >= s.size() || s[k] != '=') {
      if (name.empty()) ++i;  // a stray quote: step over it
      continue;               // a parameter without '=' carries nothing
    }
    i = k + 1;
    while (i < s.size() && is_ws(s[i])) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        // IE sends Windows paths unescaped ("C:\dir\a.txt"): only \" and \\ are escapes.
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
        value.push_back(s[i++]);
      }
      if (i < s.size()) ++i;  // closing quote
    } else {
      // Unquoted, possibly with spaces ("filename=my file.txt"); it ends at ';'
      // or where the next "name=" starts (a forgotten ';').
      const std::size_t v_start = i;
      while (i < s.size() && s[i] != ';') {
        if (is_ws(s[i])) {
          std::size_t n = i;
          while (n < s.size() && is_ws(s[n])) ++n;
          if (param_starts_at(s, n)) break;
          i = n;
          continue;
        }
        ++i;
      }
      value = std::string(trim_view(s.substr(v_start, i - v_start)));
    }
    if (name.empty()) continue;
    if (count >= max_params) {
      add_defect(defects, DefectKind::too_many_params, std::to_string(max_params));
      break;
    }
    ++count;
    RawParam p;
    split_param_name(name, p);
    p.value = std::move(value);
    auto [it, inserted] = index.try_emplace(p.base, groups.size());
    if (inserted) {
      groups.emplace_back();
      groups.back().name = p.base;
    }
    ParamGroup& g = groups[it->second];
    if (p.section >= 0 || p.extended) {
      g.sections.push_back(std::move(p));
    } else if (!g.has_plain) {
      g.has_plain = true;
      g.plain = std::move(p.value);
    }
  }

  cv.params.reserve(groups.size());
  for (ParamGroup& g : groups) {
    // "name*0*=..." and "name=..." both present: the RFC 2231 form is the real one.
    std::string v = g.sections.empty() ? decode_plain_value(g.name, g.plain, conv, defects)
                                       : join_rfc2231(g.name, g.sections, conv, defects);
    cv.params.emplace_back(std::move(g.name), std::move(v));
  }
  return cv;
}

}  // namespace ticketd::parser
