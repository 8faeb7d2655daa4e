// ticketd daemon: the systemd notification protocol (sd_notify(3)) spoken
// directly over $NOTIFY_SOCKET, without linking libsystemd; the watchdog interval
// and the "is stderr the journal?" test. No event loop, no timers: the daemon's
// main loop calls these (READY after start-up, WATCHDOG on a timer, RELOADING
// and READY around a SIGHUP reload, STOPPING on shutdown).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace ticketd::daemon::systemd {

// Sends one datagram holding `state` (newline-separated VAR=value assignments,
// as sd_notify(3) describes) to $NOTIFY_SOCKET: an absolute path, or "@name"
// for a socket in the abstract namespace. The environment is read on every call
// and a fresh socket is used, so this is safe from any thread.
// Returns true when the datagram was sent; false when NOTIFY_SOCKET is unset or
// empty (not started by systemd, or Type= is not notify): a no-op. An error
// (unsupported address such as "vsock:…", relative path, empty state, socket or
// send failure) carries a one-line detail naming the socket; it is never thrown.
std::expected<bool, std::string> notify(std::string_view state);

// "READY=1", plus "STATUS=<status>" when status is not empty. Send it once
// start-up is done, and again after each reload has finished.
std::expected<bool, std::string> notify_ready(std::string_view status = {});
// "STOPPING=1": shutdown has begun.
std::expected<bool, std::string> notify_stopping();
// "RELOADING=1\nMONOTONIC_USEC=<CLOCK_MONOTONIC now, µs>": a reload has begun.
// systemd ≥ 253 wants the timestamp for Type=notify-reload; older ones ignore it.
// End the reload with notify_ready().
std::expected<bool, std::string> notify_reloading();
// "WATCHDOG=1": still alive. Send it every watchdog_ping_interval().
std::expected<bool, std::string> notify_watchdog();
// "STATUS=<text>": one line shown by `systemctl status`. Newlines in `text`
// become spaces, so a status can never smuggle in another assignment.
std::expected<bool, std::string> notify_status(std::string_view text);

// How often to send WATCHDOG=1: half of $WATCHDOG_USEC (sd_watchdog_enabled(3)
// advises pinging at half the limit), or nullopt when there is no watchdog —
// WATCHDOG_USEC unset, zero or not a plain decimal number, or WATCHDOG_PID set
// and not our pid (the variables were inherited from a parent).
std::optional<std::chrono::microseconds> watchdog_ping_interval();
// The same decision on given values, for tests: `usec` and `pid` are the
// variables' values (nullptr when unset), `self` the caller's pid.
std::optional<std::chrono::microseconds> watchdog_ping_interval(const char* usec, const char* pid,
                                                                pid_t self);

// True when $JOURNAL_STREAM ("<device>:<inode>", decimal) names the file open on
// `fd`: systemd connected that descriptor to the journal, which stamps the time
// and the unit itself, so log lines can leave out their own timestamp.
// False when the variable is unset or garbage, or fstat fails.
bool is_journal_stream(int fd);
// is_journal_stream(2).
bool stderr_is_journal();

}  // namespace ticketd::daemon::systemd
