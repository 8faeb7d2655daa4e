// ticketd parser: any declared charset to UTF-8 through iconv, with the
// fallbacks real mail needs. Pure (no I/O, no logging); the parser owns one
// CharsetConverter per parse so iconv descriptors are opened once per charset.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "parser/message.h"

namespace ticketd::parser {

// Caches one iconv descriptor per (normalised) source charset. Not thread-safe:
// one converter per thread/parse. Never throws.
class CharsetConverter {
 public:
  CharsetConverter();
  ~CharsetConverter();
  CharsetConverter(const CharsetConverter&) = delete;
  CharsetConverter& operator=(const CharsetConverter&) = delete;

  // Appends the UTF-8 form of `in` (declared as `charset`, may be empty) to `out`.
  // Fallbacks, each recorded in `defects` when used:
  //  - empty/us-ascii with 8-bit bytes: valid UTF-8 kept, else the charset
  //    guess_cjk_charset() names, else windows-1252;
  //  - unknown-8bit / unknown labels: the same;
  //  - iso-8859-1 / latin1 is read as windows-1252 (a superset in the 0x80-0x9f range);
  //  - gb2312 / gbk / iso-gb2312 are read as GB18030;
  //  - bytes invalid in the declared charset: UTF-8 if valid, else windows-1252;
  //  - under a UTF-8 label a single stray byte is read as windows-1252, a
  //    truncated multibyte sequence becomes U+FFFD; NUL bytes are dropped.
  void to_utf8(std::string_view charset, std::string_view in, std::string& out, Defects& defects);

  std::string to_utf8(std::string_view charset, std::string_view in, Defects& defects) {
    std::string out;
    to_utf8(charset, in, out, defects);
    return out;
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Guesses the charset of 8-bit text that is not UTF-8 and has no usable label:
// "gb18030" or "cp932" when its byte pairs look like common Chinese or
// Japanese text, else empty (callers then use windows-1252).
// Heuristic on byte structure only; to_utf8 applies it to unlabelled input.
std::string_view guess_cjk_charset(std::string_view in);

bool is_valid_utf8(std::string_view s);
// Appends `in` to `out` with every invalid UTF-8 sequence replaced by U+FFFD.
// Returns true if anything was replaced.
bool append_repaired_utf8(std::string_view in, std::string& out);

}  // namespace ticketd::parser
