#!/usr/bin/python3
"""Hostile mail through the real binaries (`ticketd ingest`, pipe mode), each
mail crafted here:

- limits: 1,000-deep nesting, 100k parts, a 10 MB header, 10k RFC 2231
  continuations, 100k addresses, an unknown charset, truncated UTF-8, NUL
  bytes, bare CR line ends, 8-bit headers, a mail over the size limit. Each
  must finish (a generous bound: this is the ASan build; it is a hang check,
  not a speed test), exit 0, and be stored with the defect named in its
  ticket's events, or quarantined with a reason;
- attachment names with ../, absolute paths, device names, 300 bytes, encoded
  slashes and control characters: stored by id and hash, and the process
  touches no file-system path made from them (strace); ticketctl prints no
  control character to a terminal;
- HTML with script, event handlers, remote images, CSS url(), iframes, meta
  refresh: the stored text has none of it, and nothing connects to the
  remote addresses (a listener on 127.0.0.1 counts connections; strace sees
  no socket);
- headers only ticketd may set (X-Ticketd-*), a fake Authentication-Results
  and our own markers in a stranger's mail: ignored (no threading, no
  commands, not mistaken for our own mail).

Prints one summary line per category and 'N passed, M failed'.
"""
import argparse
import base64
import email
import email.policy
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--ticketd", required=True)
ap.add_argument("--ticketctl", required=True)
args = ap.parse_args()

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from checks import check, finish, summary  # noqa: E402

BOUND_S = 120  # per mail; ASan+UBSan Debug build on 2 shared cores
MARK = "zq7hostile"  # in every hostile attachment name and URL: strace looks for it
STRACE = shutil.which("strace")

scratch = tempfile.mkdtemp(prefix="ticketd-hostile-")
os.chmod(scratch, 0o755)
tally = {}


troubled = {}  # category -> runs that hung or did not exit 0
current = [""]


def count(category, inputs=1):
    tally[category] = tally.get(category, 0) + inputs
    current[0] = category


def write_config(name, extra=""):
    d = os.path.join(scratch, name)
    os.makedirs(d, exist_ok=True)
    cfg = os.path.join(d, "ticketd.toml")
    with open(cfg, "w") as f:
        f.write(f"""[store]
path = "ticketd.db"
[support]
address = "support@example.com"
name = "IT Support"
[tickets]
prefix = "TD-"
[[team]]
name = "it"
assign = "nick.moss@example.com"
[[agent]]
name = "Nick Moss"
address = "nick.moss@example.com"
teams = ["it"]
{extra}
""")
    return d, cfg


def head(mid, subject="Hostile", frm="Hostile Tester <hostile@example.net>", extra=()):
    h = [f"From: {frm}", "To: IT Support <support@example.com>", f"Subject: {subject}",
         "Date: Tue, 24 Nov 2026 09:15:00 +0100", f"Message-ID: <{mid}>", "MIME-Version: 1.0",
         *extra]
    return ("\r\n".join(h) + "\r\n").encode()


def ingest(cfg, raw, trace=None):
    """Pipes `raw` into `ticketd ingest`; with trace=FILE under strace."""
    cmd = [args.ticketd, "ingest", "--config", cfg]
    env = None
    if trace and STRACE:
        cmd = [STRACE, "-f", "-qq", "-o", trace, "-e", "trace=%file,%network", *cmd]
        # LeakSanitizer cannot run under ptrace (the ASan build): off for this run only.
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    t = time.monotonic()
    try:
        r = subprocess.run(cmd, input=raw, capture_output=True, timeout=BOUND_S, env=env)
    except subprocess.TimeoutExpired:
        troubled[current[0]] = troubled.get(current[0], 0) + 1
        return None, BOUND_S
    if r.returncode != 0:
        troubled[current[0]] = troubled.get(current[0], 0) + 1
    return r, time.monotonic() - t


def db(d):
    return sqlite3.connect(f"file:{os.path.join(d, 'ticketd.db')}?mode=ro", uri=True)


