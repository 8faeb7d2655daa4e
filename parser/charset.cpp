#include "parser/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

namespace ticketd::parser {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

bool is_ascii(std::string_view s) {
  const char* p = s.data();
  std::size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & kHighBits) return false;
  }
  for (; i < n; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  return true;
}

// Length of the valid UTF-8 sequence starting at p (left > 0 bytes available), or
// 0 when invalid; `prefix` receives the length of the maximal valid prefix (>= 1)
// so that one U+FFFD replaces it (Unicode "maximal subpart" practice).
std::size_t utf8_sequence(const unsigned char* p, std::size_t left, std::size_t& prefix) {
  const unsigned char c = p[0];
  prefix = 1;
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0) lo = 0xa0;  // overlong
    if (c == 0xed) hi = 0x9f;  // surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0) lo = 0x90;  // overlong
    if (c == 0xf4) hi = 0x8f;  // past U+10FFFF
  } else {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (k >= left) return 0;
    const unsigned char b = p[k];
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return 0;
    prefix = k + 1;
  }
  return len;
}

constexpr char kReplacement[] = "\xEF\xBF\xBD";

void append_code_point(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// windows-1252 0x80-0x9f; the five holes map to the C1 controls as WHATWG does.
constexpr std::uint16_t kCp1252High[32] = {
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178};

void append_cp1252_byte(unsigned char c, std::string& out) {
  append_code_point(c >= 0x80 && c < 0xa0 ? kCp1252High[c - 0x80] : c, out);
}

void append_cp1252(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size() + in.size() / 2);
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t j = i;
    while (j < in.size() && static_cast<unsigned char>(in[j]) < 0x80) ++j;
    out.append(in.data() + i, j - i);
    if (j < in.size()) append_cp1252_byte(static_cast<unsigned char>(in[j++]), out);
    i = j;
  }
}

// How a declared charset label is read.
enum class Family {
  utf8,         // UTF-8; invalid sequences repaired with U+FFFD
  undeclared,   // none / us-ascii: UTF-8 if valid, else windows-1252
  unknown8bit,  // unknown-8bit and friends: UTF-8 if valid, else windows-1252
  cp1252,       // latin-1 and windows-1252: own table, no iconv
  iconv,        // anything else glibc knows
};

struct Entry {
  Family family = Family::iconv;
  std::string label;               // normalised label, for defect details
  std::vector<std::string> names;  // iconv names, tried in order when strict fails
  std::vector<iconv_t> cds;        // opened lazily; (iconv_t)-1 when unavailable
  std::vector<bool> opened;
  bool ascii_compatible = true;  // bytes < 0x80 alone are ASCII
  bool iso2022jp = false;        // fallback: transcode to EUC-JP-MS
  std::size_t unit = 1;          // code unit for error skipping (UTF-16: 2, UTF-32: 4)
  bool unknown = false;          // no iconv name could be opened
};

