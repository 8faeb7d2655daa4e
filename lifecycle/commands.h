// ticketd lifecycle: the commands an agent writes on the first lines of a
// mail ("#assign nick", "#priority high", "#resolve", "#note ..."). Pure
// parsing only: whether the sender may command this ticket, and what the
// commands do, is decided by the engine (engine.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ticketd::lifecycle {

enum class CommandKind { assign, priority, status, resolve, close, note, tag, cc_add, cc_remove };
std::string_view command_name(CommandKind k);  // "assign", ..., "cc add", "cc remove"

struct Command {
  CommandKind kind = CommandKind::note;
  std::string arg;  // assign: agent name/address or team; priority/status: the word; tag: the
                    // tag; cc_*: the address; note/resolve/close: ""
  int line = 0;     // 1-based line in the text
};

struct CommandError {
  int line = 0;
  std::string text;    // the offending line as written (cut to 200 bytes)
  std::string reason;  // "unknown command #asign (did you mean #assign?)", "#priority needs one of
                       // low, normal, high, urgent", ...
};

struct AgentMail {
  std::vector<Command> commands;
  std::vector<CommandError> errors;
  bool is_note = false;  // "#note" was given: the body is internal, never sent to the customer
  std::string body;      // the text after the command lines (leading blank lines dropped)
};

// Reads commands from the top of `new_text` (the agent's reply without quoted
// history). Command lines start with '#' followed by a letter; leading blank
// lines are skipped; the first line that is not a command ends the block
// ("#1 issue is ..." is text, not a command). "#note" may carry the note's
// first words on the same line ("#note called her, fixed"). Values are
// validated for form only: priority ∈ low|normal|high|urgent, status ∈
// pending|resolved|closed, tag = [A-Za-z0-9_.-]{1,64}, cc add|remove <addr-spec>.
// Unknown or malformed commands become errors (and are not applied); at most
// 50 command lines are read.
AgentMail parse_agent_commands(std::string_view new_text);

}  // namespace ticketd::lifecycle
