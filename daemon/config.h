// ticketd daemon: the one TOML config file. Every key lives in one table
// (config.cpp: kKeys) with its type, default and bounds; unknown keys,
// duplicate keys, wrong types and out-of-range values are errors that read
// "file:line: key: problem". Used by ticketd and ticketctl.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lifecycle/engine.h"
#include "lifecycle/guard.h"
#include "lifecycle/rules.h"

namespace ticketd::daemon {

struct Config {
  std::string file;  // the config file as given

  struct {
    std::string path;  // SQLite database; relative paths are relative to the config file
    std::int64_t busy_timeout_ms = 5000;
  } store;

  struct {
    std::string address;  // the support address customers write to
    std::string name = "Support";
  } support;

  struct {
    std::string prefix = "TD-";
    std::int64_t first_number = 1000;
    std::string secret_file;   // key for reply tokens; default: beside the database
    std::string default_team;  // team of tickets no rule routes (see Directory::default_team)
  } tickets;

  struct {
    std::int64_t max_message_bytes = 64ll << 20;
    std::int64_t max_attachment_bytes = 50ll << 20;
  } limits;

  struct {
    std::string level = "warn";  // trace, debug, info, warn, error
  } log;

  // [smtp]: where the outbox goes. Secrets are read from files at start-up.
  struct {
    std::string url;  // smtp://host:port (STARTTLS required) or smtps://host:port
    std::string username;
    std::string password_file;
    std::string oauth2_token_file;  // XOAUTH2 bearer token instead of a password
    std::string ca_file;            // extra trust anchor for a private server
    std::string tls = "required";   // "required", or "none" (loopback hosts only)
    std::int64_t timeout_seconds = 60;
  } smtp;

  // [[mailbox]]: an IMAP mailbox `ticketd run` watches.
  struct Mailbox {
    std::string name;  // for logs and the stored position; unique
    std::string url;   // imap://host:port (STARTTLS required) or imaps://host:port
    std::string username;
    std::string password_file;
    std::string oauth2_token_file;
    std::string ca_file;
    std::string tls = "required";  // or "none" (loopback hosts only)
    std::string folder = "INBOX";
    // Where processed mail goes; empty: it stays and gets `keyword` instead.
    std::string processed_folder = "Processed";
    std::string keyword = "$TicketdProcessed";
    std::string oversized_folder = "Oversized";  // mail over limits.max_message_bytes
  };
  std::vector<Mailbox> mailboxes;

  // [daemon]: `ticketd run`'s timers.
  struct {
    std::int64_t outbox_interval_seconds = 30;  // outbox sweep (a commit also nudges it)
    std::int64_t clock_interval_seconds = 60;   // lifecycle clock
    std::int64_t poll_interval_seconds = 60;    // servers without IDLE
    std::int64_t idle_minutes = 25;             // IDLE is re-issued before servers drop it
    std::int64_t reconnect_max_seconds = 300;   // cap of the reconnect backoff
    std::int64_t batch_mails = 2000;            // mails fetched and committed together
  } daemon;

  // [outbox]: delivery retries. A 4xx or a connection failure defers the row
  // with capped exponential backoff; a 5xx or the last attempt makes it dead.
  struct {
    std::int64_t max_attempts = 10;
    std::int64_t backoff_seconds = 60;        // first retry delay, doubled each time
    std::int64_t backoff_max_seconds = 3600;  // cap
    std::int64_t batch = 50;                  // rows per pass over one SMTP connection
  } outbox;

  // [templates]: the Mustache templates (defaults ship with ticketd).
  struct {
    std::string dir;                  // overrides; a file here replaces the default of that name
    std::int64_t thread_entries = 3;  // the thread's last N entries in a mail
  } templates;

  // [lifecycle], [sla.<priority>], [guard], [[agent]], [[team]], [[rule]]
  lifecycle::LifecycleSettings lifecycle;
  lifecycle::GuardSettings guard;
  lifecycle::Directory directory;
  std::shared_ptr<const lifecycle::RuleSet> rules =
      std::make_shared<const lifecycle::RuleSet>();  // compiled; never null

  // Things that work but are probably not what the admin meant, one line each
  // naming the file ("ticketd.toml: no rule and no default team ..."). Printed
  // by check-config (which still exits 0) and logged by `run` at start-up.
  std::vector<std::string> warnings;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The host of a URL ("smtp://user@host:25/" → "host", "[::1]" kept bracketed).
std::string url_host(std::string_view url);

// Reads and validates `path`. Throws ConfigError with "file:line: key: problem".
Config load_config(const std::string& path);

// The reply-token key: read from tickets.secret_file, created (0600, 32 random
// bytes as hex) when missing. Throws ConfigError when unreadable or too short.
std::string load_or_create_secret(const Config& config);

}  // namespace ticketd::daemon
