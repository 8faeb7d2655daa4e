#!/usr/bin/python3
"""Issue 9 through the real binaries in pipe mode (`ticketd ingest`), with the
smallest config that makes sense: one team, one agent, no [[rule]].

  - the first mail becomes a ticket of the only team, assigned to the agent,
    who is alerted (no ticket goes unheard);
  - bounces and auto-replies that carry none of the standard headers are
    recognised: a qmail text bounce is filed on the ticket of the mail it
    quotes, a subject-only Outlook auto-reply is kept on its ticket and never
    answered, a read receipt is filed as such;
  - a person's mail that only looks automatic ("Re: undeliverable invoice") is
    acknowledged;
  - the envelope sender from the MTA (-f, or $SENDER) counts: a null sender
    gets no answer, a MAILER-DAEMON envelope that cites nothing of ours is
    quarantined, never a ticket;
  - `ticketctl parse` names the class and the evidence.
Prints 'N passed, M failed'.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--ticketd", required=True)
ap.add_argument("--ticketctl", required=True)
args = ap.parse_args()

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402

scratch = tempfile.mkdtemp(prefix="ticketd-auto-")
cfg = os.path.join(scratch, "ticketd.toml")
with open(cfg, "w") as f:
    f.write("""# the smallest config that makes sense
[store]
path = "ticketd.db"

[support]
address = "support@example.com"
name = "IT Support"

[[team]]
name = "helpdesk"

