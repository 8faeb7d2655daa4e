// ticketd parser: RFC 5322 dates (and the broken forms real mailers send)
// to seconds since the epoch, UTC. Pure; no dependence on the TZ environment.
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

bool is_wsp(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Days since 1970-01-01 of a proleptic Gregorian date (shifting the year to
// start in March puts the leap day last, so each era of 400 years repeats).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const int mp = (m + 9) % 12;                                     // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;             // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

// 1-12 for an English month name or its three-letter prefix, else 0.
int month_number(std::string_view tok) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (tok.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (iequals(tok.substr(0, 3), kMonths[i])) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Offset in minutes east of UTC for an alphabetic zone; false if not a zone.
bool named_zone(std::string_view tok, int& minutes) {
  struct Zone {
    std::string_view name;
    int hours;
  };
  static constexpr std::array<Zone, 11> kZones = {{{"UT", 0},
                                                   {"UTC", 0},
                                                   {"GMT", 0},
                                                   {"EST", -5},
                                                   {"EDT", -4},
                                                   {"CST", -6},
                                                   {"CDT", -5},
                                                   {"MST", -7},
                                                   {"MDT", -6},
                                                   {"PST", -8},
                                                   {"PDT", -7}}};
  for (const Zone& z : kZones) {
    if (iequals(tok, z.name)) {
      minutes = z.hours * 60;
      return true;
    }
  }
  // Military single letters are ambiguous in practice; RFC 5322 4.3 says
  // treat them as -0000.
  if (tok.size() == 1 && is_alpha(tok[0])) {
    minutes = 0;
    return true;
  }
  return false;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "10:52:37", "10:52" (seconds missing, Eudora), "1:02:03".
bool parse_time(std::string_view tok, int& h, int& m, int& s) {
  std::array<int, 3> parts = {0, 0, 0};
  std::size_t count = 0;
  while (count < 3) {
    std::size_t colon = tok.find(':');
    std::string_view p = tok.substr(0, colon);
    if (p.empty() || p.size() > 2 || !all_digits(p)) return false;
    parts[count++] = to_int(p);
    if (colon == std::string_view::npos) break;
    tok.remove_prefix(colon + 1);
  }
  if (count < 2) return false;
  h = parts[0];
  m = parts[1];
  s = parts[2];
  return h <= 23 && m <= 59 && s <= 60;
}

// "+0200", "-0700", "+02:00", "+02".
bool parse_numeric_zone(std::string_view tok, int& minutes) {
  if (tok.size() < 2 || (tok[0] != '+' && tok[0] != '-')) return false;
  bool neg = tok[0] == '-';
  std::string_view digits = tok.substr(1);
  std::string buf;
  if (digits.size() == 5 && digits[2] == ':') {
    buf.append(digits.substr(0, 2)).append(digits.substr(3));
    digits = buf;
  }
  if (!all_digits(digits)) return false;
  int hh = 0, mm = 0;
  if (digits.size() == 4) {
    hh = to_int(digits.substr(0, 2));
    mm = to_int(digits.substr(2));
  } else if (digits.size() <= 2) {
    hh = to_int(digits);
  } else {
    return false;
  }
  if (hh > 23 || mm > 59) return false;
  minutes = (neg ? -1 : 1) * (hh * 60 + mm);
  return true;
}

}  // namespace

bool parse_rfc5322_date(std::string_view raw, std::int64_t& epoch_seconds) {
  // Tokens separated by whitespace and ','; comments "(CEST)" dropped; a '-'
  // or '+' inside a token ("01-Jul-2003", "10:52:37+0200") splits it.
  std::vector<std::string_view> tokens;
  const std::size_t n = raw.size();
  for (std::size_t i = 0; i < n && tokens.size() < 64;) {
    char c = raw[i];
    if (c == '(') {
      i = skip_comment(raw, i);
      continue;
    }
    if (is_wsp(c) || c == ',') {
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < n && !is_wsp(raw[end]) && raw[end] != ',' && raw[end] != '(' && raw[end] != '-' &&
           raw[end] != '+') {
      ++end;
    }
    tokens.push_back(raw.substr(i, end - i));
    i = end;
  }

  int month = 0, hour = 0, minute = 0, second = 0, zone = 0;
  bool have_time = false, have_zone = false, numeric_zone = false, pm = false, am = false;
  std::vector<std::string_view> numbers;
  for (std::string_view tok : tokens) {
    // "1-Jul-2003" leaves "-Jul" / "-2003"; a leading sign only means a zone
    // when it follows the time.
    std::string_view bare = tok;
    if (!bare.empty() && bare[0] == '-' && !(have_time && !numeric_zone)) bare.remove_prefix(1);
    while (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
    int z = 0;
    if (all_digits(bare)) {
      numbers.push_back(bare);
    } else if (!have_time && bare.find(':') != std::string_view::npos &&
               bare.find_first_not_of("0123456789:") == std::string_view::npos) {
      if (!parse_time(bare, hour, minute, second)) return false;  // "25:00:00"
      have_time = true;
    } else if (have_time && !numeric_zone && parse_numeric_zone(tok, z)) {
      // Also after a name: "GMT+0200" (some webmailers) means +0200.
      zone = z;
      have_zone = numeric_zone = true;
    } else if (!have_time && month_number(bare) != 0 && bare.size() <= 9) {
      // The last month name before the time wins: "Mar., 13 Jun 2012" is a
      // French weekday (mardi) in front of the real month.
      month = month_number(bare);
    } else if (have_time && iequals(bare, "pm")) {
      pm = true;
    } else if (have_time && iequals(bare, "am")) {
      am = true;
    } else if (have_time && !have_zone && named_zone(bare, z)) {
      zone = z;
      have_zone = true;
    }
    // Anything else is weekday noise ("Tue", "Mi.") or junk.
  }
  if (month == 0 || numbers.size() < 2) return false;

  // Day and year: "1 Jul 2003", "Jul 1 2003" (asctime), "2003 Jul 1".
  std::string_view day_tok = numbers[0], year_tok = numbers[1];
  if (day_tok.size() > 2) std::swap(day_tok, year_tok);
  if (day_tok.size() > 2 || year_tok.size() > 4) return false;
  int day = to_int(day_tok);
  std::int64_t year = to_int(year_tok);
  if (year_tok.size() <= 2) {
    year += year < 50 ? 2000 : 1900;  // RFC 5322 4.3
  } else if (year_tok.size() == 3) {
    year += 1900;
  }
  if (year < 1900 || day < 1 || day > days_in_month(year, month)) return false;
  if (pm && hour < 12) hour += 12;
  if (am && hour == 12) hour = 0;

  epoch_seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                  static_cast<std::int64_t>(zone) * 60;
  return true;
}

}  // namespace ticketd::parser
