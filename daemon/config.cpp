#include "daemon/config.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <vector>

#include "daemon/config_rules.h"

namespace ticketd::daemon {

namespace {

namespace fs = std::filesystem;

struct Key {
  const char* table;
  const char* name;
  enum Type { string, integer } type;
  bool required;
  std::int64_t min, max;  // integers: bounds; strings: length bounds
  std::function<void(Config&, const toml::node&)> set;
};

constexpr std::int64_t kDay = 86400;

std::string str_of(const toml::node& n) { return *n.value<std::string>(); }
std::int64_t int_of(const toml::node& n) { return *n.value<std::int64_t>(); }

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"store", "path", Key::string, true, 1, 4096,
       [](Config& c, const toml::node& n) { c.store.path = str_of(n); }},
      {"store", "busy_timeout_ms", Key::integer, false, 0, 600000,
       [](Config& c, const toml::node& n) { c.store.busy_timeout_ms = int_of(n); }},
      {"support", "address", Key::string, true, 3, 254,
       [](Config& c, const toml::node& n) { c.support.address = str_of(n); }},
      {"support", "name", Key::string, false, 0, 200,
       [](Config& c, const toml::node& n) { c.support.name = str_of(n); }},
      {"tickets", "prefix", Key::string, false, 0, 16,
       [](Config& c, const toml::node& n) { c.tickets.prefix = str_of(n); }},
      {"tickets", "first_number", Key::integer, false, 1, 1000000000,
       [](Config& c, const toml::node& n) { c.tickets.first_number = int_of(n); }},
      {"tickets", "secret_file", Key::string, false, 1, 4096,
       [](Config& c, const toml::node& n) { c.tickets.secret_file = str_of(n); }},
      {"tickets", "default_team", Key::string, false, 1, 200,
       [](Config& c, const toml::node& n) { c.tickets.default_team = str_of(n); }},
      {"limits", "max_message_bytes", Key::integer, false, 1024, 1ll << 31,
       [](Config& c, const toml::node& n) { c.limits.max_message_bytes = int_of(n); }},
      {"limits", "max_attachment_bytes", Key::integer, false, 1, 1ll << 31,
       [](Config& c, const toml::node& n) { c.limits.max_attachment_bytes = int_of(n); }},
      {"log", "level", Key::string, false, 1, 16,
       [](Config& c, const toml::node& n) { c.log.level = str_of(n); }},
      {"smtp", "url", Key::string, false, 1, 2048,
       [](Config& c, const toml::node& n) { c.smtp.url = str_of(n); }},
      {"smtp", "username", Key::string, false, 0, 254,
       [](Config& c, const toml::node& n) { c.smtp.username = str_of(n); }},
      {"smtp", "password_file", Key::string, false, 1, 4096,
       [](Config& c, const toml::node& n) { c.smtp.password_file = str_of(n); }},
      {"smtp", "oauth2_token_file", Key::string, false, 1, 4096,
       [](Config& c, const toml::node& n) { c.smtp.oauth2_token_file = str_of(n); }},
      {"smtp", "ca_file", Key::string, false, 1, 4096,
       [](Config& c, const toml::node& n) { c.smtp.ca_file = str_of(n); }},
      {"smtp", "tls", Key::string, false, 1, 16,
       [](Config& c, const toml::node& n) { c.smtp.tls = str_of(n); }},
      {"smtp", "timeout_seconds", Key::integer, false, 1, 3600,
       [](Config& c, const toml::node& n) { c.smtp.timeout_seconds = int_of(n); }},
      {"outbox", "max_attempts", Key::integer, false, 1, 1000,
       [](Config& c, const toml::node& n) { c.outbox.max_attempts = int_of(n); }},
      {"outbox", "backoff_seconds", Key::integer, false, 1, 86400,
       [](Config& c, const toml::node& n) { c.outbox.backoff_seconds = int_of(n); }},
      {"outbox", "backoff_max_seconds", Key::integer, false, 1, 7 * 86400,
       [](Config& c, const toml::node& n) { c.outbox.backoff_max_seconds = int_of(n); }},
      {"outbox", "batch", Key::integer, false, 1, 10000,
       [](Config& c, const toml::node& n) { c.outbox.batch = int_of(n); }},
      {"daemon", "outbox_interval_seconds", Key::integer, false, 1, 86400,
       [](Config& c, const toml::node& n) { c.daemon.outbox_interval_seconds = int_of(n); }},
      {"daemon", "clock_interval_seconds", Key::integer, false, 1, 86400,
       [](Config& c, const toml::node& n) { c.daemon.clock_interval_seconds = int_of(n); }},
      {"daemon", "poll_interval_seconds", Key::integer, false, 1, 86400,
       [](Config& c, const toml::node& n) { c.daemon.poll_interval_seconds = int_of(n); }},
      {"daemon", "idle_minutes", Key::integer, false, 1, 29,
       [](Config& c, const toml::node& n) { c.daemon.idle_minutes = int_of(n); }},
      {"daemon", "reconnect_max_seconds", Key::integer, false, 1, 86400,
       [](Config& c, const toml::node& n) { c.daemon.reconnect_max_seconds = int_of(n); }},
      {"daemon", "batch_mails", Key::integer, false, 1, 100000,
       [](Config& c, const toml::node& n) { c.daemon.batch_mails = int_of(n); }},
      {"templates", "dir", Key::string, false, 1, 4096,
       [](Config& c, const toml::node& n) { c.templates.dir = str_of(n); }},
      {"templates", "thread_entries", Key::integer, false, 0, 100,
       [](Config& c, const toml::node& n) { c.templates.thread_entries = int_of(n); }},
      {"lifecycle", "auto_close_days", Key::integer, false, 0, 3650,
       [](Config& c, const toml::node& n) {
         c.lifecycle.auto_close_after_seconds = int_of(n) * kDay;
       }},
      {"lifecycle", "reminder_days", Key::integer, false, 0, 3650,
       [](Config& c, const toml::node& n) {
         c.lifecycle.reminder_after_seconds = int_of(n) * kDay;
       }},
      {"lifecycle", "max_reminders", Key::integer, false, 0, 100,
       [](Config& c, const toml::node& n) {
         c.lifecycle.max_reminders = static_cast<int>(int_of(n));
       }},
      {"lifecycle", "auto_resolve_days", Key::integer, false, 0, 3650,
       [](Config& c, const toml::node& n) {
         c.lifecycle.auto_resolve_after_seconds = int_of(n) * kDay;
       }},
      {"lifecycle", "reopen_closed_within_days", Key::integer, false, 0, 3650,
       [](Config& c, const toml::node& n) {
         c.lifecycle.reopen_closed_within_seconds = int_of(n) * kDay;
       }},
      {"guard", "max_auto_per_recipient", Key::integer, false, 0, 100000,
       [](Config& c, const toml::node& n) {
         c.guard.max_auto_per_recipient = static_cast<int>(int_of(n));
       }},
      {"guard", "rate_window_minutes", Key::integer, false, 1, 10080,
       [](Config& c, const toml::node& n) { c.guard.rate_window_seconds = int_of(n) * 60; }},
      {"guard", "max_open_tickets_per_sender", Key::integer, false, 0, 100000,
       [](Config& c, const toml::node& n) {
         c.guard.max_open_tickets_per_sender = static_cast<int>(int_of(n));
       }},
      {"guard", "max_collaborators_per_mail", Key::integer, false, 0, 1000,
       [](Config& c, const toml::node& n) {
         c.guard.max_collaborators_per_mail = static_cast<int>(int_of(n));
       }},
      {"guard", "failing_address_hours", Key::integer, false, 0, 8760,
       [](Config& c, const toml::node& n) { c.guard.failing_address_seconds = int_of(n) * 3600; }},
  };
  return k;
}

