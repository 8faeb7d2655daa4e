// ticketctl: look at what ticketd stored — tables for people, --json for
// scripts — and parse mail files without storing them.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>

#include "daemon/apply.h"
#include "daemon/config.h"
#include "daemon/exit_codes.h"
#include "daemon/outbound.h"
#include "daemon/render.h"
#include "daemon/terminal.h"
#include "parser/parse.h"
#include "store/store.h"
#include "templates/composer.h"

using namespace ticketd::daemon;
using nlohmann::json;

namespace {

int run_parse(const std::vector<std::string>& files) {
  int rc = kExitOk;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) {
      std::cerr << "ticketctl: cannot read " << f << "\n";
      rc = kExitNoInput;
      continue;
    }
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    json j = message_json(ticketd::parser::parse_message(raw));
    j["file"] = f;
    std::cout << dump(j) << "\n";
  }
  return rc;
}

std::string person(const ticketd::store::Person& p) {
  return p.name.empty() ? p.address : p.name + " <" + p.address + ">";
}

int run_list(ticketd::store::Store& s, const std::optional<std::string>& state, bool unassigned,
             bool as_json) {
  auto tickets = s.list_tickets(state, unassigned);
  if (as_json) {
    json a = json::array();
    for (const auto& t : tickets) a.push_back(ticket_json(t));
    std::cout << dump(a, 2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tickets)
    rows.push_back({t.number, t.state, std::to_string(t.messages), iso_utc(t.updated_at),
                    t.assignee.empty() ? (t.team.empty() ? "-" : "team " + t.team) : t.assignee,
                    person(t.requester), t.subject});
  std::cout << table({"NUMBER", "STATE", "MSGS", "UPDATED", "ASSIGNED", "REQUESTER", "SUBJECT"},
                     rows, 50);
  std::cout << tickets.size() << " ticket(s)\n";
  return kExitOk;
}

int run_show(ticketd::store::Store& s, const std::string& number, bool as_json) {
  auto t = s.find_ticket(number);
  if (!t) {
    std::cerr << "ticketctl: no ticket " << number << "\n";
    return kExitDataErr;
  }
  json j = ticket_detail_json(s, *t);
  if (as_json) {
    std::cout << dump(j, 2) << "\n";
    return kExitOk;
  }
  std::cout << t->number << "  " << ticket_tag(t->number) << " " << t->subject << "\n"
            << "state: " << t->state << "   priority: " << t->priority
            << "   team: " << (t->team.empty() ? "-" : t->team)
            << "   assignee: " << (t->assignee.empty() ? "-" : t->assignee) << "\n"
            << "requester: " << person(t->requester) << "   messages: " << t->messages;
  if (!t->tags.empty()) {
    std::cout << "   tags:";
    for (const auto& tag : t->tags) std::cout << " " << tag;
  }
  if (!t->collaborators.empty()) {
    std::cout << "\ncollaborators:";
    for (const auto& p : t->collaborators) std::cout << " " << person(p);
  }
  if (t->first_response_due || t->resolution_due) {
    std::cout << "\ndue:";
    if (t->first_response_due && !t->first_response_at)
      std::cout << " first response " << iso_utc(*t->first_response_due);
    if (t->resolution_due) std::cout << " resolution " << iso_utc(*t->resolution_due);
  }
  std::cout << "\n\nThread:\n";
  for (const auto& e : j["thread"]) {
    std::cout << "  " << e["at"].get<std::string>() << "  " << e["direction"].get<std::string>()
              << "  " << e["kind"].get<std::string>() << "  "
              << e["from"]["address"].get<std::string>() << "\n";
    std::string text = e["new_text"].get<std::string>();
    if (text.empty()) text = e["text"].get<std::string>();
    std::size_t lines = 0, pos = 0;
    while (pos < text.size() && lines < 8) {
      std::size_t nl = text.find('\n', pos);
      std::cout << "    | " << text.substr(pos, nl == std::string::npos ? nl : nl - pos) << "\n";
      pos = nl == std::string::npos ? text.size() : nl + 1;
      ++lines;
    }
    if (pos < text.size()) std::cout << "    | …\n";
    for (const auto& a : e["attachments"])
      std::cout << "    [attachment] " << a["filename"].get<std::string>() << " ("
                << a["content_type"].get<std::string>() << ", " << a["size"].get<std::size_t>()
                << " bytes)\n";
  }
  std::cout << "\nEvents:\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : j["events"])
    rows.push_back({e["at"].get<std::string>(), e["kind"].get<std::string>(),
                    e["actor"].get<std::string>(), e["detail"].get<std::string>()});
  std::cout << table({"AT", "KIND", "ACTOR", "DETAIL"}, rows, 100);
  if (!j["outbox"].empty()) {
    std::cout << "\nOutbox:\n";
    std::vector<std::vector<std::string>> out;
    for (const auto& r : j["outbox"]) {
      std::string to;
      for (const auto& a : r["to"]) to += (to.empty() ? "" : ", ") + a.get<std::string>();
      for (const auto& a : r["cc"]) to += (to.empty() ? "cc " : ", cc ") + a.get<std::string>();
      out.push_back({r["state"].get<std::string>(), r["kind"].get<std::string>(), to,
                     r["message_id"].get<std::string>()});
    }
    std::cout << table({"STATE", "KIND", "TO", "MESSAGE-ID"}, out, 70);
  }
  return kExitOk;
}

int run_outbox(ticketd::store::Store& s, const std::optional<std::string>& state, bool as_json) {
  auto rows = s.outbox(std::nullopt, state);
  if (as_json) {
    json a = json::array();
    for (const auto& r : rows) a.push_back(outbox_json(r));
    std::cout << dump(a, 2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> t;
  for (const auto& r : rows) {
    std::string to;
    for (const auto& a : r.to) to += (to.empty() ? "" : ", ") + a;
    for (const auto& a : r.cc) to += (to.empty() ? "cc " : ", cc ") + a;
    std::string when = r.sent_at           ? iso_utc(*r.sent_at)
                       : r.next_attempt_at ? "next " + iso_utc(*r.next_attempt_at)
                                           : "";
    t.push_back({std::to_string(r.id), r.state, std::to_string(r.attempts), r.kind, to, when,
                 r.last_error});
  }
  std::cout << table({"ID", "STATE", "TRIES", "KIND", "TO", "WHEN", "LAST ERROR"}, t, 50);
  std::cout << rows.size() << " outbox row(s)\n";
  return kExitOk;
}

// `ticketctl outbox retry ID`: a deferred or dead row is due again now.
int run_outbox_retry(ticketd::store::Store& s, std::int64_t id, bool as_json) {
  auto row = s.outbox_row(id);
  if (!row) {
    std::cerr << "ticketctl: outbox row " << id << " does not exist\n";
    return kExitDataErr;
  }
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  auto tx = s.begin();
  const bool ok = tx.retry_outbox(id, now);
  if (ok && row->ticket_id)
    tx.add_event(*row->ticket_id, now, "outbox_retry", "ticketctl",
                 row->kind + " <" + row->message_id + "> (" + row->state + ") due again");
  tx.commit();
  if (as_json) {
    std::cout << dump(json{{"id", id}, {"retried", ok}, {"state", ok ? "pending" : row->state}})
              << "\n";
  } else if (ok) {
    std::cout << "outbox row " << id << ": " << row->state << " -> pending, due now\n";
  } else {
    std::cout << "outbox row " << id << " is " << row->state << "; nothing to retry\n";
  }
  return ok ? kExitOk : kExitDataErr;
}

// `ticketctl template preview NAME --ticket N`: the mail NAME would be for
// ticket N now (answering its latest mail), rendered and composed; nothing is sent.
int run_preview(ticketd::store::Store& s, const Config& config, const std::string& name,
                const std::string& number, bool raw, bool as_json) {
  auto set = load_templates(config);
  if (!set) {
    std::cerr << "ticketctl: " << set.error() << "\n";
    return kExitConfig;
  }
  auto t = s.find_ticket(number);
  if (!t) {
    std::cerr << "ticketctl: no ticket " << number << "\n";
    return kExitDataErr;
  }
  ticketd::store::OutboxRow row;
  row.id = 0;
  row.ticket_id = t->id;
  row.kind = row.template_name = name;
  const auto thread = s.thread(t->id);
  if (!thread.empty()) {
    row.source_message = thread.back().id;
    row.in_reply_to = thread.back().message_id;
  }
  const bool to_agent = agent_facing(name) && !t->assignee.empty();
  row.to = {to_agent ? t->assignee : ticketd::store::lower_address(t->requester.address)};
  row.message_id = "preview." + name + "@" + message_id_domain(config);
  if (name == "agent_alert" && thread.size() == 1) row.detail = "new ticket " + t->number;
  if (name == "command_error" || name == "rejection" || name == "overdue_alert")
    row.detail = "(the " + name + " detail goes here)";
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto built = build_mail(s, config, load_or_create_secret(config), *set, row, now);
  if (!built) {
    std::cerr << "ticketctl: " << built.error() << "\n";
    return kExitDataErr;
  }
  auto bytes = ticketd::templates::compose(built->mail);
  if (!bytes) {
    std::cerr << "ticketctl: the mail cannot be composed: " << bytes.error().detail << "\n";
    return kExitDataErr;
  }
  const auto& m = built->mail;
  if (as_json) {
    std::cout << dump(json{{"template", name},
                           {"ticket", t->number},
                           {"subject", m.subject},
                           {"to", built->recipients},
                           {"reply_to", m.reply_to ? json(m.reply_to->address) : json()},
                           {"text", m.text},
                           {"html", m.html ? json(*m.html) : json()},
                           {"raw", *bytes}},
                      2)
              << "\n";
  } else if (raw) {
    std::cout << *bytes;
  } else {
    std::cout << "Subject: " << m.subject << "\nTo: " << built->recipients.front()
              << "\nReply-To: " << (m.reply_to ? m.reply_to->address : "(none)") << "\n\n"
              << m.text << "\n----- HTML part -----\n"
              << m.html.value_or("") << "\n";
  }
  return kExitOk;
}

int run_why(ticketd::store::Store& s, std::string message_id, bool as_json) {
  if (message_id.starts_with('<')) message_id.erase(0, 1);
  if (message_id.ends_with('>')) message_id.pop_back();
  auto stories = s.why(message_id);
  if (as_json) {
    json a = json::array();
    for (const auto& st : stories) {
      json ev = json::array();
      for (const auto& e : st.events)
        ev.push_back(
            {{"at", iso_utc(e.at)}, {"kind", e.kind}, {"actor", e.actor}, {"detail", e.detail}});
      json q = json::array();
      for (const auto& r : st.queued) q.push_back(outbox_json(r));
      a.push_back({{"ticket", st.ticket},
                   {"kind", st.kind},
                   {"from", st.from},
                   {"at", iso_utc(st.at)},
                   {"events", std::move(ev)},
                   {"queued", std::move(q)}});
    }
    std::cout << dump(a, 2) << "\n";
    return stories.empty() ? kExitDataErr : kExitOk;
  }
  if (stories.empty()) {
    std::cerr << "ticketctl: no stored mail with Message-ID <" << message_id << ">\n";
    return kExitDataErr;
  }
  for (const auto& st : stories) {
    std::cout << "<" << message_id << "> from " << st.from << " at " << iso_utc(st.at) << ": "
              << st.kind << " mail on " << st.ticket << "\n";
    for (const auto& e : st.events) std::cout << "  " << e.kind << ": " << e.detail << "\n";
    for (const auto& r : st.queued) {
      std::string to;
      for (const auto& a : r.to) to += (to.empty() ? "" : ", ") + a;
      std::cout << "  queued " << r.kind << " <" << r.message_id << "> to " << to << " (" << r.state
                << ")\n";
    }
  }
  return kExitOk;
}

int run_quarantine(ticketd::store::Store& s, bool as_json) {
  auto rows = s.quarantined();
  if (as_json) {
    json a = json::array();
    for (const auto& q : rows)
      a.push_back({{"id", q.id},
                   {"at", iso_utc(q.at)},
                   {"reason", q.reason},
                   {"detail", q.detail},
                   {"sha256", q.sha256},
                   {"size", q.size}});
    std::cout << dump(a, 2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> t;
  for (const auto& q : rows)
    t.push_back({std::to_string(q.id), iso_utc(q.at), q.reason, std::to_string(q.size), q.detail});
  std::cout << table({"ID", "AT", "REASON", "SIZE", "DETAIL"}, t, 70);
  std::cout << rows.size() << " quarantined mail(s)\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // A store last opened by an older ticketd is upgraded by whoever opens it
  // first; on a big store that takes a while, so say so.
  ticketd::store::set_migration_notice(
      [](std::int64_t from, std::int64_t to, double seconds, bool done) {
        if (!done)
          std::fprintf(stderr,
                       "ticketctl: upgrading the store's schema %lld -> %lld (a store of a "
                       "million tickets: up to ~15 s)\n",
                       static_cast<long long>(from), static_cast<long long>(to));
        else
          std::fprintf(stderr, "ticketctl: store upgraded to schema %lld in %.1f s\n",
                       static_cast<long long>(to), seconds);
      });
  CLI::App app{"ticketctl — inspect ticketd's tickets, threads, events and quarantine"};
  app.set_version_flag("--version", std::string("ticketctl ") + TICKETD_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // --config is accepted before or after the subcommand
  std::string config_path;
  app.add_option("-c,--config", config_path, "Config file (TOML); not needed for parse");

  std::vector<std::string> files;
  auto* parse = app.add_subcommand("parse", "Parse mail files and print one JSON object per mail");
  parse->add_option("files", files, "Mail files (RFC 5322)")->required();

  std::optional<std::string> state;
  bool as_json = false;
  auto* list = app.add_subcommand("list", "List tickets");
  list->add_option("--state", state, "Only tickets in this state");
  bool unassigned = false;
  list->add_flag("--unassigned", unassigned,
                 "Only tickets still being worked that nobody is assigned to");
  list->add_flag("--json", as_json, "JSON for scripts");

  std::string number;
  auto* show = app.add_subcommand("show", "Show one ticket with its thread and events");
  show->add_option("number", number, "Ticket number, e.g. TD-1001")->required();
  show->add_flag("--json", as_json, "JSON for scripts");

  auto* quarantine = app.add_subcommand("quarantine", "List mail kept in the quarantine");
  quarantine->add_flag("--json", as_json, "JSON for scripts");

  auto* outbox = app.add_subcommand("outbox", "List mail decided but not yet sent (and sent)");
  outbox->add_option("--state", state, "pending, sent, deferred or dead");
  outbox->add_flag("--json", as_json, "JSON for scripts");
  std::int64_t outbox_id = 0;
  auto* retry = outbox->add_subcommand("retry", "Make a deferred or dead row due again now");
  retry->add_option("id", outbox_id, "The outbox row's ID (first column of `outbox`)")->required();
  retry->add_flag("--json", as_json, "JSON for scripts");

  std::string template_name;
  bool raw = false;
  auto* tmpl = app.add_subcommand("template", "Work with the mail templates");
  auto* preview = tmpl->add_subcommand(
      "preview", "Print the mail a template makes for a ticket (nothing is sent)");
  preview->add_option("name", template_name, "acknowledgement, agent_alert, answer, ...")
      ->required();
  preview->add_option("--ticket", number, "Ticket number, e.g. TD-1001")->required();
  preview->add_flag("--raw", raw, "The RFC 5322 bytes as they would be sent");
  preview->add_flag("--json", as_json, "JSON for scripts");
  tmpl->require_subcommand(1);

  std::string message_id;
  auto* why = app.add_subcommand(
      "why",
      "How a stored mail was threaded, which rules matched, what the guard did, what was queued");
  why->add_option("message_id", message_id, "The mail's Message-ID")->required();
  why->add_flag("--json", as_json, "JSON for scripts");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitUsage;
  }
  if (*parse) return run_parse(files);
  if (config_path.empty()) {
    std::cerr << "ticketctl: --config FILE is required for this command\n";
    return kExitUsage;
  }
  // Tables and views for people: nothing from a mail reaches the terminal as
  // a control sequence. JSON is escaped by its encoder; a raw preview is the
  // composed mail (7-bit, CRLF) and must stay byte-exact.
  std::optional<ticketd::daemon::TerminalSafeScope> safe;
  if (!as_json && !(*preview && raw)) safe.emplace(std::cout);
  try {
    Config config = load_config(config_path);
    ticketd::store::Store store(config.store.path, static_cast<int>(config.store.busy_timeout_ms));
    if (*list) return run_list(store, state, unassigned, as_json);
    if (*show) return run_show(store, number, as_json);
    if (*quarantine) return run_quarantine(store, as_json);
    if (*retry) return run_outbox_retry(store, outbox_id, as_json);
    if (*outbox) return run_outbox(store, state, as_json);
    if (*why) return run_why(store, message_id, as_json);
    if (*preview) return run_preview(store, config, template_name, number, raw, as_json);
  } catch (const ConfigError& e) {
    std::cerr << "ticketctl: " << e.what() << "\n";
    return kExitConfig;
  } catch (const ticketd::store::Error& e) {
    std::cerr << "ticketctl: store: " << e.what() << "\n";
    return e.temporary() ? kExitTempFail : kExitSoftware;
  }
  return kExitUsage;
}
