#include "daemon/outbound.h"

#include <algorithm>
#include <filesystem>

#include "daemon/apply.h"
#include "daemon/ingest.h"
#include "daemon/render.h"
#include "daemon/verp.h"
#include "lifecycle/commands.h"

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

// "Tucker, Cliff" → "Cliff Tucker": how Outlook directories write names is
// not how a greeting reads.
std::string greeting_name(std::string name) {
  const auto comma = name.find(',');
  if (comma == std::string::npos || name.find(',', comma + 1) != std::string::npos) return name;
  std::string last = name.substr(0, comma), first = name.substr(comma + 1);
  auto trim = [](std::string& x) {
    x.erase(0, x.find_first_not_of(' '));
    x.erase(x.find_last_not_of(' ') + 1);
  };
  trim(last);
  trim(first);
  if (last.empty() || first.empty()) return name;
  return first + " " + last;
}

// What a customer may see of an entry: an agent's mail without its command
// lines (they can name agents and addresses); nothing of an internal note.
std::optional<std::string> visible_text(const store::ThreadEntry& e, bool for_agent) {
  const std::string& text = e.new_text.empty() ? e.text : e.new_text;
  if (for_agent || e.kind != "agent") return text;
  lifecycle::AgentMail m = lifecycle::parse_agent_commands(text);
  if (m.is_note) return std::nullopt;
  return m.body;
}

// The earlier entries a mail shows: customers never see notes or system mail.
std::vector<templates::EntryData> thread_data(const std::vector<store::ThreadEntry>& thread,
                                              const store::OutboxRow& row, bool for_agent) {
  std::vector<templates::EntryData> out;
  for (const auto& e : thread) {
    if (row.source_message && e.id >= *row.source_message) break;
    if (e.kind == "system" || (e.kind == "note" && !for_agent)) continue;
    auto text = visible_text(e, for_agent);
    if (!text) continue;
    out.push_back(
        {e.from.name, e.from.address, templates::iso8601_utc(e.at), e.direction, std::move(*text)});
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

// In-Reply-To and References. A customer's mail answers their latest mail
// (never an agent's, which they did not see) and cites the thread's customer
// mails (first and last few); an agent's answers the mail that caused it.
void thread_headers(store::Store& store, const store::TicketRow* t, const store::OutboxRow& row,
                    templates::OutgoingMail& m) {
  std::vector<std::string> ids;
  std::string reply_to_id = row.in_reply_to;
  if (t) {
    for (const auto& e : store.thread(t->id)) {
      if (row.source_message && e.id > *row.source_message) break;
      if (e.kind != "customer" || !writable_id(e.message_id)) continue;
      ids.push_back(e.message_id);
    }
    if (!agent_facing(row.kind) && !ids.empty()) reply_to_id = ids.back();
  }
  if (writable_id(reply_to_id)) m.in_reply_to = reply_to_id;
  constexpr std::size_t kMaxRefs = 10;
  if (ids.size() > kMaxRefs) ids.erase(ids.begin() + 1, ids.end() - (kMaxRefs - 1));
  if (!m.in_reply_to.empty() && std::find(ids.begin(), ids.end(), m.in_reply_to) == ids.end())
    ids.push_back(m.in_reply_to);
  m.references = std::move(ids);
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

TemplateData template_data(store::Store& store, const Config& config, const store::OutboxRow& row) {
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
    d.requester = {greeting_name(t->requester.name), t->requester.address};
    d.thread = thread_data(store.thread(t->id), row, agent_facing(row.kind));
    if (!t->assignee.empty()) d.agent = {name_of(config, &*t, t->assignee), t->assignee};
  }
  if (agent_facing(row.kind) && !row.to.empty() && config.directory.agent(row.to.front()))
    d.agent = {name_of(config, t ? &*t : nullptr, row.to.front()), row.to.front()};
  if (source) {
    d.new_text = source->new_text.empty() ? source->text : source->new_text;
    if (row.kind == "answer") {
      d.agent = {source->from.name, source->from.address};
      // The relayed text: commands taken out (the row keeps it so; a preview
      // takes them out here).
      d.new_text =
          row.detail.empty() ? lifecycle::parse_agent_commands(d.new_text).body : row.detail;
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
  if (t && m.subject.find(data.ticket.tag) == std::string::npos) m.subject += " " + data.ticket.tag;
  m.message_id = row.message_id;
  thread_headers(store, t ? &*t : nullptr, row, m);
  m.date = now;
  m.auto_submitted = auto_submitted(row.kind);
  m.text = rendered->text;
  m.html = rendered->html;
  if (t) m.extra_headers.push_back({"X-Ticketd-Ticket", t->number});
  if (!m.auto_submitted.empty()) m.extra_headers.push_back({"X-Auto-Response-Suppress", "All"});
  // An agent's answer and a customer's reply forwarded to the agent keep their attachments.
  if (row.source_message && (row.kind == "answer" || row.kind == "agent_alert")) {
    auto atts = store.attachments_with_data(*row.source_message);
    if (!atts) return std::unexpected(atts.error());
    for (auto& a : *atts)
      if (!a.dropped) m.attachments.push_back({a.filename, a.content_type, std::move(a.data)});
  }
  b.envelope_from = verp_address(config.support.address, secret, row.id);
  b.recipients = row.to;
  b.recipients.insert(b.recipients.end(), row.cc.begin(), row.cc.end());
  return b;
}

}  // namespace ticketd::daemon
