#include "templates/encode.h"

#include <algorithm>

namespace ticketd::templates {

namespace {

constexpr char kHex[] = "0123456789ABCDEF";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_hex_escape(std::string& out, unsigned char c) {
  out.push_back('=');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

std::string base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(data[i]) << 16 |
                       static_cast<unsigned char>(data[i + 1]) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(kB64[(v >> 6) & 63]);
    out.push_back(kB64[v & 63]);
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out.push_back(kB64[v >> 18]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

bool q_literal(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '!' ||
         c == '*' || c == '+' || c == '-' || c == '/';
}

std::size_t q_length(std::string_view bytes) {
  std::size_t n = 0;
  for (unsigned char c : bytes) n += (q_literal(c) || c == ' ') ? 1 : 3;
  return n;
}

std::string q_encode(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c == ' ')
      out.push_back('_');
    else if (q_literal(c))
      out.push_back(static_cast<char>(c));
    else
      append_hex_escape(out, c);
  }
  return out;
}

// Length of the UTF-8 sequence starting at s[i]; a stray byte counts as one so
// broken input still makes progress (it is encoded as it is).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  std::size_t n = 1;
  if (c >= 0xF0 && c < 0xF8)
    n = 4;
  else if (c >= 0xE0)
    n = c < 0xF0 ? 3 : 1;
  else if (c >= 0xC0)
    n = 2;
  if (i + n > s.size()) return 1;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  return n;
}

}  // namespace

std::string encode_base64_lines(std::string_view data) {
  const std::string flat = base64(data);
  std::string out;
  out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < flat.size(); i += 76) {
    out.append(flat, i, 76);
    out.append("\r\n");
  }
  return out;
}

std::string encode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (true) {
    std::size_t end = text.find_first_of("\r\n", pos);
    const bool has_break = end != std::string_view::npos;
    if (!has_break) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    std::size_t col = 0;
    std::string unit;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      auto make_unit = [&](bool line_start) {
        unit.clear();
        // A leading "." (SMTP dot-stuffing) and "From " (mbox quoting) get
        // mangled by careless relays; escaped, they pass through untouched.
        const bool risky_start = line_start && (c == '.' || line.substr(i).starts_with("From "));
        if (c == '=' || (c < 0x20 && c != '\t') || c >= 0x7F || risky_start ||
            (last && (c == ' ' || c == '\t')))
          append_hex_escape(unit, c);
        else
          unit.push_back(static_cast<char>(c));
      };
      make_unit(col == 0);
      // 76 characters per line: the last unit of a line may use column 76,
      // any other leaves room for the soft-break '='. A final line without a
      // line break ends in a soft break too, so its last unit gets no extra column.
      const std::size_t limit = last && has_break ? 76 : 75;
      if (col + unit.size() > limit) {
        out.append("=\r\n");
        col = 0;
        make_unit(true);
      }
      out.append(unit);
      col += unit.size();
    }
    if (!has_break) {
      if (!line.empty()) out.append("=\r\n");
      break;
    }
    out.append("\r\n");
    pos = end + 1;
    if (text[end] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
  }
  return out;
}

std::vector<std::string> encode_words(std::string_view utf8, std::size_t first_max,
                                      std::size_t max) {
  constexpr std::size_t kOverhead = 12;  // "=?utf-8?B?" + "?="
  // A 4-byte UTF-8 character needs 8 characters of B text: 20 in all.
  constexpr std::size_t kMinWord = kOverhead + 8;
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const std::size_t budget = std::max<std::size_t>(words.empty() ? first_max : max, kMinWord);
    const std::size_t room = budget - kOverhead;
    // Grow the chunk one whole character at a time while B or Q still fits.
    std::size_t j = i;
    while (j < utf8.size()) {
      const std::size_t next = j + utf8_length(utf8, j);
      const std::string_view chunk = utf8.substr(i, next - i);
      const std::size_t b_len = (chunk.size() + 2) / 3 * 4;
      if (std::min(b_len, q_length(chunk)) > room) break;
      j = next;
    }
    if (j == i) j = i + utf8_length(utf8, i);  // cannot happen with room >= 8
    const std::string_view chunk = utf8.substr(i, j - i);
    const std::size_t b_len = (chunk.size() + 2) / 3 * 4;
    if (q_length(chunk) <= b_len)
      words.push_back("=?utf-8?Q?" + q_encode(chunk) + "?=");
    else
      words.push_back("=?utf-8?B?" + base64(chunk) + "?=");
    i = j;
  }
  return words;
}

std::string percent_encode(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    const bool attr_char =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr_char) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string hash_hex(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  std::string out(16, '0');
  for (int k = 15; k >= 0; --k) {
    out[static_cast<std::size_t>(k)] = "0123456789abcdef"[h & 15];
    h >>= 4;
  }
  return out;
}

}  // namespace ticketd::templates
