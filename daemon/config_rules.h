// ticketd daemon: the help-desk part of the config — [[agent]], [[team]],
// [[rule]] and [sla.<priority>] — read into the lifecycle's Directory, Rule
// list and settings. Errors read "file:line: key: problem" like the rest.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "daemon/config.h"

namespace ticketd::daemon {

bool is_people_or_rules_table(std::string_view table);

// Fills c.mailboxes from [[mailbox]]. Throws ConfigError.
void load_mailboxes(const toml::table& root, const std::string& path, Config& c);

// Fills c.directory, c.mailboxes, c.rules (compiled), c.lifecycle.sla and the guard's own
// addresses. Throws ConfigError.
void load_people_and_rules(const toml::table& root, const std::string& path, Config& c);

}  // namespace ticketd::daemon
