// ticketctl: look at what ticketd stored — tables for people, --json for
// scripts — and parse mail files without storing them.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <iterator>

#include "daemon/config.h"
#include "daemon/exit_codes.h"
#include "daemon/render.h"
#include "parser/parse.h"
#include "store/store.h"

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

int run_list(ticketd::store::Store& s, const std::optional<std::string>& state, bool as_json) {
  auto tickets = s.list_tickets(state);
  if (as_json) {
    json a = json::array();
    for (const auto& t : tickets) a.push_back(ticket_json(t));
    std::cout << dump(a, 2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : tickets)
    rows.push_back({t.number, t.state, std::to_string(t.messages), iso_utc(t.updated_at),
                    person(t.requester), t.subject});
  std::cout << table({"NUMBER", "STATE", "MSGS", "UPDATED", "REQUESTER", "SUBJECT"}, rows, 50);
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
    t.push_back({std::to_string(r.id), r.state, r.kind, to, r.message_id});
  }
  std::cout << table({"ID", "STATE", "KIND", "TO", "MESSAGE-ID"}, t, 60);
  std::cout << rows.size() << " outbox row(s)\n";
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
  try {
    Config config = load_config(config_path);
    ticketd::store::Store store(config.store.path, static_cast<int>(config.store.busy_timeout_ms));
    if (*list) return run_list(store, state, as_json);
    if (*show) return run_show(store, number, as_json);
    if (*quarantine) return run_quarantine(store, as_json);
    if (*outbox) return run_outbox(store, state, as_json);
    if (*why) return run_why(store, message_id, as_json);
  } catch (const ConfigError& e) {
    std::cerr << "ticketctl: " << e.what() << "\n";
    return kExitConfig;
  } catch (const ticketd::store::Error& e) {
    std::cerr << "ticketctl: store: " << e.what() << "\n";
    return e.temporary() ? kExitTempFail : kExitSoftware;
  }
  return kExitUsage;
}
