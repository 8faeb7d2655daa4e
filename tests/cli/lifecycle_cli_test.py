#!/usr/bin/python3
"""The help desk's basic flow through the real binaries (issue 3's acceptance).

The four demo scenarios as mail files through `ticketd ingest`, with the
shipped example config (its rules, teams and agents): customer mail → ticket
routed by rules → agent replies to the alert with commands → customer answers →
agent resolves → `ticketd tick` auto-closes after the configured days. Every
check reads `ticketctl show N --json` / `ticketctl why`. Also: commands from a
non-agent and from an agent's address off the agent path change nothing.
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
import time

ap = argparse.ArgumentParser()
ap.add_argument("--ticketd", required=True)
ap.add_argument("--ticketctl", required=True)
args = ap.parse_args()
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402


scratch = tempfile.mkdtemp(prefix="ticketd-life-")
cfg = os.path.join(scratch, "ticketd.toml")
with open(os.path.join(ROOT, "ticketd.example.toml")) as f:
    text = f.read()
text = text.replace('path = "/var/lib/ticketd/ticketd.db"', 'path = "ticketd.db"')
with open(cfg, "w") as f:
    f.write(text)

counter = [0]


def mail(frm, subject, body, irt=None, cc=None, to="IT Support <support@example.com>"):
    counter[0] += 1
    # Same domain as the support address: colleagues' mailers must not look like ticketd.
    mid = f"<scn-{counter[0]}@example.com>"
    h = [f"From: {frm}", f"To: {to}", f"Subject: {subject}",
         "Date: Mon, 23 Nov 2026 09:00:00 +0100", f"Message-ID: {mid}"]
    if cc:
        h.append(f"Cc: {cc}")
    if irt:
        h += [f"In-Reply-To: <{irt}>", f"References: <{irt}>"]
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return mid.strip("<>"), ("\n".join(h) + "\n\n" + body).encode()


def ingest(raw):
    r = subprocess.run([args.ticketd, "ingest", "--config", cfg, "-v"], input=raw,
                       capture_output=True, timeout=60)
    m = re.search(rb"outcome=(\w+) ticket=(\S+)", r.stderr)
    return r.returncode, (m.group(2).decode() if m else None), r.stderr.decode()


def show(number):
    r = subprocess.run([args.ticketctl, "--config", cfg, "show", number, "--json"],
                       capture_output=True, timeout=60)
    return json.loads(r.stdout) if r.returncode == 0 else {}


def tick(now):
    r = subprocess.run([args.ticketd, "tick", "--config", cfg, "--now", str(now)],
                       capture_output=True, timeout=60)
    return r.returncode


def outbox(t, kind, to=None):
    rows = [r for r in t.get("outbox", []) if r["kind"] == kind and (to is None or to in r["to"])]
    return rows[-1] if rows else None


def kinds(t):
    return [e["kind"] for e in t.get("events", [])]


def has_event(t, kind, needle=""):
    return any(e["kind"] == kind and needle in e["detail"] for e in t.get("events", []))


NICK = "Nick Moss <nick.moss@example.com>"
PRIYA = "Priya Shah <priya.shah@example.com>"
try:
    # --- Karen Jones: locked out after a password change -------------------
    _, raw = mail("Karen Jones <karen.jones@example.com>", "Locked out after changing my password",
                  "I changed my password on Friday and now I cannot log in.\n")
    rc, karen, err = ingest(raw)
    check("karen: stored", rc == 0 and karen, err)
    t = show(karen)
    check("karen: routed to accounts by rule", t.get("team") == "accounts", t.get("team"))
    check("karen: assigned round-robin to Nick", t.get("assignee") == "nick.moss@example.com", t.get("assignee"))
    check("karen: open once assigned", t.get("state") == "open", t.get("state"))
    check("karen: tagged login", t.get("tags") == ["login"], t.get("tags"))
    check("karen: rule event names the rule", has_event(t, "rule", "login and password"), kinds(t))
    check("karen: due times set", t.get("first_response_due") and t.get("resolution_due"), t)
    ack = outbox(t, "acknowledgement", "karen.jones@example.com")
    alert = outbox(t, "agent_alert", "nick.moss@example.com")
    check("karen: acknowledgement queued", ack is not None, t.get("outbox"))
    check("karen: agent alert queued to Nick", alert is not None, t.get("outbox"))

    # A customer trying a command: ignored and logged.
    _, raw = mail("Karen Jones <karen.jones@example.com>", "Re: Locked out",
                  "#priority urgent\nPlease hurry.\n", irt=ack["message_id"] if ack else None)
    rc, n, err = ingest(raw)
    t = show(karen)
    check("non-agent command: same ticket", n == karen, err)
    check("non-agent command: priority unchanged", t.get("priority") == "normal", t.get("priority"))
    check("non-agent command: logged with reason", has_event(t, "command_ignored", "not an agent"), kinds(t))

    # Nick answers the alert with a command and a public answer.
    _, raw = mail(NICK, "Re: [#%s] Locked out" % karen,
                  "#priority high\n\nHi Karen, I updated your recovery address. Please try the reset link again.\n",
                  irt=alert["message_id"] if alert else None)
    rc, n, err = ingest(raw)
    t = show(karen)
    check("nick reply: threads", n == karen, err)
    check("nick reply: priority high", t.get("priority") == "high", t.get("priority"))
    check("nick reply: pending (waiting on Karen)", t.get("state") == "pending", t.get("state"))
    answer = outbox(t, "answer", "karen.jones@example.com")
    check("nick reply: answer relayed to Karen", answer is not None and "recovery address" in answer["detail"],
          t.get("outbox"))
    check("nick reply: first response recorded", t.get("first_response_at") is not None, t)
    check("nick reply: thread kind agent", t["thread"][-1]["kind"] == "agent", t["thread"][-1])

    # Karen answers the relayed answer: back to open, Nick alerted.
    _, raw = mail("Karen Jones <karen.jones@example.com>", "Re: Locked out", "It works again, thank you!\n",
                  irt=answer["message_id"] if answer else None)
    rc, n, err = ingest(raw)
    t = show(karen)
    check("karen answer: threads by our answer's Message-ID", n == karen, err)
    check("karen answer: reopened to open", t.get("state") == "open", t.get("state"))
    alert2 = outbox(t, "agent_alert", "nick.moss@example.com")
    check("karen answer: Nick alerted again", alert2 is not None and alert2 != alert, t.get("outbox"))

    # An agent's address on a path that is not the agent's (the customer's
    # Message-ID): commands change nothing and say why.
    first_mid = t["thread"][0]["message_id"]
    _, raw = mail(NICK, "Re: Locked out", "#close\n\nclosing\n", irt=first_mid)
    rc, n, err = ingest(raw)
    t = show(karen)
    check("off-path agent command: not closed", t.get("state") != "closed", t.get("state"))
    check("off-path agent command: logged", has_event(t, "command_ignored"), kinds(t))
    check("off-path agent mail: not relayed to the customer (From may be forged)",
          has_event(t, "relay_withheld") and t["thread"][-1]["kind"] == "note"
          and not any("closing" in r["detail"] for r in t.get("outbox", []) if r["kind"] == "answer"),
          (kinds(t), t["thread"][-1]["kind"]))

    # Nick resolves from his alert.
    _, raw = mail(NICK, "Re: Locked out", "#resolve\n\nGlad it works. Closing this.\n",
                  irt=alert2["message_id"] if alert2 else None)
    ingest(raw)
    t = show(karen)
    check("resolve: resolved", t.get("state") == "resolved", t.get("state"))
    check("resolve: closure notice to Karen", outbox(t, "closure", "karen.jones@example.com") is not None,
          t.get("outbox"))
    check("auto-close: not yet after 1 day", tick(int(time.time()) + 86400) == 0 and
          show(karen).get("state") == "resolved", show(karen).get("state"))
    far = int(time.time()) + 8 * 86400
    check("auto-close: tick runs", tick(far) == 0)
    t = show(karen)
    check("auto-close: closed after the configured days", t.get("state") == "closed", t.get("state"))

    # A reply to the closed ticket opens a follow-up ticket.
    _, raw = mail("Karen Jones <karen.jones@example.com>", "Re: Locked out", "Locked out again!\n",
                  irt=answer["message_id"] if answer else None)
    rc, n, err = ingest(raw)
    check("closed: reply opens a new ticket", n and n != karen, err)
    if n and n != karen:
        check("closed: new ticket follows the old", show(n).get("follows") == karen, show(n).get("follows"))

    # --- Cliff Tucker: ERP outage ------------------------------------------
    _, raw = mail('"Tucker, Cliff" <cliff.tucker@example.com>',
                  "ERP down - sales and manufacturing cannot enter orders",
                  "Since 08:45 the ERP shows 'Connection to application server lost'.\n",
                  cc="Sales Ops <sales-ops@example.com>")
    rc, cliff, err = ingest(raw)
    t = show(cliff)
    check("cliff: urgent by rule", t.get("priority") == "urgent", t.get("priority"))
    check("cliff: IT team, fixed agent Nick", t.get("team") == "it" and t.get("assignee") == "nick.moss@example.com",
          (t.get("team"), t.get("assignee")))
    check("cliff: CC becomes collaborator",
          [c["address"] for c in t.get("collaborators", [])] == ["sales-ops@example.com"], t.get("collaborators"))
    alert = outbox(t, "agent_alert", "nick.moss@example.com")
    _, raw = mail(NICK, "Re: ERP down", "#tag erp\n\nThe application server is back; please check.\n",
                  irt=alert["message_id"] if alert else None)
    ingest(raw)
    t = show(cliff)
    ans = outbox(t, "answer", "cliff.tucker@example.com")
    check("cliff: answer goes to requester and collaborators",
          ans is not None and "sales-ops@example.com" in ans["to"] + ans["cc"], t.get("outbox"))
    check("cliff: tags outage + erp", sorted(t.get("tags", [])) == ["erp", "outage"], t.get("tags"))

    # --- Alex Kamal: camera dead after Windows 11 upgrade -------------------
    _, raw = mail("Alex Kamal <alex.kamal@example.com>", "Camera not found after Windows 11 upgrade",
                  "Since the upgrade my laptop camera is not found in Teams.\n")
    rc, alex, err = ingest(raw)
    t = show(alex)
    check("alex: desktop team by the hardware rule", t.get("team") == "desktop", t.get("team"))
    check("alex: least-open picks Priya (Nick has open tickets)", t.get("assignee") == "priya.shah@example.com",
          t.get("assignee"))
    alert = outbox(t, "agent_alert", "priya.shah@example.com")
    _, raw = mail(PRIYA, "Re: Camera", "#note driver rollback fixed it on a test laptop\n",
                  irt=alert["message_id"] if alert else None)
    ingest(raw)
    t = show(alex)
    check("alex: a note is not sent to the customer", outbox(t, "answer") is None, t.get("outbox"))
    check("alex: note in the thread", t["thread"][-1]["kind"] == "note", t["thread"][-1])
    _, raw = mail(PRIYA, "Re: Camera", "#assign nobody-here\n\nTrying something.\n",
                  irt=alert["message_id"] if alert else None)
    ingest(raw)
    t = show(alex)
    err_row = outbox(t, "command_error", "priya.shah@example.com")
    check("alex: unknown #assign target answered with an error to the agent", err_row is not None, t.get("outbox"))

    # --- Maria Lopez: email sync; Tom (CC) joins -----------------------------
    mid, raw = mail("Maria Lopez <maria.lopez@example.com>", "Phone no longer syncs my mailbox",
                    "My phone stops syncing mail after a few minutes.\n", cc="Tom Berger <tom.berger@example.com>")
    rc, maria, err = ingest(raw)
    _, raw = mail("Tom Berger <tom.berger@example.com>", "RE: Phone no longer syncs", "Same here.\n", irt=mid)
    rc, n, err = ingest(raw)
    check("maria: collaborator's reply threads", n == maria, err)
    r = subprocess.run([args.ticketctl, "--config", cfg, "why", mid], capture_output=True, timeout=60)
    out = r.stdout.decode()
    check("why: names the ticket, the rule and what was queued",
          r.returncode == 0 and maria in out and "rule" in out and "queued acknowledgement" in out, out)

    # Nick hands Maria's ticket to Priya; Priya answers from her own alert,
    # Maria confirms, Priya resolves; the clock closes it.
    t = show(maria)
    alert = outbox(t, "agent_alert", "nick.moss@example.com")
    _, raw = mail(NICK, "Re: sync", "#assign Priya Shah\n", irt=alert["message_id"] if alert else None)
    ingest(raw)
    t = show(maria)
    check("maria: #assign moves it to Priya", t.get("assignee") == "priya.shah@example.com", t.get("assignee"))
    check("maria: #assign logged", has_event(t, "assigned", "priya.shah@example.com"), kinds(t))
    palert = outbox(t, "agent_alert", "priya.shah@example.com")
    check("maria: the new assignee is alerted", palert is not None, t.get("outbox"))
    _, raw = mail(PRIYA, "Re: sync", "Please re-add the account with server mail.example.com.\n",
                  irt=palert["message_id"] if palert else None)
    ingest(raw)
    t = show(maria)
    pans = outbox(t, "answer", "maria.lopez@example.com")
    check("maria: Priya's answer goes to Maria, Tom in copy",
          pans is not None and "tom.berger@example.com" in pans["to"] + pans["cc"], t.get("outbox"))
    _, raw = mail("Maria Lopez <maria.lopez@example.com>", "Re: sync", "That fixed it.\n",
                  irt=pans["message_id"] if pans else None)
    ingest(raw)
    palert2 = outbox(show(maria), "agent_alert", "priya.shah@example.com")
    _, raw = mail(PRIYA, "Re: sync", "#resolve\n", irt=palert2["message_id"] if palert2 else None)
    ingest(raw)
    check("maria: resolved", show(maria).get("state") == "resolved", show(maria).get("state"))

    # Cliff and Alex confirm; their agents resolve from their latest alerts.
    for number, customer, agent_from, agent_addr in (
            (cliff, '"Tucker, Cliff" <cliff.tucker@example.com>', NICK, "nick.moss@example.com"),
            (alex, "Alex Kamal <alex.kamal@example.com>", PRIYA, "priya.shah@example.com")):
        t = show(number)
        last = outbox(t, "answer") or outbox(t, "acknowledgement")
        _, raw = mail(customer, "Re: thanks", "Works now, thanks.\n", irt=last["message_id"] if last else None)
        ingest(raw)
        a = outbox(show(number), "agent_alert", agent_addr)
        _, raw = mail(agent_from, "Re: thanks", "#resolve\n\nGlad to hear it.\n",
                      irt=a["message_id"] if a else None)
        ingest(raw)
        check(f"{number}: resolved by its agent", show(number).get("state") == "resolved",
              (show(number).get("state"), kinds(show(number))))

    # A bounce of one of our mails: a delivery failure on the right ticket, the
    # address rests, and the bounce is never a new ticket.
    t = show(cliff)
    ack = outbox(t, "acknowledgement", "cliff.tucker@example.com")
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\n"
        "To: support@example.com\nSubject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <bounce-1@mx.example.com>\nMIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nmailbox full\n"
        "--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; cliff.tucker@example.com\n"
        "Action: failed\nStatus: 5.2.2\n"
        "--b\nContent-Type: text/rfc822-headers\n\nFrom: support@example.com\n"
        f"Message-ID: <{ack['message_id'] if ack else 'none'}>\nSubject: ack\n--b--\n").encode()
    rc, n, err = ingest(bounce)
    t = show(cliff)
    check("bounce: filed on the ticket of the bounced mail", n == cliff, err)
    check("bounce: delivery failure event", has_event(t, "delivery_failure", "cliff.tucker@example.com"), kinds(t))
    before = len(t.get("outbox", []))
    _, raw = mail("Cliff Tucker <cliff.tucker@example.com>", "Printer jammed", "The printer on floor 2 is jammed.\n")
    rc, n, err = ingest(raw)
    t2 = show(n) if n else {}
    check("bounce: the failing address gets no acknowledgement for a while",
          outbox(t2, "acknowledgement") is None and has_event(t2, "guard", "failing"), (kinds(t2), t2.get("outbox")))

    # Rate limit: one sender, many new tickets in an hour: after 5
    # acknowledgements the rest are stored but not answered.
    numbers = []
    for i in range(7):
        _, raw = mail("Busy Bee <busy.bee@example.com>", f"Question {i}", f"Question number {i}.\n")
        numbers.append(ingest(raw)[1])
    acks = [outbox(show(x), "acknowledgement") is not None for x in numbers]
    check("rate limit: all 7 mails stored as tickets", all(numbers) and len(set(numbers)) == 7, numbers)
    check("rate limit: 5 acknowledgements, then none", acks == [True] * 5 + [False] * 2, acks)
    check("rate limit: the event says so", has_event(show(numbers[-1]), "guard", "rate limit"), kinds(show(numbers[-1])))

    # The clock closes what was resolved, once the days have passed.
    check("clock: tick", tick(int(time.time()) + 8 * 86400) == 0)
    for number in (maria, cliff, alex):
        t = show(number)
        check(f"clock: {number} closed", t.get("state") == "closed" and has_event(t, "auto_close"),
              (t.get("state"), kinds(t)))

    # --- Loop guard: an auto-responder gets no acknowledgement ------------------
    _, raw = mail("Out of Office <ooo@elsewhere.example>", "Automatic reply: hello", "I am away.\n")
    raw = raw.replace(b"MIME-Version", b"Auto-Submitted: auto-replied\nMIME-Version")
    rc, n, err = ingest(raw)
    t = show(n) if n else {}
    check("guard: automatic mail stored", rc == 0 and n, err)
    check("guard: no acknowledgement to an auto-responder",
          outbox(t, "acknowledgement") is None and has_event(t, "guard", "automatic"), (kinds(t), t.get("outbox")))
finally:
    shutil.rmtree(scratch, ignore_errors=True)

finish()
