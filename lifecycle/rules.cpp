#include "lifecycle/rules.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <cstdint>
#include <utility>

namespace ticketd::lifecycle {

namespace {

// Budgets for one pcre2_match call. A match that runs out of either counts as
// "no match" (so a "not_" condition then holds): the rule engine must never
// stall or fail on a hostile mail, and a pattern that needs more than this on
// ordinary mail is a pattern to rewrite. Measured on a 1 MB body: "(a+)+$"
// gives up after ~1 ms with JIT and ~10 ms without, while "\s+invoice\b" still
// finds a match at the very end (start positions do not use up the budget).
constexpr std::uint32_t kMatchLimit = 100'000;
// Bounds the interpreter's heap frames (nested backtracking points). The JIT
// ignores it and stops at its own 32 KiB stack instead, also "no match".
constexpr std::uint32_t kDepthLimit = 10'000;

struct CodeFree {
  void operator()(pcre2_code* c) const { pcre2_code_free(c); }
};
struct MatchContextFree {
  void operator()(pcre2_match_context* c) const { pcre2_match_context_free(c); }
};
struct MatchDataFree {
  void operator()(pcre2_match_data* d) const { pcre2_match_data_free(d); }
};
using Code = std::unique_ptr<pcre2_code, CodeFree>;

enum class AutoTest { any, kind };

// One condition ready to run; same position as its Condition in the Rule.
struct CompiledCondition {
  Code regex;                           // subject, body, header
  AutoTest auto_test = AutoTest::kind;  // auto_class
  parser::AutoKind auto_kind = parser::AutoKind::none;
};

constexpr std::array<parser::AutoKind, 7> kAutoKinds{
    parser::AutoKind::none,
    parser::AutoKind::delivery_report,
    parser::AutoKind::auto_reply,
    parser::AutoKind::read_receipt,
    parser::AutoKind::feedback_report,
    parser::AutoKind::bulk,
    parser::AutoKind::auto_generated,
};

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

// Bytes of the UTF-8 character starting at text[i]: a lead byte plus the
// continuation bytes that follow it. A stray or truncated byte counts as one
// character, so broken mail still globs.
std::size_t char_len(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  const std::size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  std::size_t n = 1;
  while (n < want && i + n < text.size() &&
         (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80)
    ++n;
  return n;
}

bool is_regex_field(ConditionField f) {
  return f == ConditionField::subject || f == ConditionField::body || f == ConditionField::header;
}

std::string rule_error(const Rule& rule, std::string_view problem) {
  std::string out = rule.source;
  out += ": rule \"";
  out += rule.name;
  out += "\": ";
  out += problem;
  return out;
}

std::string auto_class_choices() {
  std::string out = "any";
  for (parser::AutoKind k : kAutoKinds) {
    out += ", ";
    out += parser::auto_kind_name(k);
  }
  return out;
}

// Compiles one condition, or returns the problem (without the rule prefix).
std::expected<CompiledCondition, std::string> compile_condition(const Condition& c) {
  CompiledCondition out;
  const std::string field(condition_field_name(c.field));
  if (c.field == ConditionField::header && c.header.empty())
    return std::unexpected("header condition without a header name");
  if (c.pattern.empty()) {
    if (c.field == ConditionField::header)
      return std::unexpected("header " + c.header + ": empty pattern");
    return std::unexpected(field + ": empty pattern");
  }

  if (c.field == ConditionField::auto_class) {
    if (iequal(c.pattern, "any")) {
      out.auto_test = AutoTest::any;
      return out;
    }
    for (parser::AutoKind k : kAutoKinds) {
      if (iequal(c.pattern, parser::auto_kind_name(k))) {
        out.auto_kind = k;
        return out;
      }
    }
    return std::unexpected("unknown auto_class \"" + c.pattern + "\" (one of " +
                           auto_class_choices() + ")");
  }
  if (!is_regex_field(c.field)) return out;  // globs need no compiling

  // MATCH_INVALID_UTF: bodies are repaired by the parser, but header values
  // are raw bytes; invalid sequences then simply never match instead of
  // making pcre2_match fail. NEVER_BACKSLASH_C: \C could split a character.
  int error = 0;
  PCRE2_SIZE offset = 0;
  Code code(
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(c.pattern.data()), c.pattern.size(),
                    PCRE2_UTF | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C,
                    &error, &offset, nullptr));
  if (!code) {
    std::array<PCRE2_UCHAR, 256> text{};
    if (pcre2_get_error_message(error, text.data(), text.size()) < 0) text[0] = 0;
    const std::string what = c.field == ConditionField::header ? "header " + c.header : field;
    return std::unexpected(what + " regex \"" + c.pattern +
                           "\": " + reinterpret_cast<const char*>(text.data()) + " at offset " +
                           std::to_string(offset));
  }
  // Without JIT support (or on failure) the interpreter runs the same pattern.
  (void)pcre2_jit_compile(code.get(), PCRE2_JIT_COMPLETE);
  out.regex = std::move(code);
  return out;
}

// True only for a real match; errors, including a hit match or depth limit,
// are "no match".
// PCRE2 takes the context non-const but only reads it, so threads may share it.
bool regex_matches(const pcre2_code* code, pcre2_match_context* context, std::string_view text) {
  // Match data per call keeps evaluate() safe to run from several threads.
  std::unique_ptr<pcre2_match_data, MatchDataFree> data(pcre2_match_data_create(1, nullptr));
  if (!data) return false;
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                             data.get(), context);
  return rc >= 0;
}

std::string_view domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

void add_tag(std::vector<std::string>& tags, const std::string& tag) {
  for (const auto& t : tags)
    if (t == tag) return;
  tags.push_back(tag);
}

// Lists what a rule does, for the audit log, and merges it into `merged`.
std::vector<std::string> apply_actions(const RuleActions& a, RuleActions& merged) {
  std::vector<std::string> did;
  if (a.team) {
    did.push_back("team=" + *a.team);
    merged.team = a.team;
  }
  if (a.assignee) {
    did.push_back("assignee=" + *a.assignee);
    merged.assignee = a.assignee;
  }
  if (a.priority) {
    did.push_back("priority=" + std::string(priority_name(*a.priority)));
    merged.priority = a.priority;
  }
  for (const auto& tag : a.tags) {
    did.push_back("tag=" + tag);
    add_tag(merged.tags, tag);
  }
  if (a.sla) {
    did.push_back("sla=" + *a.sla);
    merged.sla = a.sla;
  }
  if (a.suppress_ack) {
    did.push_back("suppress_ack");
    merged.suppress_ack = true;
  }
  if (a.reject) {
    did.push_back("reject");
    merged.reject = a.reject;
  }
  if (a.spam) {
    did.push_back("spam");
    merged.spam = true;
  }
  return did;
}

}  // namespace

