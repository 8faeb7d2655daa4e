#!/usr/bin/python3
"""The mail side of scripts/demo.sh: with a private mail stack running
(scripts/mailstack) it starts `ticketd run`, plays the demo scenarios as real
mail (customers and agents send over SMTP with STARTTLS and read their
mailboxes over IMAP with STARTTLS, both verified against the stack's CA),
checks that every mail arrives where it should, lets the clock run eight days
ahead, and prints each ticket's timeline and where every mail went.

usage: play.py SCRATCH TICKETD TICKETCTL
  SCRATCH holds ticketd.toml, mailstack/env and gets ticketd.log and
  ticketd.pid (for demo.sh's clean-up trap). Exit 0 when every step arrived;
  1 with a message naming the step that did not (within STEP_TIMEOUT).

Standard library only (Debian's /usr/bin/python3). It never looks into the
maildirs: what a person sees is what their IMAP mailbox shows.
"""
import email
import email.policy
import email.utils
import imaplib
import json
import re
import secrets
import signal
import smtplib
import ssl
import statistics
import subprocess
import sys
import textwrap
import time
from email.message import EmailMessage
from pathlib import Path

STEP_TIMEOUT = 30.0  # seconds a mail may take to be stored, or to arrive
POLL = 0.05  # seconds between looks while waiting
WIDTH = 118  # printed lines are cut here
MAILS = Path(__file__).resolve().parent / "mails"

NICK = ("Nick Moss", "nick.moss@example.com")
PRIYA = ("Priya Shah", "priya.shah@example.com")
KAREN = ("Karen Jones", "karen.jones@example.com")
CLIFF = ("Cliff Tucker", "cliff.tucker@example.com")
ALEX = ("Alex Kamal", "alex.kamal@example.com")
MARIA = ("Maria Lopez", "maria.lopez@example.com")
TOM = ("Tom Berger", "tom.berger@example.com")
STRANGER = ("IT Security", "it-security@example.org")
SUPPORT = "support@example.com"


class DemoError(Exception):
    """A step that did not happen; the message says which and why."""


def cut(line, width=WIDTH):
    return line if len(line) <= width else line[: width - 1] + "…"


def say(line=""):
    print(cut(line), flush=True)


def wrap(text):
    """Paragraphs filled at 72 columns, as a mail client sends them; command
    paragraphs (#priority ...) stay as written."""
    paras = text.strip("\n").split("\n\n")
    return "\n\n".join(p if p.startswith("#") else textwrap.fill(p, 72) for p in paras)


def crlf(raw):
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# ----------------------------------------------------------------- the mail stack


class Stack:
    """SMTP submission and IMAP mailboxes of the private mail stack."""

    def __init__(self, env_file):
        env = {}
        for line in Path(env_file).read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                env[key] = value
        self.smtp_port = int(env["MAILSTACK_SMTP_PORT"])
        self.imap_port = int(env["MAILSTACK_IMAP_PORT"])
        self.password = env["MAILSTACK_PASSWORD"] or "secret"
        self.tls = ssl.create_default_context(cafile=env["MAILSTACK_CA_FILE"])
        self.boxes = {}

    def send(self, raw, mail_from, rcpts):
        """Sends RFC 5322 bytes over SMTP with STARTTLS (certificate verified)."""
        with smtplib.SMTP("127.0.0.1", self.smtp_port, local_hostname="client.example.com",
                          timeout=15) as s:
            s.starttls(context=self.tls)
            s.ehlo("client.example.com")
            opts = ["BODY=8BITMIME"] if s.has_extn("8bitmime") else []
            refused = s.sendmail(mail_from, rcpts, crlf(raw), mail_options=opts)
        if refused:
            raise DemoError(f"the SMTP server refused {refused}")

    def box(self, address):
        if address not in self.boxes:
            self.boxes[address] = Mailbox(self, address)
        return self.boxes[address]

    def close(self):
        for b in self.boxes.values():
            b.close()
        self.boxes.clear()


