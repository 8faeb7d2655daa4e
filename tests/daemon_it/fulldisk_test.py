#!/usr/bin/python3
"""The database on a full file system (a 4 MiB tmpfs mounted in the scratch
dir; needs root), with the mail stack of the ctest fixture (or a private one).

1. Pipe mode: with the disk full, `ticketd ingest` of a mail exits 75 (the MTA
   keeps the mail and retries) and says why; nothing half-stored. With the
   space back, the same mail is stored: exit 0, one ticket.
2. `ticketd run`: the disk fills while it idles; a customer mail arrives: the
   commit fails, the daemon keeps running and logs it, the mail stays in the
   INBOX (not moved, not lost). With the space back the daemon stores it on
   its own (a retry, no new mail needed) and moves it; exactly one ticket.
Prints a summary line and 'N passed, M failed'.
"""
import os
import sqlite3
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.fulldisk: the database on a full file system")
RUN = h.new_run_id()
h.budget(300)  # ctest TIMEOUT is 360 s
scratch = h.scratch_dir("fulldisk")
stack = None
mounts = []
STEP = 45


def mount_small(path, size="4m"):
    os.makedirs(path, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", path], check=True)
    mounts.append(path)


def fill(path):
    """Fills the file system at `path` with one file; returns its path."""
    filler = os.path.join(path, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for chunk in (65536, 512):  # then the last partial blocks
            while True:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError:
                    break
    finally:
        os.close(fd)
    return filler


def big_mail(frm, mid, subject):
    # Big enough that its commit needs new pages, whatever the WAL has free.
    att = ("A" * 76 + "\r\n") * 6000  # ~470 KB of base64
    body = (f"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
            f"See the log.\r\n--b\r\nContent-Type: application/octet-stream; name=log.bin\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{att}--b--\r\n")
    return (f"From: {frm}\r\nTo: support@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{mid}>\r\nDate: Tue, 24 Nov 2026 09:15:00 +0100\r\nMIME-Version: 1.0\r\n"
            + body).encode()


def pipe_mode():
    d = os.path.join(scratch, "pipe")
    mount_small(d)
    cfg = os.path.join(d, "ticketd.toml")
    with open(cfg, "w") as f:
        f.write('[store]\npath = "ticketd.db"\n[support]\naddress = "support@example.com"\n')
    ingest = [args.ticketd, "ingest", "--config", cfg]
    r = subprocess.run(ingest, input=big_mail("ann@example.org", f"first-{RUN}@x", "first"),
                       capture_output=True, timeout=60)
    R.check("pipe.first_mail_stored", r.returncode == 0, r.stderr[-500:])
    filler = fill(d)
    mail = big_mail("bob@example.org", f"second-{RUN}@x", "second while full")
    r = subprocess.run(ingest, input=mail, capture_output=True, timeout=60)
    R.check("pipe.full_exits_75", r.returncode == 75, (r.returncode, r.stderr[-500:]))
    R.check("pipe.full_says_why", b"full" in r.stderr.lower() or b"space" in r.stderr.lower(),
            r.stderr[-500:])
    os.unlink(filler)
    r = subprocess.run(ingest, input=mail, capture_output=True, timeout=60)
    R.check("pipe.space_back_stored", r.returncode == 0, (r.returncode, r.stderr[-500:]))
    con = sqlite3.connect(f"file:{os.path.join(d, 'ticketd.db')}?mode=ro", uri=True)
    n = con.execute("SELECT COUNT(*) FROM messages WHERE message_id = ?", (f"second-{RUN}@x",)).fetchone()[0]
    t = con.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
    con.close()
    R.check("pipe.stored_once", n == 1 and t == 2, (n, t))
    return 0 if n == 1 else 1


def daemon_mode():
    d = os.path.join(scratch, "daemon")
    os.makedirs(d, exist_ok=True)
    db_dir = os.path.join(d, "db")
    mount_small(db_dir)
    desk = h.Desk(args, stack, d, f"full-{RUN}")
    desk.db = os.path.join(db_dir, "ticketd.db")
    stack.adduser(desk.support)
    for a in desk.agents.values():
        stack.adduser(a)
    cust = stack.adduser(f"cust-{RUN}@example.test")
    desk.extra = {("daemon", "reconnect_max_seconds"): 2}
    desk.write_config(desk.base_config())
    desk.start()
    # A first mail, so the store has its schema and a WAL.
    stack.smtp_send(cust, desk.support, h.make_mail(f"Cust <{cust}>", desk.support, "first",
                                                    "hello\n", f"d1-{RUN}@x"))
    R.check("daemon.first_stored", h.wait_until(lambda: desk.ticket_of(f"d1-{RUN}@x"), STEP),
            desk.log()[-1500:])
    filler = fill(db_dir)
    mid = f"d2-{RUN}@x"
    raw = big_mail(f"Cust <{cust}>", mid, "while the disk is full")
    stack.smtp_send(cust, desk.support, raw)
    failed = h.wait_until(lambda: "batch_not_stored" in desk.log() or "store" in desk.log().lower() and
                          "full" in desk.log().lower(), STEP)
    R.check("daemon.commit_failure_logged", failed, desk.log()[-1500:])
    R.check("daemon.still_running", desk.running(), desk.log()[-1500:])
    R.check("daemon.mail_stays_in_inbox", stack.count(desk.support) == 1 and not desk.ticket_of(mid),
            (stack.count(desk.support), desk.ticket_of(mid)))
    os.unlink(filler)
    recovered = h.wait_until(lambda: desk.ticket_of(mid) and stack.count(desk.support) == 0, STEP)
    R.check("daemon.recovers_by_itself", recovered, desk.log()[-2000:])
    n = desk.query("SELECT COUNT(*) FROM messages WHERE message_id = ?", mid)[0][0]
    R.check("daemon.stored_once", n == 1, n)
    lost = 0 if n == 1 else 1
    rc, _ = desk.term()
    R.check("daemon.stops_cleanly", rc == 0, rc)
    return lost


def main():
    global stack
    stack = h.Stack.shared_or_private(scratch)
    lost = 0
    try:
        for part in (pipe_mode, daemon_mode):
            try:
                lost += part()
            except Exception:
                lost += 1
                R.check(f"{part.__name__}.no_exception", False, traceback.format_exc())
    finally:
        h.cleanup_procs()
        for m in reversed(mounts):
            subprocess.run(["umount", "-l", m], capture_output=True)
    h.summary(f"faults: disk full in pipe mode and in the daemon, mails lost: {lost}")
    return h.finish(R, scratch, stack, args)


if __name__ == "__main__":
    sys.exit(main())