std::string normalise_label(std::string_view cs) {
  std::string s;
  s.reserve(cs.size());
  for (char c : cs) {
    // Quotes, spaces and stray ';' come from sloppy Content-Type values.
    if (c == '"' || c == '\'' || c == ' ' || c == '\t' || c == ';' || c == '\r' || c == '\n')
      continue;
    s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return s;
}

bool in_list(std::string_view s, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

Entry resolve(const std::string& label) {
  Entry e;
  e.label = label;
  if (label.empty() ||
      in_list(label, {"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367", "ibm367",
                      "csascii", "iso-ir-6", "ansi_x3.4-1986", "x-ascii"})) {
    e.family = Family::undeclared;
  } else if (in_list(label, {"utf-8", "utf8", "x-utf8", "x-utf-8", "unicode-1-1-utf-8",
                             "unicode-2-0-utf-8", "utf-8-bom"})) {
    e.family = Family::utf8;
  } else if (in_list(label, {"unknown-8bit", "x-unknown", "unknown", "default", "8bit",
                             "x-user-defined", "charset", "none"})) {
    e.family = Family::unknown8bit;
  } else if (in_list(label, {"iso-8859-1",  "iso8859-1",       "iso_8859-1",
                             "latin1",      "latin-1",         "l1",
                             "cp819",       "ibm819",          "iso-ir-100",
                             "csisolatin1", "iso_8859-1:1987", "windows-1252",
                             "cp1252",      "x-cp1252",        "cp-1252",
                             "win-1252",    "ms-ansi",         "iso-8859-1-windows-3.1-latin-1",
                             "8859-1",      "iso8859_1"})) {
    // Outlook labels cp1252 text (smart quotes 0x93/0x94) as iso-8859-1.
    e.family = Family::cp1252;
  } else if (in_list(label, {"gb2312", "gbk", "iso-gb2312", "x-gbk", "cp936", "euc-cn", "x-euc-cn",
                             "gb_2312-80", "csgb2312", "chinese", "windows-936", "ms936", "gb18030",
                             "x-gb2312", "hz-gb-2312-not"})) {
    // Foxmail and Outlook label GBK text as gb2312; GB18030 is the superset.
    e.names = {"GB18030"};
  } else if (in_list(label, {"utf-7", "unicode-1-1-utf-7", "x-unicode-2-0-utf-7", "csunicode11utf7",
                             "x-utf-7", "utf7"})) {
    // Exchange bounces use charset=unicode-1-1-utf-7.
    e.names = {"UTF-7"};
    e.ascii_compatible = false;
  } else if (in_list(label, {"ks_c_5601-1987", "ks_c_5601", "ks_c_5601-1989", "ksc5601", "ksc_5601",
                             "euc-kr", "x-euc-kr", "korean", "cp949", "windows-949",
                             "x-windows-949", "csksc56011987", "uhc"})) {
    e.names = {"CP949"};
  } else if (in_list(label,
                     {"shift_jis", "shift-jis", "x-sjis", "sjis", "ms_kanji", "csshiftjis",
                      "windows-31j", "cp932", "x-ms-cp932", "ms932", "x-shift-jis", "shiftjis"})) {
    // Japanese Outlook writes CP932 (NEC/IBM extensions) under the Shift_JIS label.
    e.names = {"CP932", "SHIFT_JIS"};
  } else if (in_list(label, {"euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese"})) {
    e.names = {"EUC-JP", "EUC-JP-MS"};
  } else if (in_list(label, {"iso-2022-jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2",
                             "iso-2022-jp-3", "x-iso-2022-jp"})) {
    e.names = {"ISO-2022-JP-2", "ISO-2022-JP-3"};
    e.ascii_compatible = false;
    e.iso2022jp = true;
  } else if (in_list(label,
                     {"big5", "x-big5", "cn-big5", "csbig5", "big5-hkscs", "cp950", "x-x-big5"})) {
    e.names = {"BIG5-HKSCS", "BIG5"};
  } else if (in_list(label, {"tis-620", "tis620", "windows-874", "cp874", "iso-8859-11",
                             "x-windows-874"})) {
    e.names = {"CP874", "TIS-620"};
  } else if (in_list(label, {"iso-8859-8-i", "iso_8859-8-i", "csiso88598i"})) {
    e.names = {"ISO-8859-8"};
  } else if (label.starts_with("utf-16") || label.starts_with("utf16") ||
             label.starts_with("ucs-2") || label.starts_with("ucs2") || label == "unicode" ||
             label == "unicodefffe" || label == "iso-10646-ucs-2") {
    std::string name = "UTF-16";
    if (label.ends_with("le") || label == "unicode") name = "UTF-16LE";  // Microsoft's "unicode"
    if (label.ends_with("be") || label == "unicodefffe") name = "UTF-16BE";
    e.names = {name};
    e.ascii_compatible = false;
    e.unit = 2;
  } else if (label.starts_with("utf-32") || label.starts_with("utf32") ||
             label.starts_with("ucs-4") || label.starts_with("ucs4")) {
    std::string name = "UTF-32";
    if (label.ends_with("le")) name = "UTF-32LE";
    if (label.ends_with("be")) name = "UTF-32BE";
    e.names = {name};
    e.ascii_compatible = false;
    e.unit = 4;
  } else {
    // Anything else goes to iconv as written; a few spellings glibc lacks are mapped.
    std::string name = label;
    if (name.starts_with("x-")) name.erase(0, 2);
    if (name.starts_with("windows-")) name = "cp" + name.substr(8);
    if (name.starts_with("win-")) name = "cp" + name.substr(4);
    if (name.starts_with("cp-")) name = "cp" + name.substr(3);
    if (name.starts_with("iso8859") && name.size() > 7 && name[7] != '-')
      name = "iso-8859-" + name.substr(7);
    if (name.starts_with("iso-2022") || name.starts_with("hz") || name.starts_with("utf-7"))
      e.ascii_compatible = false;
    e.names = {name};
  }
  e.cds.assign(e.names.size(), reinterpret_cast<iconv_t>(-1));
  e.opened.assign(e.names.size(), false);
  return e;
}

// ISO-2022-JP as Microsoft writes it (CP50221: NEC row 13 such as "①" inside
// ESC $ B) is rejected by glibc's strict decoders. Re-encoding the JIS X 0208
// pairs as EUC-JP bytes and reading them as EUC-JP-MS covers those extensions.
std::string iso2022jp_to_eucjp(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  enum { ascii, kanji, kana } mode = ascii;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0x1b && i + 2 < in.size()) {
      const char a = in[i + 1], b = in[i + 2];
      if (a == '(' && (b == 'B' || b == 'J')) {
        mode = ascii, i += 2;
        continue;
      }
      if (a == '$' && (b == 'B' || b == '@')) {
        mode = kanji, i += 2;
        continue;
      }
      if (a == '(' && b == 'I') {
        mode = kana, i += 2;
        continue;
      }
    }
    if (c == '\r' || c == '\n') mode = ascii;  // a line always starts in ASCII
    if (mode == kanji && c > 0x20 && c < 0x7f && i + 1 < in.size()) {
      out.push_back(static_cast<char>(c | 0x80));
      out.push_back(static_cast<char>(static_cast<unsigned char>(in[++i]) | 0x80));
    } else if (mode == kana && c > 0x20 && c < 0x60) {
      out.push_back('\x8e');
      out.push_back(static_cast<char>(c | 0x80));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

enum class IconvMode { strict, lenient };

// Converts `in` with `cd`, appending to `out`. Strict mode stops at the first
// invalid or incomplete sequence and returns false (out is left with partial
// output; the caller truncates). Lenient mode replaces each bad code unit with its
// windows-1252 reading (single-byte-ish charsets) or U+FFFD and goes on.
bool run_iconv(iconv_t cd, std::string_view in, std::string& out, IconvMode mode, const Entry& e) {
  iconv(cd, nullptr, nullptr, nullptr, nullptr);
  char* inp = const_cast<char*>(in.data());
  std::size_t inleft = in.size();
  std::size_t used = out.size();
  // UTF-8 needs at most 3 bytes per input byte for the charsets we meet (4 for
  // GB18030's 4-byte forms); start at 2x and grow on E2BIG.
  out.resize(used + in.size() * 2 + 16);
  auto grow = [&] { out.resize(out.size() + out.size() / 2 + 64); };
  bool clean = true;
  while (inleft > 0) {
    char* outp = out.data() + used;
    std::size_t outleft = out.size() - used;
    const std::size_t rc = iconv(cd, &inp, &inleft, &outp, &outleft);
    const int err = errno;
    used = static_cast<std::size_t>(outp - out.data());
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (err == E2BIG) {
      grow();
      continue;
    }
    clean = false;
    if (mode == IconvMode::strict) break;
    out.resize(used);
    if (err == EINVAL) {
      // Truncated multibyte sequence at the end of the input.
      out.append(kReplacement);
      inleft = 0;
    } else {
      // EILSEQ: skip one code unit.
      const unsigned char bad = static_cast<unsigned char>(*inp);
      if (e.unit == 1 && e.ascii_compatible && bad >= 0x80)
        append_cp1252_byte(bad, out);
      else
        out.append(kReplacement);
      const std::size_t skip = std::min(e.unit, inleft);
      inp += skip;
      inleft -= skip;
    }
    used = out.size();
    out.resize(used + inleft * 2 + 16);
  }
  if (clean || mode == IconvMode::lenient) {
    // Return a stateful encoding (ISO-2022-JP, UTF-7) to its initial state.
    while (true) {
      char* outp = out.data() + used;
      std::size_t outleft = out.size() - used;
      const std::size_t rc = iconv(cd, nullptr, nullptr, &outp, &outleft);
      used = static_cast<std::size_t>(outp - out.data());
      if (rc == static_cast<std::size_t>(-1) && errno == E2BIG) {
        grow();
        continue;
      }
      break;
    }
  }
  out.resize(used);
  return clean;
}

void drop_nuls(std::string& out, std::size_t start, Defects& defects) {
  if (std::memchr(out.data() + start, 0, out.size() - start) == nullptr) return;
  add_defect(defects, DefectKind::nul_byte, "");
  auto it = std::remove(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), '\0');
  out.erase(it, out.end());
}

}  // namespace

std::string_view guess_cjk_charset(std::string_view in) {
  // Byte-structure scoring, no dictionaries: Chinese and Japanese text is almost all double-byte
  // characters from a few common rows, while latin-1 text has single high bytes
  // between ASCII letters. A candidate wins when >= 80 % of its characters fall
  // into its common rows (and at least two do).
  struct Score {
    std::size_t common = 0, other = 0;
  };
  // EUC-KR is left out: its hangul rows (0xb0-0xc8) are GB2312 hanzi rows too,
  // and byte structure alone cannot tell them apart.
  Score gb, sjis;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  auto in_range = [](unsigned c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; };
  // GBK / GB18030 two-byte structure; common: GB2312 hanzi rows and punctuation.
  for (std::size_t i = 0; i < n;) {
    const unsigned c = p[i];
    const unsigned t = i + 1 < n ? p[i + 1] : 0;
    if (c < 0x80) {
      ++i;
    } else if (in_range(c, 0x81, 0xfe) && in_range(t, 0x40, 0xfe) && t != 0x7f) {
      const bool common = (in_range(c, 0xb0, 0xf7) || in_range(c, 0xa1, 0xa3)) && t >= 0xa1;
      ++(common ? gb.common : gb.other);
      i += 2;
    } else {
      ++gb.other, ++i;
    }
  }
  // Shift_JIS / CP932; common: symbols, kana (0x81-0x84) and level-1 kanji (0x88-0x9f).
  for (std::size_t i = 0; i < n;) {
    const unsigned c = p[i];
    const unsigned t = i + 1 < n ? p[i + 1] : 0;
    if (c < 0x80) {
      ++i;
    } else if ((in_range(c, 0x81, 0x9f) || in_range(c, 0xe0, 0xfc)) &&
               (in_range(t, 0x40, 0x7e) || in_range(t, 0x80, 0xfc))) {
      const bool common = in_range(c, 0x81, 0x84) || in_range(c, 0x88, 0x9f);
      ++(common ? sjis.common : sjis.other);
      i += 2;
    } else {
      ++sjis.other, ++i;  // half-width katakana and junk
    }
  }
  std::string_view best;
  double best_score = 0.8;
  for (auto [score, name] : {std::pair{gb, "gb18030"}, std::pair{sjis, "cp932"}}) {
    if (score.common < 2) continue;
    const double r =
        static_cast<double>(score.common) / static_cast<double>(score.common + score.other);
    if (r > best_score || (best.empty() && r >= best_score)) {
      best = name;
      best_score = r;
    }
  }
  return best;
}

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t prefix;
    const std::size_t len = utf8_sequence(p + i, n - i, prefix);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool append_repaired_utf8(std::string_view in, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  out.reserve(out.size() + n + 16);
  std::size_t run = 0, i = 0;
  bool replaced = false;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t prefix;
    const std::size_t len = utf8_sequence(p + i, n - i, prefix);
    if (len) {
      i += len;
      continue;
    }
    out.append(in.data() + run, i - run);
    out.append(kReplacement);
    replaced = true;
    i += prefix;
    run = i;
  }
  out.append(in.data() + run, n - run);
  return replaced;
}