class Mailbox:
    """One person's IMAP session (STARTTLS, verified), INBOX selected."""

    def __init__(self, stack, address):
        self.address = address
        self.imap = imaplib.IMAP4("127.0.0.1", stack.imap_port, timeout=15)
        self.imap.starttls(ssl_context=stack.tls)
        self.imap.login(address, stack.password)
        self.folder = None
        self.select("INBOX")

    def select(self, folder):
        if folder != self.folder:
            typ, data = self.imap.select(quote(folder), readonly=True)
            if typ != "OK":
                raise DemoError(f"{self.address}: cannot select {folder}: {data}")
            self.folder = folder

    def find(self, message_id, folder="INBOX"):
        """UIDs of the mails with this Message-ID in the folder, as of now."""
        self.select(folder)
        self.imap.noop()  # Dovecot looks at the maildir again
        typ, data = self.imap.uid("SEARCH", "HEADER", "Message-ID", quote(f"<{message_id}>"))
        if typ != "OK":
            raise DemoError(f"{self.address}: SEARCH failed: {data}")
        return [int(u) for u in data[0].split()]

    def fetch(self, uid, folder="INBOX"):
        self.select(folder)
        typ, data = self.imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        raw = next((part[1] for part in data if isinstance(part, tuple)), None)
        if typ != "OK" or raw is None:
            raise DemoError(f"{self.address}: cannot fetch UID {uid} from {folder}")
        return email.message_from_bytes(raw, policy=email.policy.default)

    def folders(self):
        typ, data = self.imap.list()
        names = []
        for line in data or []:
            m = re.match(rb'\((?P<flags>[^)]*)\) (?:"."|NIL) (?P<name>.+)$', line)
            if m and b"\\Noselect" not in m["flags"]:
                names.append(m["name"].decode().strip('"'))
        return sorted(names, key=lambda n: (n != "INBOX", n))

    def headers(self, folder):
        """(uid, From, Subject, Message-ID, X-Ticketd-Ticket) of every mail in
        the folder, in arrival order."""
        self.select(folder)
        self.imap.noop()
        typ, data = self.imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT MESSAGE-ID X-TICKETD-TICKET)])")
        rows = []
        for part in data or []:
            if not isinstance(part, tuple):
                continue
            uid = int(re.search(rb"UID (\d+)", part[0])[1])
            h = email.message_from_bytes(part[1], policy=email.policy.default)
            rows.append((uid, str(h.get("From", "")), str(h.get("Subject", "")).strip(),
                         str(h.get("Message-ID", "")).strip(), str(h.get("X-Ticketd-Ticket", ""))))
        return sorted(rows)

    def close(self):
        try:
            self.imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ----------------------------------------------------------------- ticketd


class Ticketd:
    """`ticketd run` as a child process, and ticketctl/ticketd one-shots."""

    def __init__(self, scratch, ticketd, ticketctl):
        self.config = str(scratch / "ticketd.toml")
        self.ticketd, self.ticketctl = ticketd, ticketctl
        self.log_path, self.pid_path = scratch / "ticketd.log", scratch / "ticketd.pid"
        self.proc = None

    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.ticketd, "run", "--config", self.config, "-v"],
                                     stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self.pid_path.write_text(f"{self.proc.pid}\n")
        # Ready once it logs "started" (mail sent earlier would wait in the
        # INBOX anyway); an exit at start is the failure to catch here.
        deadline = time.monotonic() + 5
        while b"started stage=run" not in self.log_path.read_bytes() and time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise DemoError(f"ticketd run exited with {self.proc.returncode} at start")
            time.sleep(POLL)
        return self.proc.pid

    def stop(self):
        """SIGTERM, then wait; returns (exit code, seconds)."""
        if self.proc is None:
            return None, 0.0
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
            raise DemoError("ticketd run did not stop within 20 s of SIGTERM (killed)")
        finally:
            self.proc = None
            self.pid_path.unlink(missing_ok=True)
        return rc, time.monotonic() - t0

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def ctl(self, *args):
        r = subprocess.run([self.ticketctl, "--config", self.config, *args],
                           capture_output=True, text=True)
        return r.returncode, r.stdout, r.stderr

    def ctl_json(self, *args):
        rc, out, err = self.ctl(*args, "--json")
        if rc != 0:
            raise DemoError(f"ticketctl {' '.join(args)} failed ({rc}): {err.strip()}")
        return json.loads(out)

    def why(self, message_id):
        """The stored entries of a mail, or None while it is not stored."""
        rc, out, _ = self.ctl("why", f"<{message_id}>", "--json")
        if rc != 0:
            return None
        return json.loads(out) or None


# ----------------------------------------------------------------- the play


