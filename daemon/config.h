// ticketd daemon: the one TOML config file. Every key lives in one table
// (config.cpp: kKeys) with its type, default and bounds; unknown keys,
// duplicate keys, wrong types and out-of-range values are errors that read
// "file:line: key: problem". Used by ticketd and ticketctl.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
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
    std::string secret_file;  // key for reply tokens; default: beside the database
  } tickets;

  struct {
    std::int64_t max_message_bytes = 64ll << 20;
    std::int64_t max_attachment_bytes = 50ll << 20;
  } limits;

  struct {
    std::string level = "warn";  // trace, debug, info, warn, error
  } log;

  // [lifecycle], [sla.<priority>], [guard], [[agent]], [[team]], [[rule]]
  lifecycle::LifecycleSettings lifecycle;
  lifecycle::GuardSettings guard;
  lifecycle::Directory directory;
  std::shared_ptr<const lifecycle::RuleSet> rules =
      std::make_shared<const lifecycle::RuleSet>();  // compiled; never null
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and validates `path`. Throws ConfigError with "file:line: key: problem".
Config load_config(const std::string& path);

// The reply-token key: read from tickets.secret_file, created (0600, 32 random
// bytes as hex) when missing. Throws ConfigError when unreadable or too short.
std::string load_or_create_secret(const Config& config);

}  // namespace ticketd::daemon
