#!/usr/bin/python3
"""Writes tests/data/auto/: automatic mails (bounces, auto-replies, read
receipts, abuse reports, list mail, notifications) and lookalike human mails,
plus the manifest expected.json that says what each one is.

Every mail here is written by this script. Each is modelled on a public
description of what a mail system sends (RFC 3464/3798/3834/5965/5230, the
Sisimai Lhost modules, flufl.bounce, Microsoft's NDR and MS-OXCMAIL pages,
vendor manuals); `based_on` in the manifest names the one followed. People,
hosts and Message-IDs are invented; domains are example.com/.net/.org, *.test
and *.example only, addresses are from the documentation ranges.

The returned or quoted original of a bounce is always a mail ticketd sent:
Message-ID <ack-NNN@ticketd.support.example>, envelope sender the VERP address
support+bounce-<row>-<mac>@support.example. When the mail carries that
Message-ID, the manifest entry has "cites".

Deterministic: no clock, no randomness. Rewrites the whole folder (removes
*.eml and expected.json there first). Stdlib only; run with Debian's python3:

    /usr/bin/python3 tests/auto/make_auto_mails.py [--out DIR]

Every mail is parsed back with Python's email package (policy=default) and
every header and text part is read; any exception stops the run.
"""

import argparse
import base64
import datetime
import email
import email.policy
import hashlib
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "tests", "data", "auto")

CLASSES = ("delivery_report", "auto_reply", "read_receipt", "feedback_report",
           "bulk", "auto_generated", None)

# --------------------------------------------------------------- helpers ---