namespace {

// UTF-8 text with stray bytes: a single invalid byte is read as windows-1252
// (Outlook pastes latin-1 "=EE" into UTF-8 HTML; 0x92 is a cp1252 apostrophe),
// a cut-off multibyte sequence becomes U+FFFD.
void append_utf8_mixed(std::string_view in, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  out.reserve(out.size() + n + 16);
  std::size_t run = 0, i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t prefix;
    const std::size_t len = utf8_sequence(p + i, n - i, prefix);
    if (len) {
      i += len;
      continue;
    }
    out.append(in.data() + run, i - run);
    if (prefix == 1)
      append_cp1252_byte(p[i], out);
    else
      out.append(kReplacement);
    i += prefix;
    run = i;
  }
  out.append(in.data() + run, n - run);
}

}  // namespace

struct CharsetConverter::Impl {
  // A mail names a handful of charsets; the cap bounds what a hostile mail with
  // thousands of distinct labels can make us keep open.
  static constexpr std::size_t kMaxCached = 64;
  std::unordered_map<std::string, Entry> cache;

  ~Impl() {
    for (auto& [label, e] : cache) close(e);
  }

  static void close(Entry& e) {
    for (iconv_t cd : e.cds)
      if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
    e.cds.assign(e.cds.size(), reinterpret_cast<iconv_t>(-1));
  }