std::string_view condition_field_name(ConditionField f) {
  switch (f) {
    case ConditionField::from:
      return "from";
    case ConditionField::from_domain:
      return "from_domain";
    case ConditionField::to:
      return "to";
    case ConditionField::subject:
      return "subject";
    case ConditionField::body:
      return "body";
    case ConditionField::header:
      return "header";
    case ConditionField::auto_class:
      return "auto_class";
  }
  return "unknown";
}

struct RuleSet::Impl {
  std::vector<Rule> rules;
  std::vector<std::vector<CompiledCondition>> compiled;  // compiled[i][j] is rules[i].conditions[j]
  std::unique_ptr<pcre2_match_context, MatchContextFree> match_context;

  bool holds(const Condition& c, const CompiledCondition& cc, const RuleInput& in) const;
};

bool RuleSet::Impl::holds(const Condition& c, const CompiledCondition& cc,
                          const RuleInput& in) const {
  const parser::Message& msg = *in.message;
  bool hit = false;
  switch (c.field) {
    case ConditionField::from:
      hit = glob_match(c.pattern, msg.from.address);
      break;
    case ConditionField::from_domain:
      hit = glob_match(c.pattern, domain_of(msg.from.address));
      break;
    case ConditionField::to: {
      auto any_of = [&](const std::vector<parser::Address>& list) {
        for (const auto& a : list)
          if (glob_match(c.pattern, a.address)) return true;
        return false;
      };
      hit = any_of(msg.to) || any_of(msg.cc) || any_of(msg.delivered_to) ||
            (!in.mailbox.empty() && glob_match(c.pattern, in.mailbox));
      break;
    }
    case ConditionField::subject:
      hit = regex_matches(cc.regex.get(), match_context.get(), msg.subject);
      break;
    case ConditionField::body:
      hit = regex_matches(cc.regex.get(), match_context.get(), msg.text);
      break;
    case ConditionField::header:
      if (const std::string* value = msg.header(c.header))
        hit = regex_matches(cc.regex.get(), match_context.get(), *value);
      break;
    case ConditionField::auto_class:
      hit = cc.auto_test == AutoTest::any ? msg.auto_kind != parser::AutoKind::none
                                          : msg.auto_kind == cc.auto_kind;
      break;
  }
  return c.negate ? !hit : hit;
}

