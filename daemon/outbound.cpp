#include "daemon/outbound.h"

#include <algorithm>
#include <filesystem>

#include "daemon/apply.h"
#include "daemon/ingest.h"
#include "daemon/render.h"
#include "daemon/verp.h"

namespace ticketd::daemon {

namespace {

using templates::MailAddress;
using templates::TemplateData;

std::string domain_of(std::string_view address) {
  return std::string(address.substr(address.find('@') + 1));
}

std::string plus_address(const Config& c, std::string_view token) {
  const std::string& a = c.support.address;
  return a.substr(0, a.find('@')) + "+" + std::string(token) + "@" + domain_of(a);
}

std::string iso_or_empty(const std::optional<std::int64_t>& t) {
  return t ? templates::iso8601_utc(*t) : std::string();
}

templates::TicketData ticket_data(const Config& c, const store::TicketRow& t) {
  templates::TicketData d;
  d.number = t.number;
  d.tag = ticket_tag(t.number);
  d.subject = t.subject;
  d.state = t.state;
  d.priority = t.priority;
  d.team = t.team;
  if (!t.assignee.empty()) {
    const lifecycle::Agent* a = c.directory.agent(t.assignee);
    d.assignee_name = a ? a->name : t.assignee;
  }
  d.first_response_due = t.first_response_at ? "" : iso_or_empty(t.first_response_due);
  d.resolution_due = iso_or_empty(t.resolution_due);
  return d;
}

// A person's display name: the directory for agents, the ticket's people for the rest.
std::string name_of(const Config& c, const store::TicketRow* t, std::string_view address) {
  if (const lifecycle::Agent* a = c.directory.agent(address)) return a->name;
  if (!t) return {};
  if (store::lower_address(t->requester.address) == address) return t->requester.name;
  for (const auto& p : t->collaborators)
    if (store::lower_address(p.address) == address) return p.name;
  return {};
}

// The earlier entries a mail shows: customers never see notes or system mail.
std::vector<templates::EntryData> thread_data(const std::vector<store::ThreadEntry>& thread,
                                              const store::OutboxRow& row, bool for_agent) {
  std::vector<templates::EntryData> out;
  for (const auto& e : thread) {
    if (row.source_message && e.id >= *row.source_message) break;
    if (e.kind == "system" || (e.kind == "note" && !for_agent)) continue;
    out.push_back({e.from.name, e.from.address, templates::iso8601_utc(e.at), e.direction,
                   e.new_text.empty() ? e.text : e.new_text});
  }
  return out;
}

// A Message-ID we can write back into In-Reply-To/References: the parser keeps
// whatever a sender wrote, and one bad id must not stop the mail.
bool writable_id(std::string_view id) {
  if (id.empty() || id.size() > 250) return false;
  for (unsigned char c : id)
    if (c <= 32 || c >= 127 || c == '<' || c == '>') return false;
  return true;
}

std::string auto_submitted(std::string_view kind) {
  if (kind == "answer") return "";  // a person wrote it
  if (kind == "acknowledgement") return "auto-replied";
  return "auto-generated";
}

// Reply-To: the ticket's token for customers; an agent's own token when the
// mail goes to one agent (their commands count on it). A mail to several
// agents carries none: each agent's reply threads by In-Reply-To, which is
// their own path too.
std::optional<MailAddress> reply_to(const Config& c, std::string_view secret,
                                    const store::TicketRow* t, const store::OutboxRow& row) {
  if (!t) return std::nullopt;
  if (!agent_facing(row.kind)) return MailAddress{c.support.name, plus_address(c, t->token)};
  std::vector<std::string> all = row.to;
  all.insert(all.end(), row.cc.begin(), row.cc.end());
  if (all.size() != 1 || !c.directory.agent(all.front())) return std::nullopt;
  return MailAddress{c.support.name, plus_address(c, agent_token(secret, t->number, all.front()))};
}

}  // namespace

std::string default_templates_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share/ticketd/templates";
    if (std::filesystem::is_directory(installed, ec)) return installed.string();
  }
  return TICKETD_DEFAULT_TEMPLATES;
}

std::expected<templates::TemplateSet, std::string> load_templates(const Config& config) {
  templates::TemplateSettings settings;
  settings.thread_entries = static_cast<std::size_t>(config.templates.thread_entries);
  std::optional<std::string> overrides;
  if (!config.templates.dir.empty()) overrides = config.templates.dir;
  auto set = templates::TemplateSet::load(default_templates_dir(), overrides, settings);
  if (!set) return std::unexpected(set.error().describe());
  return std::move(*set);
}