[[agent]]
name = "Nick Moss"
address = "nick.moss@example.com"
teams = ["helpdesk"]
""")

counter = [0]


def mail(frm, subject, body, irt=None, extra=""):
    counter[0] += 1
    mid = f"<auto-{counter[0]}@mail.example.org>"
    h = [f"From: {frm}", "To: IT Support <support@example.com>", f"Subject: {subject}",
         "Date: Mon, 23 Nov 2026 09:00:00 +0100", f"Message-ID: {mid}"]
    if irt:
        h += [f"In-Reply-To: <{irt}>", f"References: <{irt}>"]
    h += ["MIME-Version: 1.0"]
    if extra:
        h.append(extra.rstrip("\n"))
    if not any(x.lower().startswith("content-type:") for x in h):
        h.append("Content-Type: text/plain; charset=utf-8")
    return ("\n".join(h) + "\n\n" + body).encode()


def ingest(raw, *extra, env=None):
    e = dict(os.environ)
    e.pop("SENDER", None)
    e.update(env or {})
    r = subprocess.run([args.ticketd, "ingest", "--config", cfg, "-v", *extra], input=raw,
                       capture_output=True, timeout=60, env=e)
    m = re.search(rb"outcome=(\w+) ticket=(\S+)", r.stderr)
    outcome = m.group(1).decode() if m else None
    number = m.group(2).decode() if m and m.group(2) != b"-" else None
    return r.returncode, outcome, number, r.stderr.decode()


def ctl(*a):
    r = subprocess.run([args.ticketctl, "--config", cfg, *a], capture_output=True, timeout=60)
    return json.loads(r.stdout) if r.returncode == 0 and "--json" in a else None


def show(number):
    return ctl("show", number, "--json") or {}


def rows(t, kind):
    return [r for r in t.get("outbox", []) if r["kind"] == kind]


def events(t, kind):
    return [e["detail"] for e in t.get("events", []) if e["kind"] == kind]


try:
    # ---- routing default: the only team, its agent alerted
    rc, out, karen, err = ingest(mail("Karen Jones <karen.jones@example.com>", "Printer on fire",
                                      "The printer on floor 2 is smoking.\n"))
    check("minimal: stored as a new ticket", rc == 0 and out == "new_ticket" and karen, err)
    t = show(karen)
    check("minimal: team is the only team", t.get("team") == "helpdesk", t.get("team"))
    check("minimal: assigned to the agent", t.get("assignee") == "nick.moss@example.com",
          t.get("assignee"))
    check("minimal: state open", t.get("state") == "open", t.get("state"))
    alert = rows(t, "agent_alert")
    check("minimal: the agent is alerted", alert and alert[0]["to"] == ["nick.moss@example.com"],
          t.get("outbox"))
    ack = rows(t, "acknowledgement")
    check("minimal: the customer is acknowledged", len(ack) == 1, t.get("outbox"))
    ack_id = ack[0]["message_id"] if ack else "none@none"

    # ---- qmail: plain text, no multipart/report, the original quoted as text
    qmail = ("From: MAILER-DAEMON@mx.example.org\nTo: support@example.com\n"
             "Subject: failure notice\nDate: Mon, 23 Nov 2026 09:05:00 +0000\n"
             "Message-ID: <qmail-1@mx.example.org>\n\n"
             "Hi. This is the qmail-send program at mx.example.org.\n"
             "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
             "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
             "<karen.jones@example.com>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
             "--- Below this line is a copy of the message.\n\n"
             "Return-Path: <support@example.com>\n"
             f"Message-ID: <{ack_id}>\nSubject: [#{karen}] Printer on fire\n\nHello\n").encode()
    rc, out, n, err = ingest(qmail)
    t = show(karen)
    check("qmail bounce: filed on the ticket of the quoted mail", rc == 0 and n == karen, err)
    check("qmail bounce: delivery failure event",
          any("karen.jones@example.com" in d for d in events(t, "delivery_failure")), events(t, "delivery_failure"))
    check("qmail bounce: nothing new to send", len(t.get("outbox", [])) == 2, t.get("outbox"))

    # ---- a second customer, then their Outlook auto-reply with no special header
    rc, out, cliff, err = ingest(mail("Cliff Tucker <cliff.tucker@example.com>", "ERP down",
                                      "The ERP is down for everyone.\n"))
    t = show(cliff)
    cliff_ack = rows(t, "acknowledgement")
    cliff_ack_id = cliff_ack[0]["message_id"] if cliff_ack else "none@none"
    before = len(t.get("outbox", []))
    state_before = t.get("state")
    ooo = mail("Cliff Tucker <cliff.tucker@example.com>", f"Automatic reply: [#{cliff}] ERP down",
               "I am out of the office until Monday.\n", irt=cliff_ack_id)
    rc, out, n, err = ingest(ooo)
    t = show(cliff)
    check("subject-only auto-reply: threaded onto its ticket", rc == 0 and n == cliff, err)
    check("subject-only auto-reply: never answered",
          len(t.get("outbox", [])) == before and
          any("automatic mail: auto_reply" in d for d in events(t, "guard")),
          (events(t, "guard"), t.get("outbox")))
    check("subject-only auto-reply: the ticket state is unchanged", t.get("state") == state_before,
          t.get("state"))

    # ---- a read receipt (MDN) for Cliff's acknowledgement
    mdn = mail("Cliff Tucker <cliff.tucker@example.com>", f"Read: [#{cliff}] ERP down",
               "--r\nContent-Type: text/plain\n\nYour message was read.\n"
               "--r\nContent-Type: message/disposition-notification\n\n"
               "Final-Recipient: rfc822; cliff.tucker@example.com\n"
               f"Original-Message-ID: <{cliff_ack_id}>\n"
               "Disposition: manual-action/MDN-sent-manually; displayed\n--r--\n",
               extra="Content-Type: multipart/report; report-type=disposition-notification; "
                     "boundary=r")
    rc, out, n, err = ingest(mdn)
    t = show(cliff)
    check("read receipt: filed on the ticket of the mail it is about", n == cliff, err)
    check("read receipt: a read_receipt event", events(t, "read_receipt"), [e["kind"] for e in t["events"]])
    check("read receipt: the address is not suppressed",
          not any("cliff.tucker" in d for d in events(t, "delivery_failure")), events(t, "delivery_failure"))
    check("read receipt: nothing sent", len(t.get("outbox", [])) == before, t.get("outbox"))

    # ---- a person whose mail only looks automatic
    rc, out, n, err = ingest(mail("Alex Wong <alex.wong@example.com>", "Re: undeliverable invoice",
                                  "Your invoice 4711 bounced from our AP mailbox, please resend.\n"))
    t = show(n) if n else {}
    check("person: 'Re: undeliverable invoice' is a new ticket", out == "new_ticket", err)
    check("person: acknowledged", len(rows(t, "acknowledgement")) == 1, t.get("outbox"))

    # ---- the envelope sender from the MTA
    plain = mail("Dana Reyes <dana.reyes@example.com>", "VPN question", "How do I set up the VPN?\n")
    rc, out, n, err = ingest(plain, "-f", "")
    t = show(n) if n else {}
    check("-f '' (null sender): stored as a ticket", rc == 0 and out == "new_ticket", err)
    check("-f '' (null sender): not acknowledged, the event says why",
          not rows(t, "acknowledgement") and any("Return-Path: <>" in d for d in events(t, "guard")),
          (events(t, "guard"), t.get("outbox")))
    plain2 = mail("Dana Reyes <dana.reyes@example.com>", "VPN question 2", "Still no VPN.\n")
    rc, out, n, err = ingest(plain2, env={"SENDER": ""})
    t = show(n) if n else {}
    check("$SENDER='' (Postfix local): not acknowledged", out == "new_ticket" and not rows(t, "acknowledgement"),
          (err, t.get("outbox")))
    plain3 = mail("Dana Reyes <dana.reyes@example.com>", "VPN question 3", "Still no VPN!\n")
    rc, out, n, err = ingest(plain3, "-f", "dana.reyes@example.com", env={"SENDER": ""})
    t = show(n) if n else {}
    check("-f wins over $SENDER; a person's envelope: acknowledged",
          out == "new_ticket" and len(rows(t, "acknowledgement")) == 1, (err, t.get("outbox")))
    stray = mail("Mx Robot <robot@mx.example.org>", "Message status", "Something about a message.\n")
    rc, out, n, err = ingest(stray, "-f", "MAILER-DAEMON@mx.example.org")
    q = ctl("quarantine", "--json") or []
    check("-f MAILER-DAEMON citing nothing of ours: quarantined, no ticket",
          rc == 0 and out == "quarantined" and any(x["reason"] == "unmatched_bounce" for x in q),
          (err, q))

    # ---- ticketctl parse names the class and the evidence
    path = os.path.join(scratch, "ooo.eml")
    with open(path, "wb") as f:
        f.write(ooo)
    r = subprocess.run([args.ticketctl, "parse", path], capture_output=True, timeout=60)
    j = json.loads(r.stdout) if r.returncode == 0 else {}
    a = j.get("auto") or {}
    check("parse: class auto_reply", a.get("class") == "auto_reply", a)
    check("parse: evidence names the subject",
          any(e["kind"] == "subject" and e["detail"].startswith("Automatic reply:")
              for e in a.get("evidence", [])), a)
finally:
    shutil.rmtree(scratch, ignore_errors=True)

finish()
