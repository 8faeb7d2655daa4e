#include "daemon/crash_point.h"

#ifdef TICKETD_CRASH_POINTS
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace ticketd::daemon {

void crash_point(std::string_view name) {
  static const char* wanted = std::getenv("TICKETD_CRASH_AT");
  if (wanted == nullptr || name != wanted) return;
  // One line straight to stderr (the logger may buffer), then the kill.
  const std::string line = "crash_point stage=test point=" + std::string(name) + ": SIGKILL\n";
  (void)!write(STDERR_FILENO, line.data(), line.size());
  ::kill(::getpid(), SIGKILL);
}

}  // namespace ticketd::daemon
#endif