bool agent_facing(std::string_view kind) {
  return kind == "agent_alert" || kind == "command_error" || kind == "overdue_alert";
}

TemplateData template_data(store::Store& store, const Config& config,
                           const store::OutboxRow& row) {
  TemplateData d;
  d.support = {config.support.name, config.support.address};
  d.detail = row.detail;
  d.is_new_ticket = row.kind == "agent_alert" && row.detail.starts_with("new ticket");
  std::optional<store::TicketRow> t;
  if (row.ticket_id) t = store.ticket_by_id(*row.ticket_id);
  std::optional<store::ThreadEntry> source;
  if (row.source_message) source = store.message(*row.source_message);
  if (t) {
    d.ticket = ticket_data(config, *t);
    d.requester = {t->requester.name, t->requester.address};
    d.thread = thread_data(store.thread(t->id), row, agent_facing(row.kind));
    if (!t->assignee.empty()) d.agent = {name_of(config, &*t, t->assignee), t->assignee};
  }
  if (agent_facing(row.kind) && !row.to.empty() && config.directory.agent(row.to.front()))
    d.agent = {name_of(config, t ? &*t : nullptr, row.to.front()), row.to.front()};
  if (source) {
    d.new_text = source->new_text.empty() ? source->text : source->new_text;
    if (row.kind == "answer") {
      d.agent = {source->from.name, source->from.address};
      if (!row.detail.empty()) d.new_text = row.detail;  // commands taken out
      d.detail.clear();
    }
  }
  return d;
}

std::expected<BuiltMail, std::string> build_mail(store::Store& store, const Config& config,
                                                 std::string_view secret,
                                                 const templates::TemplateSet& set,
                                                 const store::OutboxRow& row, std::int64_t now) {
  std::optional<store::TicketRow> t;
  if (row.ticket_id && !(t = store.ticket_by_id(*row.ticket_id)))
    return std::unexpected("ticket row " + std::to_string(*row.ticket_id) + " is missing");
  const TemplateData data = template_data(store, config, row);
  auto rendered = set.render(row.template_name, data);
  if (!rendered) return std::unexpected("template " + rendered.error().describe());

  BuiltMail b;
  templates::OutgoingMail& m = b.mail;
  m.from = {config.support.name, config.support.address};
  if (row.kind == "answer" && !data.agent.name.empty())
    m.from.name = data.agent.name + " (" + config.support.name + ")";
  m.reply_to = reply_to(config, secret, t ? &*t : nullptr, row);
  const store::TicketRow* tp = t ? &*t : nullptr;
  for (const auto& a : row.to) m.to.push_back({name_of(config, tp, a), a});
  for (const auto& a : row.cc) m.cc.push_back({name_of(config, tp, a), a});
  m.subject = rendered->subject;
  if (t && m.subject.find(data.ticket.tag) == std::string::npos)
    m.subject += " " + data.ticket.tag;
  m.message_id = row.message_id;
  if (writable_id(row.in_reply_to)) m.in_reply_to = row.in_reply_to;
  if (t) {
    auto thread = store.thread(t->id);
    if (!thread.empty() && writable_id(thread.front().message_id))
      m.references.push_back(thread.front().message_id);
  }
  if (!m.in_reply_to.empty() &&
      std::find(m.references.begin(), m.references.end(), row.in_reply_to) == m.references.end())
    m.references.push_back(row.in_reply_to);
  m.date = now;
  m.auto_submitted = auto_submitted(row.kind);
  m.text = rendered->text;
  m.html = rendered->html;
  if (t) m.extra_headers.push_back({"X-Ticketd-Ticket", t->number});
  if (!m.auto_submitted.empty()) m.extra_headers.push_back({"X-Auto-Response-Suppress", "All"});
  // An agent's answer and a customer's reply forwarded to the agent keep their attachments.
  if (row.source_message && (row.kind == "answer" || row.kind == "agent_alert"))
    for (auto& a : store.attachments_with_data(*row.source_message))
      if (!a.dropped) m.attachments.push_back({a.filename, a.content_type, std::move(a.data)});
  b.envelope_from = verp_address(config.support.address, secret, row.id);
  b.recipients = row.to;
  b.recipients.insert(b.recipients.end(), row.cc.begin(), row.cc.end());
  return b;
}

}  // namespace ticketd::daemon
