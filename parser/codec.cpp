#include "parser/codec.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace ticketd::parser {
namespace {

constexpr std::uint8_t kB64Skip = 0x40;  // whitespace: ignored silently
constexpr std::uint8_t kB64Pad = 0x41;   // '='
constexpr std::uint8_t kB64Bad = 0x42;   // anything else: ignored with a defect

constexpr std::array<std::uint8_t, 256> make_base64_table() {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kB64Bad;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  // RFC 4648 URL-safe alphabet: some webmailers' attachments use it.
  t['-'] = 62;
  t['_'] = 63;
  for (unsigned char c : {' ', '\t', '\r', '\n', '\f', '\v'}) t[c] = kB64Skip;
  t['='] = kB64Pad;
  return t;
}
constexpr auto kBase64 = make_base64_table();

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;  // Lotus Notes writes lower-case hex
  return -1;
}

// One line of `in` starting at `pos`, without its line ending; `pos` moves past it.
std::string_view next_line(std::string_view in, std::size_t& pos) {
  const std::size_t start = pos;
  std::size_t end = in.find('\n', pos);
  if (end == std::string_view::npos) end = in.size();
  pos = end < in.size() ? end + 1 : end;
  std::size_t stop = end;
  if (stop > start && in[stop - 1] == '\r') --stop;
  return in.substr(start, stop - start);
}

std::string_view trim_ws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// uuencode maps 6-bit values to ' '..'_' and writes 0 as '`' as well.
inline unsigned uu_value(char c) { return (static_cast<unsigned char>(c) - 0x20u) & 0x3fu; }

bool is_uu_char(char c) { return c >= 0x20 && c <= 0x60; }

// Number of bytes a data line announces, or -1 if the line cannot be uuencode.
int uu_line_length(std::string_view line) {
  if (line.empty() || !is_uu_char(line[0])) return -1;
  const int n = static_cast<int>(uu_value(line[0]));
  for (char c : line)
    if (!is_uu_char(c)) return -1;
  // Encoders pad to whole 4-char groups; some drop trailing spaces, some add a
  // checksum character, so only demand roughly the announced length.
  const std::size_t want = 1 + static_cast<std::size_t>((n + 2) / 3) * 4;
  if (line.size() + 4 < want || line.size() > want + 2) return -1;
  return n;
}

void decode_uu_line(std::string_view line, int n, std::string& out) {
  std::size_t pos = 1;
  int left = n;
  while (left > 0) {
    unsigned v[4];
    for (unsigned& x : v) x = pos < line.size() ? uu_value(line[pos++]) : 0;
    const unsigned char b[3] = {static_cast<unsigned char>((v[0] << 2) | (v[1] >> 4)),
                                static_cast<unsigned char>((v[1] << 4) | (v[2] >> 2)),
                                static_cast<unsigned char>((v[2] << 6) | v[3])};
    for (int k = 0; k < 3 && left > 0; ++k, --left) out.push_back(static_cast<char>(b[k]));
  }
}

// "begin 644 name" (mode: 3 or 4 octal digits). Returns the file name or false.
bool parse_begin_line(std::string_view line, std::string& name) {
  if (!line.starts_with("begin ")) return false;
  std::string_view rest = line.substr(6);
  std::size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '7') ++digits;
  if (digits < 3 || digits > 4 || digits >= rest.size() || rest[digits] != ' ') return false;
  name = std::string(trim_ws(rest.substr(digits + 1)));
  return true;
}

// Decodes data lines from `pos` until the zero-length line / "end" / the end of
// input. Returns the position after the block.
std::size_t decode_uu_block(std::string_view in, std::size_t pos, std::string& out) {
  const std::size_t before = out.size();
  while (pos < in.size()) {
    const std::size_t line_start = pos;
    std::string_view line = next_line(in, pos);
    std::string_view t = trim_ws(line);
    if (t == "end") return pos;
    if (t.empty()) continue;
    // A data line may have lost its trailing spaces; trim only the CR.
    const int n = uu_line_length(line);
    if (n < 0) {
      // Without "`"/"end" the block ends at the first line that is not data,
      // and that line is text again.
      if (out.size() > before || t.starts_with("begin ")) return line_start;
      continue;  // junk before the first data line
    }
    if (n == 0) {
      // The "`" line: the next line should be "end".
      std::size_t after = pos;
      if (after < in.size() && trim_ws(next_line(in, after)) == "end") pos = after;
      return pos;
    }
    decode_uu_line(line, n, out);
  }
  return pos;
}

}  // namespace

void Base64Decoder::feed(std::string_view in, std::string& out) {
  if (ended_) return;
  const std::size_t base = out.size();
  // Whole quads of this input, one more completed by sextets carried over,
  // and room for finish().
  out.resize(base + in.size() / 4 * 3 + 6);
  char* w = out.data() + base;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  std::uint32_t acc = acc_;
  int have = have_;
  std::size_t i = 0;
  for (; i < n; ++i) {
    // Fast path: four clean characters at a quad boundary (the bulk of a
    // body; line ends and junk take the careful path below).
    while (have == 0 && i + 4 <= n) {
      const std::uint8_t a = kBase64[p[i]], b = kBase64[p[i + 1]], c = kBase64[p[i + 2]],
                         d = kBase64[p[i + 3]];
      if ((a | b | c | d) >= 64) break;
      const std::uint32_t q = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) |
                              (std::uint32_t{c} << 6) | std::uint32_t{d};
      w[0] = static_cast<char>(q >> 16);
      w[1] = static_cast<char>(q >> 8);
      w[2] = static_cast<char>(q);
      w += 3;
      i += 4;
    }
    if (i >= n) break;
    const std::uint8_t v = kBase64[p[i]];
    if (v < 64) {
      acc = (acc << 6) | v;
      if (++have == 4) {
        *w++ = static_cast<char>(acc >> 16);
        *w++ = static_cast<char>(acc >> 8);
        *w++ = static_cast<char>(acc);
        acc = 0;
        have = 0;
      }
    } else if (v == kB64Pad) {
      ended_ = true;
      break;
    } else if (v == kB64Bad) {
      // Some webmail attachments carry '|' or '!' line markers inside base64.
      bad_ = true;
    }
  }
  acc_ = acc;
  have_ = have;
  out.resize(static_cast<std::size_t>(w - out.data()));
}