def h40(*parts, n=40):
    """Stable hex derived from the arguments (for queue ids, boundaries...)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:n]


def hexup(*parts, n=10):
    return h40(*parts, n=n).upper()


def num(*parts, lo=0, hi=10**9):
    return lo + int(h40(*parts, n=12), 16) % (hi - lo)


B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(*parts, n=6):
    v = int(h40(*parts, n=24), 16)
    out = ""
    for _ in range(n):
        v, r = divmod(v, 36)
        out += B36[r]
    return out


BASE = datetime.datetime(2024, 3, 4, 7, 30, 0, tzinfo=datetime.timezone.utc)
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
          "Nov", "Dec"]


class When:
    """A fixed instant, printed in the styles different systems use."""

    def __init__(self, minutes, seconds=0):
        self.t = BASE + datetime.timedelta(minutes=minutes, seconds=seconds)

    def plus(self, seconds):
        w = When(0)
        w.t = self.t + datetime.timedelta(seconds=seconds)
        return w

    def _local(self, offset_min):
        return self.t + datetime.timedelta(minutes=offset_min)

    @staticmethod
    def _tz(offset_min):
        sign = "+" if offset_min >= 0 else "-"
        o = abs(offset_min)
        return f"{sign}{o // 60:02d}{o % 60:02d}"

    def rfc(self, offset_min=60, pad=False, zero=False, comment=None, dayname=True):
        """Mon, 4 Mar 2024 09:15:00 +0100 (pad: ' 4' as Postfix; zero: '04')."""
        t = self._local(offset_min)
        day = f"{t.day:2d}" if pad else (f"{t.day:02d}" if zero else str(t.day))
        s = (f"{DAYS[t.weekday()]}, " if dayname else "") + \
            f"{day} {MONTHS[t.month - 1]} {t.year} {t:%H:%M:%S} {self._tz(offset_min)}"
        if comment:
            s += f" ({comment})"
        return s

    def qmail(self):
        t = self.t
        return f"{t.day} {MONTHS[t.month - 1]} {t.year} {t:%H:%M:%S} -0000"

    def iso(self):
        return self.t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def ctime(self, offset_min=60, tzname="CET"):
        t = self._local(offset_min)
        return f"{DAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S} {tzname} {t.year}"

    def us(self, offset_min=0):
        """3/4/2024 8:15:00 AM (Exchange 2003 / O365 'Created Date')."""
        t = self._local(offset_min)
        hour = t.hour % 12 or 12
        return f"{t.month}/{t.day}/{t.year} {hour}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'}"

    def epoch(self):
        return int(self.t.timestamp())


# RFC 2047 encoded words ----------------------------------------------------

def _bword(text, charset):
    data = text.encode(charset)
    return f"=?{charset_label(charset)}?B?{base64.b64encode(data).decode()}?="


def _qword(text, charset, safe="!*+-/"):
    out = []
    for b in text.encode(charset):
        c = chr(b)
        if b == 0x20:
            out.append("_")
        elif c.isascii() and (c.isalnum() or c in safe):
            out.append(c)
        else:
            out.append(f"={b:02X}")
    return f"=?{charset_label(charset)}?Q?{''.join(out)}?="


_LABELS = {"utf-8": "UTF-8", "iso-8859-1": "iso-8859-1", "iso-2022-jp": "ISO-2022-JP",
           "koi8-r": "KOI8-R", "windows-1252": "windows-1252", "iso-8859-15": "iso-8859-15",
           "gb2312": "GB2312", "windows-1251": "windows-1251", "shift_jis": "Shift_JIS",
           "iso-8859-2": "iso-8859-2"}


def charset_label(cs):
    return _LABELS.get(cs, cs)


def ew(text, charset="utf-8", mode="B", fold="\n ", lower=False):
    """Encode text as one or more encoded words of at most 75 characters.
    A charset that cannot hold the text is replaced by UTF-8 (as clients do)."""
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    make = _bword if mode == "B" else _qword
    words, cur = [], ""
    for ch in text:
        if cur and len(make(cur + ch, charset)) > 75:
            words.append(make(cur, charset))
            cur = ch
        else:
            cur += ch
    if cur:
        words.append(make(cur, charset))
    if lower:
        words = [w.replace(charset_label(charset), charset_label(charset).lower(), 1)
                 .replace("?B?", "?b?").replace("?Q?", "?q?") for w in words]
    return fold.join(words)


def needs_ew(s):
    return any(ord(c) > 127 for c in s)


def subj(s, charset="utf-8", mode="B"):
    return ew(s, charset, mode) if needs_ew(s) else s


def addr(name, address, charset="utf-8", mode="B", quote=False):
    if not name:
        return f"<{address}>"
    if needs_ew(name):
        return f"{ew(name, charset, mode)} <{address}>"
    if quote or any(c in name for c in ',.;:()<>@"[]'):
        return f'"{name}" <{address}>'
    return f"{name} <{address}>"


# bodies --------------------------------------------------------------------

def qp(text, charset="utf-8"):
    data = text.encode(charset)
    return quopri.encodestring(data).decode("ascii")


def b64(data, width=76):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + width] for i in range(0, len(s), width)) + "\n"


def is_ascii(s):
    return all(ord(c) < 128 for c in s)


class Part:
    """A MIME entity: header lines plus body bytes."""

    def __init__(self, headers, body):
        self.headers = headers  # list of (name, value)
        self.body = body if isinstance(body, bytes) else body.encode("ascii")

    def render(self):
        out = "".join(f"{k}: {v}\n" for k, v in self.headers).encode("utf-8")
        return out + b"\n" + self.body


def text(content, ctype="text/plain", charset=None, cte=None, extra=(), params="",
         disposition=None, description=None):
    """A text leaf. charset None: us-ascii when ASCII, else utf-8.
    cte None: 7bit when ASCII else 8bit; or 'quoted-printable' / 'base64'."""
    if charset is None:
        charset = "us-ascii" if is_ascii(content) else "utf-8"
    raw = content.encode("ascii" if charset == "us-ascii" else charset)
    if cte is None:
        cte = "7bit" if all(b < 128 for b in raw) else "8bit"
    if cte == "quoted-printable":
        body = quopri.encodestring(raw)
    elif cte == "base64":
        body = b64(raw).encode()
    else:
        body = raw
    hs = []
    if description:
        hs.append(("Content-Description", description))
    hs.append(("Content-Type", f'{ctype}; charset="{charset_label(charset)}"{params}'
               if charset else ctype))
    if cte:
        hs.append(("Content-Transfer-Encoding", cte))
    if disposition:
        hs.append(("Content-Disposition", disposition))
    hs.extend(extra)
    return Part(hs, body)


def raw_part(ctype, body, extra=(), description=None, cte=None, first=()):
    hs = list(first)
    if description:
        hs.append(("Content-Description", description))
    hs.append(("Content-Type", ctype))
    if cte:
        hs.append(("Content-Transfer-Encoding", cte))
    hs.extend(extra)
    return Part(hs, body)


def multipart(subtype, parts, boundary, params="", preamble=None, epilogue="",
              extra=(), ctype_fold=True):
    body = b""
    if preamble:
        body += preamble.encode() + b"\n"
    for p in parts:
        body += b"\n--" + boundary.encode() + b"\n" + p.render()
    body += b"\n--" + boundary.encode() + b"--\n"
    if epilogue:
        body += epilogue.encode()
    if body.startswith(b"\n"):
        body = body[1:]
    sep = ";\n\t" if ctype_fold else "; "
    ctype = f"multipart/{subtype}{params}{sep}boundary=\"{boundary}\""
    return Part([("Content-Type", ctype)] + list(extra), body)


def report(parts, boundary, rtype="delivery-status", preamble=None, **kw):
    return multipart("report", parts, boundary, params=f"; report-type={rtype}",
                     preamble=preamble, **kw)


def message_part(inner_bytes, ctype="message/rfc822", description=None, extra=()):
    return raw_part(ctype, inner_bytes, extra=extra, description=description)


# ---------------------------------------------------- ticketd's own mails ---

SUPPORT_NAME = "Example IT Support"
SUPPORT_ADDR = "support@support.example"
TICKETD_MTA = "mail.support.example"
TICKETD_IP = "192.0.2.10"


class Original:
    """A mail ticketd sent (acknowledgement or answer), as the remote side got it."""

    def __init__(self, n, to_name, to_addr, subject, when, kind="ack",
                 agent="Priya Shah", lang="en"):
        self.n = n
        self.id = f"ack-{n:03d}@ticketd.support.example"
        self.row = 100 + n
        self.ticket = f"TD-{1000 + n}"
        self.tag = f"[#{self.ticket}]"
        self.mac = h40("verp", n, n=12)
        self.verp = f"support+bounce-{self.row}-{self.mac}@support.example"
        self.token = b36("token", n, n=16)
        self.reply_to = f"support+{self.token}@support.example"
        self.to_name, self.to_addr = to_name, to_addr
        self.kind, self.lang, self.agent = kind, lang, agent
        self.base_subject = subject
        self.when = when
        self.customer_id = f"{h40('cust', n, n=16)}@{to_addr.split('@')[1]}"
        if kind == "ack":
            self.subject = f"{self.tag} Received: {subject}"
        else:
            self.subject = f"Re: {subject} {self.tag}"

    @property
    def date(self):
        return self.when.rfc(0)

    def header_list(self, received=True, remote=None):
        hs = []
        if received:
            hs.append(("Return-Path", f"<{self.verp}>"))
            if remote:
                host, ip = remote
                hs.append(("Received", f"from {TICKETD_MTA} ({TICKETD_MTA} [{TICKETD_IP}])\n"
                                       f"\tby {host} with ESMTPS id {hexup('rcv', self.n, n=10)}\n"
                                       f"\tfor <{self.to_addr}>; {self.when.plus(2).rfc(60)}"))
            hs.append(("Received", f"from localhost (localhost [127.0.0.1])\n"
                                   f"\tby {TICKETD_MTA} (Postfix) with ESMTP id {hexup('q', self.n, n=10)}\n"
                                   f"\tfor <{self.to_addr}>; {self.when.plus(1).rfc(0)}"))
        hs.append(("Date", self.date))
        if self.kind == "ack":
            hs.append(("From", addr(SUPPORT_NAME, SUPPORT_ADDR)))
        else:
            hs.append(("From", addr(f"{self.agent} ({SUPPORT_NAME})", SUPPORT_ADDR)))
        hs.append(("Reply-To", addr(SUPPORT_NAME, self.reply_to)))
        hs.append(("To", addr(self.to_name, self.to_addr)))
        hs.append(("Subject", subj(self.subject)))
        hs.append(("Message-ID", f"<{self.id}>"))
        hs.append(("In-Reply-To", f"<{self.customer_id}>"))
        hs.append(("References", f"<{self.customer_id}>"))
        if self.kind == "ack":
            hs.append(("Auto-Submitted", "auto-replied"))
        hs.append(("MIME-Version", "1.0"))
        hs.append(("X-Ticketd-Ticket", self.ticket))
        if self.kind == "ack":
            hs.append(("X-Auto-Response-Suppress", "All"))
        hs.append(("Content-Type", f'multipart/alternative;\n\tboundary="=_td_{h40("b", self.n, n=24)}"'))
        return hs

    def headers_text(self, received=True, remote=None):
        return "".join(f"{k}: {v}\n" for k, v in self.header_list(received, remote))

    def body_text(self):
        name = self.to_name.split()[0] if self.to_name else ""
        if self.kind == "ack":
            return ("##- Please type your reply above this line -##\n\n"
                    f"Hello {self.to_name},\n\n"
                    f"We have received your message and opened ticket {self.ticket} "
                    f"(\"{self.base_subject}\").\n\n"
                    "What happens next: someone from our team will look at it and answer by mail.\n"
                    "You can expect a first answer by Tue, 5 Mar 2024 12:00 CET.\n\n"
                    f"To add anything, just reply to this mail and keep {self.tag} in the subject.\n\n"
                    f"{SUPPORT_NAME}\n")
        return ("##- Please type your reply above this line -##\n\n"
                f"Hi {name},\n\n"
                "thanks for the details. I have reset the queue on our side; please try\n"
                "again and tell me whether it works now.\n\n"
                f"Best regards\n{self.agent}\n{SUPPORT_NAME}\n")

    def body_html(self):
        t = self.body_text().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        paras = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>\n" for p in t.split("\n\n") if p)
        return ("<!DOCTYPE html>\n<html>\n<body style=\"font-family:Arial,Helvetica,sans-serif;"
                "font-size:14px;\">\n" + paras + "</body>\n</html>\n")

    def full(self, received=True, remote=None):
        """The whole mail as bytes (LF)."""
        b = f"=_td_{h40('b', self.n, n=24)}"
        txt = self.body_text()
        html = self.body_html()
        body = (f"--{b}\nContent-Type: text/plain; charset=\"utf-8\"\n"
                f"Content-Transfer-Encoding: quoted-printable\n\n{qp(txt)}\n"
                f"--{b}\nContent-Type: text/html; charset=\"utf-8\"\n"
                f"Content-Transfer-Encoding: quoted-printable\n\n{qp(html)}\n"
                f"--{b}--\n")
        return (self.headers_text(received, remote) + "\n" + body).encode("ascii")

    def headers_only(self, received=True, remote=None):
        return self.headers_text(received, remote).encode("ascii")


# ---------------------------------------------------------------- people ---

class P:
    def __init__(self, name, address, lang="en"):
        self.name, self.addr, self.lang = name, address, lang

    @property
    def first(self):
        return self.name.split()[0]

    @property
    def local(self):
        return self.addr.split("@")[0]

    @property
    def domain(self):
        return self.addr.split("@")[1]


PEOPLE = {
    "laura": P("Laura Fischer", "laura.fischer@example.org"),
    "tom": P("Tom Berger", "tom.berger@example.net"),
    "nina": P("Nina Keller", "n.keller@example.com"),
    "mark": P("Mark Dalton", "mark.dalton@example.org"),
    "sofia": P("Sofia Lindqvist", "sofia.lindqvist@example.net"),
    "jonas": P("Jonas Weber", "j.weber@firma.example", "de"),
    "claudia": P("Claudia Hoffmann", "c.hoffmann@beispiel.example", "de"),
    "elodie": P("Élodie Martin", "elodie.martin@entreprise.example", "fr"),
    "javier": P("Javier Ortega", "j.ortega@empresa.example", "es"),
    "giulia": P("Giulia Romano", "g.romano@azienda.example", "it"),
    "sven": P("Sven de Vries", "s.devries@bedrijf.example", "nl"),
    "ana": P("Ana Souza", "ana.souza@empresa-br.example", "pt"),
    "kenji": P("渡辺 健二", "k.watanabe@kaisha.example", "ja"),
    "olga": P("Ольга Петрова", "o.petrova@kompaniya.example", "ru"),
    "wei": P("张伟", "zhang.wei@gongsi.example", "zh"),
    "erik": P("Erik Johansson", "erik.johansson@foretag.example", "sv"),
    "mette": P("Mette Nielsen", "mette.nielsen@firma-dk.example", "da"),
    "piotr": P("Piotr Nowak", "p.nowak@firma-pl.example", "pl"),
    "aino": P("Aino Virtanen", "aino.virtanen@yritys.example", "fi"),
    "emre": P("Emre Yılmaz", "emre.yilmaz@sirket.example", "tr"),
    "rachel": P("Rachel Kim", "rachel.kim@example.com"),
    "david": P("David Okafor", "d.okafor@example.net"),
    "hannah": P("Hannah Schulz", "hannah.schulz@example.test", "de"),
    "lucas": P("Lucas Moreau", "lucas.moreau@example.test", "fr"),
    "priya": P("Priya Shah", "priya.shah@support.example"),
}

SUBJECTS = [
    "Printer on floor 3 is jammed",
    "VPN drops every 10 minutes",
    "Password reset for the ERP account",
    "New laptop for onboarding on Monday",
    "Outlook keeps asking for my password",
    "Shared drive S: not visible after update",
    "Cannot join Teams meetings from the meeting room",
    "Badge reader at entrance B broken",
    "Request: second monitor",
    "Mailbox almost full",
    "Wi-Fi in the warehouse is very slow",
    "Invoice PDF cannot be opened",
    "Drucker im 2. OG druckt nicht mehr",
    "Accès VPN impossible depuis l'hôtel",
]


# --------------------------------------------------------------- registry ---

class Registry:
    def __init__(self):
        self.mails = {}
        self.manifest = {}
        self.counter = 0

    def next_n(self):
        self.counter += 1
        return self.counter

    def add(self, stem, cls, system, based_on, data, cites=None, crlf=False):
        assert stem not in self.mails, stem
        assert cls in CLASSES, cls
        if isinstance(data, str):
            data = data.encode("utf-8")
        if crlf:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if cites:
            assert f"<{cites}>".encode() in data or cites.encode() in data, (stem, cites)
        self.mails[stem] = data
        entry = {"class": cls, "system": system, "based_on": based_on}
        if cites:
            entry["cites"] = cites
        self.manifest[stem] = entry


REG = Registry()


def mail(headers, body_part=None, body=None):
    """Top-level mail bytes from header tuples and either a Part (its headers
    are appended to the top-level ones) or a plain body string/bytes."""
    out = "".join(f"{k}: {v}\n" for k, v in headers).encode("utf-8")
    if body_part is not None:
        out += "".join(f"{k}: {v}\n" for k, v in body_part.headers).encode("utf-8")
        return out + b"\n" + body_part.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    return out + b"\n" + body


def orig_for(person, when, subject=None, kind="ack"):
    n = REG.next_n()
    return Original(n, person.name, person.addr, subject or SUBJECTS[n % len(SUBJECTS)],
                    when, kind=kind)


def dsn(per_message, recipients):
    """message/delivery-status body: per-message lines, then one block per recipient."""
    out = "\n".join(per_message) + "\n"
    for r in recipients:
        out += "\n" + "\n".join(r) + "\n"
    return out


# ------------------------------------------------------------ validation ---

def check_parses(stem, data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for part in msg.walk():
        for k, v in part.items():
            str(v)
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text":
            part.get_content()
        elif part.get_content_type() in ("message/rfc822",):
            pass
    defects = [d for p in msg.walk() for d in p.defects]
    return defects


# ----------------------------------------------------------------- main ---

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    import_systems()

    out = args.out
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        if f.endswith(".eml") or f == "expected.json":
            os.remove(os.path.join(out, f))
    problems, notes = [], []
    for stem, data in sorted(REG.mails.items()):
        try:
            defects = check_parses(stem, data)
        except Exception as e:  # noqa: BLE001 - any failure is a bug in this script
            problems.append(f"{stem}: {type(e).__name__}: {e}")
            continue
        if defects:
            notes.append(f"note: {stem}: email package reports {[type(d).__name__ for d in defects]}")
        with open(os.path.join(out, stem + ".eml"), "wb") as fh:
            fh.write(data)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as fh:
        json.dump(REG.manifest, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    counts = {}
    for e in REG.manifest.values():
        counts[e["class"]] = counts.get(e["class"], 0) + 1
    auto = sum(v for k, v in counts.items() if k is not None)
    print(f"wrote {len(REG.mails)} mails to {out}: {auto} automatic, "
          f"{counts.get(None, 0)} human; " +
          ", ".join(f"{k}={v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))
    for n in notes:
        print(n)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    return 0


def import_systems():
    for fn in SYSTEMS:
        fn()


SYSTEMS = []


def system(fn):
    SYSTEMS.append(fn)
    return fn


# The mail systems follow below, one function per family.

# =========================================================== Unix MTAs ===

POSTFIX_BASED = "Postfix bounce(5) default templates + RFC 3464; Sisimai Lhost::Postfix"


def postfix_notice(host, kind="failure", hours=4, product="Postfix"):
    if kind == "delay":
        return ("This is the mail system at host %s.\n\n"
                "####################################################################\n"
                "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
                "####################################################################\n\n"
                "Your message could not be delivered for more than %d hour(s).\n"
                "It will be retried until it is 5 day(s) old.\n\n"
                "For further assistance, please send mail to postmaster.\n\n"
                "If you do so, please include this problem report. You can\n"
                "delete your own text from the attached returned message.\n\n"
                "                   The mail system\n" % (host, hours))
    return ("This is the mail system at host %s.\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "For further assistance, please send mail to postmaster.\n\n"
            "If you do so, please include this problem report. You can\n"
            "delete your own text from the attached returned message.\n\n"
            "                   The mail system\n" % host)


def postfix_bounce(stem, person, minutes, host, rcpt_text, status, diag, remote,
                   kind="failure", include="rfc822", crlf=False, system="Postfix",
                   notice=None, subject=None, extra_headers=(), to_addr=None,
                   return_path="<>", received_by=None, from_hdr=None, based_on=POSTFIX_BASED,
                   notice_part=None, accepted_by=None):
    w = When(minutes)
    o = orig_for(person, w)
    bw = w.plus(3 if kind == "failure" else 4 * 3600 + 17)
    qid = hexup("pfq", stem, n=10)
    boundary = f"{qid}.{bw.epoch()}/{host}"
    action = "failed" if kind == "failure" else "delayed"
    per_msg = [f"Reporting-MTA: dns; {host}",
               f"X-Postfix-Queue-ID: {qid}",
               f"X-Postfix-Sender: rfc822; {o.verp}",
               f"Arrival-Date: {w.plus(1).rfc(60, pad=True, comment='CET')}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}",
          f"Original-Recipient: rfc822;{person.addr}",
          f"Action: {action}",
          f"Status: {status}"]
    if remote:
        rc.append(f"Remote-MTA: dns; {remote}")
    rc.append(f"Diagnostic-Code: {diag}")
    if kind == "delay":
        rc.append(f"Will-Retry-Until: {w.plus(5 * 86400).rfc(60, pad=True, comment='CET')}")
    parts = [notice_part or text(notice or postfix_notice(host, kind), description="Notification"),
             raw_part("message/delivery-status", dsn(per_msg, [rc]), description="Delivery report")]
    # accepted_by: the original was accepted by that (remote) host before it bounced,
    # so the returned copy carries its Received line.
    if include == "rfc822":
        parts.append(message_part(o.full(remote=accepted_by), description="Undelivered Message"))
    elif include == "headers":
        parts.append(message_part(o.headers_only(), ctype="text/rfc822-headers",
                                  description="Undelivered Message Headers"))
    body = report(parts, boundary, preamble="This is a MIME-encapsulated message.")
    body.headers.append(("Content-Transfer-Encoding", "7bit"))
    hs = []
    if return_path is not None:
        hs.append(("Return-Path", return_path))
    if received_by:
        hs.append(("Received", received_by))
    hs += [("Received", f"by {host} (Postfix)\n\tid {qid}; {bw.rfc(60, pad=True, comment='CET')}"),
           ("Date", bw.rfc(60, pad=True, comment="CET")),
           ("From", from_hdr or f"MAILER-DAEMON@{host} (Mail Delivery System)"),
           ("Subject", subject or ("Undelivered Mail Returned to Sender" if kind == "failure"
                                   else "Delayed Mail (still being retried)")),
           ("To", to_addr or o.verp),
           ("Auto-Submitted", "auto-replied"),
           ("MIME-Version", "1.0")]
    hs += list(extra_headers)
    data = mail(hs, body)
    # Postfix puts Message-Id after the MIME headers.
    data = data.replace(b"Content-Transfer-Encoding: 7bit\n\n",
                        f"Content-Transfer-Encoding: 7bit\nMessage-Id: <{bw.t:%Y%m%d%H%M%S}.{qid}@{host}>\n\n"
                        .encode(), 1)
    REG.add(stem, "delivery_report", system, based_on, data, cites=o.id if include else None,
            crlf=crlf)
    return o


@system
def postfix():
    p = PEOPLE
    postfix_bounce(
        "postfix_user_unknown", p["laura"], 10, "mail.support.example",
        None, "5.1.1",
        "smtp; 550 5.1.1 <laura.fischer@example.org>: Recipient address rejected:\n"
        "    User unknown in virtual mailbox table", "mx1.example.org",
        notice=postfix_notice("mail.support.example") +
        "\n<laura.fischer@example.org>: host mx1.example.org[198.51.100.25] said: 550\n"
        "    5.1.1 <laura.fischer@example.org>: Recipient address rejected: User unknown\n"
        "    in virtual mailbox table (in reply to RCPT TO command)\n",
        system="Postfix 3.7 (bounce, user unknown)")
    postfix_bounce(
        "postfix_mailbox_full_headers_crlf", p["tom"], 75, "smtp-out.example.net",
        None, "5.2.2", "smtp; 552 5.2.2 Mailbox full", "mail.example.net",
        include="headers", crlf=True,
        notice=postfix_notice("smtp-out.example.net") +
        "\n<tom.berger@example.net>: host mail.example.net[203.0.113.7] said: 552 5.2.2\n"
        "    Mailbox full (in reply to end of DATA command)\n",
        system="Postfix (bounce, headers only, CRLF)")
    postfix_bounce(
        "postfix_delay_warning", p["mark"], 140, "mail.support.example",
        None, "4.4.1",
        "X-Postfix; connect to mx.example.org[198.51.100.30]:25: Connection timed out",
        None, kind="delay", include="headers",
        notice=postfix_notice("mail.support.example", "delay") +
        "\n<mark.dalton@example.org>: connect to mx.example.org[198.51.100.30]:25:\n"
        "    Connection timed out\n",
        system="Postfix (delay warning)")
    postfix_bounce(
        "postfix_delay_crlf", p["rachel"], 190, "relay.support.example",
        None, "4.7.0",
        "smtp; 450 4.7.0 Greylisted, see https://greylist.example.com/ for details",
        "mx.example.com", kind="delay", include="headers", crlf=True,
        notice=postfix_notice("relay.support.example", "delay", hours=3) +
        "\n<rachel.kim@example.com>: host mx.example.com[203.0.113.40] said: 450 4.7.0\n"
        "    Greylisted, see https://greylist.example.com/ for details (in reply to RCPT\n"
        "    TO command)\n",
        system="Postfix (delay warning, greylisting, CRLF)")
    # A German ISP that replaced the template text (bounce_template_file).
    de_notice = ("Dies ist das Mailsystem auf dem Rechner mx.provider.example.\n\n"
                 "Leider konnte Ihre Nachricht an einen oder mehrere Empfänger\n"
                 "nicht zugestellt werden. Sie ist unten angehängt.\n\n"
                 "Bei Fragen wenden Sie sich bitte an postmaster@provider.example.\n\n"
                 "                   Das Mailsystem\n\n"
                 "<j.weber@firma.example>: host mx.firma.example[198.51.100.61] said: 550 5.1.1\n"
                 "    Benutzer unbekannt (in reply to RCPT TO command)\n")
    postfix_bounce(
        "postfix_german_template", p["jonas"], 260, "mx.provider.example",
        None, "5.1.1", "smtp; 550 5.1.1 Benutzer unbekannt", "mx.firma.example",
        system="Postfix (German bounce_template_file, QP)",
        subject=ew("Unzustellbare Nachricht: zurück an Absender", "iso-8859-1", "Q"),
        notice_part=text(de_notice, charset="iso-8859-1", cte="quoted-printable",
                         description="Notification"),
        accepted_by=("mx.provider.example", "198.51.100.2"),
        based_on="Postfix bounce(5) (bounce_template_file, localized text) + RFC 3464")


SENDMAIL_BASED = "sendmail DSN (RFC 3464, 'Returned mail: see transcript for details'); Sisimai Lhost::Sendmail"


@system
def sendmail():
    p = PEOPLE
    # 1. classic permanent failure with the whole message returned
    for stem, person, minutes, host, remote, status, diag, subj_, crlf, incl in [
        ("sendmail_user_unknown", p["nina"], 320, "mailhub.example.com", "mx.example.com",
         "5.1.1", "550 5.1.1 <n.keller@example.com>... User unknown",
         "Returned mail: see transcript for details", False, "rfc822"),
        ("sendmail_host_unknown_crlf", p["david"], 380, "relay.example.net", None,
         "5.1.2", None, "Returned mail: Host unknown (Name server: example.net: host not found)",
         True, "headers"),
    ]:
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(5)
        qid = f"{b36('sm', stem, n=6)}{num('sm', stem, lo=100000, hi=999999)}"
        boundary = f"{qid}.{bw.epoch()}/{host}"
        if diag:
            transcript = (f"   ----- The following addresses had permanent fatal errors -----\n"
                          f"<{person.addr}>\n"
                          f"    (reason: {diag})\n\n"
                          f"   ----- Transcript of session follows -----\n"
                          f"... while talking to {remote}.:\n"
                          f">>> RCPT To:<{person.addr}>\n"
                          f"<<< {diag}\n"
                          f"{diag}\n"
                          f"<<< 503 5.0.0 Need RCPT (recipient)\n")
            rc = [f"Final-Recipient: RFC822; {person.addr}", "Action: failed", f"Status: {status}",
                  f"Remote-MTA: DNS; {remote}", f"Diagnostic-Code: SMTP; {diag}",
                  f"Last-Attempt-Date: {bw.rfc(60)}"]
        else:
            bad = person.domain
            transcript = (f"   ----- The following addresses had permanent fatal errors -----\n"
                          f"<{person.addr}>\n"
                          f"    (reason: 550 Host unknown)\n\n"
                          f"   ----- Transcript of session follows -----\n"
                          f"550 5.1.2 <{person.addr}>... Host unknown (Name server: {bad}: host not found)\n")
            rc = [f"Final-Recipient: RFC822; {person.addr}", "Action: failed",
                  f"Status: {status}", f"Last-Attempt-Date: {bw.rfc(60)}"]
        note = (f"The original message was received at {w.plus(1).rfc(60)}\n"
                f"from {TICKETD_MTA} [{TICKETD_IP}]\n\n" + transcript)
        per = [f"Reporting-MTA: dns; {host}", f"Received-From-MTA: DNS; {TICKETD_MTA}",
               f"Arrival-Date: {w.plus(1).rfc(60)}"]
        parts = [text(note, charset=None, cte=None),
                 raw_part("message/delivery-status", dsn(per, [rc]))]
        if incl == "rfc822":
            parts.append(message_part(o.full(remote=(host, "198.51.100.3"))))
        else:
            parts.append(message_part(o.headers_only(remote=(host, "198.51.100.3")),
                                      ctype="text/rfc822-headers"))
        # sendmail writes the first part without Content-Type at all
        parts[0] = Part([], parts[0].body)
        body = report(parts, boundary, preamble="This is a MIME-encapsulated message\n")
        hs = [("Return-Path", "<>"),
              ("Received", f"from localhost (localhost)\n\tby {host} (8.17.1/8.17.1) id {qid};\n\t{bw.rfc(60)}"),
              ("Date", bw.rfc(60)),
              ("From", f"Mail Delivery Subsystem <MAILER-DAEMON@{host}>"),
              ("Message-Id", f"<{bw.t:%Y%m%d%H%M}.{qid}@{host}>"),
              ("To", f"<{o.verp}>"),
              ("MIME-Version", "1.0")]
        data = mail(hs, body)
        data = data.replace(b"\n\nThis is a MIME", (f"\nSubject: {subj_}\nAuto-Submitted: auto-generated (failure)\n\nThis is a MIME").encode(), 1)
        REG.add(stem, "delivery_report", "sendmail 8.17 (bounce)" if not crlf else
                "sendmail 8.17 (host unknown, headers only, CRLF)", SENDMAIL_BASED, data,
                cites=o.id, crlf=crlf)

    # 2. the four-hour warning
    person = p["sofia"]
    w = When(450)
    o = orig_for(person, w)
    bw = w.plus(4 * 3600 + 61)
    host = "mailhub.example.com"
    qid = f"{b36('smw', n=6)}{num('smw', lo=100000, hi=999999)}"
    boundary = f"{qid}.{bw.epoch()}/{host}"
    note = ("    **********************************************\n"
            "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
            "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
            "    **********************************************\n\n"
            f"The original message was received at {w.plus(1).rfc(60)}\n"
            f"from {TICKETD_MTA} [{TICKETD_IP}]\n\n"
            "   ----- Transcript of session follows -----\n"
            f"<{person.addr}>... Deferred: Connection timed out with mx.example.net.\n"
            "Warning: message still undelivered after 4 hours\n"
            "Will keep trying until message is 5 days old\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: RFC822; {person.addr}", "Action: delayed", "Status: 4.4.1",
          "Remote-MTA: DNS; mx.example.net", f"Last-Attempt-Date: {bw.rfc(60)}",
          f"Will-Retry-Until: {w.plus(5 * 86400).rfc(60)}"]
    body = report([Part([], note.encode()), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "198.51.100.3")),
                                ctype="text/rfc822-headers")],
                  boundary, preamble="This is a MIME-encapsulated message\n")
    hs = [("Return-Path", "<>"),
          ("Received", f"from localhost (localhost)\n\tby {host} (8.15.2/8.15.2) id {qid};\n\t{bw.rfc(60)}"),
          ("Date", bw.rfc(60)),
          ("From", f"Mail Delivery Subsystem <MAILER-DAEMON@{host}>"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M}.{qid}@{host}>"),
          ("To", f"<{o.verp}>"),
          ("MIME-Version", "1.0"),
          ("Subject", "Warning: could not send message for past 4 hours"),
          ("Auto-Submitted", "auto-generated (warning-timeout)")]
    REG.add("sendmail_warning_4h", "delivery_report", "sendmail 8.15 (delay warning)",
            SENDMAIL_BASED, mail(hs, body), cites=o.id)


EXIM_BASED = "Exim 4 bounce/warning messages (exim spec ch. 48 'Customizing bounce and warning messages'); Sisimai Lhost::Exim"


def exim_id(*k):
    return f"{b36('e1', *k, n=6).upper()}-{b36('e2', *k, n=6).upper()}-{b36('e3', *k, n=2).upper()}"


@system
def exim():
    p = PEOPLE
    # 1. the classic plain-text bounce with the message appended after a marker line
    person, host = p["mark"], "mx.example.org"
    w = When(520)
    o = orig_for(person, w)
    bw = w.plus(2)
    eid = exim_id("plain")
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            f"  {person.addr}\n"
            "    Unrouteable address\n\n"
            "------ This is a copy of the message, including all the headers. ------\n\n"
            + o.full(remote=(host, "198.51.100.30")).decode())
    hs = [("Return-path", "<>"),
          ("Envelope-to", o.verp),
          ("Delivery-date", bw.rfc(0)),
          ("Received", f"from Debian-exim by {host} with local (Exim 4.96)\n\tid {eid}\n\tfor {o.verp}; {bw.rfc(0)}"),
          ("X-Failed-Recipients", person.addr),
          ("Auto-Submitted", "auto-replied"),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("Subject", "Mail delivery failed: returning message to sender"),
          ("Message-Id", f"<E{eid}@{host}>"),
          ("Date", bw.rfc(0))]
    REG.add("exim_plain_unrouteable", "delivery_report", "Exim 4.96 (plain-text bounce)",
            EXIM_BASED, mail(hs, body=body), cites=o.id)

    # 2. Exim with dsn_advertise / multipart/report (4.9x), SMTP error after RCPT
    person, host = p["rachel"], "smtp2.example.com"
    w = When(585)
    o = orig_for(person, w)
    bw = w.plus(4)
    eid = exim_id("mp")
    boundary = f"{bw.epoch()}-eximdsn-{num('eximb', lo=10**8, hi=10**9)}"
    note = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            f"  {person.addr}\n"
            "    host mx.example.com [203.0.113.40]\n"
            f"    SMTP error from remote mail server after RCPT TO:<{person.addr}>:\n"
            f"    550 5.1.1 <{person.addr}>: Recipient address rejected: User unknown\n")
    per = [f"Reporting-MTA: dns; {host}"]
    rc = ["Action: failed", f"Final-Recipient: rfc822;{person.addr}", "Status: 5.0.0",
          "Remote-MTA: dns; mx.example.com",
          f"Diagnostic-Code: smtp; 550 5.1.1 <{person.addr}>: Recipient address rejected: User unknown"]
    body = report([text(note, charset="us-ascii"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "203.0.113.9")))],
                  boundary, preamble=None)
    hs = [("Return-path", "<>"),
          ("Received", f"from Debian-exim by {host} with local (Exim 4.97)\n\tid {eid}\n\tfor {o.verp};\n\t{bw.rfc(60)}"),
          ("X-Failed-Recipients", person.addr),
          ("Auto-Submitted", "auto-replied"),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("References", f"<{o.id}>"),
          ("Subject", "Mail delivery failed: returning message to sender"),
          ("MIME-Version", "1.0")]
    data = mail(hs, body)
    data = data.replace(b"\n\n--", f"\nMessage-Id: <E{eid}@{host}>\nDate: {bw.rfc(60)}\n\n--".encode(), 1)
    REG.add("exim_multipart_report", "delivery_report", "Exim 4.97 (multipart/report)",
            EXIM_BASED, data, cites=o.id)

    # 3. Exim delay warning
    person, host = p["david"], "mx.example.net"
    w = When(640)
    o = orig_for(person, w)
    bw = w.plus(24 * 3600 + 300)
    eid = exim_id("warn")
    body = ("This message was created automatically by mail delivery software.\n"
            "A message that you sent has not yet been delivered to one or more of its\n"
            f"recipients after more than 24 hours on the queue on {host}.\n\n"
            f"The message identifier is:     {exim_id('warn-orig')}\n"
            f"The subject of the message is: {subj(o.subject)}\n"
            f"The date of the message is:    {o.date}\n\n"
            "The address to which the message has not yet been delivered is:\n\n"
            f"  {person.addr}\n"
            "    Delay reason: SMTP error from remote mail server after RCPT TO:<" + person.addr + ">:\n"
            "    451 4.3.0 Temporary lookup failure\n\n"
            "No action is required on your part. Delivery attempts will continue for\n"
            "some time, and this warning may be repeated at intervals if the message\n"
            "remains undelivered. Eventually the mail delivery software will give up,\n"
            "and when that happens, the message will be returned to you.\n")
    hs = [("Return-path", "<>"),
          ("Received", f"from Debian-exim by {host} with local (Exim 4.94.2)\n\tid {eid}\n\tfor {o.verp}; {bw.rfc(0)}"),
          ("X-Failed-Recipients", person.addr),
          ("Auto-Submitted", "auto-replied"),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("References", f"<{o.id}>"),
          ("Content-Type", "text/plain; charset=us-ascii"),
          ("Subject", f"Warning: message {exim_id('warn-orig')} delayed 24 hours"),
          ("Message-Id", f"<E{eid}@{host}>"),
          ("Date", bw.rfc(0))]
    # The warning names the original only in References: no copy of it.
    REG.add("exim_delay_24h", "delivery_report", "Exim 4.94 (delay warning)",
            EXIM_BASED, mail(hs, body=body))

    # 4. Exim, the mail frozen/quota case with the header-only copy (return_size_limit)
    person, host = p["hannah"], "mail.example.test"
    w = When(700)
    o = orig_for(person, w)
    bw = w.plus(1)
    eid = exim_id("quota")
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            f"  {person.addr}\n"
            "    mailbox is full: retry timeout exceeded\n\n"
            "------ This is a copy of the message's headers. ------\n\n"
            + o.headers_only(remote=(host, "203.0.113.77")).decode())
    hs = [("Return-path", "<>"),
          ("Received", f"from mail by {host} with local (Exim 4.92)\n\tid {eid}\n\tfor {o.verp}; {bw.rfc(60)}"),
          ("X-Failed-Recipients", person.addr),
          ("Auto-Submitted", "auto-replied"),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("Content-Type", "text/plain; charset=us-ascii"),
          ("Subject", "Mail delivery failed: returning message to sender"),
          ("Message-Id", f"<E{eid}@{host}>"),
          ("Date", bw.rfc(60))]
    REG.add("exim_quota_headers_only", "delivery_report", "Exim 4.92 (mailbox full, headers copy, CRLF)",
            EXIM_BASED, mail(hs, body=body), cites=o.id, crlf=True)


QMAIL_BASED = "qmail-send bounce (qmail-send(8), 'Hi. This is the qmail-send program'); Sisimai Lhost::qmail, flufl.bounce qmail"


@system
def qmail():
    p = PEOPLE
    for stem, person, minutes, host, reason, crlf, sysname, okind in [
        ("qmail_no_mailbox", p["tom"], 760, "mail.example.net",
         "Sorry, no mailbox here by that name. (#5.1.1)", False, "qmail 1.03 (no mailbox)", "ack"),
        ("qmail_remote_550_crlf", p["nina"], 820, "smtp.example.com",
         "203.0.113.51 does not like recipient.\n"
         "Remote host said: 550 5.1.1 <n.keller@example.com>: Recipient address rejected: User unknown\n"
         "Giving up on 203.0.113.51.", True, "netqmail 1.06 (remote 550, CRLF)", "answer"),
        ("qmail_host_not_found", p["lucas"], 830, "mx.example.test",
         "Sorry, I couldn't find any host named example.test. (#5.1.2)", False,
         "qmail 1.03 (host not found)", "ack"),
    ]:
        w = When(minutes)
        o = orig_for(person, w, kind=okind)
        bw = w.plus(7)
        pid = num("qm", stem, lo=1000, hi=99999)
        body = (f"Hi. This is the qmail-send program at {host}.\n"
                "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
                "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                f"<{person.addr}>:\n{reason}\n\n"
                "--- Below this line is a copy of the message.\n\n"
                + o.full(remote=(host, "198.51.100.80")).decode())
        # qmail-send writes no Message-ID and no MIME headers on its bounces.
        hs = [("Return-Path", "<>"),
              ("Received", f"(qmail {pid} invoked for bounce); {bw.qmail()}"),
              ("Date", bw.qmail()),
              ("From", f"MAILER-DAEMON@{host}"),
              ("To", o.verp),
              ("Subject", "failure notice")]
        REG.add(stem, "delivery_report", sysname, QMAIL_BASED, mail(hs, body=body),
                cites=o.id, crlf=crlf)


COURIER_BASED = "Courier MTA DSN (courier.org courierdsn.html, module.dsn templates); Sisimai Lhost::Courier"


@system
def courier():
    p = PEOPLE
    for stem, person, minutes, kind in [("courier_undeliverable", p["sofia"], 900, "fail"),
                                        ("courier_delayed", p["david"], 960, "delay")]:
        host = "mail.example.net"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(6 if kind == "fail" else 3 * 3600)
        cid = f"courier.{hexup('cid', stem, n=8)}.{hexup('cid2', stem, n=8)}"
        boundary = f"=_{host}-{num('cb', stem, lo=1000, hi=99999)}-{bw.epoch()}-0001"
        title = "UNDELIVERABLE MAIL" if kind == "fail" else "DELAYS IN DELIVERING YOUR MESSAGE"
        lead = ("Your message to the following recipients cannot be delivered:"
                if kind == "fail" else
                "Your message to the following recipients has not yet been delivered.\n"
                "Delivery attempts will continue for a while; you do not need to resend.")
        note = (f"This is a delivery status notification from {host},\n"
                "running the Courier mail server, version 1.1.8.\n\n"
                f"The original message was received on {w.plus(1).rfc(60)}\n"
                f"from {TICKETD_MTA} ({TICKETD_MTA} [{TICKETD_IP}])\n\n"
                + "-" * 75 + "\n\n" + " " * 26 + title + "\n\n" + lead + "\n\n"
                f"<{person.addr}>:\n"
                "    mx.example.net [203.0.113.7]:\n"
                f">>> RCPT TO:<{person.addr}>\n"
                + ("<<< 550 5.1.1 <%s>... User unknown\n" % person.addr if kind == "fail" else
                   "<<< 452 4.2.2 Mailbox temporarily over quota\n")
                + "\n" + "-" * 75 + "\n\n"
                "If your message was also sent to additional recipients, their delivery\n"
                "status is not included in this report.  You may or may not receive\n"
                "other delivery status notifications for additional recipients.\n\n"
                "The original message follows as a separate attachment.\n")
        per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}",
               f"Received-From-MTA: dns; {TICKETD_MTA} ({TICKETD_MTA} [{TICKETD_IP}])"]
        rc = [f"Final-Recipient: rfc822; {person.addr}",
              f"Action: {'failed' if kind == 'fail' else 'delayed'}",
              f"Status: {'5.1.1' if kind == 'fail' else '4.2.2'}",
              "Remote-MTA: dns; mx.example.net",
              "Diagnostic-Code: smtp; " + ("550 5.1.1 <%s>... User unknown" % person.addr
                                          if kind == "fail" else "452 4.2.2 Mailbox temporarily over quota")]
        inner = (message_part(o.full(remote=(host, "198.51.100.11"))) if kind == "fail" else
                 message_part(o.headers_only(remote=(host, "198.51.100.11")), ctype="text/rfc822-headers"))
        body = report([text(note, charset="iso-8859-1", cte="7bit"),
                       raw_part("message/delivery-status", dsn(per, [rc])), inner],
                      boundary, preamble="This is a MIME message.")
        hs = [("Return-Path", "<>"),
              ("Received", f"from {host} (localhost.localdomain [127.0.0.1])\n  by {host} with local; {bw.rfc(60)}\n  id {hexup('ci', stem, n=16)}"),
              ("From", f"\"Courier mail server at {host}\" <@>"),
              ("To", o.verp),
              ("Subject", "NOTICE: mail delivery status." if kind == "fail" else "WARNING: delayed mail."),
              ("Mime-Version", "1.0"),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<{cid}@{host}>"),
              ("Auto-Submitted", "auto-replied")]
        REG.add(stem, "delivery_report",
                "Courier 1.1 (" + ("failure" if kind == "fail" else "delay") + ", From <@>)",
                COURIER_BASED, mail(hs, body), cites=o.id)


OPENSMTPD_BASED = "OpenSMTPD bounce.c notice texts (smtpd(8)); Sisimai Lhost::OpenSMTPD"


@system
def opensmtpd():
    p = PEOPLE
    for stem, person, minutes, kind in [("opensmtpd_error", p["erik"], 1010, "error"),
                                        ("opensmtpd_warning", p["mette"], 1050, "warning")]:
        host = "smtpd.example.org"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(3 if kind == "error" else 4 * 3600)
        boundary = f"{num('os', stem, lo=10**15, hi=10**16)}/{host}"
        if kind == "error":
            lead = ("    An error has occurred while attempting to deliver a message for\n"
                    "    the following list of recipients:\n\n"
                    f"{person.addr}: 550 5.1.1 <{person.addr}>: Recipient address rejected: "
                    "User unknown in local recipient table\n\n")
        else:
            lead = ("    A message is delayed for more than 4 hours for the following\n"
                    "    list of recipients:\n\n"
                    f"{person.addr}: Network error on destination MXs\n\n"
                    "    Please note that this is only a temporary failure report.\n"
                    "    The message is kept in the queue for up to 4 days.\n"
                    "    You DO NOT NEED to re-send the message to these recipients.\n\n")
        note = ("    Hi!\n\n"
                f"    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n"
                + lead +
                "    Below is a copy of the original message:\n\n")
        per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
        rc = [f"Final-Recipient: rfc822; {person.addr}",
              f"Action: {'failed' if kind == 'error' else 'delayed'}",
              f"Status: {'5.1.1' if kind == 'error' else '4.4.1'}"]
        body = report([text(note, charset="us-ascii", description="Notification"),
                       raw_part("message/delivery-status", dsn(per, [rc]),
                                description="Delivery Report"),
                       message_part(o.full(remote=(host, "198.51.100.90")),
                                    description="Message headers" if kind == "warning" else None)],
                      boundary, preamble="This is a MIME-encapsulated message.")
        hs = [("Received", f"from {host} (localhost [127.0.0.1])\n\tby {host} (OpenSMTPD) with ESMTPA id "
                           f"{h40('osr', stem, n=8)}\n\tfor <{o.verp}>;\n\t{bw.rfc(60)}"),
              ("From", f"Mailer Daemon <MAILER-DAEMON@{host}>"),
              ("Date", bw.rfc(60)),
              ("Subject", f"Delivery status notification: {kind}"),
              ("To", o.verp),
              ("Message-ID", f"<{h40('osm', stem, n=16)}@{host}>"),
              ("MIME-Version", "1.0"),
              ("Auto-Submitted", "auto-replied")]
        REG.add(stem, "delivery_report", f"OpenSMTPD 7.4 ({kind})", OPENSMTPD_BASED,
                mail(hs, body), cites=o.id)


@system
def old_unix():
    """Smail and a home-grown MTA with an empty From address."""
    p = PEOPLE
    # Smail 3: 'failed addresses follow:' / 'message text follows:'
    person, host = p["tom"], "gw.example.net"
    w = When(1100)
    o = orig_for(person, w)
    bw = w.plus(9)
    body = ("|------------------------- Failed addresses follow: ---------------------|\n"
            f" <{person.addr}> ... unknown user\n"
            "|------------------------- Message text follows: ------------------------|\n"
            + o.full(remote=(host, "198.51.100.44")).decode())
    hs = [("Return-Path", "<postmaster@gw.example.net>"),
          ("Received", f"by {host} (Smail3.2.0.115) id m0rA{b36('sm3', n=8)}; {bw.rfc(-300, dayname=True)}"),
          ("Message-Id", f"<m0rA{b36('sm3', n=8)}@{host}>"),
          ("Date", bw.rfc(-300)),
          ("From", f"MAILER-DAEMON@{host} (Mail Delivery Subsystem)"),
          ("Subject", "mail failed, returning to sender"),
          ("Reference", f"<{o.id}>"),
          ("To", o.verp)]
    REG.add("smail_failed_addresses", "delivery_report", "Smail 3.2 (plain text, Return-Path postmaster)",
            "flufl.bounce simplematch 'failed addresses follow:' (Smail); Mailman tests/bounces",
            mail(hs, body=body), cites=o.id)

    # A small appliance MTA: From: Postmaster <> and a bare text body, no report structure.
    person, host = p["mark"], "filter.example.org"
    w = When(1130)
    o = orig_for(person, w)
    bw = w.plus(2)
    body = (f"Your message could not be delivered to {person.addr}.\n\n"
            "Reason: 550 5.7.1 Message rejected by content filter (policy 17)\n\n"
            "Original message headers:\n\n"
            + o.headers_only(remote=(host, "198.51.100.31")).decode())
    hs = [("Return-Path", "<>"),
          ("Received", f"from localhost by {host}; {bw.rfc(60)}"),
          ("From", "Postmaster <>"),
          ("To", o.verp),
          ("Subject", "Returned mail: delivery failed"),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<ndr.{h40('pm', n=12)}@{host}>"),
          ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=us-ascii")]
    REG.add("postmaster_empty_from", "delivery_report", "filter appliance (From: Postmaster <>, plain text)",
            "RFC 5321 4.5.5 null reverse-path for notifications; 'Postmaster <>' From seen in flufl.bounce corpus",
            mail(hs, body=body), cites=o.id)

    # An old Unix MTA that signs as "System Administrator" with a quoted local part.
    person, host = p["david"], "unix1.example.net"
    w = When(1160)
    o = orig_for(person, w)
    bw = w.plus(30)
    body = ("Your message\n\n"
            f"  To:      {person.addr}\n"
            f"  Subject: {o.subject}\n"
            f"  Sent:    {o.date}\n\n"
            "did not reach the following recipient(s):\n\n"
            f"{person.addr} on {bw.rfc(0)}\n"
            "    The recipient name is not recognized\n")
    hs = [("Return-Path", "<MAILER-DAEMON@unix1.example.net>"),
          ("Received", f"by {host} id AA{num('sa', lo=10000, hi=99999)}; {bw.rfc(-300)}"),
          ("Date", bw.rfc(-300)),
          ("From", f"<\"System Administrator\"@{host}>"),
          ("Message-Id", f"<{num('sa2', lo=10**7, hi=10**8)}.AA{num('sa', lo=10000, hi=99999)}@{host}>"),
          ("To", o.verp),
          ("Subject", subj(f"Undeliverable: {o.subject}")),
          ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain")]
    REG.add("sysadmin_quoted_localpart", "delivery_report",
            "legacy gateway (From <\"System Administrator\"@host>, Return-Path MAILER-DAEMON)",
            "flufl.bounce simplematch 'Your message ... because:' / 'did not reach the following recipient'",
            mail(hs, body=body))



# ============================================================ Microsoft ===

EXCH_L10N = {
    "en": dict(subject="Undeliverable: ", delayed="Delivery delayed: ", relayed="Relayed: ",
               failed="Delivery has failed to these recipients or groups:",
               notfound="The e-mail address you entered couldn't be found. Please check the "
                        "recipient's e-mail address and try to resend the message. If the problem "
                        "continues, please contact your helpdesk.",
               diag="Diagnostic information for administrators:", gen="Generating server:",
               orig="Original message headers:", lang="en-US", cs="us-ascii"),
    "de": dict(subject="Unzustellbar: ",
               failed="Die Zustellung an folgende Empfänger oder Gruppen ist fehlgeschlagen:",
               notfound="Die eingegebene E-Mail-Adresse konnte nicht gefunden werden. Überprüfen "
                        "Sie die E-Mail-Adresse des Empfängers, und versuchen Sie, die Nachricht "
                        "erneut zu senden. Wenden Sie sich an Ihr Helpdesk, wenn das Problem "
                        "weiterhin besteht.",
               diag="Diagnoseinformationen für Administratoren:", gen="Generierender Server:",
               orig="Ursprüngliche Nachrichtenkopfzeilen:", lang="de-DE", cs="iso-8859-1"),
    "fr": dict(subject="Non remis : ",
               failed="La remise aux destinataires ou groupes suivants a échoué :",
               notfound="L'adresse de messagerie que vous avez entrée est introuvable. Vérifiez "
                        "l'adresse de messagerie du destinataire et essayez de renvoyer le message. "
                        "Si le problème persiste, contactez votre support technique.",
               diag="Informations de diagnostic pour les administrateurs :",
               gen="Serveur de génération :", orig="En-têtes de message d'origine :",
               lang="fr-FR", cs="iso-8859-1"),
    "es": dict(subject="No se puede entregar: ",
               failed="Error en la entrega a estos destinatarios o grupos:",
               notfound="No se encontró la dirección de correo electrónico que escribió. Compruebe "
                        "la dirección de correo electrónico del destinatario e intente volver a "
                        "enviar el mensaje. Si el problema continúa, póngase en contacto con el "
                        "departamento de soporte técnico.",
               diag="Información de diagnóstico para administradores:",
               gen="Servidor de generación:", orig="Encabezados originales del mensaje:",
               lang="es-ES", cs="iso-8859-1"),
    "it": dict(subject="Non recapitabile: ",
               failed="Recapito non riuscito per i destinatari o i gruppi seguenti:",
               notfound="Impossibile trovare l'indirizzo di posta elettronica immesso. Verificare "
                        "l'indirizzo del destinatario e provare a inviare di nuovo il messaggio. "
                        "Se il problema persiste, contattare il supporto tecnico.",
               diag="Informazioni di diagnostica per gli amministratori:",
               gen="Server di generazione:", orig="Intestazioni del messaggio originale:",
               lang="it-IT", cs="iso-8859-1"),
    "nl": dict(subject="Onbestelbaar: ",
               failed="Het bericht kan niet worden bezorgd bij de volgende geadresseerden of groepen:",
               notfound="Het ingevoerde e-mailadres is niet gevonden. Controleer het e-mailadres "
                        "van de geadresseerde en probeer het bericht opnieuw te verzenden. Neem "
                        "contact op met de helpdesk als het probleem zich blijft voordoen.",
               diag="Diagnostische gegevens voor beheerders:", gen="Bronserver:",
               orig="Oorspronkelijke berichtkoppen:", lang="nl-NL", cs="us-ascii"),
    "pt": dict(subject="Não é possível entregar: ",
               failed="Falha na entrega a estes destinatários ou grupos:",
               notfound="Não foi possível encontrar o endereço de email que você inseriu. Verifique "
                        "o endereço de email do destinatário e tente reenviar a mensagem. Se o "
                        "problema continuar, entre em contato com o suporte técnico.",
               diag="Informações de diagnóstico para administradores:", gen="Servidor de origem:",
               orig="Cabeçalhos originais da mensagem:", lang="pt-BR", cs="iso-8859-1"),
    "ja": dict(subject="配信不能: ",
               failed="次の受信者またはグループへの配信に失敗しました:",
               notfound="入力した電子メール アドレスが見つかりませんでした。受信者の電子メール アドレスを"
                        "確認して、メッセージを再送信してください。問題が解決しない場合は、"
                        "ヘルプデスクにお問い合わせください。",
               diag="管理者用の診断情報:", gen="生成サーバー:", orig="元のメッセージ ヘッダー:",
               lang="ja-JP", cs="iso-2022-jp"),
}

EXCH_BASED = ("Microsoft 'Email non-delivery reports in Exchange Online/Server' + MS-OXCMAIL; "
              "Sisimai Lhost::Exchange2007 and Lhost::Office365 markers")


def guid(*k):
    h = h40("guid", *k, n=32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def thread_index(*k):
    return base64.b64encode(bytes.fromhex(h40("ti", *k, n=44))).decode()


def exch_headers(o, bw, host, subject_value, lang_tag, extra=(), from_value=None,
                 message_id=None, ndr=True, tnef=True):
    ip = f"10.20.30.{num('ip', host, lo=1, hi=250)}"
    hs = [("Received", f"from {host} ({ip}) by\n {host} ({ip}) with Microsoft SMTP Server\n"
                       f" id 14.3.513.0; {bw.rfc(60)}"),
          ("From", from_value or f"Microsoft Exchange\n\t<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{host.split('.', 1)[1]}>"),
          ("To", f"<{o.verp}>"),
          ("Date", bw.rfc(60)),
          ("Subject", subject_value),
          ("Thread-Topic", subj(o.subject)),
          ("Thread-Index", thread_index(o.n, host)),
          ("Message-ID", message_id or f"<{guid('ndr', o.n)}@{host}>"),
          ("In-Reply-To", f"<{o.id}>"),
          ("References", f"<{o.id}>"),
          ("Content-Language", lang_tag),
          ("X-MS-Has-Attach", "yes"),
          ("X-MS-Exchange-Organization-SCL", "-1")]
    if tnef:
        hs.append(("X-MS-TNEF-Correlator", f"<{guid('ndr', o.n)}@{host}>"))
    if ndr:
        hs.append(("X-MS-Exchange-Message-Is-Ndr", ""))
    hs += list(extra)
    hs.append(("MIME-Version", "1.0"))
    return hs


def exch_html(lines):
    """Exchange 2010-style HTML rendering of the NDR text blocks."""
    out = ["<html>", "<head>",
           '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">', "</head>",
           "<body>",
           '<p><b><font color="#000066" size="3" face="Arial">%s</font></b></p>' % lines[0]]
    for ln in lines[1:]:
        out.append('<font color="#000000" size="2" face="Tahoma"><p>%s</p></font>' %
                   ln.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                   .replace("\n", "<br>\n"))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


@system
def exchange2003():
    p = PEOPLE
    for stem, person, minutes, lang in [("exchange2003_en", p["mark"], 1200, "en"),
                                        ("exchange2003_de", p["claudia"], 1230, "de")]:
        host = "EXCH03.contoso.example"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(40)
        if lang == "en":
            subject = "Undeliverable: " + o.subject
            note = ("Your message\n\n"
                    f"  To:      {person.name}\n"
                    f"  Subject: {o.subject}\n"
                    f"  Sent:    {w.us(60)}\n\n"
                    "did not reach the following recipient(s):\n\n"
                    f"{person.addr} on {bw.us(60)}\n"
                    "            The e-mail account does not exist at the organization this message "
                    "was sent to.  Check the e-mail address, or contact the recipient directly to "
                    "find out the correct address.\n"
                    f"            <{host.lower()} #5.1.1>\n")
        else:
            subject = ew("Unzustellbar: " + o.subject, "iso-8859-1", "Q")
            note = ("Ihre Nachricht\n\n"
                    f"  An:      {person.name}\n"
                    f"  Betreff: {o.subject}\n"
                    f"  Gesendet: {w.us(60)}\n\n"
                    "hat einige oder alle Empfänger nicht erreicht.\n\n"
                    f"{person.addr} am {bw.us(60)}\n"
                    "            Das E-Mail-Konto existiert in der Organisation, an die diese "
                    "Nachricht gesendet wurde, nicht.  Überprüfen Sie die E-Mail-Adresse, oder "
                    "wenden Sie sich direkt an den Empfänger.\n"
                    f"            <{host.lower()} #5.1.1>\n")
        boundary = f"----_=_NextPart_001_01DA6E{hexup('b03', stem, n=2)}.{hexup('b03b', stem, n=8)}"
        per = [f"Reporting-MTA: dns;{host.lower()}", f"Received-From-MTA: dns;{TICKETD_MTA}",
               f"Arrival-Date: {w.plus(2).rfc(60)}"]
        rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
              "Action: failed", "Status: 5.1.1"]
        body = report([text(note, charset="iso-8859-1", cte="quoted-printable"),
                       raw_part("message/delivery-status", dsn(per, [rc])),
                       message_part(o.full(remote=(host, "198.51.100.120")))],
                      boundary, preamble="This is a multi-part message in MIME format.\n")
        hs = [("Received", f"from {host.lower()} ([10.1.1.5]) by {host.lower()} with Microsoft SMTPSVC(6.0.3790.4675);\n\t {bw.rfc(60)}"),
              ("Content-class", "urn:content-classes:dsn"),
              ("Subject", subject),
              ("MIME-Version", "1.0"),
              ("X-MimeOLE", "Produced By Microsoft Exchange V6.5"),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<{hexup('m03', stem, n=8)}{num('m03', stem, lo=10**5, hi=10**6)}@{host.lower()}>"),
              ("X-MS-Has-Attach", "yes"),
              ("X-MS-TNEF-Correlator", ""),
              ("Thread-Topic", subj(o.subject, "iso-8859-1", "Q")),
              ("Thread-Index", thread_index(stem)),
              ("From", "System Administrator <postmaster@contoso.example>"),
              ("To", f"<{o.verp}>")]
        REG.add(stem, "delivery_report", f"Exchange 2003 ({lang}, From System Administrator)",
                "Sisimai Lhost::Exchange2003 ('Your message ... did not reach the following "
                "recipient(s)', X-MimeOLE Produced By Microsoft Exchange V6.5)",
                mail(hs, body), cites=o.id, crlf=True)


@system
def exchange2007():
    person = PEOPLE["nina"]
    host = "MBX07.fabrikam.example"
    w = When(1260)
    o = orig_for(person, w)
    bw = w.plus(2)
    note = ("Delivery has failed to these recipients or distribution lists:\n\n"
            f"{person.addr}\n"
            "The recipient's e-mail address was not found in the recipient's e-mail system. "
            "Microsoft Exchange will not try to redeliver this message for you. Please check "
            "the e-mail address and try resending this message, or provide the following "
            "diagnostic text to your system administrator.\n\n"
            "_____\n\n"
            "Sent by Microsoft Exchange Server 2007\n\n\n\n\n"
            "Diagnostic information for administrators:\n\n"
            f"Generating server: {host}\n\n"
            f"{person.addr}\n"
            "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n\n"
            "Original message headers:\n\n"
            + o.headers_text(remote=(host, "198.51.100.121")))
    boundary = f"_000_{guid('e07').replace('-', '')[:24]}_"
    per = [f"Reporting-MTA: dns;{host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(0)}"]
    rc = [f"Final-Recipient: rfc822;{person.addr}", "Action: failed", "Status: 5.1.1",
          f"X-Display-Name: {subj(person.name)}"]
    body = report([text(note, charset="us-ascii", cte="quoted-printable"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "198.51.100.121")))],
                  boundary)
    hs = exch_headers(o, bw, host, "Undeliverable: " + o.subject, "en-US",
                      from_value="postmaster@fabrikam.example")
    REG.add("exchange2007_en", "delivery_report", "Exchange 2007 (en)",
            "Sisimai Lhost::Exchange2007 ('Diagnostic information for administrators', "
            "'Original message headers:', Content-Language)", mail(hs, body), cites=o.id, crlf=True)


def exchange_ndr(stem, person, minutes, lang, version="2010", include="rfc822", crlf=True,
                 status="5.1.1", code="#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
                 kind="ack"):
    L = dict(EXCH_L10N["en"])
    L.update(EXCH_L10N[lang])
    host = {"2010": "EX10HUB01.contoso.example", "2013": "EX2016MBX2.northwind.example",
            "2019": "EX19-01.tailspin.example"}[version]
    w = When(minutes)
    o = orig_for(person, w, kind=kind)
    bw = w.plus(3)
    plain = (f"{L['failed']}\n\n{person.addr}\n{L['notfound']}\n\n\n\n\n\n\n"
             f"{L['diag']}\n\n{L['gen']} {host}\n\n{person.addr}\n{code}\n\n{L['orig']}\n\n"
             + o.headers_text(remote=(host, "198.51.100.130")))
    html = exch_html([L["failed"], f"{person.addr}\n{L['notfound']}",
                      f"{L['diag']}", f"{L['gen']} {host}", f"{person.addr}\n{code}", L["orig"],
                      o.headers_text(remote=(host, "198.51.100.130"))])
    cs = L["cs"]
    if cs == "iso-2022-jp":
        tp = text(plain, charset="iso-2022-jp", cte="7bit")
        hp = text(html, ctype="text/html", charset="utf-8", cte="base64")
    elif cs == "us-ascii":
        tp = text(plain, charset="us-ascii")
        hp = text(html, ctype="text/html", charset="us-ascii", cte="quoted-printable")
    else:
        tp = text(plain, charset=cs, cte="quoted-printable")
        hp = text(html, ctype="text/html", charset=cs, cte="quoted-printable")
    alt = multipart("alternative", [tp, hp], f"_002_{h40('alt', stem, n=30)}_")
    per = [f"Reporting-MTA: dns;{host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(0)}"]
    rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
          "Action: failed", f"Status: {status}", f"X-Display-Name: {subj(person.name)}"]
    inner = (message_part(o.full(remote=(host, "198.51.100.130"))) if include == "rfc822" else
             message_part(o.headers_only(remote=(host, "198.51.100.130")), ctype="text/rfc822-headers"))
    body = report([alt, raw_part("message/delivery-status", dsn(per, [rc])), inner],
                  f"_000_{h40('rep', stem, n=30)}_")
    if lang == "en":
        sv = subj(L["subject"] + o.subject)
    elif lang == "ja":
        sv = ew(L["subject"] + o.subject, "iso-2022-jp", "B")
    else:
        sv = ew(L["subject"] + o.subject, "iso-8859-1", "Q")
    frm = None if version == "2010" else \
        f"Microsoft Outlook\n\t<MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{host.split('.', 1)[1]}>"
    extra = [("X-MS-Exchange-Organization-AuthSource", host),
             ("X-MS-Exchange-Organization-AuthAs", "Internal")]
    if version != "2010":
        extra.append(("Auto-Submitted", "auto-replied"))
    hs = exch_headers(o, bw, host, sv, L["lang"], extra=extra, from_value=frm)
    REG.add(stem, "delivery_report", f"Exchange {version} ({lang})", EXCH_BASED,
            mail(hs, body), cites=o.id, crlf=crlf)


@system
def exchange2010_2019():
    p = PEOPLE
    exchange_ndr("exchange2010_en", p["laura"], 1300, "en")
    exchange_ndr("exchange2010_de_unzustellbar", p["jonas"], 1320, "de")
    exchange_ndr("exchange2010_fr_non_remis", p["elodie"], 1340, "fr", include="headers")
    exchange_ndr("exchange2010_es_no_se_puede_entregar", p["javier"], 1360, "es", kind="answer")
    exchange_ndr("exchange2010_it_non_recapitabile", p["giulia"], 1380, "it", crlf=False)
    exchange_ndr("exchange2013_nl_onbestelbaar", p["sven"], 1400, "nl", version="2013")
    exchange_ndr("exchange2013_pt_nao_entregue", p["ana"], 1420, "pt", version="2013",
                 include="headers")
    exchange_ndr("exchange2013_ja_haishin_funou", p["kenji"], 1440, "ja", version="2013")
    exchange_ndr("exchange2019_en_quota", p["rachel"], 1460, "en", version="2019", status="5.2.2",
                 code="#550 5.2.2 STOREDRV.Deliver; recipient mailbox is full ##")


O365_BASED = ("Microsoft Learn 'Email non-delivery reports and SMTP errors in Exchange Online' "
              "(enhanced NDR layout) + Sisimai Lhost::Office365")


def o365_enhanced_html(person, o, status, reason_title, how_to_fix, dsn_host, w, lang="en"):
    dom = person.domain
    if lang == "de":
        t = dict(couldnt=f"Ihre Nachricht an {person.addr} konnte nicht übermittelt werden.",
                 wasnt=f"{person.local} wurde bei {dom} nicht gefunden.",
                 action="Aktion erforderlich", fix="So beheben Sie das Problem",
                 more="Weitere Informationen für E-Mail-Administratoren",
                 details="Details zur ursprünglichen Nachricht", hops="Nachrichtenhops",
                 headers="Ursprüngliche Nachrichtenkopfzeilen")
    else:
        t = dict(couldnt=f"Your message to {person.addr} couldn't be delivered.",
                 wasnt=f"{person.local} wasn't found at {dom}.",
                 action="Action Required", fix="How to Fix It",
                 more="More Info for Email Admins", details="Original Message Details",
                 hops="Message Hops", headers="Original Message Headers")
    return f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DSN</title>
</head>
<body style="background-color: white">
<table style="background-color: white; max-width: 548px; color: black; border-spacing: 0px 0px; padding-top: 0px; padding-bottom: 0px; border-collapse: collapse" width="548">
<tbody>
<tr><td style="font-size: 16px; font-family: 'Segoe UI'; padding-bottom: 10px">{t['couldnt']}</td></tr>
<tr><td style="font-size: 20px; font-family: 'Segoe UI'; font-weight: 600">{t['wasnt']}</td></tr>
<tr><td style="font-size: 14px; font-family: 'Segoe UI'; color: #c00000">{t['action']}</td>
<td style="font-size: 14px; font-family: 'Segoe UI'">{reason_title}</td></tr>
<tr><td style="font-size: 21px; font-family: 'Segoe UI Light'; color: #c00000">{t['fix']}</td></tr>
<tr><td style="font-size: 16px; font-family: 'Segoe UI'">{how_to_fix}</td></tr>
</tbody>
</table>
<br>
<table style="width: 548px">
<tr><td style="font-size: 21px; font-family: 'Segoe UI Light'">{t['more']}</td></tr>
<tr><td style="font-size: 14px; font-family: 'Segoe UI'">Status code: {status}</td></tr>
</table>
<p style="font-size: 14px; font-family: 'Segoe UI'">{t['details']}<br>
Created Date: {w.us(0)}<br>
Sender Address: {SUPPORT_ADDR}<br>
Recipient Address: {person.addr}<br>
Subject: {o.subject.replace('&', '&amp;')}</p>
<p style="font-size: 14px; font-family: 'Segoe UI'">Error Details<br>
Reported error: {status} RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup<br>
DSN generated by: {dsn_host}</p>
<p style="font-size: 14px; font-family: 'Segoe UI'">{t['hops']}</p>
<table>
<tr><th>HOP</th><th>TIME (UTC)</th><th>FROM</th><th>TO</th><th>WITH</th><th>RELAY TIME</th></tr>
<tr><td>1</td><td>{w.us(0)}</td><td>{TICKETD_MTA}</td><td>AM6EUR05FT015.mail.protection.outlook.example</td><td>Microsoft SMTP Server</td><td>1 sec</td></tr>
<tr><td>2</td><td>{w.plus(1).us(0)}</td><td>AM6EUR05FT015.eop-eur05.prod.protection.outlook.example</td><td>{dsn_host}</td><td>Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)</td><td>*</td></tr>
</table>
<p style="font-size: 14px; font-family: 'Segoe UI'">{t['headers']}</p>
<pre>{o.headers_text(remote=(dsn_host, '40.107.0.1'.replace('40.107.0.1', '203.0.113.200'))).replace('<', '&lt;').replace('>', '&gt;')}</pre>
</body>
</html>
"""


