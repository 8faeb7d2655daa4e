#!/usr/bin/python3
"""Mail loops, on the mail stack of the ctest fixture (or a private one).

1. A naive auto-responder (this script: it answers every mail in its mailbox
   with a fresh mail to the support address, no Auto-Submitted, no
   threading headers, a person's wording) paired with ticketd for a
   simulated day in 5-minute steps: `ticketd ingest --now T` takes the
   responder's mail, `ticketd deliver --now T` sends over SMTP, the responder
   reads its INBOX over IMAP. The mail ticketd sends it stays within the
   configured limits (at most [guard] max_auto_per_recipient in any window of
   rate_window_minutes, and it stops once the sender has
   max_open_tickets_per_sender open tickets): the loop dies out.
2. Mail marked automatic — Auto-Submitted, Precedence bulk/junk/list, List-Id,
   X-Auto-Response-Suppress, a null envelope sender: no answer at all.
3. ticketd's own acknowledgement delivered back into its inbox: no ticket,
   no answer, one log line.
4. A bounce storm: 1,000 tickets (`run --once` over a Maildir, no [smtp]),
   then 1,000 delivery status reports (multipart/report, null sender), one
   per acknowledgement: each tied to its outbox row's ticket, none answered,
   every failing address suppressed (a new mail from one gets no answer).
Prints a summary line and 'N passed, M failed'.
"""
import email
import email.policy
import email.utils
import os
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.loop: an auto-responder and ticketd for a simulated day")
RUN = h.new_run_id()
h.budget(840)  # ctest TIMEOUT is 900 s
scratch = h.scratch_dir("loop")
stack = None
STEP_S = 300
DAY_S = 86400
MAX_AUTO = 5      # [guard] max_auto_per_recipient (the example's value)
WINDOW_S = 3600   # [guard] rate_window_minutes = 60
MAX_OPEN = 20     # [guard] max_open_tickets_per_sender


def ingest(desk, raw, now, sender=None):
    cmd = [args.ticketd, "ingest", "--config", desk.config_path, "--now", str(now), "-v"]
    if sender is not None:
        cmd += ["-f", sender]
    r = subprocess.run(cmd, input=raw, capture_output=True, timeout=120)
    if r.returncode != 0:
        R.check("ingest exit 0", False, r.stderr[-500:])
    return r.stderr.decode(errors="replace")


def deliver(desk, now):
    r = subprocess.run([args.ticketd, "deliver", "--config", desk.config_path, "--now", str(now)],
                       capture_output=True, timeout=120)
    if r.returncode != 0:
        R.check("deliver exit 0", False, r.stderr[-500:])