[[noreturn]] void fail(const std::string& file, const toml::source_region& where,
                       const std::string& key, const std::string& problem) {
  std::ostringstream o;
  o << file << ":" << where.begin.line << ": " << key << ": " << problem;
  throw ConfigError(o.str());
}

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string resolve(const std::string& config_file, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::absolute(config_file).parent_path() / p).lexically_normal().string();
}

// "table.key" for a key toml++ names without its table: the last [table]
// header above `line` in the file.
std::string key_path_at(const std::string& file, std::size_t line, const std::string& key) {
  std::ifstream in(file);
  std::string text, table;
  auto header = [](const std::string& t) -> std::optional<std::string> {
    const auto open = t.find_first_not_of(" \t");
    if (open == std::string::npos || t[open] != '[') return std::nullopt;
    const auto close = t.find(']', open);
    if (close == std::string::npos) return std::nullopt;
    return t.substr(open + 1, close - open - 1);
  };
  for (std::size_t n = 1; n <= line && std::getline(in, text); ++n) {
    auto h = header(text);
    if (!h) continue;
    if (n == line && *h == key) return key;  // a repeated [table] header
    if (n < line) table = *h;
  }
  return table.empty() || key.find('.') != std::string::npos ? key : table + "." + key;
}

// [smtp]: a known scheme, one kind of secret, plaintext only to loopback.
template <class At>
void check_smtp(const std::string& path, const Config& c, At at) {
  const auto& s = c.smtp;
  if (!s.url.empty() && !s.url.starts_with("smtp://") && !s.url.starts_with("smtps://"))
    fail(path, at("smtp", "url"), "smtp.url", "must start with smtp:// (STARTTLS) or smtps://");
  if (!s.password_file.empty() && !s.oauth2_token_file.empty())
    fail(path, at("smtp", "oauth2_token_file"), "smtp.oauth2_token_file",
         "give password_file or oauth2_token_file, not both");
  if (s.tls != "required" && s.tls != "none")
    fail(path, at("smtp", "tls"), "smtp.tls", "one of \"required\", \"none\"");
  if (s.tls == "none") {
    const std::string host = url_host(s.url);
    if (host != "127.0.0.1" && host != "localhost" && host != "[::1]")
      fail(path, at("smtp", "tls"), "smtp.tls",
           "\"none\" is only allowed for a loopback server (127.0.0.1, ::1, localhost)");
    if (s.url.starts_with("smtps://"))
      fail(path, at("smtp", "tls"), "smtp.tls", "\"none\" contradicts an smtps:// url");
  }
  if (c.outbox.backoff_max_seconds < c.outbox.backoff_seconds)
    fail(path, at("outbox", "backoff_max_seconds"), "outbox.backoff_max_seconds",
         "must not be below outbox.backoff_seconds");
}