@system
def office365():
    p = PEOPLE
    specs = [
        ("o365_en_recipient_not_found", p["tom"], 1500, "en"),
        ("o365_de_unzustellbar", p["hannah"], 1520, "de"),
    ]
    for stem, person, minutes, lang in specs:
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(2)
        dsn_host = f"DB9PR0{num('db', stem, lo=1, hi=9)}MB{num('mb', stem, lo=1000, hi=9999)}.eurprd0{num('eu', stem, lo=1, hi=9)}.prod.outlook.example"
        status = "550 5.1.10"
        if lang == "de":
            reason = "Unbekannte An-Adresse"
            fix = ("Die Adresse wurde möglicherweise falsch geschrieben oder existiert nicht. "
                   "Versuchen Sie, die Nachricht erneut zu senden.")
            plain_head = (f"Ihre Nachricht an {person.addr} konnte nicht übermittelt werden.\n\n"
                          f"{person.local} wurde bei {person.domain} nicht gefunden.\n\n")
        else:
            reason = "Unknown To address"
            fix = ("The address may be misspelled or may not exist. Try one or more of the "
                   "following: Retype the recipient's address, then resend the message.")
            plain_head = (f"Your message to {person.addr} couldn't be delivered.\n\n"
                          f"{person.local} wasn't found at {person.domain}.\n\n")
        plain = (plain_head + f"{SUPPORT_ADDR.split('@')[0]}   Office 365   {person.local}\n"
                 f"Action Required                       Recipient\n\n{reason}\n\n"
                 f"How to Fix It\n{fix}\n\n"
                 "More Info for Email Admins\n"
                 f"Status code: {status}\n\n"
                 "Original Message Details\n"
                 f"Created Date:    {w.us(0)}\n"
                 f"Sender Address:  {SUPPORT_ADDR}\n"
                 f"Recipient Address:       {person.addr}\n"
                 f"Subject: {o.subject}\n\n"
                 "Error Details\n"
                 f"Reported error:  {status} RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"
                 f"DSN generated by:        {dsn_host}\n\n"
                 "Message Hops\n"
                 "HOP    TIME (UTC)   FROM   TO   WITH   RELAY TIME\n"
                 f"1      {w.us(0)}   {TICKETD_MTA}   AM6EUR05FT015.mail.protection.outlook.example   Microsoft SMTP Server   1 sec\n\n"
                 "Original Message Headers\n\n" + o.headers_text(remote=(dsn_host, "203.0.113.200")))
        html = o365_enhanced_html(person, o, status, reason, fix, dsn_host, w, lang)
        alt = multipart("alternative",
                        [text(plain, charset="utf-8", cte="quoted-printable"),
                         text(html, ctype="text/html", charset="utf-8", cte="quoted-printable")],
                        f"_002_{h40('oalt', stem, n=40)}_")
        rel = multipart("related", [alt], f"_004_{h40('orel', stem, n=40)}_",
                        params='; type="multipart/alternative"')
        per = [f"Reporting-MTA: dns;{dsn_host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
               f"Arrival-Date: {w.plus(1).rfc(0)}"]
        rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
              "Action: failed", "Status: 5.1.10",
              f"Diagnostic-Code: smtp;{status} RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"]
        body = report([rel, raw_part("message/delivery-status", dsn(per, [rc])),
                       message_part(o.headers_only(remote=(dsn_host, "203.0.113.200")),
                                    ctype="text/rfc822-headers")],
                      f"_005_{h40('orep', stem, n=40)}_")
        sv = subj("Undeliverable: " + o.subject) if lang == "en" else ew("Unzustellbar: " + o.subject, "utf-8", "B")
        tenant = "contoso" if lang == "en" else "beispiel"
        extra = [("X-MS-Exchange-Organization-Network-Message-Id", guid("nmi", stem)),
                 ("X-MS-PublicTrafficType", "Email"),
                 ("X-MS-Exchange-CrossTenant-OriginalArrivalTime", f"{bw.t:%d %b %Y %H:%M:%S}.{num('ms', stem, lo=1000, hi=9999)} (UTC)"),
                 ("X-MS-Exchange-CrossTenant-FromEntityHeader", "Hosted"),
                 ("X-MS-Exchange-CrossTenant-Id", guid("tenant", tenant)),
                 ("X-MS-Exchange-Transport-CrossTenantHeadersStamped", dsn_host.split(".")[0]),
                 ("X-Microsoft-Antispam-PRVS", f"<{dsn_host.split('.')[0]}{hexup('prvs', stem, n=6)}@{dsn_host.split('.', 1)[1]}>"),
                 ("Auto-Submitted", "auto-replied")]
        hs = exch_headers(o, bw, dsn_host, sv, "en-US" if lang == "en" else "de-DE", extra=extra,
                          from_value=f"Microsoft Outlook\n\t<postmaster@{tenant}.onmicrosoft.example>",
                          message_id=f"<{guid('omid', stem)}@{dsn_host}>")
        REG.add(stem, "delivery_report", f"Office 365 / Exchange Online ({lang}, enhanced NDR)",
                O365_BASED, mail(hs, body), cites=o.id, crlf=True)

    # Delivery delayed and Relayed (success) DSNs from Exchange Online
    for stem, person, minutes, kind in [("o365_delivery_delayed", p["sofia"], 1560, "delay"),
                                        ("o365_relayed_success", p["mark"], 1580, "relayed")]:
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(6 * 3600 if kind == "delay" else 20)
        dsn_host = f"VI1PR0{num('vi', stem, lo=1, hi=9)}MB{num('vmb', stem, lo=1000, hi=9999)}.eurprd04.prod.outlook.example"
        if kind == "delay":
            lead = ("Delivery is delayed to these recipients or groups:\n\n"
                    f"{person.name} ({person.addr})\n\n"
                    f"Subject: {o.subject}\n\n"
                    "This message hasn't been delivered yet. Delivery will continue to be attempted.\n\n"
                    "The server will keep trying to deliver this message for the next 1 days, "
                    "18 hours and 1 minutes. You'll be notified if the message can't be delivered "
                    "by that time.\n\n\n\n\n\n\n")
            rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
                  "Action: delayed", "Status: 4.4.7",
                  f"Will-Retry-Until: {w.plus(2 * 86400).rfc(0)}",
                  "X-Display-Name: " + subj(person.name)]
            sv = subj("Delivery delayed:" + o.subject)
            code = f"Remote Server at mx.{person.domain} (203.0.113.61) returned '400 4.4.7 Message delayed'"
        else:
            lead = ("Delivery to these recipients or groups is complete, but no delivery "
                    "notification was sent by the destination server:\n\n"
                    f"{person.name} ({person.addr})\n\n"
                    f"Subject: {o.subject}\n\n\n\n\n\n\n")
            rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
                  "Action: relayed", "Status: 2.0.0", "X-Display-Name: " + subj(person.name)]
            sv = subj("Relayed: " + o.subject)
            code = "250 2.6.0 Queued mail for delivery"
        plain = (lead + "Diagnostic information for administrators:\n\n"
                 f"Generating server: {dsn_host}\n\n{person.addr}\n{code}\n\n"
                 "Original message headers:\n\n" + o.headers_text(remote=(dsn_host, "203.0.113.201")))
        alt = multipart("alternative",
                        [text(plain, charset="us-ascii"),
                         text(exch_html(plain.split("\n\n")), ctype="text/html", charset="us-ascii",
                              cte="quoted-printable")],
                        f"_002_{h40('dalt', stem, n=40)}_")
        per = [f"Reporting-MTA: dns;{dsn_host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
               f"Arrival-Date: {w.plus(1).rfc(0)}"]
        body = report([alt, raw_part("message/delivery-status", dsn(per, [rc])),
                       message_part(o.headers_only(remote=(dsn_host, "203.0.113.201")),
                                    ctype="text/rfc822-headers")],
                      f"_003_{h40('drep', stem, n=40)}_")
        extra = [("X-MS-Exchange-Organization-Network-Message-Id", guid("nmi", stem)),
                 ("X-MS-Exchange-CrossTenant-OriginalArrivalTime", f"{bw.t:%d %b %Y %H:%M:%S}.0000 (UTC)"),
                 ("X-MS-Exchange-CrossTenant-FromEntityHeader", "Hosted"),
                 ("X-MS-Exchange-Transport-CrossTenantHeadersStamped", dsn_host.split(".")[0])]
        hs = exch_headers(o, bw, dsn_host, sv, "en-US", extra=extra, ndr=(kind == "delay"),
                          from_value="Microsoft Outlook\n\t<postmaster@contoso.onmicrosoft.example>")
        REG.add(stem, "delivery_report",
                "Office 365 (delay DSN)" if kind == "delay" else "Office 365 (Relayed: success DSN)",
                O365_BASED + ("; RFC 3464 Action: delayed" if kind == "delay" else "; RFC 3464 Action: relayed"),
                mail(hs, body), cites=o.id, crlf=True)


@system
def outlook_com():
    """Consumer Outlook.com / Hotmail: modern NDR and the older SMTPSVC-style DSN."""
    p = PEOPLE
    person = p["david"]
    w = When(1620)
    o = orig_for(person, w)
    bw = w.plus(1)
    dsn_host = "DM6NAM12HT123.eop-nam12.prod.protection.outlook.example"
    plain = ("Delivery has failed to these recipients or groups:\n\n"
             f"{person.addr}\n"
             "The email address you entered couldn't be found. Please check the recipient's "
             "email address and try to resend the message. If the problem continues, please "
             "contact your helpdesk.\n\n\n\n\n\n\n"
             "Diagnostic information for administrators:\n\n"
             f"Generating server: {dsn_host}\n\n{person.addr}\n"
             f"Remote Server returned '550 5.5.0 Requested action not taken: mailbox unavailable "
             f"(S2017062302). [{dsn_host}]'\n\n"
             "Original message headers:\n\n" + o.headers_text(remote=(dsn_host, "203.0.113.210")))
    alt = multipart("alternative",
                    [text(plain, charset="us-ascii"),
                     text(exch_html(plain.split("\n\n")), ctype="text/html", charset="us-ascii",
                          cte="quoted-printable")], f"_002_{h40('hm', n=40)}_")
    per = [f"Reporting-MTA: dns;{dsn_host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(0)}"]
    rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
          "Action: failed", "Status: 5.5.0",
          "Diagnostic-Code: smtp;550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302)"]
    body = report([alt, raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(dsn_host, "203.0.113.210")))],
                  f"_000_{h40('hmr', n=40)}_")
    hs = exch_headers(o, bw, dsn_host, "Undeliverable: " + o.subject, "en-US",
                      from_value="postmaster@outlook.example",
                      extra=[("X-MS-Exchange-CrossTenant-FromEntityHeader", "Internet"),
                             ("X-MS-Exchange-Transport-CrossTenantHeadersStamped", "DM6NAM12HT123")])
    REG.add("outlook_com_undeliverable", "delivery_report", "Outlook.com / Hotmail (NDR)",
            O365_BASED + "; Sisimai Lhost::Outlook", mail(hs, body), cites=o.id, crlf=True)

    # Windows IIS SMTP service (SMTPSVC): 'Delivery Status Notification (Failure)'
    person = p["claudia"]
    host = "web01.example.com"
    w = When(1650)
    o = orig_for(person, w)
    bw = w.plus(35)
    note = ("This is an automatically generated Delivery Status Notification.\n\n"
            "Delivery to the following recipients failed.\n\n"
            f"       {person.addr}\n\n\n\n\n")
    per = [f"Reporting-MTA: dns;{host}", f"Received-From-MTA: dns;{TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822;{person.addr}", "Action: failed", "Status: 5.0.0",
          "Diagnostic-Code: smtp;550 Requested action not taken: mailbox unavailable"]
    body = report([text(note, charset="us-ascii"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "198.51.100.140")))],
                  f"9B095B5ADSN={h40('iis', n=26)}{host}", preamble="This is a MIME-formatted message.  \nPortions of this message may be unreadable without a MIME-capable mail program.\n")
    hs = [("Received", f"from mail pickup service by {host} with Microsoft SMTPSVC(10.0.17763.1697);\n\t {bw.rfc(60)}"),
          ("From", f"postmaster@{host}"),
          ("To", o.verp),
          ("Date", bw.rfc(60)),
          ("MIME-Version", "1.0"),
          ("Content-Type", f"multipart/report; report-type=delivery-status;\n\tboundary=\"9B095B5ADSN={h40('iis', n=26)}{host}\""),
          ("X-DSNContext", "7ce717b1 - 1386 - 00000002 - 00000000"),
          ("Message-ID", f"<{hexup('iism', n=8)}{num('iis', lo=10**7, hi=10**8)}@{host}>"),
          ("Subject", "Delivery Status Notification (Failure)"),
          ("Return-Path", "<>"),
          ("X-OriginalArrivalTime", f"{bw.t:%d %b %Y %H:%M:%S}.0123 (UTC) FILETIME=[{hexup('ft', n=8)}:01DA6E{hexup('ft2', n=2)}]")]
    body.headers = []  # Content-Type is already among the headers above
    REG.add("iis_smtpsvc_dsn", "delivery_report", "Windows IIS SMTP service (SMTPSVC)",
            "flufl.bounce dsn + Zammad corpus mail018 shape (SMTPSVC 'Delivery to the following "
            "recipients failed', X-DSNContext)", mail(hs, body), cites=o.id, crlf=True)



# ========================================================= big providers ===

GMAIL_BASED = ("Gmail DSN as described by Sisimai Lhost::Gmail / Lhost::Google (multipart/report "
               "with multipart/related text+html, X-Failed-Recipients, 'Address not found')")


def gmail_dsn(stem, person, minutes, kind, lang="en", system=None, crlf=False, okind="ack"):
    w = When(minutes)
    o = orig_for(person, w, kind=okind)
    bw = w.plus(2 if kind == "failure" else 26 * 3600)
    rel_b = f"000000000000{h40('gr', stem, n=12)}"
    alt_b = f"000000000000{h40('ga', stem, n=12)}"
    rep_b = f"000000000000{h40('gp', stem, n=12)}"
    if kind == "failure":
        if lang == "de":
            title = "** Adresse nicht gefunden **"
            lead = (f"Ihre Nachricht wurde nicht an {person.addr} zugestellt, weil die Adresse "
                    "nicht gefunden wurde oder keine E-Mails empfangen kann.")
            more = "Weitere Informationen: https://support.google.example/mail/?p=NoSuchUser"
            resp = "Antwort:"
        else:
            title = "** Address not found **"
            lead = (f"Your message wasn't delivered to {person.addr} because the address "
                    "couldn't be found, or is unable to receive mail.")
            more = "Learn more here: https://support.google.example/mail/?p=NoSuchUser"
            resp = "The response was:"
        detail = (f"550 5.1.1 The email account that you tried to reach does not exist. Please "
                  "try double-checking the recipient's email address for typos or unnecessary "
                  "spaces. For more information, go to https://support.google.example/mail/?p=NoSuchUser")
        subject = "Delivery Status Notification (Failure)"
        action, status = "failed", "5.1.1"
    else:
        title = "** Message not delivered yet **"
        lead = (f"There was a temporary problem delivering your message to {person.addr}. "
                "Gmail will retry for 45 more hours. You'll be notified if the delivery fails "
                "permanently.")
        more = ""
        resp = "The response from the remote server was:"
        detail = f"421 4.4.0 [mx.{person.domain}] Connection timed out"
        subject = "Delivery Status Notification (Delay)"
        action, status = "delayed", "4.4.0"
    plain = f"\n{title}\n\n{lead}\n\n" + (f"{more}\n\n" if more else "") + f"{resp}\n\n{detail}\n"
    html = ("<html>\n<head>\n<style>\n* {\nfont-family:Roboto, \"Helvetica Neue\", Helvetica, Arial, sans-serif;\n}\n</style>\n</head>\n<body>\n"
            "<table cellpadding=\"0\" cellspacing=\"0\" class=\"email-wrapper\" style=\"padding-top:32px;background-color:#ffffff;\"><tbody>\n"
            f"<tr><td><h2 style=\"font-size:24px;\">{title.strip('* ')}</h2></td></tr>\n"
            f"<tr><td><p style=\"font-size:16px;\">{lead}</p></td></tr>\n"
            f"<tr><td><p>{resp}</p><p style=\"font-family:monospace;\">{detail}</p></td></tr>\n"
            "</tbody></table>\n</body>\n</html>\n")
    alt = multipart("alternative", [text(plain, charset="UTF-8" if lang != "en" else "UTF-8"),
                                    text(html, ctype="text/html", charset="UTF-8")], alt_b,
                    ctype_fold=False)
    icon = raw_part('image/png; name="icon.png"',
                    b64(bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636460f85f0f0003ff01ff5c9bd7dc0000000049454e44ae426082")),
                    cte="base64",
                    extra=[("Content-Disposition", 'attachment; filename="icon.png"'),
                           ("Content-ID", "<icon.png>")])
    rel = multipart("related", [alt, icon], rel_b, ctype_fold=False)
    per = ["Reporting-MTA: dns; googlemail.example",
           f"Arrival-Date: {w.plus(1).rfc(-480, zero=True, comment='PST')}",
           f"X-Original-Message-ID: <{o.id}>"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", f"Action: {action}", f"Status: {status}",
          f"Remote-MTA: dns; mx.{person.domain}. (203.0.113.{num('gip', stem, lo=2, hi=250)}, the server for the domain {person.domain}.)",
          f"Diagnostic-Code: smtp; {detail[:60]}",
          f"Last-Attempt-Date: {bw.rfc(-480, zero=True, comment='PST')}"]
    if kind != "failure":
        rc.append(f"Will-Retry-Until: {w.plus(48 * 3600).rfc(-480, zero=True, comment='PST')}")
    inner = message_part(o.full(remote=("mx.google.example", "203.0.113.250"))) if kind == "failure" \
        else message_part(o.headers_only(remote=("mx.google.example", "203.0.113.250")),
                          ctype="text/rfc822-headers")
    body = report([rel, raw_part("message/delivery-status", dsn(per, [rc])), inner], rep_b,
                  ctype_fold=False)
    body.headers[0] = ("Content-Type", f'multipart/report; boundary="{rep_b}"; report-type=delivery-status')
    hs = [("Received", f"by 2002:a05:6a10:{h40('g1', stem, n=4)}:b0:{num('g2', stem, lo=100, hi=999)}:{h40('g3', stem, n=4)} with SMTP id {b36('gid', stem, n=5)}csp{num('g4', stem, lo=10**6, hi=10**7)}pxb;\n"
                       f"        {bw.rfc(-480, zero=True, comment='PST')}"),
          ("Return-Path", "<>"),
          ("Received", f"by 2002:a17:906:{h40('g5', stem, n=4)} with SMTP id {b36('g6', stem, n=14)}.{num('g7', stem, lo=10, hi=99)};\n"
                       f"        {bw.rfc(-480, zero=True, comment='PST')}"),
          ("Content-Type", ""),
          ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.example>"),
          ("To", o.verp),
          ("X-Failed-Recipients", person.addr),
          ("Subject", subject),
          ("References", f"<{o.id}>"),
          ("In-Reply-To", f"<{o.id}>"),
          ("X-Google-Smtp-Source", base64.b64encode(bytes.fromhex(h40('gss', stem, n=60))).decode()),
          ("X-Received", f"by 2002:a17:906:{h40('g8', stem, n=4)} with SMTP id {b36('g9', stem, n=10)}; {bw.rfc(-480, zero=True, comment='PST')}"),
          ("Date", bw.rfc(-480, zero=True, comment="PST")),
          ("Message-ID", f"<{h40('gmid', stem, n=8)}.050a0220.{h40('gm2', stem, n=5)}.{h40('gm3', stem, n=4)}.GMR@mx.google.example>"),
          ("MIME-Version", "1.0"),
          ("Auto-Submitted", "auto-replied")]
    # Gmail puts Content-Type early; fill it in where the placeholder is.
    hs = [(k, body.headers[0][1]) if k == "Content-Type" else (k, v) for k, v in hs]
    body.headers = []
    REG.add(stem, "delivery_report", system or f"Gmail ({kind}{', ' + lang if lang != 'en' else ''})",
            GMAIL_BASED, mail(hs, body), cites=o.id, crlf=crlf)


@system
def google():
    p = PEOPLE
    gmail_dsn("gmail_address_not_found", p["laura"], 1700, "failure")
    gmail_dsn("gmail_delay", p["tom"], 1720, "delay", system="Gmail (delay)", okind="answer")
    gmail_dsn("gmail_de_adresse_nicht_gefunden", p["claudia"], 1740, "failure", lang="de",
              system="Google Workspace (failure, German UI text)", crlf=True)

    # Google Groups: the group does not exist / no permission to post.
    person = P("Facilities group", "facilities@groups.example.com")
    w = When(1760)
    n = REG.next_n()
    o = Original(n, "Facilities", person.addr, "Badge reader at entrance B broken", w)
    bw = w.plus(1)
    body = ("Hello support@support.example,\n\n"
            "We're writing to let you know that the group you tried to contact (facilities) may "
            "not exist, or you may not have permission to post messages to the group. A few more "
            "details on why you weren't able to post:\n\n"
            " * You might have spelled or formatted the group name incorrectly.\n"
            " * The owner of the group may have removed this group.\n"
            " * You may need to join the group before receiving permission to post.\n"
            " * This group may not be open to posting.\n\n"
            "If you have questions related to this or any other Google Group, visit the Help "
            "Center at https://groups.google.example/support/.\n\n"
            "Thanks,\n\nGoogle Groups\n\n\n\n"
            "----- Original message -----\n\n"
            + o.full(remote=("mx.google.example", "203.0.113.251")).decode())
    hs = [("Return-Path", "<>"),
          ("Received", f"by 2002:a05:6808:{h40('gg', n=4)} with SMTP id {b36('gg1', n=10)};\n        {bw.rfc(-480, zero=True, comment='PST')}"),
          ("X-Google-Smtp-Source", base64.b64encode(bytes.fromhex(h40('ggs', n=60))).decode()),
          ("MIME-Version", "1.0"),
          ("From", "Mail Delivery Subsystem <mailer-daemon@googlemail.example>"),
          ("To", o.verp),
          ("X-Failed-Recipients", person.addr),
          ("Auto-Submitted", "auto-replied"),
          ("Subject", "Address not found"),
          ("References", f"<{o.id}>"),
          ("In-Reply-To", f"<{o.id}>"),
          ("Date", bw.rfc(-480, zero=True, comment="PST")),
          ("Message-ID", f"<{h40('ggm', n=24)}@google.example>"),
          ("Content-Type", "text/plain; charset=\"UTF-8\"")]
    REG.add("google_groups_cannot_post", "delivery_report", "Google Groups (group not found)",
            "Sisimai Lhost::GoogleGroups ('the group you tried to contact ... may not exist', "
            "'----- Original message -----')", mail(hs, body=body), cites=o.id)


@system
def yahoo_aol():
    p = PEOPLE
    # Yahoo: plain text, qmail heritage
    person = p["sofia"]
    host = "mta4041.mail.gq1.yahoo.example"
    w = When(1800)
    o = orig_for(person, w)
    bw = w.plus(3)
    body = ("Sorry, we were unable to deliver your message to the following address.\n\n"
            f"<{person.addr}>:\n"
            f"Remote host said: 554 delivery error: dd Sorry your message to {person.addr} "
            "cannot be delivered. This mailbox is disabled (554.30). [RCPT_TO]\n\n"
            "--- Below this line is a copy of the message.\n\n"
            + o.full(remote=(host, "203.0.113.110")).decode())
    hs = [("Received", f"from 10.217.151.74 by {host} with HTTP; {bw.rfc(0)}"),
          ("Return-Path", "<>"),
          ("X-YMailISG", b36("ymisg", n=40)),
          ("X-YMail-OSG", b36("ymosg", n=60)),
          ("X-Originating-IP", "[203.0.113.110]"),
          ("From", "MAILER-DAEMON@yahoo.example"),
          ("To", o.verp),
          ("Subject", "Failure Notice"),
          ("Date", bw.rfc(0)),
          ("Message-ID", f"<{num('ym', lo=10**9, hi=10**10)}.{num('ym2', lo=10**5, hi=10**6)}.{bw.epoch()}@{host}>")]
    REG.add("yahoo_failure_notice", "delivery_report", "Yahoo Mail (Failure Notice, plain text)",
            "Sisimai Lhost::Yahoo ('Sorry, we were unable to deliver your message', "
            "'--- Below this line is a copy of the message.', X-YMailISG)", mail(hs, body=body),
            cites=o.id)

    # AOL (Verizon Media era): multipart/report with X-AOL headers
    person = p["mark"]
    host = "omr-m005e.mx.aol.example"
    w = When(1830)
    o = orig_for(person, w)
    bw = w.plus(2)
    b = f"{hexup('aolb', n=8)}.{bw.epoch()}/{host}"
    note = ("This is the mail system at host " + host + ".\n\n"
            "I'm sorry to have to inform you that your message could not\n"
            "be delivered to one or more recipients. It's attached below.\n\n"
            "                   The mail system\n\n"
            f"<{person.addr}>: host mx.{person.domain}[198.51.100.25] said: 550 5.1.1\n"
            f"    <{person.addr}>... User unknown (in reply to RCPT TO command)\n")
    per = [f"Reporting-MTA: dns; {host}", f"X-Postfix-Queue-ID: {hexup('aolq', n=10)}",
           f"X-Postfix-Sender: rfc822; {o.verp}", f"Arrival-Date: {w.plus(1).rfc(-300, pad=True, comment='EST')}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", f"Original-Recipient: rfc822;{person.addr}",
          "Action: failed", "Status: 5.1.1", f"Remote-MTA: dns; mx.{person.domain}",
          f"Diagnostic-Code: smtp; 550 5.1.1 <{person.addr}>... User unknown"]
    body = report([text(note, description="Notification"),
                   raw_part("message/delivery-status", dsn(per, [rc]), description="Delivery report"),
                   message_part(o.full(remote=(host, "203.0.113.111")), description="Undelivered Message")],
                  b, preamble="This is a MIME-encapsulated message.")
    hs = [("X-AOL-IP", "198.51.100.77"),
          ("X-AOL-VSS-INFO", "5800.7501/123456"),
          ("X-AOL-VSS-CODE", "clean"),
          ("x-aol-sid", h40("aolsid", n=24)),
          ("X-AOL-SCOLL-EIL", "1"),
          ("Received", f"by {host} (Postfix)\n\tid {hexup('aolq', n=10)}; {bw.rfc(-300, pad=True, comment='EST')}"),
          ("Date", bw.rfc(-300, pad=True, comment="EST")),
          ("From", f"MAILER-DAEMON@{host} (Mail Delivery System)"),
          ("Subject", "Undelivered Mail Returned to Sender"),
          ("To", o.verp),
          ("Auto-Submitted", "auto-replied"),
          ("MIME-Version", "1.0"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M%S}.{hexup('aolq', n=10)}@{host}>")]
    REG.add("aol_undelivered", "delivery_report", "AOL Mail (multipart/report, X-AOL headers)",
            "Sisimai Lhost::Aol (X-AOL-IP, message/delivery-status)", mail(hs, body), cites=o.id,
            crlf=True)


@system
def esps():
    """Amazon SES, SendGrid, Mailgun, Zoho."""
    p = PEOPLE
    # Amazon SES
    person = p["rachel"]
    w = When(1860)
    o = orig_for(person, w)
    bw = w.plus(1)
    host = "a8-50.smtp-out.amazonses.example"
    b = f"=_{h40('ses', n=24)}"
    note = ("An error occurred while trying to deliver the mail to the following recipients:\n"
            f"{person.addr}\n")
    per = [f"Reporting-MTA: dns; {host}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.1.1",
          f"Remote-MTA: dns; mx.{person.domain}",
          f"Diagnostic-Code: smtp; 550 5.1.1 user unknown"]
    body = report([text(note, charset="UTF-8", cte="7bit"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "203.0.113.50")))], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ({host} [203.0.113.50])\n\tby {TICKETD_MTA} (Postfix) with ESMTPS id {hexup('sesr', n=10)}\n\tfor <{o.verp}>; {bw.rfc(60)}"),
          ("From", "MAILER-DAEMON@amazonses.example"),
          ("To", o.verp),
          ("Subject", "Delivery Status Notification (Failure)"),
          ("Message-ID", f"<0100018e{h40('sesm', n=8)}-{guid('ses')}-000000@email.amazonses.example>"),
          ("Date", bw.rfc(0)),
          ("MIME-Version", "1.0"),
          ("X-SES-Outgoing", f"{bw.t:%Y.%m.%d}-203.0.113.50"),
          ("Feedback-ID", "1.eu-west-1.abcdEFGHijklMNOP=:AmazonSES")]
    REG.add("amazon_ses_failure", "delivery_report", "Amazon SES",
            "Sisimai Lhost::AmazonSES ('An error occurred while trying to deliver the mail to the "
            "following recipients')", mail(hs, body), cites=o.id)

    # SendGrid
    person = p["david"]
    w = When(1890)
    o = orig_for(person, w)
    bw = w.plus(4)
    b = f"----------={bw.epoch()}-{num('sgb', lo=10000, hi=99999)}-{num('sgb2', lo=100000, hi=999999)}"
    note = ("This is an automatically generated message from SendGrid.\n\n"
            "I'm sorry to have to tell you that your message was not able to be\n"
            "delivered to one of its intended recipients.\n\n"
            "If you require assistance with this, please contact SendGrid support.\n\n"
            f"support:{num('sgu', lo=100000, hi=999999)}:<{person.addr}> : 203.0.113.60 : mx.{person.domain}:[198.51.100.60] :\n"
            f"  550 5.1.1 <{person.addr}>... User unknown  in RCPT TO\n")
    per = [f"X-SendGrid-QueueID: {num('sgq', lo=10**8, hi=10**9)}",
           f"X-SendGrid-Sender: <bounces+{num('sgs', lo=10000, hi=99999)}-{h40('sgs2', n=4)}-support=support.example@sendgrid.example>",
           f"Arrival-Date: {w.plus(1).t:%Y-%m-%d %H-%M-%S}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.1.1",
          f"Diagnostic-Code: smtp; 550 5.1.1 <{person.addr}>... User unknown"]
    body = report([text(note, charset="us-ascii", disposition="inline"),
                   raw_part("message/delivery-status", dsn(per, [rc]), description="Delivery Report",
                            extra=[("Content-Disposition", "inline"), ("Content-Transfer-Encoding", "7bit")]),
                   message_part(o.full(remote=("mx.sendgrid.example", "203.0.113.60")),
                                description="Undelivered Message",
                                extra=[("Content-Disposition", "inline")])], b,
                  preamble="This is a multi-part message in MIME format...")
    hs = [("Return-Path", "<apps@sendgrid.example>"),
          ("Content-Transfer-Encoding", "binary"),
          ("MIME-Version", "1.0"),
          ("X-Mailer", "MIME-tools 5.509 (Entity 5.509)"),
          ("From", "MAILER-DAEMON <apps@sendgrid.example>"),
          ("To", o.verp),
          ("Subject", "Undelivered Mail Returned to Sender"),
          ("Date", bw.rfc(0)),
          ("Message-ID", f"<{h40('sgm', n=22)}@ismtpd0001p1las1.sendgrid.example>")]
    REG.add("sendgrid_undelivered", "delivery_report", "SendGrid",
            "Sisimai Lhost::SendGrid ('This is an automatically generated message from SendGrid.', "
            "Return-Path apps@)", mail(hs, body), cites=o.id)

    # Mailgun (relay of a customer's domain) - RFC 3464 with Mailgun headers
    person = p["nina"]
    w = When(1920)
    o = orig_for(person, w)
    bw = w.plus(60)
    b = f"{h40('mgb', n=32)}"
    note = ("Delivery to the following recipient failed permanently:\n\n"
            f"    {person.addr}\n\n"
            "Technical details of permanent failure:\n"
            f"550 5.7.1 Rejected by recipient's policy: sender domain not allowed\n")
    per = ["Reporting-MTA: dns; mxa.mailgun.example", f"X-Mailgun-Sid: {base64.b64encode(h40('mgsid', n=30).encode()).decode()[:44]}",
           f"Arrival-Date: {w.plus(1).rfc(0)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.7.1",
          f"Remote-MTA: dns; mx.{person.domain}",
          "Diagnostic-Code: smtp; 550 5.7.1 Rejected by recipient's policy: sender domain not allowed"]
    body = report([text(note), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=("mxa.mailgun.example", "203.0.113.70")),
                                ctype="text/rfc822-headers")], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"by mxa.mailgun.example with HTTP; {bw.rfc(0)}"),
          ("X-Mailgun-Sending-Ip", "203.0.113.70"),
          ("X-Mailgun-Sid", base64.b64encode(h40('mgsid', n=30).encode()).decode()[:44]),
          ("Date", bw.rfc(0)),
          ("From", "Mail Delivery Subsystem <mailer-daemon@mailgun.example>"),
          ("To", o.verp),
          ("Subject", "Delivery Status Notification (Failure)"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M%S}.{h40('mgm', n=16)}@mailgun.example>"),
          ("Auto-Submitted", "auto-replied"),
          ("Mime-Version", "1.0")]
    REG.add("mailgun_policy_reject", "delivery_report", "Mailgun relay (policy rejection)",
            "RFC 3464 DSN with Mailgun's X-Mailgun-Sid / mxa relay headers (Mailgun docs: "
            "'Tracking Failures')", mail(hs, body), cites=o.id)

    # Zoho Mail: plain text with QP soft breaks
    person = p["lucas"]
    w = When(1950)
    o = orig_for(person, w)
    bw = w.plus(5)
    txt = ("This message was created automatically by mail delivery software.\n"
           "A message that you sent could not be delivered to one or more of its recipients. "
           "This is a permanent error.\n\n"
           f"{person.addr} Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <{person.addr}>... "
           "User Unknown\n\n"
           "Received: from mail.zoho.example by mx.zohomail.example\n"
           f"\twith SMTP id {num('zr', lo=10**12, hi=10**13)}.{num('zr2', lo=100, hi=999)}; {w.plus(1).rfc(0)}\n"
           + o.headers_text(remote=("mx.zohomail.example", "203.0.113.80")))
    hs = [("Return-Path", "<>"),
          ("X-ZohoMail", "Si CHF_MF_NL SS_10 UW48 UB48 FMWL UW48 UB48 SGR3_1_09124_42"),
          ("X-Zoho-Virus-Status", "2"),
          ("X-Mailer", "Zoho Mail"),
          ("Date", bw.rfc(-480)),
          ("From", "mailer-daemon@mail.zoho.example"),
          ("To", o.verp),
          ("Subject", "Undelivered Mail Returned to Sender"),
          ("Message-Id", f"<{num('zm', lo=10**12, hi=10**13)}.{num('zm2', lo=10**5, hi=10**6)}@mail.zoho.example>"),
          ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=UTF-8"),
          ("Content-Transfer-Encoding", "quoted-printable")]
    REG.add("zoho_invalid_address", "delivery_report", "Zoho Mail (plain text, QP)",
            "Sisimai Lhost::Zoho ('ERROR_CODE :', X-ZohoMail)", mail(hs, body=qp(txt)), cites=o.id)



