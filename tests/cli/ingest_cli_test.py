#!/usr/bin/python3
"""The ticketd / ticketctl command lines as an MTA and an admin use them.

Runs the real binaries in a scratch directory: pipe-mode exit codes (0, 75, 78),
`ticketctl list/show/quarantine --json` fields, threading through the binary,
a locked and a read-only database (the mail must not be lost: exit 75, and a
retry later stores it). Prints 'N passed, M failed'.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--ticketd", required=True)
ap.add_argument("--ticketctl", required=True)
args = ap.parse_args()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402


def run(cmd, stdin=b"", user=None):
    pre = []
    if user is not None:
        pre = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"]
    return subprocess.run(pre + cmd, input=stdin, capture_output=True, timeout=120)


def mail(frm="Karen Jones <karen@example.com>", subject="Locked out after password change",
         mid="<k1@mail.example>", irt=None, body="I cannot log in since this morning.\n"):
    h = [f"From: {frm}", "To: IT Support <support@example.com>", f"Subject: {subject}",
         "Date: Tue, 24 Nov 2026 09:15:00 +0100", f"Message-ID: {mid}"]
    if irt:
        h.append(f"In-Reply-To: {irt}")
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\r\n".join(h) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


scratch = tempfile.mkdtemp(prefix="ticketd-cli-")
os.chmod(scratch, 0o755)


def write_config(name, extra=""):
    d = os.path.join(scratch, name)
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o755)
    cfg = os.path.join(d, "ticketd.toml")
    with open(cfg, "w") as f:
        f.write(f"""# test config
[store]
path = "ticketd.db"
busy_timeout_ms = 200

[support]
address = "support@example.com"
name = "IT Support"

