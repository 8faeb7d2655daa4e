// ticketd daemon: process exit codes, as in sysexits.h.
#pragma once

namespace ticketd::daemon {
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;     // EX_USAGE
inline constexpr int kExitDataErr = 65;   // EX_DATAERR
inline constexpr int kExitNoInput = 66;   // EX_NOINPUT
inline constexpr int kExitSoftware = 70;  // EX_SOFTWARE
inline constexpr int kExitIoErr = 74;     // EX_IOERR
inline constexpr int kExitTempFail = 75;  // EX_TEMPFAIL: the MTA keeps the mail and retries
inline constexpr int kExitConfig = 78;    // EX_CONFIG
}  // namespace ticketd::daemon