# ============================================================= gateways ===

@system
def gateways():
    p = PEOPLE
    # Mimecast: text/plain + html, no report structure, no original
    person = p["giulia"]
    w = When(2000)
    o = orig_for(person, w)
    bw = w.plus(8)
    plain = ("Your message couldn't be delivered\n\n"
             "An email that you attempted to send to the following address could not be delivered:\n"
             f"-- {person.addr}\n\n"
             "The problem appears to be :\n"
             "-- Recipient email address is possibly incorrect\n\n"
             "Additional information follows :\n"
             "-- 5.4.1 Recipient address rejected: Access denied. AS(201806281)\n\n"
             "This condition occurred after 1 attempt(s) to deliver over a period of 0 hour(s).\n\n"
             f"Original message subject: {o.subject}\n"
             f"Original message id: <{o.id}>\n")
    html = "<html><body><h3>Your message couldn't be delivered</h3><pre>" + \
        plain.replace("<", "&lt;").replace(">", "&gt;") + "</pre></body></html>\n"
    body = multipart("alternative", [text(plain, charset="utf-8", cte="quoted-printable"),
                                     text(html, ctype="text/html", charset="utf-8",
                                          cte="quoted-printable")],
                     f"----=_Part_{num('mcb', lo=10**6, hi=10**7)}_{num('mcb2', lo=10**8, hi=10**9)}.{bw.epoch()}000")
    hs = [("Return-Path", "<>"),
          ("Received", f"from eu-smtp-delivery-1.mimecast.example (eu-smtp-delivery-1.mimecast.example [203.0.113.90])\n"
                       f"\tby {TICKETD_MTA} (Postfix) with ESMTPS id {hexup('mcr', n=10)}\n\tfor <{o.verp}>; {bw.rfc(60)}"),
          ("Date", bw.rfc(0)),
          ("From", "Postmaster <postmaster@azienda.example>"),
          ("To", o.verp),
          ("Message-ID", f"<{num('mcm', lo=10**9, hi=10**10)}-{bw.epoch()}000@eu-mta-12.eu.mimecast.lan>"),
          ("Subject", "[Postmaster] Email Delivery Failure"),
          ("MIME-Version", "1.0"),
          ("X-Mimecast-Spam-Score", "0"),
          ("Auto-Submitted", "auto-replied")]
    REG.add("mimecast_delivery_failure", "delivery_report", "Mimecast (no report structure)",
            "Sisimai Lhost::Mimecast ('[Postmaster] Email Delivery Failure', '-- ' lines, "
            "Message-Id @*.mimecast.lan)", mail(hs, body), cites=o.id)

    # Symantec MessageLabs
    person = p["tom"]
    w = When(2030)
    o = orig_for(person, w)
    bw = w.plus(3)
    b = f"----=_Part_{num('mlb', lo=10**6, hi=10**7)}_{num('mlb2', lo=10**8, hi=10**9)}.{bw.epoch()}"
    note = ("This is an automatically generated Delivery Status Notification.\n\n"
            "Delivery to the following recipients failed.\n\n"
            f"       {person.addr}\n")
    per = [f"Reporting-MTA: dns; server-7.tower-229.messagelabs.example",
           f"Arrival-Date: {w.plus(1).rfc(0)}"]
    rc = [f"Original-Recipient: rfc822;{person.addr}", f"Final-Recipient: rfc822;{person.addr}",
          "Action: failed", "Status: 5.0.0",
          f"Diagnostic-Code: smtp; 550 5.1.1 <{person.addr}>... No such user"]
    body = report([text(note), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=("server-7.tower-229.messagelabs.example", "203.0.113.95")),
                                ctype="text/rfc822-headers")], b)
    hs = [("Return-Path", "<>"),
          ("X-Msg-Ref", f"server-7.tower-229.messagelabs.example!{bw.epoch()}!{num('mlr', lo=10**7, hi=10**8)}!1"),
          ("X-Originating-IP", "[10.245.230.38]"),
          ("X-StarScan-Received", ""),
          ("X-StarScan-Version", "9.9.15; banners=-,-,-"),
          ("X-VirusChecked", "Checked"),
          ("From", "MAILER-DAEMON@messagelabs.example"),
          ("To", o.verp),
          ("Subject", "Mail Delivery Failure"),
          ("Date", bw.rfc(0)),
          ("Message-ID", f"<{num('mlm', lo=10**9, hi=10**10)}.{bw.epoch()}.JavaMail.cfdeploy@server-7.tower-229.messagelabs.example>"),
          ("MIME-Version", "1.0")]
    REG.add("messagelabs_failure", "delivery_report", "Symantec.cloud / MessageLabs",
            "Sisimai Lhost::MessageLabs (X-Msg-Ref, MAILER-DAEMON@messagelabs, 'Mail Delivery Failure')",
            mail(hs, body), cites=o.id)

    # Proofpoint Protection Server (sendmail core)
    person = p["rachel"]
    host = "mx0a-00123456.pphosted.example"
    w = When(2060)
    o = orig_for(person, w)
    bw = w.plus(4)
    qid = f"{num('ppq', lo=10**7, hi=10**8)}{b36('ppq', n=6)}"
    b = f"{qid}.{bw.epoch()}/{host}"
    note = (f"The original message was received at {w.plus(1).rfc(-300)}\n"
            f"from {TICKETD_MTA} [{TICKETD_IP}]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            f"<{person.addr}>\n"
            "    (reason: 550 5.7.1 Message blocked due to policy: Message contains a link that is not allowed)\n")
    per = [f"Reporting-MTA: dns; {host}", f"Received-From-MTA: DNS; {TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(-300)}"]
    rc = [f"Final-Recipient: RFC822; {person.addr}", "Action: failed", "Status: 5.7.1",
          "Diagnostic-Code: SMTP; 550 5.7.1 Message blocked due to policy"]
    body = report([Part([], note.encode()), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "203.0.113.101")), ctype="text/rfc822-headers")],
                  b, preamble="This is a MIME-encapsulated message\n")
    hs = [("Return-Path", "<>"),
          ("Received", f"from localhost (localhost)\n\tby {host} (8.17.1.19/8.17.1.19) id {qid};\n\t{bw.rfc(-300)}"),
          ("Date", bw.rfc(-300)),
          ("From", f"Mail Delivery Subsystem <MAILER-DAEMON@{host}>"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M}.{qid}@{host}>"),
          ("To", f"<{o.verp}>"),
          ("MIME-Version", "1.0"),
          ("Content-Type", f"multipart/report; report-type=delivery-status;\n\tboundary=\"{b}\""),
          ("Subject", "Returned mail: see transcript for details"),
          ("Auto-Submitted", "auto-generated (failure)"),
          ("X-Proofpoint-Virus-Version", "vendor=baseguard engine=ICAP:2.0.272,Aquarius:18.0.1011,Hydra:6.0.619"),
          ("X-Proofpoint-Spam-Details", "rule=notspam policy=default score=0 classifier=spam adjust=0 reason=mlx")]
    body.headers = []
    REG.add("proofpoint_policy_block", "delivery_report", "Proofpoint Protection Server",
            SENDMAIL_BASED + "; X-Proofpoint-* headers as in Proofpoint PPS admin guide",
            mail(hs, body), cites=o.id)

    # Barracuda: bulk filter notice
    person = p["sven"]
    host = "barracuda.bedrijf.example"
    w = When(2090)
    o = orig_for(person, w)
    bw = w.plus(2)
    b = f"{hexup('bcb', n=8)}.{bw.epoch()}/{host}"
    note = (f"Your message to: {person.addr}\n"
            "was blocked by our Spam Firewall. The email you sent with the following subject "
            "has NOT BEEN DELIVERED:\n\n"
            f"Subject: {o.subject}\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.7.1",
          "Diagnostic-Code: smtp; 550 5.7.1 Blocked by bulk email filter"]
    body = report([text(note, description="Notification"),
                   raw_part("message/delivery-status", dsn(per, [rc]), description="Delivery report"),
                   message_part(o.headers_only(remote=(host, "203.0.113.105")), ctype="text/rfc822-headers",
                                description="Undelivered Message Headers")],
                  b, preamble="This is a MIME-encapsulated message.")
    hs = [("Return-Path", "<>"),
          ("X-ASG-Debug-ID", f"{bw.epoch()}-{h40('asg', n=10)}0001-{b36('asg', n=6)}"),
          ("Received", f"by {host} (Spam Firewall)\n\tid {hexup('bcq', n=10)}; {bw.rfc(60, pad=True, comment='CET')}"),
          ("Date", bw.rfc(60, pad=True, comment="CET")),
          ("From", f"MAILER-DAEMON@{host} (Mail Delivery System)"),
          ("Subject", "**Message you sent blocked by our bulk email filter**"),
          ("To", o.verp),
          ("Auto-Submitted", "auto-replied"),
          ("MIME-Version", "1.0"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M%S}.{hexup('bcq', n=10)}@{host}>"),
          ("X-Barracuda-Connect", "UNKNOWN[10.0.0.12]"),
          ("X-Barracuda-Start-Time", str(bw.epoch())),
          ("X-Virus-Scanned", "by bsmtpd at bedrijf.example")]
    REG.add("barracuda_bulk_filter", "delivery_report", "Barracuda Spam Firewall",
            "Sisimai Lhost::Barracuda ('blocked by our bulk email filter', 'Your message to:')",
            mail(hs, body), cites=o.id)

    # Postini (psmtp) - message/delivery-status plus a short text
    person = p["mark"]
    host = "exprod7mx101.postini.example"
    w = When(2120)
    o = orig_for(person, w)
    bw = w.plus(2)
    b = f"----=_Part_{num('psb', lo=10**5, hi=10**6)}_{num('psb2', lo=10**8, hi=10**9)}.{bw.epoch()}"
    note = ("This is an automatically generated Delivery Status Notification.\n\n"
            "Delivery to the following recipients failed.\n\n"
            f"       {person.addr}\n\n"
            "Technical details of permanent failure:\n"
            "The recipient server did not accept our requests to connect. 550 5.7.1 Message content "
            "rejected, UBE, id=12345-01-1\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(-480)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.7.1",
          "Diagnostic-Code: smtp; 550 5.7.1 Message content rejected, UBE, id=12345-01-1"]
    body = report([text(note), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "203.0.113.115")))], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"from source ([127.0.0.1]) by {host} ([203.0.113.115]) with SMTP;\n\t{bw.rfc(-480, comment='PST')}"),
          ("X-pstn-levels", "(S:99.90000/99.90000 CV:99.9000 FC:95.5390 LC:95.5390 R:95.9108 P:95.9108 M:97.0282 C:98.6951 )"),
          ("X-pstn-settings", "3 (1.0000:1.0000) s cv gt3 gt2 gt1 r p m c"),
          ("X-pstn-addresses", f"from <> [db-null]"),
          ("From", "Mail Delivery Subsystem <MAILER-DAEMON@postini.example>"),
          ("To", o.verp),
          ("Subject", "Delivery Status Notification (Failure)"),
          ("Date", bw.rfc(-480)),
          ("Message-ID", f"<{h40('psm', n=20)}@{host}>"),
          ("MIME-Version", "1.0")]
    REG.add("postini_content_rejected", "delivery_report", "Postini (psmtp)",
            "RFC 3464 DSN with Postini X-pstn-* headers (Mail::DeliveryStatus::BounceParser "
            "Postini cases)", mail(hs, body), cites=o.id)

    # McAfee Email Gateway
    person = p["javier"]
    host = "meg.empresa.example"
    w = When(2150)
    o = orig_for(person, w)
    bw = w.plus(3)
    b = f"--------------Boundary-00=_{hexup('mcaf', n=20)}"
    note = ("   --- The following addresses had delivery problems ---\n\n"
            f"<{person.addr}>   (User unknown {person.addr})\n")
    per = [f"Reporting-MTA: dns; {host}", f"Received-From-MTA: dns; {TICKETD_MTA}",
           f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.0.0",
          f"Diagnostic-Code: smtp; 550 Unknown user {person.addr}"]
    body = multipart("mixed", [
        raw_part('text/plain; name="deliveryproblems.txt"', note, cte="7bit"),
        raw_part('message/delivery-status; name="deliverystatus.txt"', dsn(per, [rc]), cte="7bit"),
        message_part(o.full(remote=(host, "198.51.100.150")))],
        b, preamble="This is a multi-part message in MIME format.")
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ([127.0.0.1]) by {host} with ESMTP; {bw.rfc(60)}"),
          ("X-NAI-Header", "Modified by McAfee Email Gateway (7.6.404)"),
          ("From", f"Postmaster <postmaster@{host}>"),
          ("To", o.verp),
          ("Subject", "Delivery Status"),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<{h40('mcm', n=16)}@{host}>"),
          ("MIME-Version", "1.0")]
    REG.add("mcafee_delivery_status", "delivery_report", "McAfee Email Gateway (multipart/mixed, no report)",
            "Sisimai Lhost::McAfee (X-NAI-Header, Subject 'Delivery Status', "
            "'--- The following addresses had delivery problems ---')", mail(hs, body), cites=o.id)

    # Trend Micro InterScan MSS (English and Japanese)
    for stem, person, minutes, lang in [("trendmicro_interscan_en", p["nina"], 2180, "en"),
                                        ("trendmicro_interscan_ja", p["kenji"], 2200, "ja")]:
        host = "imss.kaisha.example" if lang == "ja" else "imss.example.com"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(2)
        b = f"----=_Part_{num('tmb', stem, lo=10**5, hi=10**6)}"
        if lang == "ja":
            lead = ("メッセージを配信できませんでした。\n"
                    "以下の宛先への配信中にエラーが発生しました。\n\n")
            sv = ew("メッセージを配信できません。", "iso-2022-jp", "B")
            tpart = text(lead + f"Sent <<< RCPT TO:<{person.addr}>\n"
                                f"Received >>> 550 5.1.1 <{person.addr}>... User unknown\n\n"
                                f"Unable to deliver message to <{person.addr}>.\n",
                         charset="iso-2022-jp", cte="7bit")
        else:
            sv = "Mail could not be delivered"
            tpart = text("The message could not be delivered to the following recipient.\n\n"
                         f"Sent <<< RCPT TO:<{person.addr}>\n"
                         f"Received >>> 550 5.1.1 <{person.addr}>... User unknown\n\n"
                         f"Unable to deliver message to <{person.addr}>.\n")
        body = multipart("mixed", [tpart, message_part(o.full(remote=(host, "198.51.100.160")))],
                         b)
        hs = [("Return-Path", "<>"),
              ("Received", f"from {host} (unknown [127.0.0.1])\n\tby {host} (Postfix) with ESMTP id {hexup('tmq', stem, n=10)}\n\tfor <{o.verp}>; {bw.rfc(540)}"),
              ("Date", bw.rfc(540)),
              ("From", f"\"InterScan MSS\" <postmaster@{host}>"),
              ("To", o.verp),
              ("Subject", sv),
              ("Message-ID", f"<{h40('tmm', stem, n=24)}@{host}>"),
              ("MIME-Version", "1.0"),
              ("X-TM-AS-Product-Ver", "IMSS-9.1.0.1960-9.0.0.1002-27532.006"),
              ("X-TM-AS-Result", "No--0.000-5.0-31-10"),
              ("X-TMASE-Version", "IMSS-9.1.0.1960-9.0.1002-27532.006")]
        REG.add(stem, "delivery_report", f"Trend Micro InterScan MSS ({lang})",
                "Sisimai Lhost::InterScanMSS (\"InterScan MSS\" sender, 'Sent <<< RCPT TO', "
                "Japanese subject 'メッセージを配信できません。')", mail(hs, body), cites=o.id,
                crlf=(lang == "ja"))



# ======================================================== other servers ===

@system
def lotus():
    p = PEOPLE
    # Domino: 'DELIVERY FAILURE: ...' subject, text 'Your message ... was not delivered to: ... because:'
    person = p["claudia"]
    host = "dominohub.beispiel.example"
    w = When(2300)
    o = orig_for(person, w)
    bw = w.plus(5)
    b = f"=_mixed {hexup('dmb', n=16)}_="
    note = ("Your message\n\n"
            f"  Subject: {o.subject}\n\n"
            "was not delivered to:\n\n"
            f"  {person.addr}\n\n"
            "because:\n\n"
            f"  User {person.name} ({person.addr}) not listed in Domino Directory\n")
    body = multipart("mixed", [text(note), message_part(o.full(remote=(host, "198.51.100.170")))], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ([10.11.12.13])\n\tby {host} (Lotus Domino Release 9.0.1FP10)\n\twith ESMTP id {bw.t:%Y%m%d%H%M%S}-{num('dmi', lo=10**5, hi=10**6)} ;\n\t{bw.rfc(60)}"),
          ("Subject", f"DELIVERY FAILURE: User {person.name} ({person.addr}) not listed in Domino Directory"),
          ("To", o.verp),
          ("From", f"Mail Router <postmaster@beispiel.example>"),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<OF{hexup('dmm', n=8)}.{hexup('dmm2', n=8)}-ON{hexup('dmm3', n=8)}.{hexup('dmm4', n=8)}@beispiel.example>"),
          ("X-MIMETrack", f"Serialize by Router on {host.split('.')[0]}/Beispiel(Release 9.0.1FP10|January 31, 2018) at\n {bw.t:%d.%m.%Y %H:%M:%S}"),
          ("MIME-Version", "1.0"),
          ("Auto-Submitted", "auto-replied")]
    REG.add("domino_delivery_failure", "delivery_report", "IBM Domino 9 (DELIVERY FAILURE)",
            "Sisimai Lhost::Domino ('DELIVERY FAILURE:' subject, 'was not delivered to:', "
            "'not listed in Domino Directory')", mail(hs, body), cites=o.id)

    # Domino 'Delivery Failure Report' as multipart/report with an HTML-ish text part
    person = p["jonas"]
    host = "notes01.firma.example"
    w = When(2330)
    o = orig_for(person, w)
    bw = w.plus(5)
    note = ("Delivery Failure Report\n\n"
            f"Your document:     {o.subject}\n"
            f"was not delivered to:     {person.addr}\n"
            "because:     Router: No route found to domain firma.example from server NOTES01/Firma. "
            "Check Server, Connection and Domain documents in Domino Directory.\n\n"
            "What should you do?\n"
            "   * Check that the address is correct and resend the message.\n"
            "   * If the problem continues, contact your Help Desk.\n")
    per = [f"Reporting-MTA: dns;{host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822;{person.addr}", "Action: failed", "Status: 5.4.4",
          "Diagnostic-Code: X-Notes; Router: No route found to domain firma.example from server NOTES01/Firma"]
    body = report([text(note, charset="us-ascii"), raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "198.51.100.171")), ctype="text/rfc822-headers")],
                  f"=_related {hexup('dfr', n=16)}_=")
    hs = [("Return-Path", "<>"),
          ("Subject", ew(f"DELIVERY FAILURE: Router: No route found to domain firma.example", "iso-8859-1", "Q")),
          ("To", o.verp),
          ("From", "Mail Delivery Subsystem <MAILER-DAEMON@notes01.firma.example>"),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<OF{hexup('dfm', n=8)}.{hexup('dfm2', n=8)}@firma.example>"),
          ("X-MIMETrack", f"Serialize by Router on NOTES01/Firma(Release 10.0.1|November 29, 2018) at {bw.t:%d.%m.%Y %H:%M:%S}"),
          ("MIME-Version", "1.0")]
    REG.add("domino_delivery_failure_report", "delivery_report",
            "HCL Domino 10 (Delivery Failure Report, multipart/report)",
            "Domino 'Delivery Failure Report' memo form + RFC 3464 (Sisimai Lhost::Domino)",
            mail(hs, body), cites=o.id, crlf=True)

    # Lotus Notes R5: 'Undeliverable message', Failure Reasons / Returned Message
    person = p["mette"]
    host = "notesgw.firma-dk.example"
    w = When(2360)
    o = orig_for(person, w)
    bw = w.plus(10)
    body = ("------- Failure Reasons  --------\n\n"
            "User not listed in public Name & Address Book\n"
            f"{person.addr}\n\n\n"
            "------- Returned Message --------\n"
            + o.full(remote=(host, "198.51.100.172")).decode())
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} by {host} (Lotus SMTP MTA v4.6.7) with SMTP id C1256B5A.{hexup('nq', n=8)};\n {bw.rfc(60)}"),
          ("From", f"Postmaster <postmaster@firma-dk.example>"),
          ("To", o.verp),
          ("Subject", "Undeliverable message"),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<C1256B5A.{hexup('nm', n=8)}.00@{host}>"),
          ("X-Lotus-FromDomain", "FIRMA-DK"),
          ("MIME-Version", "1.0"),
          ("Content-type", "text/plain; charset=us-ascii")]
    REG.add("lotus_notes_undeliverable_message", "delivery_report", "Lotus Notes R5 SMTP MTA",
            "Sisimai Lhost::Notes ('Undeliverable message', '------- Failure Reasons', "
            "'------- Returned Message --------')", mail(hs, body=body), cites=o.id)


@system
def groupwise():
    p = PEOPLE
    # GroupWise Internet Agent: delivery-status nested in multipart/mixed
    person = p["erik"]
    host = "gwia.foretag.example"
    w = When(2400)
    o = orig_for(person, w)
    bw = w.plus(12)
    b = f"=__Part{hexup('gwb', n=8)}.0__="
    note = ("The message that you sent was undeliverable to the following:\n"
            f"\t{person.addr} (user not found)\n\n"
            "Possibly truncated original message follows:\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.1.1",
          "Diagnostic-Code: X-GroupWise; user not found"]
    body = multipart("mixed", [text(note, charset="US-ASCII", cte="7bit", disposition="inline"),
                               raw_part("message/delivery-status", dsn(per, [rc])),
                               message_part(o.full(remote=(host, "198.51.100.180")))], b,
                     preamble="This is a MIME message. If you are reading this text, you may want to \n"
                              "consider changing to a mail reader or gateway that understands how to \n"
                              "properly handle MIME multipart messages.")
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ([10.5.5.5])\n\tby {host}; {bw.rfc(60)}"),
          ("Message-Id", f"<{hexup('gwm', n=8)}.{num('gwm2', lo=100, hi=999)}.{num('gwm3', lo=100, hi=999)}.0@{host}>"),
          ("X-Mailer", "Novell GroupWise Internet Agent 8.0.3"),
          ("Date", bw.rfc(60)),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("Subject", "Message status - undeliverable"),
          ("Mime-Version", "1.0")]
    REG.add("groupwise_gwia_undeliverable", "delivery_report",
            "Novell GroupWise 8 GWIA (delivery-status inside multipart/mixed)",
            "flufl.bounce groupwise (multipart/mixed + X-Mailer Novell GroupWise Internet Agent); "
            "RFC 3464 fields", mail(hs, body), cites=o.id)

    # GroupWise 2014: multipart/alternative text+html inside multipart/mixed, then delivery-status
    person = p["aino"]
    host = "gw2014.yritys.example"
    w = When(2430)
    o = orig_for(person, w)
    bw = w.plus(15)
    note = (f"Message could not be delivered to {person.addr}.\n\n"
            "Reason: Mailbox is full\n")
    alt = multipart("alternative", [text(note), text(f"<html><body><p>Message could not be delivered to "
                                                    f"<b>{person.addr}</b>.</p><p>Reason: Mailbox is full</p>"
                                                    "</body></html>\n", ctype="text/html")],
                    f"=__Part{hexup('gw2a', n=8)}.1__=")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(120)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.2.2",
          "Diagnostic-Code: smtp; 552 5.2.2 Mailbox is full"]
    body = multipart("mixed", [alt, raw_part("message/delivery-status", dsn(per, [rc])),
                               message_part(o.headers_only(remote=(host, "198.51.100.181")),
                                            ctype="text/rfc822-headers")],
                     f"=__Part{hexup('gw2b', n=8)}.0__=")
    hs = [("Return-Path", "<>"),
          ("Message-Id", f"<{hexup('gw2m', n=8)}.{num('gw2', lo=100, hi=999)}@{host}>"),
          ("X-Mailer", "GroupWise Internet Agent 14.2.2"),
          ("Date", bw.rfc(120)),
          ("From", f"Mail Delivery System <Mailer-Daemon@{host}>"),
          ("To", o.verp),
          ("Subject", subj(f"Undeliverable: {o.subject}")),
          ("Mime-Version", "1.0")]
    REG.add("groupwise2014_alternative_nested", "delivery_report",
            "GroupWise 2014 (alternative + delivery-status in multipart/mixed)",
            "flufl.bounce groupwise + RFC 3464 fields (GroupWise GWIA status messages)",
            mail(hs, body), cites=o.id, crlf=True)


