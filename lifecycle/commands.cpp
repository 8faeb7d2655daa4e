// ticketd lifecycle: agent commands (commands.h). Pure: reads the text,
// returns commands, errors and the body; no I/O, no logging, never throws.
//
// Choices the engine and the agents can rely on:
// - Blank lines between command lines do not end the block; the first line
//   that is neither blank nor a command does.
// - Command words are case-insensitive; priority and status words are stored
//   lower-case, cc addresses lower-case, tags and assign arguments as written.
// - "#note" may appear anywhere in the block. Text after it on the same line
//   is the first line of the body; later command lines are still read.
// - Past 50 command lines the rest of the block is not read (one error says
//   so) but still kept out of the body, and a "#note" there is still honoured:
//   relaying text the agent meant as internal is the worse mistake.
#include "lifecycle/commands.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ticketd::lifecycle {

namespace {

constexpr int kMaxCommandLines = 50;
constexpr std::size_t kMaxErrorText = 200;
constexpr std::size_t kMaxTagLength = 64;

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_blank(std::string_view s) { return trim(s).empty(); }

// Splits off the first whitespace-separated word; `rest` is trimmed.
std::pair<std::string_view, std::string_view> split_word(std::string_view s) {
  s = trim(s);
  std::size_t i = 0;
  while (i < s.size() && !is_space(s[i])) ++i;
  return {s.substr(0, i), trim(s.substr(i))};
}

// Cut to `max` bytes without splitting a UTF-8 sequence.
std::string cut_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

// The command words, in the order a suggestion prefers on a tie.
constexpr std::array<std::string_view, 8> kWords{"assign", "priority", "status", "resolve",
                                                 "close",  "note",     "tag",    "cc"};

// Optimal string alignment distance (Levenshtein plus adjacent transposition,
// so "#stauts" is one edit from "#status"). Inputs are short: the caller only
// asks for words of a plausible length.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

// The closest command word within two edits, or "" when none is close. A word
// must also differ from the suggestion in fewer places than it has letters, so
// "#hi" does not suggest "#cc".
std::string_view suggest(std::string_view word_lower) {
  if (word_lower.size() > 16) return {};
  std::string_view best;
  std::size_t best_distance = 3;
  for (std::string_view w : kWords) {
    const std::size_t dist = edit_distance(word_lower, w);
    if (dist < best_distance && dist < w.size()) {
      best = w;
      best_distance = dist;
    }
  }
  return best;
}

bool valid_tag(std::string_view t) {
  if (t.empty() || t.size() > kMaxTagLength) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
  });
}

// local@domain, both sides non-empty, one '@', nothing that would split or
// smuggle a header (whitespace, control characters, <>, list separators).
bool valid_address(std::string_view a) {
  const std::size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(a.begin(), a.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"';
  });
}

// What one command line became.
struct LineResult {
  std::optional<Command> command;
  std::optional<std::string> error;  // the reason
  bool note = false;
  std::string note_text;  // text after "#note" on the same line
};

LineResult parse_line(std::string_view line) {
  LineResult r;
  auto [hash_word, rest] = split_word(line);
  const std::string_view word = hash_word.substr(1);  // after '#'
  const std::string name = lower(word);
  auto make = [&](CommandKind k, std::string arg) {
    r.command = Command{k, std::move(arg), 0};
    return r;
  };
  auto fail = [&](std::string reason) {
    r.error = std::move(reason);
    return r;
  };

  if (name == "note") {
    r.note = true;
    r.note_text = std::string(rest);
    return make(CommandKind::note, "");
  }
  if (name == "assign") {
    if (rest.empty()) return fail("#assign needs an agent (name or address) or a team");
    return make(CommandKind::assign, std::string(rest));
  }
  if (name == "priority") {
    auto [value, extra] = split_word(rest);
    const std::string v = lower(value);
    if (!extra.empty() || (v != "low" && v != "normal" && v != "high" && v != "urgent"))
      return fail("#priority needs one of low, normal, high, urgent");
    return make(CommandKind::priority, v);
  }
  if (name == "status") {
    auto [value, extra] = split_word(rest);
    const std::string v = lower(value);
    if (extra.empty() && v == "open")
      return fail("#status open is not a command: a ticket reopens when you answer it");
    if (!extra.empty() || (v != "pending" && v != "resolved" && v != "closed"))
      return fail("#status needs one of pending, resolved, closed");
    return make(CommandKind::status, v);
  }
  if (name == "resolve" || name == "close") {
    if (!rest.empty()) return fail("#" + name + " takes no argument");
    return make(name == "resolve" ? CommandKind::resolve : CommandKind::close, "");
  }
  if (name == "tag") {
    auto [value, extra] = split_word(rest);
    if (value.empty()) return fail("#tag needs a tag");
    if (!extra.empty()) return fail("#tag takes one tag; write one #tag line per tag");
    if (!valid_tag(value)) return fail("#tag needs letters, digits, '_', '.' or '-' (at most 64)");
    return make(CommandKind::tag, std::string(value));
  }
  if (name == "cc") {
    auto [sub, tail] = split_word(rest);
    const std::string s = lower(sub);
    if (s != "add" && s != "remove")
      return fail("#cc needs add or remove and one address (#cc add name@example.com)");
    auto [address, extra] = split_word(tail);
    // Some clients turn a typed address into "<x@y>"; the brackets are not part of it.
    if (address.size() > 2 && address.front() == '<' && address.back() == '>')
      address = address.substr(1, address.size() - 2);
    if (address.empty()) return fail("#cc " + s + " needs an address");
    if (!extra.empty()) return fail("#cc " + s + " takes one address; write one #cc line each");
    if (!valid_address(address))
      return fail("#cc " + s + " needs an address like name@example.com");
    return make(s == "add" ? CommandKind::cc_add : CommandKind::cc_remove, lower(address));
  }
  std::string reason = "unknown command #" + cut_utf8(word, 40);
  if (std::string_view s = suggest(name); !s.empty())
    reason += " (did you mean #" + std::string(s) + "?)";
  return fail(std::move(reason));
}

