#!/usr/bin/python3
"""Smoke test of the private mail stack (scripts/mailstack/).

Starts a stack in a fresh scratch directory under /tmp (or, with
MAILSTACK_ENV=/path/to/env, uses a running one and leaves it running), then
checks SMTP+STARTTLS, SMTPS and submission+AUTH delivery, IMAP over STARTTLS
and IMAPS with verified TLS, plus-addressing, IDLE, MOVE/UIDPLUS, recipient
access rules (450/550/DUNNO), stopping and starting Postfix and Dovecot alone,
and finally that stop.sh leaves no process behind.

Debian's /usr/bin/python3, standard library only. Needs root (the stack does).
Prints each check; exits 1 on the first failure.
"""
import email.utils
import imaplib
import os
import re
import select
import shutil
import smtplib
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.join(HERE, "..", "..", "scripts", "mailstack")
START = os.path.join(SCRIPTS, "start.sh")
STOP = os.path.join(SCRIPTS, "stop.sh")
CTL = os.path.join(SCRIPTS, "ctl.sh")
TIMEOUT = 15  # seconds for any single network wait or delivery

passed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok   {what}", flush=True)


class Failed(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failed(what)
    ok(what)


def run(*argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, text=True, timeout=120)
    if r.returncode != 0:
        raise Failed(f"{' '.join(argv)} exited {r.returncode}:\n{r.stdout}")
    return r.stdout


def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v
    return env


def stack_pids(env):
    """Live Postfix/Dovecot processes (by exe) whose cwd or root is inside
    the stack's directories, or that are its master processes."""
    roots = [env["MAILSTACK_DIR"]]
    run_link = os.path.join(env["MAILSTACK_DIR"], "run")
    if os.path.islink(run_link):
        roots.append(os.readlink(run_link))
    pids = set()
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            exe = os.readlink(f"/proc/{p}/exe")
        except OSError:
            continue  # gone, or a zombie (not reaped by PID 1 here)
        if not (exe.startswith("/usr/lib/postfix/") or exe.startswith("/usr/lib/dovecot/")
                or exe == "/usr/sbin/dovecot"):
            continue
        paths = []
        for link in ("cwd", "root"):
            try:
                paths.append(os.readlink(f"/proc/{p}/{link}"))
            except OSError:
                pass
        if any(x == r or x.startswith(r + "/") for x in paths for r in roots):
            pids.add(int(p))
    return pids


def alive(pid):
    return os.path.exists(f"/proc/{pid}/exe")


class Stack:
    def __init__(self, env):
        self.env = env
        self.dir = env["MAILSTACK_DIR"]
        self.host = env["MAILSTACK_HOST"]
        self.ctx = ssl.create_default_context(cafile=env["MAILSTACK_CA_FILE"])
        self.pw = env.get("MAILSTACK_PASSWORD", "secret")

    def port(self, name):
        return int(self.env[f"MAILSTACK_{name}_PORT"])

    def ctl(self, *args):
        return run(CTL, self.dir, *args)

    # ---- SMTP
    def smtp(self, kind="SMTP"):
        if kind == "SMTPS":
            s = smtplib.SMTP_SSL(self.host, self.port("SMTPS"), context=self.ctx, timeout=TIMEOUT)
        else:
            s = smtplib.SMTP(self.host, self.port(kind), timeout=TIMEOUT)
        s.ehlo("smoke.example.test")
        return s

    def message(self, to, subject, frm="customer@example.test"):
        return (f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\n"
                f"Date: {email.utils.formatdate()}\r\n"
                f"Message-ID: <{uuid.uuid4().hex}@smoke.example.test>\r\n\r\n"
                f"smoke test body\r\n").encode()

    def send_plain(self, to, subject):
        s = self.smtp("SMTP")
        s.starttls(context=self.ctx)
        s.ehlo("smoke.example.test")
        s.sendmail("customer@example.test", [to], self.message(to, subject))
        s.quit()

    # ---- IMAP
    def imap(self, user, kind="IMAPS"):
        if kind == "IMAPS":
            m = imaplib.IMAP4_SSL(self.host, self.port("IMAPS"), ssl_context=self.ctx, timeout=TIMEOUT)
        else:
            m = imaplib.IMAP4(self.host, self.port("IMAP"), timeout=TIMEOUT)
            m.starttls(ssl_context=self.ctx)
        m.login(user, self.pw)
        return m

    def find(self, m, mailbox, subject):
        typ, _ = m.select(mailbox)
        if typ != "OK":
            raise Failed(f"SELECT {mailbox} failed")
        typ, data = m.uid("SEARCH", None, "HEADER", "Subject", f'"{subject}"')
        return data[0].split() if typ == "OK" and data[0] else []

    def wait_for(self, user, subject, kind="IMAPS", mailbox="INBOX"):
        m = self.imap(user, kind)
        try:
            deadline = time.time() + TIMEOUT
            while True:
                uids = self.find(m, mailbox, subject)
                if uids:
                    return uids
                if time.time() > deadline:
                    return []
                time.sleep(0.1)
        finally:
            m.logout()


def tls_checks(st):
    # Certificate: verified against MAILSTACK_CA_FILE for host 127.0.0.1.
    s = st.smtp("SMTP")
    check("starttls" in s.esmtp_features, "SMTP port offers STARTTLS")
    check("auth" not in s.esmtp_features, "SMTP port offers no AUTH")
    s.starttls(context=st.ctx)
    cert = s.sock.getpeercert()
    sans = cert.get("subjectAltName", ())
    check(("IP Address", "127.0.0.1") in sans and ("DNS", "localhost") in sans,
          f"SMTP STARTTLS verified against the CA file ({s.sock.version()}), SAN {sans}")
    s.quit()
    bad = ssl.create_default_context()  # system CAs only: must not verify
    try:
        smtplib.SMTP_SSL(st.host, st.port("SMTPS"), context=bad, timeout=TIMEOUT).quit()
        raise Failed("SMTPS verified without the CA file")
    except ssl.SSLCertVerificationError:
        ok("SMTPS certificate is rejected without the CA file")
    # localhost name verification also works
    with socket.create_connection((st.host, st.port("IMAPS")), timeout=TIMEOUT) as raw:
        with st.ctx.wrap_socket(raw, server_hostname="localhost") as t:
            ok(f"IMAPS verifies for server name 'localhost' ({t.version()})")


def delivery_checks(st, tag):
    # 1. plain SMTP + STARTTLS -> nick.moss, read via IMAP STARTTLS
    subj = f"starttls {tag}"
    st.send_plain("nick.moss@example.com", subj)
    ok("sent via SMTP+STARTTLS")
    check(st.wait_for("nick.moss@example.com", subj, "IMAP"),
          "SMTP+STARTTLS mail arrived (read via IMAP STARTTLS)")

    # 2. SMTPS (implicit TLS), no auth -> priya.shah via IMAPS
    subj = f"smtps {tag}"
    s = st.smtp("SMTPS")
    s.sendmail("customer@example.test", ["priya.shah@example.com"],
               st.message("priya.shah@example.com", subj))
    s.quit()
    ok("sent via SMTPS")
    check(st.wait_for("priya.shah@example.com", subj, "IMAPS"), "SMTPS mail arrived (read via IMAPS)")

    # 3. submission: no AUTH before TLS, AUTH required, then delivery
    s = st.smtp("SUBMISSION")
    check("auth" not in s.esmtp_features and "starttls" in s.esmtp_features,
          "submission offers STARTTLS and no AUTH before TLS")
    s.starttls(context=st.ctx)
    s.ehlo("smoke.example.test")
    check("PLAIN" in s.esmtp_features.get("auth", "") and "LOGIN" in s.esmtp_features.get("auth", ""),
          f"submission offers AUTH {s.esmtp_features.get('auth')} after STARTTLS")
    s.mail("support@example.com")
    code, _ = s.rcpt("karen.jones@example.com")
    check(code == 554, f"submission refuses an unauthenticated RCPT ({code})")
    s.rset()
    try:
        s.login("support@example.com", "wrong-password")
        raise Failed("submission accepted a wrong password")
    except smtplib.SMTPAuthenticationError as e:
        ok(f"submission rejects a wrong password ({e.smtp_code})")
    s.login("support@example.com", st.pw)
    subj = f"submission {tag}"
    s.sendmail("support@example.com", ["karen.jones@example.com"],
               st.message("karen.jones@example.com", subj, frm="support@example.com"))
    s.quit()
    ok("sent via submission with AUTH")
    check(st.wait_for("karen.jones@example.com", subj), "submission mail arrived")

    # 4. plus-addressing
    subj = f"plus {tag}"
    st.send_plain(f"support+T{tag[:8]}@example.com", subj)
    uids = st.wait_for("support@example.com", subj)
    check(uids, "support+TOKEN@example.com landed in support's INBOX")
    m = st.imap("support@example.com")
    st.find(m, "INBOX", subj)
    _, data = m.uid("FETCH", uids[0], "(BODY.PEEK[HEADER.FIELDS (DELIVERED-TO)])")
    hdr = data[0][1].decode()
    m.logout()
    check(f"support+T{tag[:8]}@example.com" in hdr, f"Delivered-To carries the plus address ({hdr.strip()})")
    path = st.ctl("mailbox", f"support+x@example.com").strip()
    check(os.path.isdir(os.path.join(path, "new")) or os.path.isdir(os.path.join(path, "cur")),
          f"ctl mailbox prints the maildir ({path})")

    # 5. refusals at RCPT time
    s = st.smtp("SMTP")
    s.mail("customer@example.test")
    code, msg = s.rcpt("nobody@example.com")
    check(code == 550, f"unknown local user refused at RCPT ({code} {msg.decode()[:40]})")
    code, msg = s.rcpt("someone@elsewhere.invalid")
    check(code == 554, f"relaying to another domain refused ({code} {msg.decode()[:40]})")
    s.quit()


def idle_move_checks(st, tag):
    user = "tom.berger@example.com"
    m = st.imap(user)
    typ, data = m.capability()
    caps = data[0].decode().upper().split()
    check(all(c in caps for c in ("IDLE", "MOVE", "UIDPLUS")), "IMAP capabilities include IDLE, MOVE, UIDPLUS")
    typ, data = m.select("INBOX")
    before = int(data[0])
    m.send(b"I1 IDLE\r\n")
    line = m.readline()
    check(line.startswith(b"+"), f"IDLE accepted ({line.strip().decode()})")
    subj = f"idle {tag}"
    st.send_plain(user, subj)
    got = None
    deadline = time.time() + TIMEOUT
    m.sock.settimeout(1)
    while time.time() < deadline and got is None:
        try:
            line = m.readline()
        except (socket.timeout, ssl.SSLError):
            continue
        mo = re.match(rb"\* (\d+) EXISTS", line)
        if mo and int(mo.group(1)) > before:
            got = int(mo.group(1))
    m.sock.settimeout(TIMEOUT)
    check(got is not None, f"IDLE pushed '* {got} EXISTS' on delivery")
    m.send(b"DONE\r\n")
    while True:
        line = m.readline()
        if line.startswith(b"I1 "):
            break
    check(line.startswith(b"I1 OK"), "IDLE ended with DONE")

    typ, _ = m.create("Processed")
    check(typ == "OK", "CREATE Processed")
    uids = st.find(m, "INBOX", subj)
    typ, data = m.uid("MOVE", uids[0], "Processed")
    copyuid = [x for x in (m.untagged_responses.get("OK") or []) if b"COPYUID" in x]
    check(typ == "OK", f"UID MOVE to Processed ({copyuid[0].decode() if copyuid else 'no COPYUID'})")
    check(copyuid, "MOVE returned COPYUID (UIDPLUS)")
    check(not st.find(m, "INBOX", subj), "moved mail left INBOX")
    check(st.find(m, "Processed", subj), "moved mail is in Processed")
    m.logout()


def access_checks(st):
    addr = "maria.lopez@example.com"

    def rcpt(a):
        s = st.smtp("SMTP")
        s.mail("customer@example.test")
        code, msg = s.rcpt(a)
        s.quit()
        return code, msg.decode()

    st.ctl("access", addr, "450 4.2.0 try again later")
    code, msg = rcpt(addr)
    check(code == 450, f"access 450 -> RCPT {code} {msg}")
    code, _ = rcpt("maria.lopez+abc@example.com")
    check(code == 450, "access rule also covers maria.lopez+abc")
    st.ctl("access", addr, "550 5.1.1 no such user")
    code, msg = rcpt(addr)
    check(code == 550, f"access 550 -> RCPT {code} {msg}")
    st.ctl("access", addr, "DUNNO")
    code, msg = rcpt(addr)
    check(code == 250, f"access DUNNO -> RCPT {code}")


def refused(host, port):
    try:
        socket.create_connection((host, port), timeout=3).close()
        return False
    except ConnectionRefusedError:
        return True


def restart_checks(st, tag):
    st.ctl("stop-smtp")
    check(all(refused(st.host, st.port(k)) for k in ("SMTP", "SMTPS", "SUBMISSION")),
          "stop-smtp: SMTP, SMTPS and submission refuse connections")
    st.ctl("start-smtp")
    subj = f"after smtp restart {tag}"
    st.send_plain("cliff.tucker@example.com", subj)
    check(st.wait_for("cliff.tucker@example.com", subj), "start-smtp: accepting and delivering again")

    st.ctl("stop-imap")
    check(refused(st.host, st.port("IMAP")) and refused(st.host, st.port("IMAPS")),
          "stop-imap: IMAP and IMAPS refuse connections")
    subj = f"while imap down {tag}"
    st.send_plain("alex.kamal@example.com", subj)
    ok("SMTP still accepts mail while Dovecot is down (Postfix defers it)")
    st.ctl("start-imap")
    check(st.wait_for("alex.kamal@example.com", subj), "start-imap: deferred mail delivered after restart")

    st.ctl("adduser", "new.person@example.net", "pw-123")
    st.pw, saved = "pw-123", st.pw
    subj = f"new user {tag}"
    st.send_plain("new.person@example.net", subj)
    check(st.wait_for("new.person@example.net", subj), "ctl adduser: new user can receive and log in")
    st.pw = saved


def main():
    tag = uuid.uuid4().hex[:12]
    own = "MAILSTACK_ENV" not in os.environ
    tmp = None
    if own:
        tmp = tempfile.mkdtemp(prefix="mailstack-smoke.", dir="/tmp")  # 0700 on purpose
        t = time.time()
        out = run(START, os.path.join(tmp, "stack"))
        ok(f"start.sh took {time.time() - t:.2f} s: {out.strip()}")
        env_path = os.path.join(tmp, "stack", "env")
    else:
        env_path = os.environ["MAILSTACK_ENV"]
    env = load_env(env_path)
    st = Stack(env)
    seen = set()
    try:
        tls_checks(st)
        delivery_checks(st, tag)
        idle_move_checks(st, tag)
        access_checks(st)
        seen |= stack_pids(env)
        restart_checks(st, tag)
        seen |= stack_pids(env)
        if own:
            seen |= stack_pids(env)
            run(STOP, st.dir)
            left = sorted(p for p in seen | stack_pids(env) if alive(p))
            check(not left, f"stop.sh left no process behind (tracked {len(seen)})")
            check(all(refused(st.host, st.port(k)) for k in ("SMTP", "SMTPS", "SUBMISSION", "IMAP", "IMAPS")),
                  "all ports closed after stop.sh")
            run(STOP, st.dir)
            ok("stop.sh is idempotent")
    except Exception as e:  # report and clean up
        print(f"FAIL {type(e).__name__}: {e}", flush=True)
        logdir = os.path.join(st.dir, "log")
        for f in ("postfix.log", "dovecot.log"):
            p = os.path.join(logdir, f)
            if os.path.exists(p):
                print(f"---- tail of {p}")
                with open(p, errors="replace") as fh:
                    print("".join(fh.readlines()[-20:]))
        if own:
            subprocess.run([STOP, st.dir], stdin=subprocess.DEVNULL)
        print(f"mailstack-smoke: {passed} passed, 1 failed")
        return 1
    finally:
        if own and tmp:
            subprocess.run([STOP, os.path.join(tmp, "stack"), "--purge"], stdin=subprocess.DEVNULL)
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"mailstack-smoke: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
