// libFuzzer target: the config loader. Any text gives a Config or a
// ConfigError that names the file and a line ("path:12: key: problem");
// never another exception, a crash or a hang.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "daemon/config.h"
#include "fuzz/check.h"

namespace {

// This process's scratch directory, removed when the fuzzer exits (every
// scripts/test.sh run left one behind in /tmp).
std::string& scratch_dir() {
  static std::string dir;
  return dir;
}

void remove_scratch_dir() {
  std::error_code ignored;
  std::filesystem::remove_all(scratch_dir(), ignored);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("ticketd-fuzz-config-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    scratch_dir() = d.string();
    std::atexit(remove_scratch_dir);
    return d.string();
  }();
  const std::string path = dir + "/ticketd.toml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const auto config = ticketd::daemon::load_config(path);
    FUZZ_CHECK(!config.support.address.empty());
  } catch (const ticketd::daemon::ConfigError& e) {
    const std::string what = e.what();
    FUZZ_CHECK(what.starts_with(path + ":"));
    const std::size_t digits = what.find_first_not_of("0123456789", path.size() + 1);
    FUZZ_CHECK(digits != std::string::npos && digits > path.size() + 1 && what[digits] == ':');
  } catch (const std::exception& e) {
    std::fprintf(stderr, "not a ConfigError: %s\n", e.what());
    FUZZ_CHECK(false);
  }
  return 0;
}
