"""Shared helpers for the `ticketd run` integration tests (tests/daemon_it).

Debian's /usr/bin/python3, standard library only. What is here:

  Results  check()/figure()/note() and the closing 'N passed, M failed' line.
  Stack    a Postfix + Dovecot mail stack (scripts/mailstack): the shared one
           of the ctest fixture (TICKETD_MAILSTACK_ENV) or a private one the
           test starts in its scratch dir and stops at the end. IMAP with the
           certificate verified (STARTTLS), SMTP, maildir drops, doveadm.
  Desk     one help desk under test: a config built from ticketd.example.toml,
           `ticketd run` started in the background with its stderr in a file,
           the log read back, signals, ticketctl, the database read-only.

Every wait has a timeout and says what it waited for; every process started
here is killed at exit (cleanup()), also when ctest's timeout sends SIGTERM.
"""
import argparse
import atexit
import email
import email.policy
import email.utils
import imaplib
import json
import os
import re
import secrets
import shutil
import signal
import smtplib
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = "127.0.0.1"


def parse_args(doc):
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--ticketd", default=os.path.join(ROOT, "build/daemon/ticketd"))
    ap.add_argument("--ticketctl", default=os.path.join(ROOT, "build/daemon/ticketctl"))
    ap.add_argument("--keep", action="store_true", help="keep the scratch dir even on success")
    return ap.parse_args()


# ---------------------------------------------------------------- results

class Results:
    def __init__(self, title):
        self.title = title
        self.passed = 0
        self.failed = 0
        self.failures = []
        self.figures = []
        self.t0 = time.monotonic()
        print(f"== {title}", flush=True)

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
            print(f"  ok   {name}", flush=True)
        else:
            self.failed += 1
            d = str(detail)
            if len(d) > 1500:
                d = d[:1500] + " ..."
            self.failures.append(f"{name}: {d}")
            print(f"  FAIL {name}: {d}", flush=True)
        return bool(cond)

    def figure(self, name, value, unit=""):
        text = f"{value:.1f}" if isinstance(value, float) else str(value)
        self.figures.append((name, text, unit))
        print(f"  figure {name} = {text}{(' ' + unit) if unit else ''}", flush=True)

    @staticmethod
    def note(text):
        print(f"  .. {text}", flush=True)

    def summary(self):
        print(f"-- figures ({time.monotonic() - self.t0:.1f} s in all)")
        for n, v, u in self.figures:
            print(f"   {n}: {v}{(' ' + u) if u else ''}")
        print(f"{self.passed} passed, {self.failed} failed")
        for f in self.failures:
            print("FAIL", f)
        return 1 if self.failed else 0


# A category's summary line, kept for the test command's closing summary:
# the one helper of tests/cli/checks.py (TICKETD_SUMMARY_DIR).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from checks import summary  # noqa: E402,F401


def wait_until(pred, timeout, interval=0.05):
    """pred()'s first truthy value, or None after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            v = pred()
        except (OSError, imaplib.IMAP4.error, sqlite3.Error, ssl.SSLError):
            v = None
        if v:
            return v
        if time.monotonic() > deadline:
            return None
        time.sleep(interval)


# ---------------------------------------------------------------- processes

_procs = []       # every Popen started here: killed at exit
_stacks = []      # private stacks: stopped at exit


def cleanup():
    for p in _procs:
        if p.poll() is None:
            try:
                p.kill()
                p.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
    for s in list(_stacks):
        s.stop(purge=False)


atexit.register(cleanup)


def _on_term(signum, _frame):
    # ctest's timeout: run the finally blocks and the atexit cleanup.
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _on_term)
signal.signal(signal.SIGHUP, _on_term)


def _on_alarm(_signum, _frame):
    raise TimeoutError("the test's own time budget ran out (set below ctest's TIMEOUT so the "
                       "cleanup still runs)")


def budget(seconds):
    """Raises TimeoutError in the test after `seconds`, so its finally blocks stop
    what it started before ctest's TIMEOUT kills it outright."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(seconds)


_libc = None


def _die_with_parent():
    # PR_SET_PDEATHSIG(SIGKILL): a daemon never outlives a test that was killed.
    global _libc
    try:
        import ctypes
        _libc = _libc or ctypes.CDLL("libc.so.6", use_errno=True)
        _libc.prctl(1, signal.SIGKILL, 0, 0, 0)
    except OSError:
        pass


def scratch_dir(stem):
    return tempfile.mkdtemp(prefix=f"ticketd-{stem}-")


# ---------------------------------------------------------------- mail stack

