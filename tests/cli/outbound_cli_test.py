#!/usr/bin/python3
"""Outbound mail through the real binaries and a real mail stack (issue 4).

A private Postfix + Dovecot (scripts/mailstack, started by the ctest fixture;
its env file is TICKETD_MAILSTACK_ENV). Customer mail goes in through
`ticketd ingest`; `ticketd deliver` sends the outbox over SMTP; the mail is
read back from the recipients' mailboxes over IMAP (verified TLS).

Checks: the acknowledgement lands with the right threading headers, the
ticket's reply token and the VERP envelope sender; the customer's reply to it,
delivered through Postfix to the support mailbox and fed back to ingest,
threads onto the ticket; the agent's alert lands and the agent's answer is
relayed with its attachment. Faults: server down (deferred, then delivered
once), 450 then 250, 550 (dead, event, `ticketctl outbox retry`), a lost 250
(a proxy drops the connection after the server accepted: the resend carries
the same Message-ID and the same bytes). No password in logs, events or
outbox errors, also with debug logging. Prints 'N passed, M failed'.
"""
import argparse
import email
import email.policy
import imaplib
import json
import os
import re
import secrets
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--ticketd", required=True)
ap.add_argument("--ticketctl", required=True)
args = ap.parse_args()
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

env_file = os.environ.get("TICKETD_MAILSTACK_ENV")
if not env_file or not os.path.exists(env_file):
    print(f"FAIL: no mail stack: TICKETD_MAILSTACK_ENV={env_file!r} "
          "(run through ctest, whose fixture starts scripts/mailstack/start.sh)")
    sys.exit(1)
ENV = {}
for line in open(env_file):
    line = line.strip()
    if "=" in line and not line.startswith("#"):
        k, v = line.split("=", 1)
        ENV[k] = v.strip().strip("'\"")
STACK = ENV["MAILSTACK_DIR"]
HOST = "127.0.0.1"
CA = ENV["MAILSTACK_CA_FILE"]
PASSWORD = ENV.get("MAILSTACK_PASSWORD", "secret")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish  # noqa: E402


def ctl(*a):
    r = subprocess.run(["bash", os.path.join(ROOT, "scripts/mailstack/ctl.sh"), STACK, *a],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"ctl.sh {a}: {r.stdout}{r.stderr}")
    return r.stdout.strip()


RUN = secrets.token_hex(3)


def new_user(stem):
    address = f"{stem}-{RUN}@example.test"
    ctl("adduser", address, PASSWORD)
    return address


# ---- the help desk under test ----
scratch = tempfile.mkdtemp(prefix="ticketd-out-")
SMTP_PASSWORD = "pw-" + secrets.token_hex(8) + "-Zq"  # distinctive: grep finds any leak
with open(os.path.join(scratch, "smtp.password"), "w") as f:
    f.write(SMTP_PASSWORD + "\n")

with open(os.path.join(ROOT, "ticketd.example.toml")) as f:
    base = f.read()
base = base.replace('path = "/var/lib/ticketd/ticketd.db"', 'path = "ticketd.db"')
base = re.sub(r"(?m)^\[smtp\][\s\S]*?(?=^\[)", "", base)  # an [smtp] table, if the example sets one


def write_config(name, smtp):
    cfg = os.path.join(scratch, name + ".toml")
    os.makedirs(os.path.join(scratch, name), exist_ok=True)
    text = base.replace('path = "ticketd.db"', f'path = "{name}/ticketd.db"')
    text = text.replace("max_attempts = 10", "max_attempts = 3")
    text += "\n[smtp]\n" + smtp
    with open(cfg, "w") as f:
        f.write(text)
    return cfg


STARTTLS = f'url = "smtp://{HOST}:{ENV["MAILSTACK_SMTP_PORT"]}"\nca_file = "{CA}"\n'
cfg = write_config("main", STARTTLS)

counter = [0]