def responder_day(desk, bot):
    t0 = int(time.time())
    n = [0]

    def bot_mail(now):
        n[0] += 1
        mid = f"bot-{n[0]}-{RUN}@bot.example"
        raw = h.make_mail(f"Helpful Bot <{bot}>", desk.support, f"Thanks for your mail ({n[0]})",
                          "Thank you, we have your mail and will look at it soon.\n", mid)
        ingest(desk, raw, now)

    bot_mail(t0)
    seen, received = set(), []  # (time, Message-ID) of what ticketd sent the responder
    for step in range(DAY_S // STEP_S):
        now = t0 + step * STEP_S
        deliver(desk, now)
        for uid, raw in stack.fetch_all(bot):
            if uid in seen:
                continue
            seen.add(uid)
            m = email.message_from_bytes(raw, policy=email.policy.default)
            received.append((now, str(m.get("Message-ID", ""))))
            bot_mail(now)  # the responder answers everything
    worst = max((sum(1 for t, _ in received if s <= t < s + WINDOW_S) for s, _ in received), default=0)
    R.check("loop.started", len(received) >= 1, received)
    R.check("loop.within_rate_limit", worst <= MAX_AUTO, (worst, received))
    R.check("loop.stops_at_the_open_ticket_cap", len(received) <= MAX_OPEN, len(received))
    R.check("loop.dies_out", all(t < t0 + DAY_S // 2 for t, _ in received), received[-3:])
    blocked = desk.query("SELECT COUNT(*) FROM events WHERE kind = 'guard' OR detail LIKE '%no acknowledgement%'")
    R.check("loop.guard_says_why", blocked[0][0] >= 1, blocked)
    h.summary(f"loops: a simulated day with a naive auto-responder: {n[0]} mails from it, "
              f"{len(received)} answers from ticketd (at most {worst} in an hour)")
    return received


def automatic_mails(desk):
    now = int(time.time())
    kinds = {
        "auto_submitted": (["Auto-Submitted: auto-replied"], None),
        "precedence_bulk": (["Precedence: bulk"], None),
        "precedence_junk": (["Precedence: junk"], None),
        "precedence_list": (["Precedence: list"], None),
        "list_id": (["List-Id: Staff news <news.example.org>"], None),
        "x_auto_response_suppress": (["X-Auto-Response-Suppress: All"], None),
        "null_sender": ([], ""),
    }
    answered = 0
    for name, (extra, envelope) in kinds.items():
        frm = f"{name.replace('_', '')}-{RUN}@auto.example"
        raw = h.make_mail(f"Someone <{frm}>", desk.support, "Hello there",
                          "A mail that looks like a person's, but for its header.\n",
                          f"auto-{name}-{RUN}@auto.example", extra=extra)
        ingest(desk, raw, now, sender=envelope)
        rows = desk.query("SELECT COUNT(*) FROM outbox o JOIN outbox_recipients r ON r.outbox_id = o.id "
                          "WHERE r.address = ?", frm)[0][0]
        R.check(f"automatic.{name}.no_answer", rows == 0, rows)
        answered += rows
    h.summary(f"loops: {len(kinds)} kinds of automatic mail, answers: {answered}")


def own_mail_back(desk, bot):
    got = stack.fetch_all(bot)
    R.check("own.have_an_ack", bool(got))
    if not got:
        return
    raw = got[0][1]
    tickets = desk.query("SELECT COUNT(*) FROM tickets")[0][0]
    rows = desk.query("SELECT COUNT(*) FROM outbox")[0][0]
    log = ingest(desk, raw, int(time.time()))
    R.check("own.no_ticket", desk.query("SELECT COUNT(*) FROM tickets")[0][0] == tickets)
    R.check("own.no_answer", desk.query("SELECT COUNT(*) FROM outbox")[0][0] == rows)
    R.check("own.quarantined_as_own_mail",
            desk.query("SELECT reason FROM quarantine ORDER BY id DESC LIMIT 1") == [("own_mail",)])
    lines = [ln for ln in log.splitlines() if ln.strip()]
    R.check("own.one_log_line", len(lines) == 1 and "own_mail" in lines[0], lines)


STORM = 1000


def dsn(desk, customer, ack_id, number, k):
    """A delivery status report (RFC 3464) for the acknowledgement `ack_id`."""
    return (f"Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.storm.example>\r\n"
            f"To: {desk.support}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            f"Date: {email.utils.formatdate()}\r\nMessage-ID: <dsn-{k}-{RUN}@mx.storm.example>\r\n"
            f"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            f'Content-Type: multipart/report; report-type=delivery-status; boundary="b{k}"\r\n\r\n'
            f"--b{k}\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered to "
            f"<{customer}>: 550 5.1.1 User unknown\r\n"
            f"--b{k}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.storm.example\r\n"
            f"\r\nFinal-Recipient: rfc822; {customer}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            f"Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
            f"--b{k}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: {desk.support}\r\n"
            f"To: {customer}\r\nSubject: [#{number}] Printer jams\r\nMessage-ID: <{ack_id}>\r\n"
            f"--b{k}--\r\n").encode()


def bounce_storm():
    d = os.path.join(scratch, "storm")
    os.makedirs(d, exist_ok=True)
    desk = h.Desk(args, stack, d, f"storm-{RUN}")
    stack.adduser(desk.support)
    c = desk.base_config()
    c.drop("[smtp]")  # nothing leaves: the reports below are about the queued rows
    desk.write_config(c)
    md = stack.maildir(desk.support)
    customers = [f"c{k:04d}-{RUN}@storm.example" for k in range(STORM)]
    for k, cust in enumerate(customers):
        stack.drop_mail(md, h.make_mail(f"Customer {k} <{cust}>", desk.support, f"Printer jams ({k})",
                                        "It jams again.\n", f"storm-{k}-{RUN}@storm.example"),
                        f"{int(time.time())}.S{k}.{RUN}")
    rc, err = desk.once(timeout=400)
    R.check("storm.tickets_opened", rc == 0 and desk.query("SELECT COUNT(*) FROM tickets")[0][0] == STORM,
            err[-800:])
    acks = {r["to"][0]: r for r in desk.outbox_rows(kind="acknowledgement")}
    R.check("storm.one_ack_each", len(acks) == STORM, len(acks))
    rows_before = desk.query("SELECT COUNT(*) FROM outbox")[0][0]
    for k, cust in enumerate(customers):
        if cust in acks:
            stack.drop_mail(md, dsn(desk, cust, acks[cust]["message_id"], acks[cust]["ticket"], k),
                            f"{int(time.time())}.D{k}.{RUN}")
    rc, err = desk.once(timeout=400)
    R.check("storm.reports_stored", rc == 0 and stack.count(desk.support) == 0, err[-800:])
    tied = desk.query("SELECT COUNT(DISTINCT e.ticket_id) FROM events e JOIN outbox o ON "
                      "o.ticket_id = e.ticket_id AND o.kind = 'acknowledgement' AND "
                      "instr(e.detail, o.message_id) > 0 WHERE e.kind = 'delivery_failure'")[0][0]
    quarantined = desk.query("SELECT COUNT(*) FROM quarantine")[0][0]
    answers = desk.query("SELECT COUNT(*) FROM outbox")[0][0] - rows_before
    suppressed = desk.query("SELECT COUNT(*) FROM failing_addresses WHERE address LIKE ?",
                            f"%-{RUN}@storm.example")[0][0]
    R.check("storm.each_tied_to_its_row", tied == STORM and quarantined == 0, (tied, quarantined))
    R.check("storm.no_answer", answers == 0, answers)
    R.check("storm.failing_addresses_suppressed", suppressed == STORM, suppressed)
    # A new question from a failing address: stored, not answered, and said why.
    cust = customers[7]
    stack.drop_mail(md, h.make_mail(f"Customer 7 <{cust}>", desk.support, "Another thing",
                                    "Also the scanner.\n", f"storm-again-{RUN}@storm.example"),
                    f"{int(time.time())}.A.{RUN}")
    desk.once(timeout=120)
    number = desk.ticket_of(f"storm-again-{RUN}@storm.example")
    R.check("storm.new_mail_stored", number is not None)
    R.check("storm.new_mail_not_answered", not desk.outbox_rows(number=number, kind="acknowledgement"),
            desk.outbox_rows(number=number))
    h.summary(f"storms: {STORM} delivery reports, tied to their row: {tied}, answers: {answers}, "
              f"addresses suppressed: {suppressed}")


def main():
    global stack
    stack = h.Stack.shared_or_private(scratch)
    desk = h.Desk(args, stack, scratch, RUN)
    stack.adduser(desk.support)
    for a in desk.agents.values():
        stack.adduser(a)
    bot = stack.adduser(f"bot-{RUN}@example.test")
    desk.write_config(desk.base_config())
    for part in (lambda: responder_day(desk, bot), lambda: automatic_mails(desk),
                 lambda: own_mail_back(desk, bot), bounce_storm):
        try:
            part()
        except Exception:
            R.check("no_exception", False, traceback.format_exc())
    return h.finish(R, scratch, stack, args)


if __name__ == "__main__":
    sys.exit(main())