def ticket_of(d, mid):
    with db(d) as c:
        row = c.execute("SELECT t.id, t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                        "WHERE m.message_id = ?", (mid,)).fetchone()
    return row


def events(d, ticket_id):
    with db(d) as c:
        return c.execute("SELECT kind, detail FROM events WHERE ticket_id = ? ORDER BY id",
                         (ticket_id,)).fetchall()


def newest_quarantine(d):
    with db(d) as c:
        return c.execute("SELECT reason, detail FROM quarantine ORDER BY id DESC LIMIT 1").fetchone()


def multipart(parts, boundary="b"):
    delim = f"--{boundary}\r\n".encode()
    return b"".join([f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode(),
                     *(delim + p + b"\r\n" for p in parts), f"--{boundary}--\r\n".encode()])


try:
    # ---- limits -------------------------------------------------------------
    d, cfg = write_config("limits")
    deep = b"".join(f"--n{i}\r\nContent-Type: multipart/mixed; boundary=n{i + 1}\r\n\r\n".encode()
                    for i in range(1000)) + b"--n1000\r\nContent-Type: text/plain\r\n\r\ndeep down\r\n"
    continuations = "; ".join(f"filename*{i}*=utf-8''part{i}" if i == 0 else
                              f"filename*{i}*=part{i}" for i in range(10000))
    # Short ones, so that 100k fit in the 1 MiB a header block may have.
    addresses = ",".join(f"{i:x}@x" for i in range(100000))
    cases = [
        ("nesting_1000", head("deep@hostile.example") +
         b"Content-Type: multipart/mixed; boundary=n0\r\n\r\n" + deep, ["too_deep"]),
        ("parts_100k", head("parts@hostile.example") +
         multipart([b"Content-Type: text/plain\r\n\r\nx"] * 100000), ["too_many_parts"]),
        ("header_10mb", head("bighead@hostile.example") + b"X-Junk: " + b"a" * (10 << 20) +
         b"\r\n\r\nbody\r\n", ["header_too_big"]),
        ("rfc2231_10k", head("params@hostile.example") +
         multipart([b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; " +
                    continuations.encode() + b"\r\n\r\ndata"]), ["too_many_params"]),
        ("addresses_100k", head("addrs@hostile.example", extra=[f"Cc: {addresses}"]) +
         b"\r\nhello all\r\n", ["too_many_addresses"]),
        ("unknown_charset", head("charset@hostile.example") +
         b"Content-Type: text/plain; charset=x-no-such-charset-42\r\n\r\nna\xefve caf\xe9\r\n",
         ["unknown_charset"]),
        ("truncated_utf8", head("trunc@hostile.example") +
         b"Content-Type: text/plain; charset=utf-8\r\n\r\ncaf\xc3\xa9 and then \xe2\x82", ["invalid_utf8"]),
        ("nul_bytes", head("nul@hostile.example") + b"Content-Type: text/plain\r\n\r\nab\x00cd\x00\r\n",
         ["nul_byte"]),
        ("eight_bit_headers", head("8bit@hostile.example", subject="Gr\xfc\xdfe".encode("latin-1")
                                   .decode("latin-1")).replace(b"Gr\xc3\xbc\xc3\x9fe", b"Gr\xfc\xdfe") +
         b"\r\nbody\r\n", ["undeclared_8bit"]),
    ]
    for name, raw, defects in cases:
        count("limits")
        r, took = ingest(cfg, raw)
        print(f"   .. {name}: {took:.1f} s", flush=True)
        check(f"limits.{name}.finishes", r is not None, f"no exit within {BOUND_S} s")
        if r is None:
            continue
        check(f"limits.{name}.exit_0", r.returncode == 0, r.stderr[-500:])
        mid = re.search(rb"Message-ID: <([^>]+)>", raw).group(1).decode()
        t = ticket_of(d, mid)
        check(f"limits.{name}.stored", t is not None, "no ticket for the mail")
        if t:
            evs = events(d, t[0])
            named = [det for kind, det in evs if kind == "parse_defects"]
            for want in defects:
                check(f"limits.{name}.defect_{want}", any(want in x for x in named), evs)
    # 100k addresses: the Cc list is cut at the parser's cap (1,000), and of
    # those at most [guard] max_collaborators_per_mail (20) become
    # collaborators beside the requester and the agent, an event says how
    # many were left out; the acknowledgement goes to the requester alone.
    t = ticket_of(d, "addrs@hostile.example")
    if t:
        with db(d) as c:
            n = c.execute("SELECT COUNT(*) FROM participants WHERE ticket_id = ?", (t[0],)).fetchone()[0]
            acked = c.execute("SELECT COUNT(*) FROM outbox o JOIN outbox_recipients r ON r.outbox_id = o.id "
                              "WHERE o.ticket_id = ? AND o.kind = 'acknowledgement'", (t[0],)).fetchone()[0]
        check("limits.addresses_100k.collaborators_capped", n == 22, n)
        check("limits.addresses_100k.cap_in_events",
              any(k == "guard" and "not made collaborators" in det for k, det in events(d, t[0])),
              events(d, t[0]))
        check("limits.addresses_100k.one_acknowledgement", acked == 1, acked)

    # Bare CR line ends: read as line ends (From and Subject found).
    count("limits")
    raw = b"From: Cr Only <cr@example.net>\rTo: support@example.com\rSubject: bare cr\r" \
          b"Message-ID: <cr@hostile.example>\r\rbody line one\rline two\r"
    r, took = ingest(cfg, raw)
    check("limits.bare_cr.exit_0", r is not None and r.returncode == 0, r and r.stderr)
    t = ticket_of(d, "cr@hostile.example")
    check("limits.bare_cr.stored", t is not None)
    if t:
        with db(d) as c:
            subj, frm = c.execute("SELECT subject, requester_address FROM tickets WHERE id = ?",
                                  (t[0],)).fetchone()
        check("limits.bare_cr.headers_read", subj.endswith("bare cr") and frm == "cr@example.net",
              (subj, frm))

    # Over the size limit: quarantined with a reason, not parsed.
    d2, cfg2 = write_config("small", "[limits]\nmax_message_bytes = 1048576\n")
    count("limits")
    r, took = ingest(cfg2, head("huge@hostile.example") + b"\r\n" + b"x" * (2 << 20))
    check("limits.oversized.exit_0", r is not None and r.returncode == 0, r and r.stderr)
    q = newest_quarantine(d2)
    check("limits.oversized.quarantined_with_reason", q is not None and q[0] == "too_big", q)
    # Not a mail at all.
    count("limits")
    r, took = ingest(cfg2, bytes(range(256)) * 64)
    q = newest_quarantine(d2)
    check("limits.binary.quarantined_with_reason", r is not None and r.returncode == 0 and q and
          q[0] == "no_headers", q)

    # ---- attachment names ---------------------------------------------------
    d, cfg = write_config("names")
    names = [
        ("dotdot", f'filename="../../../../tmp/{MARK}-dotdot.txt"'),
        ("absolute", f'filename="/etc/{MARK}-absolute.conf"'),
        ("windows", f'filename="C:\\\\Windows\\\\System32\\\\{MARK}-win.dll"'),
        ("device_con", "filename=\"CON\""),
        ("device_dev", f'filename="/dev/{MARK}-sda"'),
        ("long_300", f'filename="{MARK}{"a" * 290}.pdf"'),
        ("rfc2231_slashes", f"filename*=utf-8''..%2F..%2F{MARK}-enc%2Fpasswd"),
        ("rfc2047_slashes", f'filename="=?utf-8?Q?=2E=2E=2F=2E=2E=2F{MARK}-q.txt?="'),
        ("control_chars", f"filename*=utf-8''{MARK}%1B%5D0%3Bpwned%07%0D%0Aevil.txt"),
        ("nul", f"filename*=utf-8''{MARK}%00.txt"),
    ]
    parts = [b"Content-Type: text/plain\r\n\r\nsee the files"]
    for i, (label, disp) in enumerate(names):
        parts.append(f"Content-Type: application/octet-stream\r\n"
                     f"Content-Disposition: attachment; {disp}\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n".encode() +
                     base64.b64encode(f"file {i} {label}".encode()))
    raw = head("names@hostile.example") + multipart(parts)
    # Where a name used as a path would land: the scratch tree, the working
    # directory, and the directories the names point at.
    def marked_files():
        found = set()
        for root, dirs, files in os.walk(scratch):
            found.update(os.path.join(root, f) for f in files + dirs if MARK in f)
        for top in ("/tmp", "/etc", "/dev", os.getcwd(), "/"):
            found.update(os.path.join(top, f) for f in os.listdir(top) if MARK in f)
        return found

    before = marked_files()
    trace = os.path.join(scratch, "names.strace")
    count("attachment_names", len(names))
    r, took = ingest(cfg, raw, trace=trace)
    check("names.exit_0", r is not None and r.returncode == 0, r and r.stderr)
    t = ticket_of(d, "names@hostile.example")
    check("names.stored", t is not None)
    if t:
        with db(d) as c:
            # Recorded by name, size and hash; the content stays in the raw mail.
            rows = c.execute("SELECT a.id, a.filename, a.sha256, a.size FROM attachments a "
                             "JOIN messages m ON m.id = a.message_row "
                             "WHERE m.ticket_id = ? ORDER BY a.id", (t[0],)).fetchall()
        check("names.every_attachment_stored", len(rows) == len(names), rows)
        for (aid, fname, sha, size), (label, _) in zip(rows, names):
            want = hashlib.sha256(f"file {names.index((label, _))} {label}".encode()).hexdigest()
            check(f"names.{label}.stored_by_id_and_hash", isinstance(aid, int) and sha == want and
                  size is not None and size > 0, (aid, fname, sha, size))
        check("names.long_300.kept_whole", any(len(f) >= 300 for _, f, _, _ in rows), [len(f) for _, f, _, _ in rows])
    if STRACE:
        text = open(trace, errors="replace").read()
        touched = [ln for ln in text.splitlines() if MARK in ln]
        check("names.strace_saw_the_store", "ticketd.db" in text, text[-500:])
        check("names.no_path_from_a_name", not touched, touched[:5])
    else:
        check("names.strace_available", False, "strace missing: install-deps installs it")
    after = marked_files()
    check("names.no_file_created", after == before, sorted(after - before)[:5])
    # People read ticketctl on a terminal: no escape sequence or control byte reaches it.
    for form in (["show", "TD-1001"], ["show", "TD-1001", "--json"], ["list"]):
        r = subprocess.run([args.ticketctl, "--config", cfg, *form], capture_output=True, timeout=60)
        bad = [b for b in set(r.stdout) if b < 0x20 and b not in (0x0a, 0x09) or b == 0x7f]
        check(f"names.ticketctl_{'_'.join(form[::2])}_no_control_bytes", r.returncode == 0 and not bad,
              (r.returncode, bad, r.stderr[-300:]))

    # ---- active HTML --------------------------------------------------------
    d, cfg = write_config("html")
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(16)
    lsock.setblocking(False)
    port = lsock.getsockname()[1]
    u = f"http://127.0.0.1:{port}/{MARK}"
    html = f"""<html><head>
<meta http-equiv="refresh" content="0;url={u}-refresh">
<link rel="stylesheet" href="{u}-css.css">
<style>body {{ background: url({u}-style.png) }} .x {{ color: red }}</style>
<script src="{u}-ext.js"></script>
<script>fetch('{u}-script'); document.write('zq7script');</script>
</head><body onload="zq7onload()">
<p>Visible words stay.</p>
<img src="{u}-track.png" onerror="zq7onerror()" width="1" height="1">
<div style="background-image: url('{u}-inline.png')">Styled text.</div>
<a href="javascript:zq7js()">click me</a>
<iframe src="{u}-frame"></iframe>
<object data="{u}-object"></object><embed src="{u}-embed">
<svg><script>zq7svg()</script></svg>
<form action="{u}-form"><input value="zq7input"></form>
</body></html>"""
    raw = (head("html@hostile.example") + b"Content-Type: text/html; charset=utf-8\r\n\r\n" +
           html.replace("\n", "\r\n").encode())
    trace = os.path.join(scratch, "html.strace")
    count("active_html", 12)
    r, took = ingest(cfg, raw, trace=trace)
    check("html.exit_0", r is not None and r.returncode == 0, r and r.stderr)
    t = ticket_of(d, "html@hostile.example")
    check("html.stored", t is not None)
    if t:
        with db(d) as c:
            text, new_text = c.execute("SELECT text, new_text FROM messages WHERE message_id = ?",
                                       ("html@hostile.example",)).fetchone()
        check("html.visible_text_kept", "Visible words stay." in text and "Styled text." in text, text)
        for needle in ("zq7script", "zq7onload", "zq7onerror", "zq7js", "zq7svg", "javascript:",
                       "<script", "onerror", "onload", "url(", "fetch(", "document.write"):
            check(f"html.text_has_no_{needle}", needle not in text and needle not in new_text, text)
        # What an agent's mail client gets: the alert for this ticket, composed
        # (the customer's HTML is never passed through; templates escape it).
        r = subprocess.run([args.ticketctl, "--config", cfg, "template", "preview", "agent_alert",
                            "--ticket", t[1], "--raw"], capture_output=True, timeout=60)
        check("html.alert_composes", r.returncode == 0, r.stderr[-300:])
        alert = email.message_from_bytes(r.stdout, policy=email.policy.default)
        bodies = "".join(p.get_content() for p in alert.walk() if p.get_content_maintype() == "text")
        check("html.alert_has_the_words", "Visible words stay." in bodies, bodies[:300])
        for needle in ("<script", "onerror", "onload", "javascript:", "url(", f":{port}/", "<iframe",
                       "<object", "<embed", "http-equiv"):
            check(f"html.alert_has_no_{needle}", needle not in bodies, bodies[:2000])
    conns = 0
    while True:
        try:
            c, _ = lsock.accept()
            c.close()
            conns += 1
        except BlockingIOError:
            break
    lsock.close()
    check("html.no_connection_to_remote_urls", conns == 0, conns)
    if STRACE:
        text = open(trace, errors="replace").read()
        sockets = [ln for ln in text.splitlines() if re.search(r"\b(socket|connect)\(", ln) and
                   "AF_UNIX" not in ln]
        check("html.no_network_socket", not sockets, sockets[:5])

    # ---- forged control headers and markers ----------------------------------
    d, cfg = write_config("forged")
    r, _ = ingest(cfg, head("first@customer.example", subject="Printer broken",
                            frm="Ann Customer <ann@customer.example>") + b"\r\nIt is broken.\r\n")
    first = ticket_of(d, "first@customer.example")
    check("forged.setup_ticket", first is not None and first[1] == "TD-1001", first)

    def td1001():
        with db(d) as c:
            row = c.execute("SELECT state, assignee, priority, updated_at FROM tickets "
                            "WHERE number = 'TD-1001'").fetchone()
            n = c.execute("SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                          "WHERE t.number = 'TD-1001'").fetchone()[0]
            who = sorted(p for (p,) in c.execute("SELECT address FROM participants p JOIN tickets t "
                                                 "ON t.id = p.ticket_id WHERE t.number = 'TD-1001'"))
        return row, n, who

    td1001_before = td1001()
    forged = [
        "X-Ticketd-Ticket: TD-1001",
        "X-Ticketd-Token: 1001-aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "X-Ticketd-Agent: nick.moss@example.com",
        "X-Ticketd-Oversized: mailbox=support uid=1",
        "X-Ticketd-Processed: yes",
        "Authentication-Results: mx.example.com; dkim=pass header.d=example.com; "
        "spf=pass smtp.mailfrom=nick.moss@example.com; dmarc=pass",
        "X-Original-From: nick.moss@example.com",
    ]
    body = ("#close\r\n#assign someone@evil.example\r\n\r\n"
            "##- Please type your reply above this line -##\r\n"
            "Ticket [#TD-1001] Ticket TD-1001\r\n").encode()
    count("forged_headers", len(forged) + 2)
    r, _ = ingest(cfg, head("forged@evil.example", subject="Hello", frm="Mallory <mallory@evil.example>",
                            extra=forged) + b"\r\n" + body)
    check("forged.exit_0", r is not None and r.returncode == 0, r and r.stderr)
    t = ticket_of(d, "forged@evil.example")
    check("forged.a_new_ticket_not_td1001", t is not None and t[1] != "TD-1001", t)
    with db(d) as c:
        quarantined = c.execute("SELECT COUNT(*) FROM quarantine").fetchone()[0]
    check("forged.td1001_untouched", td1001() == td1001_before, (td1001_before, td1001()))
    check("forged.not_taken_for_our_own_mail", quarantined == 0, quarantined)
    if t:
        evs = events(d, t[0])
        check("forged.commands_not_obeyed", not any(k == "state_changed" for k, _ in evs) and
              all("someone@evil.example" not in det for k, det in evs if k in ("assigned",)), evs)
        with db(d) as c:
            st, asg = c.execute("SELECT state, assignee FROM tickets WHERE id = ?", (t[0],)).fetchone()
        # Assigned by the config (the fixed agent of the only team), open; not
        # closed or reassigned by the commands in the body.
        check("forged.new_ticket_state_and_assignee_by_rules", st == "open" and asg == "nick.moss@example.com",
              (st, asg))

    for cat, n in sorted(tally.items()):
        summary(f"hostile mail, {cat.replace('_', ' ')}: {n} inputs tried, "
                f"crashes, hangs or refusals: {troubled.get(cat, 0)}")
finally:
    pass

finish(cleanup=lambda: shutil.rmtree(scratch, ignore_errors=True))