def mail(frm, subject, body, to="IT Support <support@example.com>", irt=None, extra=None):
    counter[0] += 1
    mid = f"out-{RUN}-{counter[0]}@customer.example"
    h = [f"From: {frm}", f"To: {to}", f"Subject: {subject}",
         "Date: Thu, 26 Nov 2026 09:00:00 +0000", f"Message-ID: <{mid}>"]
    if irt:
        h += [f"In-Reply-To: <{irt}>", f"References: <{irt}>"]
    h += extra or []
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return mid, ("\r\n".join(h) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def ingest(raw, config=None):
    r = subprocess.run([args.ticketd, "ingest", "--config", config or cfg, "-v"], input=raw,
                       capture_output=True, timeout=60)
    m = re.search(rb"ticket=(\S+)", r.stderr)
    return r.returncode, (m.group(1).decode() if m else None), r.stderr.decode()


LOGS = []


def deliver(config=None, now=None, verbose="-v"):
    a = [args.ticketd, "deliver", "--config", config or cfg]
    if verbose:
        a.append(verbose)
    if now is not None:
        a += ["--now", str(int(now))]
    r = subprocess.run(a, capture_output=True, timeout=180)
    LOGS.append(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
    return r.returncode, r.stderr.decode(errors="replace")


def ctljson(*a, config=None):
    r = subprocess.run([args.ticketctl, "--config", config or cfg, *a, "--json"],
                       capture_output=True, timeout=60)
    LOGS.append(r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace"))
    return json.loads(r.stdout) if r.returncode == 0 else None


def outbox(config=None):
    return ctljson("outbox", config=config) or []


def row_for(rows, ticket_kind_mid):
    return [r for r in rows if r["message_id"] == ticket_kind_mid]


# ---- IMAP: verified TLS, read without setting \Seen ----
def imap(user):
    ctx = ssl.create_default_context(cafile=CA)
    m = imaplib.IMAP4(HOST, int(ENV["MAILSTACK_IMAP_PORT"]))
    m.starttls(ssl_context=ctx)
    m.login(user, PASSWORD)
    return m


def fetch_all(user, folder="INBOX"):
    m = imap(user)
    try:
        m.select(folder, readonly=True)
        typ, data = m.uid("SEARCH", None, "ALL")
        out = []
        for uid in data[0].split():
            typ, d = m.uid("FETCH", uid, "(BODY.PEEK[])")
            for part in d:
                if isinstance(part, tuple):
                    out.append(part[1])
        return out
    finally:
        m.logout()


def wait_for(user, pred, timeout=30):
    deadline = time.time() + timeout
    while True:
        found = [raw for raw in fetch_all(user) if pred(email.message_from_bytes(raw))]
        if found or time.time() > deadline:
            return found
        time.sleep(0.3)


def by_mid(mid):
    return lambda m: (m.get("Message-ID") or "").strip() == f"<{mid}>"


def smtp_send(frm, to, raw):
    with smtplib.SMTP(HOST, int(ENV["MAILSTACK_SMTP_PORT"]), timeout=30) as s:
        s.starttls(context=ssl.create_default_context(cafile=CA))
        s.sendmail(frm, [to], raw)


# ======================================================================
# 1. Acknowledgement lands, threads, and the reply to it threads back.
karen = new_user("karen")
mid1, raw1 = mail(f"Karen Jones <{karen}>", "Locked out after password reset",
                  "Hello,\nI cannot log in since this morning.\nKaren")
rc, number, err = ingest(raw1)
check("ingest.new_ticket", rc == 0 and number, err)
rows = outbox()
ack = [r for r in rows if r["kind"] == "acknowledgement" and karen in r["to"]]
alert = [r for r in rows if r["kind"] == "agent_alert"]
check("outbox.ack_pending", len(ack) == 1 and ack[0]["state"] == "pending", rows)
rc, err = deliver()
check("deliver.exit0", rc == 0, err)
rows = outbox()
ack = [r for r in rows if r["kind"] == "acknowledgement" and karen in r["to"]]
check("outbox.ack_sent", ack and ack[0]["state"] == "sent" and ack[0]["attempts"] == 1, ack)
check("log.sent_line_has_ticket",
      re.search(rf"sent .*ticket={re.escape(number or '?')}", err) is not None, err)

got = wait_for(karen, by_mid(ack[0]["message_id"])) if ack else []
check("ack.in_customer_mailbox", len(got) == 1, f"{len(got)} copies")
if got:
    m = email.message_from_bytes(got[0], policy=email.policy.default)
    check("ack.in_reply_to", m["In-Reply-To"].strip() == f"<{mid1}>", m["In-Reply-To"])
    check("ack.references", f"<{mid1}>" in (m["References"] or ""), m["References"])
    check("ack.subject_tag", f"[#{number}]" in m["Subject"], m["Subject"])
    check("ack.auto_submitted", m["Auto-Submitted"] == "auto-replied", m["Auto-Submitted"])
    reply_to = m["Reply-To"].addresses[0].addr_spec if m["Reply-To"] else ""
    check("ack.reply_to_token", re.fullmatch(r"support\+\d+-[a-z2-7]{26}@example\.com", reply_to),
          reply_to)
    rp = (m["Return-Path"] or "").strip("<> ")
    check("ack.verp_return_path", re.fullmatch(r"support\+bounce-\d+-[a-z2-7]+@example\.com", rp),
          rp)
    check("ack.no_bcc", m["Bcc"] is None)
    body = m.get_body(preferencelist=("plain",)).get_content()
    check("ack.reply_marker", "type your reply above this line" in body, body[:300])
    check("ack.html_part", m.get_body(preferencelist=("html",)) is not None)

    # The customer answers the acknowledgement from their mail client.
    ack_mid = ack[0]["message_id"]
    rmid, rraw = mail(f"Karen Jones <{karen}>", "Re: " + m["Subject"],
                      "It works again after all, thanks!\n\n##- Please type your reply above this line -##\n> old",
                      to=reply_to, irt=ack_mid)
    smtp_send(karen, reply_to, rraw)
    arrived = wait_for("support@example.com", by_mid(rmid))
    check("reply.in_support_mailbox", len(arrived) == 1, len(arrived))
    if arrived:
        rc, n2, err = ingest(arrived[0])
        check("reply.threads_onto_ticket", rc == 0 and n2 == number, (n2, number, err))
        t = ctljson("show", number)
        check("reply.thread_has_two_entries", t and len(t["thread"]) == 2, t and t["thread"])

# 2. The agent's alert lands; the agent's answer (with an attachment) is relayed.
alert = [r for r in outbox() if r["kind"] == "agent_alert" and r["state"] == "sent"]
check("alert.sent", len(alert) >= 1, outbox())
if alert:
    agent = alert[0]["to"][0]
    got = wait_for(agent, by_mid(alert[0]["message_id"]))
    check("alert.in_agent_mailbox", len(got) == 1, agent)
    if got:
        a = email.message_from_bytes(got[0], policy=email.policy.default)
        agent_reply_to = a["Reply-To"].addresses[0].addr_spec if a["Reply-To"] else "support@example.com"
        check("alert.auto_generated", a["Auto-Submitted"] == "auto-generated", a["Auto-Submitted"])
        amid = f"agent-{RUN}@example.com"
        boundary = "b-" + RUN
        answer = (f"From: Nick Moss <{agent}>\r\nTo: {agent_reply_to}\r\n"
                  f"Subject: Re: {a['Subject']}\r\nMessage-ID: <{amid}>\r\n"
                  f"In-Reply-To: {a['Message-ID']}\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n"
                  f"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
                  f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                  "#tag recovery-address\r\n"
                  "Hi Karen, I reset your recovery address; see the guide attached.\r\n\r\n"
                  f"--{boundary}\r\nContent-Type: application/pdf\r\n"
                  "Content-Disposition: attachment; filename=\"reset-guide.pdf\"\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcfsj6IKdGVzdAo=\r\n"
                  f"--{boundary}--\r\n").encode()
        rc, n3, err = ingest(answer)
        check("answer.ingested", rc == 0 and n3 == number, (n3, err))
        deliver()
        ans = [r for r in outbox() if r["kind"] == "answer"]
        check("answer.sent", ans and ans[-1]["state"] == "sent", ans)
        if ans:
            got = wait_for(karen, by_mid(ans[-1]["message_id"]))
            check("answer.in_customer_mailbox", len(got) == 1)
            if got:
                m = email.message_from_bytes(got[0], policy=email.policy.default)
                atts = [p for p in m.iter_attachments()]
                check("answer.keeps_attachment",
                      len(atts) == 1 and atts[0].get_filename() == "reset-guide.pdf"
                      and atts[0].get_content() == b"%PDF-1.4\n%\xc7\xec\x8f\xa2\ntest\n",
                      [(p.get_filename(), p.get_content_type()) for p in atts])
                check("answer.no_auto_submitted", m["Auto-Submitted"] is None, m["Auto-Submitted"])
                text = m.get_body(preferencelist=("plain",)).get_content()
                check("answer.no_command_lines", "#tag" not in text and "I reset your" in text,
                      text[:400])
                # It answers the customer's latest mail (their reply), never the
                # agent's mail, which the customer did not see.
                check("answer.in_reply_to_customer_mail",
                      m["In-Reply-To"].strip() == f"<{rmid}>", (m["In-Reply-To"], rmid))
                check("answer.references_no_agent_mail",
                      f"<{amid}>" not in (m["References"] or "")
                      and f"<{mid1}>" in (m["References"] or ""), m["References"])
                # A later mail's history shows the answer without its command.
                pv = ctljson("template", "preview", "answer", "--ticket", number) or {}
                check("history.no_command_lines", "#tag" not in pv.get("text", "#tag"),
                      pv.get("text", "")[:600])
                check("answer.from_agent_name", "Nick Moss" in str(m["From"]), m["From"])

# 2b. (after the answer: a bounce rests the address) A bounce addressed to the VERP envelope sender is tied to that exact
# mail even when it cites no Message-ID; a forged bounce address is not.
if got and ack:
    def bounce(to):
        return (f"From: Mail Delivery System <MAILER-DAEMON@example.net>\r\nTo: {to}\r\n"
                f"Subject: Undelivered Mail Returned to Sender\r\n"
                f"Message-ID: <bounce-{secrets.token_hex(4)}@example.net>\r\n"
                "Date: Thu, 26 Nov 2026 11:00:00 +0000\r\nAuto-Submitted: auto-replied\r\n"
                "Content-Type: text/plain\r\n\r\nYour mail could not be delivered.\r\n").encode()
    rc, nb, err = ingest(bounce(rp))
    t = ctljson("show", number) or {}
    fails = [e for e in t.get("events", []) if e["kind"] == "delivery_failure"]
    check("verp.bounce_on_ticket", rc == 0 and nb == number and len(fails) == 1
          and ack[0]["message_id"] in fails[0]["detail"], (nb, err, fails))
    forged = re.sub(r"-([a-z2-7]+)@", "-aaaaaaaaaaaa@", rp)
    rc, nf, err = ingest(bounce(forged))
    q = ctljson("quarantine") or []
    check("verp.forged_not_placed", nf != number and any(x["reason"] == "unmatched_bounce" for x in q),
          (nf, err, q))

# 3. Server down: rows deferred, delivered exactly once after it is back.
down_user = new_user("down")
ctl("stop-smtp")
try:
    mid_d, raw_d = mail(f"Dee Down <{down_user}>", "Printer jam", "The printer is jammed.")
    rc, num_d, err = ingest(raw_d)
    t0 = int(time.time())
    rc, err = deliver()
    rows = [r for r in outbox() if down_user in r["to"]]
    check("down.deferred", rows and all(r["state"] == "deferred" for r in rows), rows)
    check("down.error_recorded", rows and rows[0]["last_error"], rows)
    check("down.logged_retry", "deferred" in err and "retry" in err, err)
    rc, err = deliver()  # not due yet: nothing happens
    rows2 = [r for r in outbox() if down_user in r["to"]]
    check("down.backoff_respected", rows2 and rows2[0]["attempts"] == 1, rows2)
finally:
    ctl("start-smtp")
rc, err = deliver(now=t0 + 3600)
rows = [r for r in outbox() if down_user in r["to"]]
check("down.sent_after_back", rows and rows[0]["state"] == "sent" and rows[0]["attempts"] == 2,
      rows)
if rows:
    got = wait_for(down_user, by_mid(rows[0]["message_id"]))
    time.sleep(1)
    got = [r for r in fetch_all(down_user) if by_mid(rows[0]["message_id"])(email.message_from_bytes(r))]
    check("down.delivered_once", len(got) == 1, len(got))

# 4. 450 then 250.
tmp_user = new_user("tmp")
ctl("access", tmp_user, "450 4.2.0 mailbox busy, try later")
mid_t, raw_t = mail(f"Tim Temp <{tmp_user}>", "VPN drops", "VPN drops every hour.")
ingest(raw_t)
t0 = int(time.time())
deliver()
rows = [r for r in outbox() if tmp_user in r["to"]]
check("450.deferred", rows and rows[0]["state"] == "deferred" and "450" in rows[0]["last_error"],
      rows)
ctl("access", tmp_user, "DUNNO")
deliver(now=t0 + 3600)
rows = [r for r in outbox() if tmp_user in r["to"]]
check("450.then_sent", rows and rows[0]["state"] == "sent", rows)
if rows:
    got = wait_for(tmp_user, by_mid(rows[0]["message_id"]))
    check("450.delivered_once", len(got) == 1, len(got))

# 5. 550: dead, an event on the ticket, retry by hand.
bad_user = new_user("bad")
ctl("access", bad_user, "550 5.1.1 no such user here")
mid_b, raw_b = mail(f"Bo Bad <{bad_user}>", "Cannot print", "Nothing prints.")
rc, num_b, err = ingest(raw_b)
deliver()
rows = [r for r in outbox() if bad_user in r["to"]]
check("550.dead", rows and rows[0]["state"] == "dead" and "550" in rows[0]["last_error"], rows)
t = ctljson("show", num_b) if num_b else None
evs = [e for e in (t or {}).get("events", []) if e["kind"] == "outbox_dead"]
check("550.event_on_ticket", len(evs) == 1, t and t.get("events"))
if rows:
    r = subprocess.run([args.ticketctl, "--config", cfg, "outbox", "retry", str(rows[0]["id"])],
                       capture_output=True, text=True, timeout=60)
    check("retry.exit0", r.returncode == 0, r.stdout + r.stderr)
    again = [x for x in outbox() if x["id"] == rows[0]["id"]]
    check("retry.pending", again and again[0]["state"] == "pending", again)
    ctl("access", bad_user, "DUNNO")
    deliver()
    again = [x for x in outbox() if x["id"] == rows[0]["id"]]
    check("retry.sent", again and again[0]["state"] == "sent", again)
    r = subprocess.run([args.ticketctl, "--config", cfg, "outbox", "retry", "999999"],
                       capture_output=True, text=True, timeout=60)
    check("retry.unknown_row_fails", r.returncode != 0 and "999999" in r.stderr, r.stderr)


# 6. A lost 250: the server accepted, the client never heard it.
class LosingProxy:
    """Forwards SMTP to Postfix; on the first connection it drops the client
    right after the server answered the end of DATA (the 250 never arrives)."""

    def __init__(self, target_port):
        self.target = target_port
        self.sock = socket.socket()
        self.sock.bind((HOST, 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.drops = 0
        self.lose_next = True
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.session, args=(c,), daemon=True).start()

    def session(self, client):
        server = socket.create_connection((HOST, self.target))
        lose = self.lose_next
        self.lose_next = False
        state = {"data_end": False}

        def up():
            buf = b""
            try:
                while True:
                    d = client.recv(65536)
                    if not d:
                        break
                    buf = (buf + d)[-8:]
                    server.sendall(d)
                    if lose and b"\r\n.\r\n" in buf:
                        state["data_end"] = True
            except OSError:
                pass

        threading.Thread(target=up, daemon=True).start()
        try:
            while True:
                d = server.recv(65536)
                if not d:
                    break
                if lose and state["data_end"] and d.startswith(b"250"):
                    self.drops += 1
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                    server.sendall(b"QUIT\r\n")
                    break
                client.sendall(d)
        except OSError:
            pass
        finally:
            server.close()


proxy = LosingProxy(int(ENV["MAILSTACK_SMTP_PORT"]))
lost_cfg = write_config("lost", f'url = "smtp://{HOST}:{proxy.port}"\ntls = "none"\n')
lost_user = new_user("lost")
mid_l, raw_l = mail(f"Lou Lost <{lost_user}>", "Outlook crashes", "Outlook crashes at start.")
ingest(raw_l, config=lost_cfg)
t0 = int(time.time())
deliver(config=lost_cfg)
rows = [r for r in outbox(lost_cfg) if lost_user in r["to"]]
check("lost250.proxy_dropped", proxy.drops == 1, proxy.drops)
check("lost250.deferred", rows and rows[0]["state"] == "deferred", rows)
deliver(config=lost_cfg, now=t0 + 3600)
rows = [r for r in outbox(lost_cfg) if lost_user in r["to"]]
check("lost250.sent_on_retry", rows and rows[0]["state"] == "sent", rows)
if rows:
    wait_for(lost_user, by_mid(rows[0]["message_id"]))
    time.sleep(1)
    copies = [r for r in fetch_all(lost_user) if by_mid(rows[0]["message_id"])(email.message_from_bytes(r))]
    check("lost250.two_copies_same_message_id", len(copies) == 2, len(copies))

    def body_of(raw):
        return raw.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in raw else raw
    check("lost250.same_bytes", len(copies) == 2 and body_of(copies[0]) == body_of(copies[1]))

# 7. Secrets: AUTH on the submission port, wrong and right password, debug logging.
auth_user = new_user("relay")
with open(os.path.join(scratch, "smtp.password"), "w") as f:
    f.write(SMTP_PASSWORD + "\n")
ctl("adduser", f"smtp-{RUN}@example.test", SMTP_PASSWORD)
sub = (f'url = "smtp://{HOST}:{ENV["MAILSTACK_SUBMISSION_PORT"]}"\nca_file = "{CA}"\n'
       f'username = "smtp-{RUN}@example.test"\npassword_file = "{scratch}/smtp.password"\n')
auth_cfg = write_config("auth", sub)
mid_a, raw_a = mail(f"Ann Auth <{auth_user}>", "New monitor", "Can I get a second monitor?")
ingest(raw_a, config=auth_cfg)
deliver(config=auth_cfg, verbose="-vv")
rows = [r for r in outbox(auth_cfg) if auth_user in r["to"]]
check("auth.sent", rows and rows[0]["state"] == "sent", rows)
# Wrong password: the row is not charged, the error says auth, never the password.
with open(os.path.join(scratch, "wrong.password"), "w") as f:
    f.write(SMTP_PASSWORD + "-wrong\n")
bad_cfg = write_config("authbad", sub.replace("smtp.password", "wrong.password"))
mid_w, raw_w = mail(f"Ann Auth <{auth_user}>", "Keyboard", "Keyboard sticky.")
ingest(raw_w, config=bad_cfg)
rc, err = deliver(config=bad_cfg, verbose="-vv")
rows = [r for r in outbox(bad_cfg) if auth_user in r["to"]]
check("authbad.deferred_not_charged",
      rows and rows[0]["state"] == "deferred" and rows[0]["attempts"] == 0, rows)
check("authbad.error_says_auth", rows and "auth" in rows[0]["last_error"].lower(), rows)
for config in (cfg, lost_cfg, auth_cfg, bad_cfg):
    for n in [r["number"] for r in (ctljson("list", config=config) or [])]:
        ctljson("show", n, config=config)
everything = "\n".join(LOGS)
check("secrets.no_password_anywhere", SMTP_PASSWORD not in everything,
      everything[max(0, everything.find(SMTP_PASSWORD) - 200):][:400])
check("secrets.debug_log_was_verbose", "debug" in everything.lower() or "smtp" in everything.lower())
db_dump = subprocess.run(["sqlite3", os.path.join(scratch, "authbad/ticketd.db"), ".dump"],
                         capture_output=True, text=True).stdout
check("secrets.not_in_database", SMTP_PASSWORD not in db_dump)

# 8. Templates: preview for a ticket; a broken override is refused at start-up, naming the file.
pv = ctljson("template", "preview", "acknowledgement", "--ticket", number) if number else None
check("preview.subject_tag", pv and f"[#{number}]" in pv["subject"], pv)
check("preview.marker_in_text", pv and "type your reply above this line" in pv["text"], pv)
check("preview.raw_is_mail", pv and "\r\nMessage-ID: <" in pv["raw"], pv and pv["raw"][:300])
odir = os.path.join(scratch, "overrides")
os.makedirs(odir, exist_ok=True)
with open(os.path.join(odir, "closure.subject.mustache"), "w") as f:
    f.write("{{ticket.tag}} Closed: {{ticket.nubmer}}\n")
bad_tpl = write_config("badtpl", STARTTLS).replace("", "")
with open(bad_tpl) as f:
    t = f.read()
with open(bad_tpl, "w") as f:
    f.write(t.replace("# dir = \"/etc/ticketd/templates\"", f'dir = "{odir}"'))
r = subprocess.run([args.ticketd, "check-config", "--config", bad_tpl], capture_output=True,
                   text=True, timeout=60)
check("templates.bad_override_refused",
      r.returncode == 78 and "closure.subject.mustache" in r.stderr and "nubmer" in r.stderr,
      (r.returncode, r.stderr))
r = subprocess.run([args.ticketd, "deliver", "--config", bad_tpl], capture_output=True,
                   text=True, timeout=60)
check("templates.deliver_refuses_too", r.returncode == 78 and "nubmer" in r.stderr, r.stderr)

# 9. `ticketd run --once` and a mail over the size limit: not downloaded, its
# header quarantined with the size, moved aside, the sender told once.
box = new_user("desk")
big_sender = new_user("bigsender")
with open(os.path.join(scratch, "desk.password"), "w") as f:
    f.write(PASSWORD + "\n")
big_cfg = write_config("big", STARTTLS)
with open(big_cfg) as f:
    t = f.read()
t = t.replace("max_message_bytes = 67108864", "max_message_bytes = 4096")
t = t.replace('address = "support@example.com"', f'address = "{box}"', 1)
t += (f'\n[[mailbox]]\nname = "desk"\nurl = "imap://{HOST}:{ENV["MAILSTACK_IMAP_PORT"]}"\n'
      f'username = "{box}"\npassword_file = "{scratch}/desk.password"\nca_file = "{CA}"\n')
with open(big_cfg, "w") as f:
    f.write(t)
huge = (f"From: Big Sender <{big_sender}>\r\nTo: {box}\r\nSubject: scans\r\n"
        f"Message-ID: <big-{RUN}@customer.example>\r\n\r\n" + ("x" * 70 + "\r\n") * 200).encode()
small_mid, small = mail(f"Big Sender <{big_sender}>", "small one", "fits", to=box)
smtp_send(big_sender, box, huge)
smtp_send(big_sender, box, small)
wait_for(box, by_mid(small_mid))
r = subprocess.run([args.ticketd, "run", "--once", "--config", big_cfg, "-v"],
                   capture_output=True, text=True, timeout=120)
LOGS.append(r.stderr)
check("once.exit0", r.returncode == 0, r.stderr[-800:])
q = ctljson("quarantine", config=big_cfg) or []
check("oversized.quarantined_with_size",
      any(x["reason"] == "too_big" and x["size"] >= 14000 for x in q), q)
rows = outbox(big_cfg)
rej = [x for x in rows if x["kind"] == "rejection" and big_sender in x["to"]]
check("oversized.sender_told_once", len(rej) == 1 and rej[0]["state"] == "sent", rej)
check("oversized.small_one_is_a_ticket",
      any(x["kind"] == "acknowledgement" and big_sender in x["to"] for x in rows), rows)
m = imap(box)
try:
    counts = {}
    for folder in ("INBOX", "Processed", "Oversized"):
        typ, data = m.select(folder, readonly=True)
        counts[folder] = int(data[0]) if typ == "OK" else -1
finally:
    m.logout()
check("oversized.moved_aside", counts == {"INBOX": 0, "Processed": 1, "Oversized": 1}, counts)

finish(lambda: shutil.rmtree(scratch, ignore_errors=True))