class Sent:
    """A mail the demo sent, and what became of it."""

    def __init__(self, label, sender, message_id, raw, t_sent):
        self.label, self.sender, self.message_id, self.t_sent = label, sender, message_id, t_sent
        self.raw = raw  # the bytes as sent (a retry resends them)
        self.entry = None  # the `ticketctl why` entry once stored
        self.t_stored = None
        self.arrived = []  # (kind, address, seconds after sending)


class Play:
    def __init__(self, scratch, ticketd, ticketctl):
        self.stack = Stack(scratch / "mailstack" / "env")
        self.td = Ticketd(scratch, ticketd, ticketctl)
        self.inbox = {}  # (address, ticket, kind) -> [Message-ID, ...] as they arrived
        self.sent_by_demo = 0
        self.ack_latency, self.store_latency = [], []
        self.t0 = time.monotonic()

    # -- sending

    def send_file(self, label, name, sender, rcpts, edits=()):
        raw = (MAILS / name).read_bytes()
        raw = re.sub(rb"(?m)^Date: .*$", b"Date: " + email.utils.formatdate(localtime=True).encode(),
                     raw, count=1)
        for old, new in edits:
            raw = raw.replace(old.encode(), new.encode())
        mid = email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"].strip("<> ")
        return self.send_raw(label, raw, sender, rcpts, mid)

    def send_raw(self, label, raw, sender, rcpts, mid):
        t = time.monotonic()
        self.stack.send(raw, sender[1], rcpts)
        self.sent_by_demo += 1
        return Sent(label, sender, mid, raw, t)

    def reply(self, label, sender, original, text):
        """Replies to `original` as a mail client does: To its Reply-To,
        In-Reply-To/References, "Re:" subject, the new text above the quoted one."""
        m = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
        m["From"] = email.utils.formataddr(sender)
        m["To"] = str(original.get("Reply-To") or original["From"])
        subject = str(original["Subject"])
        m["Subject"] = subject if re.match(r"(?i)re:", subject) else "Re: " + subject
        m["Date"] = email.utils.formatdate(localtime=True)
        local, domain = sender[1].split("@")
        m["Message-ID"] = f"<{local.split('.')[0]}.{secrets.token_hex(3)}@mail.{domain}>"
        parent = str(original["Message-ID"]).strip()
        m["In-Reply-To"] = parent
        m["References"] = " ".join(str(original.get("References", "")).split() + [parent])
        body = original.get_body(preferencelist=("plain",))
        quoted = body.get_content() if body is not None else ""
        m.set_content(wrap(text) + "\n\n"
                      + f"On {original['Date']}, {original['From']} wrote:\n"
                      + "".join(f"> {line}".rstrip() + "\n" for line in quoted.splitlines()))
        rcpt = email.utils.getaddresses([m["To"]])[0][1]
        return self.send_raw(label, m.as_bytes(), sender, [rcpt], m["Message-ID"].strip("<> "))

    def latest(self, address, ticket, *kinds):
        """The newest mail of one of `kinds` on `ticket` in address's INBOX."""
        for kind in kinds:
            mids = self.inbox.get((address, ticket, kind))
            if mids:
                box = self.stack.box(address)
                uids = box.find(mids[-1])
                if uids:
                    return box.fetch(uids[-1])
        raise DemoError(f"no {' or '.join(kinds)} on {ticket} in {address}'s INBOX to reply to")

    # -- waiting

    def wait(self, what, check, timeout=STEP_TIMEOUT, on_timeout=None):
        deadline = time.monotonic() + timeout
        while True:
            got = check()
            if got:
                return got
            if time.monotonic() > deadline:
                extra = on_timeout() if on_timeout else ""
                raise DemoError(f"{what}: not within {timeout:.0f} s{extra}")
            if not self.td.alive():
                raise DemoError(f"{what}: ticketd run is not running any more")
            time.sleep(POLL)

    def settle(self, sent, quiet=False):
        """Waits until `sent` is stored and every mail ticketd queued because
        of it has arrived in each recipient's INBOX; prints what happened."""
        entries = self.wait(f"{sent.label}: stored by ticketd (`ticketctl why <{sent.message_id}>`)",
                            lambda: self.td.why(sent.message_id))
        sent.t_stored = time.monotonic() - sent.t_sent
        sent.entry = entries[0]
        ticket = sent.entry["ticket"]
        for row in sent.entry.get("queued", []):
            for address in row["to"] + row["cc"]:
                self.wait(f"{sent.label}: the {row['kind']} <{row['message_id']}> in {address}'s INBOX",
                          lambda: self.stack.box(address).find(row["message_id"]),
                          on_timeout=lambda: self.row_state(ticket, row["message_id"]))
                sent.arrived.append((row["kind"], address, time.monotonic() - sent.t_sent))
                self.inbox.setdefault((address, ticket, row["kind"]), []).append(row["message_id"])
        if not quiet:
            self.describe(sent)
        return sent

    def row_state(self, ticket, message_id):
        for row in self.td.ctl_json("show", ticket)["outbox"]:
            if row["message_id"] == message_id:
                err = f", last error: {row['last_error']}" if row.get("last_error") else ""
                return f" (outbox row {row['id']}: {row['state']}, {row['attempts']} attempt(s){err})"
        return " (no such outbox row)"

    def describe(self, sent):
        e = sent.entry
        ticket = e["ticket"]
        say(f"▸ {sent.label}")
        events = e.get("events", [])
        how = next((ev["detail"] for ev in events if ev["kind"] in ("created", "message_added")), "")
        how = re.sub(r"^ticket \S+ opened by \S+; ", "", how)
        say(f"    {ticket:<8} {e['kind']} mail stored {sent.t_stored:.2f} s after sending: {how}")
        created = any(ev["kind"] == "created" for ev in events)
        skip = {"created", "message_added", "queued"}
        if created:
            skip |= {"team", "assigned", "tag", "sla", "state", "priority"}
        for ev in events:
            if ev["kind"] not in skip:
                detail = ev["detail"].replace("\n", " ")
                if ev["kind"] == "rule":
                    detail = re.sub(r"^rule ", "", detail)
                say(f"    {ev['kind']:<8} {detail}")
        t = self.td.ctl_json("show", ticket)
        tags = ", ".join(t["tags"]) or "-"
        say(f"    now      {t['state']} · priority {t['priority']} · team {t['team'] or '-'} · "
            f"{t['assignee'] or 'unassigned'} · tags {tags}")
        for i, (kind, address, secs) in enumerate(sent.arrived):
            say(f"    {'mailed' if i == 0 else '':<8} {kind} → {address}: in the INBOX {secs:.2f} s after sending")
        if not sent.arrived:
            say("    mailed   nothing")

    def expect(self, ticket, **fields):
        t = self.td.ctl_json("show", ticket)
        for key, want in fields.items():
            got = t[key]
            if isinstance(got, list):
                got = [g["address"] if isinstance(g, dict) else g for g in got]
            ok = want in got if isinstance(got, list) else got == want
            if not ok:
                raise DemoError(f"{ticket}: expected {key} {want!r}, got {got!r}")

    def processed_in_support(self, message_id, count):
        box = self.stack.box(SUPPORT)
        return len(box.find(message_id, "Processed")) >= count and not box.find(message_id, "INBOX")

    # -- the scenarios

    def customers_write(self):
        section("1. Customers write to support@example.com (each waits for the acknowledgement)")
        firsts = {}
        for who, name, rcpts, title in [
            (KAREN, "01-karen-locked-out.eml", [SUPPORT], "forgotten password, outdated recovery address"),
            (CLIFF, "02-cliff-erp-outage.eml", [SUPPORT, "sales-ops@example.com"],
             "ERP outage hitting sales and manufacturing (Cc Sales Ops)"),
            (ALEX, "03-alex-camera.eml", [SUPPORT], "laptop camera dead after Windows 11 upgrade (screenshot)"),
            (MARIA, "04-maria-email-sync.eml", [SUPPORT, TOM[1]], "phone stopped syncing mail (Cc Tom)"),
        ]:
            s = self.send_file(f"{who[0]} → support: {title}", name, who, rcpts)
            self.settle(s)
            acks = [secs for kind, address, secs in s.arrived if kind == "acknowledgement"]
            if not acks:
                raise DemoError(f"{s.label}: no acknowledgement was queued to {who[1]}")
            self.ack_latency.append(acks[0])
            self.store_latency.append(s.t_stored)
            firsts[who] = s
        self.tickets = {who: s.entry["ticket"] for who, s in firsts.items()}
        self.firsts = firsts
        k, c, a = self.tickets[KAREN], self.tickets[CLIFF], self.tickets[ALEX]
        # The example config's rules: login/password → accounts, outage → urgent,
        # hardware → desktop support.
        self.expect(k, team="accounts", tags="login")
        self.expect(c, priority="urgent", tags="outage")
        self.expect(a, team="desktop", tags="hardware")

        first = firsts[CLIFF]
        s = self.send_raw(f"{CLIFF[0]}'s mail client sends the ERP mail once more, byte for byte",
                          first.raw, CLIFF, [SUPPORT], first.message_id)
        self.wait("the resent ERP mail: moved to support's Processed folder",
                  lambda: self.processed_in_support(s.message_id, 2))
        say(f"▸ {s.label}")
        dup = [ev["detail"] for ev in self.td.ctl_json("show", c)["events"] if ev["kind"] == "duplicate"]
        say(f"    {c:<8} " + (f"duplicate: {dup[-1]}" if dup else "no duplicate event recorded"))
        say("    mailed   nothing (one ticket, one acknowledgement)")

    def more_customer_mail(self):
        section("2. More mail from the customers' side: threading")
        k, a = self.tickets[KAREN], self.tickets[ALEX]
        batch = [
            self.send_file(f"{KAREN[0]} adds a line (In-Reply-To her first mail, quoted history below)",
                           "05-karen-followup.eml", KAREN, [SUPPORT]),
            self.send_file(f"{TOM[0]}, in Cc, replies to Maria's mail: same problem",
                           "06-tom-joins-sync.eml", TOM, [SUPPORT]),
            self.send_file(f"{ALEX[0]} writes a new mail with only the ticket tag [#{a}] in the subject",
                           "08-alex-tagged-reply.eml", ALEX, [SUPPORT], [("[#TD-1003]", f"[#{a}]")]),
            self.send_file(f"A stranger ({STRANGER[1]}) quotes Karen's ticket and asks for her reset link",
                           "07-stranger-hijack.eml", STRANGER, [SUPPORT],
                           [("it-security@evil.example", STRANGER[1]), ("[#TD-1001]", f"[#{k}]")]),
        ]
        for s in batch:
            self.settle(s)
        self.stranger_ticket = batch[3].entry["ticket"]
        if self.stranger_ticket == k:
            raise DemoError("the stranger's mail was threaded onto Karen's ticket")
        if batch[0].entry["ticket"] != k or batch[2].entry["ticket"] != a:
            raise DemoError("Karen's or Alex's follow-up was not threaded onto their ticket")

    def desk_answers(self):
        section("3. The IT desk answers by replying to the alert mails (commands on the first lines)")
        k, c, a, mt = (self.tickets[w] for w in (KAREN, CLIFF, ALEX, MARIA))
        agent = {t: self.td.ctl_json("show", t)["assignee"] for t in (k, c, a, mt)}
        self.agent = {t: next((p for p in (NICK, PRIYA) if p[1] == agent[t]), None) for t in agent}
        for t, who in self.agent.items():
            if who is None:
                raise DemoError(f"{t} is assigned to {agent[t] or 'nobody'}, not to a demo agent")

        def answer(t, label, text):
            who = self.agent[t]
            alert = self.latest(who[1], t, "agent_alert")
            return self.reply(f"{who[0]} on {t}: {label}", who, alert, text)

        self.settle(answer(a, "#note (internal: replacement camera ordered)",
                           "#note Known Windows 11 driver issue on the T14 Gen 2.\n"
                           "Ordered a replacement camera module (PO 4471) in case\n"
                           "the driver rollback does not help."))
        batch = [
            answer(k, "#priority high + the answer",
                   "#priority high\n\nHi Karen,\n\nI replaced the outdated recovery address on your "
                   "account with your work address and sent a new reset link there. Please use it "
                   "and choose a new password."),
            answer(c, "#tag erp + the answer (urgent already, by rule)",
                   "#tag erp\n\nHi Cliff,\n\nthe ERP application server is back up; please try "
                   "entering the orders again and tell me if anything is missing."),
            answer(a, "the answer",
                   "Hi Alex,\n\nI rolled back the camera driver remotely. Please restart the laptop "
                   "and try Teams again."),
            answer(mt, "#tag mobile + the answer (to Maria, Tom in Cc)",
                   "#tag mobile\n\nHi Maria, hi Tom,\n\nplease "
                   "remove the account on the phone and add it again with the new server name "
                   "mail.example.com."),
        ]
        for s in batch:
            self.settle(s)
        self.expect(k, priority="high")
        self.expect(mt, state="pending", collaborators=TOM[1])  # Maria's Cc

    def customers_reply(self):
        section("4. The customers reply to the answers (threaded by the reply token)")
        replies = [
            (KAREN, "It works again, thank you!"),
            (CLIFF, "Orders are going in again, manufacturing is back too. Thanks for the quick fix!"),
            (ALEX, "The camera is back after the restart, Teams sees it. Thanks!"),
            (MARIA, "That did it, my phone syncs again. Tom says his too."),
        ]
        batch = []
        for who, text in replies:
            t = self.tickets[who]
            answer = self.latest(who[1], t, "answer")
            batch.append(self.reply(f"{who[0]} replies on {t}", who, answer, text))
        for s in batch:
            self.settle(s)

    def desk_resolves(self):
        section("5. The IT desk resolves by mail; the customers get the closure notice")
        k, c, a, mt = (self.tickets[w] for w in (KAREN, CLIFF, ALEX, MARIA))

        def resolve(t, label, text):
            who = self.agent[t]
            alert = self.latest(who[1], t, "agent_alert")
            return self.reply(f"{who[0]} on {t}: {label}", who, alert, text)

        batch = [
            resolve(k, "#resolve + a last word", "#resolve\n\nGreat, closing this one."),
            resolve(c, "#resolve + #note (root cause, internal)",
                    "#resolve\n#note Root cause: the application server's disk was full. "
                    "Added a disk-space alert."),
            resolve(a, "#resolve", "#resolve"),
            resolve(mt, "#resolve + a last word",
                    "#resolve\n\nGlad to hear it, closing the ticket."),
        ]
        for s in batch:
            self.settle(s)
            if not any(kind == "closure" for kind, _, _ in s.arrived):
                raise DemoError(f"{s.label}: no closure notice reached the customer")
        for t in (k, c, a, mt):
            self.expect(t, state="resolved")

    def eight_days_later(self):
        section("6. Eight days later: the clock closes the resolved tickets and finds the one left open overdue")
        rc, secs = self.td.stop()
        say(f"▸ ticketd run stopped by SIGTERM: exit {rc} in {secs:.2f} s")
        if rc != 0:
            raise DemoError(f"ticketd run exited {rc} on SIGTERM")
        before = {r["id"] for r in self.td.ctl_json("outbox")}
        later = int(time.time()) + 8 * 86400
        say(f"▸ ticketd tick --now {later}  ({time.strftime('%Y-%m-%d %H:%M', time.localtime(later))})")
        r = subprocess.run([self.td.ticketd, "tick", "--config", self.td.config, "--now", str(later), "-v"],
                           capture_output=True, text=True)
        for line in (r.stdout + r.stderr).splitlines():
            say("    " + re.sub(r"^\d{4}-\d\d-\d\dT\S+ \w+ ", "", line))
        if r.returncode != 0:
            raise DemoError(f"ticketd tick exited {r.returncode}")
        t0 = time.monotonic()
        pid = self.td.start()
        say(f"▸ ticketd run started again (pid {pid}); it sends what the clock decided")
        rows = [row for row in self.td.ctl_json("outbox") if row["id"] not in before]
        for row in rows:
            for address in row["to"] + row["cc"]:
                self.wait(f"the clock's {row['kind']} <{row['message_id']}> in {address}'s INBOX",
                          lambda: self.stack.box(address).find(row["message_id"]))
                say(f"    mailed   {row['kind']} → {address}: in the INBOX {time.monotonic() - t0:.2f} s after the start")
        if not rows:
            say("    mailed   nothing")
        for who in (KAREN, CLIFF, ALEX, MARIA):
            self.expect(self.tickets[who], state="closed")

    # -- the result

    def timelines(self):
        section("7. The tickets: ticketctl list, then ticketctl show N (each ticket's timeline)")
        rc, out, err = self.td.ctl("list")
        print(out + err, end="", flush=True)
        for t in self.td.ctl_json("list"):
            print(flush=True)
            rc, out, err = self.td.ctl("show", t["number"])
            print(out + err, end="", flush=True)

    def where_mail_went(self):
        section("8. Where each mail went (every mailbox of the stack, read over IMAP)")
        people = [SUPPORT, NICK[1], PRIYA[1], KAREN[1], CLIFF[1], ALEX[1], MARIA[1], TOM[1],
                  "sales-ops@example.com", STRANGER[1]]
        self.wait("support's INBOX empty (every mail processed and moved)",
                  lambda: not self.stack.box(SUPPORT).headers("INBOX"))
        totals = {}
        tickets = {}  # Message-ID -> the ticket it is stored on (`ticketctl why`)

        def ticket_of(mid, header):
            if header:
                return header
            if mid not in tickets:
                entries = self.td.why(mid.strip("<>"))
                tickets[mid] = entries[0]["ticket"] if entries else "-"
            return tickets[mid]

        say(f"  {'FROM':<18} {'TICKET':<7} {'SUBJECT':<50} MESSAGE-ID")
        for address in people:
            box = self.stack.box(address)
            for folder in box.folders():
                rows = box.headers(folder)
                totals[(address, folder)] = len(rows)
                if not rows:
                    if address == SUPPORT and folder == "INBOX":
                        say(f"{address} {folder}: empty (ticketd moved every mail it stored to Processed)")
                    continue
                say(f"{address} {folder} ({len(rows)})")
                for uid, frm, subject, mid, ticket in rows:
                    name, addr = email.utils.parseaddr(frm)
                    say(f"  {cut(name or addr, 18):<18} {ticket_of(mid, ticket):<7} {cut(subject, 50):<50} "
                        f"{cut(mid, 38)}")
        return totals

    def summary(self, totals):
        section("Summary")
        tickets = self.td.ctl_json("list")
        outbox = self.td.ctl_json("outbox")
        states = {}
        for t in tickets:
            states[t["state"]] = states.get(t["state"], 0) + 1
        sent = sum(1 for r in outbox if r["state"] == "sent")
        other = [f"{r['id']} {r['kind']} {r['state']}" for r in outbox if r["state"] != "sent"]
        say(f"  {len(tickets)} tickets ({', '.join(f'{n} {s}' for s, n in sorted(states.items()))}); "
            f"{self.sent_by_demo} mails sent by customers and agents, {sent} by ticketd"
            + (f"; not sent: {', '.join(other)}" if other else ", all delivered"))
        say(f"  support@example.com: INBOX empty, {totals.get((SUPPORT, 'Processed'), 0)} mails in Processed")
        lat = self.ack_latency
        st = self.store_latency
        say(f"  a customer's SMTP send → the acknowledgement in their INBOX: median {statistics.median(lat):.2f} s "
            f"(min {min(lat):.2f}, max {max(lat):.2f}; {len(lat)} customers)")
        say(f"  a customer's SMTP send → the ticket stored: median {statistics.median(st):.2f} s "
            f"(Dovecot delays IDLE notifications by 0.5 s)")
        say(f"  the mail part took {time.monotonic() - self.t0:.1f} s")


