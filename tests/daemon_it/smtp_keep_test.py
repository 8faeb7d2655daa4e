#!/usr/bin/python3
"""`ticketd run` keeps its SMTP connection between mails, on a private stack.

The outbox worker keeps the connection open for a while after the last mail
(daemon/run.cpp, kSmtpKeepOpen) instead of connecting, saying EHLO and doing
STARTTLS for every acknowledgement. Its own Postfix + Dovecot, since Postfix
is restarted. Checks:

  1. Two customer mails a second apart: four mails out (acknowledgement and
     agent alert each) over ONE connection; each acknowledgement's `sent`
     line has smtp_ms= and record_ms=; idle_wake is logged at the IDLE wake-up.
  2. Postfix restarted while the connection is kept (what an idle timeout or
     a reload does to it): the next acknowledgement goes at once over a new
     connection, nothing deferred, and arrives exactly once.
Prints 'N passed, M failed'.
"""
import os
import re
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.smtp_keep: the outbox worker keeps its SMTP connection")
RUN = h.new_run_id()
h.budget(150)  # ctest TIMEOUT is 180 s
scratch = h.scratch_dir("smtp-keep")
stack = None
CUSTOMERS = [f"keep{i}-{RUN}@example.test" for i in range(3)]


def send(i):
    mid = f"keep-{i}-{RUN}@customer.example"
    frm = CUSTOMERS[i]
    stack.smtp_send(frm, desk.support, h.make_mail(frm, desk.support, f"Laptop fan is loud ({i})",
                                                   "Hello,\nit is very loud.\n", mid))
    return mid


def ack_sent(mid, what):
    n = h.wait_until(lambda: desk.ticket_of(mid), 30, 0.05)
    line = n and desk.wait_log(rf"\bsent stage=deliver ticket={re.escape(n)} kind=agent_alert", 30)
    R.check(what, line, desk.log()[-2500:])
    return n


def connects():
    return len(desk.log_lines(r"smtp stage=deliver \* Connected to"))


try:
    stack = h.Stack.start_private(
        os.path.join(scratch, "stack"),
        users=[f"support-{RUN}@example.test", f"nick-{RUN}@example.test",
               f"priya-{RUN}@example.test"] + CUSTOMERS)
    desk = h.Desk(args, stack, scratch, RUN)
    desk.extra = {("daemon", "outbox_interval_seconds"): 30}  # only nudges send here
    desk.write_config(desk.base_config())
    desk.start(verbosity="-vv")  # the SMTP dialogue shows each connection

    # ---- 1. one connection for consecutive mails ----
    n0 = ack_sent(send(0), "kept.first_mail_sent")
    n1 = ack_sent(send(1), "kept.second_mail_sent")
    R.check("kept.one_connection_for_four_mails", connects() == 1,
            desk.log_lines(r"Connected to|sent stage="))
    R.check("kept.idle_wake_logged", desk.log_lines(r"\bidle_wake stage=fetch mailbox=support$"),
            desk.log()[-2000:])
    sent = desk.log_lines(rf"\bsent stage=deliver ticket={n1} kind=acknowledgement")
    R.check("kept.sent_line_has_timings",
            sent and re.search(r" smtp_ms=\d+ record_ms=\d+$", sent[0]), sent)

    # ---- 2. the server closed the kept connection ----
    stack.ctl("stop-smtp")
    stack.ctl("start-smtp")
    mid2 = send(2)
    n2 = ack_sent(mid2, "closed.mail_after_restart_sent")
    R.check("closed.new_connection", connects() == 2, desk.log_lines(r"Connected to|sent stage="))
    R.check("closed.nothing_deferred", not desk.log_lines(r"\bdeferred stage=deliver"),
            desk.log_lines(r"\bdeferred stage="))
    acks = h.wait_until(lambda: [x for _, _, x in stack.headers(CUSTOMERS[2])
                                 if (x.get("X-Ticketd-Ticket") or "").strip() == n2], 30, 0.1)
    R.check("closed.ack_arrived", acks, stack.headers(CUSTOMERS[2]))
    rows = desk.outbox_rows(number=n2, kind="acknowledgement")
    R.check("closed.ack_sent_once", len(rows) == 1 and rows[0]["state"] == "sent"
            and rows[0]["attempts"] == 1, rows)
    rc, secs = desk.term()
    R.check("stop.exit_0_promptly", rc == 0 and secs < 5, (rc, secs))
except Exception:  # noqa: BLE001 -- report, then clean up
    R.check("no_exception", False, traceback.format_exc())

sys.exit(h.finish(R, scratch, stack, args))