@system
def servers():
    p = PEOPLE
    # Zimbra (Postfix-based MTA, Zimbra headers)
    postfix_bounce("zimbra_postfix_bounce", p["piotr"], 2460, "zimbra.firma-pl.example", None,
                   "5.1.1", "smtp; 550 5.1.1 <p.nowak@firma-pl.example>: Recipient address rejected: "
                   "firma-pl.example", "mx.firma-pl.example",
                   system="Zimbra 9 (Postfix MTA)",
                   extra_headers=[("X-Virus-Scanned", "amavisd-new at zimbra.firma-pl.example"),
                                  ("X-Spam-Flag", "NO"), ("X-Spam-Score", "-2.9")],
                   notice=postfix_notice("zimbra.firma-pl.example") +
                   "\n<p.nowak@firma-pl.example>: host mx.firma-pl.example[198.51.100.190] said: 550\n"
                   "    5.1.1 <p.nowak@firma-pl.example>: Recipient address rejected:\n"
                   "    firma-pl.example (in reply to RCPT TO command)\n",
                   accepted_by=("zimbra.firma-pl.example", "198.51.100.191"),
                   based_on=POSTFIX_BASED + "; Zimbra MTA is Postfix + amavisd (Zimbra admin guide)")

    # Kerio Connect
    person = p["piotr"]
    host = "kerio.example.net"
    w = When(2490)
    o = orig_for(person, w)
    bw = w.plus(30)
    note = ("Your message did not reach some or all of the intended recipients.\n\n"
            f"   Sent: {w.rfc(60)}\n"
            f"   Subject: {o.subject}\n\n"
            "The following recipient(s) could not be reached:\n\n"
            f"{person.addr}\n"
            "   Error Type: SMTP\n"
            f"   Remote server (198.51.100.192) issued an error.\n"
            f"   hop count exceeded - possible mail loop\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(60)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.4.6",
          "Diagnostic-Code: smtp; 554 5.4.6 Hop count exceeded - possible mail loop"]
    body = report([text(note, charset="utf-8", cte="quoted-printable"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.full(remote=(host, "198.51.100.193")))],
                  f"------------{h40('kb', n=24)}")
    hs = [("Return-Path", "<>"),
          ("X-Kerio-Anti-Spam", "Build: [Engines: 2.16.3.1430, Stamp: 3], Multi: [Enabled, t: (0.000010,0.005100)], total: 0(700)"),
          ("Received", f"from {host} by {host} (Kerio Connect 10.0.2);\n\t{bw.rfc(60)}"),
          ("From", f"\"Mail Delivery Subsystem\" <MAILER-DAEMON@{host}>"),
          ("To", o.verp),
          ("Subject", subj(f"Undeliverable: {o.subject}")),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<dsn-{h40('km', n=16)}@{host}>"),
          ("MIME-Version", "1.0"),
          ("Auto-Submitted", "auto-replied")]
    REG.add("kerio_connect_undeliverable", "delivery_report", "Kerio Connect 10",
            "RFC 3464 DSN + Kerio Connect admin guide (DSN sent by the server, X-Kerio-Anti-Spam); "
            "flufl.bounce simplematch 'could not be reached' / 'Error Type'", mail(hs, body), cites=o.id)

    # MDaemon (plain text, X-MDDSN-Message)
    for stem, person, minutes, kind in [("mdaemon_permanent_failure", p["ana"], 2520, "perm"),
                                        ("mdaemon_delivery_delayed", p["giulia"], 2550, "temp")]:
        host = "mail.empresa-br.example" if kind == "perm" else "mail.azienda.example"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(3 if kind == "perm" else 4 * 3600)
        bar = "-" * 74
        if kind == "perm":
            head = ("The attached message had PERMANENT fatal delivery errors.\n\n"
                    "After one or more unsuccessful delivery attempts the attached message has\n"
                    "been removed from the MDaemon mail queue on this server.  How often and how\n"
                    "long delivery is tried depends on the local configuration.\n\n"
                    f"{bar}\nYOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS\n{bar}\n\n")
            sv = "Permanent Delivery Failure"
            resp = f"<-- 550 5.1.1 <{person.addr}>: Recipient address rejected: User unknown"
        else:
            head = ("The attached message has not yet been delivered to one or more of its\n"
                    "recipients. MDaemon will keep trying. You do not need to resend it.\n\n"
                    f"{bar}\nYOUR MESSAGE HAS BEEN DELAYED\n{bar}\n\n")
            sv = "Warning: Temporary Delivery Failure"
            resp = "<-- 451 4.7.1 Please try again later"
        txt = (f"{bar}\nMDaemon Delivery Status Notification - https://www.mdaemon.example/dsn/\n{bar}\n\n"
               + head +
               "--- Session Transcript ---\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: Parsing message <{host}\\pd5000{num('md', stem, lo=10**5, hi=10**6)}.msg>\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: *  From: {o.verp}\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: *  To: {person.addr}\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: *  Subject: {o.subject}\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: *  Message-ID: <{o.id}>\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: --> RCPT To:<{person.addr}>\n"
               f" {bw.t:%a %Y-%m-%d %H:%M:%S}: {resp}\n"
               "--- End Transcript ---\n")
        b = f"=_{h40('mdb', stem, n=24)}"
        body = multipart("mixed", [text(txt, charset="iso-8859-1"),
                                   message_part(o.full(remote=(host, "198.51.100.200")))], b)
        hs = [("Return-Path", "<>"),
              ("Received", f"from {host} by {host} (MDaemon PRO v23.5.1)\n\twith ESMTP id md5000{num('mdr', stem, lo=10**6, hi=10**7)}.msg\n\tfor <{o.verp}>; {bw.rfc(60)}"),
              ("Date", bw.rfc(60)),
              ("From", f"MDaemon@{host}"),
              ("To", o.verp),
              ("Subject", sv),
              ("Message-ID", f"<MDAEMON{num('mdm', stem, lo=10**7, hi=10**8)}{bw.t:%Y%m%d%H%M}.AA{num('mdm2', stem, lo=10**6, hi=10**7)}@{host}>"),
              ("Mime-Version", "1.0"),
              ("X-Actual-From", f"MDaemon@{host}"),
              ("X-MDDSN-Message", "Yes"),
              ("X-Return-Path", "<>"),
              ("X-MDaemon-Deliver-To", o.verp)]
        REG.add(stem, "delivery_report", f"MDaemon 23 ({'permanent' if kind == 'perm' else 'delay'})",
                "MDaemon DSN text ('MDaemon Delivery Status Notification', 'PERMANENT fatal delivery "
                "errors', X-MDDSN-Message) as quoted in public bounce-parser tests",
                mail(hs, body), cites=o.id)

    # Ipswitch IMail
    person = p["lucas"]
    host = "imail.example.test"
    w = When(2580)
    o = orig_for(person, w)
    bw = w.plus(4)
    body = ("Body of message generated response:\n\n"
            f"Unknown user: {person.addr}\n\n"
            "Original message follows.\n\n"
            + o.full(remote=(host, "198.51.100.210")).decode())
    hs = [("Return-Path", "<>"),
          ("Received", f"from [127.0.0.1] by {host}\n  (IMail 12.5.8 3306-1) id {hexup('imq', n=8)}; {bw.rfc(60)}"),
          ("Date", bw.rfc(60)),
          ("From", f"\"Internet Mail Delivery\" <postmaster@{host}>"),
          ("To", o.verp),
          ("Subject", f"Undeliverable Mail"),
          ("Message-ID", f"<{hexup('imm', n=8)}.{num('imm', lo=100, hi=999)}@{host}>"),
          ("X-Mailer", "<SMTP32 v8.22>"),
          ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=\"us-ascii\"")]
    REG.add("imail_undeliverable", "delivery_report", "Ipswitch IMail Server",
            "Sisimai Lhost::IMailServer ('Undeliverable Mail', X-Mailer <SMTP32 v...>, "
            "'Original message follows.')", mail(hs, body=body), cites=o.id, crlf=True)

    # CommuniGate Pro
    person = p["emre"]
    host = "cgp.sirket.example"
    w = When(2610)
    o = orig_for(person, w)
    bw = w.plus(6)
    note = (f"Failed to deliver to '<{person.addr}>'\n"
            f"LOCAL module(account {person.local}) reports:\n"
            " account is full (quota exceeded)\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(180)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.2.2",
          "Diagnostic-Code: X-CommuniGate; account is full (quota exceeded)"]
    body = report([text(note, charset="utf-8", cte="8bit"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "198.51.100.220")),
                                ctype="text/rfc822-headers")],
                  f"_===={num('cgb', lo=10**6, hi=10**7)}===={host}===_")
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ([10.9.9.9] verified)\n  by {host} (CommuniGate Pro SMTP 6.3.14)\n  with SMTP id {num('cgr', lo=10**7, hi=10**8)} for {o.verp}; {bw.rfc(180)}"),
          ("Date", bw.rfc(180)),
          ("From", f"MAILER-DAEMON@{host}"),
          ("Subject", subj(f"Undeliverable mail: {o.subject}", "iso-8859-1", "Q")),
          ("To", o.verp),
          ("Message-ID", f"<dsn-{num('cgm', lo=10**7, hi=10**8)}@{host}>"),
          ("X-Autogenerated", "Reply"),
          ("MIME-Version", "1.0")]
    REG.add("communigate_account_full", "delivery_report", "CommuniGate Pro 6.3",
            "CommuniGate Pro DSN ('Failed to deliver to', 'module ... reports', X-Autogenerated) "
            "+ RFC 3464", mail(hs, body), cites=o.id)

    # Sun Java System / Oracle Communications Messaging Server
    person = p["tom"]
    host = "ms1.example.net"
    w = When(2640)
    o = orig_for(person, w)
    bw = w.plus(2)
    b = f"Boundary_(ID_{base64.b64encode(bytes.fromhex(h40('smb', n=32))).decode()[:22]})"
    note = ("This report relates to a message you sent with the following header fields:\n\n"
            f"  Message-id: <{o.id}>\n"
            f"  Date: {o.date}\n"
            f"  From: {SUPPORT_NAME} <{SUPPORT_ADDR}>\n"
            f"  To: {person.name} <{person.addr}>\n"
            f"  Subject: {subj(o.subject)}\n\n"
            "Your message cannot be delivered to the following recipients:\n\n"
            f"  Recipient address: {person.addr}\n"
            "  Reason: Remote SMTP server has rejected address\n"
            f"  Diagnostic code: smtp;550 5.1.1 <{person.addr}>... User unknown\n"
            "  Remote system: dns;mx.example.net (TCP|198.51.100.230|47323|203.0.113.230|25) (mx.example.net ESMTP)\n")
    per = [f"Original-envelope-id: {hexup('smenv', n=16)}@{host}",
           f"Reporting-MTA: dns;{host} (tcp_intranet-daemon)",
           f"Arrival-date: {w.plus(1).rfc(-420, comment='MST')}"]
    rc = [f"Original-recipient: rfc822;{person.addr}", f"Final-recipient: rfc822;{person.addr}",
          "Action: failed", "Status: 5.1.1 (Remote SMTP server has rejected address)",
          "Remote-MTA: dns;mx.example.net (TCP|198.51.100.230|47323|203.0.113.230|25)\n (mx.example.net ESMTP)",
          f"Diagnostic-code: smtp;550 5.1.1 <{person.addr}>... User unknown"]
    body = report([text(note, charset="us-ascii", extra=[("Content-language", "en-US")]),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "198.51.100.231")),
                                ctype="text/rfc822-headers")], b)
    hs = [("Return-path", "<>"),
          ("Received", f"from {host} by {host}\n (Oracle Communications Messaging Server 8.1.0.1.20200527 64bit (built May 27 2020))\n id <0S{hexup('smr', n=10)}@{host}>; {bw.rfc(-420, comment='MST')}"),
          ("Date", bw.rfc(-420, comment="MST")),
          ("From", f"Internet Mail Delivery <postmaster@{host}>"),
          ("Subject", "Delivery Notification: Delivery has failed"),
          ("To", o.verp),
          ("Message-id", f"<0S{hexup('smm', n=10)}@{host}>"),
          ("MIME-version", "1.0")]
    REG.add("oracle_messaging_server", "delivery_report",
            "Sun/Oracle Communications Messaging Server 8",
            "Sisimai Lhost::MessagingServer (Boundary_(ID_..., 'Delivery Notification:', 'This report "
            "relates to a message you sent')", mail(hs, body), cites=o.id)

    # Apache James
    person = p["mark"]
    host = "james.example.org"
    w = When(2670)
    o = orig_for(person, w)
    bw = w.plus(3)
    note = (f"Hi. This is the James mail server at {host}.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.  Below\n"
            "I include the list of recipients and the reason why I was unable to deliver\n"
            "your message.\n\n"
            "Failed recipient(s):\n"
            f"{person.addr}\n\n"
            "Error message below:\n"
            "550 - Requested action not taken: no such user here\n\n"
            "Message details:\n"
            f"  Subject: {o.subject}\n"
            f"  Sent date: {w.ctime(60)}\n"
            f"  MAIL FROM: {o.verp}\n"
            f"  RCPT TO: {person.addr}\n"
            f"  From: {SUPPORT_NAME} <{SUPPORT_ADDR}>\n"
            f"  To: {person.addr}\n"
            "  Size (in bytes): 2871\n"
            "  Number of lines: 62\n")
    b = f"----=_Part_{num('jmb', lo=100, hi=999)}_{num('jmb2', lo=10**8, hi=10**9)}.{bw.epoch()}000"
    body = multipart("mixed", [text(note), message_part(o.full(remote=(host, "198.51.100.240")))], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"from {host} ([127.0.0.1])\n          by {host} (JAMES SMTP Server 2.3.2) with SMTP ID {num('jmr', lo=100, hi=999)}\n          for <{o.verp}>;\n          {bw.rfc(60)}"),
          ("Date", bw.rfc(60)),
          ("From", f"postmaster@{host}"),
          ("To", o.verp),
          ("Message-ID", f"<{num('jmm', lo=10**7, hi=10**8)}.{num('jmm2', lo=10**9, hi=10**10)}.JavaMail.root@{host}>"),
          ("Subject", "[BOUNCE]"),
          ("MIME-Version", "1.0")]
    REG.add("apache_james_bounce", "delivery_report", "Apache James 2.3",
            "Sisimai Lhost::ApacheJames ('[BOUNCE]', JavaMail Message-ID, 'Error message below:', "
            "'Message details:')", mail(hs, body), cites=o.id)



# ============================================================= regional ===

UI_BASED = ("Sisimai Lhost::GMX / Lhost::EinsUndEins ('This message was created automatically by "
            "mail delivery software', '--- The header of the original message is following. ---', "
            "X-GMX-Antispam / X-UI-Out-Filterresults)")


@system
def united_internet():
    p = PEOPLE
    specs = [("gmx_mail_delivery_failed", p["hannah"], 2700, "gmx.example", "GMX (United Internet)"),
             ("webde_mail_delivery_failed", p["claudia"], 2720, "web.example", "WEB.DE (United Internet)"),
             ("ionos_1und1_size_limit", p["jonas"], 2740, "kundenserver.example", "1&1 / IONOS (kundenserver)")]
    for stem, person, minutes, dom, sysname in specs:
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(2)
        if dom == "kundenserver.example":
            fail = (f"{person.addr}\n\n"
                    "For the following reason:\n\n"
                    "Mail size limit exceeded. For explanation visit\n"
                    "http://postmaster.1and1.example/en/error-messages?ip=%1s\n")
        else:
            fail = (f"\"{person.addr}\":\n"
                    "SMTP error from remote server for RCPT TO command, host: "
                    f"mx.{person.domain} (198.51.100.250) reason: 550 5.1.1 <{person.addr}>... "
                    "User unknown\n")
        body = ("This message was created automatically by mail delivery software.\n\n"
                "A message that you sent could not be delivered to one or more of\n"
                "its recipients. This is a permanent error. The following address\n"
                "failed:\n\n" + fail + "\n"
                "--- The header of the original message is following. ---\n\n"
                + o.headers_text(remote=(f"mout.{dom}", "203.0.113.120")))
        hs = [("Return-Path", "<>"),
              ("Envelope-To", f"<{o.verp}>"),
              ("Received", f"from mout.{dom} ([10.1.76.{num('ui', stem, lo=2, hi=250)}]) by mrbounce.{dom}\n"
                           f" (mrgmx{num('ui2', stem, lo=100, hi=999)} [212.227.17.{num('ui3', stem, lo=2, hi=250)}]) "
                           f"id 1M{b36('uid', stem, n=12)}; {bw.rfc(60)}"),
              ("Date", bw.rfc(60)),
              ("From", f"\"Mail Delivery System\" <mailer-daemon@{dom}>"),
              ("To", o.verp),
              ("Subject", "Mail delivery failed: returning message to sender"),
              ("Message-ID", f"<{b36('uim', stem, n=24)}@mrbounce.{dom}>"),
              ("MIME-Version", "1.0"),
              ("Content-Type", "text/plain; charset=\"utf-8\""),
              ("Content-Transfer-Encoding", "quoted-printable"),
              ("Auto-Submitted", "auto-replied"),
              ("X-UI-Out-Filterresults", "unknown:0;")]
        if dom == "gmx.example":
            hs.insert(6, ("X-GMX-Antispam", "0 (Mail was not recognized as spam); Detail=V3;"))
            hs.insert(7, ("X-GMX-Antivirus", "0 (no virus found)"))
        REG.add(stem, "delivery_report", sysname, UI_BASED, mail(hs, body=qp(body)), cites=o.id,
                crlf=(dom == "web.example"))


RU_PREFACE = ("Это письмо создано автоматически\n"
              "сервером Mail.Ru, отвечать на него не\n"
              "нужно.\n\n"
              "К сожалению, Ваше письмо не может\n"
              "быть доставлено одному или нескольким\n"
              "получателям:\n\n"
              "**********************\n\n")


@system
def russian():
    p = PEOPLE
    # mail.ru: Exim-based, Russian preface; subject KOI8-R encoded word, body KOI8-R 8bit
    for stem, person, minutes, cs, mode in [("mailru_koi8r", p["olga"], 2800, "koi8-r", "B"),
                                            ("mailru_utf8_qp", p["olga"], 2830, "utf-8", "Q")]:
        host = f"fallback{num('mr', stem, lo=1, hi=20)}.mailru.example"
        w = When(minutes)
        o = orig_for(person, w)
        bw = w.plus(2)
        eid = exim_id("mailru", stem)
        body = (RU_PREFACE +
                "This message was created automatically by mail delivery software.\n\n"
                "A message that you sent could not be delivered to one or more of its\n"
                "recipients. This is a permanent error. The following address(es) failed:\n\n"
                f"  {person.addr}\n"
                f"    SMTP error from remote mail server after RCPT TO:<{person.addr}>:\n"
                f"    host mx.{person.domain} [198.51.100.33]: 550 5.1.1 <{person.addr}>: user not found\n\n"
                "------ This is a copy of the message, including all the headers. ------\n\n"
                + o.full(remote=(host, "203.0.113.130")).decode())
        if cs == "koi8-r":
            payload = body.encode("koi8-r")
            cte = "8bit"
        else:
            payload = qp(body).encode()
            cte = "quoted-printable"
        hs = [("Return-path", "<>"),
              ("Received", f"from mail by {host} with local (envelope-from <>)\n\tid {eid}\n\tfor {o.verp}; {bw.rfc(180)}"),
              ("X-Failed-Recipients", person.addr),
              ("From", f"Mail Delivery System <MAILER-DAEMON@{host}>"),
              ("To", o.verp),
              ("Subject", ew("Недоставленное сообщение", cs, mode)),
              ("Message-Id", f"<E{eid}@{host}>"),
              ("Date", bw.rfc(180)),
              ("MIME-Version", "1.0"),
              ("Content-Type", f"text/plain; charset={charset_label(cs)}"),
              ("Content-Transfer-Encoding", cte),
              ("Auto-Submitted", "auto-replied")]
        REG.add(stem, "delivery_report", f"Mail.Ru (Exim, Russian subject {charset_label(cs)} {mode})",
                "Sisimai Lhost::MailRu (Russian preface, Exim body, Message-Id @*.mail.ru)",
                mail(hs, body=payload), cites=o.id)

    # Yandex: multipart/report, Russian first then English
    person = p["olga"]
    host = "mail-notify.yandex.example"
    w = When(2860)
    o = orig_for(person, w)
    bw = w.plus(3)
    note = ("Это сообщение сгенерировано автоматически сервером Яндекс.Почты.\n\n"
            "К сожалению, ваше письмо не может быть доставлено одному или нескольким\n"
            "получателям. Ошибка постоянная.\n\n"
            f"<{person.addr}>: ящик получателя переполнен.\n\n"
            "This is the mail system at host " + host + ".\n\n"
            "Your message could not be delivered to one or more recipients.\n\n"
            f"<{person.addr}>: host mx.{person.domain}[198.51.100.34] said: 552 5.2.2\n"
            "    Mailbox size limit exceeded (in reply to RCPT TO command)\n")
    per = [f"Reporting-MTA: dns; {host}", f"Arrival-Date: {w.plus(1).rfc(180)}"]
    rc = [f"Final-Recipient: rfc822; {person.addr}", "Action: failed", "Status: 5.2.2",
          f"Remote-MTA: dns; mx.{person.domain}",
          "Diagnostic-Code: smtp; 552 5.2.2 Mailbox size limit exceeded"]
    body = report([text(note, charset="utf-8", cte="base64"),
                   raw_part("message/delivery-status", dsn(per, [rc])),
                   message_part(o.headers_only(remote=(host, "203.0.113.131")), ctype="text/rfc822-headers")],
                  f"{hexup('yxb', n=10)}.{bw.epoch()}/{host}")
    hs = [("Return-Path", "<>"),
          ("Received", f"by {host} (Yandex)\n\tid {hexup('yxq', n=10)}; {bw.rfc(180, comment='MSK')}"),
          ("Date", bw.rfc(180, comment="MSK")),
          ("From", f"mailer-daemon@yandex.example"),
          ("Subject", ew("Недоставленное сообщение", "utf-8", "B")),
          ("To", o.verp),
          ("Auto-Submitted", "auto-replied"),
          ("MIME-Version", "1.0"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M%S}.{hexup('yxq', n=10)}@{host}>")]
    REG.add("yandex_mailbox_full", "delivery_report", "Yandex Mail (Russian + English, base64 text)",
            "Sisimai Lhost::Yandex + RFC 3464 (Russian notice text, Postfix-style detail)",
            mail(hs, body), cites=o.id)


@system
def japanese():
    p = PEOPLE
    # au by KDDI: 'Your mail sent on: ... Could not be delivered to: <...>'
    person = P("山田 花子", "hanako.yamada@ezweb.example")
    w = When(2900)
    n = REG.next_n()
    o = Original(n, person.name, person.addr, "Password reset for the ERP account", w)
    bw = w.plus(1)
    note = (f"Your mail sent on: {w.rfc(540)}\n"
            f"     Could not be delivered to: <{person.addr}>\n"
            "     As their mailbox is full.\n")
    b = f"{num('kb', lo=10**8, hi=10**9)}/mx.ezweb.example"
    body = multipart("mixed", [text(note, charset="us-ascii"),
                               message_part(o.full(remote=("mx.ezweb.example", "203.0.113.140")))], b)
    hs = [("Return-Path", "<>"),
          ("Received", f"from ezweb.example (mx.ezweb.example [203.0.113.140])\n\tby {TICKETD_MTA} (Postfix) with ESMTP id {hexup('kr', n=10)}\n\tfor <{o.verp}>; {bw.rfc(540)}"),
          ("Received", f"from mx.ezweb.example (ezweb.example (203.0.113.141))\n\tby mx.ezweb.example (au.example (KDDI)) with ESMTP id <{num('kq', lo=10**13, hi=10**14)}@mx.ezweb.example>; {bw.rfc(540)}"),
          ("Date", bw.rfc(540)),
          ("From", "no-reply@app.ezweb.example"),
          ("To", o.verp),
          ("Subject", ew("メール配信エラー", "iso-2022-jp", "B")),
          ("Message-ID", f"<{num('km', lo=10**13, hi=10**14)}.{num('km2', lo=1000, hi=9999)}@mx.ezweb.example>"),
          ("MIME-Version", "1.0")]
    REG.add("kddi_au_mailbox_full", "delivery_report", "au by KDDI (ezweb, ISO-2022-JP subject)",
            "Sisimai Lhost::KDDI ('Your mail sent on:', 'Could not be delivered to:', ezweb Received)",
            mail(hs, body), cites=o.id, crlf=True)

    # BIGLOBE: iso-2022-jp text, Returned mail
    person = P("佐藤 一郎", "ichiro.sato@biglobe-user.example")
    w = When(2930)
    n = REG.next_n()
    o = Original(n, person.name, person.addr, "VPN drops every 10 minutes", w)
    bw = w.plus(2)
    note = ("このメールは送信エラーのお知らせです。\n\n"
            "   ----- The following addresses had delivery problems -----\n"
            f"{person.addr}\n\n"
            "   ----- Non-delivered information -----\n"
            "The number of messages in recipient's mailbox exceeded the local limit.\n")
    b = f"----_Biglobe{num('bgb', lo=100000, hi=999999)}/{num('bgb2', lo=10000, hi=99999)}.biglobe.example"
    body = multipart("mixed", [text(note, charset="iso-2022-jp"),
                               message_part(o.full(remote=("mail.biglobe.example", "203.0.113.145")))], b,
                     preamble="This is a MIME-encapsulated message.")
    hs = [("Return-Path", "<>"),
          ("Date", bw.rfc(540)),
          ("From", "postmaster@biglobe.example"),
          ("To", o.verp),
          ("Subject", "Returned mail: Delivery failed"),
          ("Message-Id", f"<{bw.t:%Y%m%d%H%M%S}.{num('bgm', lo=10**5, hi=10**6)}@mail.biglobe.example>"),
          ("Mime-Version", "1.0"),
          ("X-Mailer", "BIGLOBE Mail Gateway")]
    REG.add("biglobe_returned_mail", "delivery_report", "BIGLOBE (iso-2022-jp text)",
            "Sisimai Lhost::Biglobe ('Returned mail:', '----- The following addresses had delivery "
            "problems -----', '----- Non-delivered information -----')", mail(hs, body), cites=o.id)


@system
def mailing_list_robots():
    p = PEOPLE
    # FML: 'NOT MEMBER article from ...'
    w = When(2960)
    n = REG.next_n()
    o = Original(n, "営業部", "eigyo@ml.kaisha.example", "Request: second monitor", w)
    bw = w.plus(2)
    body = ("You are not a member of this mailing list <eigyo@ml.kaisha.example>.\n\n"
            "If you know the general guide of this list, please send mail with the mail body\n\n"
            "\tguide\n\nto the address\n\n\teigyo-ctl@ml.kaisha.example\n\n"
            "where guide is equal to GUIDE for case insensitive.\n\n"
            "Original mail as follows:\n\n"
            + o.full(remote=("ml.kaisha.example", "203.0.113.150")).decode())
    hs = [("Return-Path", "<eigyo-admin@ml.kaisha.example>"),
          ("Date", bw.rfc(540)),
          ("From", "eigyo-admin@ml.kaisha.example"),
          ("Subject", f"NOT MEMBER article from {SUPPORT_ADDR}"),
          ("To", SUPPORT_ADDR),
          ("Message-Id", f"<{bw.t:%Y%m%d}{bw.t:%H%M%S}.FML{num('fml', lo=10000, hi=99999)}@ml.kaisha.example>"),
          ("X-MLServer", "fml [fml 4.0.3 release (20011202/4.0.3)]; post only (only members can post)"),
          ("X-ML-Info", "If you have a question, send e-mail with the body\n\t\"help\" (without quotes) to the address eigyo-ctl@ml.kaisha.example;\n\thelp=<mailto:eigyo-ctl@ml.kaisha.example?body=help>"),
          ("Mime-Version", "1.0"),
          ("Content-Type", "text/plain; charset=us-ascii")]
    REG.add("fml_not_member", "delivery_report", "fml 4.0 (list rejects non-member post)",
            "Sisimai Lhost::FML (X-MLServer, From *-admin@, 'NOT MEMBER article from', "
            "'Original mail as follows:')", mail(hs, body=body), cites=o.id)

    # Mailman 2.1: post rejected, sent from the -bounces address
    w = When(2990)
    n = REG.next_n()
    o = Original(n, "Facilities", "facilities@lists.example.org", "Badge reader at entrance B broken", w)
    bw = w.plus(2)
    b = f"==============={num('mmb', lo=10**18, hi=10**19)}=="
    note = ("Your message to Facilities with the subject\n\n"
            f"    {o.subject}\n\n"
            "was rejected by the list moderator, or automatically, for the\n"
            "following reason:\n\n"
            "    Non-members are not allowed to post to this list.\n\n"
            "Any questions or comments should be directed to the list administrator\nat:\n\n"
            "    facilities-owner@lists.example.org\n")
    body = multipart("mixed", [text(note, charset="us-ascii"),
                               message_part(o.full(remote=("lists.example.org", "203.0.113.155")))], b)
    hs = [("Return-Path", "<facilities-bounces@lists.example.org>"),
          ("Subject", f"Your message to Facilities rejected"),
          ("From", "facilities-owner@lists.example.org"),
          ("To", SUPPORT_ADDR),
          ("Message-ID", f"<mailman.{num('mmm', lo=100, hi=999)}.{bw.epoch()}.{num('mmm2', lo=1000, hi=9999)}.facilities@lists.example.org>"),
          ("Date", bw.rfc(60)),
          ("Precedence", "bulk"),
          ("X-BeenThere", "facilities@lists.example.org"),
          ("X-Mailman-Version", "2.1.39"),
          ("X-List-Administrivia", "yes"),
          ("Errors-To", "facilities-bounces@lists.example.org"),
          ("Sender", "\"Facilities\" <facilities-bounces@lists.example.org>"),
          ("MIME-Version", "1.0")]
    REG.add("mailman_post_rejected", "delivery_report", "Mailman 2.1 (post rejected, from -owner/-bounces)",
            "Mailman 2.1 reject notice (Mailman/Handlers/Hold.py texts; X-List-Administrivia, "
            "Sender -bounces)", mail(hs, body), cites=o.id)

    # Mailman 2.1: held for moderation (not a failure: a list robot's notice)
    w = When(3000)
    n = REG.next_n()
    o = Original(n, "IT Announce", "it-announce@lists.example.org", "Mailbox almost full", w)
    bw = w.plus(2)
    body = ("Your mail to 'IT-Announce' with the subject\n\n"
            f"    {o.subject}\n\n"
            "Is being held until the list moderator can review it for approval.\n\n"
            "The reason it is being held:\n\n"
            "    Post by non-member to a members-only list\n\n"
            "Either the message will get posted to the list, or you will receive\n"
            "notification of the moderator's decision.  If you would like to cancel\n"
            "this posting, please visit the following URL:\n\n"
            f"    https://lists.example.org/mailman/confirm/it-announce/{h40('mmc', n=40)}\n\n")
    hs = [("Return-Path", "<it-announce-bounces@lists.example.org>"),
          ("Subject", "Your message to IT-Announce awaits moderator approval"),
          ("From", "it-announce-bounces@lists.example.org"),
          ("To", SUPPORT_ADDR),
          ("Message-ID", f"<mailman.{num('mhm', lo=100, hi=999)}.{bw.epoch()}.{num('mhm2', lo=1000, hi=9999)}.it-announce@lists.example.org>"),
          ("Date", bw.rfc(60)),
          ("Precedence", "bulk"),
          ("X-BeenThere", "it-announce@lists.example.org"),
          ("X-Mailman-Version", "2.1.39"),
          ("X-List-Administrivia", "yes"),
          ("Errors-To", "it-announce-bounces@lists.example.org"),
          ("Sender", "\"IT-Announce\" <it-announce-bounces@lists.example.org>"),
          ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=\"us-ascii\""),
          ("Content-Transfer-Encoding", "7bit")]
    REG.add("mailman_held_for_moderation", "auto_generated", "Mailman 2.1 (held for moderation, -bounces sender)",
            "Mailman 2.1 hold notice (Mailman/Handlers/Hold.py 'awaits moderator approval'; "
            "X-List-Administrivia, Precedence: bulk)", mail(hs, body=body))