def section(title):
    print(flush=True)
    say(f"== {title}")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    scratch = Path(sys.argv[1]).resolve()
    play = Play(scratch, sys.argv[2], sys.argv[3])
    step = "start"
    try:
        pid = play.td.start()
        say(f"▸ ticketd run --config {play.td.config} -v   (pid {pid})")
        say(f"    its log: {play.td.log_path}")
        for step in ("customers_write", "more_customer_mail", "desk_answers", "customers_reply",
                     "desk_resolves", "eight_days_later", "timelines"):
            getattr(play, step)()
        step = "where_mail_went"
        totals = play.where_mail_went()
        step = "summary"
        play.summary(totals)
        rc, secs = play.td.stop()
        if rc != 0:
            raise DemoError(f"ticketd run exited {rc} on SIGTERM")
    except DemoError as e:
        print(f"\ndemo: FAILED in {step}: {e}", file=sys.stderr, flush=True)
        return 1
    except (OSError, smtplib.SMTPException, imaplib.IMAP4.error, ssl.SSLError) as e:
        print(f"\ndemo: FAILED in {step}: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print(f"\ndemo: interrupted in {step}", file=sys.stderr, flush=True)
        return 130
    finally:
        play.stack.close()
        if play.td.alive():
            try:
                play.td.stop()
            except DemoError as e:
                print(f"demo: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
