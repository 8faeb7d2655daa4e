#!/usr/bin/python3
"""Named crash points: `ticketd run` (built with -DTICKETD_CRASH_POINTS=ON)
kills itself with SIGKILL at one exact point (TICKETD_CRASH_AT, daemon/
crash_point.h), then runs again without it. On the mail stack of the ctest
fixture (or a private one).

  after_fetch       mails fetched and parsed, nothing stored
  after_commit      mails committed, not yet moved on the IMAP server
  after_outbox_row  an acknowledgement claimed and frozen, SMTP not yet spoken
  after_smtp_250    the server took the acknowledgement, the row not marked sent

After the restart, for every point: each mail is exactly one thread entry on
one ticket (no loss, no duplicate ticket), INBOX is empty and Processed holds
each mail once, every acknowledgement reached its customer, and every copy a
customer holds has the Message-ID of its outbox row (a resend after a crash
keeps it, byte for byte, so the customer's mail program shows one mail).
Prints a summary line and 'N passed, M failed'.
"""
import os
import sys
import time
import traceback
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.crashpoint: SIGKILL at named points, then a restart")
RUN = h.new_run_id()
h.budget(400)  # ctest TIMEOUT is 480 s
scratch = h.scratch_dir("crashpoint")
stack = None
POINTS = ["after_fetch", "after_commit", "after_outbox_row", "after_smtp_250"]
MAILS = 3
STEP = 60


def one_point(point):
    d = os.path.join(scratch, point)
    os.makedirs(d, exist_ok=True)
    desk = h.Desk(args, stack, d, f"{point.replace('_', '')}-{RUN}")
    stack.adduser(desk.support)
    for a in desk.agents.values():
        stack.adduser(a)
    customers = [stack.adduser(f"c{i}-{point.replace('_', '')}-{RUN}@example.test") for i in range(MAILS)]
    desk.extra = {("smtp", "timeout_seconds"): 5}
    desk.write_config(desk.base_config())
    mids = []
    for i, c in enumerate(customers):
        mid = f"crash-{point}-{i}-{RUN}@customer.example"
        stack.smtp_send(c, desk.support, h.make_mail(f"Customer {i} <{c}>", desk.support,
                                                     f"Printer jams ({point} {i})", "It jams.\n", mid))
        mids.append(mid)
    R.check(f"{point}.setup_in_inbox", h.wait_until(lambda: stack.count(desk.support) == MAILS, STEP),
            stack.count(desk.support))

    os.environ["TICKETD_CRASH_AT"] = point
    try:
        desk.start(wait_started=False)
    finally:
        del os.environ["TICKETD_CRASH_AT"]
    died = h.wait_until(lambda: not desk.running(), STEP)
    R.check(f"{point}.killed_at_the_point", died and desk.proc.returncode == -9 and
            f"point={point}" in desk.log(), f"rc={desk.proc.returncode}; log:\n{desk.log()[-1500:]}")
    if not died:
        desk.kill9()
        return

    desk.start()
    done = h.wait_until(lambda: stack.count(desk.support) == 0 and
                        all(desk.ticket_of(m) for m in mids) and
                        all(stack.count(c) >= 1 for c in customers) and
                        all(r["state"] == "sent" for r in desk.outbox_rows()), STEP)
    R.check(f"{point}.recovered", done, f"log:\n{desk.log()[-2000:]}")
    desk.term()

    # No loss, no duplicate.
    entries = Counter(m for (m,) in desk.query("SELECT message_id FROM messages WHERE direction = 'in'"))
    lost = [m for m in mids if entries[m] == 0]
    doubled = [m for m in mids if entries[m] > 1]
    tickets = desk.query("SELECT COUNT(*) FROM tickets")[0][0]
    R.check(f"{point}.no_mail_lost", not lost, lost)
    R.check(f"{point}.no_mail_twice", not doubled, doubled)
    R.check(f"{point}.one_ticket_per_mail", tickets == MAILS, tickets)
    processed = Counter(x.get("Message-ID", "").strip().strip("<>")
                        for _, _, x in stack.headers(desk.support, "Processed"))
    R.check(f"{point}.processed_once_each", all(processed[m] == 1 for m in mids) and
            stack.count(desk.support) == 0, (processed, stack.count(desk.support)))
    acks = {r["to"][0]: r for r in desk.outbox_rows(kind="acknowledgement")}
    R.check(f"{point}.one_ack_row_per_customer", sorted(acks) == sorted(customers), sorted(acks))
    resent = 0
    for c in customers:
        got = [x.get("Message-ID", "").strip().strip("<>") for _, _, x in stack.headers(c)]
        row = acks.get(c)
        R.check(f"{point}.ack_arrived.{c.split('-')[0]}", row is not None and got and
                set(got) == {row["message_id"]}, (got, row))
        resent += max(0, len(got) - 1)
    if point == "after_smtp_250":
        # The row was never marked sent: it went again, with its Message-ID and bytes.
        R.check(f"{point}.resent_with_the_same_message_id", resent >= 1, resent)
        for c in customers:
            bodies = {raw for _, raw in fetch_all(c)}
            R.check(f"{point}.resend_is_byte_identical.{c.split('-')[0]}", len(bodies) == 1, len(bodies))
    else:
        R.check(f"{point}.nothing_sent_twice", resent == 0, resent)
    return len(lost), len(doubled), resent


def fetch_all(user):
    """[(uid, the mail as ticketd composed it)]: from its first field (Date, the
    composer writes it first) on, past the trace fields the stack puts on top."""
    out = []
    for uid, raw in stack.fetch_all(user):
        at = raw.find(b"\r\nDate: ")
        out.append((uid, raw[at + 2:] if at >= 0 else raw))
    return out


def main():
    global stack
    stack = h.Stack.shared_or_private(scratch)
    lost = doubled = resent = 0
    for point in POINTS:
        try:
            got = one_point(point)
            if got:
                lost += got[0]
                doubled += got[1]
                resent += got[2]
        except Exception:
            R.check(f"{point}.no_exception", False, traceback.format_exc())
    h.summary(f"faults: {len(POINTS)} crash points injected, mails lost: {lost}, "
              f"mails stored twice: {doubled}, resends (same Message-ID): {resent}")
    return h.finish(R, scratch, stack, args)


if __name__ == "__main__":
    sys.exit(main())
