// libFuzzer target: agent command lines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lifecycle/commands.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto mail = ticketd::lifecycle::parse_agent_commands(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return mail.commands.size() > 50 ? 1 : 0;
}
