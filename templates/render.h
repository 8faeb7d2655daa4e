// ticketd templates: the Mustache templates (subject, text body, HTML body per
// outbound mail kind) — loaded, checked and test-rendered at start-up, then
// rendered from a store-independent TemplateData. Pure except for reading the
// template files in load(); it builds no RFC 5322 (the composer does). The
// outbox worker and `ticketd --check-config` call it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ticketd::templates {

// Times below are ISO 8601 UTC ("2026-11-27T14:00:00Z") or "" for none; the
// templates see them as "2026-11-27 14:00 UTC" (see display_time).
struct PersonData {
  std::string name;     // display name, UTF-8, may be empty
  std::string address;  // addr-spec
};

struct EntryData {
  std::string from_name, from_address;
  std::string at;         // ISO 8601 UTC
  std::string direction;  // "in" (from the customer) or "out" (from us)
  std::string text;       // the entry's new text, quoted history already stripped
};

struct TicketData {
  std::string number;  // "TD-1001"
  std::string tag;     // "[#TD-1001]", the subject tag threading looks for; "" → "[#<number>]"
  std::string subject;
  std::string state;     // "new", "open", "pending", "resolved", "closed"
  std::string priority;  // "low", "normal", "high", "urgent"
  std::string team;      // "" when none
  std::string assignee_name;
  std::string first_response_due, resolution_due;  // ISO 8601 UTC or ""
  std::string status_line;                         // "" → status_line(*this) is used
};

// What a template sees ("" is false in a section, so {{#ticket.team}}...{{/ticket.team}}
// means "if set"):
//   ticket.{number,tag,subject,state,priority,team,assignee_name,
//           first_response_due,resolution_due,status_line}
//   requester.{name,address} agent.{name,address} support.{name,address}
//   new_text detail reply_instructions
//   reply_marker   the parser's marker line (parser::kReplyMarker); every text
//                  and HTML part must show it, above the quoted content
//   is_new_ticket has_thread   flags
//   {{#thread}} from_name from_address at direction text inbound {{/thread}}
struct TemplateData {
  TicketData ticket;
  PersonData requester, agent, support;
  std::string new_text;            // the message being answered or relayed
  std::string detail;              // command error, rejection reason, overdue detail
  bool is_new_ticket = false;      // agent_alert: a new ticket (true) or a customer reply
  std::vector<EntryData> thread;   // earlier entries, oldest first; render keeps the last N
  std::string reply_instructions;  // optional extra lines from the config
};

struct RenderedMail {
  std::string subject;  // one line, no CR/LF/controls, never empty
  std::string text;     // plain text, LF line ends
  std::string html;     // HTML, LF line ends, every value escaped
};

struct TemplateError {
  std::string file;     // the template file (path), or the template name in render()
  std::string message;  // "line 3: unknown variable \"ticket.nubmer\"", "missing template file"
  std::string describe() const { return file + ": " + message; }
};

struct TemplateSettings {
  std::size_t thread_entries = 5;  // render keeps the last N thread entries
  // An entry's text is cut (at a UTF-8 boundary, " […]" appended) past this
  // many bytes: a long mail in the history should not bury the new text.
  std::size_t entry_text_bytes = 2000;
};

// The outbound mail kinds, one template (three files) each.
inline constexpr std::string_view kTemplateNames[] = {
    "acknowledgement", "agent_alert", "answer",        "reminder",
    "closure",         "rejection",   "command_error", "overdue_alert",
};

enum class TemplatePart { subject, text, html };

class TemplateSet {
 public:
  // Reads <name>.{subject,text,html}.mustache for every kTemplateNames entry
  // from `default_dir`; a file of the same name in `override_dir` replaces the
  // default one. Fails (naming the file) on a missing or unreadable file, any
  // other entry in either directory, non-UTF-8 text, a Mustache syntax error,
  // an unknown variable, a partial or set-delimiter tag, an unescaped tag
  // ({{{x}}}, {{&x}}) in an HTML part, markup in a subject/text part, or when a
  // test render with awkward sample data gives an empty or multi-line
  // subject, or a text/HTML part without the reply marker.
  static std::expected<TemplateSet, TemplateError> load(
      const std::string& default_dir, const std::optional<std::string>& override_dir,
      const TemplateSettings& settings = {});

  // Checks and stores templates given as text: `files` maps file names
  // ("acknowledgement.text.mustache") to sources; all 24 must be present.
  // load() reads the files and calls this; tests call it directly.
  static std::expected<TemplateSet, TemplateError> from_sources(
      const std::map<std::string, std::string>& files, const TemplateSettings& settings = {});

  // Renders template `name`. Subject: values have CR/LF/control runs replaced
  // by one space, no escaping, trimmed. Text: no escaping, LF line ends, at
  // most one blank line in a row, none leading. HTML: every value escaped, its
  // line breaks as <br>. Fails only for an unknown name or an empty subject.
  std::expected<RenderedMail, TemplateError> render(std::string_view name,
                                                    const TemplateData& data) const;

  std::vector<std::string> names() const;  // sorted

 private:
  struct Part {
    std::string file;  // for errors
    std::string source;
  };
  struct Template {
    Part subject, text, html;
  };
  static std::expected<TemplateSet, TemplateError> build(const std::map<std::string, Part>& parts,
                                                         const TemplateSettings& settings);
  std::optional<TemplateError> test_render(const Template& t) const;

  std::map<std::string, Template, std::less<>> templates_;
  TemplateSettings settings_;
};

// "<name>.<part>.mustache"
std::string template_file_name(std::string_view name, TemplatePart part);

// Checks one template source's tags: balanced sections, known variable names
// only (entry fields inside {{#thread}}), no partials, no set delimiters; for
// HTML no {{{x}}}/{{&x}}; for text no markup ("<p", "</b", "&amp;") in the
// literal text. Returns the problem ("line 4: unknown variable \"x\"") or
// nullopt. Mustache syntax proper is also checked by the engine in load().
std::optional<std::string> check_template_source(std::string_view source, TemplatePart kind);

// The variable names a template may use outside / inside {{#thread}}.
std::vector<std::string> known_variables();
std::vector<std::string> thread_entry_variables();

// The status line: "TD-1001 · open · priority high · team it · assigned to
// Nick Moss · first response due 2026-11-27 14:00 UTC"; empty parts left out,
// "unassigned" when nobody is.
std::string status_line(const TicketData& ticket);

// "2026-11-27T14:00:00Z" (seconds and fraction optional, "+00:00" accepted) →
// "2026-11-27 14:00 UTC"; anything else is returned unchanged.
std::string display_time(std::string_view iso);

// Seconds since the epoch → "2026-11-27T14:00:00Z".
std::string iso8601_utc(std::int64_t epoch_seconds);

// The data load() test-renders every template with: awkward values (markup,
// '&', quotes, CR/LF, non-ASCII) when `full`, else every optional field empty.
TemplateData sample_template_data(bool full);

}  // namespace ticketd::templates