bool Base64Decoder::finish(std::string& out) {
  // Missing padding is tolerated: the leftover sextets still carry whole bytes.
  if (have_ == 2) {
    out.push_back(static_cast<char>(acc_ >> 4));
  } else if (have_ == 3) {
    out.push_back(static_cast<char>(acc_ >> 10));
    out.push_back(static_cast<char>(acc_ >> 2));
  } else if (have_ == 1) {
    bad_ = true;  // six bits cannot make a byte: truncated input
  }
  acc_ = 0;
  have_ = 0;
  ended_ = true;
  return bad_;
}

void decode_base64(std::string_view in, std::string& out, Defects& defects) {
  Base64Decoder d;
  d.feed(in, out);
  if (d.finish(out)) add_defect(defects, DefectKind::bad_base64, "");
}

bool decode_in_pieces(std::string_view body, bool base64,
                      const std::function<void(std::string_view)>& sink, std::size_t piece) {
  if (!base64) {
    if (!body.empty()) sink(body);  // already in memory as it is
    return false;
  }
  piece = std::max<std::size_t>(piece, 4);
  Base64Decoder d;
  std::string buf;
  buf.reserve(piece / 4 * 3 + 6);
  for (std::size_t at = 0; at < body.size(); at += piece) {
    buf.clear();
    d.feed(body.substr(at, piece), buf);
    if (!buf.empty()) sink(buf);
  }
  buf.clear();
  const bool bad = d.finish(buf);
  if (!buf.empty()) sink(buf);
  return bad;
}

void decode_quoted_printable(std::string_view in, std::string& out, Defects& defects,
                             bool header_mode) {
  out.reserve(out.size() + in.size());
  const char* p = in.data();
  const std::size_t n = in.size();
  std::size_t i = 0;
  bool bad = false;
  while (i < n) {
    // Copy the literal run up to the next '=' (or '_' in header mode) in one go.
    std::size_t j = i;
    if (header_mode) {
      while (j < n && p[j] != '=' && p[j] != '_') ++j;
    } else {
      const void* eq = std::memchr(p + i, '=', n - i);
      j = eq ? static_cast<std::size_t>(static_cast<const char*>(eq) - p) : n;
    }
    out.append(p + i, j - i);
    if (j >= n) break;
    if (p[j] == '_') {
      out.push_back(' ');
      i = j + 1;
      continue;
    }
    // p[j] == '='
    if (j + 2 < n && hex_value(p[j + 1]) >= 0 && hex_value(p[j + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(p[j + 1]) * 16 + hex_value(p[j + 2])));
      i = j + 3;
      continue;
    }
    // Soft line break: "=" then optional transport-added blanks, then CRLF or LF.
    std::size_t k = j + 1;
    while (k < n && (p[k] == ' ' || p[k] == '\t')) ++k;
    if (k < n && p[k] == '\r' && k + 1 < n && p[k + 1] == '\n') {
      i = k + 2;
      continue;
    }
    if (k < n && (p[k] == '\n' || p[k] == '\r')) {
      i = k + 1;
      continue;
    }
    if (k == n) {
      // A trailing '=' means "no final line break" (RFC 2045 6.7 rule 5).
      i = n;
      continue;
    }
    // "=3" followed by junk, "=\xE9", "= ": kept literally.
    bad = true;
    out.push_back('=');
    i = j + 1;
  }
  if (bad) add_defect(defects, DefectKind::bad_quoted_printable, "");
}

bool extract_uuencoded(std::string_view in, std::string& text_out, std::vector<UuFile>& files,
                       Defects& /*defects*/) {
  text_out.reserve(text_out.size() + in.size());
  bool found = false;
  std::size_t pos = 0;
  while (pos < in.size()) {
    const std::size_t line_start = pos;
    std::string_view line = next_line(in, pos);
    std::string name;
    if (parse_begin_line(line, name)) {
      // Prose that happens to start with "begin 644 " is not a file: demand
      // that the next non-empty line looks like uuencoded data.
      std::size_t probe = pos;
      std::string_view first;
      while (probe < in.size() && (first = next_line(in, probe)).empty()) {
      }
      if (uu_line_length(first) > 0 || trim_ws(first) == "`" || trim_ws(first) == "end") {
        UuFile f;
        f.filename = std::move(name);
        pos = decode_uu_block(in, pos, f.data);
        files.push_back(std::move(f));
        found = true;
        continue;
      }
    }
    text_out.append(in.substr(line_start, pos - line_start));
  }
  return found;
}

void decode_uuencode_body(std::string_view in, std::string& out, Defects& /*defects*/) {
  out.reserve(out.size() + in.size() * 3 / 4);
  // Start after the "begin" line when there is one; without it the whole body is data.
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < in.size();) {
    std::string name;
    if (parse_begin_line(next_line(in, pos), name)) {
      start = pos;
      break;
    }
  }
  decode_uu_block(in, start, out);
}

}  // namespace ticketd::parser
