#!/usr/bin/python3
"""Identity and takeover, through the real binary (`ticketd ingest`).

A matrix: each kind of thread evidence (reply token, In-Reply-To, References,
subject tag, a quoted marker in the body) x each sender (the requester, a
collaborator, the assigned agent, a stranger, a forged From with a stranger's
envelope, a Reply-To pointing at a stranger). For every cell a fresh ticket
is opened by the requester (with a collaborator in Cc, assigned to the agent)
and the cell's mail is stored; then:

- the mail lands where it should: on the ticket when the evidence counts for
  that sender (the token for anyone who holds it; Message-IDs and the subject
  tag for participants only; the body never), else on a new ticket;
- the stranger never joins the ticket (no participant row), never steers it
  (the "#close" / "#assign" lines in every mail change nothing, the
  requester stays), and never receives anything about it (no outbox row of
  the ticket to the stranger; Reply-To and the envelope are never recipients);
- the events say why (threaded by ..., or the refused evidence and the reason).

Then an altered and a foreign reply token: ignored as evidence, said so.
Prints a summary line (cases, takeovers: 0) and 'N passed, M failed'.
"""
import argparse
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from checks import check, finish, summary  # noqa: E402

ANN = "ann@customer.example"        # requester
CAROL = "carol@customer.example"    # collaborator (Cc on the first mail)
NICK = "nick.moss@example.com"      # the agent the ticket is assigned to
MALLORY = "mallory@evil.example"    # stranger

scratch = tempfile.mkdtemp(prefix="ticketd-identity-")
os.chmod(scratch, 0o755)
cfg = os.path.join(scratch, "ticketd.toml")
with open(cfg, "w") as f:
    f.write(f"""[store]
path = "ticketd.db"
[support]
address = "support@example.com"
name = "IT Support"
[tickets]
prefix = "TD-"
[guard]
# Every cell opens a ticket for the same requester: no caps in the way.
max_auto_per_recipient = 1000
max_open_tickets_per_sender = 1000
[[team]]
name = "it"
assign = "{NICK}"
[[agent]]
name = "Nick Moss"
address = "{NICK}"
teams = ["it"]
""")
serial = [0]


def ingest(raw, sender=None):
    cmd = [args.ticketd, "ingest", "--config", cfg]
    if sender is not None:
        cmd += ["-f", sender]
    r = subprocess.run(cmd, input=raw, capture_output=True, timeout=120)
    check("ingest exit 0", r.returncode == 0, r.stderr[-500:])


