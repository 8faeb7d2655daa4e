// Named crash points for the fault tests (tests/daemon_it/crashpoint_test.py).
// Built with -DTICKETD_CRASH_POINTS=ON (the test command's build), the process
// kills itself with SIGKILL — as a power cut or the OOM killer would — the
// first time it reaches the point named by TICKETD_CRASH_AT, after one log
// line saying so. Other builds compile the calls away and never read the
// variable. The points:
//   after_fetch       mails fetched and parsed, nothing stored
//   after_commit      mails committed, not yet moved on the IMAP server
//   after_outbox_row  an outbox row claimed and frozen, SMTP not yet spoken
//   after_smtp_250    the server accepted the mail, the row not yet marked sent
#pragma once

#include <string_view>

namespace ticketd::daemon {

#ifdef TICKETD_CRASH_POINTS
void crash_point(std::string_view name);
#else
inline void crash_point(std::string_view) {}
#endif

}  // namespace ticketd::daemon
