// ticketd parser: cut the quoted history off a reply. Line based: every
// pattern looks at a bounded window of lines, so the cost is linear in the
// text; the earliest history line found wins.
#include "parser/reply_strip.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::parser {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// An attribution ("On ... wrote:") longer than this is a paragraph, not a header.
constexpr std::size_t kMaxAttribution = 400;
// Gmail wraps long attributions; the "wrote:" may land up to two lines later.
constexpr std::size_t kAttributionLines = 3;
// Outlook's header block: From: then Sent:/To:/Subject: within this many lines.
constexpr std::size_t kHeaderBlockLines = 6;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view ltrim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  // A non-breaking space before ':' (French typography: "a écrit :").
  while (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view trim(std::string_view s) { return rtrim(ltrim(s)); }

bool blank(std::string_view line) { return trim(line).empty(); }

bool quoted(std::string_view line) {
  line = ltrim(line);
  return !line.empty() && line.front() == '>';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (ascii_lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && istarts_with(s.substr(s.size() - suffix.size()), suffix);
}

bool icontains(std::string_view s, std::string_view needle) {
  if (needle.size() > s.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (istarts_with(s.substr(i), needle)) return true;
  }
  return false;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Attribution {
  std::string_view start;  // lower-case prefix of the first line
  std::string_view verb;   // lower-case word that must appear
  std::string_view end;    // lower-case suffix of the last line
};

// "On <date>, <name> wrote:" in the languages our customers write.
constexpr std::array<Attribution, 7> kAttributions = {{
    {"on ", "wrote", "wrote:"},  // Gmail, Apple Mail, Thunderbird
    {"am ", "schrieb", ":"},     // "Am 01.07.2003 um 10:52 schrieb John:"
    {"le ", "crit", ":"},        // "Le 1 juil. 2003 à 10:52, John a écrit :"
    {"el ", "escribi", ":"},     // "El 1 jul 2003, John escribió:"
    {"op ", "schreef", ":"},     // "Op 1 jul. 2003 om 10:52 schreef John:"
    {"il ", "scritto", ":"},     // "Il giorno 1 lug 2003, John ha scritto:"
    {"em ", "escreveu", ":"},    // "Em 1 de jul de 2003, John escreveu:"
}};

// Whether lines[i] starts an attribution that ends within kAttributionLines.
bool attribution_at(const std::vector<std::string_view>& lines, std::size_t i) {
  std::string_view first = ltrim(lines[i]);
  for (const Attribution& a : kAttributions) {
    if (!istarts_with(first, a.start)) continue;
    std::string joined;
    for (std::size_t j = i; j < lines.size() && j < i + kAttributionLines; ++j) {
      std::string_view part = trim(lines[j]);
      if (part.empty() || joined.size() + part.size() >= kMaxAttribution) break;
      if (!joined.empty()) joined += ' ';
      joined.append(part);
      if (iends_with(joined, a.end) && icontains(joined, a.verb) && has_digit(joined)) {
        return true;
      }
    }
  }
  return false;
}

// "-----Original Message-----" and its translations.
bool original_message_at(std::string_view line) {
  line = trim(line);
  if (line.size() < 4 || line.substr(0, 2) != "--") return false;
  while (!line.empty() && (line.front() == '-' || line.front() == ' ')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == '-' || line.back() == ' ')) line.remove_suffix(1);
  static constexpr std::array<std::string_view, 7> kNames = {
      "original message",       "ursprüngliche nachricht", "message d'origine", "mensaje original",
      "oorspronkelijk bericht", "messaggio originale",     "mensagem original"};
  std::string l = lower(line);
  return std::find(kNames.begin(), kNames.end(), l) != kNames.end();
}

// A header-like line of a quoted Outlook block, with its field name lower-cased:
// "From: x" -> "from"; "*Von:* x" (bold rendered by Outlook's plain text) -> "von".
std::string header_name(std::string_view line) {
  line = ltrim(line);
  while (!line.empty() && line.front() == '*') line.remove_prefix(1);
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) return {};
  std::string_view name = rtrim(line.substr(0, colon));
  return lower(name);
}

bool is_any(std::string_view s, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

bool is_from_field(std::string_view name) {
  return is_any(name, {"from", "von", "de", "van", "da"});
}

bool is_date_field(std::string_view name) {
  return is_any(name, {"sent", "date", "gesendet", "datum", "envoyé", "enviado", "verzonden",
                       "inviato", "data"});
}

bool is_to_field(std::string_view name) {
  return is_any(name, {"to", "subject", "an", "betreff", "à", "À", "objet", "para", "asunto", "aan",
                       "onderwerp", "a", "oggetto", "cc"});
}

// Outlook desktop/OWA: "From: ..." followed closely by Sent:/Date: and To:/Subject:.
bool header_block_at(const std::vector<std::string_view>& lines, std::size_t i) {
  if (!is_from_field(header_name(lines[i]))) return false;
  bool date = false, to = false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + kHeaderBlockLines; ++j) {
    std::string name = header_name(lines[j]);
    date = date || is_date_field(name);
    to = to || is_to_field(name);
    if (date && to) return true;
  }
  return false;
}

// "________________________________" (Outlook, OWA) right before a From: line.
bool underscore_separator_at(const std::vector<std::string_view>& lines, std::size_t i) {
  std::string_view line = trim(lines[i]);
  if (line.size() < 20 || line.find_first_not_of('_') != std::string_view::npos) return false;
  for (std::size_t j = i + 1; j < lines.size() && j <= i + 2; ++j) {
    if (blank(lines[j])) continue;
    return is_from_field(header_name(lines[j]));
  }
  return false;
}

// Moves a cut inside a quoted block up to the block's first line, and over an
// attribution line ("John wrote:") directly above it.
std::size_t extend_over_quote(const std::vector<std::string_view>& lines, std::size_t cut) {
  if (!quoted(lines[cut])) return cut;
  std::size_t start = cut;
  while (start > 0 && (quoted(lines[start - 1]) || blank(lines[start - 1]))) --start;
  while (start < cut && blank(lines[start])) ++start;
  std::size_t above = start;
  // One blank line may sit between the attribution and the quote.
  if (above > 0 && blank(lines[above - 1])) --above;
  if (above > 0) {
    std::string_view line = rtrim(lines[above - 1]);
    if (!line.empty() && line.back() == ':' && !quoted(line) && line.size() <= kMaxAttribution) {
      return above - 1;
    }
  }
  return start;
}

std::size_t find_cut(const std::vector<std::string_view>& lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.find(kReplyMarker) != std::string_view::npos || attribution_at(lines, i) ||
        original_message_at(line) || header_block_at(lines, i) ||
        underscore_separator_at(lines, i)) {
      return extend_over_quote(lines, i);
    }
  }
  // A trailing block of "> " lines: a plain-text client quoting below the reply.
  std::size_t last = lines.size();
  while (last > 0 && blank(lines[last - 1])) --last;
  if (last == 0 || !quoted(lines[last - 1])) return kNone;
  return extend_over_quote(lines, last - 1);
}

}  // namespace

std::string strip_quoted_reply(std::string_view text) {
  std::vector<std::string_view> lines;
  std::vector<std::size_t> offsets;
  for (std::size_t pos = 0; pos <= text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    offsets.push_back(pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }

  const std::size_t cut = find_cut(lines);
  const std::size_t stop = cut == kNone ? lines.size() : cut;
  // Leading blank lines go; the first real line keeps its indentation.
  std::size_t first = 0;
  while (first < stop && blank(lines[first])) ++first;
  if (first == stop) return {};  // nothing but history (or nothing at all)
  const std::size_t end = cut == kNone ? text.size() : offsets[cut];
  std::string_view kept = text.substr(offsets[first], end - offsets[first]);
  while (!kept.empty() && is_space(kept.back())) kept.remove_suffix(1);
  return std::string(kept);
}

}  // namespace ticketd::parser