def mail(frm, subject, body, to="IT Support <support@example.com>", extra=()):
    serial[0] += 1
    mid = f"m{serial[0]}@mail.example"
    h = [f"From: {frm}", f"To: {to}", f"Subject: {subject}", "Date: Tue, 24 Nov 2026 09:15:00 +0100",
         f"Message-ID: <{mid}>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", *extra]
    return mid, ("\r\n".join(h) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def q(sql, *params):
    with sqlite3.connect(f"file:{os.path.join(scratch, 'ticketd.db')}?mode=ro", uri=True) as c:
        return c.execute(sql, params).fetchall()


def ticket_of(mid):
    rows = q("SELECT t.id, t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id "
             "WHERE m.message_id = ?", mid)
    return rows[0] if rows else None


def snapshot(tid):
    return (q("SELECT state, requester_address, assignee, priority FROM tickets WHERE id = ?", tid)[0],
            sorted(a for (a,) in q("SELECT address FROM participants WHERE ticket_id = ?", tid)))


def recipients(tid):
    return {a for (a,) in q("SELECT r.address FROM outbox o JOIN outbox_recipients r ON r.outbox_id = o.id "
                            "WHERE o.ticket_id = ?", tid)}


def events(tid):
    return q("SELECT kind, detail FROM events WHERE ticket_id = ? ORDER BY id", tid)


def open_ticket():
    mid, raw = mail(f"Ann Customer <{ANN}>", "VPN drops every hour", "It drops.\n",
                    extra=[f"Cc: Carol <{CAROL}>"])
    ingest(raw)
    tid, number = ticket_of(mid)
    token = q("SELECT token FROM tickets WHERE id = ?", tid)[0][0]
    ack = q("SELECT message_id FROM outbox WHERE ticket_id = ? AND kind = 'acknowledgement'", tid)[0][0]
    return tid, number, token, ack


SENDERS = {
    # name: (From, envelope sender or None, extra headers, counts as a participant)
    "requester": (f"Ann Customer <{ANN}>", None, [], True),
    "collaborator": (f"Carol <{CAROL}>", None, [], True),
    "agent": (f"Nick Moss <{NICK}>", None, [], True),
    "stranger": (f"Mallory <{MALLORY}>", None, [], False),
    "forged_from_envelope": (f"Ann Customer <{ANN}>", MALLORY, [f"Return-Path: <{MALLORY}>"], True),
    "reply_to_differs": (f"Ann Customer <{ANN}>", None, [f"Reply-To: Mallory <{MALLORY}>"], True),
}
EVIDENCE = ["token", "in_reply_to", "references", "subject_tag", "body_marker"]
STEER = "#close\n#assign mallory@evil.example\n#priority urgent\n"

cases = takeovers = 0
try:
    for ev in EVIDENCE:
        for who, (frm, envelope, extra, participant) in SENDERS.items():
            cases += 1
            name = f"{ev}.{who}"
            tid, number, token, ack = open_ticket()
            before = snapshot(tid)
            to, subject, hdrs = "IT Support <support@example.com>", "Re: VPN drops every hour", list(extra)
            body = f"Case {name}.\n{STEER}"
            if ev == "token":
                to = f"IT Support <support+{token}@example.com>"
            elif ev == "in_reply_to":
                hdrs.append(f"In-Reply-To: <{ack}>")
            elif ev == "references":
                hdrs.append(f"References: <{ack}>")
            elif ev == "subject_tag":
                subject = f"Re: [#{number}] VPN drops every hour"
            elif ev == "body_marker":
                body += (f"\n> ##- Please type your reply above this line -##\n> Ticket {number}\n"
                         f"> [#{number}] VPN drops every hour\n")
            mid, raw = mail(frm, subject, body, to=to, extra=hdrs)
            ingest(raw, sender=envelope)
            landed = ticket_of(mid)
            counts = ev == "token" or (ev != "body_marker" and participant)
            check(f"{name}.stored", landed is not None)
            if landed is None:
                continue
            if counts:
                check(f"{name}.lands_on_the_ticket", landed[0] == tid, (landed, number))
            else:
                check(f"{name}.lands_on_a_new_ticket", landed[0] != tid, (landed, number))
            after = snapshot(tid)
            state_before, parts_before = before
            state_after, parts_after = after
            # Nobody steers by mail off the agent's own reply path (the agent's
            # text is kept as a note there); a reply may only move the state
            # the way a customer's reply does (open stays open).
            check(f"{name}.not_steered", state_after[1:] == state_before[1:] and
                  state_after[0] == state_before[0], (before, after))
            joined = MALLORY in parts_after
            received = MALLORY in recipients(tid)
            check(f"{name}.stranger_never_joins", not joined, parts_after)
            check(f"{name}.stranger_receives_nothing", not received, recipients(tid))
            if joined or received or state_after != state_before:
                takeovers += 1
            evs = events(landed[0])
            text = " | ".join(f"{k}: {d}" for k, d in evs)
            if counts:
                why = {"token": "threaded by reply token", "in_reply_to": "threaded by In-Reply-To",
                       "references": "threaded by References", "subject_tag": "threaded by subject tag"}[ev]
                check(f"{name}.event_says_why", why in text, text[-600:])
            elif ev == "body_marker":
                check(f"{name}.event_says_why", "no thread evidence" in text, text[-600:])
            else:
                check(f"{name}.event_says_why", "refused" in text and "not a participant" in text,
                      text[-600:])
            if who == "agent" and counts:
                check(f"{name}.agent_text_kept_as_note", any(k == "relay_withheld" for k, _ in evs), text[-600:])
            if who == "forged_from_envelope" and counts:
                check(f"{name}.event_names_the_envelope", MALLORY in text, text[-600:])

    # An altered token (one character of the MAC changed) and a foreign one (a
    # token of the right shape from another desk): not evidence, and said so.
    for label, alter in (("altered", lambda t: t[:-1] + ("a" if t[-1] != "a" else "b")),
                         ("foreign", lambda t: t.split("-")[0] + "-" + "q" * 26),
                         ("old_form", lambda t: t.split("-", 1)[1])):
        cases += 1
        tid, number, token, ack = open_ticket()
        before = snapshot(tid)
        mid, raw = mail(f"Mallory <{MALLORY}>", "Re: VPN", f"Hi.\n{STEER}",
                        to=f"support+{alter(token)}@example.com")
        ingest(raw)
        landed = ticket_of(mid)
        check(f"token_{label}.lands_on_a_new_ticket", landed is not None and landed[0] != tid, (landed, number))
        if landed:
            text = " | ".join(f"{k}: {d}" for k, d in events(landed[0]))
            check(f"token_{label}.event_says_ignored", "unknown reply token ignored" in text, text[-400:])
        check(f"token_{label}.ticket_untouched", snapshot(tid) == before and MALLORY not in recipients(tid),
              (before, snapshot(tid)))

    summary(f"identity: {cases} cases of evidence x sender, takeovers: {takeovers}")
finally:
    pass

finish(cleanup=lambda: shutil.rmtree(scratch, ignore_errors=True))
