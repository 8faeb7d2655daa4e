// ticketd daemon: an outbox row as a mail — the data its template sees, the
// headers that make replies thread (Reply-To with a token, In-Reply-To,
// References), the VERP envelope sender and the attachments it relays. Reads
// the store, writes nothing; the composer turns the result into bytes.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config.h"
#include "store/store.h"
#include "templates/composer.h"
#include "templates/render.h"

namespace ticketd::daemon {

struct BuiltMail {
  templates::OutgoingMail mail;
  std::string envelope_from;            // VERP bounce address of the row
  std::vector<std::string> recipients;  // To + Cc, the SMTP envelope
};

// The default templates: <exe>/../share/ticketd/templates when installed,
// else the source tree's templates/default.
std::string default_templates_dir();

// The default templates with the config's overrides, checked and test-rendered.
// The error names the file and the problem.
std::expected<templates::TemplateSet, std::string> load_templates(const Config& config);

// True for the kinds written to agents (alerts, command errors); the rest go
// to customers, who never see internal notes.
bool agent_facing(std::string_view kind);

// What the row's template sees.
templates::TemplateData template_data(store::Store& store, const Config& config,
                                      const store::OutboxRow& row);

// The whole mail of `row`, rendered; an error (template, missing ticket) names why.
std::expected<BuiltMail, std::string> build_mail(store::Store& store, const Config& config,
                                                 std::string_view secret,
                                                 const templates::TemplateSet& set,
                                                 const store::OutboxRow& row, std::int64_t now);

}  // namespace ticketd::daemon