// A command line: optional horizontal white space, '#', an ASCII letter.
bool is_command_line(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i + 1 < line.size() && line[i] == '#' && is_alpha(line[i + 1]);
}

}  // namespace

std::string_view command_name(CommandKind k) {
  switch (k) {
    case CommandKind::assign:
      return "assign";
    case CommandKind::priority:
      return "priority";
    case CommandKind::status:
      return "status";
    case CommandKind::resolve:
      return "resolve";
    case CommandKind::close:
      return "close";
    case CommandKind::note:
      return "note";
    case CommandKind::tag:
      return "tag";
    case CommandKind::cc_add:
      return "cc add";
    case CommandKind::cc_remove:
      return "cc remove";
  }
  return "unknown";
}

AgentMail parse_agent_commands(std::string_view text) {
  AgentMail mail;
  std::vector<std::string> note_texts;
  int command_lines = 0;
  bool capped = false;
  bool last_command_had_note_text = false;
  std::size_t pos = 0;         // start of the line being looked at
  std::size_t after_last = 0;  // end of the last command line (after its LF)
  int line_no = 0;

  while (pos < text.size()) {
    const std::size_t lf = text.find('\n', pos);
    const std::size_t end = lf == std::string_view::npos ? text.size() : lf;
    const std::size_t next = lf == std::string_view::npos ? text.size() : lf + 1;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;

    if (is_blank(line)) {
      pos = next;
      continue;
    }
    if (!is_command_line(line)) break;

    ++command_lines;
    LineResult r;
    if (command_lines <= kMaxCommandLines) {
      r = parse_line(line);
    } else {
      if (!capped) {
        capped = true;
        mail.errors.push_back({line_no, cut_utf8(line, kMaxErrorText),
                               "more than 50 command lines: this line and the command lines "
                               "after it were not read"});
      }
      if (auto [w, rest] = split_word(line); lower(w) == "#note") {
        r.note = true;
        r.note_text = std::string(rest);
      }
    }
    if (r.command) {
      r.command->line = line_no;
      mail.commands.push_back(std::move(*r.command));
    } else if (r.error) {
      mail.errors.push_back({line_no, cut_utf8(line, kMaxErrorText), std::move(*r.error)});
    }
    if (r.note) mail.is_note = true;
    last_command_had_note_text = !r.note_text.empty();
    if (last_command_had_note_text) note_texts.push_back(std::move(r.note_text));
    pos = next;
    after_last = next;
  }

  // The body: note texts first, then the text after the block. When the block
  // ends with "#note <text>", the lines after it continue that text as
  // written (blank lines included); otherwise leading blank lines are dropped.
  std::string_view rest = text.substr(last_command_had_note_text ? after_last : pos);
  for (const std::string& t : note_texts) {
    if (!mail.body.empty()) mail.body += '\n';
    mail.body += t;
  }
  if (last_command_had_note_text) {
    if (!rest.empty() && !is_blank(rest)) mail.body += "\n" + std::string(rest);
  } else if (!rest.empty()) {
    if (!mail.body.empty()) mail.body += '\n';
    mail.body += rest;
  }
  return mail;
}

}  // namespace ticketd::lifecycle