def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                env[k] = v.strip().strip("'\"")
    return env


class Stack:
    """A running mail stack. `private` ones are stopped (and purged) by stop()."""

    def __init__(self, env, private):
        self.env = env
        self.dir = env["MAILSTACK_DIR"]
        self.private = private
        self.ca = env["MAILSTACK_CA_FILE"]
        self.password = env.get("MAILSTACK_PASSWORD") or "secret"
        self.smtp_port = int(env["MAILSTACK_SMTP_PORT"])
        self.imap_port = int(env["MAILSTACK_IMAP_PORT"])
        self.ctx = ssl.create_default_context(cafile=self.ca)

    @classmethod
    def start_private(cls, directory, users=None):
        """start.sh DIR [--users FILE]; users: list of addresses (password 'secret')."""
        cmd = ["bash", os.path.join(ROOT, "scripts/mailstack/start.sh"), directory]
        if users is not None:
            os.makedirs(directory, exist_ok=True)
            ufile = os.path.join(os.path.dirname(directory.rstrip("/")), "mailstack.users")
            with open(ufile, "w") as f:
                for a in users:
                    f.write(f"{a} secret\n")
            cmd += ["--users", ufile]
        # Ports of the kernel's pick (unless the caller set them): a test that
        # stops a server frees its port, and a default one is what a stack
        # starting beside it would take (tests/CMakeLists.txt, mailstack.start).
        env = dict(os.environ, MAILSTACK_ANY_PORTS="1")
        t0 = time.monotonic()
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"start.sh failed: {r.stdout}{r.stderr}")
        st = cls(load_env(os.path.join(directory, "env")), private=True)
        st.start_seconds = time.monotonic() - t0
        _stacks.append(st)
        return st

    @classmethod
    def shared_or_private(cls, scratch):
        """The ctest fixture's stack when TICKETD_MAILSTACK_ENV names one, else a private one."""
        env_file = os.environ.get("TICKETD_MAILSTACK_ENV")
        if env_file and os.path.exists(env_file):
            return cls(load_env(env_file), private=False)
        print(f"  .. TICKETD_MAILSTACK_ENV={env_file!r} names no running stack: starting a private one",
              flush=True)
        return cls.start_private(os.path.join(scratch, "stack"))

    def stop(self, purge):
        if not self.private or self not in _stacks:
            return
        _stacks.remove(self)
        a = ["bash", os.path.join(ROOT, "scripts/mailstack/stop.sh"), self.dir]
        if purge:
            a.append("--purge")
        subprocess.run(a, capture_output=True, timeout=120)

    def ctl(self, *a, timeout=120):
        r = subprocess.run(["bash", os.path.join(ROOT, "scripts/mailstack/ctl.sh"), self.dir, *a],
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"ctl.sh {' '.join(a)}: {r.stdout}{r.stderr}")
        return r.stdout.strip()

    def adduser(self, address):
        self.ctl("adduser", address, self.password)
        return address

    # ---- IMAP (STARTTLS, certificate verified)
    def imap(self, user):
        m = imaplib.IMAP4(HOST, self.imap_port, timeout=30)
        m.starttls(ssl_context=self.ctx)
        m.login(user, self.password)
        return m

    def count(self, user, folder="INBOX"):
        """Messages in the folder (0 when it does not exist)."""
        m = self.imap(user)
        try:
            typ, data = m.select(folder, readonly=True)
            return int(data[0]) if typ == "OK" else 0
        finally:
            m.logout()

    def headers(self, user, folder="INBOX",
                fields=("MESSAGE-ID", "IN-REPLY-TO", "SUBJECT", "FROM", "REPLY-TO", "X-TICKETD-TICKET")):
        """[(uid, flags, email.message.Message of the header fields)] without setting \\Seen."""
        m = self.imap(user)
        try:
            typ, _ = m.select(folder, readonly=True)
            if typ != "OK":
                return []
            typ, data = m.uid("FETCH", "1:*",
                              f"(UID FLAGS BODY.PEEK[HEADER.FIELDS ({' '.join(fields)})])")
            out = []
            for part in data or []:
                if not isinstance(part, tuple):
                    continue
                meta = part[0].decode(errors="replace")
                uid = re.search(r"UID (\d+)", meta)
                flags = re.search(r"FLAGS \(([^)]*)\)", meta)
                out.append((int(uid.group(1)) if uid else 0, flags.group(1) if flags else "",
                            email.message_from_bytes(part[1], policy=email.policy.default)))
            return out
        finally:
            m.logout()

    def fetch_all(self, user, folder="INBOX"):
        """[(uid, raw bytes)] without setting \\Seen."""
        m = self.imap(user)
        try:
            typ, _ = m.select(folder, readonly=True)
            if typ != "OK":
                return []
            typ, data = m.uid("FETCH", "1:*", "(UID BODY.PEEK[])")
            out = []
            for part in data or []:
                if isinstance(part, tuple):
                    uid = re.search(rb"UID (\d+)", part[0])
                    out.append((int(uid.group(1)) if uid else 0, part[1]))
            return out
        finally:
            m.logout()

    def mark_seen(self, user, uid, folder="INBOX"):
        m = self.imap(user)
        try:
            m.select(folder)
            m.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
            typ, data = m.uid("FETCH", str(uid), "(FLAGS)")
            return b"\\Seen" in (data[0] or b"")
        finally:
            m.logout()

    def uidvalidity(self, user, folder="INBOX"):
        m = self.imap(user)
        try:
            typ, data = m.status(folder, "(UIDVALIDITY)")
            return int(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1))
        finally:
            m.logout()

    def copy(self, user, uids, src, dst):
        m = self.imap(user)
        try:
            m.select(src)
            typ, data = m.uid("COPY", ",".join(str(u) for u in uids), dst)
            return typ == "OK"
        finally:
            m.logout()

    def set_uidvalidity(self, user, value, folder="INBOX"):
        r = subprocess.run(["doveadm", "-c", os.path.join(self.dir, "dovecot/dovecot.conf"),
                            "mailbox", "update", "-u", user, "--uid-validity", str(value), folder],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise RuntimeError(f"doveadm mailbox update: {r.stdout}{r.stderr}")

    def idle_latency(self, user, sender):
        """Seconds from an SMTP send to `user` until an IMAP IDLE on its INBOX
        reports it (* N EXISTS): the floor of any IDLE-driven reaction (Dovecot
        coalesces change notifications for ~0.5 s)."""
        m = self.imap(user)
        try:
            m.select("INBOX")
            tag = m._new_tag().decode()
            m.send(f"{tag} IDLE\r\n".encode())
            if not m.readline().startswith(b"+"):
                return None
            t0 = time.monotonic()
            self.smtp_send(sender, user, make_mail(sender, user, "idle probe", "probe",
                                                   f"idle-probe-{secrets.token_hex(6)}@probe.test"))
            m.sock.settimeout(30)
            while b"EXISTS" not in m.readline():
                pass
            took = time.monotonic() - t0
            m.send(b"DONE\r\n")
            m.readline()
            return took
        finally:
            try:
                m.logout()
            except (OSError, imaplib.IMAP4.error):
                pass

    # ---- SMTP (STARTTLS, certificate verified)
    def smtp_send(self, frm, to, raw):
        with smtplib.SMTP(HOST, self.smtp_port, timeout=30) as s:
            s.starttls(context=self.ctx)
            s.sendmail(frm, to if isinstance(to, list) else [to], raw)

    # ---- maildir
    def maildir(self, user):
        """The user's maildir, created (by an IMAP login) when missing."""
        path = self.ctl("mailbox", user)
        if not os.path.isdir(os.path.join(path, "cur")):
            m = self.imap(user)   # Dovecot creates the maildir on the first SELECT
            m.select("INBOX")
            m.logout()
        return path

    def drop_mail(self, maildir, raw, name):
        """Writes raw into maildir/new the way an MDA does (tmp/ then rename), owned like the maildir."""
        st = os.stat(maildir)
        for sub in ("tmp", "new", "cur"):
            p = os.path.join(maildir, sub)
            if not os.path.isdir(p):
                os.makedirs(p)
                os.chown(p, st.st_uid, st.st_gid)
        tmp = os.path.join(maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw)
        os.chown(tmp, st.st_uid, st.st_gid)
        os.rename(tmp, os.path.join(maildir, "new", name))

    def stop_imap(self):
        self.ctl("stop-imap")

    def start_imap(self):
        self.ctl("start-imap")


# ---------------------------------------------------------------- a hung server

class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word (a hung
    server, a half-dead load balancer): who connects waits for a greeting."""

    def __init__(self):
        import threading
        self.sock = socket.socket()
        self.sock.bind((HOST, 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(c)

    def close(self):
        for c in self.conns:
            c.close()
        self.sock.close()


# ---------------------------------------------------------------- mails

def make_mail(frm, to, subject, body, mid, irt=None, cc=None, date=None, extra=None):
    h = [f"From: {frm}", f"To: {to}"]
    if cc:
        h.append(f"Cc: {cc}")
    h += [f"Subject: {subject}",
          f"Date: {date or email.utils.formatdate(localtime=False)}",
          f"Message-ID: <{mid}>"]
    if irt:
        h += [f"In-Reply-To: <{irt}>", f"References: <{irt}>"]
    h += extra or []
    h += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit"]
    return ("\r\n".join(h) + "\r\n\r\n" + body.replace("\r\n", "\n").replace("\n", "\r\n")
            + "\r\n").encode()


def addr_of(header_value):
    """The first address of a header (email.policy.default header object or str)."""
    if header_value is None:
        return ""
    try:
        return header_value.addresses[0].addr_spec.lower()
    except (AttributeError, IndexError):
        _, a = email.utils.parseaddr(str(header_value))
        return a.lower()


# ---------------------------------------------------------------- config

def _sections(text):
    """[(header or None, [lines])] of a TOML file, split at table headers."""
    out = [(None, [])]
    for line in text.splitlines():
        if re.match(r"^\s*\[", line):
            out.append((line.strip(), [line]))
        else:
            out[-1][1].append(line)
    return out


class Config:
    """ticketd.example.toml with edits: set(table, key, value), drop(table), append(raw)."""

    def __init__(self, text):
        self.secs = _sections(text)

    def set(self, table, key, value):
        """value is written as TOML: str -> quoted, bool, int, list as given by repr-ish."""
        v = toml_value(value)
        for hdr, lines in self.secs:
            if hdr == f"[{table}]":
                for i, l in enumerate(lines):
                    if re.match(rf"^\s*{re.escape(key)}\s*=", l):
                        lines[i] = f"{key} = {v}"
                        return self
                lines.insert(1, f"{key} = {v}")
                return self
        self.secs.append((f"[{table}]", [f"[{table}]", f"{key} = {v}"]))
        return self

    def drop(self, header):
        self.secs = [(h, ls) for h, ls in self.secs if h != header]
        return self

    def replace(self, old, new):
        self.secs = [(h, [l.replace(old, new) for l in ls]) for h, ls in self.secs]
        return self

    def append(self, raw):
        for block in _sections(raw)[1:]:
            self.secs.append(block)
        return self

    def text(self):
        return "\n".join("\n".join(ls) for _, ls in self.secs) + "\n"


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return json.dumps(str(v))


# ---------------------------------------------------------------- the desk under test

class Desk:
    """A help desk: scratch dir, config, `ticketd run`, its log, its database."""

    def __init__(self, args, stack, scratch, run_id, support=None, agents=None, mailbox_name="support"):
        self.args = args
        self.stack = stack
        self.scratch = scratch
        self.run_id = run_id
        self.support = support or f"support-{run_id}@example.test"
        # The example's agents, renamed per run so parallel tests never share a mailbox.
        self.agents = agents or {"nick.moss@example.com": f"nick-{run_id}@example.test",
                                 "priya.shah@example.com": f"priya-{run_id}@example.test"}
        self.mailbox_name = mailbox_name
        self.config_path = os.path.join(scratch, "ticketd.toml")
        self.db = os.path.join(scratch, "ticketd.db")
        with open(os.path.join(scratch, "imap.password"), "w") as f:
            f.write(stack.password + "\n")
        os.chmod(os.path.join(scratch, "imap.password"), 0o600)
        self.proc = None
        self.log_path = None
        self.log_files = []
        self.starts = 0
        self.support_name = "Example IT Support"
        self.extra = {}  # (table, key) -> value, set on every base_config()

    # ---- config
    def base_config(self, support_name=None):
        with open(os.path.join(ROOT, "ticketd.example.toml")) as f:
            c = Config(f.read())
        # Tables this test sets itself (in case the example grows them).
        for t in ("[smtp]", "[daemon]", "[[mailbox]]"):
            c.drop(t)
        for old, new in self.agents.items():
            c.replace(old, new)
        c.set("store", "path", self.db)
        c.set("support", "address", self.support)
        c.set("support", "name", support_name or self.support_name)
        c.set("outbox", "backoff_seconds", 1)
        c.set("outbox", "backoff_max_seconds", 4)
        c.append(f"""
[smtp]
url = "smtp://{HOST}:{self.stack.smtp_port}"
ca_file = "{self.stack.ca}"

[daemon]
outbox_interval_seconds = 2
clock_interval_seconds = 5
reconnect_max_seconds = 4

[[mailbox]]
name = "{self.mailbox_name}"
url = "imap://{HOST}:{self.stack.imap_port}"
username = "{self.support}"
password_file = "{os.path.join(self.scratch, 'imap.password')}"
ca_file = "{self.stack.ca}"
folder = "INBOX"
processed_folder = "Processed"
""")
        for (table, key), value in self.extra.items():
            c.set(table, key, value)
        return c

    def write_config(self, config):
        text = config.text() if isinstance(config, Config) else config
        tmp = self.config_path + ".new"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.config_path)
        return text

    # ---- the daemon
    def start(self, *extra, verbosity="-v", wait_started=True):
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.starts += 1
        self.log_path = os.path.join(self.scratch, f"run-{self.starts:02d}.log")
        self.log_files.append(self.log_path)
        logf = open(self.log_path, "wb")
        a = [self.args.ticketd, "run", "--config", self.config_path, *extra]
        if verbosity:
            a.append(verbosity)
        self.proc = subprocess.Popen(a, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                     preexec_fn=_die_with_parent)
        logf.close()
        _procs.append(self.proc)
        if wait_started and not self.wait_log(r"\bstarted\b", 15):
            raise RuntimeError(f"ticketd run did not log 'started' within 15 s: {self.log()[-2000:]}")
        return self.proc

    def log(self, path=None):
        try:
            with open(path or self.log_path, "rb") as f:
                return f.read().decode(errors="replace")
        except (OSError, TypeError):
            return ""

    def all_logs(self):
        return "".join(self.log(p) for p in self.log_files)

    def log_lines(self, pattern, path=None):
        return [l for l in self.log(path).splitlines() if re.search(pattern, l)]

    def wait_log(self, pattern, timeout, count=1):
        """Waits until the current run's log has `count` lines matching `pattern`."""
        return wait_until(lambda: len(self.log_lines(pattern)) >= count and self.log_lines(pattern),
                          timeout, 0.05)

    def garbled(self):
        """Log lines of every run that are not one whole timestamped line (torn or interleaved writes)."""
        return [l for l in self.all_logs().splitlines()
                if l and not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} [a-z]+ \S", l)]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        self.proc.send_signal(sig)

    def term(self, timeout=10):
        """SIGTERM; returns (exit code or None if it hung, seconds)."""
        if not self.running():
            return (self.proc.returncode if self.proc else None), 0.0
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            rc = None
        return rc, time.monotonic() - t0

    def kill9(self):
        if self.running():
            self.proc.kill()
            self.proc.wait(timeout=10)

    def once(self, timeout=120):
        r = subprocess.run([self.args.ticketd, "run", "--config", self.config_path, "--once", "-v"],
                           capture_output=True, text=True, timeout=timeout)
        path = os.path.join(self.scratch, f"once-{len(self.log_files):02d}.log")
        with open(path, "w") as f:
            f.write(r.stderr)
        self.log_files.append(path)
        return r.returncode, r.stderr

    # ---- what it stored
    def query(self, sql, *params):
        if not os.path.exists(self.db):
            return []
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def ticket_of(self, message_id):
        """The ticket number a stored mail belongs to, or None."""
        rows = self.query("SELECT t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                          "WHERE m.message_id = ?", message_id.strip("<>"))
        return rows[0][0] if rows else None

    def outbox_rows(self, number=None, kind=None):
        sql = ("SELECT o.id, t.number, o.kind, o.message_id, o.state, o.attempts, "
               "(SELECT group_concat(address, ',') FROM outbox_recipients r WHERE r.outbox_id = o.id) "
               "FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id WHERE 1=1")
        p = []
        if number:
            sql += " AND t.number = ?"
            p.append(number)
        if kind:
            sql += " AND o.kind = ?"
            p.append(kind)
        return [dict(id=r[0], ticket=r[1], kind=r[2], message_id=r[3], state=r[4], attempts=r[5],
                     to=(r[6] or "").split(",")) for r in self.query(sql + " ORDER BY o.id", *p)]

    def ctl(self, *a, json_out=True, timeout=60):
        cmd = [self.args.ticketctl, "--config", self.config_path, *a] + (["--json"] if json_out else [])
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            return None
        return json.loads(r.stdout) if json_out else r.stdout


def new_run_id():
    return secrets.token_hex(3)


def finish(results, scratch, stack, args):
    """Prints the summary; on success stops/purges the private stack and removes scratch."""
    code = results.summary()
    cleanup_procs()
    if stack is not None and stack.private:
        stack.stop(purge=(code == 0 and not args.keep))
    if code == 0 and not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print(f"scratch dir kept: {scratch}")
    return code


def cleanup_procs():
    for p in _procs:
        if p.poll() is None:
            p.kill()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