# ========================================================== auto-replies ===

OOF_TEXT = {
    "en": ("Automatic reply: ", "Thank you for your message. I am out of the office until {back} with "
           "limited access to email. For urgent matters please contact {alt}."),
    "de": ("Automatische Antwort: ", "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich {back} "
           "nicht im Büro und lese meine E-Mails nur eingeschränkt. In dringenden Fällen wenden Sie "
           "sich bitte an {alt}."),
    "fr": ("Réponse automatique : ", "Bonjour, je suis absente du bureau jusqu'au {back} inclus. "
           "Pour toute urgence, merci de contacter {alt}. Cordialement"),
    "es": ("Respuesta automática: ", "Gracias por su mensaje. Estoy fuera de la oficina hasta el "
           "{back}. Para asuntos urgentes, póngase en contacto con {alt}."),
    "it": ("Risposta automatica: ", "Grazie per il messaggio. Sono fuori ufficio fino al {back} "
           "compreso. Per urgenze contattare {alt}."),
    "nl": ("Automatisch antwoord: ", "Bedankt voor uw bericht. Ik ben afwezig tot en met {back}. "
           "Voor dringende zaken kunt u contact opnemen met {alt}."),
    "pt": ("Resposta automática: ", "Obrigada pela sua mensagem. Estou fora do escritório até "
           "{back}. Para assuntos urgentes, entre em contato com {alt}."),
    "ja": ("自動応答: ", "お問い合わせありがとうございます。{back}まで不在にしております。"
           "お急ぎの場合は{alt}までご連絡ください。"),
    "sv": ("Autosvar: ", "Tack för ditt meddelande. Jag är tjänstledig till och med {back}. "
           "Vid brådskande ärenden, kontakta {alt}."),
    "da": ("Automatisk svar: ", "Tak for din mail. Jeg er på ferie til og med {back}. "
           "I hastende tilfælde kan du kontakte {alt}."),
    "pl": ("Odpowiedź automatyczna: ", "Dziękuję za wiadomość. Jestem poza biurem do {back}. "
           "W pilnych sprawach proszę o kontakt z {alt}."),
    "fi": ("Automaattinen vastaus: ", "Kiitos viestistäsi. Olen lomalla {back} asti. "
           "Kiireellisissä asioissa ota yhteyttä: {alt}."),
    "zh": ("自动回复: ", "您好，我在{back}之前休假，期间无法及时回复邮件。如有急事请联系{alt}。"),
    "ru": ("Автоматический ответ: ", "Спасибо за письмо. Я в отпуске до {back}. "
           "По срочным вопросам обращайтесь к {alt}."),
    "tr": ("Otomatik yanıt: ", "Mesajınız için teşekkürler. {back} tarihine kadar ofis dışındayım. "
           "Acil durumlarda lütfen {alt} ile iletişime geçin."),
}

EXCH_OOF_BASED = ("MS-OXCMAIL (X-Auto-Response-Suppress, Thread-Index) + RFC 3834 Auto-Submitted; "
                  "Exchange OOF subject prefixes as listed in public OOF-detection notes "
                  "(jitbit, arp242 'How to detect automatically generated emails')")


def ack_to(person, when):
    """A ticketd acknowledgement sent to person, which an auto-reply answers."""
    return orig_for(person, when)


def exchange_oof(stem, person, minutes, lang, charset, mode="B", headers="2016", alt=None,
                 back="15.03.2024", crlf=True, html=True, html_only=False):
    prefix, tmpl = OOF_TEXT[lang]
    w = When(minutes)
    o = ack_to(person, w)
    bw = w.plus(40)
    dom = person.domain
    host = f"EX{num('exh', stem, lo=1, hi=9)}.{dom}" if headers != "o365" else \
        f"AM{num('amh', stem, lo=1, hi=9)}PR0{num('amh2', stem, lo=1, hi=9)}MB{num('amh3', stem, lo=1000, hi=9999)}.eurprd0{num('eu', stem, lo=1, hi=9)}.prod.outlook.example"
    body_txt = tmpl.format(back=back, alt=alt or f"servicedesk@{dom}")
    sv_text = prefix + o.subject
    if lang == "en" and mode != "force":
        sv = subj(sv_text)
    else:
        sv = ew(sv_text, charset, "B" if mode == "force" else mode)
    tcs = "utf-8" if charset in ("iso-2022-jp", "gb2312", "koi8-r") else charset
    plain = text(body_txt + "\n", charset=tcs, cte="quoted-printable" if tcs != "us-ascii" else "7bit")
    parts = [plain]
    if html:
        hbody = ("<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset="
                 f"{tcs}\">\n</head>\n<body dir=\"ltr\">\n<p>{body_txt}</p>\n</body>\n</html>\n")
        parts.append(text(hbody, ctype="text/html", charset=tcs,
                          cte="quoted-printable" if tcs != "us-ascii" else "7bit"))
    body = multipart("alternative", parts, f"_000_{h40('oofb', stem, n=40)}_") if html else plain
    if html_only:
        body = parts[1]
    hs = [("Received", f"from {host} ({'::1' if headers == 'o365' else '10.0.0.' + str(num('oi', stem, lo=2, hi=250))}) by\n {host} with Microsoft SMTP Server"
                       f" (version=TLS1_2,\n cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.{'20' if headers == 'o365' else '1'}.{num('ov', stem, lo=1000, hi=9999)}.{num('ov2', stem, lo=10, hi=99)}; {bw.rfc(60)}"),
          ("From", addr(person.name, person.addr)),
          ("To", addr(SUPPORT_NAME, SUPPORT_ADDR)),
          ("Subject", sv),
          ("Thread-Topic", subj(o.subject)),
          ("Thread-Index", thread_index("oof", stem)),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<{h40('oofm', stem, n=32)}@{host}>"),
          ("In-Reply-To", f"<{o.id}>"),
          ("References", f"<{o.id}>"),
          ("Accept-Language", f"{OOF_LANG_TAGS[lang]}, en-US"),
          ("Content-Language", OOF_LANG_TAGS[lang]),
          ("X-MS-Has-Attach", ""),
          ("X-MS-Exchange-Organization-SCL", "-1"),
          ("X-MS-TNEF-Correlator", "")]
    if headers == "2007":
        hs.append(("X-Auto-Response-Suppress", "All"))
    if headers in ("2010", "2016", "o365"):
        hs.append(("X-MS-Exchange-Organization-RecordReviewCfmType", "0"))
        hs.append(("Auto-Submitted", "auto-generated"))
        hs.append(("X-Auto-Response-Suppress", "All"))
    if headers == "o365":
        hs += [("x-ms-exchange-parent-message-id", f"<{o.id}>"),
               ("x-ms-exchange-transport-fromentityheader", "Hosted"),
               ("X-MS-Exchange-CrossTenant-Id", guid("oof-tenant", dom)),
               ("X-MS-Exchange-CrossTenant-OriginalArrivalTime", f"{bw.t:%d %b %Y %H:%M:%S}.1234 (UTC)"),
               ("X-MS-Exchange-Transport-CrossTenantHeadersStamped", host.split(".")[0])]
    hs.append(("MIME-Version", "1.0"))
    REG.add(stem, "auto_reply", f"Exchange {'Online' if headers == 'o365' else headers} OOF ({lang})", EXCH_OOF_BASED, mail(hs, body),
            crlf=crlf)


OOF_LANG_TAGS = {"en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT",
                 "nl": "nl-NL", "pt": "pt-BR", "ja": "ja-JP", "sv": "sv-SE", "da": "da-DK",
                 "pl": "pl-PL", "fi": "fi-FI", "zh": "zh-CN", "ru": "ru-RU", "tr": "tr-TR"}


@system
def exchange_oofs():
    p = PEOPLE
    exchange_oof("oof_exchange_en", p["rachel"], 3100, "en", "us-ascii", headers="2016",
                 back="March 15")
    exchange_oof("oof_exchange_de_automatische_antwort", p["jonas"], 3120, "de", "iso-8859-1", "Q")
    exchange_oof("oof_exchange_fr_reponse_automatique", p["elodie"], 3140, "fr", "iso-8859-1", "Q",
                 back="15 mars")
    exchange_oof("oof_o365_es_respuesta_automatica", p["javier"], 3160, "es", "utf-8", "B",
                 headers="o365", back="15 de marzo")
    exchange_oof("oof_o365_it_risposta_automatica", p["giulia"], 3180, "it", "utf-8", "force",
                 headers="o365", back="15 marzo")
    exchange_oof("oof_exchange_nl_automatisch_antwoord", p["sven"], 3200, "nl", "us-ascii",
                 headers="2010", back="15 maart")
    exchange_oof("oof_o365_pt_resposta_automatica", p["ana"], 3220, "pt", "iso-8859-1", "Q",
                 headers="o365", back="15 de março")
    exchange_oof("oof_exchange_ja_jidou_outou", p["kenji"], 3240, "ja", "iso-2022-jp", "B",
                 back="3月15日")
    exchange_oof("oof_o365_sv_autosvar", p["erik"], 3260, "sv", "iso-8859-1", "Q", headers="o365",
                 back="15 mars")
    exchange_oof("oof_exchange_da_automatisk_svar", p["mette"], 3280, "da", "utf-8", "Q",
                 headers="2007", back="15. marts")
    exchange_oof("oof_o365_en_html_only", p["david"], 3390, "en", "us-ascii", headers="o365",
                 back="March 18", html_only=True)
    exchange_oof("oof_o365_pl_odpowiedz_automatyczna", p["piotr"], 3300, "pl", "iso-8859-2", "Q",
                 headers="o365", back="15 marca")
    exchange_oof("oof_exchange_fi_automaattinen_vastaus", p["aino"], 3320, "fi", "utf-8", "B",
                 back="15.3.")
    exchange_oof("oof_o365_zh_zidong_huifu", p["wei"], 3340, "zh", "gb2312", "B", headers="o365",
                 back="3月15日")
    exchange_oof("oof_exchange_ru_avtomaticheskiy_otvet", p["olga"], 3360, "ru", "koi8-r", "B",
                 back="15 марта")
    exchange_oof("oof_o365_tr_otomatik_yanit", p["emre"], 3380, "tr", "utf-8", "B", headers="o365",
                 back="15 Mart")

    # Exchange 2003: 'Out of Office AutoReply:' and no Auto-Submitted at all
    person = p["david"]
    w = When(3400)
    o = ack_to(person, w)
    bw = w.plus(20)
    host = "EXCH03.example.net"
    body = text(f"I am out of the office until Monday, March 11. I will respond to your message when "
                f"I return.\n\nDavid Okafor\n", charset="iso-8859-1")
    hs = [("Received", f"from {host.lower()} ([10.2.2.2]) by {host.lower()} with Microsoft SMTPSVC(6.0.3790.4675);\n\t {bw.rfc(-300)}"),
          ("Content-class", "urn:content-classes:message"),
          ("Subject", subj(f"Out of Office AutoReply: {o.subject}", "iso-8859-1", "Q")),
          ("MIME-Version", "1.0"),
          ("X-MimeOLE", "Produced By Microsoft Exchange V6.5"),
          ("Date", bw.rfc(-300)),
          ("Message-ID", f"<{hexup('e3m', n=8)}{num('e3m', lo=10**5, hi=10**6)}@{host.lower()}>"),
          ("X-MS-Has-Attach", ""),
          ("X-MS-TNEF-Correlator", ""),
          ("Thread-Topic", subj(o.subject, "iso-8859-1", "Q")),
          ("Thread-Index", thread_index("e3oof")),
          ("From", addr(person.name, person.addr, quote=True)),
          ("To", addr(SUPPORT_NAME, SUPPORT_ADDR))]
    REG.add("oof_exchange2003_out_of_office_autoreply", "auto_reply",
            "Exchange 2003 OOF (subject only, no Auto-Submitted)",
            "'Out of Office AutoReply:' subject of Exchange 2003 (multi_mail wiki 'Detecting "
            "autoresponders'; Exchange 2003 sets no RFC 3834 header)", mail(hs, body), crlf=True)


OUTLOOK_RULE_BASED = ("Outlook client rule 'reply using a specific template' (Microsoft support: "
                      "'Use rules to create an out of office message'): an ordinary Outlook "
                      "message, only the subject says what it is")


@system
def outlook_client_rules():
    p = PEOPLE
    specs = [
        ("oof_outlook_rule_out_of_office", p["mark"], 3420, "Out of Office", "en",
         "Hi,\n\nI'm out of the office this week with no access to email. I'll answer when I'm back "
         "on Monday.\n\nMark\n"),
        ("oof_outlook_rule_abwesenheitsnotiz", p["claudia"], 3440, "Abwesenheitsnotiz", "de",
         "Guten Tag,\n\nich bin vom 4. bis 8. März nicht erreichbar. Ihre Nachricht wird nicht "
         "weitergeleitet.\n\nMit freundlichen Grüßen\nClaudia Hoffmann\n"),
        ("oof_outlook_rule_absence_du_bureau", p["lucas"], 3460, "Absence du bureau", "fr",
         "Bonjour,\n\nJe suis actuellement en congé et je lirai votre message à mon retour le "
         "11 mars.\n\nLucas Moreau\n"),
        ("oof_outlook_rule_fuori_sede", p["giulia"], 3480, "Fuori sede", "it",
         "Buongiorno,\n\nsarò fuori sede fino all'11 marzo. Risponderò al mio rientro.\n\nGiulia\n"),
        ("oof_outlook_rule_automatic_reply_prefix", p["nina"], 3500, None, "en",
         "Thanks for your email. I'm on parental leave until April. Please contact my colleague "
         "for anything urgent.\n\nNina\n"),
        ("oof_outlook_rule_afwezig", p["sven"], 3520, "Afwezig tot 11 maart", "nl",
         "Goedemiddag,\n\nIk ben afwezig tot 11 maart. Uw e-mail wordt niet doorgestuurd.\n\n"
         "Met vriendelijke groet,\nSven de Vries\n"),
    ]
    for stem, person, minutes, subject_line, lang, body_txt in specs:
        w = When(minutes)
        o = ack_to(person, w)
        bw = w.plus(300)
        sv = subject_line if subject_line else "Automatic reply: " + o.subject
        cs = "us-ascii" if is_ascii(body_txt) else "iso-8859-1"
        plain = text(body_txt, charset=cs, cte="quoted-printable" if cs != "us-ascii" else "7bit")
        html = text("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
                    "<meta http-equiv=Content-Type content=\"text/html; charset=" + cs + "\">"
                    "<meta name=Generator content=\"Microsoft Word 15 (filtered medium)\"></head>"
                    "<body lang=" + OOF_LANG_TAGS[lang] + "><div class=WordSection1><p class=MsoNormal>"
                    + body_txt.replace("\n\n", "</p><p class=MsoNormal>").replace("\n", "<br>")
                    + "</p></div></body></html>\n", ctype="text/html", charset=cs,
                    cte="quoted-printable")
        body = multipart("alternative", [plain, html],
                         f"----=_NextPart_000_{hexup('olb', stem, n=4)}_01DA6E{hexup('olb2', stem, n=2)}.{hexup('olb3', stem, n=8)}",
                         preamble="This is a multipart message in MIME format.\n")
        hs = [("Return-Path", f"<{person.addr}>"),
              ("Received", f"from PC{num('pc', stem, lo=100, hi=999)} (pc.{person.domain} [198.51.100.{num('pci', stem, lo=2, hi=250)}])\n"
                           f"\tby smtp.{person.domain} (Postfix) with ESMTPSA id {hexup('olq', stem, n=10)}\n"
                           f"\tfor <{SUPPORT_ADDR}>; {bw.rfc(60)}"),
              ("From", addr(person.name, person.addr, quote=True)),
              ("To", f"<{SUPPORT_ADDR}>"),
              ("Subject", subj(sv, "iso-8859-1", "Q")),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<00{h40('olm', stem, n=2)}01da6e{h40('olm2', stem, n=2)}${h40('olm3', stem, n=8)}${h40('olm4', stem, n=8)}@{person.domain}>"),
              ("MIME-Version", "1.0"),
              ("X-Mailer", "Microsoft Outlook 16.0"),
              ("Thread-Index", thread_index("olr", stem)),
              ("Content-Language", OOF_LANG_TAGS[lang])]
        REG.add(stem, "auto_reply", f"Outlook client rule ({lang}, subject only)",
                OUTLOOK_RULE_BASED, mail(hs, body))



def simple_reply(stem, cls, system_name, based_on, person, minutes, subject_value, body_part,
                 extra_headers, to=None, msgid_host=None, received=None, crlf=False,
                 in_reply=True, delay=90, first=()):
    """A reply-shaped machine mail from person to ticketd."""
    w = When(minutes)
    o = ack_to(person, w)
    bw = w.plus(delay)
    sv = subject_value(o) if callable(subject_value) else subject_value
    if needs_ew(sv):
        sv = subj(sv)
    hs = list(first)
    if received:
        hs.append(("Received", received(bw)))
    hs += [("Date", bw.rfc(60)),
           ("From", addr(person.name, person.addr)),
           ("To", to(o) if callable(to) else (to or addr(SUPPORT_NAME, SUPPORT_ADDR))),
           ("Subject", sv),
           ("Message-ID", f"<{h40('srm', stem, n=20)}@{msgid_host or person.domain}>")]
    if in_reply:
        hs += [("In-Reply-To", f"<{o.id}>"), ("References", f"<{o.customer_id}> <{o.id}>")]
    hs += [(k, v(o) if callable(v) else v) for k, v in extra_headers]
    bp = body_part(o) if callable(body_part) else body_part
    REG.add(stem, cls, system_name, based_on, mail(hs, bp), crlf=crlf)


@system
def vacation_responders():
    p = PEOPLE
    # Gmail vacation responder: custom subject, and one keeping 'Re: original'
    for stem, person, minutes, sv in [
        ("gmail_vacation_custom_subject", p["sofia"], 3600, "Away until 18 March"),
        ("gmail_vacation_re_subject", p["laura"], 3620, None),
    ]:
        simple_reply(
            stem, "auto_reply", "Gmail vacation responder",
            "Gmail vacation responder headers (Auto-Submitted: auto-replied, Precedence: bulk, "
            "X-Autoreply: yes; multi_mail wiki 'Detecting autoresponders')",
            person, minutes, (lambda o, sv=sv: sv or "Re: " + o.subject),
            multipart("alternative",
                      [text(f"Hi,\n\nI'm travelling and will be back on 18 March. I'll reply then.\n\n{person.first}\n",
                            charset="UTF-8"),
                       text(f"<div dir=\"ltr\">Hi,<div><br></div><div>I'm travelling and will be back on 18 March. "
                            f"I'll reply then.</div><div><br></div><div>{person.first}</div></div>\n",
                            ctype="text/html", charset="UTF-8")],
                      f"000000000000{h40('gv', stem, n=12)}", ctype_fold=False),
            [("MIME-Version", "1.0"), ("Auto-Submitted", "auto-replied"), ("Precedence", "bulk"),
             ("X-Autoreply", "yes"),
             ("X-Google-Smtp-Source", base64.b64encode(bytes.fromhex(h40('gvs', stem, n=60))).decode())],
            to=lambda o: o.reply_to, msgid_host="mail.gmail.example",
            received=lambda bw, stem=stem: f"by 2002:a05:6402:{h40('gvr', stem, n=4)} with HTTP; {bw.rfc(-480, zero=True, comment='PST')}")

    # Yahoo vacation response
    person = p["tom"]
    simple_reply("yahoo_vacation_response", "auto_reply", "Yahoo Mail vacation response",
                 "RFC 3834 Auto-Submitted: auto-replied + Yahoo X-YMail-OSG headers "
                 "(Yahoo help 'Set up a vacation response')",
                 person, 3640, lambda o: "Re: " + o.subject,
                 text("I am on holiday until 15 March and will read your message when I return.\n"),
                 [("MIME-Version", "1.0"), ("Auto-Submitted", "auto-replied"),
                  ("X-YMail-OSG", b36("yvo", n=50)), ("X-Mailer", "WebService/1.1.22077 YMailNorrin")],
                 msgid_host="mail.yahoo.example")

    # Zimbra OOO
    person = p["piotr"]
    simple_reply("zimbra_out_of_office", "auto_reply", "Zimbra out-of-office",
                 "Zimbra OOO notice (Auto-Submitted: auto-replied (zimbra; vacation); Zimbra admin "
                 "guide 'Out of Office Reply')",
                 person, 3660, ew("Nieobecność w biurze", "utf-8", "Q"),
                 text("Dzień dobry,\n\njestem na urlopie do 15 marca. W pilnych sprawach proszę "
                      "pisać na biuro@firma-pl.example.\n\nPiotr Nowak\n", charset="utf-8",
                      cte="quoted-printable"),
                 [("MIME-Version", "1.0"), ("Auto-Submitted", "auto-replied (zimbra; vacation)"),
                  ("X-Mailer", "Zimbra 9.0.0_GA_4546 (zclient/9.0.0_GA_4546)"),
                  ("Thread-Index", lambda o: thread_index("zimbra")),
                  ("Thread-Topic", lambda o: subj(o.subject))],
                 msgid_host="zimbra.firma-pl.example")

    # Sieve vacation (Pigeonhole, RFC 5230): default subject 'Auto: <original>'
    for stem, person, minutes, body_txt, cs in [
        ("sieve_vacation_auto_subject", p["hannah"], 3680,
         "Hallo,\n\nich bin bis zum 15. März im Urlaub. Ihre Mail wird nicht weitergeleitet.\n\n"
         "Viele Grüße\nHannah Schulz\n", "utf-8"),
        ("sieve_vacation_to_envelope_sender", p["lucas"], 3700,
         "Bonjour,\n\nje suis en vacances jusqu'au 15 mars.\n\nLucas\n", "utf-8"),
    ]:
        simple_reply(stem, "auto_reply", "Sieve vacation (Dovecot Pigeonhole)",
                     "RFC 5230 Sieve vacation ('Auto: ' subject, reply to the envelope sender) + "
                     "RFC 3834 Auto-Submitted: auto-replied (vacation)",
                     person, minutes, lambda o: subj("Auto: " + o.subject),
                     text(body_txt, charset=cs, cte="quoted-printable"),
                     [("Auto-Submitted", "auto-replied (vacation)"), ("Precedence", "bulk"),
                      ("MIME-Version", "1.0")],
                     to=lambda o: f"<{o.verp}>", msgid_host=f"mail.{person.domain}",
                     received=lambda bw, person=person: f"by mail.{person.domain} (Pigeonhole 0.5.19) id {h40('pg', person.addr, n=14)}; {bw.rfc(60)}",
                     first=[("Return-Path", "<>")])

    # BSD/Debian vacation(1): Precedence: bulk, no Auto-Submitted in old versions
    person = p["mark"]
    simple_reply("vacation1_precedence_junk", "auto_reply", "vacation(1) (Precedence: junk)",
                 "vacation(1) man page (reply once per week, Precedence: junk) - Debian "
                 "vacation 3.3",
                 person, 3720, "away from my mail",
                 text("I will not be reading my mail for a while.\n"
                      "Your mail concerning your ticket will be read when I'm back.\n"),
                 [("Precedence", "junk"), ("X-Mailer", "vacation 3.3.2")],
                 to=lambda o: o.verp, in_reply=False, msgid_host="shell.example.org",
                 first=[("Return-Path", f"<{person.addr}>")])

    # procmail autoresponder with X-Loop and X-Autoreply
    person = p["david"]
    simple_reply("procmail_autoresponder", "auto_reply", "procmail formail autoresponder",
                 "procmailex(5) autoreply recipe (formail -rt, X-Loop) with X-Autoreply / "
                 "Precedence: auto_reply",
                 person, 3740, lambda o: "Re: " + o.subject,
                 text("This is an automatic reply. I am away until 12 March.\n"),
                 [("X-Loop", person.addr), ("Precedence", "auto_reply"), ("X-Autoreply", "yes")],
                 to=lambda o: o.reply_to, msgid_host="mail.example.net")

    # cPanel / BoxTrapper autoresponder
    person = p["rachel"]
    simple_reply("cpanel_autoresponder", "auto_reply", "cPanel autoresponder",
                 "cPanel autoresponder headers (X-Autorespond, Precedence: auto_reply, "
                 "X-Precedence: auto_reply; multi_mail wiki)",
                 person, 3760, "Thank you for contacting us",
                 text("We have received your email and will get back to you within 2 business days.\n"),
                 [("MIME-Version", "1.0"), ("X-Autorespond", "Thank you for contacting us"),
                  ("Precedence", "auto_reply"), ("X-Precedence", "auto_reply")],
                 msgid_host="server12.hosting.example")

    # CommuniGate Pro autoreply: X-Autogenerated: Reply
    person = p["emre"]
    simple_reply("communigate_autoreply", "auto_reply", "CommuniGate Pro auto-reply",
                 "CommuniGate Pro rules 'Reply with' (X-Autogenerated: Reply; multi_mail wiki)",
                 person, 3780, lambda o: "Re: " + o.subject,
                 text("Merhaba,\n\n18 Mart'a kadar izindeyim.\n\nEmre\n", charset="utf-8"),
                 [("X-Autogenerated", "Reply"), ("MIME-Version", "1.0")],
                 msgid_host="cgp.sirket.example")

    # Lotus Notes OOF (modern, with Auto-Submitted) and German 'Abwesenheitsnotiz' (older, none)
    person = p["mette"]
    simple_reply("notes_is_out_of_the_office", "auto_reply", "Lotus Notes 9 out-of-office",
                 "Notes/Domino OOF agent ('<name> is out of the office.' subject; Auto-Submitted: "
                 "auto-replied since Domino 8.5)",
                 person, 3800, lambda o: f"{person.name} is out of the office.",
                 text(f"I will be out of the office starting  04.03.2024 and will not return until "
                      f"15.03.2024.\n\nI will respond to your message when I return.\n"),
                 [("Auto-Submitted", "auto-replied"), ("X-Mailer", "IBM Notes Release 9.0.1FP10 SHF68 June 11, 2018"),
                  ("X-MIMETrack", "Serialize by Router on notes01/Firma-DK(Release 9.0.1FP10|June 11, 2018)"),
                  ("MIME-Version", "1.0"), ("X-Lotus-FromDomain", "FIRMA-DK")],
                 msgid_host="firma-dk.example", in_reply=False)
    person = p["claudia"]
    simple_reply("notes_abwesenheitsnotiz", "auto_reply", "Lotus Notes 8 Abwesenheitsnotiz (subject only)",
                 "Notes OOF agent, German template ('Abwesenheitsnotiz: <subject>'); older Notes "
                 "sets no RFC 3834 header",
                 person, 3820, lambda o: ew("Abwesenheitsnotiz: " + o.subject, "iso-8859-1", "Q"),
                 text("Ich werde ab  04.03.2024 nicht im Büro sein. Ich kehre zurück am\n15.03.2024.\n\n"
                      "In dringenden Fällen wenden Sie sich bitte an meine Vertretung.\n",
                      charset="iso-8859-1", cte="quoted-printable"),
                 [("X-Mailer", "Lotus Notes Release 8.5.3 September 15, 2011"),
                  ("X-MIMETrack", "Serialize by Router on NOTES02/Beispiel(Release 8.5.3FP6|November 21, 2013)"),
                  ("MIME-Version", "1.0")],
                 msgid_host="beispiel.example", in_reply=False)

    # GroupWise auto-reply rule
    person = p["aino"]
    simple_reply("groupwise_auto_reply", "auto_reply", "GroupWise 18 auto-reply rule",
                 "GroupWise vacation rule (X-Mailer GroupWise, Auto-Submitted: auto-replied; "
                 "Micro Focus GroupWise client guide 'Vacation Rule')",
                 person, 3840, ew("Poissa / Out of office", "iso-8859-1", "Q"),
                 text("Olen lomalla 15.3. asti. I am on holiday until 15 March.\n", charset="iso-8859-1",
                      cte="quoted-printable"),
                 [("X-Mailer", "GroupWise Internet Agent 18.2.1"), ("Auto-Submitted", "auto-replied"),
                  ("Mime-Version", "1.0")],
                 msgid_host="gw.yritys.example")

    # iCloud Mail vacation
    person = P("Olivia Grant", "olivia.grant@icloud.example")
    simple_reply("icloud_vacation", "auto_reply", "Apple iCloud Mail vacation reply",
                 "iCloud Mail 'Automatically reply to messages' (Auto-Submitted: auto-replied; "
                 "Apple support 'Set up an automatic reply in Mail on iCloud.com')",
                 person, 3860, lambda o: "Re: " + o.subject,
                 text("Hi! I'm on vacation until March 18th with limited access to email.\n"),
                 [("MIME-Version", "1.0"), ("Auto-Submitted", "auto-replied"),
                  ("X-Proofpoint-ORIG-GUID", b36("icg", n=32)),
                  ("X-Apple-Action", "vacation")],
                 msgid_host="icloud.example", to=lambda o: o.reply_to)



# ================================================ other help desks' acks ===

