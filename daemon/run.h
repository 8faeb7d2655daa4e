// ticketd daemon: `ticketd run` — one Boost.Asio io_context owns signals
// (SIGTERM/SIGINT stop, SIGHUP reloads), the lifecycle clock timer, the
// systemd watchdog and readiness; the blocking curl work runs on worker
// threads (one IMAP poller per [[mailbox]], one outbox worker) that post
// back to it. A commit nudges the outbox worker; its periodic sweep is the
// truth. The worker keeps its SMTP connection open a minute after the last mail.
#pragma once

#include <string>

namespace ticketd::daemon {

// Runs until SIGTERM/SIGINT (exit 0). `once`: one pass over every mailbox,
// the clock and the outbox, then exit (0, or 75 when a mailbox or the store
// could not be reached). 78 for a bad config at start.
int run_daemon(const std::string& config_path, bool once, int verbosity);

}  // namespace ticketd::daemon