// tickets.default_team, or the one team when there is exactly one; a warning
// when nothing routes every ticket (a new ticket then alerts every present
// agent, or nobody when there are no agents).
void set_default_team(const std::string& path, Config& c, const toml::source_region& where) {
  auto& dir = c.directory;
  if (!c.tickets.default_team.empty()) {
    const lifecycle::Team* t = dir.team(c.tickets.default_team);
    if (!t)
      fail(path, where, "tickets.default_team",
           "unknown team \"" + c.tickets.default_team + "\" (not a [[team]] name)");
    dir.default_team = t->name;
    dir.default_team_why = "tickets.default_team";
  } else if (dir.teams.size() == 1) {
    dir.default_team = dir.teams.front().name;
    dir.default_team_why = "the only team";
  }
  if (!dir.default_team.empty()) return;
  // A rule with no conditions that routes catches every mail that reaches it.
  for (const auto& r : c.rules->rules())
    if (r.conditions.empty() && (r.actions.team || r.actions.assignee)) return;
  if (dir.agents.empty()) {
    c.warnings.push_back(path +
                         ": no [[agent]]: new tickets are acknowledged but nobody is alerted");
  } else {
    c.warnings.push_back(
        path + ": no [[rule]] without conditions and no tickets.default_team route every ticket: " +
        "a ticket no rule routes has no team and alerts every present agent (" +
        std::to_string(dir.agents.size()) + " configured)");
  }
}

}  // namespace

std::string url_host(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return {};
  url.remove_prefix(p + 3);
  if (auto at = url.find('@'); at != std::string_view::npos && at < url.find('/'))
    url.remove_prefix(at + 1);
  if (url.starts_with('[')) return std::string(url.substr(0, url.find(']') + 1));
  return std::string(url.substr(0, url.find_first_of(":/")));
}