  static iconv_t descriptor(Entry& e, std::size_t k) {
    if (!e.opened[k]) {
      e.opened[k] = true;
      e.cds[k] = iconv_open("UTF-8", e.names[k].c_str());
    }
    return e.cds[k];
  }

  static void check_known(Entry& e) {
    if (e.family != Family::iconv) return;
    bool any = false;
    for (std::size_t k = 0; k < e.names.size(); ++k)
      any |= descriptor(e, k) != reinterpret_cast<iconv_t>(-1);
    e.unknown = !any;
  }

  void convert(Entry& e, std::string_view in, std::string& out, Defects& defects);

  // Converts with the (cached) entry for a normalised label.
  void convert_label(const std::string& label, std::string_view in, std::string& out,
                     Defects& defects) {
    if (auto it = cache.find(label); it != cache.end()) {
      convert(it->second, in, out, defects);
      return;
    }
    Entry e = resolve(label);
    check_known(e);
    if (cache.size() < kMaxCached) {
      // References into an unordered_map survive rehashing, so a nested
      // convert_label (the CJK guess) cannot invalidate this one.
      convert(cache.emplace(label, std::move(e)).first->second, in, out, defects);
    } else {
      convert(e, in, out, defects);
      close(e);
    }
  }
};

void CharsetConverter::Impl::convert(Entry& e, std::string_view in, std::string& out,
                                     Defects& defects) {
  const bool ascii = is_ascii(in);
  // No usable label: UTF-8 if valid, else a CJK guess, else windows-1252.
  // `kind` is recorded when a fallback decides (not for unknown labels, whose
  // unknown_charset defect already says so).
  auto utf8_else_guess = [&](std::optional<DefectKind> kind) {
    if (ascii) {
      // iPhone Mail sends ISO-2022-JP text with "Content-Type: text/plain;" and no charset.
      if (in.find("\x1b$B") != std::string_view::npos ||
          in.find("\x1b$@") != std::string_view::npos)
        convert_label("iso-2022-jp", in, out, defects);
      else
        out.append(in);
      return;
    }
    if (is_valid_utf8(in)) {
      out.append(in);
      return;
    }
    if (kind) add_defect(defects, *kind, e.label);
    // Foxmail and old Japanese mailers send raw GBK / Shift_JIS without a label.
    if (std::string_view guess = guess_cjk_charset(in); !guess.empty())
      convert_label(std::string(guess), in, out, defects);
    else
      append_cp1252(in, out);
  };
  switch (e.family) {
    case Family::utf8:
      if (ascii || is_valid_utf8(in)) {
        out.append(in);
      } else {
        add_defect(defects, DefectKind::invalid_utf8, e.label);
        append_utf8_mixed(in, out);
      }
      return;
    case Family::undeclared:
    case Family::unknown8bit:
      utf8_else_guess(DefectKind::undeclared_8bit);
      return;
    case Family::cp1252:
      if (ascii)
        out.append(in);
      else
        append_cp1252(in, out);
      return;
    case Family::iconv:
      break;
  }
  if (e.unknown) {
    // The unknown_charset defect already says a fallback was used.
    add_defect(defects, DefectKind::unknown_charset, e.label);
    utf8_else_guess(std::nullopt);
    return;
  }
  if (ascii && e.ascii_compatible) {
    out.append(in);
    return;
  }
  const std::size_t start = out.size();
  // glibc's converters can write what is not UTF-8 (UCS-4 past U+10FFFF comes
  // out in 5- and 6-byte forms; found by fuzz/fuzz_encoded_words): what they
  // write is checked like any input and repaired with U+FFFD.
  auto checked = [&] {
    const std::string_view got(out.data() + start, out.size() - start);
    if (is_valid_utf8(got)) return;
    std::string fixed;
    append_repaired_utf8(got, fixed);
    out.resize(start);
    out += fixed;
    add_defect(defects, DefectKind::invalid_utf8, e.label);
  };
  iconv_t first = reinterpret_cast<iconv_t>(-1);
  for (std::size_t k = 0; k < e.names.size(); ++k) {
    iconv_t cd = descriptor(e, k);
    if (cd == reinterpret_cast<iconv_t>(-1)) continue;
    if (first == reinterpret_cast<iconv_t>(-1)) first = cd;
    if (run_iconv(cd, in, out, IconvMode::strict, e)) return checked();
    out.resize(start);
  }
  if (e.iso2022jp) {
    // Kept out of the cache on purpose: rare, and only for this fallback.
    iconv_t cd = iconv_open("UTF-8", "EUC-JP-MS");
    if (cd != reinterpret_cast<iconv_t>(-1)) {
      const std::string euc = iso2022jp_to_eucjp(in);
      Entry euc_entry;
      const bool ok = run_iconv(cd, euc, out, IconvMode::strict, euc_entry);
      iconv_close(cd);
      if (ok) return;
      out.resize(start);
    }
  }
  add_defect(defects, DefectKind::charset_mismatch, e.label);
  // A mislabelled UTF-8 body is the most common lie; 7-bit and wide encodings
  // can look like UTF-8 by accident, so only 8-bit input counts.
  if (!ascii && e.unit == 1 && e.ascii_compatible && is_valid_utf8(in)) {
    out.append(in);
    return;
  }
  run_iconv(first, in, out, IconvMode::lenient, e);
  checked();
}

CharsetConverter::CharsetConverter() : impl_(std::make_unique<Impl>()) {}
CharsetConverter::~CharsetConverter() = default;

void CharsetConverter::to_utf8(std::string_view charset, std::string_view in, std::string& out,
                               Defects& defects) {
  const std::size_t start = out.size();
  impl_->convert_label(normalise_label(charset), in, out, defects);
  drop_nuls(out, start, defects);
  // A byte order mark carries no text (Notepad and UTF-16 senders add one).
  if (std::string_view(out).substr(start).starts_with("\xEF\xBB\xBF")) out.erase(start, 3);
}

}  // namespace ticketd::parser
