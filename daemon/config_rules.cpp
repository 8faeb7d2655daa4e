#include "daemon/config_rules.h"

#include <algorithm>
#include <sstream>

namespace ticketd::daemon {

namespace {

using lifecycle::ConditionField;

[[noreturn]] void fail(const std::string& file, const toml::node& at, const std::string& key,
                       const std::string& problem) {
  std::ostringstream o;
  o << file << ":" << at.source().begin.line << ": " << key << ": " << problem;
  throw ConfigError(o.str());
}

std::string lower(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + 32);
  return s;
}

bool plain_address(std::string_view a) {
  const auto at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find_first_of(" <>\"\r\n\t,;") == std::string_view::npos;
}

class Reader {
 public:
  Reader(const std::string& file, const toml::table& t, std::string prefix)
      : file_(file), t_(t), prefix_(std::move(prefix)) {}

  std::string key(std::string_view k) const { return prefix_ + "." + std::string(k); }

  std::optional<std::string> str(std::string_view k, bool required = false) {
    seen_.emplace_back(k);
    const toml::node* n = t_.get(k);
    if (!n) {
      if (required) fail(file_, t_, key(k), "required key missing");
      return std::nullopt;
    }
    if (!n->is_string()) fail(file_, *n, key(k), "must be a string");
    std::string v = *n->value<std::string>();
    if (v.find_first_of("\r\n") != std::string::npos)
      fail(file_, *n, key(k), "must not contain CR or LF");
    return v;
  }
  bool boolean(std::string_view k) {
    seen_.emplace_back(k);
    const toml::node* n = t_.get(k);
    if (!n) return false;
    if (!n->is_boolean()) fail(file_, *n, key(k), "must be true or false");
    return *n->value<bool>();
  }
  std::vector<std::string> strings(std::string_view k) {
    seen_.emplace_back(k);
    std::vector<std::string> out;
    const toml::node* n = t_.get(k);
    if (!n) return out;
    if (n->is_string()) return {*n->value<std::string>()};
    const toml::array* a = n->as_array();
    if (!a) fail(file_, *n, key(k), "must be a string or a list of strings");
    for (const auto& e : *a) {
      if (!e.is_string()) fail(file_, e, key(k), "must be a list of strings");
      out.push_back(*e.value<std::string>());
    }
    return out;
  }
  std::int64_t integer(std::string_view k, std::int64_t min, std::int64_t max, std::int64_t dflt) {
    seen_.emplace_back(k);
    const toml::node* n = t_.get(k);
    if (!n) return dflt;
    if (!n->is_integer()) fail(file_, *n, key(k), "must be an integer");
    const std::int64_t v = *n->value<std::int64_t>();
    if (v < min || v > max)
      fail(file_, *n, key(k),
           "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return v;
  }
  const toml::table* table(std::string_view k) {
    seen_.emplace_back(k);
    const toml::node* n = t_.get(k);
    if (!n) return nullptr;
    if (!n->is_table()) fail(file_, *n, key(k), "must be a table");
    return n->as_table();
  }
  // Every key not read is unknown.
  void finish() const {
    for (auto&& [k, n] : t_)
      if (std::find(seen_.begin(), seen_.end(), k.str()) == seen_.end())
        fail(file_, n, key(k.str()), "unknown key");
  }
  const toml::table& node() const { return t_; }

 private:
  const std::string& file_;
  const toml::table& t_;
  std::string prefix_;
  std::vector<std::string> seen_;
};

const toml::array* array_of_tables(const toml::table& root, const std::string& file,
                                   std::string_view name) {
  const toml::node* n = root.get(name);
  if (!n) return nullptr;
  const toml::array* a = n->as_array();
  if (!a || !a->is_array_of_tables())
    fail(file, *n, std::string(name), "must be written as [[" + std::string(name) + "]] tables");
  return a;
}

void load_agents_and_teams(const toml::table& root, const std::string& file, Config& c) {
  if (const toml::array* teams = array_of_tables(root, file, "team")) {
    for (const auto& node : *teams) {
      Reader r(file, *node.as_table(), "team");
      lifecycle::Team t;
      t.name = *r.str("name", true);
      if (t.name.empty()) fail(file, node, "team.name", "must not be empty");
      if (c.directory.team(t.name))
        fail(file, node, "team.name", "duplicate team \"" + t.name + "\"");
      const std::string assign = r.str("assign").value_or("round-robin");
      if (assign == "round-robin") {
        t.mode = lifecycle::AssignMode::round_robin;
      } else if (assign == "least-open") {
        t.mode = lifecycle::AssignMode::least_open;
      } else if (plain_address(assign)) {
        t.mode = lifecycle::AssignMode::fixed;
        t.fixed_agent = lower(assign);
      } else {
        fail(file, node, "team.assign", "round-robin, least-open or an agent's address");
      }
      r.finish();
      c.directory.teams.push_back(std::move(t));
    }
  }
  if (const toml::array* agents = array_of_tables(root, file, "agent")) {
    for (const auto& node : *agents) {
      Reader r(file, *node.as_table(), "agent");
      lifecycle::Agent a;
      a.name = *r.str("name", true);
      a.address = lower(*r.str("address", true));
      if (!plain_address(a.address))
        fail(file, node, "agent.address", "not a plain address (local@domain)");
      if (c.directory.agent(a.address))
        fail(file, node, "agent.address", "duplicate agent " + a.address);
      a.teams = r.strings("teams");
      for (const auto& t : a.teams)
        if (!c.directory.team(t)) fail(file, node, "agent.teams", "unknown team \"" + t + "\"");
      a.away = r.boolean("away");
      r.finish();
      c.directory.agents.push_back(std::move(a));
    }
  }
  for (const auto& t : c.directory.teams)
    if (t.mode == lifecycle::AssignMode::fixed && !c.directory.agent(t.fixed_agent))
      throw ConfigError(file + ":0: team.assign: team \"" + t.name + "\" names unknown agent " +
                        t.fixed_agent);
}

struct FieldName {
  const char* key;
  ConditionField field;
};
constexpr FieldName kFields[] = {
    {"from", ConditionField::from}, {"from_domain", ConditionField::from_domain},
    {"to", ConditionField::to},     {"subject", ConditionField::subject},
    {"body", ConditionField::body}, {"auto_class", ConditionField::auto_class},
};

lifecycle::Rule read_rule(const toml::table& t, const std::string& file, const Config& c) {
  Reader r(file, t, "rule");
  lifecycle::Rule rule;
  rule.name = *r.str("name", true);
  rule.source = file + ":" + std::to_string(t.source().begin.line);
  rule.stop = r.boolean("stop");
  if (const toml::table* when = r.table("when")) {
    Reader w(file, *when, "rule.when");
    for (const auto& f : kFields) {
      for (bool negate : {false, true}) {
        const std::string k = negate ? std::string("not_") + f.key : f.key;
        for (auto& pattern : w.strings(k))
          rule.conditions.push_back({f.field, "", std::move(pattern), negate});
      }
    }
    for (bool negate : {false, true}) {
      const std::string k = negate ? "not_header" : "header";
      if (const toml::table* h = w.table(k)) {
        Reader hr(file, *h, "rule.when." + k);
        lifecycle::Condition cond{ConditionField::header, *hr.str("name", true),
                                  *hr.str("match", true), negate};
        hr.finish();
        rule.conditions.push_back(std::move(cond));
      }
    }
    w.finish();
  }
  if (const toml::table* then = r.table("then")) {
    Reader a(file, *then, "rule.then");
    auto& act = rule.actions;
    act.team = a.str("team");
    if (act.team && !c.directory.team(*act.team))
      fail(file, *then, "rule.then.team",
           "rule \"" + rule.name + "\": unknown team \"" + *act.team + "\"");
    if (auto who = a.str("assignee")) {
      const lifecycle::Agent* agent = c.directory.agent(*who);
      if (!agent)
        fail(file, *then, "rule.then.assignee",
             "rule \"" + rule.name + "\": unknown agent \"" + *who + "\"");
      act.assignee = agent->address;
    }
    if (auto p = a.str("priority")) {
      act.priority = lifecycle::parse_priority(*p);
      if (!act.priority) fail(file, *then, "rule.then.priority", "low, normal, high or urgent");
    }
    if (auto s = a.str("sla")) {
      if (!lifecycle::parse_priority(*s))
        fail(file, *then, "rule.then.sla", "a priority name (low, normal, high, urgent)");
      act.sla = *s;
    }
    act.tags = a.strings("tags");
    act.suppress_ack = a.boolean("suppress_ack");
    act.reject = a.str("reject");
    act.spam = a.boolean("spam");
    a.finish();
  }
  r.finish();
  return rule;
}

void load_sla(const toml::table& root, const std::string& file, Config& c) {
  const toml::node* n = root.get("sla");
  if (!n) return;
  const toml::table* sla = n->as_table();
  if (!sla) fail(file, *n, "sla", "must be a table ([sla.urgent] ...)");
  for (auto&& [name, node] : *sla) {
    auto p = lifecycle::parse_priority(name.str());
    if (!p)
      fail(file, node, "sla." + std::string(name.str()),
           "unknown priority (low, normal, high, urgent)");
    if (!node.is_table()) fail(file, node, "sla." + std::string(name.str()), "must be a table");
    Reader r(file, *node.as_table(), "sla." + std::string(name.str()));
    auto& times = c.lifecycle.sla[*p];
    times.first_response_seconds =
        r.integer("first_response_minutes", 0, 525600, times.first_response_seconds / 60) * 60;
    times.resolution_seconds =
        r.integer("resolution_hours", 0, 87600, times.resolution_seconds / 3600) * 3600;
    r.finish();
  }
}

}  // namespace

bool is_people_or_rules_table(std::string_view table) {
  return table == "agent" || table == "team" || table == "rule" || table == "sla" ||
         table == "mailbox";
}

namespace {

bool loopback_url(std::string_view url) {
  const std::string host = url_host(url);
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

Config::Mailbox read_mailbox(const toml::node& node, const std::string& file) {
  Reader r(file, *node.as_table(), "mailbox");
  Config::Mailbox m;
  m.name = *r.str("name", true);
  m.url = *r.str("url", true);
  m.username = *r.str("username", true);
  m.password_file = r.str("password_file").value_or("");
  m.oauth2_token_file = r.str("oauth2_token_file").value_or("");
  m.ca_file = r.str("ca_file").value_or("");
  m.tls = r.str("tls").value_or(m.tls);
  m.folder = r.str("folder").value_or(m.folder);
  m.processed_folder = r.str("processed_folder").value_or(m.processed_folder);
  m.keyword = r.str("keyword").value_or(m.keyword);
  m.oversized_folder = r.str("oversized_folder").value_or(m.oversized_folder);
  r.finish();
  auto at = [&](std::string_view k) -> const toml::node& {
    const toml::node* n = node.as_table()->get(k);
    return n ? *n : node;
  };
  if (m.name.empty() || m.name.find_first_of(" \t=\"") != std::string::npos)
    fail(file, at("name"), "mailbox.name", "must be a non-empty word (no spaces, '=' or quotes)");
  if (!m.url.starts_with("imap://") && !m.url.starts_with("imaps://"))
    fail(file, at("url"), "mailbox.url", "must start with imap:// (STARTTLS) or imaps://");
  if (m.password_file.empty() == m.oauth2_token_file.empty())
    fail(file, node, "mailbox.password_file", "give password_file or oauth2_token_file (one)");
  if (m.tls != "required" && m.tls != "none")
    fail(file, at("tls"), "mailbox.tls", "one of \"required\", \"none\"");
  if (m.tls == "none" && (!loopback_url(m.url) || m.url.starts_with("imaps://")))
    fail(file, at("tls"), "mailbox.tls",
         "\"none\" is only allowed for an imap:// server on 127.0.0.1, ::1 or localhost");
  if (m.folder.empty()) fail(file, at("folder"), "mailbox.folder", "must not be empty");
  if (m.processed_folder == m.folder)
    fail(file, at("processed_folder"), "mailbox.processed_folder", "must differ from folder");
  if (m.processed_folder.empty() && (m.keyword.empty() || m.keyword.find(' ') != std::string::npos))
    fail(file, at("keyword"), "mailbox.keyword", "must be one word when processed_folder is empty");
  return m;
}

}  // namespace

void load_mailboxes(const toml::table& root, const std::string& path, Config& c) {
  const toml::array* list = array_of_tables(root, path, "mailbox");
  if (!list) return;
  for (const auto& node : *list) {
    Config::Mailbox m = read_mailbox(node, path);
    for (const auto& other : c.mailboxes)
      if (other.name == m.name)
        fail(path, node, "mailbox.name", "duplicate mailbox \"" + m.name + "\"");
    c.mailboxes.push_back(std::move(m));
  }
}

void load_people_and_rules(const toml::table& root, const std::string& path, Config& c) {
  load_agents_and_teams(root, path, c);
  load_mailboxes(root, path, c);
  load_sla(root, path, c);
  std::vector<lifecycle::Rule> rules;
  if (const toml::array* list = array_of_tables(root, path, "rule"))
    for (const auto& node : *list) rules.push_back(read_rule(*node.as_table(), path, c));
  auto compiled = lifecycle::RuleSet::compile(std::move(rules));
  if (!compiled) throw ConfigError(compiled.error());
  c.rules = std::make_shared<const lifecycle::RuleSet>(std::move(*compiled));

  const std::string support = lower(c.support.address);
  c.guard.our_addresses = {support};
  // Our Message-IDs end in "@ticketd.<support domain>": colleagues of the
  // customers share the support domain, their mailers must not look like us.
  c.guard.our_message_id_domain = "ticketd." + support.substr(support.find('@') + 1);
}

}  // namespace ticketd::daemon