Config load_config(const std::string& path) {
  Config c;
  c.file = path;
  toml::table root;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path + ":0: (file): cannot read: " + std::strerror(errno));
    try {
      root = toml::parse(in, path);
    } catch (const toml::parse_error& e) {
      std::ostringstream o;
      const std::string desc(e.description());
      const auto line = e.source().begin.line;
      const auto redefine = desc.find("cannot redefine existing");
      const auto q1 = desc.find('\'', redefine), q2 = desc.rfind('\'');
      if (redefine != std::string::npos && q1 != std::string::npos && q2 > q1) {
        o << path << ":" << line << ": "
          << key_path_at(path, line, desc.substr(q1 + 1, q2 - q1 - 1)) << ": duplicate key";
      } else {
        o << path << ":" << line << ": (syntax): " << desc;
      }
      throw ConfigError(o.str());
    }
  }
  std::vector<std::string> seen;
  for (auto&& [tname, tnode] : root) {
    const std::string table(tname.str());
    const toml::table* t = tnode.as_table();
    if (is_people_or_rules_table(table)) continue;  // config_rules.cpp reads these
    bool known_table = false;
    for (const Key& k : keys()) known_table |= table == k.table;
    if (!known_table) fail(path, tnode.source(), table, "unknown table");
    if (!t) fail(path, tnode.source(), table, "must be a table ([" + table + "])");
    for (auto&& [kname, node] : *t) {
      const std::string name(kname.str());
      const std::string full = table + "." + name;
      const Key* key = nullptr;
      for (const Key& k : keys())
        if (table == k.table && name == k.name) key = &k;
      if (!key) fail(path, node.source(), full, "unknown key");
      if (key->type == Key::string) {
        if (!node.is_string()) fail(path, node.source(), full, "must be a string");
        std::string v = str_of(node);
        if (static_cast<std::int64_t>(v.size()) < key->min ||
            static_cast<std::int64_t>(v.size()) > key->max)
          fail(path, node.source(), full,
               "length must be " + std::to_string(key->min) + ".." + std::to_string(key->max));
        if (has_crlf(v)) fail(path, node.source(), full, "must not contain CR or LF");
      } else {
        if (!node.is_integer()) fail(path, node.source(), full, "must be an integer");
        std::int64_t v = int_of(node);
        if (v < key->min || v > key->max)
          fail(path, node.source(), full,
               "must be between " + std::to_string(key->min) + " and " + std::to_string(key->max));
      }
      key->set(c, node);
      seen.push_back(full);
    }
  }
  for (const Key& k : keys()) {
    const std::string full = std::string(k.table) + "." + k.name;
    if (k.required && std::find(seen.begin(), seen.end(), full) == seen.end())
      fail(path, root.source(), full, "required key missing");
  }
  // Semantic checks.
  auto at = [&](const char* table, const char* key) {
    const toml::node* n = root.at_path(std::string(table) + "." + key).node();
    return n ? n->source() : root.source();
  };
  const std::string& addr = c.support.address;
  const auto atpos = addr.find('@');
  if (atpos == std::string::npos || atpos == 0 || atpos + 1 == addr.size() ||
      addr.find_first_of(" <>\"") != std::string::npos)
    fail(path, at("support", "address"), "support.address", "not a plain address (local@domain)");
  for (char ch : c.tickets.prefix)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.'))
      fail(path, at("tickets", "prefix"), "tickets.prefix",
           "only letters, digits, '-', '_' and '.' are allowed");
  static const char* levels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(std::begin(levels), std::end(levels), c.log.level) == std::end(levels))
    fail(path, at("log", "level"), "log.level", "one of trace, debug, info, warn, error, off");

  check_smtp(path, c, at);
  load_people_and_rules(root, path, c);
  set_default_team(path, c, at("tickets", "default_team"));

  c.store.path = resolve(path, c.store.path);
  for (std::string* p :
       {&c.smtp.password_file, &c.smtp.oauth2_token_file, &c.smtp.ca_file, &c.templates.dir})
    *p = resolve(path, *p);
  for (auto& m : c.mailboxes)
    for (std::string* p : {&m.password_file, &m.oauth2_token_file, &m.ca_file})
      *p = resolve(path, *p);
  if (c.tickets.secret_file.empty()) {
    c.tickets.secret_file = (fs::path(c.store.path).parent_path() / "ticketd.secret").string();
  } else {
    c.tickets.secret_file = resolve(path, c.tickets.secret_file);
  }
  return c;
}

std::string load_or_create_secret(const Config& config) {
  const std::string& file = config.tickets.secret_file;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1) throw ConfigError(file + ": cannot get random bytes");
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    for (unsigned char b : raw) {
      s.push_back(hex[b >> 4]);
      s.push_back(hex[b & 15]);
    }
    s.push_back('\n');
    int w = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (w >= 0) {
      bool ok = ::write(w, s.data(), s.size()) == static_cast<ssize_t>(s.size()) && ::fsync(w) == 0;
      ::close(w);
      if (!ok) throw ConfigError(config.file + ":0: tickets.secret_file: cannot write " + file);
    } else if (errno != EEXIST) {
      throw ConfigError(config.file + ":0: tickets.secret_file: cannot create " + file + ": " +
                        std::strerror(errno));
    }
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0)
    throw ConfigError(config.file + ":0: tickets.secret_file: cannot read " + file + ": " +
                      std::strerror(errno));
  std::string secret;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) secret.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  while (!secret.empty() &&
         (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' '))
    secret.pop_back();
  if (secret.size() < 16)
    throw ConfigError(config.file + ":0: tickets.secret_file: " + file +
                      " holds fewer than 16 bytes; use at least 32 random bytes");
  return secret;
}

}  // namespace ticketd::daemon