std::expected<RuleSet, std::string> RuleSet::compile(std::vector<Rule> rules) {
  RuleSet set;
  Impl& impl = *set.impl_;
  impl.compiled.reserve(rules.size());
  for (const Rule& rule : rules) {
    std::vector<CompiledCondition> conditions;
    conditions.reserve(rule.conditions.size());
    for (const Condition& c : rule.conditions) {
      auto cc = compile_condition(c);
      if (!cc) return std::unexpected(rule_error(rule, cc.error()));
      conditions.push_back(std::move(*cc));
    }
    impl.compiled.push_back(std::move(conditions));
  }
  impl.rules = std::move(rules);
  // Matching without the limits is not an option, so no context, no rule set.
  impl.match_context.reset(pcre2_match_context_create(nullptr));
  if (!impl.match_context) return std::unexpected("rules: out of memory for a PCRE2 match context");
  pcre2_set_match_limit(impl.match_context.get(), kMatchLimit);
  pcre2_set_depth_limit(impl.match_context.get(), kDepthLimit);
  return set;
}

RuleSet::RuleSet() : impl_(std::make_unique<Impl>()) {}
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

// Bad or hostile input never throws or fails here: a regex error or limit is
// "no match". Only std::bad_alloc from building the result could escape.
RuleResult RuleSet::evaluate(const RuleInput& input) const {
  RuleResult result;
  if (!impl_ || !input.message) return result;  // moved-from set, or nothing to look at
  for (std::size_t i = 0; i < impl_->rules.size(); ++i) {
    const Rule& rule = impl_->rules[i];
    bool all = true;
    for (std::size_t j = 0; j < rule.conditions.size() && all; ++j)
      all = impl_->holds(rule.conditions[j], impl_->compiled[i][j], input);
    if (!all) continue;
    RuleMatch match{rule.name, apply_actions(rule.actions, result.actions)};
    if (rule.stop) match.did.push_back("stop");
    result.matched.push_back(std::move(match));
    if (rule.stop) break;
  }
  return result;
}

const std::vector<Rule>& RuleSet::rules() const {
  static const std::vector<Rule> kNone;
  return impl_ ? impl_->rules : kNone;
}

// Greedy two-pointer walk: on a mismatch, go back to just after the last '*'
// and let that star swallow one more character. No recursion, so no blow-up;
// worst case is pattern length × text length, and patterns come from the
// config. '*' and '?' step over whole UTF-8 characters; letters fold ASCII
// case only.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos;  // position of the last '*' seen
  std::size_t star_t = 0;                     // text position that star is matched up to
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (p < pattern.size() && pattern[p] == '?') {
      ++p;
      t += char_len(text, t);
    } else if (p < pattern.size() && fold(pattern[p]) == fold(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      star_t += char_len(text, star_t);
      t = star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace ticketd::lifecycle