@system
def helpdesk_acks():
    specs = [
        dict(stem="zendesk_request_received", system="Zendesk acknowledgement",
             based_on="Zendesk default 'Notify requester of received request' trigger "
                      "(X-Mailer: Zendesk Mailer, '##- Please type your reply above this line -##')",
             frm=("Acme Support", "support@acme.zendesk.example"),
             subject=lambda o: f"[Acme] Re: {o.subject}",
             body="##- Please type your reply above this line -##\n\n"
                  "Your request (48213) has been received and is being reviewed by our support staff.\n\n"
                  "To add additional comments, reply to this email.\n",
             headers=[("X-Mailer", "Zendesk Mailer"), ("Auto-Submitted", "auto-generated"),
                      ("X-Auto-Response-Suppress", "All"),
                      ("X-Zendesk-From-Account-Id", "a1b2c3d"), ("X-Zendesk-Email-Id", "01HQZ8K3M4N5P6Q7R8S9T0V1W2")]),
        dict(stem="freshdesk_ticket_received", system="Freshdesk acknowledgement",
             based_on="Freshdesk 'New Ticket Created' requester notification (Freshdesk support: "
                      "email notifications) + RFC 3834 Auto-Submitted",
             frm=("Globex Helpdesk", "support@globex.freshdesk.example"),
             subject=lambda o: f"Ticket Received - {o.subject}",
             body="Dear Example IT Support,\n\nWe would like to acknowledge that we have received "
                  "your request and a ticket has been created with Ticket ID - 7312.\n"
                  "A support representative will be reviewing your request and will send you a "
                  "personal response (usually within 24 hours).\n\nThank you for your patience.\n\n"
                  "Sincerely,\nGlobex Support Team\n",
             headers=[("Auto-Submitted", "auto-generated"), ("X-Auto-Response-Suppress", "All"),
                      ("X-FD-Email-Type", "ticket_created")]),
        dict(stem="osticket_autoreply", system="osTicket auto-response",
             based_on="osTicket class.mailer.php autoreply headers (Precedence: auto_reply, "
                      "X-Autoreply: yes, X-Auto-Response-Suppress, Auto-Submitted: auto-replied)",
             frm=("Initech Support", "help@initech.example"),
             subject=lambda o: f"Support Ticket Opened [#104233]",
             body=lambda o: f"Example IT Support,\n\nA request for support has been created and "
                            f"assigned #104233. A representative will follow-up with you as soon as "
                            f"possible.\n\nYou can view this ticket's progress online here: "
                            f"https://help.initech.example/view.php?t=104233\n\n"
                            f"If you wish to provide additional comments or information regarding "
                            f"the issue, please reply to this email.\n",
             headers=[("Precedence", "auto_reply"), ("X-Autoreply", "yes"),
                      ("X-Auto-Response-Suppress", "DR, RN, OOF, AutoReply"),
                      ("Auto-Submitted", "auto-replied"), ("X-Mailer", "osTicket Mailer")]),
        dict(stem="rt_autoreply", system="Request Tracker (RT 5) AutoReply",
             based_on="RT scrip 'On Create Autoreply To Requestors' (RT-Ticket, Managed-BY, "
                      "Precedence: bulk, X-RT-Loop-Prevention)",
             frm=("Umbrella IT via RT", "it@umbrella.example"),
             subject=lambda o: f"[umbrella.example #87012] AutoReply: {o.subject}",
             body=lambda o: f"Greetings,\n\nThis message has been automatically generated in response "
                            f"to the creation of a trouble ticket regarding:\n\t\"{o.subject}\",\n"
                            f"a summary of which appears below.\n\nThere is no need to reply to this "
                            f"message right now.  Your ticket has been assigned an ID of "
                            f"[umbrella.example #87012].\n\nPlease include the string:\n\n"
                            f"         [umbrella.example #87012]\n\nin the subject line of all future "
                            f"correspondence about this issue.\n\nThank you,\nit@umbrella.example\n",
             headers=[("RT-Ticket", "umbrella.example #87012"),
                      ("Managed-BY", "RT 5.0.5 (http://www.bestpractical.com/rt/)"),
                      ("RT-Originator", SUPPORT_ADDR), ("Precedence", "bulk"),
                      ("X-RT-Loop-Prevention", "umbrella.example"), ("Auto-Submitted", "auto-replied"),
                      ("X-RT-Ticket", "umbrella.example #87012")]),
        dict(stem="jira_service_management_ack", system="Jira Service Management acknowledgement",
             based_on="Jira Service Management customer notification 'Request created' "
                      "(X-JIRA-FingerPrint, Auto-Submitted: auto-generated, Precedence: bulk)",
             frm=("Wayne IT Service Desk", "jira@wayne.atlassian.example"),
             subject=lambda o: f"ITSD-5521 {o.subject}",
             body="Reply above this line.\n\nYour request has been received. We'll get back to you "
                  "soon.\n\nView request · Turn off this request's notifications\n\n"
                  "This is shared with Example IT Support.\n\nPowered by Jira Service Management\n",
             headers=[("Auto-Submitted", "auto-generated"), ("Precedence", "bulk"),
                      ("X-JIRA-FingerPrint", "3b5f1c0d2e8a4b6c9d7e1f2a3b4c5d6e")]),
        dict(stem="zammad_auto_reply", system="Zammad auto reply",
             based_on="Zammad Channel::EmailBuild auto-response headers (X-Loop: yes, Precedence: bulk, "
                      "Auto-Submitted: auto-generated, X-Auto-Response-Suppress: All)",
             frm=("Stark Support", "support@stark.example"),
             subject=lambda o: f"Thanks for your inquiry ({o.subject}) [Ticket#31005]",
             body="Your request (31005) has been received and will be reviewed by our support staff.\n\n"
                  "To provide additional information, please reply to this email.\n\n"
                  "Your Stark Support Team\n",
             headers=[("X-Loop", "yes"), ("Precedence", "bulk"), ("Auto-Submitted", "auto-generated"),
                      ("X-Auto-Response-Suppress", "All"), ("X-Mailer", "Zammad Mail Service")]),
        dict(stem="otrs_znuny_auto_reply", system="OTRS/Znuny auto reply",
             based_on="OTRS/Znuny Kernel::System::Email auto response headers (X-Loop, "
                      "Auto-Submitted: auto-replied, X-OTRS-* / Precedence)",
             frm=("Cyberdyne Servicedesk", "servicedesk@cyberdyne.example"),
             subject=lambda o: f"[Ticket#2024030410000123] RE: {o.subject}",
             body="Sehr geehrte Damen und Herren,\n\nIhre E-Mail ist bei uns eingegangen und wurde unter "
                  "der Ticketnummer 2024030410000123 erfasst. Wir melden uns in Kürze.\n\n"
                  "Ihr Cyberdyne Servicedesk\n",
             headers=[("X-Loop", "yes"), ("Precedence", "bulk"), ("Auto-Submitted", "auto-replied"),
                      ("X-Mailer", "Znuny Mail Service (6.5.x)"), ("X-Powered-By", "Znuny")]),
        dict(stem="servicenow_incident_opened", system="ServiceNow acknowledgement",
             based_on="ServiceNow inbound action reply 'Incident opened on your behalf' "
                      "(Auto-Submitted: auto-generated, Precedence: bulk - as in Zammad corpus mail089)",
             frm=("Soylent IT", "soylent@service-now.example"),
             subject=lambda o: "Incident INC0091234 has been opened on your behalf",
             body="Your incident has been opened on your behalf.\n\nShort description: Printer on "
                  "floor 3 is jammed\nClick here to view Incident: INC0091234\n\nRef:MSG4410298\n",
             headers=[("Auto-Submitted", "auto-generated"), ("Precedence", "bulk"),
                      ("X-ServiceNow-Generated", "true"), ("X-ServiceNow-Source", "Notification-1f2e3d")]),
        dict(stem="noreply_ack_sender_only", system="web shop 'we got your message' (no-reply sender only)",
             based_on="no-reply acknowledgement with no RFC 3834 header (jitbit 'Email filtering in "
                      "Jitbit': From contains noreply)",
             frm=("Vandelay Industries", "no-reply@vandelay.example"),
             subject=lambda o: "We have received your message",
             body="Hello,\n\nthank you for contacting Vandelay Industries. This mailbox is not "
                  "monitored. Our team will answer your message within 3 business days.\n",
             headers=[("X-Mailer", "PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)")]),
    ]
    for i, s in enumerate(specs):
        frm_name, frm_addr = s["frm"]
        person = P(frm_name, frm_addr)
        body = s["body"]
        simple_reply(s["stem"], "auto_reply", s["system"], s["based_on"], person, 3900 + 20 * i,
                     lambda o, s=s: subj(s["subject"](o)),
                     lambda o, body=body: text(body(o) if callable(body) else body,
                                               charset="utf-8", cte="quoted-printable"),
                     [("MIME-Version", "1.0")] + s["headers"],
                     to=lambda o: addr(SUPPORT_NAME, o.reply_to),
                     msgid_host=frm_addr.split("@")[1], in_reply=(i % 3 != 2))


# ===================================================== auto_generated ===

@system
def notifications():
    w = When(4100)
    specs = []
    # cron (cronie)
    specs.append(("cron_job_output", "cron job output (cronie)",
                  "cronie do_command.c mail headers (X-Cron-Env, Auto-Submitted: auto-generated, "
                  "Precedence: bulk)",
                  [("From", "\"(Cron Daemon)\" <root@backup01.example.com>"),
                   ("To", SUPPORT_ADDR),
                   ("Subject", "Cron <root@backup01> /usr/local/sbin/nightly-backup.sh"),
                   ("MIME-Version", "1.0"),
                   ("Content-Type", "text/plain; charset=UTF-8"),
                   ("Content-Transfer-Encoding", "8bit"),
                   ("Auto-Submitted", "auto-generated"),
                   ("Precedence", "bulk"),
                   ("X-Cron-Env", "<XDG_SESSION_ID=4711>"),
                   ("X-Cron-Env", "<SHELL=/bin/sh>"),
                   ("X-Cron-Env", "<HOME=/root>"),
                   ("X-Cron-Env", "<LOGNAME=root>")],
                  "rsync: [sender] link_stat \"/srv/share/scans\" failed: No such file or directory (2)\n"
                  "rsync error: some files/attrs were not transferred (see previous errors) (code 23)\n"))
    # Nagios/Icinga alert, no RFC 3834 header
    specs.append(("nagios_service_alert", "Nagios/Icinga notification",
                  "Nagios notify-service-by-email command (printf | mail), no RFC 3834 header",
                  [("From", "nagios@monitor.example.org"),
                   ("To", SUPPORT_ADDR),
                   ("Subject", "** PROBLEM Service Alert: mail01/SMTP is CRITICAL **"),
                   ("MIME-Version", "1.0"),
                   ("Content-Type", "text/plain; charset=us-ascii")],
                  "***** Nagios *****\n\nNotification Type: PROBLEM\n\nService: SMTP\nHost: mail01\n"
                  "Address: 192.0.2.25\nState: CRITICAL\n\nDate/Time: Mon Mar 4 10:15:00 CET 2024\n\n"
                  "Additional Info:\n\nconnect to address 192.0.2.25 and port 25: Connection refused\n"))
    # Account security alert from a no-reply sender
    specs.append(("noreply_security_alert", "no-reply security notification",
                  "no-reply sender notification (RFC 2142 role addresses; jitbit filter list)",
                  [("From", "Example Accounts <no-reply@accounts.example.com>"),
                   ("To", SUPPORT_ADDR),
                   ("Subject", "Security alert: new sign-in to your account"),
                   ("MIME-Version", "1.0"),
                   ("Content-Type", "text/plain; charset=UTF-8")],
                  "A new sign-in to your Example account support@support.example was detected on a "
                  "Linux device.\n\nIf this was you, you don't need to do anything. If not, we'll "
                  "help you secure your account.\n\nYou received this email to let you know about "
                  "important changes to your account and services.\n"))
    # Billing notification from donotreply, no headers
    specs.append(("donotreply_invoice_notification", "billing system (donotreply sender)",
                  "donotreply sender notification (jitbit / Zammad-style sender filters)",
                  [("From", "Billing <donotreply@billing.example.net>"),
                   ("To", SUPPORT_ADDR),
                   ("Subject", "Your invoice 2024-0312 is available"),
                   ("MIME-Version", "1.0"),
                   ("Content-Type", "text/plain; charset=UTF-8")],
                  "Dear customer,\n\nyour invoice 2024-0312 over EUR 1,249.00 is available in the "
                  "customer portal. Please do not reply to this email.\n"))
    # Password expiry notice from AD self-service with Auto-Submitted
    specs.append(("password_expiry_notice", "AD password expiry notice (Auto-Submitted)",
                  "RFC 3834 Auto-Submitted: auto-generated on a scheduled notification",
                  [("From", "IT Self Service <selfservice@example.com>"),
                   ("To", SUPPORT_ADDR),
                   ("Subject", "Your password expires in 5 days"),
                   ("Auto-Submitted", "auto-generated"),
                   ("X-Auto-Response-Suppress", "All"),
                   ("MIME-Version", "1.0"),
                   ("Content-Type", "text/plain; charset=UTF-8")],
                  "The password for support@support.example expires on 9 March 2024.\n"
                  "Change it at https://selfservice.example.com/.\n"))
    for i, (stem, sysname, based_on, hs, body) in enumerate(specs):
        bw = w.plus(600 * i)
        hs = [("Return-Path", f"<{'root@backup01.example.com' if stem.startswith('cron') else 'bounces@' + hs[0][1].split('@')[1].rstrip('>')}>"),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<{bw.t:%Y%m%d%H%M%S}.{h40('ntf', stem, n=12)}@{hs[0][1].split('@')[1].rstrip('>')}>")] + hs
        REG.add(stem, "auto_generated", sysname, based_on, mail(hs, body=body))

    # DMARC aggregate report (RFC 7489 7.2.1.1) with a gzip attachment
    import gzip
    bw = w.plus(4000)
    xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<feedback>\n  <report_metadata>\n"
           "    <org_name>mailbox.example</org_name>\n    <email>noreply-dmarc@mailbox.example</email>\n"
           "    <report_id>1709510400.4711</report_id>\n    <date_range><begin>1709424000</begin>"
           "<end>1709510399</end></date_range>\n  </report_metadata>\n  <policy_published>\n"
           "    <domain>support.example</domain><adkim>r</adkim><aspf>r</aspf><p>none</p>\n"
           "  </policy_published>\n  <record>\n    <row><source_ip>192.0.2.10</source_ip><count>42</count>"
           "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf>"
           "</policy_evaluated></row>\n    <identifiers><header_from>support.example</header_from>"
           "</identifiers>\n  </record>\n</feedback>\n").encode()
    gz = gzip.compress(xml, mtime=0)
    fname = "mailbox.example!support.example!1709424000!1709510399.xml.gz"
    b = f"----=_Part_{num('dmb', lo=10**6, hi=10**7)}"
    body = multipart("mixed", [
        text(f"This is an aggregate report from mailbox.example.\n\nReport domain: support.example\n"
             f"Submitter: mailbox.example\nReport-ID: 1709510400.4711\n"),
        raw_part(f'application/gzip; name="{fname}"', b64(gz), cte="base64",
                 extra=[("Content-Disposition", f'attachment; filename="{fname}"')])], b)
    hs = [("Return-Path", "<noreply-dmarc@mailbox.example>"),
          ("Date", bw.rfc(0)),
          ("From", "noreply-dmarc@mailbox.example"),
          ("To", "dmarc-reports@support.example"),
          ("Subject", "Report domain: support.example Submitter: mailbox.example Report-ID: 1709510400.4711"),
          ("Message-ID", f"<{h40('dmarc', n=20)}@mailbox.example>"),
          ("MIME-Version", "1.0")]
    REG.add("dmarc_aggregate_report", "auto_generated", "DMARC aggregate report",
            "RFC 7489 section 7.2.1.1 aggregate report mail (subject 'Report domain: ... Submitter: ...')",
            mail(hs, body))

    # SMTP TLS report (RFC 8460)
    bw = w.plus(5000)
    js = json.dumps({"organization-name": "mailbox.example", "date-range": {
        "start-datetime": "2024-03-03T00:00:00Z", "end-datetime": "2024-03-03T23:59:59Z"},
        "contact-info": "smtp-tls-reporting@mailbox.example", "report-id": "2024-03-03T00:00:00Z_support.example",
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "support.example"},
                      "summary": {"total-successful-session-count": 42, "total-failure-session-count": 0}}]},
        sort_keys=True).encode()
    gz = gzip.compress(js, mtime=0)
    fname = "mailbox.example!support.example!1709424000!1709510399!001.json.gz"
    b = f"{h40('tlsb', n=28)}"
    body = report([text("This is an aggregate TLS report from mailbox.example\n"),
                   raw_part(f'application/tlsrpt+gzip; name="{fname}"', b64(gz), cte="base64",
                            extra=[("Content-Disposition", f'attachment; filename="{fname}"')])],
                  b, rtype="tlsrpt")
    hs = [("Return-Path", "<smtp-tls-reporting@mailbox.example>"),
          ("Date", bw.rfc(0)),
          ("From", "smtp-tls-reporting@mailbox.example"),
          ("To", "tls-reports@support.example"),
          ("Subject", "Report Domain: support.example Submitter: mailbox.example Report-ID: <2024-03-03T00:00:00Z_support.example>"),
          ("TLS-Report-Domain", "support.example"),
          ("TLS-Report-Submitter", "mailbox.example"),
          ("Message-ID", f"<{h40('tlsm', n=20)}@mailbox.example>"),
          ("MIME-Version", "1.0")]
    REG.add("smtp_tls_report", "auto_generated", "SMTP TLS report (RFC 8460)",
            "RFC 8460 section 5.3 report mail (multipart/report; report-type=tlsrpt, TLS-Report-* headers)",
            mail(hs, body))

    # Microsoft 365 quarantine notification
    bw = w.plus(6000)
    html = ("<html><body><p>Review These Messages</p><p>1 message is being held for you to review "
            "as of 3/4/2024 9:00:00 AM (UTC).</p><table><tr><td>Sender:</td><td>invoice@unknown.example"
            "</td></tr><tr><td>Subject:</td><td>Overdue payment</td></tr></table></body></html>\n")
    hs = [("Date", bw.rfc(0)),
          ("From", "Microsoft 365 <quarantine@messaging.microsoft.example>"),
          ("To", SUPPORT_ADDR),
          ("Subject", "Microsoft 365 security: You have messages in quarantine"),
          ("Message-ID", f"<{guid('qn')}@{'quarantine.messaging.microsoft.example'}>"),
          ("X-MS-Exchange-Generated-Message-Source", "Quarantine Notification Agent"),
          ("X-MS-Exchange-Organization-AuthAs", "Internal"),
          ("Auto-Submitted", "auto-generated"),
          ("X-Auto-Response-Suppress", "All"),
          ("MIME-Version", "1.0")]
    REG.add("m365_quarantine_notification", "auto_generated", "Microsoft 365 quarantine notification",
            "Microsoft Learn 'Quarantine notifications (end-user spam notifications)' + RFC 3834",
            mail(hs, text(html, ctype="text/html", charset="utf-8", cte="quoted-printable")),
            crlf=True)



# ========================================================= read receipts ===

MDN_BASED = "RFC 3798/8098 MDN (multipart/report; report-type=disposition-notification)"


def mdn_fields(ua, person, o, disposition):
    return (f"Reporting-UA: {ua}\n"
            f"Original-Recipient: rfc822;{person.addr}\n"
            f"Final-Recipient: rfc822;{person.addr}\n"
            f"Original-Message-ID: <{o.id}>\n"
            f"Disposition: {disposition}\n")


@system
def read_receipts():
    p = PEOPLE
    # Thunderbird
    person = p["sofia"]
    w = When(4300)
    o = ack_to(person, w)
    bw = w.plus(3600)
    note = (f"This is a Return Receipt for the mail that you sent to {person.addr}.\n\n"
            "Note: This Return Receipt only acknowledges that the message was displayed on the "
            "recipient's computer. There is no guarantee that the recipient has read or understood "
            "the message contents.\n")
    body = report([text(note, charset="UTF-8", cte="7bit"),
                   raw_part("message/disposition-notification; name=\"MDNPart2.txt\"",
                            mdn_fields("pc-sofia.example.net; Mozilla Thunderbird", person, o,
                                       "manual-action/MDN-sent-manually; displayed"),
                            extra=[("Content-Disposition", "inline")]),
                   message_part(o.headers_only(remote=("mx.example.net", "203.0.113.160")),
                                ctype="text/rfc822-headers; name=\"MDNPart3.txt\"",
                                extra=[("Content-Disposition", "inline")])],
                  f"------------{h40('tbmdn', n=24).upper()}", rtype="disposition-notification",
                  preamble="This is a multi-part message in MIME format.")
    hs = [("Message-ID", f"<{guid('tbm')}@example.net>"),
          ("Date", bw.rfc(60)),
          ("MIME-Version", "1.0"),
          ("User-Agent", "Mozilla Thunderbird"),
          ("From", addr(person.name, person.addr)),
          ("To", addr(SUPPORT_NAME, SUPPORT_ADDR)),
          ("Subject", subj(f"Return Receipt (displayed) - {o.subject}"))]
    REG.add("mdn_thunderbird_displayed", "read_receipt", "Thunderbird MDN (displayed)",
            MDN_BASED + "; Thunderbird MDN text ('This is a Return Receipt for the mail')",
            mail(hs, body), cites=o.id)

    # Outlook / Exchange 'Read:' in several languages, 'Not read:'
    specs = [("read_receipt_outlook_en", p["rachel"], 4340, "en", "Read: ", "displayed",
              "Your message\n\n  To: {name}\n  Subject: {subject}\n  Sent: {sent}\n\nwas read on {read}.\n"),
             ("read_receipt_outlook_de_gelesen", p["jonas"], 4360, "de", "Gelesen: ", "displayed",
              "Ihre Nachricht\n\n  An: {name}\n  Betreff: {subject}\n  Gesendet: {sent}\n\nwurde am {read} gelesen.\n"),
             ("read_receipt_outlook_fr_lu", p["elodie"], 4380, "fr", "Lu : ", "displayed",
              "Votre message\n\n  À : {name}\n  Objet : {subject}\n  Envoyé : {sent}\n\na été lu le {read}.\n"),
             ("read_receipt_outlook_es_leido", p["javier"], 4400, "es", "Leído: ", "displayed",
              "Su mensaje\n\n  Para: {name}\n  Asunto: {subject}\n  Enviado: {sent}\n\nha sido leído el {read}.\n"),
             ("read_receipt_outlook_not_read", p["mark"], 4420, "en", "Not read: ", "deleted",
              "Your message\n\n  To: {name}\n  Subject: {subject}\n  Sent: {sent}\n\nwas deleted without being read on {read}.\n")]
    for stem, person, minutes, lang, prefix, disp, tmpl in specs:
        w = When(minutes)
        o = ack_to(person, w)
        bw = w.plus(7200)
        host = f"EX16-0{num('rrh', stem, lo=1, hi=9)}.{person.domain}"
        t = tmpl.format(name=person.name, subject=o.subject, sent=w.us(60), read=bw.us(60))
        cs = "us-ascii" if is_ascii(t) else "iso-8859-1"
        alt = multipart("alternative",
                        [text(t, charset=cs, cte="quoted-printable" if cs != "us-ascii" else "7bit"),
                         text("<html><body><p>" + t.replace("\n", "<br>\n") + "</p></body></html>\n",
                              ctype="text/html", charset=cs, cte="quoted-printable")],
                        f"_001_{h40('rra', stem, n=40)}_")
        dispo = ("automatic-action/MDN-sent-automatically; displayed" if disp == "displayed" else
                 "automatic-action/MDN-sent-automatically; deleted")
        body = report([alt, raw_part("message/disposition-notification",
                                     mdn_fields(f"{host}; Microsoft Exchange Server 2016", person, o, dispo))],
                      f"_002_{h40('rrr', stem, n=40)}_", rtype="disposition-notification")
        sv = subj(prefix + o.subject) if lang == "en" else ew(prefix + o.subject, "iso-8859-1", "Q")
        hs = [("From", addr(person.name, person.addr)),
              ("To", addr(SUPPORT_NAME, SUPPORT_ADDR)),
              ("Subject", sv),
              ("Thread-Topic", subj(o.subject, "iso-8859-1", "Q")),
              ("Thread-Index", thread_index("rr", stem)),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<{h40('rrm', stem, n=32)}@{host}>"),
              ("Content-Language", OOF_LANG_TAGS[lang]),
              ("X-MS-Has-Attach", ""),
              ("X-MS-Exchange-Organization-SCL", "-1"),
              ("X-MS-TNEF-Correlator", ""),
              ("X-MS-Exchange-Organization-RecordReviewCfmType", "0"),
              ("MIME-Version", "1.0")]
        REG.add(stem, "read_receipt", f"Outlook/Exchange read receipt ({lang}{', not read' if disp != 'displayed' else ''})",
                MDN_BASED + "; MS-OXCMAIL read receipts ('Read:' subject prefix)", mail(hs, body),
                cites=o.id, crlf=True)

    # Lotus Notes 'Return Receipt' (plain text, no report structure)
    person = p["claudia"]
    w = When(4440)
    o = ack_to(person, w)
    bw = w.plus(5400)
    body = text(f"Your document:\t{o.subject}\nwas received by:\t{person.name}/Beispiel\nat:\t"
                f"{bw.t:%d.%m.%Y %H:%M:%S}\n", charset="iso-8859-1")
    hs = [("Subject", "Return Receipt"),
          ("To", SUPPORT_ADDR),
          ("From", addr(person.name, person.addr)),
          ("Date", bw.rfc(60)),
          ("Message-ID", f"<OF{hexup('nrr', n=8)}.{hexup('nrr2', n=8)}@beispiel.example>"),
          ("X-Mailer", "Lotus Notes Release 8.5.3 September 15, 2011"),
          ("X-MIMETrack", "Serialize by Router on NOTES02/Beispiel(Release 8.5.3FP6|November 21, 2013)"),
          ("MIME-Version", "1.0")]
    REG.add("notes_return_receipt", "read_receipt", "Lotus Notes Return Receipt (plain text)",
            "Notes 'Return Receipt' memo (Notes client help: delivery options > return receipt)",
            mail(hs, body))


# ======================================================= feedback reports ===

ARF_BASED = "RFC 5965 ARF (multipart/report; report-type=feedback-report) + RFC 6650"


@system
def feedback_reports():
    p = PEOPLE
    specs = [("arf_abuse_mailbox_provider", p["laura"], 4500, "mailbox.example",
              "feedback-loop@mailbox.example", "Mailbox FBL/1.0", "abuse", None),
             ("arf_abuse_aol_style", p["tom"], 4520, "fbl.aol.example",
              "scomp@aol.example", "AOL SComp", "abuse", "Email Feedback Report for IP 192.0.2.10"),
             ("arf_auth_failure_dkim", p["david"], 4540, "mx.example.net",
              "dmarc-failure@example.net", "OpenDMARC-Reports/1.4", "auth-failure", None)]
    for stem, person, minutes, host, frm, ua, ftype, subject in specs:
        w = When(minutes)
        o = ack_to(person, w)
        bw = w.plus(3 * 3600)
        if ftype == "abuse":
            note = (f"This is an email abuse report for an email message received from IP {TICKETD_IP} "
                    f"on {w.plus(2).rfc(0)}.\nFor more information about this format please see "
                    "https://www.rfc-editor.org/rfc/rfc5965.\n")
            fields = (f"Feedback-Type: abuse\nUser-Agent: {ua}\nVersion: 1\n"
                      f"Original-Mail-From: <{o.verp}>\nOriginal-Rcpt-To: <{person.addr}>\n"
                      f"Arrival-Date: {w.plus(2).rfc(0)}\nReporting-MTA: dns; {host}\n"
                      f"Source-IP: {TICKETD_IP}\nAuthentication-Results: {host};\n"
                      f"  spf=pass smtp.mailfrom=support.example;\n  dkim=pass header.d=support.example\n"
                      f"Reported-Domain: support.example\n")
            inner = message_part(o.full(remote=(host, "203.0.113.170")))
        else:
            note = ("This is an authentication failure report for an email message received from "
                    f"IP {TICKETD_IP} on {w.plus(2).rfc(0)}.\n")
            fields = (f"Feedback-Type: auth-failure\nUser-Agent: {ua}\nVersion: 1\n"
                      f"Original-Envelope-Id: {hexup('envid', n=10)}\n"
                      f"Original-Mail-From: {o.verp}\nArrival-Date: {w.plus(2).rfc(0)}\n"
                      f"Source-IP: {TICKETD_IP}\nReported-Domain: support.example\n"
                      f"Authentication-Results: {host}; dkim=fail header.d=support.example\n"
                      "Auth-Failure: bodyhash\nDKIM-Domain: support.example\nDKIM-Selector: td2024\n"
                      "Delivery-Result: reject\n")
            inner = message_part(o.headers_only(remote=(host, "203.0.113.171")), ctype="text/rfc822-headers")
        body = report([text(note, charset="US-ASCII", disposition="inline"),
                       raw_part("message/feedback-report", fields, extra=[("Content-Disposition", "inline")]),
                       inner], f"part1_{h40('arf', stem, n=8)}_boundary", rtype="feedback-report",
                      preamble="This is a multi-part message in MIME format.")
        hs = [("Return-Path", "<>"),
              ("Date", bw.rfc(0)),
              ("From", f"<{frm}>"),
              ("Subject", subject or subj(f"FW: {o.subject}")),
              ("To", f"<abuse@support.example>"),
              ("Message-ID", f"<{h40('arfm', stem, n=20)}@{host}>"),
              ("MIME-Version", "1.0")]
        REG.add(stem, "feedback_report", f"ARF {ftype} report ({host})", ARF_BASED + (
                "; RFC 6591 auth-failure" if ftype == "auth-failure" else ""),
                mail(hs, body), cites=o.id)

    # Outlook.com JMRP: not ARF, the complaint is a multipart/mixed with the message attached
    person = p["mark"]
    w = When(4560)
    o = ack_to(person, w)
    bw = w.plus(86400)
    note = ("This is an email abuse report for an email message received from IP 192.0.2.10 on "
            f"{w.plus(2).rfc(0)}.\n\nThis message has been reported by a user of the Outlook.com "
            "Junk Mail Reporting Program.\n")
    body = multipart("mixed", [text(note),
                               message_part(o.full(remote=("BAY004-MC1F10.hotmail.example", "203.0.113.172")),
                                            extra=[("Content-Disposition", "attachment")])],
                     f"{guid('jmrp')}")
    hs = [("Return-Path", "<staff@hotmail.example>"),
          ("From", "staff@hotmail.example"),
          ("To", "abuse@support.example"),
          ("Subject", f"complaint about message from {TICKETD_IP}"),
          ("Date", bw.rfc(0)),
          ("Message-ID", f"<{guid('jmrpm')}@jmrp.hotmail.example>"),
          ("X-HmXmrOriginalRecipient", f"<{person.addr}>"),
          ("MIME-Version", "1.0")]
    REG.add("jmrp_outlook_complaint", "feedback_report", "Outlook.com JMRP complaint (not ARF)",
            "Microsoft SNDS/JMRP complaint mail ('complaint about message from <IP>', message "
            "attached as message/rfc822, X-HmXmrOriginalRecipient)", mail(hs, body), cites=o.id,
            crlf=True)


# ================================================================= bulk ===

@system
def bulk_mail():
    w = When(4600)
    posts = []
    # Mailman 3 list post written by a person
    posts.append(("mailman3_list_post", "Mailman 3 list post", "RFC 2369 List-* + RFC 2919 List-Id "
                  "(Mailman 3 decorations, Precedence: list)",
                  [("From", "Hannes Brandt <h.brandt@example.org>"),
                   ("To", "sysadmins@lists.example.org"),
                   ("Subject", "[sysadmins] Planned maintenance of the core switch on Saturday"),
                   ("List-Id", "Regional sysadmins <sysadmins.lists.example.org>"),
                   ("Archived-At", "<https://lists.example.org/archives/list/sysadmins@lists.example.org/message/Q3ZK7VXW/>"),
                   ("List-Archive", "<https://lists.example.org/archives/list/sysadmins@lists.example.org/>"),
                   ("List-Help", "<mailto:sysadmins-request@lists.example.org?subject=help>"),
                   ("List-Owner", "<mailto:sysadmins-owner@lists.example.org>"),
                   ("List-Post", "<mailto:sysadmins@lists.example.org>"),
                   ("List-Subscribe", "<mailto:sysadmins-join@lists.example.org>"),
                   ("List-Unsubscribe", "<mailto:sysadmins-leave@lists.example.org>"),
                   ("Precedence", "list"),
                   ("X-Mailman-Version", "3.3.8"),
                   ("Sender", "sysadmins-bounces@lists.example.org")],
                  "Hi all,\n\nthe core switch will be replaced on Saturday between 06:00 and 09:00.\n"
                  "Expect short outages.\n\nHannes\n"
                  "_______________________________________________\n"
                  "sysadmins mailing list -- sysadmins@lists.example.org\n"
                  "To unsubscribe send an email to sysadmins-leave@lists.example.org\n"))
    # Google Groups post
    posts.append(("google_groups_post", "Google Groups list post",
                  "Google Groups list headers (Mailing-list, List-ID, Precedence: list, X-Original-Sender)",
                  [("From", "Marta Ruiz <marta.ruiz@example.net>"),
                   ("To", "it-partners@googlegroups.example"),
                   ("Subject", "[it-partners] Quarterly patch schedule"),
                   ("X-Original-Sender", "marta.ruiz@example.net"),
                   ("Precedence", "list"),
                   ("Mailing-list", "list it-partners@googlegroups.example; contact it-partners+owners@googlegroups.example"),
                   ("List-ID", "<it-partners.googlegroups.example>"),
                   ("X-Google-Group-Id", "839201746152"),
                   ("List-Post", "<https://groups.google.example/group/it-partners/post>, <mailto:it-partners@googlegroups.example>"),
                   ("List-Help", "<https://support.google.example/>, <mailto:it-partners+help@googlegroups.example>"),
                   ("List-Archive", "<https://groups.google.example/group/it-partners>"),
                   ("List-Unsubscribe", "<mailto:googlegroups-manage+839201746152+unsubscribe@googlegroups.example>,\n <https://groups.google.example/group/it-partners/subscribe>")],
                  "Hello everyone,\n\nthe patch schedule for Q2 is attached to the group page.\n\nMarta\n"))
    # Mailchimp newsletter
    posts.append(("newsletter_mailchimp", "Mailchimp newsletter",
                  "RFC 8058 List-Unsubscribe-Post + Mailchimp headers (X-Mailer: MailChimp Mailer, "
                  "X-Campaign, Feedback-ID)",
                  [("From", "Contoso Hardware <news@contoso-hardware.example>"),
                   ("Reply-To", "Contoso Hardware <news@contoso-hardware.example>"),
                   ("To", "<support@support.example>"),
                   ("Subject", "Spring deals: docking stations -20%"),
                   ("List-Unsubscribe", "<https://contoso-hardware.us1.list-manage.example/unsubscribe?u=abc&id=def&e=123>, <mailto:unsubscribe-mc.us1_abc.def-123@mailin1.us1.mcsv.example?subject=unsubscribe>"),
                   ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                   ("X-Mailer", "MailChimp Mailer - **CIDf3c2a1b0d9e8**"),
                   ("X-Campaign", "mailchimpabc.f3c2a1b0d9"),
                   ("X-campaignid", "mailchimpabc.f3c2a1b0d9"),
                   ("X-Report-Abuse", "Please report abuse for this campaign here: https://mailchimp.example/contact/abuse/?u=abc&id=f3c2a1b0d9&e=123"),
                   ("Feedback-ID", "37845:37845293.1234567:us1:mc"),
                   ("Precedence", "bulk")],
                  "Spring deals are here!\n\nAll USB-C docking stations are 20% off until 31 March.\n\n"
                  "You are receiving this email because you opted in via our website.\n"
                  "Unsubscribe: https://contoso-hardware.us1.list-manage.example/unsubscribe\n"))
    # Newsletter with only List-Unsubscribe + Feedback-ID
    posts.append(("newsletter_list_unsubscribe_only", "ESP newsletter (List-Unsubscribe only)",
                  "RFC 2369 List-Unsubscribe + Google's Feedback-ID (arp242 'How to detect "
                  "automatically generated emails')",
                  [("From", "Fabrikam Cloud <newsletter@fabrikam-cloud.example>"),
                   ("To", "support@support.example"),
                   ("Subject", "What's new in March"),
                   ("List-Unsubscribe", "<mailto:unsub-4711@mail.fabrikam-cloud.example>"),
                   ("Feedback-ID", "fabrikam:newsletter:esp42")],
                  "Hello,\n\nhere is what's new in Fabrikam Cloud this month: storage tiers, a new "
                  "region and faster backups.\n"))
    # LISTSERV post
    posts.append(("listserv_post", "LISTSERV list post",
                  "LISTSERV distribution (Sender: list address, List-Help/List-Unsubscribe; L-Soft "
                  "LISTSERV list owner manual)",
                  [("From", "Peter Lang <p.lang@example.edu.example>"),
                   ("Sender", "HELPDESK-FORUM Discussion <HELPDESK-FORUM@LISTSERV.EXAMPLE.EDU.EXAMPLE>"),
                   ("Reply-To", "HELPDESK-FORUM Discussion <HELPDESK-FORUM@LISTSERV.EXAMPLE.EDU.EXAMPLE>"),
                   ("To", "HELPDESK-FORUM@LISTSERV.EXAMPLE.EDU.EXAMPLE"),
                   ("Subject", "Re: Ticket systems that work over plain email"),
                   ("List-Help", "<https://listserv.example.edu.example/cgi-bin/wa?LIST=HELPDESK-FORUM>,\n <mailto:LISTSERV@LISTSERV.EXAMPLE.EDU.EXAMPLE?body=INFO%20HELPDESK-FORUM>"),
                   ("List-Unsubscribe", "<mailto:HELPDESK-FORUM-signoff-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>"),
                   ("List-Subscribe", "<mailto:HELPDESK-FORUM-subscribe-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>"),
                   ("List-Owner", "<mailto:HELPDESK-FORUM-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>"),
                   ("List-Archive", "<https://listserv.example.edu.example/cgi-bin/wa?LIST=HELPDESK-FORUM>")],
                  "We use one and it works well; threading by In-Reply-To is the key.\n\nPeter\n"))
    # Corporate announcement with only Precedence: bulk
    posts.append(("precedence_bulk_announcement", "internal announcement (Precedence: bulk only)",
                  "RFC 3834 section 2 'Precedence: bulk' convention; Exchange suppresses OOF for it",
                  [("From", "IT Communications <it-news@example.com>"),
                   ("To", "all-staff@example.com"),
                   ("Subject", "Planned outage: email service on Saturday 06:00-08:00"),
                   ("Precedence", "bulk"),
                   ("X-Mailer", "Microsoft Outlook 16.0")],
                  "Dear colleagues,\n\nthe email service will be unavailable on Saturday from 06:00 "
                  "to 08:00 for maintenance.\n\nIT Communications\n"))
    # Sympa list post
    posts.append(("sympa_list_post", "Sympa list post",
                  "Sympa list headers (List-Id, X-Loop, X-Sequence, Precedence: list; Sympa admin manual)",
                  [("From", "Camille Petit <camille.petit@example.org>"),
                   ("To", "support-fr@listes.example.org"),
                   ("Subject", ew("[support-fr] Bilan du trimestre", "utf-8", "Q")),
                   ("List-Id", "<support-fr.listes.example.org>"),
                   ("X-Loop", "support-fr@listes.example.org"),
                   ("X-Sequence", "1532"),
                   ("Errors-To", "support-fr-owner@listes.example.org"),
                   ("Precedence", "list"),
                   ("List-Unsubscribe", "<mailto:sympa@listes.example.org?subject=unsubscribe%20support-fr>"),
                   ("List-Post", "<mailto:support-fr@listes.example.org>")],
                  "Bonjour à tous,\n\nle bilan du trimestre est en ligne.\n\nCamille\n"))
    for i, (stem, sysname, based_on, hs, body) in enumerate(posts):
        bw = w.plus(900 * i)
        dom = hs[0][1].split("@")[1].rstrip(">")
        hs = [("Return-Path", f"<bounce-{h40('bp', stem, n=8)}@{dom}>"),
              ("Date", bw.rfc(60)),
              ("Message-ID", f"<{h40('bulk', stem, n=24)}@{dom}>"),
              ("MIME-Version", "1.0")] + hs
        cs = "us-ascii" if is_ascii(body) else "utf-8"
        REG.add(stem, "bulk", sysname, based_on,
                mail(hs, text(body, charset=cs, cte="quoted-printable" if cs != "us-ascii" else "7bit")))



