#include "daemon/render.h"

#include <ctime>

namespace ticketd::daemon {

using nlohmann::json;

std::string iso_utc(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string ticket_tag(std::string_view number) { return "[#" + std::string(number) + "]"; }

static json person(std::string_view name, std::string_view address) {
  return json{{"name", name}, {"address", address}};
}

static json addresses(const std::vector<parser::Address>& list) {
  json a = json::array();
  for (const auto& x : list) a.push_back(person(x.name, x.address));
  return a;
}

json message_json(const parser::Message& m) {
  json j;
  j["from"] = m.from.address.empty() && m.from.name.empty() ? json(nullptr)
                                                            : person(m.from.name, m.from.address);
  j["to"] = addresses(m.to);
  j["cc"] = addresses(m.cc);
  j["reply_to"] = addresses(m.reply_to);
  j["subject"] = m.subject;
  j["message_id"] = m.keys.message_id.empty() ? json(nullptr) : json(m.keys.message_id);
  j["in_reply_to"] = m.keys.in_reply_to.empty() ? json(nullptr) : json(m.keys.in_reply_to);
  j["references"] = m.keys.references;
  j["date"] = m.date ? json(iso_utc(*m.date)) : json(nullptr);
  j["text"] = m.text;
  j["new_text"] = m.new_text;
  j["html"] = m.html ? json(*m.html) : json(nullptr);
  json atts = json::array();
  for (const auto& a : m.attachments) {
    atts.push_back({{"filename", a.filename},
                    {"content_type", a.content_type},
                    {"size", a.size},
                    {"content_id", a.content_id.empty() ? json(nullptr) : json(a.content_id)},
                    {"inline", a.inline_part},
                    {"sha256", a.sha256}});
    if (a.dropped) atts.back()["dropped"] = true;
  }
  j["attachments"] = std::move(atts);
  if (m.auto_kind == parser::AutoKind::none) {
    j["auto"] = nullptr;
  } else {
    json evidence = json::array();
    for (const auto& e : m.auto_evidence)
      evidence.push_back({{"kind", parser::evidence_kind_name(e.kind)}, {"detail", e.detail}});
    j["auto"] = {{"class", parser::auto_kind_name(m.auto_kind)}, {"evidence", std::move(evidence)}};
  }
  j["subject_tag"] = m.keys.subject_tag ? json(*m.keys.subject_tag) : json(nullptr);
  j["plus_tokens"] = m.keys.plus_tokens;
  j["bounced_message_ids"] = m.bounced_message_ids;
  json defects = json::array();
  for (const auto& d : m.defects)
    defects.push_back({{"kind", parser::defect_name(d.kind)}, {"detail", d.detail}});
  j["defects"] = std::move(defects);
  return j;
}

static json opt_time(const std::optional<std::int64_t>& t) {
  return t ? json(iso_utc(*t)) : json(nullptr);
}

json ticket_json(const store::TicketRow& t) {
  json collaborators = json::array();
  for (const auto& c : t.collaborators) collaborators.push_back(person(c.name, c.address));
  return json{{"number", t.number},
              {"tag", ticket_tag(t.number)},
              {"subject", t.subject},
              {"state", t.state},
              {"priority", t.priority},
              {"team", t.team.empty() ? json(nullptr) : json(t.team)},
              {"assignee", t.assignee.empty() ? json(nullptr) : json(t.assignee)},
              {"tags", t.tags},
              {"requester", person(t.requester.name, t.requester.address)},
              {"collaborators", std::move(collaborators)},
              {"messages", t.messages},
              {"created_at", iso_utc(t.created_at)},
              {"updated_at", iso_utc(t.updated_at)},
              {"first_response_at", opt_time(t.first_response_at)},
              {"first_response_due", opt_time(t.first_response_due)},
              {"resolution_due", opt_time(t.resolution_due)},
              {"follows", t.linked_ticket ? json(*t.linked_ticket) : json(nullptr)}};
}

json outbox_json(const store::OutboxRow& r) {
  return json{{"id", r.id},
              {"kind", r.kind},
              {"template", r.template_name},
              {"message_id", r.message_id},
              {"in_reply_to", r.in_reply_to.empty() ? json(nullptr) : json(r.in_reply_to)},
              {"to", r.to},
              {"cc", r.cc},
              {"state", r.state},
              {"created_at", iso_utc(r.created_at)},
              {"attempts", r.attempts},
              {"next_attempt_at", r.next_attempt_at ? json(iso_utc(*r.next_attempt_at)) : json()},
              {"sent_at", r.sent_at ? json(iso_utc(*r.sent_at)) : json()},
              {"last_error", r.last_error.empty() ? json() : json(r.last_error)},
              {"detail", r.detail}};
}

json ticket_detail_json(store::Store& s, const store::TicketRow& t) {
  json j = ticket_json(t);
  json thread = json::array();
  for (const auto& e : s.thread(t.id)) {
    json atts = json::array();
    for (const auto& a : e.attachments)
      atts.push_back({{"filename", a.filename},
                      {"content_type", a.content_type},
                      {"size", a.size},
                      {"sha256", a.sha256},
                      {"inline", a.inline_part}});
    thread.push_back({{"message_id", e.message_id.empty() ? json(nullptr) : json(e.message_id)},
                      {"from", person(e.from.name, e.from.address)},
                      {"direction", e.direction},
                      {"kind", e.kind},
                      {"at", iso_utc(e.at)},
                      {"subject", e.subject},
                      {"text", e.text},
                      {"new_text", e.new_text},
                      {"attachments", std::move(atts)}});
  }
  j["thread"] = std::move(thread);
  json events = json::array();
  for (const auto& e : s.events(t.id))
    events.push_back(
        {{"at", iso_utc(e.at)}, {"kind", e.kind}, {"actor", e.actor}, {"detail", e.detail}});
  j["events"] = std::move(events);
  json outbox = json::array();
  for (const auto& r : s.outbox(t.id)) outbox.push_back(outbox_json(r));
  j["outbox"] = std::move(outbox);
  return j;
}

std::string dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

// Display width in code points (good enough for a terminal table).
static std::size_t width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

static std::string cut(std::string s, std::size_t max) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (width(s) <= max) return s;
  std::size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == max - 1) break;
      ++n;
    }
  }
  return s.substr(0, i) + "…";
}

std::string table(const std::vector<std::string>& head,
                  const std::vector<std::vector<std::string>>& rows, std::size_t max_width) {
  std::vector<std::vector<std::string>> all;
  all.push_back(head);
  for (const auto& r : rows) {
    std::vector<std::string> c;
    for (const auto& cell : r) c.push_back(cut(cell, max_width));
    all.push_back(std::move(c));
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& r : all)
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], width(r[i]));
  std::string out;
  for (const auto& r : all) {
    for (std::size_t i = 0; i < r.size() && i < w.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out += std::string(w[i] - width(r[i]) + 2, ' ');
    }
    out += '\n';
  }
  return out;
}

}  // namespace ticketd::daemon