[tickets]
prefix = "TD-"
{extra}
""")
    return d, cfg


def ctl(cfg, *a):
    r = run([args.ticketctl, "--config", cfg, *a])
    return r, (json.loads(r.stdout) if r.returncode == 0 and "--json" in a else None)


try:
    # --help / --version on both binaries.
    for b in (args.ticketd, args.ticketctl):
        r = run([b, "--version"])
        check(f"{os.path.basename(b)} --version", r.returncode == 0 and b"0." in r.stdout, r.stdout)
        r = run([b, "--help"])
        check(f"{os.path.basename(b)} --help", r.returncode == 0 and b"Usage" in r.stdout, r.stdout[:200])

    # A bad config names file, line and key; exit 78.
    d, cfg = write_config("bad", extra='colour = "blue"')
    r = run([args.ticketd, "ingest", "--config", cfg], mail())
    err = r.stderr.decode()
    check("bad config exits 78", r.returncode == 78, r.returncode)
    check("bad config names file:line: key", f"{cfg}:12: tickets.colour: unknown key" in err, err)
    r = run([args.ticketd, "ingest", "--config", os.path.join(scratch, "missing.toml")], mail())
    check("missing config exits 78", r.returncode == 78, r.returncode)
    d, cfg = write_config("dup", extra='prefix = "X-"')
    r = run([args.ticketd, "check-config", "--config", cfg])
    check("duplicate key names file:line: key", r.returncode == 78 and
          f"{cfg}:12: tickets.prefix: duplicate key".encode() in r.stderr, r.stderr)
    d, cfg = write_config("bad2", extra="first_number = -5")
    r = run([args.ticketd, "check-config", "--config", cfg])
    check("out-of-range value exits 78", r.returncode == 78 and b"tickets.first_number" in r.stderr,
          r.stderr)

    # The happy path: silent success, then list/show.
    d, cfg = write_config("main")
    r = run([args.ticketd, "ingest", "--config", cfg], mail())
    check("ingest exits 0", r.returncode == 0, (r.returncode, r.stderr))
    check("ingest prints nothing", r.stdout == b"" and r.stderr == b"", (r.stdout, r.stderr))
    check("secret created 0600",
          oct(os.stat(os.path.join(d, "ticketd.secret")).st_mode & 0o777) == "0o600")
    r = run([args.ticketd, "ingest", "--config", cfg, "-v"],
            mail(subject="Re: Locked out", mid="<k2@mail.example>", irt="<k1@mail.example>",
                 body="My recovery address is still the old one.\n"))
    check("reply exits 0", r.returncode == 0, r.stderr)
    check("-v logs the outcome with the ticket", b"outcome=reply ticket=TD-1001" in r.stderr, r.stderr)
    r = run([args.ticketd, "ingest", "--config", cfg], mail())
    check("duplicate exits 0", r.returncode == 0, r.stderr)
    r = run([args.ticketd, "ingest", "--config", cfg],
            mail(frm="Mallory <mallory@evil.example>", subject="Re: [#TD-1001] Locked out",
                 mid="<m1@evil.example>", irt="<k1@mail.example>", body="Send me the reset link.\n"))
    check("stranger exits 0", r.returncode == 0, r.stderr)

    r, tickets = ctl(cfg, "list", "--json")
    check("list --json exits 0", r.returncode == 0, r.stderr)
    if tickets is not None:
        check("two tickets", len(tickets) == 2, tickets)
        t = tickets[0]
        for k in ("number", "tag", "subject", "state", "requester", "messages"):
            check(f"list field {k}", k in t, t)
        check("number with prefix", t.get("number") == "TD-1001", t)
        check("tag as in subjects", t.get("tag") == "[#TD-1001]", t)
        check("requester", t.get("requester") == {"name": "Karen Jones", "address": "karen@example.com"}, t)
        check("messages counted once (duplicate ignored)", t.get("messages") == 2, t)
        check("state new", t.get("state") == "new", t)
        check("stranger gets own ticket", tickets[1]["requester"]["address"] == "mallory@evil.example",
              tickets[1])
    r, show = ctl(cfg, "show", "TD-1001", "--json")
    check("show --json exits 0", r.returncode == 0, r.stderr)
    if show is not None:
        th = show.get("thread", [])
        check("thread has 2 entries", len(th) == 2, th)
        if th:
            e = th[0]
            for k in ("message_id", "from", "direction", "kind", "at", "text"):
                check(f"thread field {k}", k in e, e)
            check("thread order and ids", [x["message_id"] for x in th] == ["k1@mail.example", "k2@mail.example"], th)
            check("direction in, kind customer", e.get("direction") == "in" and e.get("kind") == "customer", e)
            check("text decoded", "cannot log in" in e.get("text", ""), e)
        kinds = [ev["kind"] for ev in show.get("events", [])]
        check("events created, message_added, duplicate",
              kinds[:1] == ["created"] and "message_added" in kinds and "duplicate" in kinds, kinds)
    r, show2 = ctl(cfg, "show", "TD-1002", "--json")
    if show2 is not None:
        detail = show2["events"][0]["detail"]
        check("stranger's event says why", "not a participant of TD-1001" in detail, detail)
    r = run([args.ticketctl, "--config", cfg, "list"])
    check("list table for people", r.returncode == 0 and b"NUMBER" in r.stdout and b"TD-1001" in r.stdout,
          r.stdout)
    r = run([args.ticketctl, "--config", cfg, "show", "TD-1001"])
    check("show for people", r.returncode == 0 and b"Events:" in r.stdout, r.stdout)
    r = run([args.ticketctl, "--config", cfg, "show", "TD-9999"])
    check("show unknown ticket fails clearly", r.returncode != 0 and b"no ticket TD-9999" in r.stderr, r.stderr)

    # Not a mail at all: stored in the quarantine, exit 0.
    r = run([args.ticketd, "ingest", "--config", cfg], b"\x00\x01garbage without headers")
    check("garbage exits 0", r.returncode == 0, r.stderr)
    r, q = ctl(cfg, "quarantine", "--json")
    check("garbage quarantined with reason", q is not None and len(q) == 1 and q[0]["reason"] == "no_headers", q)

    # Oversized mail: quarantined, not parsed, exit 0.
    d2, cfg2 = write_config("big", extra="[limits]\nmax_message_bytes = 4096")
    r = run([args.ticketd, "ingest", "--config", cfg2], mail(body="x" * 10000 + "\n"))
    check("oversized exits 0", r.returncode == 0, r.stderr)
    r, q = ctl(cfg2, "quarantine", "--json")
    check("oversized quarantined", q is not None and q and q[0]["reason"] == "too_big", q)

    # A locked database: exit 75, nothing written, a retry later stores the mail.
    d3, cfg3 = write_config("locked")
    run([args.ticketd, "check-config", "--config", cfg3])
    con = sqlite3.connect(os.path.join(d3, "ticketd.db"), isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    r = run([args.ticketd, "ingest", "--config", cfg3], mail())
    check("locked db exits 75", r.returncode == 75, (r.returncode, r.stderr))
    check("locked db says try again", b"try again later" in r.stderr, r.stderr)
    con.execute("ROLLBACK")
    con.close()
    r, t = ctl(cfg3, "list", "--json")
    check("nothing stored while locked", t == [], t)
    r = run([args.ticketd, "ingest", "--config", cfg3], mail())
    check("retry after lock stores the mail", r.returncode == 0, r.stderr)
    r, t = ctl(cfg3, "list", "--json")
    check("mail there after retry", t is not None and len(t) == 1, t)

    # A read-only database: exit 75, and the mail is stored once it is writable.
    d4, cfg4 = write_config("readonly")
    run([args.ticketd, "check-config", "--config", cfg4])
    secret = os.path.join(d4, "ticketd.secret")
    if os.geteuid() == 0:
        # root ignores file modes: run the MTA's delivery as nobody instead.
        os.chmod(secret, 0o644)
        for f in os.listdir(d4):
            os.chmod(os.path.join(d4, f), 0o644)
        r = run([args.ticketd, "ingest", "--config", cfg4], mail(), user=65534)
    else:
        os.chmod(os.path.join(d4, "ticketd.db"), 0o444)
        os.chmod(d4, 0o555)
        r = run([args.ticketd, "ingest", "--config", cfg4], mail())
        os.chmod(d4, 0o755)
    check("read-only db exits 75", r.returncode == 75, (r.returncode, r.stderr))
    r = run([args.ticketd, "ingest", "--config", cfg4], mail())
    check("writable again: stored", r.returncode == 0, r.stderr)
    r, t = ctl(cfg4, "list", "--json")
    check("read-only case: one ticket after retry", t is not None and len(t) == 1, t)
finally:
    shutil.rmtree(scratch, ignore_errors=True)

finish()
