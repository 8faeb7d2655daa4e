// libFuzzer target: agent command lines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/check.h"
#include "lifecycle/commands.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto mail = ticketd::lifecycle::parse_agent_commands(
      std::string_view(reinterpret_cast<const char*>(data), size));
  FUZZ_CHECK(mail.commands.size() <= 50);
  return 0;
}
