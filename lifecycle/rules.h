// ticketd lifecycle: ordered, explainable routing rules. Each rule has
// conditions (all must hold) and actions; `stop` ends matching. Compiled once
// at start-up (regexes via PCRE2 with match limits, so a hostile body cannot
// make matching blow up), then evaluated purely against a parsed mail.
// The daemon's config builds the Rule list from [[rule]] tables.
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/ticket.h"
#include "parser/message.h"

namespace ticketd::lifecycle {

enum class ConditionField {
  from,         // sender address, glob ("*@example.com", "karen.*@*"), case-insensitive
  from_domain,  // domain of the sender, glob ("*.example.com", "example.com")
  to,           // which support address / mailbox it came to: glob over every To/Cc/Delivered-To
                // address and the mailbox name the caller passes
  subject,      // regex over the decoded subject
  body,         // regex over the message text (Message::text)
  header,       // regex over the (unfolded) value of the header named in Condition::header;
                // a missing header never matches
  auto_class,   // the parser's AutoKind name ("delivery_report", "bulk", ...), "any" (any
                // automatic mail) or "none" (written by a person)
};
std::string_view condition_field_name(ConditionField f);

struct Condition {
  ConditionField field = ConditionField::subject;
  std::string header;  // for ConditionField::header
  std::string
      pattern;  // glob or regex as above; regexes are case-insensitive unless they set (?-i)
  bool negate = false;  // "not": holds when the pattern does NOT match
};

struct RuleActions {
  std::optional<std::string> team;
  std::optional<std::string> assignee;  // agent address
  std::optional<Priority> priority;
  std::vector<std::string> tags;
  std::optional<std::string> sla;     // a priority name whose SLA times to use
  bool suppress_ack = false;          // no acknowledgement to the sender
  std::optional<std::string> reject;  // reject with this notice text (ticket not opened)
  bool spam = false;                  // drop into the quarantine as spam
};

struct Rule {
  std::string name;
  std::vector<Condition> conditions;  // all must hold; an empty list always holds
  RuleActions actions;
  bool stop = false;
  std::string source;  // "ticketd.toml:42", for error messages
};

struct RuleMatch {
  std::string rule;              // its name
  std::vector<std::string> did;  // "team=accounts", "priority=urgent", "tag=login", "stop", ...
};

struct RuleResult {
  std::vector<RuleMatch> matched;  // in order
  RuleActions actions;             // merged: later matches override scalar fields, tags accumulate
                                   // (deduplicated, in order), booleans OR-ed
};

// The input a rule looks at.
struct RuleInput {
  const parser::Message* message = nullptr;
  std::string mailbox;  // name of the mailbox / support address it arrived on ("" if unknown)
};

class RuleSet {
 public:
  // Compiles every pattern. Errors read "<source>: rule \"<name>\": <problem>"
  // (bad regex with PCRE2's message and offset, empty pattern, header
  // condition without a header name, unknown auto_class). Team and agent
  // names are checked by the caller against its directory.
  static std::expected<RuleSet, std::string> compile(std::vector<Rule> rules);

  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  RuleResult evaluate(const RuleInput& input) const;
  const std::vector<Rule>& rules() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Case-insensitive glob: '*' any run, '?' one character; linear time.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace ticketd::lifecycle