# ================================================================ humans ===

HUMAN_BASED = "ordinary {client} mail written by a person (client header set as the client sends it)"


def _html_of(body):
    esc = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    paras = [p.replace("\n", "<br>\n") for p in esc.strip("\n").split("\n\n")]
    return "".join(f"<p>{p}</p>\n" for p in paras)


def human(stem, system_name, person, minutes, subject, body, client, lang="en", reply=None,
          attachments=(), extra_headers=(), crlf=False, subject_cs=None, body_cs=None,
          to=None, related=None, html=True):
    """A mail a person wrote. reply: None, 'ack' (answers ticketd's ack) or (msgid, refs)."""
    w = When(minutes)
    hs = []
    in_reply = refs = None
    if reply == "ack":
        o = ack_to(person, w.plus(-3600))
        in_reply, refs = o.id, [o.customer_id, o.id]
        to = to or addr(SUPPORT_NAME, o.reply_to)
        if callable(subject):
            subject = subject(o)
        if callable(body):
            body = body(o)
    elif reply:
        in_reply, refs = reply
    to = to or addr(SUPPORT_NAME, SUPPORT_ADDR)
    dom = person.domain
    # subject encoding as the client writes it
    cs = subject_cs or {"outlook": "iso-8859-1", "outlook_ex": "iso-8859-1", "thunderbird": "utf-8",
                        "apple": "utf-8", "gmail": "utf-8", "iphone": "utf-8", "roundcube": "utf-8",
                        "mutt": "utf-8", "foxmail": "gb2312", "k9": "utf-8"}[client]
    try:
        subject.encode(cs)
    except UnicodeEncodeError:
        cs = "utf-8"
    mode = "B" if client in ("gmail", "foxmail") or cs in ("iso-2022-jp", "koi8-r", "gb2312") else "Q"
    sv = ew(subject, cs, mode, lower=client in ("apple", "iphone")) if needs_ew(subject) else subject
    bcs = body_cs or ("us-ascii" if is_ascii(body) else
                      ("iso-8859-1" if client in ("outlook", "outlook_ex") and _latin1(body) else
                       ("iso-2022-jp" if cs == "iso-2022-jp" else
                        ("koi8-r" if cs == "koi8-r" else ("gb2312" if cs == "gb2312" else "utf-8")))))
    qp_cte = "quoted-printable" if bcs != "us-ascii" and bcs != "iso-2022-jp" else "7bit"
    if client in ("thunderbird", "mutt", "k9"):
        html = False
    plain = text(body, charset=bcs, cte=qp_cte if client != "gmail" or bcs == "us-ascii" else "quoted-printable",
                 params="; format=flowed" if client == "thunderbird" else "")
    if html:
        hcs = "utf-8" if bcs in ("us-ascii", "iso-2022-jp", "koi8-r", "gb2312") else bcs
        hdoc = f"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={hcs}\"></head><body>{_html_of(body)}</body></html>\n"
        if client == "gmail":
            hdoc = f"<div dir=\"ltr\">{_html_of(body)}</div>\n"
        hpart = text(hdoc, ctype="text/html", charset=hcs, cte="quoted-printable")
        boundary = {"outlook_ex": f"_000_{h40('hb', stem, n=40)}_",
                    "outlook": f"----=_NextPart_000_{hexup('hb', stem, n=4)}_01DA6E{hexup('hb2', stem, n=2)}.{hexup('hb3', stem, n=8)}",
                    "apple": f"Apple-Mail={guid('hb', stem).upper()}",
                    "gmail": f"000000000000{h40('hb', stem, n=12)}",
                    "iphone": f"Apple-Mail-{guid('hb', stem).upper()}",
                    "roundcube": f"=_{h40('hb', stem, n=32)}",
                    "foxmail": f"----=_NextPart_{hexup('hb', stem, n=8)}_{hexup('hb2', stem, n=8)}_{hexup('hb3', stem, n=8)}"}[client]
        bodypart = multipart("alternative", [plain, hpart], boundary, ctype_fold=client != "gmail")
    else:
        bodypart = plain
    if related:
        bodypart = multipart("related", [bodypart] + list(related), f"rel_{h40('rel', stem, n=24)}",
                             params='; type="multipart/alternative"' if html else "")
    if attachments:
        bodypart = multipart("mixed", [bodypart] + list(attachments), f"mix_{h40('mix', stem, n=24)}")

    msgid = {"outlook_ex": f"<DB9PR0{num('x', stem, lo=1, hi=9)}MB{num('y', stem, lo=1000, hi=9999)}{hexup('z', stem, n=22)}@DB9PR0{num('x', stem, lo=1, hi=9)}MB{num('y', stem, lo=1000, hi=9999)}.eurprd0{num('e', stem, lo=1, hi=9)}.prod.outlook.example>",
             "outlook": f"<00{h40('a', stem, n=2)}01da6e{h40('b', stem, n=2)}${h40('c', stem, n=8)}${h40('d', stem, n=8)}@{dom}>",
             "thunderbird": f"<{guid('tb', stem)}@{dom}>",
             "apple": f"<{guid('ap', stem).upper()}@{dom}>",
             "iphone": f"<{guid('ip', stem).upper()}@{dom}>",
             "gmail": f"<CA+{base64.b64encode(bytes.fromhex(h40('gm', stem, n=48))).decode().replace('/', '_')}@mail.gmail.example>",
             "roundcube": f"<{h40('rc', stem, n=32)}@{dom}>",
             "mutt": f"<{w.t:%Y%m%d%H%M%S}.GA{num('mu', stem, lo=1000, hi=9999)}@{dom}>",
             "k9": f"<{guid('k9', stem)}@{dom}>",
             "foxmail": f"<{num('fx', stem, lo=10**9, hi=10**10)}{h40('fx', stem, n=8)}@{dom}>"}[client]
    hs.append(("Return-Path", f"<{person.addr}>"))
    hs.append(("Received", f"from smtp.{dom} (smtp.{dom} [198.51.100.{num('hip', stem, lo=2, hi=250)}])\n"
                           f"\tby {TICKETD_MTA} (Postfix) with ESMTPS id {hexup('hq', stem, n=10)}\n"
                           f"\tfor <{SUPPORT_ADDR}>; {w.plus(4).rfc(60, pad=True, comment='CET')}"))
    if client == "gmail":
        hs.append(("DKIM-Signature", f"v=1; a=rsa-sha256; c=relaxed/relaxed;\n        d={dom}; s=20230601; t={w.epoch()}; x={w.epoch() + 604800};\n"
                                     f"        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\n"
                                     f"        bh={base64.b64encode(bytes.fromhex(h40('bh', stem, n=64))).decode()};\n"
                                     f"        b={base64.b64encode(bytes.fromhex(h40('bb', stem, n=64) * 2)).decode()}"))
        hs.append(("X-Google-Smtp-Source", base64.b64encode(bytes.fromhex(h40('hgs', stem, n=60))).decode()))
    hs.append(("MIME-Version", "1.0" if client not in ("apple", "iphone") else
               ("1.0 (Mac OS X Mail 16.0 \\(3774.400.31\\))" if client == "apple" else "1.0 (1.0)")))
    hs.append(("Date", w.rfc(60)))
    hs.append(("From", addr(person.name, person.addr, cs if needs_ew(person.name) and _enc_ok(person.name, cs) else "utf-8",
                            mode)))
    hs.append(("To", to))
    hs.append(("Subject", sv))
    hs.append(("Message-ID", msgid))
    if in_reply:
        hs.append(("In-Reply-To", f"<{in_reply}>"))
        hs.append(("References", " ".join(f"<{r}>" for r in refs)))
    client_headers = {
        "outlook_ex": [("Thread-Topic", sv), ("Thread-Index", thread_index("h", stem)),
                       ("Accept-Language", f"{OOF_LANG_TAGS.get(lang, 'en-US')}, en-US"),
                       ("Content-Language", OOF_LANG_TAGS.get(lang, "en-US")),
                       ("X-MS-Has-Attach", "yes" if attachments else ""), ("X-MS-TNEF-Correlator", ""),
                       ("msip_labels", "")],
        "outlook": [("X-Mailer", "Microsoft Outlook 16.0"), ("Thread-Index", thread_index("h", stem)),
                    ("Content-Language", OOF_LANG_TAGS.get(lang, "en-US"))],
        "thunderbird": [("User-Agent", "Mozilla Thunderbird"), ("Content-Language", OOF_LANG_TAGS.get(lang, "en-US"))],
        "apple": [("X-Mailer", "Apple Mail (2.3774.400.31)")],
        "iphone": [("X-Mailer", "iPhone Mail (21D61)")],
        "gmail": [],
        "roundcube": [("User-Agent", "Roundcube Webmail/1.6.6"), ("X-Sender", person.addr)],
        "mutt": [("User-Agent", "Mutt/2.2.12 (2023-09-09)")],
        "k9": [("User-Agent", "K-9 Mail for Android")],
        "foxmail": [("X-Mailer", "Foxmail 7.2.25.228[cn]"), ("X-Priority", "3")],
    }[client]
    hs += client_headers + list(extra_headers)
    REG.add(stem, None, system_name, HUMAN_BASED.format(client=CLIENT_NAMES[client]),
            mail(hs, bodypart), crlf=crlf)


def _latin1(s):
    try:
        s.encode("iso-8859-1")
        return True
    except UnicodeEncodeError:
        return False


def _enc_ok(s, cs):
    try:
        s.encode(cs)
        return True
    except UnicodeEncodeError:
        return False


CLIENT_NAMES = {"outlook_ex": "Outlook on Exchange Online", "outlook": "Outlook 2021 (SMTP account)",
                "thunderbird": "Thunderbird 115", "apple": "Apple Mail 16", "gmail": "Gmail web",
                "iphone": "iPhone Mail", "roundcube": "Roundcube 1.6", "mutt": "Mutt 2.2",
                "k9": "K-9 Mail", "foxmail": "Foxmail 7"}


def pdf_attachment(name, stem):
    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>"
            b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    return raw_part(f'application/pdf; name="{name}"', b64(data), cte="base64",
                    extra=[("Content-Disposition", f'attachment; filename="{name}"')])


def png_inline(cid, stem):
    data = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                         "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a3bd4e7a0000000049454e44ae426082")
    return raw_part('image/png; name="image001.png"', b64(data), cte="base64",
                    extra=[("Content-ID", f"<{cid}>"),
                           ("Content-Disposition", 'inline; filename="image001.png"')])


@system
def humans():
    p = PEOPLE
    H = human
    H("human_re_undeliverable_invoice", "Outlook (Exchange Online), reply in own thread", p["nina"], 5000,
      "Re: undeliverable invoice",
      "Hi,\n\nour accounting says the invoice for February came back as undeliverable when they "
      "sent it to your billing address. Could you tell me which address we should use instead?\n\n"
      "Thanks\nNina Keller\nFinance, Example Corp\n",
      "outlook_ex", reply=(f"{h40('own1', n=16)}@example.com", [f"{h40('own0', n=16)}@example.com",
                                                                 f"{h40('own1', n=16)}@example.com"]))
    H("human_out_of_office_tomorrow", "Thunderbird", p["tom"], 5020, "Out of office tomorrow?",
      "Hello support,\n\nI'll be out of office tomorrow but the new laptop is supposed to be "
      "delivered then. Can someone receive it at the front desk?\n\nTom\n", "thunderbird")
    H("human_returned_mail_question", "Gmail web", p["rachel"], 5040, "Returned mail question",
      "Hi there,\n\nevery time I write to our partner in Lyon my mail comes back with a message "
      "saying \"returned mail: see transcript for details\". Is our server blocked? The address "
      "is correct, I checked twice.\n\nBest,\nRachel\n", "gmail")
    H("human_auto_reply_broken", "Apple Mail", p["laura"], 5060, "my auto reply is broken, please help",
      "Hello,\n\nI set up an automatic reply for my holiday but people tell me they don't get it. "
      "Could you check my mailbox settings?\n\nThank you!\nLaura\n", "apple")
    H("human_delivery_failure_pallet_order", "Outlook 2021", p["mark"], 5080,
      "Delivery failure of our pallet order",
      "Hi team,\n\nthe forwarding agent reports a delivery failure of our pallet order 88231 "
      "(wrong dock). This isn't an IT problem as such, but the booking tool shows the old "
      "address - can you update it?\n\nRegards,\nMark Dalton\nLogistics\n", "outlook")
    H("human_abwesenheit_naechste_woche", "Thunderbird (German)", p["jonas"], 5100,
      "Abwesenheit nächste Woche",
      "Hallo zusammen,\n\nich bin nächste Woche im Urlaub. Könnt ihr bitte bis Freitag noch meinen "
      "Zugang zum Lagerprogramm freischalten? Sonst kann meine Vertretung nicht buchen.\n\n"
      "Danke und viele Grüße\nJonas Weber\n", "thunderbird", lang="de", subject_cs="iso-8859-1")

    # A person forwarding a bounce as an attachment (message/rfc822 holding a multipart/report)
    person = p["sofia"]
    o_inner = postfix_bounce("__tmp_fwd_bounce", p["david"], 5110, "mail.example.net", None, "5.1.1",
                             "smtp; 550 5.1.1 User unknown", "mx.example.net",
                             from_hdr="MAILER-DAEMON@mail.example.net (Mail Delivery System)",
                             to_addr=person.addr, return_path=None)
    bounce_bytes = REG.mails.pop("__tmp_fwd_bounce")
    REG.manifest.pop("__tmp_fwd_bounce")
    H("human_forwards_bounce_as_attachment", "Gmail web (forward as attachment)", person, 5120,
      "Fwd: Undelivered Mail Returned to Sender",
      "Hi,\n\nI got this bounce when I wrote to David at our supplier. Is something wrong on our "
      "side? The bounce is attached.\n\nSofia\n", "gmail",
      attachments=[message_part(bounce_bytes, extra=[
          ("Content-Disposition", 'attachment; filename="Undelivered Mail Returned to Sender.eml"')])])

    # Outlook inline forward of a German NDR (text of the NDR quoted in the body)
    L = EXCH_L10N["de"]
    H("human_forwards_ndr_inline_german", "Outlook on Exchange Online (German inline forward)",
      p["claudia"], 5140, "WG: Unzustellbar: Angebot 2024-118",
      "Hallo Support,\n\nich bekomme diese Meldung, wenn ich an Herrn Weber schreibe. Können Sie "
      "das prüfen?\n\nGruß\nClaudia Hoffmann\n\n"
      "Von: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@beispiel.example>\n"
      "Gesendet: Montag, 4. März 2024 09:12\n"
      "An: Hoffmann, Claudia <c.hoffmann@beispiel.example>\n"
      "Betreff: Unzustellbar: Angebot 2024-118\n\n"
      f"{L['failed']}\n\nj.weber@firma.example\n{L['notfound']}\n\n"
      f"{L['diag']}\n\n{L['gen']} EX2016MBX2.beispiel.example\n\nj.weber@firma.example\n"
      "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n\n"
      f"{L['orig']}\n\nReceived: from EX2016MBX2.beispiel.example (10.1.1.5) by ...\n",
      "outlook_ex", lang="de")

    H("human_reply_to_ack_thunderbird", "Thunderbird, reply to a ticketd acknowledgement", p["erik"], 5160,
      lambda o: "Re: " + o.subject,
      lambda o: ("Thanks! One more detail: the error only happens on the 2nd floor access point.\n\n"
                 f"On {o.date}, {SUPPORT_NAME} wrote:\n> Hello {p['erik'].name},\n>\n"
                 f"> We have received your message and opened ticket {o.ticket}.\n"),
      "thunderbird", reply="ack")
    H("human_reply_to_ack_outlook_german", "Outlook (German reply with Outlook header block)", p["hannah"], 5180,
      lambda o: "AW: " + o.subject,
      lambda o: ("Hallo,\n\ndas Problem tritt auch bei meiner Kollegin auf.\n\nViele Grüße\nHannah Schulz\n\n"
                 f"Von: {SUPPORT_NAME} <{SUPPORT_ADDR}>\nGesendet: Montag, 4. März 2024 10:00\n"
                 f"An: Hannah Schulz <{p['hannah'].addr}>\nBetreff: {o.subject}\n\n"
                 "##- Please type your reply above this line -##\n\nHello Hannah Schulz,\n"),
      "outlook", lang="de", reply="ack")
    H("human_reply_to_automatic_reply", "Gmail web (person answers an OOF)", p["david"], 5200,
      "Re: Automatic reply: Printer on floor 3 is jammed",
      "Hi,\n\nI got Mark's automatic reply - who is covering for him this week? The printer is "
      "still jammed.\n\nDavid\n", "gmail",
      reply=(f"{h40('oofx', n=32)}@EX2.example.org", [f"{h40('oofx', n=32)}@EX2.example.org"]))
    H("human_forwards_oof_inline", "Outlook on Exchange Online (forward of an OOF)", p["rachel"], 5220,
      "FW: Automatic reply: Quote 2024-118",
      "FYI - Mark is away, can you route the quote to his deputy?\n\nRachel\n\n"
      "From: Mark Dalton <mark.dalton@example.org>\nSent: Monday, March 4, 2024 8:55 AM\n"
      "To: Rachel Kim <rachel.kim@example.com>\nSubject: Automatic reply: Quote 2024-118\n\n"
      "Thank you for your message. I am out of the office until March 11 with limited access to email.\n",
      "outlook_ex")
    H("human_undeliverable_addresses_newsletter", "Roundcube", p["lucas"], 5240,
      "Undeliverable addresses in our newsletter list",
      "Hello,\n\nafter last week's newsletter we got about 40 undeliverable addresses back. Can "
      "you export them from the mail server so marketing can clean the list?\n\nLucas\n", "roundcube")
    H("human_failure_notice_label_printer", "Mutt", p["mark"], 5260,
      "failure notice on label printer 2",
      "The label printer in shipping shows \"failure notice 0x3A\" since this morning.\n"
      "Power cycle did not help.\n\n-- \nMark\n", "mutt")
    H("human_question_about_automatic_replies", "Outlook 2021", p["nina"], 5280,
      "Question about automatic replies in Outlook",
      "Hi,\n\nhow do I set up automatic replies (out of office) in the new Outlook? The old menu "
      "is gone.\n\nNina\n", "outlook")
    dsn_quote = ("---------- Forwarded message ---------\n"
                 "From: Mail Delivery Subsystem <mailer-daemon@googlemail.example>\n"
                 "Date: Mon, Mar 4, 2024 at 9:02 AM\n"
                 "Subject: Delivery Status Notification (Failure)\n"
                 "To: <rachel.kim@example.com>\n\n\n"
                 "** Address not found **\n\n"
                 "Your message wasn't delivered to t.nguyen@example.net because the address couldn't "
                 "be found, or is unable to receive mail.\n\n"
                 "The response was:\n\n550 5.1.1 The email account that you tried to reach does not exist.\n")
    H("human_re_delivery_status_notification", "Gmail web (quotes a DSN inline)", p["rachel"], 5300,
      "Re: Delivery Status Notification (Failure)",
      "Hi support, is Thanh's address wrong in the address book? See below.\n\nRachel\n\n" + dsn_quote,
      "gmail")
    H("human_read_receipts_not_working", "Outlook on Exchange Online", p["sven"], 5320,
      "Read receipts not working",
      "Hello,\n\nsince the update I no longer get read receipts for mails to customers. "
      "Is that a setting on your side?\n\nSven\n", "outlook_ex", lang="nl")
    H("human_requests_mdn_thunderbird", "Thunderbird (asks for a read receipt)", p["aino"], 5340,
      "Please confirm: laptop delivery on Friday",
      "Hi,\n\nplease confirm that the laptop for our new colleague will be ready on Friday.\n\n"
      "Aino\n", "thunderbird",
      extra_headers=[("Disposition-Notification-To", addr(p["aino"].name, p["aino"].addr))])
    H("human_return_receipt_to_header", "Outlook 2021 (delivery + read receipt requested)", p["piotr"], 5360,
      "Order confirmation needed",
      "Good morning,\n\nplease confirm the order of 5 headsets (ticket from last week).\n\n"
      "Piotr Nowak\n", "outlook",
      extra_headers=[("Return-Receipt-To", p["piotr"].addr),
                     ("Disposition-Notification-To", f"\"Piotr Nowak\" <{p['piotr'].addr}>")])
    H("human_vacation_request_form", "iPhone Mail", p["hannah"], 5380, "Vacation request form",
      "Hi, where do I find the vacation request form on the intranet? The link in the handbook "
      "is dead.\n\nSent from my iPhone\n", "iphone", html=False)
    H("human_japanese_fuzai_settei", "Outlook on Exchange Online (Japanese, ISO-2022-JP)", p["kenji"], 5400,
      "不在通知の設定方法について",
      "サポートご担当者様\n\n来週出張のため、不在通知（自動応答）を設定したいのですが、"
      "設定方法を教えていただけますか。\n\nよろしくお願いいたします。\n渡辺\n",
      "outlook_ex", lang="ja", subject_cs="iso-2022-jp", body_cs="iso-2022-jp")
    H("human_french_absence_remplacant", "Thunderbird (French)", p["elodie"], 5420,
      "Absence la semaine prochaine – qui me remplace ?",
      "Bonjour,\n\nje serai absente la semaine prochaine. Pouvez-vous donner à mon collègue "
      "l'accès à la boîte partagée « commandes » ?\n\nMerci,\nÉlodie\n", "thunderbird", lang="fr")
    H("human_spanish_mensaje_no_entregado", "Gmail web (Spanish)", p["javier"], 5440,
      "Mensaje no entregado a un cliente",
      "Hola,\n\nun cliente dice que no recibe nuestros correos y a nosotros no nos llega ningún "
      "aviso de error. ¿Podéis revisar los registros del servidor?\n\nGracias,\nJavier\n",
      "gmail", lang="es")
    H("human_russian_pisma_ne_dohodyat", "Thunderbird (Russian, KOI8-R)", p["olga"], 5460,
      "Письма не доходят до клиента",
      "Здравствуйте!\n\nНаши письма не доходят до клиента, уведомлений о недоставке тоже нет. "
      "Проверьте, пожалуйста.\n\nОльга\n", "thunderbird", lang="ru", subject_cs="koi8-r",
      body_cs="koi8-r")
    H("human_dutch_afwezigheid_feestdagen", "Outlook 2021 (Dutch)", p["sven"], 5480,
      "Afwezigheid tijdens de feestdagen",
      "Hallo,\n\nik ben van 23 december tot 2 januari afwezig. Kunnen jullie mijn mailbox "
      "doorsturen naar mijn collega?\n\nGroet,\nSven\n", "outlook", lang="nl")
    H("human_italian_risposta_automatica", "Apple Mail (Italian)", p["giulia"], 5500,
      "La risposta automatica non funziona",
      "Ciao,\n\nho attivato la risposta automatica ma i clienti non la ricevono. Potete "
      "controllare?\n\nGrazie\nGiulia\n", "apple", lang="it")
    H("human_portuguese_mensagem_devolvida", "Gmail web (Portuguese)", p["ana"], 5520,
      "Mensagem devolvida – endereço correto?",
      "Olá,\n\nminha mensagem para o fornecedor foi devolvida. Vocês podem confirmar se o "
      "endereço fornecedor@empresa.example ainda existe?\n\nObrigada,\nAna\n", "gmail", lang="pt")
    H("human_urgent_all_mails_bounce", "Outlook on Exchange Online (high priority)", p["david"], 5540,
      "URGENT: all our mails to customers bounce",
      "Hi,\n\nsince 9:00 every mail we send to customers comes back. Sales is blocked. Please call "
      "me: +1 555 0100.\n\nDavid\n", "outlook_ex",
      extra_headers=[("X-Priority", "1"), ("Importance", "high"), ("Priority", "urgent")])
    H("human_spam_complaint_newsletter", "Thunderbird", p["mark"], 5560,
      "Spam complaint about your newsletter",
      "Hello,\n\nI keep getting your company's newsletter although I unsubscribed twice. Please "
      "remove mark.dalton@example.org from all lists.\n\nMark Dalton\n", "thunderbird")
    H("human_delivery_note_pdf", "Outlook 2021 (PDF attachment)", p["jonas"], 5580,
      "Lieferschein zu Bestellung 4711",
      "Hallo,\n\nanbei der Lieferschein zur Bestellung 4711 - die Monitore sind angekommen, bitte "
      "inventarisieren.\n\nGruß\nJonas\n", "outlook", lang="de",
      attachments=[pdf_attachment("Lieferschein_4711.pdf", "ls")])
    H("human_mail_delivery_subsystem_rejects", "Apple Mail", p["sofia"], 5600,
      "Mail delivery subsystem keeps rejecting me",
      "Hi,\n\nwhen I send from my phone, the \"Mail Delivery Subsystem\" sends everything back. "
      "From the laptop it works. Any idea?\n\nSofia\n", "apple")
    H("human_shared_mailbox_reply", "Outlook on Exchange Online (shared mailbox info@)",
      P("Example Corp Info", "info@example.com"), 5620, "RE: Your order",
      "Hello,\n\nwe forwarded your question about the order to IT. Please contact them directly "
      "if the portal still shows an error.\n\nKind regards\nReception - Example Corp\n",
      "outlook_ex", reply=(f"{h40('shm', n=16)}@example.net", [f"{h40('shm', n=16)}@example.net"]))
    H("human_iphone_printer_jam_again", "iPhone Mail", p["tom"], 5640, "Printer jam again",
      "Floor 3 printer jammed again, paper tray 2.\n\nSent from my iPhone\n", "iphone", html=False)
    H("human_bounce_screenshot_inline", "Outlook on Exchange Online (inline screenshot)", p["rachel"], 5660,
      "Bounce back when mailing the CEO's assistant",
      "Hi,\n\nsee the screenshot of the bounce I got (image below). It says the recipient's mailbox "
      "is full.\n\nRachel\n", "outlook_ex",
      related=[png_inline("image001.png@01DA6E2B.5C4F1A20", "scr")])
    # A person answering a bounce they received, threading on the DSN's Message-ID
    dsn_id = f"20240304081500.{hexup('dsnid', n=10)}@mail.example.com"
    H("human_re_undelivered_mail_thread", "Thunderbird (reply to a bounce)", p["laura"], 5680,
      "Re: Undelivered Mail Returned to Sender",
      "What does this mean? I only wrote to our new supplier.\n\nLaura\n\n"
      "Am 04.03.24 um 09:15 schrieb Mail Delivery System:\n"
      "> This is the mail system at host mail.example.com.\n>\n"
      "> I'm sorry to have to inform you that your message could not\n"
      "> be delivered to one or more recipients. It's attached below.\n",
      "thunderbird", reply=(dsn_id, [dsn_id]))
    H("human_chinese_zidong_huifu_question", "Foxmail (Chinese, GB2312)", p["wei"], 5700,
      "自动回复设置问题",
      "您好，\n\n请问如何在邮箱里设置自动回复？我下周休假。\n\n谢谢\n张伟\n", "foxmail", lang="zh")
    H("human_mailbox_full_quota", "Outlook 2021", p["claudia"], 5720,
      "Postfach voll - bitte Speicher erhöhen",
      "Hallo,\n\nich bekomme ständig die Warnung, dass mein Postfach voll ist. Können Sie das "
      "Kontingent erhöhen?\n\nDanke\nClaudia Hoffmann\n", "outlook", lang="de")
    H("human_k9_reply_to_ack", "K-9 Mail, reply to a ticketd acknowledgement", p["ana"], 5740,
      lambda o: "Re: " + o.subject,
      lambda o: ("Obrigada! O problema continua.\n\n"
                 f"{SUPPORT_NAME} <{SUPPORT_ADDR}> escreveu:\n> We have received your message and opened ticket {o.ticket}.\n"),
      "k9", lang="pt", reply="ack")
    H("human_scan_of_error_message", "iPhone Mail (photo attachment)", p["david"], 5760,
      "Photo of the error on the screen",
      "See photo.\n\nSent from my iPhone\n", "iphone", html=False,
      attachments=[raw_part('image/jpeg; name="IMG_4711.jpeg"',
                            b64(bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")), cte="base64",
                            extra=[("Content-Disposition", 'attachment; filename="IMG_4711.jpeg"')])])
    H("human_new_colleague_onboarding", "Gmail web", p["aino"], 5780,
      "New colleague starts Monday - accounts please",
      "Hi,\n\nour new colleague Ville Korhonen starts on Monday. Please create his accounts "
      "(mail, ERP, VPN).\n\nThanks,\nAino\n", "gmail")


if __name__ == "__main__":
    sys.exit(main())
