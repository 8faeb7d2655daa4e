#!/usr/bin/python3
"""Write the held-out automatic-mail test set to tests/data/auto_holdout/.

Every mail is written from a public description of what the system sends
(RFCs 3464, 3798, 3834, 5230, 5965; Sisimai's Lhost/Rhost module notes;
flufl.bounce's detectors; fml's Mail::Bounce; Haraka's bounce template;
vendor manuals and knowledge-base pages) and none is copied from a real mail.
People, hosts and Message-IDs are invented; domains are example.com/.net/.org,
*.example and *.test; IP addresses come from the documentation ranges.

Where a format carries the original message (message/rfc822,
text/rfc822-headers, headers after a marker line, an Original-Message-ID
field, a JSON notification naming it), the original is a mail this help desk
sent: Message-ID <hold-NNN@ticketd.support.example>, envelope sender
support+bounce-<row>-<mac>@support.example; expected.json records the id in
"cites".

Stdlib only, deterministic: the same bytes on every run.

    /usr/bin/python3 tests/auto/make_holdout_mails.py [--out DIR]
"""

import base64
import datetime
import email
import email.policy
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, '..', 'data', 'auto_holdout'))

CLASSES = {None, 'delivery_report', 'auto_reply', 'read_receipt',
           'feedback_report', 'bulk', 'auto_generated'}

# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']
_MONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep',
         'Oct', 'Nov', 'Dec']


def when(n, tz='+0000', shift=0):
    """A fixed RFC 5322 date derived from n (no clock involved)."""
    d = datetime.date(2025, 1, 6) + datetime.timedelta(days=(n * 3) % 120)
    minutes = (7 * 60 + n * 37 + shift) % (24 * 60)
    secs = (n * 29 + shift) % 60
    return '%s, %d %s %d %02d:%02d:%02d %s' % (
        _DAYS[d.weekday()], d.day, _MONS[d.month - 1], d.year,
        minutes // 60, minutes % 60, secs, tz)


def iso_when(n, shift=0):
    d = datetime.date(2025, 1, 6) + datetime.timedelta(days=(n * 3) % 120)
    minutes = (7 * 60 + n * 37 + shift) % (24 * 60)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (
        d.year, d.month, d.day, minutes // 60, minutes % 60,
        (n * 29 + shift) % 60, (n * 71) % 1000)


def hexid(seed, length=10):
    """Deterministic pseudo-random hex string."""
    x = (seed * 2654435761 + 12345) & 0xFFFFFFFF
    out = ''
    while len(out) < length:
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out += '%08X' % x
    return out[:length]


def _codec(charset):
    return {'ks_c_5601-1987': 'cp949'}.get(charset.lower(), charset)


def b_word(text, charset='utf-8', maxlen=75):
    """RFC 2047 B encoded words, split so that each stays <= maxlen."""
    words = []
    chunk = ''
    prefix = '=?%s?B?' % charset
    for ch in text:
        trial = chunk + ch
        enc = base64.b64encode(trial.encode(_codec(charset))).decode('ascii')
        if len(prefix) + len(enc) + 2 > maxlen and chunk:
            words.append(prefix + base64.b64encode(
                chunk.encode(_codec(charset))).decode('ascii') + '?=')
            chunk = ch
        else:
            chunk = trial
    if chunk:
        words.append(prefix + base64.b64encode(
            chunk.encode(_codec(charset))).decode('ascii') + '?=')
    return '\n '.join(words)


def q_word(text, charset='utf-8', maxlen=75):
    """RFC 2047 Q encoded words."""
    prefix = '=?%s?Q?' % charset
    words = []
    cur = ''
    for ch in text:
        enc = ''
        for byte in ch.encode(_codec(charset)):
            c = chr(byte)
            if c == ' ':
                enc += '_'
            elif c.isalnum() and byte < 128:
                enc += c
            elif c in '!*+-/' and byte < 128:
                enc += c
            else:
                enc += '=%02X' % byte
        if len(prefix) + len(cur) + len(enc) + 2 > maxlen and cur:
            words.append(prefix + cur + '?=')
            cur = enc
        else:
            cur += enc
    if cur:
        words.append(prefix + cur + '?=')
    return '\n '.join(words)


def addr(name, address, charset=None, enc='B'):
    """A display-name address; non-ASCII names become encoded words."""
    if name is None:
        return address
    try:
        name.encode('ascii')
        if any(c in name for c in ',.;:()<>@"') and not name.startswith('"'):
            name = '"%s"' % name
        return '%s <%s>' % (name, address)
    except UnicodeEncodeError:
        cs = charset or 'utf-8'
        word = b_word(name, cs) if enc == 'B' else q_word(name, cs)
        return '%s <%s>' % (word, address)


class Part:
    """One MIME entity: header lines (name, value) and body bytes."""

    def __init__(self, headers, body):
        self.headers = list(headers)
        self.body = body

    def render(self):
        out = b''
        for name, value in self.headers:
            if isinstance(value, str):
                value = value.encode('utf-8')
            out += name.encode('ascii') + b': ' + value + b'\n'
        return out + b'\n' + self.body


def _body_bytes(text, charset, cte):
    raw = text.encode(_codec(charset)) if isinstance(text, str) else text
    if cte in ('7bit', '8bit', None):
        return raw
    if cte == 'quoted-printable':
        return quopri.encodestring(raw)
    if cte == 'base64':
        return base64.encodebytes(raw)
    raise ValueError(cte)


def T(text, charset='us-ascii', cte='7bit', subtype='plain', params='',
      extra=(), ctype_case='Content-Type'):
    """A text part."""
    headers = [(ctype_case, 'text/%s; charset="%s"%s' % (subtype, charset, params))]
    if cte:
        headers.append(('Content-Transfer-Encoding', cte))
    headers.extend(extra)
    body = _body_bytes(text, charset, cte)
    if not body.endswith(b'\n'):
        body += b'\n'
    return Part(headers, body)


def Raw(ctype, body, extra=()):
    if isinstance(body, str):
        body = body.encode('utf-8')
    if not body.endswith(b'\n'):
        body += b'\n'
    return Part([('Content-Type', ctype)] + list(extra), body)


def Multi(subtype, parts, boundary, params='', extra=(), preamble=None):
    body = b''
    if preamble:
        body += preamble.encode('ascii') + b'\n'
    for p in parts:
        body += b'\n--' + boundary.encode('ascii') + b'\n' + p.render()
    body += b'\n--' + boundary.encode('ascii') + b'--\n'
    headers = [('Content-Type', 'multipart/%s; %sboundary="%s"' % (
        subtype, params, boundary))] + list(extra)
    return Part(headers, body)


def Rfc822(inner, extra=(), ctype='message/rfc822'):
    return Part([('Content-Type', ctype)] + list(extra), inner)


def build(headers, root=None, text=None, charset='us-ascii', cte='7bit',
          mime=True, crlf=False):
    """A whole message: top-level headers plus either a Part or plain text."""
    out = b''
    for name, value in headers:
        if isinstance(value, str):
            value = value.encode('utf-8')
        out += name.encode('ascii') + b': ' + value + b'\n'
    if root is None:
        body = _body_bytes(text, charset, cte)
        if mime:
            out += b'MIME-Version: 1.0\n'
            out += ('Content-Type: text/plain; charset=%s\n' % charset).encode()
            if cte:
                out += ('Content-Transfer-Encoding: %s\n' % cte).encode()
        out += b'\n' + body
    else:
        if mime:
            out += b'MIME-Version: 1.0\n'
        rendered = root.render()
        out += rendered
    if not out.endswith(b'\n'):
        out += b'\n'
    if crlf:
        out = out.replace(b'\r\n', b'\n').replace(b'\n', b'\r\n')
    return out


# --------------------------------------------------------------------------
# the help desk's own outgoing mail (the "original" inside reports)
# --------------------------------------------------------------------------

SUPPORT = 'support@support.example'
SUPPORT_NAME = 'Example Support'


class Original:
    """One mail ticketd sent; reports quote it."""

    counter = [0]

    def __init__(self, rcpt, subject='Your request has been received',
                 kind='ack', n=None, lang='en', rcpt_name=None):
        Original.counter[0] += 1
        self.num = Original.counter[0]
        self.n = n if n is not None else self.num
        self.rcpt = rcpt
        self.rcpt_name = rcpt_name
        self.ticket = 1000 + self.num * 7
        self.subject = '[#TD-%d] %s' % (self.ticket, subject)
        self.msgid = 'hold-%03d@ticketd.support.example' % self.num
        self.row = 4000 + self.num * 13
        self.mac = hexid(self.num, 8).lower()
        self.envelope = 'support+bounce-%d-%s@support.example' % (self.row, self.mac)
        self.date = when(self.n, '+0000', shift=-90)
        self.kind = kind
        self.lang = lang

    def subject_header(self):
        try:
            self.subject.encode('ascii')
            return self.subject
        except UnicodeEncodeError:
            return b_word(self.subject, 'utf-8')

    @property
    def cite(self):
        return self.msgid

    def header_lines(self, with_received=True):
        h = []
        if with_received:
            h.append(('Return-Path', '<%s>' % self.envelope))
            h.append(('Received', 'from desk1.support.example (desk1.support.example [198.51.100.20])\n'
                      '\tby mx-out.support.example (Postfix) with ESMTPS id %s\n'
                      '\tfor <%s>; %s' % (hexid(self.num + 500, 10), self.rcpt, self.date)))
        h.append(('Date', self.date))
        h.append(('From', '%s <%s>' % (SUPPORT_NAME, SUPPORT)))
        h.append(('Reply-To', '%s <support+t%d-%s@support.example>' % (
            SUPPORT_NAME, self.ticket, hexid(self.num + 900, 6).lower())))
        h.append(('To', addr(self.rcpt_name, self.rcpt) if self.rcpt_name else self.rcpt))
        h.append(('Subject', self.subject_header()))
        h.append(('Message-ID', '<%s>' % self.msgid))
        if self.kind == 'ack':
            h.append(('Auto-Submitted', 'auto-replied'))
        else:
            h.append(('In-Reply-To', '<cust-%d@example.org>' % self.ticket))
        h.append(('MIME-Version', '1.0'))
        h.append(('Content-Type', 'text/plain; charset=utf-8'))
        h.append(('Content-Transfer-Encoding', 'quoted-printable'))
        return h

    def headers_text(self, with_received=True):
        out = ''
        for name, value in self.header_lines(with_received):
            out += '%s: %s\n' % (name, value)
        return out

    def body_text(self):
        if self.kind == 'ack':
            return ('Hello,\n\nthank you for writing to Example Support. We have received '
                    'your message\nand opened ticket TD-%d for it. An agent will answer '
                    'within one\nbusiness day.\n\nPlease keep [#TD-%d] in the subject '
                    'when you reply.\n\n-- \nExample Support\n' % (self.ticket, self.ticket))
        return ('Hello,\n\nwe have reset the VPN profile on our side. Could you try '
                'again and tell\nus whether the connection comes up?\n\nBest regards\n'
                'Jana Novak\nExample Support\n')

    def full(self, with_received=True):
        body = quopri.encodestring(self.body_text().encode('utf-8')).decode('ascii')
        return (self.headers_text(with_received) + '\n' + body).encode('utf-8')

    def headers_only(self, with_received=True):
        return self.headers_text(with_received).encode('utf-8')


# --------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------

class Registry:
    def __init__(self):
        self.items = []
        self.stems = set()

    def add(self, stem, cls, system, based_on, data, cites=None):
        assert stem not in self.stems, stem
        assert cls in CLASSES, cls
        assert isinstance(data, bytes), stem
        self.stems.add(stem)
        self.items.append((stem, cls, system, based_on, data, cites))


REG = Registry()
FAMILIES = []


def family(fn):
    FAMILIES.append(fn)
    return fn


def rcvd(by, to=SUPPORT, n=0, ip='192.0.2.25', frm='mx.support.example',
         proto='ESMTPS', agent='Postfix'):
    """A Received line as our MX would add it."""
    return ('from %s (%s [%s])\n\tby %s (%s) with %s id %s\n\tfor <%s>; %s' % (
        by, by, ip, frm, agent, proto, hexid(n + 77, 10), to, when(n)))


def dsn(per_message, *per_recipient):
    """message/delivery-status body (RFC 3464): field blocks separated by blank lines."""
    blocks = ['\n'.join('%s: %s' % kv for kv in per_message)]
    for r in per_recipient:
        blocks.append('\n'.join('%s: %s' % kv for kv in r))
    return ('\n\n'.join(blocks) + '\n').encode('utf-8')


def DSN(per_message, *per_recipient, extra=()):
    return Part([('Content-Type', 'message/delivery-status')] + list(extra),
                dsn(per_message, *per_recipient))


def postfix_text(host, rcpt_lines, kind='fail', hours=4, days=5):
    if kind == 'fail':
        head = ("This is the mail system at host %s.\n\n"
                "I'm sorry to have to inform you that your message could not\n"
                "be delivered to one or more recipients. It's attached below.\n\n"
                "For further assistance, please send mail to postmaster.\n\n"
                "If you do so, please include this problem report. You can\n"
                "delete your own text from the attached returned message.\n\n"
                "                   The mail system\n\n" % host)
    elif kind == 'delay':
        head = ("This is the mail system at host %s.\n\n"
                "####################################################################\n"
                "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
                "####################################################################\n\n"
                "Your message could not be delivered for more than %d hour(s).\n"
                "It will be retried until it is %d day(s) old.\n\n"
                "For further assistance, please send mail to postmaster.\n\n"
                "If you do so, please include this problem report. You can\n"
                "delete your own text from the attached returned message.\n\n"
                "                   The mail system\n\n" % (host, hours, days))
    else:  # success
        head = ("This is the mail system at host %s.\n\n"
                "Your message was successfully delivered to the destination(s)\n"
                "listed below. If the message was delivered to mailbox you will\n"
                "receive no further notifications. Otherwise you may still receive\n"
                "notifications of mail delivery errors from other systems.\n\n"
                "                   The mail system\n\n" % host)
    return head + rcpt_lines


def postfix_report(n, host, orig, text, status_blocks, subject, charset='us-ascii',
                   cte='7bit', headers_only=False, extra_top=(), from_=None,
                   boundary=None, crlf=False, text_part=None):
    qid = hexid(n + 3, 11)
    boundary = boundary or '%s.%d/%s' % (qid, 1736150000 + n * 977, host)
    per_msg = [('Reporting-MTA', 'dns; %s' % host), ('X-Postfix-Queue-ID', qid),
               ('X-Postfix-Sender', 'rfc822; %s' % orig.envelope),
               ('Arrival-Date', orig.date)]
    note = text_part or T(text, charset, cte, extra=[('Content-Description', 'Notification')])
    note.headers = [('Content-Description', 'Notification')] + [
        h for h in note.headers if h[0] != 'Content-Description']
    parts = [note,
             DSN(per_msg, *status_blocks, extra=[('Content-Description', 'Delivery report')])]
    if headers_only:
        parts.append(Rfc822(orig.headers_only(), ctype='text/rfc822-headers',
                            extra=[('Content-Description', 'Undelivered Message Headers')]))
    else:
        parts.append(Rfc822(orig.full(), extra=[
            ('Content-Description', 'Undelivered Message'),
            ('Content-Transfer-Encoding', '8bit')]))
    root = Multi('report', parts, boundary, params='report-type=delivery-status;\n\t',
                 preamble='This is a MIME-encapsulated message.\n')
    top = [('Return-Path', '<>'),
           ('Received', rcvd(host, orig.envelope, n)),
           ('Date', when(n, '+0100')),
           ('From', from_ or 'MAILER-DAEMON@%s (Mail Delivery System)' % host),
           ('Subject', subject),
           ('To', orig.envelope),
           ('Auto-Submitted', 'auto-replied')]
    top.extend(extra_top)
    top.append(('Message-Id', '<%s.%s@%s>' % (when(n)[5:16].replace(' ', ''), qid, host)))
    return build(top, root, crlf=crlf)


@family
def unix_mtas():
    # --- Postfix with a French bounce template (bounce(5) template file) --------
    o = Original('m.dubois@example.fr', 'Re: accès au portail', kind='reply')
    txt = ("Ceci est le système de messagerie de l'hôte relais.example.fr.\n\n"
           "Nous sommes désolés de vous informer que votre message n'a pas pu\n"
           "être remis à un ou plusieurs destinataires. Il est joint ci-dessous.\n\n"
           "Pour toute aide, écrivez au postmaster en joignant ce rapport.\n\n"
           "                   Le système de messagerie\n\n"
           "<m.dubois@example.fr>: host mx1.example.fr[192.0.2.41] said: 550 5.1.1\n"
           "    <m.dubois@example.fr>: Recipient address rejected: User unknown in\n"
           "    virtual mailbox table (in reply to RCPT TO command)\n")
    data = postfix_report(
        1, 'relais.example.fr', o, txt,
        [[('Final-Recipient', 'rfc822; m.dubois@example.fr'),
          ('Original-Recipient', 'rfc822;m.dubois@example.fr'),
          ('Action', 'failed'), ('Status', '5.1.1'),
          ('Remote-MTA', 'dns; mx1.example.fr'),
          ('Diagnostic-Code', 'smtp; 550 5.1.1 <m.dubois@example.fr>: Recipient address\n'
           '    rejected: User unknown in virtual mailbox table')]],
        q_word('Message non délivré renvoyé à l\'expéditeur', 'iso-8859-1'),
        charset='iso-8859-1', cte='quoted-printable',
        from_='MAILER-DAEMON@relais.example.fr (=?iso-8859-1?Q?Syst=E8me_de_messagerie?=)')
    REG.add('postfix_template_fr', 'delivery_report', 'Postfix (custom French bounce template)',
            'Postfix bounce(5): bounce_template_file lets a site translate the failure template (charset, subject, text); DSN parts per RFC 3464',
            data, o.cite)

    # --- Postfix success DSN (NOTIFY=SUCCESS) ---------------------------------
    o = Original('ops@example.net', 'Maintenance window confirmed', kind='reply')
    txt = postfix_text('mx.example.net', '<ops@example.net>: delivery via local: delivered to mailbox\n',
                       kind='success')
    data = postfix_report(
        2, 'mx.example.net', o, txt,
        [[('Final-Recipient', 'rfc822; ops@example.net'),
          ('Original-Recipient', 'rfc822;ops@example.net'),
          ('Action', 'delivered'), ('Status', '2.0.0'),
          ('Diagnostic-Code', 'X-Postfix; delivery via local: delivered to mailbox')]],
        'Successful Mail Delivery Report', headers_only=True)
    REG.add('postfix_success', 'delivery_report', 'Postfix success DSN',
            'Postfix bounce(5) default success template ("Successful Mail Delivery Report"); RFC 3464 Action: delivered',
            data, o.cite)

    # --- Postfix "relayed" DSN (next hop does not offer DSN) -------------------
    o = Original('archive@example.com', 'Maintenance window confirmed', kind='reply')
    txt = postfix_text('gw.example.com', '<archive@example.com>: delivery via\n'
                       '    archive-store.example.com[192.0.2.200]:25: 250 2.0.0 Ok: queued as 4XkT2m0QzN\n',
                       kind='success').replace('successfully delivered to the destination(s)',
                                               'successfully delivered to the destination(s)')
    data = postfix_report(
        18, 'gw.example.com', o, txt,
        [[('Final-Recipient', 'rfc822; archive@example.com'),
          ('Original-Recipient', 'rfc822;archive@example.com'),
          ('Action', 'relayed'), ('Status', '2.0.0'),
          ('Remote-MTA', 'dns; archive-store.example.com'),
          ('Diagnostic-Code', 'smtp; 250 2.0.0 Ok: queued as 4XkT2m0QzN')]],
        'Successful Mail Delivery Report', headers_only=True)
    REG.add('postfix_relayed', 'delivery_report', 'Postfix relayed DSN',
            'Postfix bounce(5) success template; RFC 3464 Action: relayed (the next hop does not support DSN)',
            data, o.cite)

    # --- Postfix delay warning from Free-like ISP ------------------------------
    o = Original('jeanne.petit@free.test', 'Votre demande a bien été reçue')
    txt = postfix_text('smtp5-g21.free.test',
                       '<jeanne.petit@free.test>: host mx1.free.test[203.0.113.8] said: 451 4.2.0\n'
                       '    Mailbox temporarily unavailable, try again later (in reply to RCPT TO\n'
                       '    command)\n', kind='delay', hours=4, days=5)
    data = postfix_report(
        3, 'smtp5-g21.free.test', o, txt,
        [[('Final-Recipient', 'rfc822; jeanne.petit@free.test'),
          ('Original-Recipient', 'rfc822;jeanne.petit@free.test'),
          ('Action', 'delayed'), ('Status', '4.2.0'),
          ('Remote-MTA', 'dns; mx1.free.test'),
          ('Diagnostic-Code', 'smtp; 451 4.2.0 Mailbox temporarily unavailable, try again later'),
          ('Will-Retry-Until', when(8, '+0100'))]],
        'Delayed Mail (still being retried)', headers_only=True)
    REG.add('postfix_delay_free', 'delivery_report', 'Postfix delay warning (Free-style ISP relay)',
            'Postfix bounce(5) default delay template; RFC 3464 Action: delayed / Will-Retry-Until',
            data, o.cite)

    # --- Postfix relaying to Orange, which refused (ofr_ code) ----------------
    o = Original('claude.martin@orange.test', 'Réponse à votre question', kind='reply')
    txt = postfix_text('mx-out.support.example',
                       '<claude.martin@orange.test>: host smtp-in.orange.test[192.0.2.65] said:\n'
                       '    550 5.5.0 Mail rejete. Mail rejected. ofr_506 [506] (in reply to end of\n'
                       '    DATA command)\n')
    data = postfix_report(
        4, 'mx-out.support.example', o, txt,
        [[('Final-Recipient', 'rfc822; claude.martin@orange.test'),
          ('Original-Recipient', 'rfc822;claude.martin@orange.test'),
          ('Action', 'failed'), ('Status', '5.5.0'),
          ('Remote-MTA', 'dns; smtp-in.orange.test'),
          ('Diagnostic-Code', 'smtp; 550 5.5.0 Mail rejete. Mail rejected. ofr_506 [506]')]],
        'Undelivered Mail Returned to Sender', crlf=True)
    REG.add('postfix_orange_reject', 'delivery_report', 'Postfix bounce of an Orange refusal',
            'Sisimai Rhost::FrancePTT (Orange/Wanadoo "Mail rejete. Mail rejected. ofr_NNN" replies) inside a standard Postfix DSN',
            data, o.cite)

    # --- Sendmail 4-hour warning, headers only --------------------------------
    o = Original('r.ahmed@example.com', 'Your request has been received')
    n = 5
    b = '%s.%d/mail.example.com' % (hexid(n, 9), 1736200000 + n)
    txt = ("**********************************************\n"
           "**      THIS IS A WARNING MESSAGE ONLY      **\n"
           "**  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
           "**********************************************\n\n"
           "The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- Transcript of session follows -----\n"
           "<r.ahmed@example.com>... Deferred: Connection timed out with mx2.example.com.\n"
           "Warning: message still undelivered after 4 hours\n"
           "Will keep trying until message is 5 days old\n" % o.date)
    root = Multi('report', [
        T(txt),
        DSN([('Reporting-MTA', 'dns; mail.example.com'),
             ('Arrival-Date', o.date)],
            [('Final-Recipient', 'RFC822; r.ahmed@example.com'),
             ('Action', 'delayed'), ('Status', '4.4.1'),
             ('Remote-MTA', 'DNS; mx2.example.com'),
             ('Last-Attempt-Date', when(n)),
             ('Will-Retry-Until', when(n + 2))]),
        Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
        b, params='report-type=delivery-status;\n\t',
        preamble='This is a MIME-encapsulated message\n')
    top = [('Return-Path', '<>'), ('Received', rcvd('mail.example.com', o.envelope, n, agent='8.17.1/8.17.1')),
           ('Date', when(n, '-0500')),
           ('From', 'Mail Delivery Subsystem <MAILER-DAEMON@mail.example.com>'),
           ('Message-Id', '<%s.%s@mail.example.com>' % ('2025011' + str(n), hexid(n, 6))),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'Warning: could not send message for past 4 hours'),
           ('Auto-Submitted', 'auto-generated (warning-timeout)')]
    REG.add('sendmail_warning_4h', 'delivery_report', 'Sendmail delay warning',
            'Sisimai Lhost::Sendmail notes and sendmail savemail.c warning text ("THIS IS A WARNING MESSAGE ONLY"); RFC 3464',
            build(top, root), o.cite)

    # --- Sendmail success DSN: subject "Return receipt" ------------------------
    o = Original('accounts@example.org', 'Invoice copy as requested', kind='reply')
    n = 6
    b = '%s.%d/relay.example.org' % (hexid(n, 9), 1736200000 + n)
    txt = ("The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- The following addresses had successful delivery notifications -----\n"
           "<accounts@example.org>  (successfully delivered to mailbox)\n\n"
           "   ----- Transcript of session follows -----\n"
           "<accounts@example.org>... Successfully delivered\n" % o.date)
    root = Multi('report', [
        T(txt),
        DSN([('Reporting-MTA', 'dns; relay.example.org'),
             ('Received-From-MTA', 'DNS; mx-out.support.example'),
             ('Arrival-Date', o.date)],
            [('Final-Recipient', 'RFC822; accounts@example.org'),
             ('Action', 'delivered (to mailbox)'), ('Status', '2.1.5'),
             ('Last-Attempt-Date', when(n))]),
        Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
        b, params='report-type=delivery-status;\n\t',
        preamble='This is a MIME-encapsulated message\n')
    top = [('Return-Path', '<>'), ('Received', rcvd('relay.example.org', o.envelope, n, agent='8.15.2/8.15.2')),
           ('Date', when(n, '+0200')),
           ('From', 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example.org>'),
           ('Message-Id', '<%s.%s@relay.example.org>' % ('2025011' + str(n), hexid(n + 1, 6))),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'Return receipt'),
           ('Auto-Submitted', 'auto-generated (receipt)')]
    REG.add('sendmail_success_receipt', 'delivery_report', 'Sendmail success DSN ("Return receipt")',
            'sendmail returns a success DSN titled "Return receipt" with "had successful delivery notifications"; RFC 3464 Action: delivered',
            build(top, root), o.cite)

    # --- old sendmail V8 without MIME: "Returned mail: User unknown" ----------
    o = Original('hkraus@example.de', 'Ihre Anfrage ist eingegangen')
    n = 7
    body = ("The original message was received at %s\n"
            "from mx-out.support.example [198.51.100.30]\n\n"
            "   ----- The following addresses had permanent fatal errors -----\n"
            "<hkraus@example.de>\n\n"
            "   ----- Transcript of session follows -----\n"
            "... while talking to mail.example.de.:\n"
            ">>> RCPT To:<hkraus@example.de>\n"
            "<<< 550 5.1.1 <hkraus@example.de>... User unknown\n"
            "550 <hkraus@example.de>... User unknown\n\n"
            "   ----- Unsent message follows -----\n" % o.date) + o.full().decode()
    top = [('Return-Path', '<>'),
           ('Received', rcvd('gate.example.de', o.envelope, n, agent='8.9.3/8.9.3')),
           ('Date', when(n, '+0100')),
           ('From', 'Mail Delivery Subsystem <MAILER-DAEMON@gate.example.de>'),
           ('Message-Id', '<19990%d.%s@gate.example.de>' % (n, hexid(n, 6))),
           ('To', o.envelope),
           ('Subject', 'Returned mail: User unknown')]
    REG.add('sendmail_v8_nomime', 'delivery_report', 'Sendmail 8.9 (no MIME)',
            'Sisimai Lhost::V5sendmail / Sendmail notes: "----- Unsent message follows -----" body without MIME',
            build(top, text=body, mime=False), o.cite)

    # --- Exim 24 h delay ------------------------------------------------------
    o = Original('pat@example.org', 'Your request has been received')
    n = 8
    exid = '1u%s-000%s-%s' % (hexid(n, 4), hexid(n + 1, 3), hexid(n + 2, 2))
    body = ("This message was created automatically by mail delivery software.\n"
            "A message that you sent has not yet been delivered to one or more of its\n"
            "recipients after more than 24 hours on the queue on smtp.example.org.\n\n"
            "The message identifier is:     %s\n"
            "The subject of the message is: %s\n"
            "The date of the message is:    %s\n\n"
            "The address to which the message has not yet been delivered is:\n\n"
            "  pat@example.org\n"
            "    Delay reason: SMTP error from remote mail server after RCPT TO:<pat@example.org>:\n"
            "    host mx.example.org [203.0.113.44]: 451 4.3.0 Temporary lookup failure\n\n"
            "No action is required on your part. Delivery attempts will continue for\n"
            "some time, and this warning may be repeated at intervals if the message\n"
            "remains undelivered. Eventually the mail delivery software will give up,\n"
            "and when that happens, the message will be returned to you.\n"
            % (exid, o.subject, o.date))
    top = [('Return-path', '<>'), ('Envelope-to', o.envelope),
           ('Received', 'from mail by smtp.example.org with local (Exim 4.97)\n\tid %s\n\tfor %s; %s' % (
               hexid(n + 40, 16), o.envelope, when(n))),
           ('X-Failed-Recipients', 'pat@example.org'),
           ('Auto-Submitted', 'auto-replied'),
           ('From', 'Mail Delivery System <Mailer-Daemon@smtp.example.org>'),
           ('To', o.envelope),
           ('References', '<%s>' % o.msgid),
           ('Subject', 'Warning: message %s delayed 24 hours' % exid),
           ('Message-Id', '<E%s@smtp.example.org>' % hexid(n + 40, 16)),
           ('Date', when(n))]
    REG.add('exim_delay_24h', 'delivery_report', 'Exim delay warning',
            'Exim spec "Delay warning messages" (warn_message_file default text) and Sisimai Lhost::Exim "Delay reason:" notes',
            build(top, text=body, mime=False), o.cite)

    # --- Exim on a shared host: copy of the message inline ---------------------
    o = Original('info@kanzlei-example.de', 'Ihre Anfrage ist eingegangen')
    n = 9
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            "  info@kanzlei-example.de\n"
            "    mailbox is full: retry timeout exceeded\n\n"
            "------ This is a copy of the message, including all the headers. ------\n\n"
            ) + o.full().decode()
    top = [('Return-path', '<>'), ('Envelope-to', o.envelope),
           ('Delivery-date', when(n)),
           ('Received', 'from mailnull by server42.hosting.example with local (Exim 4.96.2)\n\tid %s\n\tfor %s; %s' % (
               hexid(n + 40, 16), o.envelope, when(n))),
           ('X-Failed-Recipients', 'info@kanzlei-example.de'),
           ('Auto-Submitted', 'auto-replied'),
           ('From', 'Mail Delivery System <Mailer-Daemon@server42.hosting.example>'),
           ('To', o.envelope),
           ('Subject', 'Mail delivery failed: returning message to sender'),
           ('Message-Id', '<E%s@server42.hosting.example>' % hexid(n + 40, 16)),
           ('Date', when(n))]
    REG.add('exim_shared_host_quota', 'delivery_report', 'Exim (cPanel-style shared host)',
            'Exim spec bounce_message_file default text; "------ This is a copy of the message, including all the headers. ------"',
            build(top, text=body, mime=False, crlf=True), o.cite)

    # --- qmail, no Message-ID --------------------------------------------------
    o = Original('t.sato@example.jp', 'Your request has been received')
    n = 10
    body = ("Hi. This is the qmail-send program at mail.example.jp.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            "<t.sato@example.jp>:\n"
            "Sorry, no mailbox here by that name. vpopmail (#5.1.1)\n\n"
            "--- Below this line is a copy of the message.\n\n") + o.full().decode()
    top = [('Return-Path', '<>'),
           ('Received', '(qmail 28114 invoked for bounce); %s' % when(n, shift=3)),
           ('Date', when(n, shift=3)),
           ('From', 'MAILER-DAEMON@mail.example.jp'),
           ('To', o.envelope),
           ('Subject', 'failure notice')]
    REG.add('qmail_vpopmail', 'delivery_report', 'qmail + vpopmail',
            'Sisimai Lhost::qmail (qmail-send bounce text, "--- Below this line is a copy of the message."); vpopmail "no mailbox here by that name"',
            build(top, text=body, mime=False), o.cite)

    # --- Courier failure -------------------------------------------------------
    o = Original('lee@example.net', 'Your request has been received')
    n = 11
    b = '=_courier-%d-%d' % (1736300000 + n, 4711 + n)
    txt = ("This is a delivery status notification from mail.example.net,\n"
           "running the Courier mail server, version 1.3.12.\n\n"
           "The original message was received on %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "---------------------------------------------------------------------------\n\n"
           "                           UNDELIVERABLE MAIL\n\n"
           "Your message to the following recipients cannot be delivered:\n\n"
           "<lee@example.net>:\n"
           "    mx.example.net [203.0.113.71]:\n"
           ">>> RCPT TO:<lee@example.net>\n"
           "<<< 550 5.1.1 <lee@example.net>: Recipient address rejected: User unknown\n\n"
           "---------------------------------------------------------------------------\n\n"
           "If your message was also sent to additional recipients, their delivery\n"
           "status is not included in this report.  You may or may not receive\n"
           "other delivery status notifications for additional recipients.\n\n"
           "The original message follows as a separate attachment.\n" % o.date)
    root = Multi('report', [
        T(txt, 'iso-8859-1', '7bit'),
        DSN([('Reporting-MTA', 'dns; mail.example.net'),
             ('Arrival-Date', o.date)],
            [('Final-Recipient', 'rfc822; lee@example.net'),
             ('Action', 'failed'), ('Status', '5.0.0'),
             ('Remote-MTA', 'dns; mx.example.net [203.0.113.71]'),
             ('Diagnostic-Code', 'smtp; 550 5.1.1 <lee@example.net>: Recipient address rejected: User unknown')]),
        Rfc822(o.full())], b, params='report-type=delivery-status;\n    ',
        preamble='This is a MIME-formatted message.  If you see this text it means that your\nE-mail software does not support MIME-formatted messages.\n')
    top = [('Return-Path', '<>'),
           ('Received', rcvd('mail.example.net', o.envelope, n, agent='Courier')),
           ('From', '"Courier mail server at mail.example.net" <@>'),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'NOTICE: mail delivery status.'),
           ('Date', when(n)),
           ('Message-ID', '<courier.%s.%s@mail.example.net>' % (hexid(n, 8), hexid(n + 1, 8)))]
    REG.add('courier_failure', 'delivery_report', 'Courier MTA failure',
            'Courier courierdsn documentation and Sisimai Lhost::Courier notes ("UNDELIVERABLE MAIL", From "Courier mail server at")',
            build(top, root), o.cite)

    # --- Courier delay ---------------------------------------------------------
    o = Original('ana@example.net', 'Your request has been received')
    n = 12
    b = '=_courier-%d-%d' % (1736300000 + n, 4711 + n)
    txt = ("This is a delivery status notification from mail.example.net,\n"
           "running the Courier mail server, version 1.3.12.\n\n"
           "The original message was received on %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "---------------------------------------------------------------------------\n\n"
           "                     DELAYS IN DELIVERING YOUR MESSAGE\n\n"
           "This is a warning message only.  There is no need to resend your message.\n"
           "Delivery of your message to the following recipients has been delayed:\n\n"
           "<ana@example.net>:\n"
           "    mx.example.net [203.0.113.71]:\n"
           "<<< 421 4.7.0 Try again later, closing connection.\n\n"
           "Delivery attempts will continue to be made for a limited time.\n" % o.date)
    root = Multi('report', [
        T(txt, 'iso-8859-1', '7bit'),
        DSN([('Reporting-MTA', 'dns; mail.example.net'), ('Arrival-Date', o.date)],
            [('Final-Recipient', 'rfc822; ana@example.net'),
             ('Action', 'delayed'), ('Status', '4.0.0'),
             ('Remote-MTA', 'dns; mx.example.net [203.0.113.71]'),
             ('Diagnostic-Code', 'smtp; 421 4.7.0 Try again later, closing connection.')]),
        Rfc822(o.headers_only(), ctype='text/rfc822-headers')], b,
        params='report-type=delivery-status;\n    ')
    top = [('Return-Path', '<>'),
           ('From', '"Courier mail server at mail.example.net" <@>'),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'WARNING: delayed mail.'),
           ('Date', when(n)),
           ('Message-ID', '<courier.%s.%s@mail.example.net>' % (hexid(n, 8), hexid(n + 1, 8)))]
    REG.add('courier_delay', 'delivery_report', 'Courier MTA delay',
            'Courier courierdsn documentation ("DELAYS IN DELIVERING YOUR MESSAGE", "WARNING: delayed mail.")',
            build(top, root), o.cite)

    # --- OpenSMTPD error and warning ------------------------------------------
    for i, (kind, rcpt) in enumerate([('error', 'bsd@example.org'), ('warning', 'puffy@example.org')]):
        o = Original(rcpt, 'Your request has been received')
        n = 13 + i
        b = '%s/smtpd.example.org' % hexid(n, 16).lower()
        if kind == 'error':
            intro = ("    An error has occurred while attempting to deliver a message for\n"
                     "    the following list of recipients:\n\n"
                     "%s: 550 5.2.2 <%s>: Mailbox full\n\n" % (rcpt, rcpt))
            subj = 'Delivery status notification: error'
            st = [('Action', 'failed'), ('Status', '5.2.2'),
                  ('Diagnostic-Code', 'smtp; 550 5.2.2 <%s>: Mailbox full' % rcpt)]
        else:
            intro = ("    A message is delayed for more than 4 hours for the following\n"
                     "    list of recipients:\n\n"
                     "%s: Network error on destination MXs\n\n"
                     "    Please note that this is only a temporary failure report.\n"
                     "    The message is kept in the queue for up to 4 days.\n"
                     "    You DO NOT NEED to re-send the message to these recipients.\n\n" % rcpt)
            subj = 'Delivery status notification: warning'
            st = [('Action', 'delayed'), ('Status', '4.4.1'),
                  ('Diagnostic-Code', 'smtp; Network error on destination MXs')]
        txt = ("    Hi!\n\n"
               "    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n"
               + intro +
               "    Below is a copy of the original message:\n\n") + o.headers_text()
        root = Multi('report', [
            T(txt, 'us-ascii', '7bit', extra=[('Content-Description', 'Notification')]),
            DSN([('Reporting-MTA', 'dns; smtpd.example.org'),
                 ('Arrival-Date', o.date)],
                [('Final-Recipient', 'rfc822; %s' % rcpt)] + st,
                extra=[('Content-Description', 'Delivery Status')]),
            Rfc822(o.headers_only(), ctype='text/rfc822-headers',
                   extra=[('Content-Description', 'Message headers')])],
            b, params='report-type=delivery-status;\n\t',
            preamble='This is a MIME-encapsulated message.\n')
        top = [('Return-Path', '<>'),
               ('Received', 'from localhost (localhost [127.0.0.1])\n\tby smtpd.example.org (OpenSMTPD) with ESMTPA id %s\n\tfor <%s>;\n\t%s' % (
                   hexid(n, 8).lower(), o.envelope, when(n))),
               ('Date', when(n)),
               ('From', 'Mailer Daemon <MAILER-DAEMON@smtpd.example.org>'),
               ('To', o.envelope),
               ('Subject', subj),
               ('Message-ID', '<%s@smtpd.example.org>' % hexid(n + 9, 16).lower())]
        REG.add('opensmtpd_%s' % kind, 'delivery_report', 'OpenSMTPD %s report' % kind,
                'OpenSMTPD bounce.c notice texts as quoted in Sisimai Lhost::OpenSMTPD',
                build(top, root), o.cite)

    # --- Haraka ----------------------------------------------------------------
    o = Original('dev@example.io.example', 'Your request has been received')
    n = 15
    b = 'haraka-%s' % hexid(n, 12)
    txt = ("Hi. This is the Haraka Mailer program at outbound1.example.com.\n"
           "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
           "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
           "Intended Recipients: dev@example.io.example\n"
           "Failure Reason: 550 5.1.1 <dev@example.io.example>: user does not exist\n")
    root = Multi('report', [
        T(txt),
        DSN([('Reporting-MTA', 'dns;outbound1.example.com'),
             ('Arrival-Date', o.date)],
            [('Final-Recipient', 'rfc822;dev@example.io.example'),
             ('Action', 'failed'), ('Status', '5.1.1'),
             ('Remote-MTA', 'dns;mx.example.io.example'),
             ('Diagnostic-Code', 'smtp;550 5.1.1 <dev@example.io.example>: user does not exist')]),
        Rfc822(o.full())], b, params='report-type=delivery-status; ')
    top = [('Received', '(Haraka 31337 invoked for bounce); %s' % when(n)),
           ('Date', when(n)),
           ('From', 'MAILER-DAEMON@outbound1.example.com'),
           ('To', o.envelope),
           ('Subject', 'failure notice'),
           ('Message-Id', '<%s-%s@outbound1.example.com>' % (hexid(n, 8), hexid(n + 2, 4)))]
    REG.add('haraka_failure', 'delivery_report', 'Haraka outbound bounce',
            'Haraka config/outbound.bounce_message default template ("Hi. This is the Haraka Mailer program at ...")',
            build(top, root), o.cite)

    # --- DragonFly Mail Agent (dma), headers follow ---------------------------
    o = Original('admin@example.test', 'Your request has been received')
    n = 16
    body = ("This is the DragonFly Mail Agent v0.13 at backup.example.com.\n\n"
            "There was an error delivering your mail to <admin@example.test>.\n\n"
            "mx.example.test [192.0.2.99] did not like our RCPT TO:\n"
            "550 5.7.1 <admin@example.test>: Relay access denied\n\n"
            "Message headers follow.\n\n") + o.headers_text()
    top = [('Received', 'from MAILER-DAEMON\n\tid %s\n\tby backup.example.com (DragonFly Mail Agent v0.13);\n\t%s' % (
               hexid(n, 5).lower(), when(n))),
           ('X-Original-To', '<%s>' % o.envelope),
           ('From', 'MAILER-DAEMON <>'),
           ('To', o.envelope),
           ('Subject', 'Mail delivery failed'),
           ('Message-Id', '<%s@backup.example.com>' % hexid(n, 5).lower()),
           ('Date', when(n))]
    REG.add('dma_failure', 'delivery_report', 'DragonFly Mail Agent',
            'Sisimai Lhost::DragonFly description and its public sample structure (plain text, "Message headers follow.")',
            build(top, text=body, mime=False), o.cite)

    # --- T-Online / Deutsche Telekom (Smail banners) ---------------------------
    o = Original('g.hoffmann@t-online.test', 'Ihre Anfrage ist eingegangen')
    n = 17
    body = ("|------------------------- Failed addresses follow: ---------------------|\n"
            " <g.hoffmann@t-online.test>\n"
            "   552 5.2.2 <g.hoffmann@t-online.test> Quota exceeded (mailbox for user is full)\n\n"
            "|------------------------- Message header follows: ----------------------|\n"
            ) + o.headers_text()
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error.\n\n") + body
    top = [('Return-Path', '<>'),
           ('Received', 'from mailin42.t-online.test (mailin42.t-online.test [192.0.2.142])\n\tby mailout11.t-online.test (Postfix) with SMTP id %s\n\tfor <%s>; %s' % (
               hexid(n, 10), o.envelope, when(n, '+0100'))),
           ('From', 'Mail Delivery System <Mailer-Daemon@t-online.test>'),
           ('To', o.envelope),
           ('Subject', 'Mail delivery failed: returning message to sender'),
           ('X-TOI-MSGID', '%s-%s-4%s-b%s-%s' % (hexid(n, 8).lower(), hexid(n + 1, 4).lower(),
                                                hexid(n + 2, 3).lower(), hexid(n + 3, 3).lower(), hexid(n + 4, 12).lower())),
           ('Date', when(n, '+0100')),
           ('Message-Id', '<%s@mailout11.t-online.test>' % hexid(n + 5, 14))]
    REG.add('telekom_smail_banners', 'delivery_report', 'T-Online / Deutsche Telekom',
            'Sisimai Lhost::DeutscheTelekom notes (Smail 3 banners "Failed addresses follow:" / "Message header follows:", X-TOI-MSGID)',
            build(top, text=body, mime=False), o.cite)


EXCH_LANGS = {
    # lang: (subject prefix, content-language, intro, diag, genserver, orighdrs, charset, cte, confirmed?)
    'pl': ('Niedostarczalne: ', 'pl-PL',
           'Dostarczenie do tych adresatów lub grup nie powiodło się:',
           'Informacje diagnostyczne dla administratorów:', 'Serwer generujący:',
           'Oryginalne nagłówki wiadomości:', 'iso-8859-2', 'quoted-printable',
           'Nie znaleziono wprowadzonego adresu e-mail. Sprawdź adres adresata i spróbuj wysłać wiadomość ponownie.'),
    'ru': ('Не доставлено: ', 'ru-RU',
           'Не удалось доставить сообщение следующим получателям или группам:',
           'Диагностические сведения для администраторов:', 'Создающий сервер:',
           'Исходные заголовки сообщения:', 'koi8-r', 'base64',
           'Указанный адрес электронной почты не найден. Проверьте адрес получателя и повторите отправку.'),
    'zh': ('无法传递: ', 'zh-CN',
           '传递到这些收件人或组失败:',
           '管理员诊断信息:', '生成服务器:', '原始邮件头:', 'gb2312', 'base64',
           '找不到您输入的电子邮件地址。请检查收件人的电子邮件地址，然后尝试重新发送邮件。'),
    'ko': ('배달되지 않음: ', 'ko-KR',
           '다음 받는 사람 또는 그룹에 배달하지 못했습니다.',
           '관리자용 진단 정보:', '생성 서버:', '원래 메시지 헤더:', 'ks_c_5601-1987', 'base64',
           '입력한 전자 메일 주소를 찾을 수 없습니다. 받는 사람의 전자 메일 주소를 확인한 후 메시지를 다시 보내십시오.'),
    'tr': ('Teslim Edilemedi: ', 'tr-TR',
           'Şu alıcılara veya gruplara teslim başarısız oldu:',
           'Yöneticiler için tanılama bilgileri:', 'Oluşturan sunucu:',
           'Özgün ileti üst bilgileri:', 'iso-8859-9', 'quoted-printable',
           'Girdiğiniz e-posta adresi bulunamadı. Alıcının e-posta adresini denetleyip iletiyi yeniden gönderin.'),
    'sv': ('Olevererbart: ', 'sv-SE',
           'Leveransen till de här mottagarna eller grupperna misslyckades:',
           'Diagnostisk information för administratörer:', 'Genererande server:',
           'Ursprungshuvuden:', 'iso-8859-1', 'quoted-printable',
           'Det gick inte att hitta e-postadressen du angav. Kontrollera mottagarens e-postadress och försök skicka meddelandet igen.'),
    'cs': ('Nedoručitelné: ', 'cs-CZ',
           'Doručení následujícím příjemcům nebo skupinám se nezdařilo:',
           'Diagnostické informace pro správce:', 'Generující server:',
           'Původní záhlaví zprávy:', 'windows-1250', 'quoted-printable',
           'Zadanou e-mailovou adresu se nepodařilo najít. Zkontrolujte adresu příjemce a zkuste zprávu odeslat znovu.'),
    'nb': ('Kan ikke leveres: ', 'nb-NO',
           'Levering til disse mottakerne eller gruppene mislyktes:',
           'Diagnostisk informasjon for administratorer:', 'Genererende server:',
           'Opprinnelige meldingshoder:', 'utf-8', 'quoted-printable',
           'Finner ikke e-postadressen du skrev inn. Kontroller mottakerens e-postadresse, og prøv å sende meldingen på nytt.'),
}


def exchange_ndr(n, lang, o, host, org_domain, code, subj_enc='B', autosub=True,
                 headers_only=True, crlf=True):
    pre, clang, intro, diag, gen, orig_h, cs, cte, human = EXCH_LANGS[lang]
    rcpt = o.rcpt
    text = ('%s\n\n%s\n%s\n\n\n\n\n\n%s\n\n%s %s\n\n%s\n#%s ##\n\n%s\n\n' % (
        intro, rcpt, human, diag, gen, host, rcpt, code, orig_h)) + o.headers_text(False)
    html = ('<html dir="ltr"><head><meta http-equiv="Content-Type" content="text/html; charset=%s">'
            '</head><body><p><b><font color="#000066" size="3" face="Arial">%s</font></b></p>'
            '<p><a href="mailto:%s">%s</a><br>%s</p><br><br><p><font size="2">%s</font></p>'
            '<p><font size="2">%s %s</font></p><p><font size="2">%s<br>#%s ##</font></p>'
            '<p><font size="2">%s</font></p><pre>%s</pre></body></html>\n' % (
                cs, intro, rcpt, rcpt, human, diag, gen, host, rcpt, code, orig_h,
                o.headers_text(False).replace('<', '&lt;').replace('>', '&gt;')))
    alt = Multi('alternative', [T(text, cs, cte), T(html, cs, cte, subtype='html')],
                '_000_%s_' % hexid(n + 100, 24))
    guid = '%s-%s-%s-%s-%s' % (hexid(n, 8).lower(), hexid(n + 1, 4).lower(), hexid(n + 2, 4).lower(),
                               hexid(n + 3, 4).lower(), hexid(n + 4, 12).lower())
    parts = [alt,
             DSN([('Reporting-MTA', 'dns;%s' % host), ('Received-From-MTA', 'dns;%s' % host),
                  ('Arrival-Date', o.date)],
                 [('Final-Recipient', 'rfc822;%s' % rcpt), ('Action', 'failed'),
                  ('Status', code.split(' ')[1]), ('Diagnostic-Code', 'smtp;%s' % code)])]
    if headers_only:
        parts.append(Rfc822(o.headers_only(False), ctype='text/rfc822-headers'))
    else:
        parts.append(Rfc822(o.full(False)))
    root = Multi('report', parts, '_%03d_%s_' % (n, hexid(n + 200, 20)),
                 params='report-type=delivery-status;\n\t')
    subj = (b_word if subj_enc == 'B' else q_word)(pre + o.subject, 'utf-8')
    top = [('Return-Path', '<>'),
           ('Received', 'from %s (192.0.2.%d) by %s (192.0.2.%d) with Microsoft SMTP Server\n'
            ' (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.1.2507.39;\n %s' % (
                host, 10 + n % 200, 'edge.' + org_domain, 11 + n % 200, when(n, '+0100'))),
           ('From', 'Microsoft Exchange <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@%s>' % org_domain),
           ('To', o.envelope),
           ('Date', when(n, '+0100')),
           ('Subject', subj),
           ('Thread-Topic', subj),
           ('Thread-Index', 'AQHb%s==' % hexid(n + 300, 20)),
           ('Message-ID', '<%s@%s>' % (guid, host)),
           ('Content-Language', clang),
           ('X-MS-Has-Attach', 'yes'),
           ('X-MS-Exchange-Organization-SCL', '-1'),
           ('X-MS-TNEF-Correlator', ''),
           ('X-MS-Exchange-Organization-AuthSource', host),
           ('X-MS-Exchange-Organization-AuthAs', 'Internal')]
    if autosub:
        top.append(('Auto-Submitted', 'auto-replied'))
    return build(top, root, crlf=crlf)


def o365_ndr(n, o, texts, subject_prefix, clang, domain, status='550 5.1.10',
             error='RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
             cs='utf-8', cte='quoted-printable', from_=None):
    host = 'AM%dPR0%dMB%04d.eurprd0%d.prod.outlook.test' % (6 + n % 3, n % 9, 1000 + n * 7, n % 7)
    rcpt = o.rcpt
    text = texts['plain'].format(rcpt=rcpt, domain=domain, status=status, error=error,
                                 host=host, date=o.date, sender=o.envelope,
                                 subject=o.subject)
    html = '<html><body><pre style="font-family:Segoe UI">%s</pre></body></html>\n' % (
        text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;'))
    alt = Multi('alternative', [T(text, cs, cte), T(html, cs, cte, subtype='html')],
                'alt_%s' % hexid(n + 31, 20))
    rel = Multi('related', [alt, Raw('image/png', base64.encodebytes(b'\x89PNG\r\n\x1a\n' + bytes(24)),
                                     extra=[('Content-Transfer-Encoding', 'base64'),
                                            ('Content-ID', '<red-arrow.png>'),
                                            ('Content-Disposition', 'inline; filename="red-arrow.png"')])],
                'rel_%s' % hexid(n + 32, 20), params='type="multipart/alternative";\n\t')
    parts = [rel,
             DSN([('Reporting-MTA', 'dns;%s' % host), ('Received-From-MTA', 'dns;%s' % host.replace('MB', 'XP')),
                  ('Arrival-Date', o.date)],
                 [('Original-Recipient', 'rfc822;%s' % rcpt), ('Final-Recipient', 'rfc822;%s' % rcpt),
                  ('Action', 'failed'), ('Status', status.split(' ')[1]),
                  ('Diagnostic-Code', 'smtp;%s %s' % (status, error))]),
             Rfc822(o.headers_only(False), ctype='text/rfc822-headers')]
    root = Multi('report', parts, '_%s_' % hexid(n + 33, 26), params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'),
           ('From', from_ or 'Microsoft Outlook\n <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@support.example>'),
           ('To', o.envelope),
           ('Date', when(n, '+0000')),
           ('Content-Language', clang),
           ('Message-ID', '<%s@%s>' % (hexid(n + 34, 8).lower() + '-' + hexid(n + 35, 4).lower(), host)),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('References', '<%s>' % o.msgid),
           ('Subject', b_word(subject_prefix + o.subject)),
           ('Auto-Submitted', 'auto-replied'),
           ('X-MS-Exchange-Message-Is-Ndr', ''),
           ('X-MS-PublicTrafficType', 'Email'),
           ('X-MS-Exchange-Organization-SCL', '-1'),
           ('X-MS-Exchange-CrossTenant-OriginalArrivalTime', '%s' % when(n, '+0000')[5:25])]
    return build(top, root, crlf=True)


O365_FR = {'plain': (
    "Votre message à {rcpt} n'a pas pu être remis.\n\n"
    "{rcpt} n'a pas été trouvé sur {domain}.\n\n"
    "support             Office 365             {domain}\n"
    "Action requise                             Destinataire\n\n"
    "Adresse de destinataire inconnue\n\n"
    "Comment résoudre ce problème\n"
    "Il est possible que l'adresse soit mal orthographiée ou qu'elle n'existe pas.\n"
    "Vérifiez l'adresse, puis renvoyez le message.\n\n"
    "Plus d'infos pour les administrateurs de messagerie\n"
    "Code d'état : {status}\n\n"
    "Détails du message d'origine\n"
    "Date de création :      {date}\n"
    "Adresse de l'expéditeur :   {sender}\n"
    "Adresse du destinataire :   {rcpt}\n"
    "Objet :                 {subject}\n\n"
    "Détails de l'erreur\n"
    "Erreur signalée :  {status} {error}\n"
    "DSN généré par :   {host}\n\n"
    "En-têtes de message d'origine :\n")}

O365_JA = {'plain': (
    "{rcpt} にメッセージを配信できませんでした。\n\n"
    "{domain} に {rcpt} が見つかりませんでした。\n\n"
    "対処方法\n"
    "アドレスのスペルが間違っているか、アドレスが存在しない可能性があります。\n"
    "アドレスを確認してから、メッセージを再送信してください。\n\n"
    "メール管理者向けの詳細情報\n"
    "状態コード: {status}\n\n"
    "元のメッセージの詳細\n"
    "作成日:     {date}\n"
    "送信者アドレス:  {sender}\n"
    "受信者アドレス:  {rcpt}\n"
    "件名:       {subject}\n\n"
    "エラーの詳細\n"
    "報告されたエラー:  {status} {error}\n"
    "DSN の生成元:     {host}\n\n"
    "元のメッセージ ヘッダー:\n")}

O365_ES = {'plain': (
    "No se pudo entregar su mensaje a {rcpt}.\n\n"
    "El buzón de {rcpt} está lleno.\n\n"
    "Acción necesaria                             Destinatario\n\n"
    "Buzón lleno\n\n"
    "Cómo solucionarlo\n"
    "Intente enviar el mensaje más tarde o comuníquese con el destinatario por otro medio.\n\n"
    "Más información para los administradores de correo electrónico\n"
    "Código de estado: {status}\n\n"
    "Detalles del mensaje original\n"
    "Fecha de creación:   {date}\n"
    "Dirección del remitente:  {sender}\n"
    "Dirección del destinatario: {rcpt}\n"
    "Asunto:  {subject}\n\n"
    "Detalles del error\n"
    "Error notificado: {status} {error}\n"
    "DSN generado por:  {host}\n")}

O365_EN_QUOTA = {'plain': (
    "Your message to {rcpt} couldn't be delivered.\n\n"
    "{rcpt}'s mailbox is full.\n\n"
    "support             Outlook             {domain}\n"
    "Action Required                         Recipient\n\n"
    "Mailbox full\n\n"
    "How to Fix It\n"
    "The recipient's mailbox is full and can't accept messages now. Try\n"
    "resending the message later, or contact the recipient directly.\n\n"
    "More Info for Email Admins\n"
    "Status code: {status}\n\n"
    "Original Message Details\n"
    "Created Date:     {date}\n"
    "Sender Address:   {sender}\n"
    "Recipient Address:  {rcpt}\n"
    "Subject:          {subject}\n\n"
    "Error Details\n"
    "Reported error:  {status} {error}\n"
    "DSN generated by:  {host}\n\n"
    "Original Message Headers\n")}


@family
def microsoft():
    # --- Exchange 2010-2019 in eight more languages ---------------------------
    people = {'pl': ('k.nowak@example.pl', 'Potwierdzenie zgłoszenia'),
              'ru': ('i.petrova@example.ru', 'Ваше обращение зарегистрировано'),
              'zh': ('wang.fang@example.cn', '您的请求已收到'),
              'ko': ('kim.minji@example.kr', '문의가 접수되었습니다'),
              'tr': ('a.yilmaz@example.com.tr', 'Talebiniz alındı'),
              'sv': ('e.lindqvist@example.se', 'Vi har tagit emot ditt ärende'),
              'cs': ('p.dvorak@example.cz', 'Váš požadavek byl přijat'),
              'nb': ('o.hansen@example.no', 'Vi har mottatt henvendelsen din')}
    codes = ['550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
             '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
             '550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient',
             '550 4.4.7 QUEUE.Expired; message expired',
             '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain',
             '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized',
             '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found',
             '550 5.2.2 STOREDRV.Deliver: mailbox full']
    confirmed = {'sv'}
    for i, lang in enumerate(['pl', 'ru', 'zh', 'ko', 'tr', 'sv', 'cs', 'nb']):
        rcpt, subj = people[lang]
        o = Original(rcpt, subj)
        dom = rcpt.split('@')[1]
        host = 'EXCH%02d.%s' % (i + 1, dom)
        data = exchange_ndr(20 + i, lang, o, host, dom, codes[i],
                            subj_enc='Q' if lang in ('pl', 'cs', 'tr', 'sv') else 'B',
                            autosub=(i % 2 == 0), headers_only=(i != 3))
        REG.add('exchange2016_%s' % lang, 'delivery_report', 'Exchange Server 2010-2019 NDR (%s)' % EXCH_LANGS[lang][1],
                'Sisimai Lhost::Exchange2007 (localized Undeliverable/"Diagnostic information for administrators"/"Generating server" markers, RESOLVER/QUEUE codes); '
                + ('sv-SE strings as listed there' if lang in confirmed else 'localized wording inferred'),
                data, o.cite)

    # --- Exchange Online / Office 365 enhanced NDR: fr, ja, es; Outlook.com quota
    o = Original('l.bernard@example.fr', 'Votre demande a bien été reçue')
    REG.add('o365_ndr_fr', 'delivery_report', 'Exchange Online enhanced NDR (fr-FR)',
            'Microsoft Learn "Non-delivery reports in Exchange Online" (enhanced NDR layout, status 5.1.10); Sisimai Lhost::Exchange2007 fr-FR markers ("Non remis", "En-têtes de message d\'origine")',
            o365_ndr(30, o, O365_FR, 'Non remis : ', 'fr-FR', 'example.fr'), o.cite)
    o = Original('yamada.taro@example.jp', 'お問い合わせを受け付けました')
    REG.add('o365_ndr_ja', 'delivery_report', 'Exchange Online enhanced NDR (ja-JP)',
            'Microsoft Learn "Non-delivery reports in Exchange Online" layout; Japanese wording inferred',
            o365_ndr(31, o, O365_JA, '配信不能: ', 'ja-JP', 'example.jp', cte='base64'), o.cite)
    o = Original('m.garcia@example.es', 'Hemos recibido su solicitud')
    REG.add('o365_ndr_es_quota', 'delivery_report', 'Exchange Online enhanced NDR (es-ES, mailbox full)',
            'Microsoft Learn "Fix NDR error 550 5.2.2 in Exchange Online" and enhanced NDR layout; Spanish wording inferred',
            o365_ndr(32, o, O365_ES, 'No se puede entregar: ', 'es-ES', 'example.es',
                     status='554 5.2.2', error='mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException'),
            o.cite)
    o = Original('sam.taylor@outlook.test', 'Your request has been received')
    REG.add('outlookcom_quota', 'delivery_report', 'Outlook.com (consumer) NDR, mailbox full',
            'Microsoft Learn enhanced NDR layout; Sisimai Lhost::Exchange2007 sender "postmaster@outlook.com"',
            o365_ndr(33, o, O365_EN_QUOTA, 'Undeliverable: ', 'en-US', 'outlook.test',
                     status='554 5.2.2', error='mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded',
                     from_='postmaster@outlook.test'),
            o.cite)

    # --- Exchange Online delivery receipts: "Delivered:" and "Zugestellt:" -----
    for i, (lang, pre, clang, line, rcpt) in enumerate([
            ('en', 'Delivered: ', 'en-US', 'Your message has been delivered to the following recipients:', 'it-desk@example.com'),
            ('de', 'Zugestellt: ', 'de-DE', 'Ihre Nachricht wurde an die folgenden Empfänger übermittelt:', 'einkauf@example.de')]):
        o = Original(rcpt, 'Invoice copy as requested', kind='reply')
        n = 34 + i
        host = 'DB%dPR03MB%04d.eurprd03.prod.outlook.test' % (8 + i, 2200 + n)
        text = '%s\n\n%s (%s)\n\n%s %s\n' % (line, rcpt, rcpt, 'Subject:' if lang == 'en' else 'Betreff:', o.subject)
        alt = Multi('alternative', [T(text, 'utf-8', 'quoted-printable'),
                                    T('<html><body><p>%s</p><p><a href="mailto:%s">%s</a></p></body></html>' % (line, rcpt, rcpt),
                                      'utf-8', 'quoted-printable', subtype='html')], 'alt_%s' % hexid(n, 16))
        root = Multi('report', [alt,
                                DSN([('Reporting-MTA', 'dns;%s' % host), ('Arrival-Date', o.date)],
                                    [('Final-Recipient', 'rfc822;%s' % rcpt), ('Action', 'delivered'),
                                     ('Status', '2.0.0'), ('X-Display-Name', rcpt)]),
                                Rfc822(o.headers_only(False), ctype='text/rfc822-headers')],
                     '_%s_' % hexid(n + 1, 24), params='report-type=delivery-status;\n\t')
        top = [('From', 'postmaster@%s' % rcpt.split('@')[1]),
               ('To', o.envelope), ('Date', when(n)),
               ('Subject', q_word(pre + o.subject) if lang == 'de' else pre + o.subject),
               ('Content-Language', clang),
               ('Message-ID', '<%s@%s>' % (hexid(n + 2, 12).lower(), host)),
               ('In-Reply-To', '<%s>' % o.msgid), ('References', '<%s>' % o.msgid),
               ('Auto-Submitted', 'auto-generated'),
               ('X-MS-Exchange-Message-Is-Ndr', ''),
               ('Return-Path', '<>')]
        REG.add('o365_delivered_%s' % lang, 'delivery_report', 'Exchange Online delivery receipt (%s)' % clang,
                'RFC 3464 Action: delivered; MS-OXCMAIL delivery-receipt mapping ("Delivered:" subject prefix); German wording inferred',
                build(top, root, crlf=True), o.cite)

    # --- Exchange 5.5 Internet Mail Service -------------------------------------
    o = Original('dbrown@example.com', 'Your request has been received')
    n = 36
    txt = ("Your message\n\n"
           "  To:      %s\n"
           "  Subject: %s\n"
           "  Sent:    %s\n\n"
           "did not reach the following recipient(s):\n\n"
           "%s on %s\n"
           "    The recipient name is not recognized\n"
           "\tThe MTS-ID of the original message is: c=US;a= ;p=Example Corp;l=MAIL01-%s\n"
           "    MSEXCH:IMS:Example Corp:HQ:MAIL01 0 (000C05A6) Unknown Recipient\n" % (
               o.rcpt, o.subject, o.date, o.rcpt, when(n), hexid(n, 12)))
    root = Multi('mixed', [T(txt, 'iso-8859-1', None), Rfc822(o.full())],
                 '----- =_NextPart_000_01C%s' % hexid(n, 8),
                 preamble="This message is in MIME format. Since your mail reader does not understand\n"
                          "this format, some or all of this message may not be legible.\n")
    top = [('Return-Path', '<>'), ('Received', 'by MAIL01.example.com with Internet Mail Service (5.5.2653.19)\n\tid <%s>; %s' % (hexid(n, 8), when(n, '-0500'))),
           ('Message-ID', '<%s@MAIL01.example.com>' % hexid(n + 1, 24)),
           ('From', 'System Administrator <postmaster@example.com>'),
           ('To', o.envelope),
           ('Subject', 'Undeliverable: ' + o.subject),
           ('Date', when(n, '-0500')),
           ('X-MS-Embedded-Report', ''),
           ('X-Mailer', 'Internet Mail Service (5.5.2653.19)'),
           ('X-MS-TNEF-Correlator', '<%s@MAIL01.example.com>' % hexid(n + 1, 24))]
    REG.add('exchange55_ims', 'delivery_report', 'Exchange 5.5 Internet Mail Service',
            'flufl.bounce groupwise detector notes (X-Mailer "Internet Mail Service (5.5.2653.19)", multipart/mixed text + message/rfc822); MSEXCH:IMS diagnostic line as in Exchange 5.5 NDRs',
            build(top, root, crlf=True), o.cite)

    # --- Exchange 2000 (SMTPSVC + store) text/plain NDR -------------------------
    o = Original('jgreen@example.org', 'Your request has been received')
    n = 37
    txt = ("Your message did not reach some or all of the intended recipients.\n\n"
           "      Subject:\t%s\n"
           "      Sent:\t%s\n\n"
           "The following recipient(s) could not be reached:\n\n"
           "      jgreen@example.org on %s\n"
           "            There was a SMTP communication problem with the recipient's email server.  "
           "Please contact your system administrator.\n"
           "            <mail2.example.org #5.5.0 smtp;550 Requested action not taken: mailbox unavailable>\n"
           % (o.subject, o.date, when(n)))
    root = Multi('report', [T(txt, 'iso-8859-1', '7bit'),
                            DSN([('Reporting-MTA', 'dns;mail2.example.org'), ('Received-From-MTA', 'dns;mx-out.support.example'),
                                 ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822;jgreen@example.org'), ('Action', 'failed'),
                                 ('Status', '5.5.0'),
                                 ('Diagnostic-Code', 'smtp;550 Requested action not taken: mailbox unavailable')]),
                            Rfc822(o.full())],
                 '----_=_NextPart_001_01C0%s' % hexid(n, 10), params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'),
           ('content-class', 'urn:content-classes:dsn'),
           ('Subject', 'Undeliverable: ' + o.subject),
           ('Date', when(n, '-0800')),
           ('X-MimeOLE', 'Produced By Microsoft Exchange V6.0.6249.0'),
           ('Message-ID', '<%s@mail2.example.org>' % hexid(n, 20)),
           ('X-MS-Has-Attach', 'yes'),
           ('X-MS-TNEF-Correlator', ''),
           ('Thread-Topic', o.subject),
           ('Thread-Index', 'AcC%s==' % hexid(n + 5, 18)),
           ('From', 'System Administrator <postmaster@example.org>'),
           ('To', o.envelope),
           ('X-DSNContext', '335a7efd - 4480 - 00000001 - 80040546')]
    REG.add('exchange2000_ndr', 'delivery_report', 'Exchange 2000 NDR',
            'flufl.bounce simplematch ("The following recipient(s) could not be reached"); X-DSNContext / content-class dsn headers of Exchange 2000/2003',
            build(top, root, crlf=True), o.cite)

    # --- Exchange 2003 advisory delay ("has been postponed") --------------------
    o = Original('hr@example.net', 'Your request has been received')
    n = 38
    txt = ("This is an advisory-only email. Please do not reply to it.\n\n"
           "Delivery of your message to \"hr@example.net\" has been postponed.\n"
           "      Subject:  %s\n"
           "      Sent:     %s\n\n"
           "The recipient's e-mail server did not respond. Exchange will keep\n"
           "trying to deliver your message for another 44 hours and will notify\n"
           "you if it still cannot be delivered.\n" % (o.subject, o.date))
    root = Multi('report', [T(txt, 'us-ascii', '7bit'),
                            DSN([('Reporting-MTA', 'dns;gw.example.net'), ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822;hr@example.net'), ('Action', 'delayed'),
                                 ('Status', '4.4.7'), ('Will-Retry-Until', when(n + 1, '+0100'))]),
                            Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 '9B095B5ADSN=_01D1%s' % hexid(n, 20), params='report-type=delivery-status;\n\t')
    top = [('From', 'postmaster@example.net'), ('To', o.envelope), ('Date', when(n, '+0100')),
           ('MIME-Version', '1.0'),
           ('X-DSNContext', '7ce717b1 - 1378 - 00000002 - 00000000'),
           ('Message-ID', '<%s@gw.example.net>' % hexid(n + 3, 14)),
           ('Subject', 'Delivery Status Notification (Delay)'),
           ('Return-Path', '<>')]
    REG.add('exchange2003_advisory_delay', 'delivery_report', 'Exchange 2003 delay advisory',
            'flufl.bounce simplewarning ("This is an advisory-only email" ... "has been postponed"); RFC 3464 Action: delayed; wording partly inferred',
            build(top, root, mime=False, crlf=True), o.cite)

    # --- Hotmail / Windows SMTPSVC DSN with unicode-1-1-utf-7 charset ------------
    o = Original('cat.lover@hotmail.test', 'Your request has been received')
    n = 39
    txt = ("This is an automatically generated Delivery Status Notification.\n\n"
           "Delivery to the following recipients failed.\n\n"
           "       cat.lover@hotmail.test\n\n\n\n\n")
    root = Multi('report', [T(txt, 'unicode-1-1-utf-7', None),
                            DSN([('Reporting-MTA', 'dns;BLU004-OMC3S13.hotmail.test'), ('Received-From-MTA', 'dns;BLU436-SMTP66'),
                                 ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822;cat.lover@hotmail.test'), ('Action', 'failed'),
                                 ('Status', '5.2.2'), ('Diagnostic-Code', 'smtp;550 5.2.2 <cat.lover@hotmail.test>... Mailbox Full')]),
                            Rfc822(o.full())],
                 '9B095B5ADSN=_01D0%sBLU004?OMC3S13.h' % hexid(n, 18), params='report-type=delivery-status;\n\t',
                 preamble='This is a MIME-formatted message.  \nPortions of this message may be unreadable without a MIME-capable mail program.\n')
    top = [('Received', 'from BLU004-OMC3S13.hotmail.test ([192.0.2.88]) by BAY004-MC2F13.hotmail.test over TLS secured channel with Microsoft SMTPSVC(7.5.7601.22712);\n\t %s' % when(n, '-0800')),
           ('From', 'postmaster@mail.hotmail.test'), ('To', o.envelope), ('Date', when(n, '-0800')),
           ('MIME-Version', '1.0'),
           ('X-DSNContext', '7ce717b1 - 1196 - 00000002 - 00000000'),
           ('Message-ID', '<%s@BLU004-OMC3S13.hotmail.test>' % hexid(n, 17)),
           ('Subject', 'Delivery Status Notification (Failure)'),
           ('Return-Path', '<>'),
           ('X-OriginalArrivalTime', '%s (UTC) FILETIME=[FEF70220:01D005D8]' % when(n, '')[5:25])]
    REG.add('hotmail_smtpsvc', 'delivery_report', 'Hotmail legacy (Windows SMTPSVC DSN)',
            'Sisimai set-of-emails rhost-outlook sample structure (SMTPSVC DSN, unicode-1-1-utf-7 text part); flufl.bounce microsoft detector',
            build(top, root, mime=False, crlf=True), o.cite)


ICON = base64.encodebytes(b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(40))


def gmail_dsn(n, o, headline, text_body, action, status, diag, subject, remote=None,
              headers_only=False, domain='googlemail.test'):
    plain = '** %s **\n\n%s\n' % (headline, text_body)
    html = ('<html><head></head><body><table cellpadding="0" cellspacing="0"><tr><td>'
            '<h2 style="font-size:20px;color:#212121;font-weight:bold;margin:0">%s</h2>'
            '</td></tr><tr><td style="padding-top:20px;color:#757575;font-size:16px">%s</td></tr>'
            '</table></body></html>\n' % (headline, text_body.replace('\n', '<br>\n')))
    alt = Multi('alternative', [T(plain, 'UTF-8', None), T(html, 'UTF-8', None, subtype='html')],
                '0000000000%s' % hexid(n + 1, 16).lower())
    rel = Multi('related', [alt, Raw('image/png; name="icon.png"', ICON, extra=[
        ('Content-Disposition', 'attachment; filename="icon.png"'),
        ('Content-Transfer-Encoding', 'base64'), ('Content-ID', '<icon.png>')])],
        '0000000000%s' % hexid(n + 2, 16).lower())
    rcpt_block = [('Final-Recipient', 'rfc822; %s' % o.rcpt), ('Action', action),
                  ('Status', status)]
    if remote:
        rcpt_block.append(('Remote-MTA', 'dns; %s' % remote))
    rcpt_block.append(('Diagnostic-Code', 'smtp; %s' % diag))
    rcpt_block.append(('Last-Attempt-Date', when(n, '-0800 (PST)')))
    if action == 'delayed':
        rcpt_block.append(('Will-Retry-Until', when(n + 1, '-0800 (PST)')))
    parts = [rel, DSN([('Reporting-MTA', 'dns; %s' % 'googlemail.test'),
                       ('Received-From-MTA', 'dns; mail-sor-f41.google.test'),
                       ('Arrival-Date', o.date)], rcpt_block)]
    if headers_only:
        parts.append(Rfc822(o.headers_only(False), ctype='text/rfc822-headers'))
    else:
        parts.append(Rfc822(o.full(False)))
    root = Multi('report', parts, '0000000000%s' % hexid(n, 16).lower(),
                 params='report-type=delivery-status; ')
    top = [('Delivered-To', o.envelope), ('Return-Path', '<>'),
           ('Received', 'from mail-sor-f69.google.test (mail-sor-f69.google.test. [192.0.2.69])\n'
            '        by mx.support.example with SMTPS id %s\n        for <%s>; %s' % (
                hexid(n, 12).lower(), o.envelope, when(n, '-0800 (PST)'))),
           ('Auto-Submitted', 'auto-replied'),
           ('Message-ID', '<%s.%s.%s.GMR@mx.google.test>' % (hexid(n, 8).lower(), hexid(n + 1, 8).lower(), hexid(n + 2, 4).lower())),
           ('Date', when(n, '-0800 (PST)')),
           ('From', 'Mail Delivery Subsystem <mailer-daemon@%s>' % domain),
           ('To', o.envelope),
           ('X-Failed-Recipients', o.rcpt),
           ('Subject', subject),
           ('References', '<%s>' % o.msgid),
           ('In-Reply-To', '<%s>' % o.msgid)]
    return build(top, root)


@family
def providers():
    # --- Gmail: message blocked by the remote server ---------------------------
    o = Original('finance@example.com', 'Invoice copy as requested', kind='reply')
    data = gmail_dsn(40, o, 'Message blocked',
                     "Your message to %s has been blocked. See technical details below for more information.\n\n"
                     "The response from the remote server was:\n"
                     "550 5.7.1 Message rejected due to content restrictions" % o.rcpt,
                     'failed', '5.7.1', '550 5.7.1 Message rejected due to content restrictions',
                     'Delivery Status Notification (Failure)', remote='mx1.example.com. (192.0.2.17, the server for the domain example.com.)')
    REG.add('gmail_message_blocked', 'delivery_report', 'Gmail DSN "Message blocked"',
            'Sisimai Lhost::Gmail and GoogleWorkspace notes and the set-of-emails googleworkspace sample structure (multipart/related HTML + icon, Auto-Submitted: auto-replied)',
            data, o.cite)

    # --- Google Workspace: DNS error, Japanese UI (inferred wording) -----------
    o = Original('suzuki@example.co.jp', 'お問い合わせを受け付けました')
    data = gmail_dsn(41, o, 'アドレスが見つかりません',
                     "ドメイン example.co.jp が見つからなかったため、%s にメールを配信できませんでした。"
                     "入力ミスや不要なスペースがないかどうかを確認してから、もう一度お試しください。\n\n"
                     "次の応答がありました:\n\nDNS Error: DNS type 'mx' lookup of example.co.jp responded with code NXDOMAIN" % o.rcpt,
                     'failed', '5.1.2', "DNS Error: DNS type 'mx' lookup of example.co.jp responded with code NXDOMAIN",
                     b_word('配信ステータス通知（失敗）'), headers_only=True)
    REG.add('gworkspace_dns_ja', 'delivery_report', 'Google Workspace DSN (Japanese UI)',
            'Sisimai Lhost::GoogleWorkspace structure; Japanese headline and text inferred (Gmail localises DSN text to the sender\'s language)',
            data, o.cite)

    # --- Yahoo "Failure Notice" (qmail-style) -----------------------------------
    o = Original('bluebird77@yahoo.test', 'Your request has been received')
    n = 42
    body = ("Sorry, we were unable to deliver your message to the following address.\n\n"
            "<bluebird77@yahoo.test>:\n"
            "554: delivery error: dd Sorry your message to bluebird77@yahoo.test cannot be delivered. "
            "This mailbox is disabled (554.30). - mta4123.mail.gq1.yahoo.test\n\n"
            "--- Below this line is a copy of the message.\n\n") + o.full().decode()
    top = [('Return-Path', '<>'),
           ('Received', rcvd('sonic312-24.consmr.mail.gq1.yahoo.test', o.envelope, n, ip='192.0.2.124')),
           ('From', 'MAILER-DAEMON@yahoo.test'),
           ('To', o.envelope),
           ('X-Yahoo-Newman-Property', 'ymail-5'),
           ('Subject', 'Failure Notice'),
           ('Date', when(n, '+0000'))]
    REG.add('yahoo_failure_notice', 'delivery_report', 'Yahoo Mail "Failure Notice"',
            'Sisimai Lhost::Yahoo / Rhost::YahooInc notes ("Sorry, we were unable to deliver your message", "--- Below this line is a copy of the message.")',
            build(top, text=body, mime=False), o.cite)

    # --- AOL legacy (sendmail-based) -------------------------------------------
    o = Original('grandpa.joe@aol.test', 'Your request has been received')
    n = 43
    b = '%s.%d/omr-m01.mx.aol.test' % (hexid(n, 9), 1136200000 + n)
    txt = ("The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- The following addresses had permanent fatal errors -----\n"
           "<grandpa.joe@aol.test>\n"
           "    (reason: 550 MAILBOX NOT FOUND)\n\n"
           "   ----- Transcript of session follows -----\n"
           "... while talking to air-yb02.mail.aol.test.:\n"
           ">>> RCPT To:<grandpa.joe@aol.test>\n"
           "<<< 550 MAILBOX NOT FOUND\n"
           "550 5.1.1 <grandpa.joe@aol.test>... User unknown\n" % o.date)
    root = Multi('report', [T(txt), DSN([('Reporting-MTA', 'dns; omr-m01.mx.aol.test'),
                                         ('Arrival-Date', o.date)],
                                        [('Final-Recipient', 'RFC822; grandpa.joe@aol.test'), ('Action', 'failed'),
                                         ('Status', '5.1.1'), ('Remote-MTA', 'DNS; air-yb02.mail.aol.test'),
                                         ('Diagnostic-Code', 'SMTP; 550 MAILBOX NOT FOUND'),
                                         ('Last-Attempt-Date', when(n, '-0500'))]),
                            Rfc822(o.full())], b, params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'),
           ('Received', rcvd('omr-m01.mx.aol.test', o.envelope, n, agent='v128.10', ip='192.0.2.143')),
           ('Date', when(n, '-0500')),
           ('From', 'Mail Delivery Subsystem <MAILER-DAEMON@aol.test>'),
           ('Message-Id', '<201%s.%s@omr-m01.mx.aol.test>' % (n, hexid(n, 8))),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'Returned mail: see transcript for details'),
           ('Auto-Submitted', 'auto-generated (failure)'),
           ('X-AOL-IP', '192.0.2.143'),
           ('X-AOL-SCOLL-SCORE', '0:2:463784256:93952408'),
           ('x-aol-global-disposition', 'G')]
    REG.add('aol_legacy_sendmail', 'delivery_report', 'AOL legacy (sendmail-based) bounce',
            'AOL help page "Mailer-Daemon email message" (transcript "while talking to air..mail.aol.com", "550 MAILBOX NOT FOUND"); Sendmail DSN layout (Sisimai Lhost::Aol)',
            build(top, root), o.cite)

    # --- iCloud inbound refusal (gateway DSN) ----------------------------------
    o = Original('appleseed@icloud.test', 'Your request has been received')
    n = 44
    b = '%s' % base64.b64encode(('%s iCloud' % when(n)).encode()).decode()
    txt = ("I'm sorry to have to inform you that your message could not\n"
           "be delivered to one or more recipients. It's attached below.\n\n"
           "For further assistance, please send mail to <postmaster@icloud.test>\n\n"
           "If you do so, please include this problem report. You can\n"
           "delete your own text from the attached returned message.\n\n"
           "<appleseed@icloud.test>: 550 5.1.6 recipient no longer on server: appleseed@icloud.test\n")
    root = Multi('report', [T(txt, 'us-ascii', None, extra=[('Content-Description', 'Notification')]),
                            DSN([('X-Symantec-Messaging-Gateway-Queue-ID', '%s/%s-%s' % (hexid(n, 2), hexid(n + 1, 5), hexid(n + 2, 8))),
                                 ('X-Symantec-Messaging-Gateway-Sender', 'rfc822; %s' % o.envelope),
                                 ('Reporting-MTA', 'dns; mail-in7.icloud.test'), ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822; appleseed@icloud.test'), ('Status', '5.1.6'),
                                 ('Action', 'failed'), ('Last-Attempt-Date', when(n, '-0700')),
                                 ('Diagnostic-Code', 'smtp; 550 5.1.6 recipient no longer on server: appleseed@icloud.test')],
                                extra=[('Content-Description', 'Delivery report')]),
                            Rfc822(o.full(), extra=[('Content-Description', 'Undelivered Message')])],
                 b, params='report-type=delivery-status; ', preamble='This is a MIME-encapsulated message.\n')
    top = [('Return-path', '<>'), ('Envelope-to', o.envelope),
           ('Received', 'from mail-in7.icloud.test ([192.0.2.7]:31337)\n\tby mx.support.example with esmtp (Exim 4.97)\n\tid %s\n\tfor %s; %s' % (
               hexid(n, 16), o.envelope, when(n, '-0500'))),
           ('From', '<Mailer-Daemon@mail-in7.icloud.test> (Mail Delivery System)'),
           ('Message-ID', '<%s.%s.%s@mail-in7.icloud.test>' % (hexid(n, 2), hexid(n + 1, 5), hexid(n + 2, 8))),
           ('To', o.envelope),
           ('Subject', 'Undelivered Mail Returned to Sender'),
           ('Date', when(n, '-0700'))]
    REG.add('icloud_no_longer_on_server', 'delivery_report', 'iCloud inbound gateway DSN',
            'Sisimai Rhost::Apple and its set-of-emails rhost-apple sample structure (gateway DSN, 5.1.6 "recipient no longer on server")',
            build(top, root), o.cite)

    # --- Yandex (Postfix) ------------------------------------------------------
    o = Original('s.orlov@yandex.test', 'Ваше обращение зарегистрировано')
    n = 45
    txt = postfix_text('yandex.test',
                       '<s.orlov@yandex.test>: host mx.yandex.test[192.0.2.77] said: 550 5.7.1\n'
                       '    Policy rejection on Target Address (in reply to RCPT TO command)\n').replace(
        'This is the mail system at host yandex.test.', 'This is the mail system at host yandex.test.')
    data = postfix_report(n, 'forward104.mail.yandex.test', o, txt,
                          [[('Final-Recipient', 'rfc822; s.orlov@yandex.test'),
                            ('Original-Recipient', 'rfc822;s.orlov@yandex.test'),
                            ('Action', 'failed'), ('Status', '5.7.1'),
                            ('Remote-MTA', 'dns; mx.yandex.test'),
                            ('Diagnostic-Code', 'smtp; 550 5.7.1 Policy rejection on Target Address')]],
                          'Undelivered Mail Returned to Sender',
                          from_='mailer-daemon@yandex.test',
                          extra_top=[('X-Yandex-Front', 'mxback12o.mail.yandex.test'),
                                     ('X-Yandex-TimeMark', str(1736900000 + n)),
                                     ('X-Yandex-Uniq', '%s-%s-%s' % (hexid(n, 8).lower(), hexid(n + 1, 4).lower(), hexid(n + 2, 12).lower())),
                                     ('X-Yandex-Spam', '1')])
    REG.add('yandex_policy_reject', 'delivery_report', 'Yandex.Mail (Postfix) bounce',
            'Sisimai Lhost::Yandex (X-Yandex-Uniq/X-Yandex-Front headers, "This is the mail system at host yandex.ru.", message/rfc822 copy)',
            data, o.cite)

    # --- Mail.Ru (Exim) with Russian preamble, windows-1251 base64 -------------
    o = Original('vasya.ivanov@mail-ru.test', 'Ваше обращение зарегистрировано')
    n = 46
    body = ("Это письмо создано автоматически\nсервером Mail.Ru, отвечать на него не\nнужно.\n\n"
            "К сожалению, Ваше письмо не может\nбыть доставлено одному или нескольким\nполучателям:\n\n"
            "**********************\n\n"
            "This message was created automatically by mail delivery software.\n\n"
            "A message that you sent could not be delivered to one or more of its\n"
            "recipients. This is a permanent error. The following address(es) failed:\n\n"
            "  vasya.ivanov@mail-ru.test\n"
            "    user not found\n\n"
            "------ This is a copy of the message, including all the headers. ------\n\n"
            ) + o.full().decode()
    top = [('Return-path', '<>'),
           ('Received', 'from mail by f412.i.mail-ru.test with local (envelope-from <>)\n\tid 1u%s-000%s-%s\n\tfor %s; %s' % (
               hexid(n, 4), hexid(n, 3), hexid(n, 2), o.envelope, when(n, '+0300'))),
           ('X-Failed-Recipients', 'vasya.ivanov@mail-ru.test'),
           ('From', 'Mail Delivery System <mailer-daemon@mail-ru.test>'),
           ('To', o.envelope),
           ('Subject', 'Mail failure.'),
           ('Message-Id', '<E1u%s-000%s-%s.f412.i.mail-ru.test>' % (hexid(n, 4), hexid(n, 3), hexid(n, 2))),
           ('Date', when(n, '+0300')),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('mailru_cp1251_b64', 'delivery_report', 'Mail.Ru (Exim-based) bounce',
            'Sisimai Lhost::MailRu notes (Russian preamble, Exim text, "Mail failure." subject, mailer-daemon sender)',
            build(top, text=body, charset='windows-1251', cte='base64'), o.cite)

    # --- Libero (Italiaonline) - Italian wording inferred -----------------------
    o = Original('giulia.romano@libero.test', 'Abbiamo ricevuto la sua richiesta')
    n = 47
    txt = ("Questo messaggio è stato creato automaticamente dal sistema di posta.\n\n"
           "Il messaggio che hai inviato non è stato recapitato a uno o più\n"
           "destinatari. Si tratta di un errore permanente.\n\n"
           "<giulia.romano@libero.test>:\n"
           "    552 5.2.2 casella piena / mailbox full\n\n"
           "In allegato trovi le intestazioni del messaggio originale.\n")
    root = Multi('report', [T(txt, 'iso-8859-1', 'quoted-printable'),
                            DSN([('Reporting-MTA', 'dns; smtp-out12.libero.test'), ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822; giulia.romano@libero.test'), ('Action', 'failed'),
                                 ('Status', '5.2.2'), ('Diagnostic-Code', 'smtp; 552 5.2.2 mailbox full')]),
                            Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 'LIBERO-%s' % hexid(n, 20), params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'), ('From', 'Mail Delivery System <MAILER-DAEMON@libero.test>'),
           ('To', o.envelope), ('Date', when(n, '+0100')),
           ('Subject', q_word('Messaggio non recapitato: %s' % o.subject, 'iso-8859-1')),
           ('Message-ID', '<%s@smtp-out12.libero.test>' % hexid(n, 18)),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('libero_mailbox_full_it', 'delivery_report', 'Libero (Italian DSN)',
            'RFC 3464 multipart/report; Italian wording and subject inferred (no public description of the Libero template was found)',
            build(top, root), o.cite)

    # --- Comcast-style "Mail System Error - Returned Mail" (Openwave/Netscape) ---
    o = Original('hank.s@comcast.test', 'Your request has been received')
    n = 48
    txt = ("This Message was undeliverable due to the following reason:\n\n"
           "Each of the following recipients was rejected by a remote mail server.\n"
           "The reasons given by the server are included to help you determine why\n"
           "each recipient was rejected.\n\n"
           "    Recipient: <hank.s@comcast.test>\n"
           "    Reason:    5.1.1 <hank.s@comcast.test>... User unknown\n\n"
           "Please reply to <postmaster@comcast.test>\n"
           "if you feel this message to be in error.\n")
    root = Multi('report', [T(txt, 'us-ascii', '7bit'),
                            DSN([('Reporting-MTA', 'dns; resomta-po-07v.sys.comcast.test'), ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822; hank.s@comcast.test'), ('Action', 'failed'),
                                 ('Status', '5.1.1'), ('Remote-MTA', 'dns; imta-ch1.comcast.test'),
                                 ('Diagnostic-Code', 'smtp; 550 5.1.1 <hank.s@comcast.test>... User unknown')]),
                            Rfc822(o.full())],
                 'Boundary_(ID_%s)' % hexid(n, 22), params='report-type="delivery-status";\n ')
    top = [('Return-Path', '<>'), ('Date', when(n, '-0500')),
           ('From', 'Mail Administrator <Postmaster@comcast.test>'),
           ('Subject', 'Mail System Error - Returned Mail'),
           ('To', o.envelope),
           ('Message-id', '<%s.JavaMail.root@resomta-po-07v.sys.comcast.test>' % hexid(n, 16))]
    REG.add('comcast_openwave', 'delivery_report', 'Comcast-style (Openwave / Netscape Messaging Server) bounce',
            'flufl.bounce netscape detector and fml Mail::Bounce ("This Message was undeliverable due to the following reason:"); Sisimai EZweb notes ("Each of the following recipients was rejected", "Recipient: <...>"); Comcast attribution inferred',
            build(top, root), o.cite)

    # --- Verizon vtext gateway --------------------------------------------------
    o = Original('5551230000@vtext.test', 'Ticket update', kind='reply')
    n = 49
    txt = ("Error: 550 - Requested action not taken: no such user here\n\n"
           "Message details:\n"
           "  Subject: %s\n"
           "  Sent date: %s\n"
           "  MAIL FROM: %s\n"
           "  RCPT TO: 5551230000@vtext.test\n"
           "  From: %s\n"
           "  To: 5551230000@vtext.test\n"
           "  Size (bytes): 2184\n"
           "  Number of recipients: 1\n" % (o.subject, o.date, o.envelope, SUPPORT))
    root = Multi('mixed', [T(txt), Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 '----=_Part_%d_%d.%d' % (n, 1736000000 + n, 40 + n))
    top = [('Return-Path', '<>'),
           ('Received', 'from smtp-out2.vtext.test (smtp-out2.vtext.test [192.0.2.202])\n\tby mx.support.example (Postfix) with ESMTP id %s\n\tfor <%s>; %s' % (
               hexid(n, 10), o.envelope, when(n, '-0400'))),
           ('Date', when(n, '-0400')),
           ('From', 'post_master@vtext.test'),
           ('To', o.envelope),
           ('Subject', 'Undeliverable Message'),
           ('Message-ID', '<%s.JavaMail.vtext@smtp-out2.vtext.test>' % hexid(n, 12))]
    REG.add('verizon_vtext', 'delivery_report', 'Verizon vtext e-mail-to-SMS gateway',
            'Sisimai Lhost::Verizon (post_master sender, "Error: 550 - Requested action not taken", "Message details:" block with MAIL FROM/RCPT TO)',
            build(top, root), o.cite)

    # --- Zoho: expired ("Host not reachable") ----------------------------------
    o = Original('orders@example.in', 'Your request has been received')
    n = 50
    body = ("This message was created automatically by mail delivery software.\n"
            "A message that you sent could not be delivered to one or more of its recipients. "
            "This is a permanent error.\n\n"
            "[Status: Error, Address: <orders@example.in>, ResponseCode 421, , Host not reachable.]\n\n\n"
            "Received: from mail.zoho.test by mx.zohomail.test\n") + o.full().decode()
    top = [('Return-Path', '<>'),
           ('Received', rcvd('sender4-op-o12.zoho.test', o.envelope, n, ip='192.0.2.212')),
           ('From', 'mailer-daemon@mail.zoho.test'),
           ('To', o.envelope),
           ('Subject', 'Undelivered Mail Returned to Sender'),
           ('Date', when(n, '+0530')),
           ('Message-Id', '<%s.%d@mx.zohomail.test>' % (hexid(n, 16).lower(), 1736000000 + n)),
           ('X-ZohoMail', 'Si CHF_MF_NL SS_10 UW48 UB48 FMWL UW48 UB48 SGR3_1_09124_42'),
           ('X-Zoho-Virus-Status', '2'),
           ('X-Mailer', 'Zoho Mail')]
    REG.add('zoho_host_unreachable', 'delivery_report', 'Zoho Mail bounce (expired)',
            'Sisimai Lhost::Zoho ("[Status: Error, Address: <...>, ResponseCode 421, , Host not reachable.]", X-ZohoMail header)',
            build(top, text=body, charset='utf-8', cte='quoted-printable'), o.cite)

    # --- Yahoo! JAPAN style ("Unable to deliver message to the following address(es).")
    o = Original('hanako@yahoo-jp.test', 'お問い合わせを受け付けました')
    n = 51
    body = ("Message from yahoo-jp.test.\n"
            "Unable to deliver message to the following address(es).\n\n"
            "<hanako@yahoo-jp.test>:\n"
            "This user doesn't have a yahoo-jp.test account (hanako@yahoo-jp.test) [0]\n\n"
            "--- Original message follows.\n\n") + o.full().decode()
    top = [('Return-Path', '<>'),
           ('Received', rcvd('mta512.mail.ssk.yahoo-jp.test', o.envelope, n, ip='192.0.2.51')),
           ('Date', when(n, '+0900')),
           ('From', 'MAILER-DAEMON@mta512.mail.ssk.yahoo-jp.test'),
           ('To', o.envelope),
           ('Subject', 'failure delivery')]
    REG.add('yahoojp_unable_to_deliver', 'delivery_report', 'Yahoo! JAPAN-style bounce',
            'Sisimai Lhost::X2 ("Unable to deliver message to the following address", "--- Original message follows.") and fml Mail::Bounce SimpleMatch yahoo.co.jp entry',
            build(top, text=body, mime=False), o.cite)

    # --- NetEase 163 (GB2312, Chinese) - wording inferred ----------------------
    o = Original('liwei@163.test', '您的请求已收到')
    n = 52
    txt = ("抱歉，您的邮件被退回来了……\n\n"
           "原邮件信息：\n"
           "  时　间： %s\n"
           "  主　题： %s\n"
           "  收件人： liwei@163.test\n\n"
           "退信原因：\n"
           "  收件人邮箱不存在，请确认地址是否正确。\n"
           "  550 User not found: liwei@163.test\n\n"
           "建议解决方案：\n"
           "  请检查收件人地址是否拼写正确。\n" % (o.date, o.subject))
    root = Multi('mixed', [T(txt, 'gb2312', 'base64'), Rfc822(o.full())],
                 '----=_Part_%d_%s' % (n, hexid(n, 10)))
    top = [('Return-Path', '<>'), ('Date', when(n, '+0800')),
           ('From', '"Postmaster" <postmaster@163.test>'),
           ('To', o.envelope),
           ('Subject', b_word('系统退信', 'gb2312')),
           ('Message-ID', '<%s.%s@m12-44.163.test>' % (hexid(n, 8).lower(), hexid(n + 1, 6).lower())),
           ('X-Mailer', 'Coremail postmaster')]
    REG.add('netease163_gb2312', 'delivery_report', 'NetEase 163 mail bounce (Chinese)',
            'Structure inferred from common descriptions of NetEase "系统退信" notices (Chinese text + original attached); not confirmed by a primary source',
            build(top, root), o.cite)

    # --- Sina (flufl.bounce sina detector) ------------------------------------
    o = Original('zhang.min@sina.test', '您的请求已收到')
    n = 53
    txt = ("您好！\n\n这是新浪邮件系统自动发出的退信通知，请不要直接回复。\n"
           "您发送的邮件无法投递到以下收件人：\n\n"
           "<zhang.min@sina.test>\n"
           "    552 mailbox exceeds quota\n")
    root = Multi('mixed', [T(txt, 'gb2312', 'base64'), Rfc822(o.full())], 'SINA_%s' % hexid(n, 16))
    top = [('Return-Path', '<>'), ('Date', when(n, '+0800')),
           ('From', 'mailer-daemon@sina.test'), ('To', o.envelope),
           ('Subject', b_word('退信通知', 'gb2312')),
           ('Message-ID', '<%s@smtp-5-123.sina.test>' % hexid(n, 14))]
    REG.add('sina_bounce_gb2312', 'delivery_report', 'Sina mail bounce',
            'flufl.bounce sina detector (mailer-daemon sender, multipart with <address> lines in the first text part); Chinese wording inferred',
            build(top, root), o.cite)

    # --- newmail.ru (flufl simplematch) -----------------------------------------
    o = Original('oleg@newmail-ru.test', 'Ваше обращение зарегистрировано')
    n = 54
    body = ("This is the machine generated message from mail service.\n"
            "Unable to deliver message to the following recipient:\n\n"
            "<oleg@newmail-ru.test>: unknown user\n\n"
            "--- Below the next line is a copy of the message.\n\n") + o.full().decode()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0300')),
           ('From', 'MAILER-DAEMON@newmail-ru.test'), ('To', o.envelope),
           ('Subject', 'Undelivered mail')]
    REG.add('newmail_ru', 'delivery_report', 'newmail.ru-style bounce',
            'flufl.bounce simplematch pattern for newmail.ru ("This is the machine generated message from mail service." ... "--- Below the next line is a copy of the message.")',
            build(top, text=body, mime=False), o.cite)

    # --- EYOU MTA (Chinese enterprise mail) -------------------------------------
    o = Original('chen@corp-example.cn', '您的请求已收到')
    n = 55
    body = ("This is the deliver program at mail.corp-example.cn.\n"
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
            "chen@corp-example.cn  550 mailbox not found\n\n"
            "-------- original message --------\n") + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0800')),
           ('From', 'MAILER-DAEMON@mail.corp-example.cn'), ('To', o.envelope),
           ('Subject', 'Undelivered Mail'), ('X-Mailer', 'EYOU MTA SYSTEM')]
    REG.add('eyou_mta', 'delivery_report', 'EYOU MTA bounce',
            'flufl.bounce simplematch pattern "EYOU MTA SYSTEM" ("This is the deliver program at"); other wording inferred',
            build(top, text=body, mime=False), o.cite)


def simple_report(n, o, host, from_, subject, text, status, diag, action='failed',
                  headers_only=False, charset='us-ascii', cte='7bit', extra_top=(),
                  boundary=None, remote=None, return_path=True, crlf=False, tz='+0000'):
    rb = [('Final-Recipient', 'rfc822; %s' % o.rcpt), ('Action', action), ('Status', status)]
    if remote:
        rb.append(('Remote-MTA', 'dns; %s' % remote))
    if diag:
        rb.append(('Diagnostic-Code', 'smtp; %s' % diag))
    parts = [T(text, charset, cte),
             DSN([('Reporting-MTA', 'dns; %s' % host), ('Arrival-Date', o.date)], rb)]
    if headers_only:
        parts.append(Rfc822(o.headers_only(), ctype='text/rfc822-headers'))
    else:
        parts.append(Rfc822(o.full()))
    root = Multi('report', parts, boundary or '%s/%s' % (hexid(n, 14), host),
                 params='report-type=delivery-status;\n\t')
    top = []
    if return_path:
        top.append(('Return-Path', '<>'))
    top += [('Received', rcvd(host, o.envelope, n)),
            ('Date', when(n, tz)), ('From', from_), ('To', o.envelope), ('Subject', subject),
            ('Message-ID', '<%s@%s>' % (hexid(n + 60, 16).lower(), host))]
    top.extend(extra_top)
    return build(top, root, crlf=crlf)


@family
def gateways_and_servers():
    # --- Cisco IronPort / Secure Email --------------------------------------
    o = Original('buyer@example.com', 'Your request has been received')
    n = 60
    txt = ("The following message to <buyer@example.com> was undeliverable.\n"
           "The reason for the problem:\n"
           "5.1.0 - Unknown address error 550-'5.1.1 <buyer@example.com>: Recipient address rejected: User unknown in local recipient table'\n")
    REG.add('ironport_unknown_address', 'delivery_report', 'Cisco IronPort / Secure Email Gateway',
            'Cisco AsyncOS guide "Delivery Status Notification Format" (DSN bounces, original attached under 10k); text "The following message to <...> was undeliverable" as also matched by Sisimai Lhost::AmazonSES',
            simple_report(n, o, 'esa2.example.iphmx.test', 'Mail Delivery System <MAILER-DAEMON@esa2.example.iphmx.test>',
                          'Delivery Status Notification (Failure)', txt, '5.1.0',
                          "550 '5.1.1 <buyer@example.com>: Recipient address rejected: User unknown in local recipient table'",
                          extra_top=[('X-IronPort-AV', 'E=Sophos;i="6.12,%d";d="scan\'";a="%d"' % (200 + n, 4242000 + n))]),
            o.cite)

    # --- Proofpoint (sendmail-based PPS) ------------------------------------
    o = Original('legal@example.org', 'Your request has been received')
    n = 61
    txt = ("The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- The following addresses had permanent fatal errors -----\n"
           "<legal@example.org>\n"
           "    (reason: 550 5.7.1 Message blocked by policy)\n\n"
           "   ----- Transcript of session follows -----\n"
           "... while talking to mail.example.org.:\n"
           ">>> DATA\n<<< 550 5.7.1 Message blocked by policy\n"
           "554 5.0.0 Service unavailable\n" % o.date)
    REG.add('proofpoint_pps', 'delivery_report', 'Proofpoint Protection Server (sendmail-based)',
            'Sendmail DSN layout as in Sisimai Lhost::Sendmail; X-Proofpoint-* headers of PPS; gateway attribution inferred',
            simple_report(n, o, 'mx0b-00123401.pphosted.test', 'Mail Delivery Subsystem <MAILER-DAEMON@mx0b-00123401.pphosted.test>',
                          'Returned mail: see transcript for details', txt, '5.7.1', '550 5.7.1 Message blocked by policy',
                          headers_only=True,
                          extra_top=[('Auto-Submitted', 'auto-generated (failure)'),
                                     ('X-Proofpoint-Virus-Version', 'vendor=baseguard engine=ICAP:2.0.293,Aquarius:18.0.1051,Hydra:6.0.680,FMLib:17.12.28.16 definitions=2025-01-10_04,2025-01-10_01,2025-01-10_01 signatures=0'),
                                     ('X-Proofpoint-Spam-Details', 'rule=notspam policy=default score=0 spamscore=0 classifier=spam adjust=0 reason=mlx scancount=1 engine=8.19.0-2411120000 definitions=main-2501100052')]),
            o.cite)

    # --- Sophos UTM (Exim inside) -------------------------------------------
    o = Original('werkstatt@example.at', 'Ihre Anfrage ist eingegangen')
    n = 62
    b = '%d-eximdsn-%d' % (1736000000 + n, 1804289383 + n)
    txt = ("This message was created automatically by mail delivery software.\n\n"
           "A message that you sent could not be delivered to one or more of its\n"
           "recipients. This is a permanent error. The following address(es) failed:\n\n"
           "  werkstatt@example.at\n"
           "    host mail.example.at [203.0.113.62]\n"
           "    SMTP error from remote mail server after RCPT TO:<werkstatt@example.at>:\n"
           "    550 5.1.1 <werkstatt@example.at>: Recipient address rejected: User unknown\n")
    root = Multi('report', [T(txt), DSN([('Reporting-MTA', 'dns; utm.example.at')],
                                        [('Action', 'failed'), ('Final-Recipient', 'rfc822;werkstatt@example.at'),
                                         ('Status', '5.0.0'), ('Remote-MTA', 'dns; mail.example.at'),
                                         ('Diagnostic-Code', 'smtp; 550 5.1.1 <werkstatt@example.at>: Recipient address rejected: User unknown')]),
                            Rfc822(o.full())], b, params='report-type=delivery-status; ')
    top = [('Return-path', '<>'),
           ('Received', 'from Debian-exim by utm.example.at with local (Exim 4.94)\n\tid 1u%s-000%s-%s\n\tfor %s; %s' % (
               hexid(n, 4), hexid(n, 3), hexid(n, 2), o.envelope, when(n, '+0100'))),
           ('X-Failed-Recipients', 'werkstatt@example.at'),
           ('Auto-Submitted', 'auto-replied'),
           ('From', 'Mail Delivery System <Mailer-Daemon@utm.example.at>'),
           ('To', o.envelope),
           ('Subject', 'Mail delivery failed: returning message to sender'),
           ('Message-Id', '<E1u%s-000%s-%s@utm.example.at>' % (hexid(n, 4), hexid(n, 3), hexid(n, 2))),
           ('Date', when(n, '+0100')),
           ('X-Sophos-MessageID', hexid(n, 12).lower())]
    REG.add('sophos_utm_exim', 'delivery_report', 'Sophos UTM (Exim-based MTA)',
            'Exim multipart/report bounce (Exim spec "dsn" / bounce_message_file); Sophos UTM runs Exim, X-Sophos header inferred',
            build(top, root), o.cite)

    # --- FortiMail ---------------------------------------------------------------
    o = Original('store12@example.net', 'Your request has been received')
    n = 63
    txt = ("The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- The following addresses had permanent fatal errors -----\n"
           "<store12@example.net>\n"
           "    (reason: 552 5.3.4 Message size exceeds fixed maximum message size)\n" % o.date)
    REG.add('fortimail_size', 'delivery_report', 'Fortinet FortiMail',
            'RFC 3464 report with sendmail-style text (FortiMail is sendmail-derived); wording and headers inferred',
            simple_report(n, o, 'fml.example.net', 'Mail Delivery Subsystem <MAILER-DAEMON@fml.example.net>',
                          'Returned mail: see transcript for details', txt, '5.3.4',
                          '552 5.3.4 Message size exceeds fixed maximum message size', headers_only=True,
                          extra_top=[('X-FEAS-Client-IP', '198.51.100.30'), ('X-FE-Policy-ID', '1:2:3:SYSTEM')]),
            o.cite)

    # --- Barracuda bulk filter --------------------------------------------------
    o = Original('it@school.example.edu.example', 'Your request has been received')
    n = 64
    txt = ("Your message to: it@school.example.edu.example\n"
           "was blocked by our Spam Firewall. The email you sent with the following subject has NOT BEEN DELIVERED:\n\n"
           "Subject: %s\n\n"
           "Reporting-MTA: dns; barracuda.school.example.edu.example\n"
           "Arrival-Date: %s\n\n"
           "Final-Recipient: rfc822; it@school.example.edu.example\n"
           "Action: failed\n"
           "Status: 5.7.1\n"
           "Diagnostic-Code: smtp; 550 permanent failure for one or more recipients (it@school.example.edu.example:blocked)\n"
           % (o.subject, o.date))
    root = Multi('report', [T(txt), Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 'BOUNDARY-%s' % hexid(n, 16), params='report-type=delivery-status; ')
    top = [('Return-Path', '<>'), ('Date', when(n, '-0600')),
           ('From', 'mailer-daemon@barracuda.school.example.edu.example'),
           ('To', o.envelope),
           ('Subject', '**Message you sent blocked by our bulk email filter**'),
           ('Message-Id', '<%s@barracuda.school.example.edu.example>' % hexid(n, 12)),
           ('X-Barracuda-Connect', 'mx-out.support.example[198.51.100.30]')]
    REG.add('barracuda_bulk_filter', 'delivery_report', 'Barracuda Spam Firewall',
            'Sisimai Lhost::Barracuda (subject "**Message you sent blocked by our bulk email filter**", "Your message to:", text/rfc822-headers)',
            build(top, root), o.cite)

    # --- Mimecast --------------------------------------------------------------
    o = Original('p.walsh@example.ie', 'Your request has been received')
    n = 65
    txt = ("This is a delivery failure notification message indicating that\n"
           "an email you addressed to email address :\n\n"
           "-- p.walsh@example.ie\n\n"
           "could not be delivered.\n\n"
           "The problem appears to be :\n"
           "-- Recipient email address is possibly incorrect\n\n"
           "Additional information follows :\n"
           "-- 5.4.1 Recipient address rejected: Access denied.\n\n"
           "This condition occurred after 1 attempt(s) to deliver over\n"
           "a period of 0 hour(s).\n")
    root = Multi('mixed', [T(txt), Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 '----=_Part_%d_%s' % (n, hexid(n, 10)))
    top = [('Return-Path', '<>'), ('Date', when(n, '+0000')),
           ('From', 'Postmaster <postmaster@eu-smtp-delivery-151.mimecast.test>'),
           ('To', o.envelope),
           ('Subject', '[Postmaster] Email Delivery Failure'),
           ('Message-Id', '<%s-%d@eu-mta-42.eu.mimecast.lan>' % (hexid(n, 10), 1736000000 + n)),
           ('X-MC-Unique', '%s-%s' % (hexid(n, 10), hexid(n + 1, 12)))]
    REG.add('mimecast_access_denied', 'delivery_report', 'Mimecast',
            'Sisimai Lhost::Mimecast and flufl.bounce simplematch ("This is a delivery failure notification message", "-- address", "The problem appears to be")',
            build(top, root), o.cite)

    # --- Trustwave MailMarshal ----------------------------------------------------
    o = Original('procurement@example.com.au', 'Your request has been received')
    n = 66
    b = 'MMDSN-%s' % hexid(n, 12)
    txt = ("Your message:\n"
           "   From:    %s\n"
           "   Subject: %s\n\n"
           "Could not be delivered because of\n\n"
           "550 5.1.1 User unknown\n\n"
           "The following recipients were affected:\n"
           "    procurement@example.com.au\n\n"
           "Additional Information\n"
           "======================\n"
           "Original Sender:    <%s>\n"
           "Sender-MTA:         <198.51.100.30>\n"
           "Remote-MTA:         <203.0.113.66>\n"
           "Reporting-MTA:      <mailmarshal.example.com.au>\n"
           "MessageName:        <B%s.000000000001.0003.mml>\n"
           "Last-Attempt-Date:  <09:21:44 Tue, 14 January 2025>\n" % (SUPPORT, o.subject, o.envelope, hexid(n, 12)))
    root = Multi('mixed', [T(txt), Rfc822(o.headers_only(), ctype='text/rfc822-headers')], b)
    top = [('Return-Path', '<>'), ('Date', when(n, '+1100')),
           ('From', 'postmaster@mailmarshal.example.com.au'),
           ('To', o.envelope),
           ('Subject', 'Undeliverable Mail: "%s"' % o.subject),
           ('Message-ID', '<%s@mailmarshal.example.com.au>' % hexid(n, 16))]
    REG.add('mailmarshal_user_unknown', 'delivery_report', 'Trustwave MailMarshal SMTP',
            'Sisimai Lhost::MailMarshalSMTP ("Undeliverable Mail: \\"...\\"", "Your message:", "Could not be delivered because of", "Additional Information" block)',
            build(top, root), o.cite)

    # --- McAfee SaaS (MX Logic) ----------------------------------------------------
    o = Original('frontdesk@example.us.example', 'Your request has been received')
    n = 67
    body = ("This message was created automatically by mail delivery software.\n\n"
            "A message that you have sent could not be delivered to one or more\n"
            "recipients.  This is a permanent error.  The following address failed:\n\n"
            "  <frontdesk@example.us.example>: 550 5.1.1 Mailbox does not exist\n\n"
            "Included is a copy of the message header:\n"
            "-----------------------------------------\n") + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '-0700')),
           ('From', 'Mail Delivery System <mailer-daemon@p02c11m042.mxlogic.test>'),
           ('To', o.envelope),
           ('Subject', 'Mail delivery failed: returning message to sender'),
           ('X-MX-Bounce', 'mta/src/queue/bounce'),
           ('X-MXL-NoteHash', 'ffffffffffffffff-0000000000000000000000000000000000000000'),
           ('X-MXL-Hash', '%s-%s' % (hexid(n, 16).lower(), hexid(n + 1, 40).lower())),
           ('Message-ID', '<%s@p02c11m042.mxlogic.test>' % hexid(n, 12))]
    REG.add('mxlogic_mcafee_saas', 'delivery_report', 'McAfee SaaS Email Protection (MX Logic)',
            'Sisimai Lhost::MXLogic (X-MX-Bounce / X-MXL-Hash headers, "Included is a copy of the message header:")',
            build(top, text=body, mime=False), o.cite)

    # --- Trend Micro InterScan MSS, "Unable to deliver message" ------------------
    o = Original('m.tanaka@example.co.jp', 'お問い合わせを受け付けました')
    n = 68
    txt = ("Unable to deliver message to <m.tanaka@example.co.jp> (and other recipients in the same domain).\n"
           "*************************************************************************************\n"
           "Sent <<< RCPT TO:<m.tanaka@example.co.jp>\n"
           "Received >>> 550 5.1.1 <m.tanaka@example.co.jp>... User unknown\n")
    root = Multi('mixed', [T(txt), Rfc822(o.full())], '%s-IMSS' % hexid(n, 12), extra=[])
    top = [('Return-Path', '<>'), ('Date', when(n, '+0900')),
           ('From', '"InterScan MSS" <postmaster@imss.example.co.jp>'),
           ('To', o.envelope),
           ('Subject', 'Mail could not be delivered'),
           ('Message-ID', '<%s@imss.example.co.jp>' % hexid(n, 14))]
    REG.add('interscan_unable_to_deliver', 'delivery_report', 'Trend Micro InterScan Messaging Security',
            'Sisimai Lhost::TrendMicro ("InterScan MSS" sender, "Mail could not be delivered", "Sent <<< RCPT TO" / "Received >>>" lines)',
            build(top, root), o.cite)

    # --- Symantec Messaging Gateway delay warning -----------------------------
    o = Original('clinic@example.org', 'Your request has been received')
    n = 69
    txt = ("This is an automatically generated Delivery Status Notification.\n\n"
           "THIS IS A WARNING MESSAGE ONLY.\n\n"
           "YOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\n"
           "Delivery to the following recipients has been delayed.\n\n"
           "       clinic@example.org\n\n"
           "Delivery attempts will continue to be made for 2 day(s).\n")
    REG.add('symantec_smg_delay', 'delivery_report', 'Symantec Messaging Gateway delay',
            'flufl.bounce simplewarning (Symantec gateway "Delivery attempts will continue to be made"); RFC 3464 Action: delayed',
            simple_report(n, o, 'smg.example.org', 'Mail Delivery System <MAILER-DAEMON@smg.example.org>',
                          'Delivery Status Notification (Delay)', txt, '4.4.1', '421 4.4.1 Connection timed out',
                          action='delayed', headers_only=True), o.cite)

    # --- Kerio Connect (inferred wording) ---------------------------------------
    o = Original('reception@hotel-example.cz', 'Váš požadavek byl přijat')
    n = 70
    txt = ("Your message could not be delivered to the following recipients:\n\n"
           "<reception@hotel-example.cz>: 550 5.2.2 Mailbox quota exceeded\n\n"
           "The message headers are attached.\n")
    REG.add('kerio_connect_quota', 'delivery_report', 'Kerio Connect',
            'RFC 3464 report; Kerio Connect wording and X-Kerio header inferred (no public description found)',
            simple_report(n, o, 'mail.hotel-example.cz', 'Mail Delivery System <postmaster@hotel-example.cz>',
                          b_word('Undeliverable: ' + o.subject), txt, '5.2.2', '550 5.2.2 Mailbox quota exceeded',
                          headers_only=True, extra_top=[('X-Mailer', 'Kerio Connect 10.0.6')], tz='+0100'),
            o.cite)

    # --- MDaemon (flufl simplematch: "did NOT receive a copy") ------------------
    o = Original('office@example-lawfirm.com', 'Your request has been received')
    n = 71
    body = ("The attached message had PERMANENT fatal delivery errors!\n\n"
            "After one or more unsuccessful delivery attempts the attached message has\n"
            "been removed from the mail queue on this server.  The number and frequency\n"
            "of delivery attempts are determined by local configuration parameters.\n\n"
            "YOUR MESSAGE WAS NOT DELIVERED TO ANY OF ITS RECIPIENTS!\n\n"
            "--- Session Transcript ---\n"
            " Tue 2025-01-14 09:12:44: Parsing message <mdaemon\\remote\\md50000012345.msg>\n"
            " Tue 2025-01-14 09:12:44: *  From: %s\n"
            " Tue 2025-01-14 09:12:44: *  To: office@example-lawfirm.com\n"
            " Tue 2025-01-14 09:12:45: Attempting SMTP connection to [mail.example-lawfirm.com : 25]\n"
            " Tue 2025-01-14 09:12:45: --> RCPT TO:<office@example-lawfirm.com>\n"
            " Tue 2025-01-14 09:12:45: <-- 550 5.1.1 <office@example-lawfirm.com>: Recipient address rejected\n"
            "--- End Transcript ---\n\n"
            ": Message contains [1] file attachments\n" % o.envelope)
    root = Multi('mixed', [T(body), Rfc822(o.full())], '%s-MDaemon' % hexid(n, 12))
    top = [('Return-Path', '<>'), ('Date', when(n, '-0500')),
           ('From', 'MDaemon@mail.example-lawfirm.com'),
           ('To', o.envelope),
           ('Subject', 'Permanent Delivery Failure'),
           ('Message-ID', '<MDAEMON-F%s.%s@mail.example-lawfirm.com>' % (hexid(n, 12), hexid(n + 1, 4))),
           ('X-MDaemon-Deliver-To', o.envelope),
           ('X-Actual-From', 'MDaemon@mail.example-lawfirm.com'),
           ('X-MDSend-Notifications-To', '[trash]'),
           ('Auto-Submitted', 'auto-generated')]
    REG.add('mdaemon_permanent', 'delivery_report', 'MDaemon permanent failure',
            'MDaemon manual "DSN Settings" (permanent-failure subject, session transcripts in DSN) and flufl.bounce simplematch "--- Session Transcript ---"; wording partly inferred',
            build(top, root), o.cite)

    # --- Axigen (inferred) -------------------------------------------------------
    o = Original('contact@example.ro', 'Your request has been received')
    n = 72
    txt = ("This is the Axigen mail server at mail.example.ro.\n\n"
           "Your message could not be delivered to one or more recipients.\n\n"
           "<contact@example.ro>: 550 5.1.1 User unknown\n")
    REG.add('axigen_user_unknown', 'delivery_report', 'Axigen',
            'RFC 3464 report; Axigen wording inferred (no public description found)',
            simple_report(n, o, 'mail.example.ro', 'MAILER-DAEMON@mail.example.ro',
                          'Delivery Status Notification (Failure)', txt, '5.1.1', '550 5.1.1 User unknown',
                          headers_only=True, extra_top=[('X-Mailer', 'Axigen Mail Server')], tz='+0200'),
            o.cite)

    # --- IceWarp (inferred) --------------------------------------------------------
    o = Original('sklep@example.pl', 'Potwierdzenie zgłoszenia')
    n = 73
    txt = ("This message was created automatically by mail delivery software.\n\n"
           "Delivery to the following recipients failed permanently:\n\n"
           "sklep@example.pl\n"
           "Reason: Remote SMTP server has rejected address\n"
           "Diagnostic code: smtp;550 5.1.1 mailbox unavailable\n")
    REG.add('icewarp_rejected', 'delivery_report', 'IceWarp Mail Server',
            'RFC 3464 report; IceWarp wording inferred (no public description found)',
            simple_report(n, o, 'mail.example.pl', 'Mail Delivery System <postmaster@example.pl>',
                          'Undeliverable mail: ' + q_word(o.subject, 'iso-8859-2'), txt, '5.1.1',
                          '550 5.1.1 mailbox unavailable', headers_only=True,
                          extra_top=[('X-Mailer', 'IceWarp Mailer 13.0.2.8')], tz='+0100'),
            o.cite)

    # --- hMailServer ---------------------------------------------------------------
    o = Original('kontakt@example-verein.de', 'Ihre Anfrage ist eingegangen')
    n = 74
    body = ("Your message did not reach some or all of the intended recipients.\n\n"
            "   Sent: %s\n"
            "   Subject: %s\n\n"
            "The following recipient(s) could not be reached:\n\n"
            "kontakt@example-verein.de\n"
            "   Error Type: SMTP\n"
            "   Remote server (203.0.113.74) issued an error.\n"
            "   hMailServer sent: RCPT TO:<kontakt@example-verein.de>\n"
            "   Remote server replied: 550 5.1.1 <kontakt@example-verein.de>: Recipient address rejected: User unknown\n\n"
            "hMailServer\n\n" % (o.date, o.subject))
    root = Multi('mixed', [T(body, 'utf-8', '7bit'), Rfc822(o.full())], '_%s_' % hexid(n, 16))
    top = [('Return-Path', '<>'),
           ('Message-ID', '<%s@WIN-SRV01>' % hexid(n, 8)),
           ('From', 'mailer-daemon@example-vereinsserver.de'),
           ('To', o.envelope),
           ('Subject', 'Message undeliverable: ' + o.subject),
           ('Date', when(n, '+0100'))]
    REG.add('hmailserver_undeliverable', 'delivery_report', 'hMailServer',
            'hMailServer default "Message undeliverable" text as quoted on hosting knowledge bases ("Your message did not reach some or all of the intended recipients", "The following recipient(s) could not be reached")',
            build(top, root, crlf=True), o.cite)

    # --- SmarterMail ------------------------------------------------------------------
    o = Original('admin@example-store.com', 'Your request has been received')
    n = 75
    body = ("Could not deliver message to the following recipient(s):\n\n"
            "Failed Recipient: admin@example-store.com\n"
            "Reason: Remote host said: 552 5.2.2 The mailbox is full\n\n"
            "   -- The header and top 20 lines of the message follows --\n\n") + o.headers_text() + '\n' + o.body_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '-0600')),
           ('From', 'System Administrator <postmaster@mail.example-host.com>'),
           ('To', o.envelope),
           ('Subject', 'Undeliverable: ' + o.subject),
           ('Message-ID', '<%s@mail.example-host.com>' % hexid(n, 12)),
           ('X-SmarterMail-Spam', 'SPF_None')]
    REG.add('smartermail_mailbox_full', 'delivery_report', 'SmarterMail',
            'SmarterMail delivery-failure texts quoted on hosting knowledge bases ("Could not deliver message to the following recipient(s):", "Failed Recipient:", "Reason:"); subject inferred',
            build(top, text=body, charset='us-ascii', cte='7bit', crlf=True), o.cite)

    # --- MailEnable -------------------------------------------------------------------
    o = Original('sales@example-shop.co.uk', 'Your request has been received')
    n = 76
    body = ("Message could not be delivered to some recipients.\n"
            "Recipient: [SMTP:sales@example-shop.co.uk]\n"
            "Reason: 550 5.7.1 Unable to relay\n\n"
            "Message headers follow:\n\n") + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0000')),
           ('From', 'POSTMASTER@example-shop.co.uk'),
           ('To', o.envelope),
           ('Subject', 'Message Delivery Failure'),
           ('Message-ID', '<%s@ME01>' % hexid(n, 14))]
    REG.add('mailenable_relay', 'delivery_report', 'MailEnable',
            'flufl.bounce simplematch MailEnable pattern ("Message could not be delivered to some recipients.", "Recipient: [SMTP:...]", "Message headers follow")',
            build(top, text=body, mime=False, crlf=True), o.cite)

    # --- GroupWise Internet Agent ------------------------------------------------------
    o = Original('jsmith@county-example.gov.example', 'Your request has been received')
    n = 77
    txt = ("The message that you sent was undeliverable to the following:\n"
           "\tjsmith@county-example.gov.example (user not found)\n\n"
           "Possibly truncated original message follows:\n")
    root = Multi('mixed', [T(txt, 'US-ASCII', '7bit'), Rfc822(o.full())],
                 '=__Part%s.0__=' % hexid(n, 8))
    top = [('Return-Path', '<>'), ('Date', when(n, '-0600')),
           ('From', 'Mail Delivery System <Mailer-Daemon@gw.county-example.gov.example>'),
           ('To', o.envelope),
           ('Subject', 'Message status - undeliverable'),
           ('Message-Id', '<%s.%s.GWIA@gw.county-example.gov.example>' % (hexid(n, 8), hexid(n + 1, 4))),
           ('X-Mailer', 'GroupWise Internet Agent 18.4.1')]
    REG.add('groupwise_gwia_undeliverable', 'delivery_report', 'GroupWise Internet Agent',
            'flufl.bounce groupwise detector (multipart/mixed, X-Mailer GroupWise Internet Agent, address lines in the first text/plain part); "Message status - undeliverable" subject',
            build(top, root), o.cite)

    # --- Lotus Notes, Japanese (ISO-2022-JP) -------------------------------------------
    o = Original('kobayashi@notes.example.jp', 'お問い合わせを受け付けました')
    n = 78
    body = ("------- Failure Reasons  --------\n\n"
            "ユーザーは Domino ディレクトリのリストにありません\n"
            "kobayashi@notes.example.jp\n\n\n"
            "------- Returned Message --------\n") + o.full().decode()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0900')),
           ('From', 'Postmaster@notes.example.jp'),
           ('To', o.envelope),
           ('Subject', 'Undeliverable message'),
           ('Message-ID', '<OF%s.%s-ON49258B%s@notes.example.jp>' % (hexid(n, 8), hexid(n + 1, 8), hexid(n + 2, 8))),
           ('X-Mailer', 'Lotus Domino Release 8.5.3FP6 HF', ),
           ('X-MIMETrack', 'Serialize by Router on notesmx/ExampleJP(Release 8.5.3FP6 HF|November 21, 2013) at\n %s' % when(n, '+0900'))]
    REG.add('notes_failure_reasons_ja', 'delivery_report', 'Lotus Notes (Japanese, ISO-2022-JP)',
            'Sisimai Lhost::Notes ("Undeliverable message" subject, "------- Failure Reasons --------" / "------- Returned Message --------", Japanese "ディレクトリのリストにありません")',
            build(top, text=body, charset='ISO-2022-JP', cte='7bit'), o.cite)

    # --- Domino DELIVERY FAILURE with German content ------------------------------------
    o = Original('b.schulz@domino.example.de', 'Ihre Anfrage ist eingegangen')
    n = 79
    body = ("Your message\n\n"
            "  Subject: %s\n\n"
            "was not delivered to:\n\n"
            "  b.schulz@domino.example.de\n\n"
            "because:\n\n"
            "  User b.schulz (b.schulz@domino.example.de) not listed in Domino Directory\n" % o.subject)
    root = Multi('mixed', [T(body, 'ISO-8859-1', 'quoted-printable'), Rfc822(o.full())],
                 '=_mixed 00%s_=' % hexid(n, 20))
    top = [('Return-Path', '<>'), ('Date', when(n, '+0100')),
           ('From', 'Mail Delivery Subsystem <Postmaster@domino.example.de>'),
           ('To', o.envelope),
           ('Subject', 'DELIVERY FAILURE: User b.schulz (b.schulz@domino.example.de) not listed in Domino Directory'),
           ('Message-ID', '<OF%s.%s-ONC1258B@domino.example.de>' % (hexid(n, 8), hexid(n + 1, 8))),
           ('X-MIMETrack', 'Itemize by SMTP Server on dominoSMTP/Example(Release 9.0.1FP10|January 2018) at\n %s' % when(n, '+0100'))]
    REG.add('domino_delivery_failure', 'delivery_report', 'IBM/HCL Domino',
            'Sisimai Lhost::Domino ("DELIVERY FAILURE:" subject, "Your message ... was not delivered to: ... because:", "not listed in Domino Directory")',
            build(top, root), o.cite)

    # --- Active!hunter (Japan) ------------------------------------------------------------
    o = Original('sato@ah.example.jp', 'お問い合わせを受け付けました')
    n = 80
    body = ("  ----- The following addresses had permanent fatal errors -----\n\n"
            ">>> sato@ah.example.jp <sato@ah.example.jp>\n\n"
            "  ----- Transcript of session follows -----\n"
            "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)\n\n"
            "Content-type: message/rfc822\n\n") + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0900')),
           ('From', '"MAILER-DAEMON" <postmaster@ah.example.jp>'),
           ('To', o.envelope),
           ('Subject', 'FAILURE NOTICE :'),
           ('X-AHMailID', '%s' % hexid(n, 14))]
    REG.add('activehunter_failure', 'delivery_report', 'TransWARE Active!hunter',
            'Sisimai Lhost::Activehunter (X-AHMailID header, "FAILURE NOTICE :" subject, ">>> address <address>" lines)',
            build(top, text=body, mime=False), o.cite)

    # --- Digital Arts m-FILTER (ISO-2022-JP) ------------------------------------------------
    o = Original('ito@mf.example.jp', 'お問い合わせを受け付けました')
    n = 81
    body = ("このメールは「m-FILTER」が自動的に生成して送信しています。\n"
            "メールサーバーとの通信中、下記の理由により\n"
            "このメールは送信できませんでした。\n\n"
            "以下のメールアドレスへの送信に失敗しました。\n"
            "ito@mf.example.jp\n\n\n"
            "-------server message\n"
            "550 5.1.1 unknown user <ito@mf.example.jp>\n\n"
            "-------SMTP command\n"
            "RCPT\n\n"
            "-------original message\n\n") + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0900')),
           ('From', 'MAILER-DAEMON@mf.example.jp'),
           ('To', o.envelope),
           ('Subject', 'failure notice'),
           ('X-Mailer', 'm-FILTER')]
    REG.add('mfilter_failure_ja', 'delivery_report', 'Digital Arts m-FILTER',
            'Sisimai Lhost::mFILTER (X-Mailer m-FILTER, "failure notice", "-------server message" / "-------SMTP command" / "-------original message")',
            build(top, text=body, charset='ISO-2022-JP', cte='7bit'), o.cite)

    # --- amavisd-new content filter -------------------------------------------------------
    o = Original('audit@example.com', 'Invoice copy as requested', kind='reply')
    n = 82
    txt = ("The message WAS NOT relayed to:\n"
           "<audit@example.com>:\n"
           "   554 5.7.0 Reject, id=%s - BANNED: P=p003,Z=zip.exe\n\n"
           "Our Internet mail gateway has detected a banned name in the attached\nfile and has not relayed it.\n" % hexid(n, 5))
    txt = 'The message ' + txt[len('The message '):]
    REG.add('amavis_banned', 'delivery_report', 'amavisd-new content filter',
            'Sisimai Lhost::Amavis (From "Content-filter at ...", body starts "The message ", text/rfc822-headers)',
            simple_report(n, o, 'mx.example.com', '"Content-filter at mx.example.com" <postmaster@mx.example.com>',
                          'Undeliverable mail, BANNED CONTENTS', txt, '5.7.0',
                          '554 5.7.0 Reject, id=%s - BANNED: P=p003,Z=zip.exe' % hexid(n, 5), headers_only=True),
            o.cite)

    # --- PowerMTA (SparkPost on-premises MTA) -----------------------------------------------
    o = Original('promo-reply@example.net', 'Your request has been received')
    n = 83
    txt = ("Hello, this is the mail server on mta3.example-esp.com.\n\n"
           "I am sending you this message to inform you on the delivery status of a\n"
           "message you previously sent.  Immediately below you will find a list of\n"
           "the affected recipients;  also attached is a Delivery Status Notification\n"
           "(DSN) report in standard format, as well as the headers of the original\n"
           "message.\n\n"
           "  <promo-reply@example.net>  delivery failed; will not continue trying\n")
    root = Multi('report', [T(txt),
                            DSN([('Reporting-MTA', 'dns;mta3.example-esp.com'),
                                 ('Received-From-MTA', 'dns;desk1.support.example (198.51.100.20)'),
                                 ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'rfc822;promo-reply@example.net'), ('Action', 'failed'),
                                 ('Status', '5.0.0 (undefined status)'), ('Remote-MTA', 'dns;mx.example.net (203.0.113.83)'),
                                 ('Diagnostic-Code', 'smtp;550 Requested action not taken: mailbox unavailable'),
                                 ('X-PowerMTA-BounceCategory', 'bad-mailbox')]),
                            Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 '%s/mta3.example-esp.com' % hexid(n, 16), params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'), ('Subject', 'Delivery report: %s' % o.subject),
           ('From', 'postmaster@mta3.example-esp.com'), ('To', o.envelope),
           ('Date', when(n, '-0400')), ('Message-Id', '<%s@mta3.example-esp.com>' % hexid(n, 10))]
    REG.add('powermta_bad_mailbox', 'delivery_report', 'PowerMTA (SparkPost)',
            'Sisimai Lhost::PowerMTA ("Delivery report" subject, "Hello, this is the mail server on ...", X-PowerMTA-BounceCategory)',
            build(top, root), o.cite)

    # --- Amazon SES bounce delivered as an SNS e-mail notification (JSON) ------------------
    o = Original('gone@example.org', 'Your request has been received')
    n = 84
    payload = {
        'notificationType': 'Bounce',
        'bounce': {'feedbackId': '%s-%s-000000' % (hexid(n, 16).lower(), hexid(n + 1, 8).lower()),
                   'bounceType': 'Permanent', 'bounceSubType': 'General',
                   'bouncedRecipients': [{'emailAddress': o.rcpt, 'action': 'failed', 'status': '5.1.1',
                                          'diagnosticCode': 'smtp; 550 5.1.1 user unknown'}],
                   'timestamp': iso_when(n), 'remoteMtaIp': '203.0.113.84',
                   'reportingMTA': 'dsn; a8-30.smtp-out.amazonses.test'},
        'mail': {'timestamp': iso_when(n, -3), 'source': SUPPORT,
                 'sourceArn': 'arn:aws:ses:eu-west-1:111122223333:identity/support.example',
                 'messageId': '%s-%s-000000' % (hexid(n + 2, 16).lower(), hexid(n + 3, 8).lower()),
                 'destination': [o.rcpt], 'headersTruncated': False,
                 'commonHeaders': {'from': ['%s <%s>' % (SUPPORT_NAME, SUPPORT)], 'to': [o.rcpt],
                                   'messageId': '<%s>' % o.msgid, 'subject': o.subject}}}
    envelope = {'Type': 'Notification', 'MessageId': '%s-%s' % (hexid(n + 4, 8).lower(), hexid(n + 5, 4).lower()),
                'TopicArn': 'arn:aws:sns:eu-west-1:111122223333:ses-bounces',
                'Message': json.dumps(payload, sort_keys=True),
                'Timestamp': iso_when(n, 1), 'SignatureVersion': '1',
                'UnsubscribeURL': 'https://sns.eu-west-1.amazonaws.test/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:eu-west-1:111122223333:ses-bounces:0'}
    body = json.dumps(envelope, indent=2, sort_keys=True) + '\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\nhttps://sns.eu-west-1.amazonaws.test/unsubscribe.html\n'
    top = [('Return-Path', '<%s@amazonses.test>' % hexid(n + 6, 20).lower()),
           ('From', 'AWS Notifications <no-reply@sns.amazonaws.test>'),
           ('To', 'bounces@support.example'),
           ('Subject', 'AWS Notification Message'),
           ('Date', when(n)),
           ('Message-ID', '<%s-%s@eu-west-1.amazonses.test>' % (hexid(n + 7, 16).lower(), hexid(n + 8, 8).lower())),
           ('x-amz-sns-message-id', envelope['MessageId']),
           ('x-amz-sns-subscription-arn', 'arn:aws:sns:eu-west-1:111122223333:ses-bounces:%s' % hexid(n + 9, 8).lower())]
    REG.add('ses_sns_bounce_json', 'delivery_report', 'Amazon SES bounce via SNS e-mail (JSON)',
            'Sisimai Lhost::AmazonSES JSON branch (x-amz-sns-message-id, Message with notificationType Bounce, mail.commonHeaders.messageId) and AWS SES notification-contents docs',
            build(top, text=body, charset='UTF-8', cte='7bit'), o.cite)

    # --- Mailgun (inferred) ---------------------------------------------------------
    o = Original('hello@example.dev', 'Your request has been received')
    n = 85
    txt = ("Delivery to the following recipient failed permanently:\n\n"
           "    hello@example.dev\n\n"
           "Technical details of permanent failure:\n"
           "Server response: 550 5.1.1 The email account that you tried to reach does not exist\n")
    REG.add('mailgun_permanent', 'delivery_report', 'Mailgun DSN',
            'RFC 3464 report; Mailgun wording and headers inferred (Mailgun normally reports bounces by webhook; no public description of its DSN text found)',
            simple_report(n, o, 'so254-12.mailgun.test', 'Mailgun <mailer-daemon@mailgun.test>',
                          'Delivery Status Notification (Failure)', txt, '5.1.1',
                          '550 5.1.1 The email account that you tried to reach does not exist',
                          headers_only=True, extra_top=[('X-Mailgun-Sid', hexid(n, 24))]),
            o.cite)

    # --- Unknown MTA #1 (Sisimai X1) -------------------------------------------------
    o = Original('kana@example.ne.jp', 'お問い合わせを受け付けました')
    n = 86
    body = ("The original message was received at %s\n"
            "from mx-out.support.example\n\n"
            "---The following addresses had delivery errors---\n\n"
            "kana@example.ne.jp [User unknown]\n\n") % o.date + o.headers_text()
    top = [('Return-Path', '<>'), ('Date', when(n, '+0900')),
           ('From', '"Mail Delivery System" <MAILER-DAEMON@mx.example.ne.jp>'),
           ('To', o.envelope),
           ('Subject', 'Returned Mail: User unknown')]
    REG.add('unknown_mta_x1', 'delivery_report', 'Unknown MTA #1 (Sisimai X1)',
            'Sisimai Lhost::X1 ("Returned Mail: " subject, "---The following addresses had delivery errors---", "address [reason]")',
            build(top, text=body, mime=False), o.cite)

    # --- Unknown MTA #3 (Sisimai X3) -------------------------------------------------
    o = Original('ops@example.co.uk', 'Your request has been received')
    n = 87
    txt = ("============================================================================\n"
           "      This is an automatically generated Delivery Status Notification.\n\n"
           "Delivery to the following recipients failed permanently:\n\n"
           "  * ops@example.co.uk\n\n\n"
           "============================================================================\n"
           "                            Technical details:\n\n"
           "SMTP:RCPT host 192.0.2.87: 553 5.3.0 <ops@example.co.uk>... No such user here\n\n\n"
           "============================================================================\n")
    root = Multi('mixed', [T(txt), Rfc822(o.full())], '%s' % hexid(n, 20))
    top = [('Return-Path', '<>'), ('Date', when(n)),
           ('From', 'Mail Delivery System <MAILER-DAEMON@relay.example.co.uk>'),
           ('To', o.envelope), ('Subject', 'Delivery status notification'),
           ('Message-ID', '<%s@relay.example.co.uk>' % hexid(n, 12))]
    REG.add('unknown_mta_x3', 'delivery_report', 'Unknown MTA #3 (Sisimai X3)',
            'Sisimai Lhost::X3 ("Delivery status notification", "This is an automatically generated Delivery Status Notification.", "Technical details:", "SMTP:RCPT host ...")',
            build(top, root), o.cite)

    # --- Unknown MTA #6 (Sisimai X6) -------------------------------------------------
    o = Original('noc@example.com.br', 'Recebemos sua solicitação')
    n = 88
    txt = ("We had trouble delivering your message. Full details follow:\n\n"
           "Subject: '%s'\n"
           "Date: '%s'\n\n"
           "1 error(s):\n\n"
           "SMTP Server <mx.example.com.br> rejected recipient <noc@example.com.br> "
           "(Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]\n\n"
           "The attachment contains the original mail headers\n" % (o.subject, o.date))
    root = Multi('mixed', [T(txt, 'utf-8', 'quoted-printable'),
                           Rfc822(o.headers_only(), ctype='text/rfc822-headers',
                                  extra=[('Content-Disposition', 'attachment; filename="headers.txt"')])],
                 '%s' % hexid(n, 20))
    top = [('Return-Path', '<>'), ('Date', when(n, '-0300')),
           ('From', 'Mail Delivery Subsystem <mailer-daemon@smtp.example-hosting.com.br>'),
           ('To', o.envelope),
           ('Subject', 'There was an error sending your mail'),
           ('Message-ID', '<%s@smtp.example-hosting.com.br>' % hexid(n, 12))]
    REG.add('unknown_mta_x6', 'delivery_report', 'Unknown MTA #6 (Sisimai X6)',
            'Sisimai Lhost::X6 ("There was an error sending your mail", "We had trouble delivering your message. Full details follow:", "SMTP Server <...> rejected recipient <...>")',
            build(top, root), o.cite)


@family
def remote_rejections():
    # --- sendmail relay bouncing an NTT docomo refusal (DATA, 5.2.0) -----------
    o = Original('taro.mobile@docomo.test', 'お問い合わせを受け付けました')
    n = 89
    b = '%s.%d/relay.example.co.jp' % (hexid(n, 9), 1736200000 + n)
    txt = ("The original message was received at %s\n"
           "from mx-out.support.example [198.51.100.30]\n\n"
           "   ----- The following addresses had permanent fatal errors -----\n"
           "<taro.mobile@docomo.test>\n"
           "    (reason: 550 Unknown user taro.mobile@docomo.test)\n\n"
           "   ----- Transcript of session follows -----\n"
           "... while talking to mfsmax.docomo.test.:\n"
           ">>> DATA\n"
           "<<< 550 Unknown user taro.mobile@docomo.test\n"
           "554 5.0.0 Service unavailable\n" % o.date)
    root = Multi('report', [T(txt),
                            DSN([('Reporting-MTA', 'dns; relay.example.co.jp'),
                                 ('Received-From-MTA', 'DNS; mx-out.support.example'),
                                 ('Arrival-Date', o.date)],
                                [('Final-Recipient', 'RFC822; taro.mobile@docomo.test'), ('Action', 'failed'),
                                 ('Status', '5.2.0'), ('Remote-MTA', 'DNS; mfsmax.docomo.test'),
                                 ('Diagnostic-Code', 'SMTP; 550 Unknown user taro.mobile@docomo.test'),
                                 ('Last-Attempt-Date', when(n, '+0900'))]),
                            Rfc822(o.headers_only(), ctype='text/rfc822-headers')],
                 b, params='report-type=delivery-status;\n\t')
    top = [('Return-Path', '<>'), ('Received', rcvd('relay.example.co.jp', o.envelope, n, agent='8.16.1/8.16.1')),
           ('Date', when(n, '+0900')),
           ('From', 'Mail Delivery Subsystem <MAILER-DAEMON@relay.example.co.jp>'),
           ('Message-Id', '<202501%02d.%s@relay.example.co.jp>' % (n % 28 + 1, hexid(n, 8))),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'Returned mail: see transcript for details'),
           ('Auto-Submitted', 'auto-generated (failure)')]
    REG.add('sendmail_docomo_filtered', 'delivery_report', 'Sendmail bounce of an NTT docomo refusal',
            'Sisimai Rhost::NTTDOCOMO notes (transcript with mfsmax.docomo.ne.jp, "550 Unknown user", Status 5.2.0) in a Sendmail DSN',
            build(top, root), o.cite)

    # --- Postfix bounce of a Tencent QQ Mail refusal ------------------------------
    o = Original('88812345@qq.test', '您的请求已收到')
    txt = postfix_text('mx-out.support.example',
                       '<88812345@qq.test>: host mx3.qq.test[203.0.113.90] said: 550 Mailbox not found.\n'
                       '    https://service.mail.qq.test/detail/0/92. (in reply to RCPT TO command)\n')
    data = postfix_report(90, 'mx-out.support.example', o, txt,
                          [[('Final-Recipient', 'rfc822; 88812345@qq.test'),
                            ('Original-Recipient', 'rfc822;88812345@qq.test'),
                            ('Action', 'failed'), ('Status', '5.0.0'),
                            ('Remote-MTA', 'dns; mx3.qq.test'),
                            ('Diagnostic-Code', 'smtp; 550 Mailbox not found. https://service.mail.qq.test/detail/0/92.')]],
                          'Undelivered Mail Returned to Sender', headers_only=True)
    REG.add('postfix_qq_mailbox_not_found', 'delivery_report', 'Postfix bounce of a Tencent QQ Mail refusal',
            'Sisimai Rhost::TencentQQ reply texts ("Mailbox not found") inside a standard Postfix DSN',
            data, o.cite)


# --------------------------------------------------------------------------
# automatic replies
# --------------------------------------------------------------------------

OOF_LANGS = [
    # stem, content-language, subject prefix, sender name, address, body, charset, cte
    ('ar', 'ar-SA', 'رد تلقائي: ', 'سارة العتيبي', 'sara.otaibi@example.sa',
     'شكرًا لرسالتك. أنا خارج المكتب حتى يوم الأحد 19 يناير ولن أتمكن من الرد.\nللأمور العاجلة يرجى التواصل مع فريق الدعم على it@example.sa.',
     'windows-1256', 'base64'),
    ('he', 'he-IL', 'תשובה אוטומטית: ', 'דנה לוי', 'dana.levi@example.co.il',
     'תודה על פנייתך. אני מחוץ למשרד עד יום חמישי ואחזור אלייך עם שובי.\nבמקרים דחופים ניתן לפנות לאבי בטלפון 03-5550100.',
     'windows-1255', 'quoted-printable'),
    ('ru', 'ru-RU', 'Автоматический ответ: ', 'Ольга Смирнова', 'o.smirnova@example.ru',
     'Здравствуйте!\nЯ в отпуске до 20 января и не читаю почту.\nПо срочным вопросам обращайтесь к Андрею Кузнецову: a.kuznetsov@example.ru.',
     'koi8-r', '8bit'),
    ('el', 'el-GR', 'Αυτόματη απάντηση: ', 'Νίκος Παπαδόπουλος', 'n.papadopoulos@example.gr',
     'Σας ευχαριστώ για το μήνυμά σας. Βρίσκομαι εκτός γραφείου έως τις 17 Ιανουαρίου.\nΓια επείγοντα θέματα επικοινωνήστε με το helpdesk@example.gr.',
     'iso-8859-7', 'quoted-printable'),
    ('tr', 'tr-TR', 'Otomatik yanıt: ', 'Elif Şahin', 'elif.sahin@example.com.tr',
     'Merhaba,\n24 Ocak tarihine kadar izindeyim. Acil durumlarda lütfen destek@example.com.tr adresine yazınız.',
     'iso-8859-9', 'quoted-printable'),
    ('zh', 'zh-CN', '自动回复: ', '刘洋', 'liu.yang@example.cn',
     '您好，我目前正在休假，1月20日返回办公室。如有紧急事务，请联系 zhang.wei@example.cn。',
     'gb2312', 'base64'),
    ('ja', 'ja-JP', '自動応答: ', '山本 花子', 'h.yamamoto@example.co.jp',
     'お世話になっております。\n1月6日まで年末年始休暇のため不在です。\n休暇明けに順次対応いたします。',
     'iso-2022-jp', '7bit'),
    ('ko', 'ko-KR', '자동 회신: ', '박지훈', 'jihoon.park@example.co.kr',
     '안녕하세요. 1월 22일까지 출장 중이라 메일 확인이 늦어질 수 있습니다.\n급한 용무는 팀 대표 메일로 연락 부탁드립니다.',
     'ks_c_5601-1987', 'base64'),
    ('hu', 'hu-HU', 'Automatikus válasz: ', 'Kovács Péter', 'kovacs.peter@example.hu',
     'Köszönöm levelét. Január 15-ig szabadságon vagyok, utána válaszolok.',
     'iso-8859-2', 'quoted-printable'),
    ('ro', 'ro-RO', 'Răspuns automat: ', 'Andreea Popescu', 'andreea.popescu@example.ro',
     'Bună ziua,\nSunt în concediu până pe 13 ianuarie. Pentru urgențe vă rog să scrieți la suport@example.ro.',
     'utf-8', 'quoted-printable'),
    ('uk', 'uk-UA', 'Автоматична відповідь: ', 'Олена Бондаренко', 'o.bondarenko@example.ua',
     'Доброго дня!\nЯ у відпустці до 27 січня. З термінових питань звертайтеся до служби підтримки.',
     'koi8-u', 'base64'),
    ('vi', 'vi-VN', 'Trả lời tự động: ', 'Nguyễn Thị Lan', 'lan.nguyen@example.vn',
     'Xin chào,\nTôi đang nghỉ phép đến hết ngày 31/1. Tôi sẽ trả lời thư của bạn khi quay lại.',
     'utf-8', 'base64'),
    ('fi', 'fi-FI', 'Automaattinen vastaus: ', 'Mikko Virtanen', 'mikko.virtanen@example.fi',
     'Hei,\nolen lomalla 20.1. asti enkä lue sähköpostia. Kiireellisissä asioissa ota yhteyttä tukeen.',
     'iso-8859-15', 'quoted-printable'),
    ('da', 'da-DK', 'Automatisk svar: ', 'Søren Jensen', 'soren.jensen@example.dk',
     'Tak for din mail. Jeg er på ferie til og med den 10. januar og svarer, når jeg er tilbage.',
     'iso-8859-1', 'quoted-printable'),
    ('th', 'th-TH', 'ตอบกลับอัตโนมัติ: ', 'สมชาย ใจดี', 'somchai@example.co.th',
     'ขอบคุณสำหรับอีเมลของคุณ ขณะนี้ผมไม่อยู่ที่สำนักงานจนถึงวันที่ 15 มกราคม',
     'tis-620', 'base64'),
    ('id', 'id-ID', 'Balasan otomatis: ', 'Budi Santoso', 'budi.santoso@example.co.id',
     'Terima kasih atas email Anda. Saya sedang cuti hingga 14 Januari dan akan membalas setelah kembali.',
     'us-ascii', '7bit'),
]


def exchange_oof(n, o, lang, clang, prefix, name, address, text, cs, cte, mode='server',
                 to_reply=False, with_html=True):
    """mode: server (Exchange OOF headers) | client (Outlook rule: only the subject)."""
    subject = prefix + o.subject
    html = ('<html dir="%s"><head><meta http-equiv="Content-Type" content="text/html; charset=%s"></head>'
            '<body><div style="font-family:Calibri,Arial">%s</div></body></html>\n' % (
                'rtl' if lang in ('ar', 'he') else 'ltr', cs, text.replace('\n', '<br>\n')))
    if with_html:
        root = Multi('alternative', [T(text + '\n', cs, cte), T(html, cs, cte, subtype='html')],
                     '_000_%s%s_' % (hexid(n, 20), address.split('@')[0][:6].upper()))
    else:
        root = T(text + '\n', cs, cte)
    host = '%sPR0%dMB%04d.%sprd0%d.prod.outlook.test' % (
        'VI1' if n % 2 else 'AS8', n % 8, 3000 + n, 'eur' if n % 3 else 'apc', n % 5)
    top = [('From', addr(name, address, cs if cs not in ('us-ascii',) else 'utf-8')),
           ('To', '%s <%s>' % (SUPPORT_NAME, 'support+t%d-%s@support.example' % (o.ticket, hexid(o.num + 900, 6).lower()) if to_reply else SUPPORT)),
           ('Subject', b_word(subject, cs if cs != 'us-ascii' else 'utf-8') if any(ord(c) > 127 for c in subject) else subject),
           ('Thread-Topic', b_word(o.subject, 'utf-8') if any(ord(c) > 127 for c in o.subject) else o.subject),
           ('Thread-Index', 'AQHb%s' % hexid(n + 3, 22)),
           ('Date', when(n, '+0000')),
           ('Message-ID', '<%s%s@%s>' % (host[:7], hexid(n + 4, 24), host))]
    if mode == 'server':
        top += [('References', '<%s>' % o.msgid), ('In-Reply-To', '<%s>' % o.msgid)]
    top += [('Content-Language', clang), ('X-MS-Has-Attach', ''),
            ('X-MS-Exchange-Organization-SCL', '-1'), ('X-MS-TNEF-Correlator', '')]
    if mode == 'server':
        top += [('X-MS-Exchange-Organization-RecordReviewCfmType', '0'),
                ('auto-submitted', 'auto-generated'),
                ('X-Auto-Response-Suppress', 'All'),
                ('x-ms-exchange-inbox-rules-loop', address)]
    return build(top, root, crlf=True)


@family
def out_of_office():
    # --- Exchange / Exchange Online server-side OOF in 16 languages ----------
    for i, (lang, clang, prefix, name, address, text, cs, cte) in enumerate(OOF_LANGS):
        o = Original(address, 'Your request has been received', n=100 + i)
        mode = 'client' if lang in ('th', 'id', 'da') else 'server'
        data = exchange_oof(100 + i, o, lang, clang, prefix, name, address, text, cs, cte,
                            mode=mode, to_reply=(i % 3 == 1), with_html=(i % 4 != 3))
        if mode == 'server':
            REG.add('oof_exchange_%s' % lang, 'auto_reply', 'Exchange Online OOF (%s)' % clang,
                    'MS-OXCMAIL out-of-office mapping (Auto-Submitted: auto-generated, X-Auto-Response-Suppress: All, localized "Automatic reply:" prefix); localized prefix from Outlook UI',
                    data)
        else:
            REG.add('oof_outlook_rule_%s' % lang, 'auto_reply', 'Outlook client-side rule auto reply (%s)' % clang,
                    'Outlook "reply using a specific template" client rules send a plain reply: only the localized subject prefix marks it (no RFC 3834 headers); inferred',
                    data)

    # --- Gmail vacation responder (Spanish) ------------------------------------
    o = Original('lucia.fernandez@gmail.test', 'Hemos recibido su solicitud', n=120)
    n = 120
    text = ('Hola,\n\nestoy de vacaciones hasta el 20 de enero con acceso limitado al correo.\n'
            'Para temas urgentes escribe a soporte@example.es.\n\nUn saludo,\nLucía\n')
    alt = Multi('alternative', [T(text, 'UTF-8', 'quoted-printable'),
                                T('<div dir="ltr">' + text.replace('\n', '<br>') + '</div>\n', 'UTF-8', 'quoted-printable', subtype='html')],
                '0000000000%s' % hexid(n, 16).lower())
    top = [('Return-Path', '<lucia.fernandez@gmail.test>'),
           ('Received', rcvd('mail-sor-f41.google.test', SUPPORT, n)),
           ('Auto-Submitted', 'auto-replied'),
           ('From', addr('Lucía Fernández', 'lucia.fernandez@gmail.test', enc='Q')),
           ('Date', when(n, '-0800 (PST)')),
           ('Message-ID', '<CAFx%s@mail.gmail.test>' % hexid(n, 28)),
           ('Subject', q_word('De vacaciones hasta el 20/1 (Re: %s)' % o.subject, 'UTF-8')),
           ('To', SUPPORT),
           ('In-Reply-To', '<%s>' % o.msgid), ('References', '<%s>' % o.msgid),
           ('Precedence', 'bulk'),
           ('X-Autoreply', 'yes')]
    REG.add('vacation_gmail_es', 'auto_reply', 'Gmail vacation responder (Spanish)',
            'RFC 3834 (Auto-Submitted: auto-replied); Gmail vacation responder uses the user\'s own subject; Precedence/X-Autoreply as listed in Zendesk\'s auto-response header list',
            build(top, alt))

    # --- Yahoo Mail vacation (Portuguese) ---------------------------------------
    o = Original('carlos.souza@yahoo.test', 'Recebemos sua solicitação', n=121)
    n = 121
    text = 'Olá! Estou de férias até 27 de janeiro. Responderei assim que voltar.\nAbraços, Carlos'
    top = [('Return-Path', '<carlos.souza@yahoo.test>'),
           ('Date', when(n, '-0300')),
           ('From', 'Carlos Souza <carlos.souza@yahoo.test>'),
           ('To', '%s <%s>' % (SUPPORT_NAME, SUPPORT)),
           ('Message-ID', '<%d.%d.%d@mail.yahoo.test>' % (1736000000 + n, 90000 + n, 77)),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', q_word('Resposta automática: ' + o.subject, 'iso-8859-1')),
           ('X-Autoreply', 'yes'),
           ('X-Mailer', 'WebService/1.1.23040 YMailNorrin'),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('vacation_yahoo_pt', 'auto_reply', 'Yahoo Mail vacation response (Portuguese)',
            'RFC 3834 auto-replied marking plus X-Autoreply (listed among auto-response headers by Zendesk and Jitbit); wording inferred',
            build(top, text=text + '\n', charset='iso-8859-1', cte='quoted-printable'))

    # --- iCloud vacation --------------------------------------------------------
    o = Original('jamie.k@icloud.test', 'Your request has been received', n=122)
    n = 122
    text = "I'm away until Monday 13 January without access to email. I'll reply when I'm back.\n\nJamie"
    top = [('Return-Path', '<jamie.k@icloud.test>'),
           ('From', 'Jamie Kim <jamie.k@icloud.test>'),
           ('To', SUPPORT), ('Subject', 'Auto-Reply: ' + o.subject),
           ('Date', when(n, '-0800')), ('Message-Id', '<%s@icloud.test>' % hexid(n, 32).lower()),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Autoreply', 'yes'),
           ('X-Apple-Action', 'VACATION/1')]
    REG.add('vacation_icloud', 'auto_reply', 'iCloud Mail vacation reply',
            'RFC 3834 Auto-Submitted: auto-replied; "Auto-Reply:" subject prefix; X-Autoreply (auto-response header lists); Apple-specific header inferred',
            build(top, text=text + '\n', charset='utf-8', cte='7bit'))

    # --- Yandex autoreply (Russian) -----------------------------------------------
    o = Original('k.morozova@yandex.test', 'Ваше обращение зарегистрировано', n=123)
    n = 123
    text = 'Спасибо за письмо! Я в отпуске до 3 февраля и отвечу после возвращения.'
    top = [('Return-Path', '<k.morozova@yandex.test>'),
           ('X-Yandex-Forward', hexid(n, 32).lower()),
           ('From', addr('Ксения Морозова', 'k.morozova@yandex.test')),
           ('To', SUPPORT),
           ('Subject', b_word('Автоответ: ' + o.subject)),
           ('Date', when(n, '+0300')),
           ('Message-Id', '<%d%s@mail.yandex.test>' % (1736000000 + n, hexid(n, 6).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('autoreply_yandex_ru', 'auto_reply', 'Yandex.Mail autoreply (Russian)',
            'RFC 3834 Auto-Submitted: auto-replied; "Автоответ:" subject wording inferred',
            build(top, text=text + '\n', charset='utf-8', cte='base64'))

    # --- Mail.ru autoresponder (windows-1251) -------------------------------------
    o = Original('dmitry.l@mail-ru.test', 'Ваше обращение зарегистрировано', n=124)
    n = 124
    text = 'Добрый день!\nЯ нахожусь в командировке до 28.01 и временно не отвечаю на письма.\nДмитрий'
    top = [('Return-Path', '<dmitry.l@mail-ru.test>'),
           ('From', addr('Дмитрий Лебедев', 'dmitry.l@mail-ru.test', 'windows-1251')),
           ('To', SUPPORT),
           ('Subject', b_word('Re: ' + o.subject, 'windows-1251')),
           ('Date', when(n, '+0300')),
           ('Message-ID', '<%d.%s@f512.i.mail-ru.test>' % (1736000000 + n, hexid(n, 8).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('X-Mailer', 'Mail.Ru Mailer 1.0'),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Autoreply', 'yes')]
    REG.add('autoreply_mailru_cp1251', 'auto_reply', 'Mail.Ru autoresponder',
            'RFC 3834 Auto-Submitted: auto-replied plus X-Autoreply; subject "Re:" and wording inferred',
            build(top, text=text + '\n', charset='windows-1251', cte='8bit'))

    # --- GMX Abwesenheitsnotiz ------------------------------------------------------
    o = Original('f.wagner@gmx.test', 'Ihre Anfrage ist eingegangen', n=125)
    n = 125
    text = ('Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 17. Januar nicht im Büro.\n'
            'In dringenden Fällen wenden Sie sich bitte an info@example.de.\n\nMit freundlichen Grüßen\nFrank Wagner')
    top = [('Return-Path', '<f.wagner@gmx.test>'),
           ('From', 'Frank Wagner <f.wagner@gmx.test>'), ('To', SUPPORT),
           ('Subject', q_word('Abwesenheitsnotiz: ' + o.subject, 'ISO-8859-1')),
           ('Date', when(n, '+0100')),
           ('Message-ID', '<trinity-%s-%s@3c-app-gmx-bs12>' % (hexid(n, 8).lower(), hexid(n + 1, 12).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Auto-Submitted', 'auto-replied'),
           ('X-UI-Message-Type', 'autoreply'),
           ('X-Provags-ID', 'V03:K1:%s' % hexid(n, 30))]
    REG.add('autoreply_gmx_de', 'auto_reply', 'GMX Abwesenheitsnotiz',
            'RFC 3834 Auto-Submitted: auto-replied; GMX UI headers (X-UI-*, X-Provags-ID) inferred',
            build(top, text=text + '\n', charset='ISO-8859-1', cte='quoted-printable'))

    # --- Dovecot Pigeonhole Sieve vacation (Greek, ISO-8859-7) ------------------------
    o = Original('maria.k@example.gr', 'Your request has been received', n=126)
    n = 126
    text = 'Καλησπέρα σας,\nείμαι σε άδεια έως τις 24 Ιανουαρίου. Θα απαντήσω με την επιστροφή μου.\nΜαρία'
    top = [('Return-Path', '<>'),
           ('Delivered-To', SUPPORT),
           ('X-Sieve', 'Pigeonhole Sieve 0.5.21 (f6cd4b8e)'),
           ('Message-ID', '<dovecot-sieve-%d-%d-0@mail.example.gr>' % (1736000000 + n, n)),
           ('Date', when(n, '+0200')),
           ('From', addr('Μαρία Κωνσταντίνου', 'maria.k@example.gr', 'iso-8859-7')),
           ('To', '<%s>' % o.envelope),
           ('Subject', 'Auto: ' + o.subject),
           ('Auto-Submitted', 'auto-replied (vacation)'),
           ('Precedence', 'bulk'),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('References', '<%s>' % o.msgid)]
    REG.add('sieve_vacation_el', 'auto_reply', 'Dovecot Pigeonhole Sieve vacation (Greek)',
            'RFC 5230 Sieve vacation (reply to the envelope sender, "Auto:" subject default, Auto-Submitted: auto-replied (vacation)); Pigeonhole X-Sieve header',
            build(top, text=text + '\n', charset='iso-8859-7', cte='8bit'))

    # --- Roundcube managesieve vacation (Turkish) -------------------------------------
    o = Original('mehmet@example.com.tr', 'Talebiniz alındı', n=127)
    n = 127
    text = 'Merhaba, 3 Şubat\'a kadar ofis dışındayım. Döndüğümde yanıt vereceğim.'
    top = [('Return-Path', '<>'),
           ('From', 'Mehmet Demir <mehmet@example.com.tr>'),
           ('To', '<%s>' % o.envelope),
           ('Subject', b_word('Ofis dışında: ' + o.subject, 'UTF-8')),
           ('Date', when(n, '+0300')),
           ('Message-ID', '<sieve-%s@mail.example.com.tr>' % hexid(n, 12).lower()),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Auto-Submitted', 'auto-replied (vacation)'),
           ('X-Sieve', 'Pigeonhole Sieve 0.5.19 (4eae2f79)')]
    REG.add('sieve_vacation_roundcube_tr', 'auto_reply', 'Roundcube managesieve vacation (Turkish)',
            'RFC 5230 / RFC 3834 vacation reply (null Return-Path, Auto-Submitted: auto-replied (vacation)); subject set by the user',
            build(top, text=text + '\n', charset='UTF-8', cte='quoted-printable'))

    # --- HCL Domino out-of-office (German) -------------------------------------------
    o = Original('k.becker@domino.example.de', 'Ihre Anfrage ist eingegangen', n=128)
    n = 128
    text = ('Ich werde ab  13.01.2025 nicht im Büro sein. Ich kehre zurück am 24.01.2025.\n\n'
            'Ich werde Ihre Nachricht nach meiner Rückkehr beantworten. In dringenden Fällen\n'
            'wenden Sie sich bitte an Herrn Lange (t.lange@domino.example.de).')
    top = [('Return-Path', '<k.becker@domino.example.de>'),
           ('Subject', q_word('Klaus Becker ist außer Haus.', 'ISO-8859-1')),
           ('From', 'Klaus Becker <k.becker@domino.example.de>'),
           ('To', SUPPORT),
           ('Date', when(n, '+0100')),
           ('Message-ID', '<OF%s.%s-ONC1258B%s@domino.example.de>' % (hexid(n, 8), hexid(n + 1, 8), hexid(n + 2, 8))),
           ('X-Mailer', 'HCL Notes Release 12.0.2 FP2 November 03, 2023'),
           ('Auto-Submitted', 'auto-replied'),
           ('X-MIMETrack', 'Serialize by Router on dominoSMTP/Example(Release 12.0.2FP2|November 03, 2023) at\n %s' % when(n, '+0100'))]
    REG.add('oof_domino_de', 'auto_reply', 'HCL/IBM Domino out-of-office agent (German)',
            'Domino out-of-office agent default subject "<Name> ist außer Haus." / "is out of the office."; RFC 3834 header',
            build(top, text=text + '\n', charset='ISO-8859-1', cte='quoted-printable'))

    # --- GroupWise auto-reply rule ----------------------------------------------------
    o = Original('tnguyen@county-example.gov.example', 'Your request has been received', n=129)
    n = 129
    text = 'I am out of the office until January 21. For assistance please call the service desk at 555-0100.'
    top = [('Return-Path', '<tnguyen@county-example.gov.example>'),
           ('Message-Id', '<%s.%s.GWIA@gw.county-example.gov.example>' % (hexid(n, 8), hexid(n + 1, 4))),
           ('X-Mailer', 'GroupWise Internet Agent 18.4.1'),
           ('Date', when(n, '-0600')),
           ('From', '"Tam Nguyen" <tnguyen@county-example.gov.example>'),
           ('To', SUPPORT),
           ('Subject', 'Re: ' + o.subject),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('autoreply_groupwise_rule', 'auto_reply', 'GroupWise auto-reply rule',
            'GroupWise rules send "Re:" replies; RFC 3834 Auto-Submitted on rule replies (GWIA); wording inferred',
            build(top, text=text + '\n', charset='US-ASCII', cte='7bit'))

    # --- Exim autoreply transport (vacation file on a Linux host) ----------------------
    o = Original('prof.weber@uni-example.de', 'Ihre Anfrage ist eingegangen', n=130)
    n = 130
    text = ('Ich bin bis zum 31. Januar auf einer Konferenz und lese meine E-Mails nur\n'
            'unregelmäßig. Ihre Nachricht wird danach bearbeitet.\n\n-- \nProf. Dr. A. Weber')
    top = [('Return-path', '<>'),
           ('Received', 'from prof.weber by mail.uni-example.de with local (Exim 4.96)\n\t(envelope-from <>)\n\tid 1u%s-000%s-%s\n\tfor %s; %s' % (
               hexid(n, 4), hexid(n, 3), hexid(n, 2), o.envelope, when(n, '+0100'))),
           ('X-Failed-Recipients', ''),
           ('From', 'Andrea Weber <prof.weber@uni-example.de>'),
           ('To', o.envelope),
           ('Subject', q_word('Abwesend: ' + o.subject, 'ISO-8859-1')),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Auto-Submitted', 'auto-replied'),
           ('Message-Id', '<E1u%s-000%s-%s@mail.uni-example.de>' % (hexid(n, 4), hexid(n, 3), hexid(n, 2))),
           ('Date', when(n, '+0100'))]
    top = [h for h in top if h[0] != 'X-Failed-Recipients']
    REG.add('vacation_exim_autoreply_de', 'auto_reply', 'Exim autoreply transport (vacation)',
            'Exim spec "The autoreply transport" (once-file vacation replies, null sender); RFC 3834 Auto-Submitted',
            build(top, text=text + '\n', charset='ISO-8859-1', cte='8bit'))

    # --- SOGo vacation (French) --------------------------------------------------------
    o = Original('c.lefevre@sogo.example.fr', 'Votre demande a bien été reçue', n=131)
    n = 131
    text = ("Bonjour,\nje suis absente jusqu'au 14 janvier. Je traiterai votre message à mon retour.\nCécile")
    top = [('Return-Path', '<>'),
           ('Subject', q_word('Absence : ' + o.subject, 'UTF-8')),
           ('From', addr('Cécile Lefèvre', 'c.lefevre@sogo.example.fr', enc='Q')),
           ('To', '<%s>' % o.envelope),
           ('Date', when(n, '+0100')),
           ('Message-ID', '<dovecot-sieve-%d-%d-1@sogo.example.fr>' % (1736000000 + n, n)),
           ('Auto-Submitted', 'auto-replied (vacation)'),
           ('Precedence', 'bulk'),
           ('In-Reply-To', '<%s>' % o.msgid)]
    REG.add('vacation_sogo_fr', 'auto_reply', 'SOGo vacation (Sieve, French)',
            'RFC 5230 vacation action generated by SOGo through Sieve; French subject chosen by the user',
            build(top, text=text + '\n', charset='UTF-8', cte='quoted-printable'))

    # --- Apple Mail client rule reply: nothing but "Re:" and the text ----------------
    o = Original('s.bauer@example.at', 'Ihre Anfrage ist eingegangen', n=132)
    n = 132
    text = ('Sehr geehrte Damen und Herren,\n\nich befinde mich bis 20. Jänner im Urlaub. Ihre Nachricht wird\n'
            'nicht weitergeleitet. In dringenden Fällen: office@example.at\n\nSabine Bauer')
    top = [('Return-Path', '<s.bauer@example.at>'),
           ('From', 'Sabine Bauer <s.bauer@example.at>'),
           ('Content-Type', 'text/plain;\n\tcharset=utf-8'),
           ('Content-Transfer-Encoding', 'quoted-printable'),
           ('Mime-Version', '1.0 (Mac OS X Mail 16.0 \\(3774.600.62\\))'),
           ('Subject', 'Re: ' + o.subject),
           ('Date', when(n, '+0100')),
           ('References', '<%s>' % o.msgid), ('In-Reply-To', '<%s>' % o.msgid),
           ('To', SUPPORT),
           ('Message-Id', '<%s-%s@example.at>' % (hexid(n, 8), hexid(n + 1, 16))),
           ('X-Mailer', 'Apple Mail (2.3774.600.62)')]
    data = build(top, text=None, mime=False) if False else None
    body = quopri.encodestring((text + '\n').encode('utf-8'))
    data = b''.join(('%s: %s\n' % h).encode('utf-8') for h in top) + b'\n' + body
    REG.add('autoreply_applemail_rule_de', 'auto_reply', 'Apple Mail rule "Reply to message" (German)',
            'Apple Mail rules can reply with fixed text; the reply carries no RFC 3834 marks, only the body says it is an absence notice',
            data)


@family
def helpdesk_autoresponders():
    # --- Zendesk (German) ---------------------------------------------------------
    o = Original('support@example-gmbh.zendesk.test', 'Rückfrage zu Rechnung 2025-0113', kind='reply', n=140)
    n = 140
    text = ('##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##\n\n'
            'Ihre Anfrage (48213) ist bei uns eingegangen und wird von unseren Mitarbeitern geprüft.\n\n'
            'Um weitere Kommentare hinzuzufügen, antworten Sie einfach auf diese E-Mail.\n\n'
            'Dieses E-Mail ist ein Service von Example GmbH.\n[RQ4MZ7-KY1D]')
    html = ('<div style="color:#b5b5b5">##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##</div>'
            '<p>Ihre Anfrage (48213) ist bei uns eingegangen und wird von unseren Mitarbeitern geprüft.</p>'
            '<p>Um weitere Kommentare hinzuzufügen, antworten Sie einfach auf diese E-Mail.</p>'
            '<span style="color:#FFFFFF">[RQ4MZ7-KY1D]</span>\n')
    alt = Multi('alternative', [T(text, 'UTF-8', 'quoted-printable'), T(html, 'UTF-8', 'quoted-printable', subtype='html')],
                '--==_mimepart_%s_%d' % (hexid(n, 12).lower(), 4000 + n), params='\n charset=UTF-8;\n ')
    top = [('Return-Path', '<support+id48213@example-gmbh.zendesk.test>'),
           ('Date', when(n, '+0000')),
           ('From', 'Example GmbH <support@example-gmbh.zendesk.test>'),
           ('Reply-To', 'Example GmbH <support+id48213@example-gmbh.zendesk.test>'),
           ('To', '%s <%s>' % (SUPPORT_NAME, SUPPORT)),
           ('Message-ID', '<%s_%s_sprut@zendesk.test>' % (hexid(n, 12).upper(), hexid(n + 1, 8).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', q_word('[Example GmbH] Re: %s' % o.subject, 'UTF-8')),
           ('X-Mailer', 'Zendesk Mailer'),
           ('X-Zendesk-From-Account-Id', hexid(n, 7).lower()),
           ('X-Zendesk-Email-Id', '%sKY1D' % hexid(n, 20)),
           ('Auto-Submitted', 'auto-generated')]
    REG.add('helpdesk_zendesk_de', 'auto_reply', 'Zendesk "request received" trigger (German)',
            'Zendesk default "Notify requester of received request" trigger ("##- Bitte geben Sie Ihre Antwort über dieser Zeile ein. -##", request id); X-Mailer "Zendesk Mailer"; Auto-Submitted inferred',
            build(top, alt))

    # --- Freshdesk -------------------------------------------------------------
    o = Original('helpdesk@example-saas.freshdesk.test', 'Login loop after password reset', kind='reply', n=141)
    n = 141
    text = ('Dear Example Support,\n\n'
            'We would like to acknowledge that we have received your request and a ticket has been created.\n'
            'A support representative will be reviewing your request and will send you a personal response (usually within 24 hours).\n\n'
            'To view the status of the ticket or add comments, please visit\n'
            'https://example-saas.freshdesk.test/helpdesk/tickets/9137\n\n'
            'Thank you for your patience.\n\nSincerely,\nExample SaaS Support Team\n')
    alt = Multi('alternative', [T(text, 'UTF-8', 'quoted-printable'),
                                T('<div>' + text.replace('\n', '<br>') + '</div>', 'UTF-8', 'quoted-printable', subtype='html')],
                '--==_mimepart_%s' % hexid(n, 20).lower())
    top = [('Date', when(n, '+0000')),
           ('From', 'Example SaaS Support <helpdesk@example-saas.freshdesk.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<%s.%s@freshdesk.test>' % (hexid(n, 8).lower(), hexid(n + 1, 20).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', 'Ticket Received - %s' % o.subject),
           ('X-FD-Email-Type', 'requester_new_ticket'),
           ('X-Auto-Response-Suppress', 'All'),
           ('Auto-Submitted', 'auto-generated')]
    REG.add('helpdesk_freshdesk', 'auto_reply', 'Freshdesk new-ticket acknowledgement',
            'Freshdesk default "New Ticket Created" requester notification ("Ticket Received - ...", "We would like to acknowledge that we have received your request"); headers inferred',
            build(top, alt))

    # --- Salesforce Email-to-Case auto-response ---------------------------------
    o = Original('cases@example-corp.test', 'Warranty claim question', kind='reply', n=142)
    n = 142
    text = ('Thank you for contacting Example Corp Customer Care.\n\n'
            'Your case number is 00048211. A representative will respond within two business days.\n\n'
            'ref:_00D5g0000KlMn._5005g00000AbCdE:ref\n')
    top = [('Return-Path', '<cases=example-corp.test__%s@%s.bnc.salesforce.test>' % (hexid(n, 8).lower(), hexid(n + 1, 10).lower())),
           ('Date', when(n, '+0000 (GMT)')),
           ('From', 'Example Corp Customer Care <cases@example-corp.test>'),
           ('Sender', 'noreply@salesforce.test'),
           ('To', SUPPORT),
           ('Message-ID', '<%s@sfdc.net.example>' % hexid(n, 24)),
           ('Subject', 'Case 00048211: We received your message [ ref:_00D5g0000KlMn._5005g00000AbCdE:ref ]'),
           ('X-SFDC-LK', '00D5g0000KlMn'),
           ('X-SFDC-User', '0055g00000Xyz12'),
           ('X-Sender', 'postmaster@salesforce.test'),
           ('X-mail_abuse_inquiries', 'http://www.salesforce.test/company/abuse.jsp'),
           ('X-SFDC-TLS-NoRelay', '1'),
           ('X-SFDC-Binding', '1WrIRBV94myi25uB'),
           ('X-SFDC-EmailCategory', 'caseAutoResponse'),
           ('X-SFDC-EntityId', '5005g00000AbCdE')]
    REG.add('helpdesk_salesforce_case', 'auto_reply', 'Salesforce Email-to-Case auto-response',
            'Salesforce Email-to-Case auto-response rules (case number, ref: thread id) and the X-SFDC-* sending headers; category value inferred',
            build(top, text=text, charset='UTF-8', cte='7bit'))

    # --- HubSpot conversations inbox auto-reply -------------------------------------
    o = Original('hello@example-agency.test', 'Quote request follow-up', kind='reply', n=143)
    n = 143
    text = ("Hi there,\n\nThanks for reaching out! We've received your message and one of our team\n"
            "members will get back to you within one business day.\n\nThe Example Agency team\n")
    top = [('Date', when(n, '+0000')),
           ('From', 'Example Agency <hello@example-agency.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<%s@hubspot-mail.test>' % hexid(n, 30).lower()),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', 'Re: ' + o.subject),
           ('X-HS-Cid', hexid(n, 40).lower()),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Auto-Response-Suppress', 'OOF, AutoReply')]
    REG.add('helpdesk_hubspot_inbox', 'auto_reply', 'HubSpot conversations inbox auto-reply',
            'RFC 3834 marking; HubSpot inbox auto-reply text and headers inferred',
            build(top, text=text, charset='UTF-8', cte='7bit'))

    # --- Help Scout auto reply --------------------------------------------------------
    o = Original('support@example-app.test', 'Export fails for large projects', kind='reply', n=144)
    n = 144
    text = ("Hi,\n\nThis is an automatic reply to let you know we got your email. We reply to\n"
            "every message in the order received, usually within 6 hours.\n\n"
            "In the meantime our knowledge base might help: https://docs.example-app.test\n\n- Example App Support\n")
    top = [('Date', when(n, '+0000')),
           ('From', 'Example App Support <support@example-app.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<reply-%d-%s@helpscout.test>' % (7000000 + n, hexid(n, 10).lower())),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', 'Re: ' + o.subject),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Autoreply', 'yes')]
    REG.add('helpdesk_helpscout', 'auto_reply', 'Help Scout mailbox auto reply',
            'RFC 3834 marking plus X-Autoreply; Help Scout auto-reply wording and Message-ID form inferred',
            build(top, text=text, charset='UTF-8', cte='7bit'))

    # --- Intercom (French) ----------------------------------------------------------------
    o = Original('bonjour@example-startup.fr', 'Problème de facturation', kind='reply', n=145)
    n = 145
    text = ("Bonjour,\n\nMerci pour votre message ! Notre équipe vous répond en général en moins de 2 heures\n"
            "(du lundi au vendredi, 9h-18h).\n\nL'équipe Example\n")
    alt = Multi('alternative', [T(text, 'UTF-8', 'quoted-printable'),
                                T('<p>' + text.replace('\n', '<br>') + '</p>', 'UTF-8', 'quoted-printable', subtype='html')],
                '--==_mimepart_%s' % hexid(n, 18).lower())
    top = [('Date', when(n, '+0100')),
           ('From', '=?UTF-8?Q?L=27=C3=A9quipe_Example?= <bonjour@example-startup.fr>'),
           ('To', SUPPORT),
           ('Message-ID', '<intercom-%s@intercom-mail.test>' % hexid(n, 20).lower()),
           ('In-Reply-To', '<%s>' % o.msgid),
           ('Subject', q_word('Re: ' + o.subject, 'UTF-8')),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Intercom-Bot', 'operator')]
    REG.add('helpdesk_intercom_fr', 'auto_reply', 'Intercom operator auto reply (French)',
            'RFC 3834 marking; Intercom auto-reply wording and headers inferred',
            build(top, alt))

    # --- Kayako -------------------------------------------------------------------------
    o = Original('support@example-host.kayako.test', 'DNS change not visible', kind='reply', n=146)
    n = 146
    text = ("Dear Example Support,\n\nThank you for contacting us. This is an automated response confirming the\n"
            "receipt of your ticket. One of our agents will get back to you as soon as possible.\n\n"
            "For your records, the details of the ticket are listed below. When replying, please make\n"
            "sure that the ticket ID is kept in the subject line to ensure that your replies are tracked\n"
            "appropriately.\n\n"
            "        Ticket ID: HQD-318-26657\n"
            "        Subject: %s\n"
            "        Department: Hosting\n"
            "        Type: Issue\n"
            "        Status: Open\n"
            "        Priority: Medium\n\n"
            "Kind regards,\nExample Host\n" % o.subject)
    top = [('Date', when(n, '+0000')),
           ('From', 'Example Host Support <support@example-host.kayako.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<%s@example-host.kayako.test>' % hexid(n, 32).lower()),
           ('Subject', '[#HQD-318-26657]: %s' % o.subject),
           ('X-Mailer', 'Kayako Fusion v4.93.12'),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('helpdesk_kayako', 'auto_reply', 'Kayako ticket auto-response',
            'Kayako "[#ABC-123-45678]: subject" ticket mask and default autoresponder text; Zendesk\'s suspension list names "Kayako" as an auto-mail sender',
            build(top, text=text, charset='UTF-8', cte='7bit'))

    # --- OTRS / Znuny (German) ------------------------------------------------------------
    o = Original('service@example-stadtwerke.de', 'Zählerstand übermittelt', kind='reply', n=147)
    n = 147
    text = ('Sehr geehrte Damen und Herren,\n\nIhre E-Mail mit dem Betreff "%s"\n'
            'ist bei uns eingegangen und wird schnellstmöglich bearbeitet.\n\n'
            'Ihr Ticket hat die Nummer 2025011410000031.\n\n'
            'Mit freundlichen Grüßen\n\nIhr Kundenservice\n' % o.subject)
    top = [('Date', when(n, '+0100')),
           ('From', '"Kundenservice Stadtwerke" <service@example-stadtwerke.de>'),
           ('To', SUPPORT),
           ('Subject', q_word('[Ticket#2025011410000031] RE: ' + o.subject, 'utf-8')),
           ('Message-ID', '<%d.%s.%d@znuny.example-stadtwerke.de>' % (1736000000 + n, hexid(n, 16).lower(), 410 + n)),
           ('In-Reply-To', '<%s>' % o.msgid), ('References', '<%s>' % o.msgid),
           ('X-Loop', 'yes'),
           ('Precedence', 'bulk'),
           ('Auto-Submitted', 'auto-replied'),
           ('X-Powered-By', 'Znuny 6.5 (https://www.znuny.org/)'),
           ('X-Mailer', 'Znuny Mail Service (6.5)')]
    REG.add('helpdesk_znuny_de', 'auto_reply', 'OTRS/Znuny auto reply (German)',
            'Znuny/OTRS auto-response (ticket number "[Ticket#YYYYMMDD...]" in the subject, loop-protection headers X-Loop/Precedence, Auto-Submitted)',
            build(top, text=text, charset='utf-8', cte='quoted-printable'))

    # --- Request Tracker AutoReply ----------------------------------------------------------
    o = Original('help@cs.example.edu.example', 'Printer in lab 3 jams', kind='reply', n=148)
    n = 148
    text = ('Greetings,\n\nThis message has been automatically generated in response to the\n'
            'creation of a trouble ticket regarding:\n\t"%s",\n'
            'a summary of which appears below.\n\n'
            'There is no need to reply to this message right now.  Your ticket has been\n'
            'assigned an ID of [cs.example.edu.example #88412].\n\n'
            'Please include the string:\n\n         [cs.example.edu.example #88412]\n\n'
            'in the subject line of all future correspondence about this issue. To do so,\n'
            'you may reply to this message.\n\n                        Thank you,\n'
            '                        help@cs.example.edu.example\n\n'
            '-------------------------------------------------------------------------\n'
            'We have reset the VPN profile on our side.\n' % o.subject)
    top = [('Subject', '[cs.example.edu.example #88412] AutoReply: ' + o.subject),
           ('From', '"CS Help Desk via RT" <help@cs.example.edu.example>'),
           ('Reply-To', 'help@cs.example.edu.example'),
           ('In-Reply-To', '<%s>' % o.msgid), ('References', '<RT-Ticket-88412@cs.example.edu.example> <%s>' % o.msgid),
           ('Message-ID', '<rt-5.0.5-%d-%d-1.%d.%s@cs.example.edu.example>' % (40000 + n, 1736000000 + n, n % 10, hexid(n, 16).lower())),
           ('Precedence', 'bulk'),
           ('X-RT-Loop-Prevention', 'cs.example.edu.example'),
           ('X-RT-Ticket', 'cs.example.edu.example #88412'),
           ('X-Managed-BY', 'RT 5.0.5 (http://www.bestpractical.com/rt/)'),
           ('X-RT-Originator', SUPPORT),
           ('X-RT-Transaction-Id', str(990000 + n)),
           ('To', SUPPORT),
           ('Date', when(n, '-0500')),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('helpdesk_rt_autoreply', 'auto_reply', 'Request Tracker 5 AutoReply',
            'RT default "Autoreply in HTML"/"Autoreply" template text and SendEmail.pm special headers (X-RT-Loop-Prevention, RT-Ticket, Managed-BY, RT-Originator, X-RT-Transaction-Id, Precedence)',
            build(top, text=text, charset='UTF-8', cte='8bit'))

    # --- GLPI (French) ------------------------------------------------------------------------
    o = Original('glpi@example-mairie.fr', 'Poste informatique bloqué', kind='reply', n=149)
    n = 149
    text = ("URL : https://glpi.example-mairie.fr/front/ticket.form.php?id=1234\n\n"
            "Ticket : Description\n\n"
            "Titre : %s\nDemandeurs : Example Support\nOuvert le : 14-01-2025 09:12\n"
            "Source de la demande : E-Mail\nStatut : Nouveau\nUrgence : Moyenne\n\n"
            "Description : Nous avons réinitialisé le profil VPN de notre côté.\n\n"
            "Généré automatiquement par GLPI 10.0.17\n" % o.subject)
    top = [('Date', when(n, '+0100')),
           ('To', SUPPORT),
           ('From', 'GLPI Mairie <glpi@example-mairie.fr>'),
           ('Reply-To', 'GLPI Mairie <glpi@example-mairie.fr>'),
           ('Subject', q_word('[GLPI #0001234] Nouveau ticket ' + o.subject, 'UTF-8')),
           ('Message-ID', '<GLPI_%s-Ticket-1234/new.%d.%d@glpi.example-mairie.fr>' % (hexid(n, 16).lower(), 1736000000 + n, 100 + n)),
           ('X-Mailer', 'GLPI'),
           ('Auto-Submitted', 'auto-generated'),
           ('X-Auto-Response-Suppress', 'OOF, DR, NDR, RN, NRN')]
    REG.add('helpdesk_glpi_fr', 'auto_reply', 'GLPI new-ticket notification to the requester (French)',
            'GLPI mail-collector documentation (auto_submitted / X-Auto-Response-Suppress criteria) and GLPI "[GLPI #id] Nouveau ticket" notification template; headers partly inferred',
            build(top, text=text, charset='UTF-8', cte='quoted-printable'))

    # --- Spiceworks ----------------------------------------------------------------------------
    o = Original('helpdesk@example-school.test', 'Projector in room 12', kind='reply', n=150)
    n = 150
    text = ("Your ticket has been created. We'll be in touch shortly.\n\n"
            "Ticket #4521: %s\n\n"
            "To add a comment, reply to this email. Please keep the ticket number in the subject.\n\n"
            "-- Example School IT (Spiceworks Help Desk)\n" % o.subject)
    top = [('Date', when(n, '-0500')),
           ('From', 'Example School IT <helpdesk@example-school.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<ticket-4521-%s@spiceworks.example-school.test>' % hexid(n, 12).lower()),
           ('Subject', '[Ticket #4521] %s' % o.subject),
           ('X-Mailer', 'Spiceworks'),
           ('X-Auto-Response-Suppress', 'All')]
    REG.add('helpdesk_spiceworks', 'auto_reply', 'Spiceworks Help Desk ticket confirmation',
            'Spiceworks help desk "[Ticket #N]" e-mail subject convention; wording and headers inferred',
            build(top, text=text, charset='us-ascii', cte='7bit'))

    # --- SysAid ----------------------------------------------------------------------------
    o = Original('servicedesk@example-hospital.test', 'Badge reader offline', kind='reply', n=151)
    n = 151
    html = ('<html><body><p>Dear Example Support,</p><p>Your Service Record #30177 "%s" has been '
            'submitted and will be handled shortly.</p><p>You can follow its progress in the '
            '<a href="https://example-hospital.sysaidit.test/">Self-Service Portal</a>.</p>'
            '<p>Service Desk</p></body></html>\n' % o.subject)
    top = [('Date', when(n, '-0500')),
           ('From', 'Service Desk <servicedesk@example-hospital.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<%d.%d.JavaMail.sysaid@example-hospital.sysaidit.test>' % (1736000000 + n, 300 + n)),
           ('Subject', 'SysAid: Service Record #30177 has been submitted'),
           ('X-Mailer', 'SysAid'),
           ('Auto-Submitted', 'auto-generated')]
    REG.add('helpdesk_sysaid', 'auto_reply', 'SysAid service record confirmation',
            'SysAid "Service Record #N" confirmation notifications; wording and headers inferred',
            build(top, text=html, charset='UTF-8', cte='quoted-printable').replace(
                b'Content-Type: text/plain', b'Content-Type: text/html'))

    # --- ManageEngine ServiceDesk Plus -------------------------------------------------------
    o = Original('itdesk@example-bank.test', 'Token app not syncing', kind='reply', n=152)
    n = 152
    text = ("Dear Example Support,\n\nYour request has been logged with request id ##41876##.\n"
            "Please use this number for any further communication.\n\n"
            "Subject : %s\nStatus : Open\n\nRegards,\nIT Service Desk\n" % o.subject)
    top = [('Date', when(n, '+0530')),
           ('From', 'IT Service Desk <itdesk@example-bank.test>'),
           ('To', SUPPORT),
           ('Message-ID', '<%d.%d.sdp@sdp.example-bank.test>' % (1736000000 + n, 9000 + n)),
           ('Subject', '[Request ID :##41876##] : %s' % o.subject),
           ('X-Mailer', 'ManageEngine ServiceDesk Plus'),
           ('Auto-Submitted', 'auto-replied')]
    REG.add('helpdesk_servicedeskplus', 'auto_reply', 'ManageEngine ServiceDesk Plus acknowledgement',
            'ServiceDesk Plus "##RequestID##" subject convention for requester notifications; wording and headers inferred',
            build(top, text=text, charset='UTF-8', cte='7bit'))

    # --- Web shop autoresponder (Dutch) ------------------------------------------------------
    o = Original('klantenservice@example-webwinkel.nl', 'Retour van bestelling 100233', kind='reply', n=153)
    n = 153
    text = ("Beste klant,\n\nBedankt voor je bericht! Dit is een automatisch antwoord.\n"
            "We beantwoorden je e-mail binnen 2 werkdagen. Bekijk intussen onze veelgestelde vragen\n"
            "op https://example-webwinkel.nl/faq\n\nMet vriendelijke groet,\nKlantenservice Example Webwinkel\n")
    top = [('Date', when(n, '+0100')),
           ('From', 'Example Webwinkel <klantenservice@example-webwinkel.nl>'),
           ('To', SUPPORT),
           ('Message-ID', '<%s@example-webwinkel.nl>' % hexid(n, 24).lower()),
           ('Subject', 'Automatisch antwoord: we hebben je bericht ontvangen'),
           ('X-Autoreply', 'yes'),
           ('X-Autorespond', 'yes')]
    REG.add('shop_autoresponder_nl', 'auto_reply', 'Web shop autoresponder (Dutch)',
            'X-Autoreply / X-Autorespond headers named as auto-response markers (Jitbit, Zendesk suspension list); wording inferred',
            build(top, text=text, charset='UTF-8', cte='quoted-printable'))


# --------------------------------------------------------------------------
# read receipts (RFC 3798 / RFC 8098 MDNs and textual receipts)
# --------------------------------------------------------------------------

def mdn(n, o, reader, reader_name, subject, text, ua, disposition='manual-action/MDN-sent-manually; displayed',
        charset='UTF-8', cte='7bit', extra_top=(), rfc822_headers=True, crlf=False, tz='+0000',
        name_charset='utf-8'):
    parts = [T(text, charset, cte),
             Part([('Content-Type', 'message/disposition-notification')],
                  ('Reporting-UA: %s\nOriginal-Recipient: rfc822;%s\nFinal-Recipient: rfc822;%s\n'
                   'Original-Message-ID: <%s>\nDisposition: %s\n' % (ua, reader, reader, o.msgid, disposition)).encode())]
    if rfc822_headers:
        parts.append(Rfc822(o.headers_only(False), ctype='text/rfc822-headers'))
    root = Multi('report', parts, '------------%s' % hexid(n, 24),
                 params='report-type=disposition-notification;\n ')
    top = [('Date', when(n, tz)),
           ('From', addr(reader_name, reader, name_charset)),
           ('To', SUPPORT),
           ('Message-ID', '<%s@%s>' % (hexid(n, 24).lower(), reader.split('@')[1])),
           ('Subject', subject),
           ('In-Reply-To', '<%s>' % o.msgid), ('References', '<%s>' % o.msgid)]
    top.extend(extra_top)
    return build(top, root, crlf=crlf)


@family
def read_receipts():
    # --- Thunderbird (English) -------------------------------------------------
    o = Original('nina.p@example.org', 'Ticket update', kind='reply', n=160)
    txt = ('This is a Return Receipt for the mail that you sent to nina.p@example.org.\n\n'
           'Note: This Return Receipt only acknowledges that the message was displayed on the '
           "recipient's computer. There is no guarantee that the recipient has read or understood "
           'the message contents.\n')
    REG.add('mdn_thunderbird_en', 'read_receipt', 'Thunderbird MDN',
            'RFC 8098 multipart/report; report-type=disposition-notification; Thunderbird "Return Receipt (displayed)" subject and note text',
            mdn(160, o, 'nina.p@example.org', 'Nina Petrov', 'Return Receipt (displayed) - ' + o.subject, txt,
                'laptop-nina; Mozilla Thunderbird', extra_top=[('User-Agent', 'Mozilla Thunderbird')]), o.cite)

    # --- Thunderbird (German) ----------------------------------------------------
    o = Original('j.koenig@example.de', 'Ihre Anfrage ist eingegangen', n=161)
    txt = ('Dies ist eine Empfangsbestätigung für die Nachricht, die Sie an j.koenig@example.de gesendet haben.\n\n'
           'Hinweis: Diese Empfangsbestätigung sagt nur aus, dass die Nachricht am Computer des Empfängers '
           'angezeigt wurde. Es gibt keine Garantie, dass der Inhalt gelesen oder verstanden wurde.\n')
    REG.add('mdn_thunderbird_de', 'read_receipt', 'Thunderbird MDN (German UI)',
            'RFC 8098 MDN; Thunderbird German UI strings ("Empfangsbestätigung (angezeigt)") - wording inferred',
            mdn(161, o, 'j.koenig@example.de', 'Jana König', q_word('Empfangsbestätigung (angezeigt) - ' + o.subject, 'UTF-8'),
                txt, 'pc-koenig; Mozilla Thunderbird', charset='UTF-8', cte='8bit', tz='+0100',
                extra_top=[('User-Agent', 'Mozilla Thunderbird')]), o.cite)

    # --- Outlook / Exchange MDNs in five languages -------------------------------
    outlook = [
        ('ja', '開封済み: ', 'ishikawa@example.co.jp', '石川 健', 'iso-2022-jp', '7bit',
         'メッセージ\n\n  宛先:     ishikawa@example.co.jp\n  件名:     {subj}\n  送信日時: {sent}\n\nは {read} に開封されました。\n'),
        ('pl', 'Przeczytane: ', 'm.wisniewska@example.pl', 'Magdalena Wiśniewska', 'iso-8859-2', 'quoted-printable',
         'Twoja wiadomość\n\n  Do:      m.wisniewska@example.pl\n  Temat:   {subj}\n  Wysłano: {sent}\n\nzostała przeczytana {read}.\n'),
        ('ru', 'Прочитано: ', 'a.volkov@example.ru', 'Алексей Волков', 'koi8-r', 'base64',
         'Ваше сообщение\n\n  Кому:      a.volkov@example.ru\n  Тема:      {subj}\n  Отправлено: {sent}\n\nбыло прочитано {read}.\n'),
        ('zh', '已读: ', 'zhou.jie@example.cn', '周杰', 'gb2312', 'base64',
         '您的邮件\n\n  收件人: zhou.jie@example.cn\n  主题:   {subj}\n  发送时间: {sent}\n\n已于 {read} 被阅读。\n'),
        ('sv', 'Läst: ', 'k.berg@example.se', 'Karin Berg', 'iso-8859-1', 'quoted-printable',
         'Ditt meddelande\n\n  Till:    k.berg@example.se\n  Ämne:    {subj}\n  Skickat: {sent}\n\nlästes {read}.\n'),
    ]
    for i, (lang, pre, rcpt, name, cs, cte, tmpl) in enumerate(outlook):
        o = Original(rcpt, 'Your request has been received', n=162 + i)
        n = 162 + i
        txt = tmpl.format(subj=o.subject, sent=o.date, read=when(n))
        REG.add('mdn_outlook_%s' % lang, 'read_receipt', 'Outlook / Exchange read receipt (%s)' % lang,
                'MS-OXCMAIL read-receipt mapping to RFC 3798 MDN (localized "Read:" prefix, "Your message ... was read on ..." text); localized wording inferred',
                mdn(n, o, rcpt, name, b_word(pre + o.subject, cs if cs != 'iso-2022-jp' else 'iso-2022-jp'),
                    txt, '%s; Microsoft Outlook 16.0' % rcpt.split('@')[1].upper(),
                    disposition='automatic-action/MDN-sent-automatically; displayed',
                    charset=cs, cte=cte, crlf=True, rfc822_headers=(i % 2 == 0), name_charset=cs,
                    extra_top=[('Content-Language', {'ja': 'ja-JP', 'pl': 'pl-PL', 'ru': 'ru-RU', 'zh': 'zh-CN', 'sv': 'sv-SE'}[lang]),
                               ('X-MS-Exchange-Organization-SCL', '-1'),
                               ('X-MS-Has-Attach', ''), ('X-MS-TNEF-Correlator', '')]), o.cite)

    # --- Exchange "Not read" (Spanish) -------------------------------------------
    o = Original('p.ruiz@example.es', 'Hemos recibido su solicitud', n=167)
    n = 167
    txt = ('Su mensaje\n\n  Para:    p.ruiz@example.es\n  Asunto:  %s\n  Enviado: %s\n\n'
           'se eliminó sin leerse el %s.\n' % (o.subject, o.date, when(n)))
    REG.add('mdn_outlook_not_read_es', 'read_receipt', 'Exchange "not read" notification (Spanish)',
            'RFC 3798 Disposition "deleted"; MS-OXCMAIL non-read receipt ("No leído:" prefix); wording inferred',
            mdn(n, o, 'p.ruiz@example.es', 'Pablo Ruiz', q_word('No leído: ' + o.subject, 'iso-8859-1'), txt,
                'example.es; Microsoft Exchange Server',
                disposition='automatic-action/MDN-sent-automatically; deleted',
                charset='iso-8859-1', cte='quoted-printable', crlf=True,
                extra_top=[('Content-Language', 'es-ES')]), o.cite)

    # --- Roundcube MDN (Italian) -----------------------------------------------------
    o = Original('g.conti@example.it', 'Abbiamo ricevuto la sua richiesta', n=168)
    n = 168
    txt = ('Questa è una ricevuta di ritorno per il messaggio inviato a g.conti@example.it.\n'
           'Il messaggio è stato visualizzato il %s.\n' % when(n, '+0100'))
    REG.add('mdn_roundcube_it', 'read_receipt', 'Roundcube Webmail MDN (Italian)',
            'RFC 8098 MDN sent by a webmail (Reporting-UA naming Roundcube); Italian wording inferred',
            mdn(n, o, 'g.conti@example.it', 'Giorgio Conti', q_word('Letto: ' + o.subject, 'UTF-8'), txt,
                'webmail.example.it; Roundcube Webmail', charset='UTF-8', cte='quoted-printable', tz='+0100',
                extra_top=[('User-Agent', 'Roundcube Webmail/1.6.9')]), o.cite)

    # --- Gmail / Workspace read receipt -----------------------------------------------
    o = Original('r.mehta@example-workspace.test', 'Invoice copy as requested', kind='reply', n=169)
    n = 169
    txt = ('Your message\n\nTo: r.mehta@example-workspace.test\nSubject: %s\nSent: %s\n\n'
           'was read on %s\n' % (o.subject, o.date, when(n, '+0530')))
    REG.add('mdn_gmail_workspace', 'read_receipt', 'Google Workspace read receipt',
            'Google Workspace "read receipts" (RFC 8098 MDN sent when the user agrees); subject "Read:" and text inferred',
            mdn(n, o, 'r.mehta@example-workspace.test', 'Rohan Mehta', 'Read: ' + o.subject, txt,
                'Gmail; Gmail', tz='+0530'), o.cite)

    # --- GroupWise "opened" status -----------------------------------------------------
    o = Original('lwhite@county-example.gov.example', 'Your request has been received', n=170)
    n = 170
    body = ('Your message\n\n  To: lwhite@county-example.gov.example\n  Subject: %s\n\n'
            'was opened on %s by Linda White.\n' % (o.subject, when(n, '-0600')))
    top = [('Date', when(n, '-0600')),
           ('From', '"Linda White" <lwhite@county-example.gov.example>'),
           ('To', SUPPORT),
           ('Subject', 'Message status - opened'),
           ('Message-Id', '<%s.%s.GWIA@gw.county-example.gov.example>' % (hexid(n, 8), hexid(n + 1, 4))),
           ('X-Mailer', 'GroupWise Internet Agent 18.4.1'),
           ('In-Reply-To', '<%s>' % o.msgid)]
    REG.add('groupwise_status_opened', 'read_receipt', 'GroupWise "Message status - opened"',
            'GroupWise GWIA status messages ("Message status - ..." subjects as in flufl.bounce\'s GroupWise notes); wording of the opened notice inferred',
            build(top, text=body, charset='US-ASCII', cte='7bit'), o.cite)


# --------------------------------------------------------------------------
# feedback reports (RFC 5965 ARF, JMRP, X-ARF, SNS complaint)
# --------------------------------------------------------------------------

def arf(n, o, from_, subject, intro, fields, inner=None, extra_top=(), crlf=False):
    inner = inner if inner is not None else o.full()
    root = Multi('report', [T(intro), Part([('Content-Type', 'message/feedback-report')],
                                           ('\n'.join('%s: %s' % kv for kv in fields) + '\n').encode()),
                            Rfc822(inner)],
                 '_----%s===_%s' % (hexid(n, 18), hexid(n + 1, 4)), params='report-type=feedback-report;\n\t')
    top = [('Return-Path', '<>'), ('Date', when(n)), ('From', from_),
           ('Subject', subject), ('To', 'fbl@support.example'),
           ('Message-ID', '<%s@%s>' % (hexid(n, 20).lower(), from_.split('@')[-1].rstrip('>')))]
    top.extend(extra_top)
    return build(top, root, crlf=crlf)


def redacted(o, rcpt):
    return o.full().replace(o.rcpt.encode(), rcpt.encode())


@family
def feedback_reports():
    base = lambda o, n, ua, rcpt: [('Feedback-Type', 'abuse'), ('User-Agent', ua), ('Version', '1'),
                                   ('Original-Mail-From', '<%s>' % o.envelope),
                                   ('Original-Rcpt-To', '<%s>' % rcpt),
                                   ('Arrival-Date', o.date), ('Source-IP', '198.51.100.30'),
                                   ('Reported-Domain', 'support.example')]
    # --- AOL ---------------------------------------------------------------------
    o = Original('birdwatcher@aol.test', 'Your request has been received', n=180)
    REG.add('arf_aol', 'feedback_report', 'AOL feedback loop (ARF)',
            'RFC 5965 ARF (multipart/report; report-type=feedback-report, Feedback-Type: abuse, redacted message/rfc822); AOL scomp sender',
            arf(180, o, 'AOL Feedback Loop <scomp@aol.test>', 'Email Feedback Report for IP 198.51.100.30',
                'This is an email abuse report for an email message received from IP 198.51.100.30 on %s.\n'
                'For information, please review the AOL feedback loop documentation.\n' % o.date,
                base(o, 180, 'AOL SComp', 'redacted@aol.test'), inner=redacted(o, 'redacted@aol.test')), o.cite)

    # --- Yahoo CFL -----------------------------------------------------------------
    o = Original('sunny.days@yahoo.test', 'Your request has been received', n=181)
    f = base(o, 181, 'Yahoo!-Mail-Feedback/2.0', o.rcpt) + [
        ('Authentication-Results', 'mta1001.mail.bf1.yahoo.test from=support.example; domainkeys=neutral (no sig); from=support.example; dkim=pass (ok)')]
    REG.add('arf_yahoo_cfl', 'feedback_report', 'Yahoo Complaint Feedback Loop (ARF)',
            'RFC 5965 ARF; Yahoo CFL (DKIM-domain based) User-Agent and Authentication-Results in the report; subject inferred',
            arf(181, o, 'Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.test>', 'FW: ' + o.subject,
                'This is an email abuse report for an email message from support.example received on %s\n' % o.date,
                f), o.cite)

    # --- Comcast (Validity-operated FBL) ------------------------------------------
    o = Original('gardener44@comcast.test', 'Your request has been received', n=182)
    REG.add('arf_comcast', 'feedback_report', 'Comcast feedback loop (ARF)',
            'RFC 5965 ARF; Comcast FBL operated by Validity/Return Path (ReturnPathFBL User-Agent); details inferred',
            arf(182, o, 'Comcast FBL <feedbackloop@comcastfbl.test>', 'Complaint about message from 198.51.100.30',
                'This is an abuse report for an email message received from IP 198.51.100.30 on %s\n' % o.date,
                base(o, 182, 'ReturnPathFBL/2.0', 'redacted@comcast.test'),
                inner=redacted(o, 'redacted@comcast.test'), crlf=True), o.cite)

    # --- Outlook.com JMRP (legacy, message/rfc822 attachment) -----------------------
    o = Original('kim.l@hotmail.test', 'Your request has been received', n=183)
    n = 183
    inner = o.full().replace(b'Return-Path:', b'X-HmXmrOriginalRecipient: <kim.l@hotmail.test>\nX-Message-Delivery: Vj0xLjE7dXM9MDtsPTA7YT0wO0Q9MTtHRD0xO1NDTD0w\nReturn-Path:', 1)
    root = Multi('mixed', [T(''), Rfc822(inner, extra=[('Content-Disposition', 'attachment')])],
                 '%s' % hexid(n, 24))
    top = [('Return-Path', '<staff@hotmail.test>'),
           ('X-HmXmrOriginalRecipient', '<kim.l@hotmail.test>'),
           ('From', 'staff@hotmail.test'),
           ('To', 'fbl@support.example'),
           ('Subject', 'complaint about message from 198.51.100.30'),
           ('Date', when(n, '-0800')),
           ('Message-ID', '<%s@hotmail.test>' % hexid(n, 16))]
    REG.add('jmrp_outlookcom_legacy', 'feedback_report', 'Outlook.com JMRP (legacy format)',
            'Microsoft JMRP partner FAQ ("RFC822 Attachment" format sent from staff@hotmail.com) and the X-HmXmrOriginalRecipient header described in JMRP format-change write-ups',
            build(top, root), o.cite)

    # --- Outlook.com JMRP (ARF, anonymised recipient) ----------------------------------
    o = Original('pat.k@outlook.test', 'Your request has been received', n=184)
    f = [('Feedback-Type', 'abuse'), ('User-Agent', 'Microsoft JMRP/1.0'), ('Version', '1'),
         ('Original-Mail-From', '<%s>' % o.envelope), ('Arrival-Date', o.date),
         ('Source-IP', '198.51.100.30'), ('Reported-Domain', 'support.example')]
    REG.add('jmrp_outlookcom_arf', 'feedback_report', 'Outlook.com JMRP (ARF, anonymised)',
            'JMRP format change to ARF with the recipient address withheld, as described in 2025-2026 deliverability write-ups; field values inferred',
            arf(184, o, 'Outlook.com JMRP <jmrp@outlook.test>', 'complaint about message from 198.51.100.30',
                'This is a spam complaint report from the Junk Mail Reporting Program.\n',
                f, inner=redacted(o, 'masked@outlook.test')), o.cite)

    # --- X-ARF login-attack report from an abuse desk ----------------------------------
    n = 185
    yaml_report = ('Reported-From: abuse@blocklist.example.net\nCategory: abuse\nReport-Type: login-attack\n'
                   'Service: smtp\nVersion: 0.2\nUser-Agent: fail2ban-xarf 1.0\nDate: %s\n'
                   'Source-Type: ip-address\nSource: 198.51.100.30\nPort: 587\nReport-ID: %s@blocklist.example.net\n'
                   'Attachment: text/plain\nSchema-URL: http://www.x-arf.example/schema/abuse_login-attack_0.1.2.json\n' % (
                       when(n), hexid(n, 12).lower()))
    root = Multi('mixed', [T('Hello,\n\nthis is an automated abuse report about 198.51.100.30.\n'
                             'The host tried to log in to our SMTP service 34 times with invalid credentials.\n'
                             'Please investigate.\n'),
                           Raw('text/plain; charset=utf-8; name="report.txt"', yaml_report,
                               extra=[('Content-Transfer-Encoding', '7bit')]),
                           Raw('text/plain; charset=utf-8; name="logfile.log"',
                               '%s mail postfix/smtpd[2211]: warning: unknown[198.51.100.30]: SASL LOGIN authentication failed\n' % when(n),
                               extra=[('Content-Transfer-Encoding', '7bit')])],
                 'Abuse-%s' % hexid(n, 20))
    top = [('Return-Path', '<abuse@blocklist.example.net>'),
           ('From', 'Abuse Desk <abuse@blocklist.example.net>'), ('To', 'abuse@support.example'),
           ('Subject', 'abuse report about 198.51.100.30 - %s - login-attack' % when(n)[:16]),
           ('Date', when(n)), ('Message-ID', '<%s@blocklist.example.net>' % hexid(n, 20).lower()),
           ('X-ARF', 'Yes'), ('Auto-Submitted', 'auto-generated')]
    REG.add('xarf_login_attack', 'feedback_report', 'X-ARF abuse report (login attack)',
            'X-ARF v0.2 specification (X-ARF: Yes header, three-part multipart/mixed with YAML report.txt)',
            build(top, root))

    # --- Amazon SES complaint via SNS (JSON) ---------------------------------------------
    o = Original('angry.user@example.com', 'Your request has been received', n=186)
    n = 186
    payload = {'notificationType': 'Complaint',
               'complaint': {'feedbackId': '%s-%s-000000' % (hexid(n, 16).lower(), hexid(n + 1, 8).lower()),
                             'complaintSubType': None, 'complainedRecipients': [{'emailAddress': o.rcpt}],
                             'timestamp': iso_when(n), 'userAgent': 'ExampleISP Feedback/1.0',
                             'complaintFeedbackType': 'abuse', 'arrivalDate': iso_when(n, -20)},
               'mail': {'timestamp': iso_when(n, -30), 'source': SUPPORT,
                        'messageId': '%s-%s-000000' % (hexid(n + 2, 16).lower(), hexid(n + 3, 8).lower()),
                        'destination': [o.rcpt],
                        'commonHeaders': {'from': [SUPPORT], 'to': [o.rcpt], 'messageId': '<%s>' % o.msgid,
                                          'subject': o.subject}}}
    env = {'Type': 'Notification', 'MessageId': '%s-%s' % (hexid(n + 4, 8).lower(), hexid(n + 5, 4).lower()),
           'TopicArn': 'arn:aws:sns:eu-west-1:111122223333:ses-complaints',
           'Message': json.dumps(payload, sort_keys=True), 'Timestamp': iso_when(n, 2)}
    top = [('From', 'AWS Notifications <no-reply@sns.amazonaws.test>'), ('To', 'complaints@support.example'),
           ('Subject', 'AWS Notification Message'), ('Date', when(n)),
           ('Message-ID', '<%s@eu-west-1.amazonses.test>' % hexid(n + 6, 24).lower()),
           ('x-amz-sns-message-id', env['MessageId'])]
    REG.add('ses_sns_complaint_json', 'feedback_report', 'Amazon SES complaint via SNS e-mail (JSON)',
            'AWS SES notification contents (notificationType Complaint, complainedRecipients, complaintFeedbackType) and Sisimai Lhost::AmazonSES JSON handling',
            build(top, text=json.dumps(env, indent=2, sort_keys=True) + '\n', charset='UTF-8', cte='7bit'), o.cite)

    # --- SpamCop report ------------------------------------------------------------------
    o = Original('watcher@example.net', 'Your request has been received', n=187)
    n = 187
    body = ('[ SpamCop V5.4.0 ]\nThis message is brief for your comfort.  Please use links below for details.\n\n'
            'Email from 198.51.100.30 / %s\nhttps://www.spamcop.test/w3m?i=z%d\n\n'
            '[ Offending message ]\n' % (o.date, 7000000000 + n)) + o.full().decode()
    top = [('Return-Path', '<%d@reports.spamcop.test>' % (7000000000 + n)),
           ('From', '%d@reports.spamcop.test' % (7000000000 + n)),
           ('To', 'abuse@support.example'),
           ('Subject', '[SpamCop (https://support.example/) id:%d]%s' % (7000000000 + n, o.subject)),
           ('Date', when(n)), ('Message-ID', '<rid_%d@msgid.spamcop.test>' % (7000000000 + n)),
           ('X-Mailer', 'https://www.spamcop.test/ v5.4.0')]
    REG.add('spamcop_report', 'feedback_report', 'SpamCop spam report',
            'SpamCop report layout ("[SpamCop (url) id:N]" subject, "[ Offending message ]" followed by the reported mail); details inferred',
            build(top, text=body, mime=False), o.cite)


# --------------------------------------------------------------------------
# list mail and newsletters
# --------------------------------------------------------------------------

@family
def bulk_mail():
    # --- Mailman 2.1 post with footer ------------------------------------------
    n = 200
    text = ('Hi all,\n\nthe build farm will be down for maintenance on Saturday 18 January\n'
            'between 06:00 and 10:00 UTC.\n\nCheers,\nTomasz\n'
            '_______________________________________________\n'
            'devel mailing list\ndevel@lists.example.org\n'
            'https://lists.example.org/mailman/listinfo/devel\n')
    top = [('Return-Path', '<devel-bounces+support=support.example@lists.example.org>'),
           ('From', 'Tomasz Zielinski <tomasz@example.pl>'),
           ('To', 'devel@lists.example.org'),
           ('Subject', '[devel] Build farm maintenance on Saturday'),
           ('Date', when(n, '+0100')),
           ('Message-ID', '<%s@example.pl>' % hexid(n, 16).lower()),
           ('X-BeenThere', 'devel@lists.example.org'),
           ('X-Mailman-Version', '2.1.39'),
           ('Precedence', 'list'),
           ('List-Id', 'Developers discussion <devel.lists.example.org>'),
           ('List-Unsubscribe', '<https://lists.example.org/mailman/options/devel>,\n <mailto:devel-request@lists.example.org?subject=unsubscribe>'),
           ('List-Archive', '<https://lists.example.org/pipermail/devel/>'),
           ('List-Post', '<mailto:devel@lists.example.org>'),
           ('List-Help', '<mailto:devel-request@lists.example.org?subject=help>'),
           ('List-Subscribe', '<https://lists.example.org/mailman/listinfo/devel>,\n <mailto:devel-request@lists.example.org?subject=subscribe>'),
           ('Errors-To', 'devel-bounces+support=support.example@lists.example.org'),
           ('Sender', '"devel" <devel-bounces+support=support.example@lists.example.org>')]
    REG.add('list_mailman2_post', 'bulk', 'Mailman 2.1 list post',
            'Mailman 2.1 delivery headers (RFC 2369 List-* fields, RFC 2919 List-Id, Precedence: list, X-BeenThere, Errors-To) and default footer',
            build(top, text=text, charset='us-ascii', cte='7bit'))

    # --- Mailman 3 digest --------------------------------------------------------
    n = 201
    toc = ('Send Users mailing list submissions to\n\tusers@lists.example.net\n\n'
           'To subscribe or unsubscribe via email, send a message with subject or\n'
           'body \'help\' to\n\tusers-request@lists.example.net\n\n'
           'You can reach the person managing the list at\n\tusers-owner@lists.example.net\n\n'
           'When replying, please edit your Subject line so it is more specific\n'
           'than "Re: Contents of Users digest..."\n\nToday\'s Topics:\n\n'
           '   1. Re: IMAP IDLE drops after 29 minutes (Ines Carvalho)\n'
           '   2. Upgrade notes for 3.2 (Bjorn Andersen)\n')
    msg1 = ('From: Ines Carvalho <ines@example.pt>\nSubject: Re: IMAP IDLE drops after 29 minutes\n'
            'Date: %s\nMessage-ID: <%s@example.pt>\n\nSet the keepalive to 25 minutes and it is fine.\n' % (when(n - 1), hexid(n, 10))).encode()
    msg2 = ('From: Bjorn Andersen <bjorn@example.no>\nSubject: Upgrade notes for 3.2\n'
            'Date: %s\nMessage-ID: <%s@example.no>\n\nRead the NEWS file before upgrading.\n' % (when(n - 1, shift=40), hexid(n + 1, 10))).encode()
    root = Multi('mixed', [T(toc, 'us-ascii', '7bit', extra=[('Content-Description', 'Users Digest, Vol 12, Issue 3')]),
                           Multi('digest', [Rfc822(msg1), Rfc822(msg2)], '===============%d==' % (1000000 + n)),
                           T('Subject: Digest Footer\n\n_______________________________________________\n'
                             'Users mailing list -- users@lists.example.net\n'
                             'To unsubscribe send an email to users-leave@lists.example.net\n')],
                 '===============%d==' % (2000000 + n))
    top = [('From', 'users-request@lists.example.net'),
           ('Subject', 'Users Digest, Vol 12, Issue 3'),
           ('To', 'users@lists.example.net'),
           ('Date', when(n)),
           ('Message-ID-Hash', hexid(n, 32)),
           ('X-Message-ID-Hash', hexid(n, 32)),
           ('Message-ID', '<%s.%d.%s@mailman3.lists.example.net>' % (hexid(n, 8).lower(), 1736000000 + n, hexid(n + 2, 6).lower())),
           ('X-Mailman-Version', '3.3.9'),
           ('Precedence', 'list'),
           ('List-Id', '<users.lists.example.net>'),
           ('List-Help', '<mailto:users-request@lists.example.net?subject=help>'),
           ('List-Owner', '<mailto:users-owner@lists.example.net>'),
           ('List-Post', '<mailto:users@lists.example.net>'),
           ('List-Subscribe', '<mailto:users-join@lists.example.net>'),
           ('List-Unsubscribe', '<mailto:users-leave@lists.example.net>')]
    REG.add('list_mailman3_digest', 'bulk', 'Mailman 3 MIME digest',
            'Mailman 3 digest layout (masthead, multipart/digest of message/rfc822, footer) and its List-*/Message-ID-Hash headers',
            build(top, root))

    # --- Sympa list post (French, ISO-8859-15) ---------------------------------------
    n = 202
    text = ('Bonjour à tous,\n\nla prochaine réunion du groupe aura lieu le jeudi 23 janvier à 14h.\n'
            'Ordre du jour joint.\n\nCordialement,\nHélène\n')
    top = [('Return-Path', '<reseau-info-owner@listes.example.fr>'),
           ('From', addr('Hélène Garnier', 'h.garnier@example.fr', 'iso-8859-15', 'Q')),
           ('To', 'reseau-info@listes.example.fr'),
           ('Subject', q_word('[reseau-info] Réunion du 23 janvier', 'iso-8859-15')),
           ('Date', when(n, '+0100')),
           ('Message-ID', '<%s@example.fr>' % hexid(n, 14).lower()),
           ('X-Loop', 'reseau-info@listes.example.fr'),
           ('X-Sequence', '1842'),
           ('Errors-to', 'reseau-info-owner@listes.example.fr'),
           ('Precedence', 'list'),
           ('Precedence', 'bulk'),
           ('Sender', 'reseau-info-request@listes.example.fr'),
           ('X-no-archive', 'yes'),
           ('List-Id', '<reseau-info.listes.example.fr>'),
           ('List-Help', '<mailto:sympa@listes.example.fr?subject=help>'),
           ('List-Subscribe', '<mailto:sympa@listes.example.fr?subject=subscribe%20reseau-info>'),
           ('List-Unsubscribe', '<mailto:sympa@listes.example.fr?subject=unsubscribe%20reseau-info>'),
           ('List-Post', '<mailto:reseau-info@listes.example.fr>'),
           ('List-Owner', '<mailto:reseau-info-request@listes.example.fr>')]
    REG.add('list_sympa_fr', 'bulk', 'Sympa list post (French)',
            'Sympa distribution headers (X-Loop, X-Sequence, Errors-to, Precedence, RFC 2369 List-* via sympa@ commands)',
            build(top, text=text, charset='iso-8859-15', cte='quoted-printable'))

    # --- LISTSERV 16.5 ----------------------------------------------------------------
    n = 203
    text = ('Colleagues,\n\nThe call for papers for the spring workshop closes on 31 January.\n\n'
            'Regards,\nDr. Amal Haddad\n\n'
            '########################################################################\n\n'
            'To unsubscribe from the RESEARCH-L list, click the following link:\n'
            'https://listserv.example.edu.example/scripts/wa.exe?SUBED1=RESEARCH-L&A=1\n')
    top = [('Date', when(n, '-0500')),
           ('Reply-To', 'Amal Haddad <ahaddad@example.edu.example>'),
           ('Sender', 'Research discussion list <RESEARCH-L@LISTSERV.EXAMPLE.EDU.EXAMPLE>'),
           ('From', 'Amal Haddad <ahaddad@example.edu.example>'),
           ('Subject', 'Call for papers closes 31 January'),
           ('To', 'RESEARCH-L@LISTSERV.EXAMPLE.EDU.EXAMPLE'),
           ('Message-ID', '<%s@example.edu.example>' % hexid(n, 16)),
           ('Precedence', 'list'),
           ('List-Help', '<https://listserv.example.edu.example/scripts/wa.exe?LIST=RESEARCH-L>,\n <mailto:LISTSERV@LISTSERV.EXAMPLE.EDU.EXAMPLE?body=INFO%20RESEARCH-L>'),
           ('List-Unsubscribe', '<mailto:RESEARCH-L-signoff-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>'),
           ('List-Subscribe', '<mailto:RESEARCH-L-subscribe-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>'),
           ('List-Owner', '<mailto:RESEARCH-L-request@LISTSERV.EXAMPLE.EDU.EXAMPLE>'),
           ('List-Archive', '<https://listserv.example.edu.example/scripts/wa.exe?LIST=RESEARCH-L>')]
    REG.add('list_listserv', 'bulk', 'LISTSERV 16.5 list post',
            'L-Soft LISTSERV distribution headers (Sender: list address, RFC 2369 List-* with wa.exe and -signoff-request addresses) and footer',
            build(top, text=text, charset='us-ascii', cte='7bit'))

    # --- Majordomo 1.x ------------------------------------------------------------------
    n = 204
    text = 'Meeting notes from Tuesday are on the wiki now.\n\n-- Ray\n'
    top = [('Received', 'by lists.example.com (8.12.11/8.12.11) id %s; %s' % (hexid(n, 12), when(n, '-0800'))),
           ('From', 'ray@example.com'),
           ('Message-Id', '<2004%d.%s@example.com>' % (n, hexid(n, 6))),
           ('Subject', 'notes'),
           ('To', 'staff-list@lists.example.com'),
           ('Date', when(n, '-0800')),
           ('Sender', 'owner-staff-list@lists.example.com'),
           ('Precedence', 'bulk'),
           ('Reply-To', 'staff-list@lists.example.com')]
    REG.add('list_majordomo', 'bulk', 'Majordomo 1.x list post',
            'Majordomo resend defaults (Sender: owner-<list>, Precedence: bulk, optional Reply-To to the list); no RFC 2369 fields',
            build(top, text=text, mime=False))

    # --- ezmlm ---------------------------------------------------------------------------
    n = 205
    text = 'The 2.4.1 tarball is on the mirrors; checksums in the announcement.\n'
    top = [('Return-Path', '<announce-return-512-support=support.example@lists.example.net>'),
           ('Delivered-To', 'mailing list announce@lists.example.net'),
           ('Mailing-List', 'contact announce-help@lists.example.net; run by ezmlm'),
           ('Precedence', 'bulk'),
           ('List-Post', '<mailto:announce@lists.example.net>'),
           ('List-Help', '<mailto:announce-help@lists.example.net>'),
           ('List-Unsubscribe', '<mailto:announce-unsubscribe@lists.example.net>'),
           ('List-Subscribe', '<mailto:announce-subscribe@lists.example.net>'),
           ('List-Id', '<announce.lists.example.net>'),
           ('Message-ID', '<%s@example.net>' % hexid(n, 12)),
           ('Date', when(n)), ('From', 'Release Manager <release@example.net>'),
           ('To', 'announce@lists.example.net'), ('Subject', 'ANN: 2.4.1 released')]
    REG.add('list_ezmlm', 'bulk', 'ezmlm list post',
            'ezmlm-idx headers (Mailing-List: contact ...; run by ezmlm, Delivered-To: mailing list, Precedence: bulk, List-*)',
            build(top, text=text, charset='us-ascii', cte='7bit'))

    # --- Brevo (Sendinblue) newsletter, German --------------------------------------------
    n = 206
    html = ('<!DOCTYPE html><html><body><h1>Neu im Januar</h1><p>Entdecken Sie unsere Winteraktion: '
            '20 % auf alle Wanderschuhe.</p><p><a href="https://r.example-outdoor.de/mk/cl/abc">Jetzt ansehen</a></p>'
            '<p style="font-size:11px">Sie erhalten diesen Newsletter, weil Sie sich angemeldet haben. '
            '<a href="https://r.example-outdoor.de/mk/un/abc">Abmelden</a></p></body></html>\n')
    text = ('Neu im Januar\n\nEntdecken Sie unsere Winteraktion: 20 % auf alle Wanderschuhe.\n'
            'Jetzt ansehen: https://r.example-outdoor.de/mk/cl/abc\n\nAbmelden: https://r.example-outdoor.de/mk/un/abc\n')
    alt = Multi('alternative', [T(text, 'utf-8', 'quoted-printable'), T(html, 'utf-8', 'quoted-printable', subtype='html')],
                '----=_Part_%d_%d.%d' % (n, 1736000000 + n, 7))
    top = [('Return-Path', '<bounces-%d-%s@smtp-relay.brevo.test>' % (90000 + n, hexid(n, 8).lower())),
           ('From', 'Example Outdoor <newsletter@example-outdoor.de>'),
           ('Reply-To', 'service@example-outdoor.de'),
           ('To', SUPPORT),
           ('Subject', q_word('Winteraktion: 20 % auf Wanderschuhe 🥾', 'utf-8')),
           ('Date', when(n, '+0000')),
           ('Message-Id', '<%s.%s@smtp-relay.mailin.test>' % (hexid(n, 20).lower(), hexid(n + 1, 4))),
           ('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'),
           ('List-Unsubscribe', '<https://r.example-outdoor.de/mk/un/abc>, <mailto:unsubscribe@example-outdoor.de?subject=unsub>'),
           ('Feedback-ID', '%d:%d:campaign:brevo' % (4000 + n, 300000 + n)),
           ('X-Mailin-Campaign', str(100 + n)),
           ('X-Mailin-Client', str(2300000 + n)),
           ('X-CSA-Complaints', 'csa-complaints@eco.example.de'),
           ('Precedence', 'bulk')]
    REG.add('newsletter_brevo_de', 'bulk', 'Brevo (Sendinblue) newsletter, German',
            'RFC 8058 one-click List-Unsubscribe, Feedback-ID, X-Mailin-* campaign headers of Brevo, CSA complaint header',
            build(top, alt))

    # --- Campaign Monitor newsletter --------------------------------------------------------
    n = 207
    html = ('<html><body><h2>The Example Weekly #118</h2><p>Five tools we liked this week...</p>'
            '<p><a href="https://example.createsend1.test/t/r-u-abc/">Unsubscribe</a></p></body></html>\n')
    top = [('From', 'The Example Weekly <hello@weekly.example.com>'),
           ('To', '<%s>' % SUPPORT),
           ('Subject', 'The Example Weekly #118: five tools we liked'),
           ('Date', when(n, '+0000')),
           ('Message-ID', '<%s@createsend.test>' % hexid(n, 32)),
           ('List-Unsubscribe', '<https://example.createsend1.test/t/r-u-abc/>, <mailto:unsubscribe-%s@createsend.test>' % hexid(n, 10).lower()),
           ('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'),
           ('X-CMail-Origin', 'createsend'),
           ('Feedback-ID', 'cm:%d:%d' % (n, 55 + n))]
    REG.add('newsletter_campaign_monitor', 'bulk', 'Campaign Monitor newsletter (HTML only)',
            'RFC 2369/8058 List-Unsubscribe and Feedback-ID as used by ESP newsletters; Campaign Monitor specific header inferred',
            build(top, text=html, charset='utf-8', cte='quoted-printable').replace(
                b'Content-Type: text/plain', b'Content-Type: text/html'))

    # --- Substack post, Spanish ---------------------------------------------------------------
    n = 208
    text = ('Hola,\n\nEn la edición de hoy: cómo organizar un equipo de soporte de cinco personas.\n\n'
            'Leer en la web: https://example-boletin.substack.test/p/soporte\n\n'
            'Darse de baja: https://example-boletin.substack.test/action/disable_email\n')
    top = [('From', addr('Boletín de Soporte', 'example-boletin@substack.test', enc='Q')),
           ('Reply-To', 'reply+%s@substack.test' % hexid(n, 20).lower()),
           ('To', SUPPORT),
           ('Subject', q_word('Cómo organizar un equipo de soporte', 'utf-8')),
           ('Date', when(n, '+0000')),
           ('Message-ID', '<%s@substack.test>' % hexid(n, 22).lower()),
           ('List-Id', '<example-boletin.substack.test>'),
           ('List-Unsubscribe', '<https://example-boletin.substack.test/action/disable_email?token=%s>' % hexid(n, 24).lower()),
           ('List-URL', '<https://example-boletin.substack.test/>'),
           ('X-Mailgun-Tag', 'post'),
           ('Precedence', 'bulk')]
    REG.add('newsletter_substack_es', 'bulk', 'Substack newsletter post (Spanish)',
            'Newsletter headers per RFC 2369/2919 (List-Id, List-Unsubscribe, List-URL) and Precedence: bulk; platform details inferred',
            build(top, text=text, charset='utf-8', cte='quoted-printable'))

    # --- Google Groups (Japanese, ISO-2022-JP) ---------------------------------------------------
    n = 209
    text = '皆さま\n\n来週の勉強会は会議室Bで行います。資料は共有ドライブにあります。\n\n中村\n\n-- \nこのメールは Google グループの「tech-study」グループに登録しているユーザーに送られています。\n'
    top = [('Return-Path', '<tech-study+bncBD%s@googlegroups.test>' % hexid(n, 20)),
           ('From', addr('中村 翔', 'nakamura@example.co.jp', 'iso-2022-jp')),
           ('To', 'tech-study@googlegroups.test'),
           ('Subject', b_word('[tech-study] 来週の勉強会', 'iso-2022-jp')),
           ('Date', when(n, '+0900')),
           ('Message-ID', '<CA+%s@mail.gmail.test>' % hexid(n, 30)),
           ('X-Original-Sender', 'nakamura@example.co.jp'),
           ('Precedence', 'list'),
           ('Mailing-list', 'list tech-study@googlegroups.test; contact tech-study+owners@googlegroups.test'),
           ('List-ID', '<tech-study.googlegroups.test>'),
           ('X-Spam-Checked-In-Group', 'tech-study@googlegroups.test'),
           ('X-Google-Group-Id', str(600000000000 + n)),
           ('List-Post', '<https://groups.google.test/group/tech-study/post>, <mailto:tech-study@googlegroups.test>'),
           ('List-Help', '<https://support.google.test/>, <mailto:tech-study+help@googlegroups.test>'),
           ('List-Archive', '<https://groups.google.test/group/tech-study/>'),
           ('List-Unsubscribe', '<mailto:googlegroups-manage+%d+unsubscribe@googlegroups.test>,\n <https://groups.google.test/group/tech-study/subscribe>' % (600000000000 + n))]
    REG.add('list_googlegroups_ja', 'bulk', 'Google Groups post (Japanese)',
            'Google Groups distribution headers (Mailing-list, List-ID, X-Google-Group-Id, X-Spam-Checked-In-Group, Precedence: list) and footer',
            build(top, text=text, charset='ISO-2022-JP', cte='7bit'))


# --------------------------------------------------------------------------
# other machine mail: cron, monitoring, CI, SaaS notifications
# --------------------------------------------------------------------------

def notice(n, from_, to, subject, text, extra=(), charset='us-ascii', cte='7bit', tz='+0000',
           msgid_host='example.com', html=None, rp=None):
    top = []
    if rp:
        top.append(('Return-Path', rp))
    top += [('From', from_), ('To', to), ('Subject', subject), ('Date', when(n, tz)),
            ('Message-ID', '<%s@%s>' % (hexid(n, 20).lower(), msgid_host))]
    top.extend(extra)
    if html:
        root = Multi('alternative', [T(text, charset, cte), T(html, charset, cte, subtype='html')],
                     '=_%s' % hexid(n + 9, 18))
        return build(top, root)
    return build(top, text=text, charset=charset, cte=cte)


@family
def machine_notices():
    # --- Debian cron --------------------------------------------------------------
    n = 220
    text = ('/etc/cron.daily/backup-db:\npg_dump: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: '
            'No such file or directory\n\tIs the server running locally and accepting connections on that socket?\n'
            'run-parts: /etc/cron.daily/backup-db exited with return code 1\n')
    top = [('Return-Path', '<root@db1.example.com>'),
           ('From', 'root@db1.example.com (Cron Daemon)'),
           ('To', 'root@db1.example.com'),
           ('Subject', 'Cron <root@db1> test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }'),
           ('MIME-Version', '1.0'), ('Content-Type', 'text/plain; charset=UTF-8'),
           ('Content-Transfer-Encoding', '8bit'),
           ('X-Cron-Env', '<MAILTO=root>'), ('X-Cron-Env', '<SHELL=/bin/sh>'), ('X-Cron-Env', '<HOME=/root>'),
           ('X-Cron-Env', '<PATH=/usr/bin:/bin>'), ('X-Cron-Env', '<LOGNAME=root>'),
           ('Message-Id', '<E1u%s-000%s-%s@db1.example.com>' % (hexid(n, 4), hexid(n, 3), hexid(n, 2))),
           ('Date', when(n, '+0100'))]
    REG.add('cron_debian_root', 'auto_generated', 'Debian cron job output',
            'Debian cron (vixie-cron) mail: From "root@host (Cron Daemon)", "Cron <user@host> command" subject, X-Cron-Env headers',
            build(top, text=None, mime=False) if False else
            (b''.join(('%s: %s\n' % h).encode() for h in top) + b'\n' + text.encode()))

    # --- cronie (RHEL) with Auto-Submitted -------------------------------------------
    n = 221
    text = 'rsync: [sender] change_dir "/srv/exports/nightly" failed: No such file or directory (2)\nrsync error: some files/attrs were not transferred (code 23)\n'
    top = [('From', '"(Cron Daemon)" <deploy@app3.example.net>'),
           ('To', 'ops-alerts@support.example'),
           ('Subject', 'Cron <deploy@app3> /usr/local/bin/sync-exports.sh'),
           ('Content-Type', 'text/plain; charset=UTF-8'),
           ('Auto-Submitted', 'auto-generated'),
           ('Precedence', 'bulk'),
           ('X-Cron-Env', '<XDG_SESSION_ID=4411>'), ('X-Cron-Env', '<LANG=en_US.UTF-8>'),
           ('X-Cron-Env', '<SHELL=/bin/sh>'), ('X-Cron-Env', '<HOME=/home/deploy>'),
           ('X-Cron-Env', '<LOGNAME=deploy>'), ('X-Cron-Env', '<USER=deploy>'),
           ('Message-Id', '<%s.%s@app3.example.net>' % (when(n)[5:16].replace(' ', ''), hexid(n, 10))),
           ('Date', when(n, '-0500'))]
    REG.add('cron_cronie_user', 'auto_generated', 'cronie job output (RHEL)',
            'cronie mail headers (Auto-Submitted: auto-generated, Precedence: bulk, X-Cron-Env) for a non-root crontab',
            b''.join(('%s: %s\n' % h).encode() for h in top) + b'\n' + text.encode())

    # --- logwatch ------------------------------------------------------------------
    n = 222
    text = ('\n ################### Logwatch 7.8 (01/22/23) ####################\n'
            '        Processing Initiated: %s\n'
            '        Date Range Processed: yesterday\n'
            '        Detail Level of Output: 0\n'
            '        Type of Output/Format: stdout / text\n'
            '        Logfiles for Host: web2.example.org\n'
            ' ##################################################################\n\n'
            ' --------------------- SSHD Begin ------------------------\n\n'
            ' Illegal users from:\n    192.0.2.200: 41 times\n\n'
            ' ---------------------- SSHD End -------------------------\n\n'
            ' ###################### Logwatch End #########################\n' % when(n))
    REG.add('logwatch_daily', 'auto_generated', 'Logwatch daily report',
            'Logwatch default output (banner with "Processing Initiated", per-service Begin/End sections), subject "Logwatch for host (Linux)"',
            notice(n, 'logwatch@web2.example.org', 'root@web2.example.org', 'Logwatch for web2.example.org (Linux)', text,
                   extra=[('Auto-Submitted', 'auto-generated')], msgid_host='web2.example.org'))

    # --- smartd ------------------------------------------------------------------------
    n = 223
    text = ('This message was generated by the smartd daemon running on:\n\n'
            '   host name:  nas1\n   DNS domain: example.com\n\n'
            'The following warning/error was logged by the smartd daemon:\n\n'
            'Device: /dev/sdb [SAT], 8 Currently unreadable (pending) sectors\n\n'
            'Device info:\nWDC WD40EFRX-68N32N0, S/N:WD-WCC7K0000000, WWN:5-0014ee-2b0000000, FW:82.00A82, 4.00 TB\n\n'
            'For details see host\'s SYSLOG.\n\n'
            'You can also use the smartctl utility for further investigation.\n'
            'Another message will be sent in 24 hours if the problem persists.\n')
    REG.add('smartd_pending_sectors', 'auto_generated', 'smartd warning',
            'smartmontools smartd_warning.sh default text ("This message was generated by the smartd daemon running on:")',
            notice(n, 'root <root@nas1.example.com>', 'root@nas1.example.com',
                   'SMART error (CurrentPendingSector) detected on host: nas1', text, msgid_host='nas1.example.com'))

    # --- fail2ban -----------------------------------------------------------------------
    n = 224
    text = ('Hi,\n\nThe IP 203.0.113.224 has just been banned by Fail2Ban after\n'
            '5 attempts against sshd.\n\n\nRegards,\n\nFail2Ban\n')
    REG.add('fail2ban_banned', 'auto_generated', 'fail2ban ban notice',
            'fail2ban action.d/sendmail-common / mail action default text ("has just been banned by Fail2Ban after N attempts against ...")',
            notice(n, 'Fail2Ban <fail2ban@gw.example.org>', 'admin@example.org',
                   '[Fail2Ban] sshd: banned 203.0.113.224 from gw.example.org', text, msgid_host='gw.example.org'))

    # --- mdadm -----------------------------------------------------------------------------
    n = 225
    text = ('This is an automatically generated mail message from mdadm\n'
            'running on storage1\n\n'
            'A Fail event had been detected on md device /dev/md0.\n\n'
            'It could be related to component device /dev/sdc1.\n\n'
            'Faithfully yours, etc.\n\nP.S. The /proc/mdstat file currently contains the following:\n\n'
            'Personalities : [raid1]\nmd0 : active raid1 sdc1[1](F) sdb1[0]\n      1953382464 blocks super 1.2 [2/1] [U_]\n')
    REG.add('mdadm_fail_event', 'auto_generated', 'mdadm monitor alert',
            'mdadm --monitor mail text ("This is an automatically generated mail message from mdadm", "Fail event on /dev/mdX:host" subject)',
            notice(n, 'mdadm monitoring <root@storage1.example.net>', 'root@storage1.example.net',
                   'Fail event on /dev/md0:storage1', text, msgid_host='storage1.example.net'))

    # --- unattended-upgrades --------------------------------------------------------------
    n = 226
    text = ('Unattended upgrade result: All upgrades installed\n\n'
            'Packages that were upgraded:\n openssl libssl3 tzdata\n\n'
            'Package installation log:\nLog started: %s\nPreparing to unpack .../openssl_3.0.15-1~deb12u1_amd64.deb ...\n'
            'Log ended: %s\n' % (when(n), when(n, shift=2)))
    REG.add('unattended_upgrades', 'auto_generated', 'Debian unattended-upgrades report',
            'unattended-upgrades Mail report ("unattended-upgrades result for <host>: SUCCESS" subject, "Unattended upgrade result:")',
            notice(n, 'root <root@web1.example.com>', 'root@web1.example.com',
                   'unattended-upgrades result for web1.example.com: SUCCESS', text,
                   extra=[('Auto-Submitted', 'auto-generated')], msgid_host='web1.example.com'))

    # --- Nagios RECOVERY -------------------------------------------------------------------
    n = 227
    text = ('***** Nagios *****\n\nNotification Type: RECOVERY\n\nService: HTTP\nHost: shop-frontend\n'
            'Address: 192.0.2.227\nState: OK\n\nDate/Time: %s\n\nAdditional Info:\n\n'
            'HTTP OK: HTTP/1.1 200 OK - 18342 bytes in 0.214 second response time\n' % when(n))
    REG.add('nagios_recovery', 'auto_generated', 'Nagios service recovery',
            'Nagios Core commands.cfg notify-service-by-email default format ("** RECOVERY Service Alert: host/service is OK **")',
            notice(n, 'nagios@monitor.example.com', 'ops@support.example',
                   '** RECOVERY Service Alert: shop-frontend/HTTP is OK **', text, msgid_host='monitor.example.com'))

    # --- Icinga 2 ------------------------------------------------------------------------------
    n = 228
    text = ('***** Service Monitoring on icinga-master *****\n\n'
            'disk / on fileserver2 is CRITICAL!\n\n'
            'Info:    DISK CRITICAL - free space: / 1841 MiB (3.2%% inode=88%%);\n\n'
            'When:    %s\nService: disk /\nHost:    fileserver2\nIPv4:    192.0.2.228\n\n'
            'Comment by icingaadmin:\n  escalated to storage team\n' % when(n, '+0100'))
    REG.add('icinga2_problem', 'auto_generated', 'Icinga 2 service problem',
            'Icinga 2 mail-service-notification.sh template ("[PROBLEM] <service> on <host> is CRITICAL!", "***** Service Monitoring on ... *****")',
            notice(n, 'Icinga 2 Monitoring <icinga@icinga-master.example.org>', 'storage-team@example.org',
                   '[PROBLEM] disk / on fileserver2 is CRITICAL!', text, msgid_host='icinga-master.example.org',
                   extra=[('Auto-Submitted', 'auto-generated')]))

    # --- Zabbix -------------------------------------------------------------------------------
    n = 229
    text = ('Problem started at 09:41:07 on 2025.01.21\nProblem name: High CPU utilization (over 90% for 5m)\n'
            'Host: erp-db01\nSeverity: Warning\nOperational data: 96.4 %\nOriginal problem ID: 881244\n')
    REG.add('zabbix_problem', 'auto_generated', 'Zabbix problem notification',
            'Zabbix default message template for problems ("Problem: {EVENT.NAME}", "Problem started at ... on ...", "Original problem ID")',
            notice(n, 'Zabbix <zabbix@example.com>', 'dba@example.com',
                   'Problem: High CPU utilization (over 90% for 5m)', text, msgid_host='zabbix.example.com',
                   charset='UTF-8', cte='base64'))

    # --- Prometheus Alertmanager (HTML) ----------------------------------------------------
    n = 230
    html = ('<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width">'
            '<title>[FIRING:2] KubePodCrashLooping (prod)</title></head><body>'
            '<table><tr><td style="background:#E6522C;color:#fff">2 alerts for alertname=KubePodCrashLooping namespace=prod</td></tr>'
            '<tr><td><strong>[2] Firing</strong><br>Labels<br>pod = checkout-7d9f8b-2xk4q<br>severity = warning</td></tr>'
            '<tr><td><a href="http://alertmanager.example.com/#/alerts">View in Alertmanager</a></td></tr>'
            '<tr><td>Sent by <a href="https://prometheus.example/">Alertmanager</a></td></tr></table></body></html>\n')
    text = ('[FIRING:2] KubePodCrashLooping (prod)\n\nLabels:\n  pod = checkout-7d9f8b-2xk4q\n  severity = warning\n'
            'View in Alertmanager: http://alertmanager.example.com/#/alerts\n')
    REG.add('alertmanager_firing', 'auto_generated', 'Prometheus Alertmanager e-mail',
            'Alertmanager email_config default templates (subject "[FIRING:N] alertname (labels)", HTML "View in Alertmanager", "Sent by Alertmanager")',
            notice(n, 'alertmanager@example.com', 'oncall@example.com', '[FIRING:2] KubePodCrashLooping (prod)',
                   text, html=html, charset='UTF-8', cte='quoted-printable', msgid_host='alertmanager.example.com'))

    # --- Grafana alert ----------------------------------------------------------------------------
    n = 231
    text = ('1 firing alert instance\n\nFIRING  Checkout latency p95\n\nValue: B=2.37\n'
            'Labels:\n - alertname = Checkout latency p95\n - grafana_folder = Shop\n'
            'Silence: https://grafana.example.com/alerting/silence/new\n')
    REG.add('grafana_alert', 'auto_generated', 'Grafana alerting notification',
            'Grafana unified alerting default e-mail template ("[FIRING:1] ... (folder)", firing instance list, silence link); wording partly inferred',
            notice(n, 'Grafana <grafana@example.com>', 'oncall@example.com',
                   '[FIRING:1] Checkout latency p95 Shop', text, charset='UTF-8', cte='quoted-printable',
                   msgid_host='grafana.example.com', extra=[('Auto-Submitted', 'auto-generated')]))

    # --- Jenkins ----------------------------------------------------------------------------------
    n = 232
    text = ('See <https://ci.example.org/job/webshop-main/1432/display/redirect?page=changes>\n\n'
            'Changes:\n\n[Piotr Maj] Bump checkout SDK to 4.2\n\n\n'
            '------------------------------------------\n[...truncated 812 lines...]\n'
            '[ERROR] Tests run: 412, Failures: 3, Errors: 0, Skipped: 2\n'
            'Build step \'Invoke top-level Maven targets\' marked build as failure\n')
    REG.add('jenkins_build_failed', 'auto_generated', 'Jenkins mailer plugin build failure',
            'Jenkins Mailer plugin default message ("Build failed in Jenkins: job #N", "See <url>", "Changes:"), X-Jenkins-Job / X-Jenkins-Result headers, Auto-Submitted per mailer-plugin PR #14',
            notice(n, 'Jenkins <jenkins@ci.example.org>', 'dev-team@example.org',
                   'Build failed in Jenkins: webshop-main #1432', text, msgid_host='ci.example.org',
                   extra=[('X-Jenkins-Job', 'webshop-main'), ('X-Jenkins-Result', 'FAILURE'),
                          ('Auto-Submitted', 'auto-generated')]))

    # --- GitLab pipeline failed ----------------------------------------------------------------
    n = 233
    text = ('Pipeline #88123 has failed!\n\nProject: platform / billing-service ( https://gitlab.example.com/platform/billing-service )\n'
            'Branch: main ( https://gitlab.example.com/platform/billing-service/-/commits/main )\n\n'
            'Commit: 4f2a91c0 ( https://gitlab.example.com/platform/billing-service/-/commit/4f2a91c0 )\n'
            'Commit Message: Fix rounding of VAT totals\nCommit Author: Lena Vogel\n\n'
            'Pipeline #88123 ( https://gitlab.example.com/platform/billing-service/-/pipelines/88123 ) triggered by Lena Vogel\n'
            'had 1 failed job.\n\nJob #512 test:unit\n')
    REG.add('gitlab_pipeline_failed', 'auto_generated', 'GitLab pipeline failure notification',
            'GitLab notification e-mail headers (X-GitLab-Project, X-GitLab-Pipeline-Id, X-GitLab-NotificationReason, List-Id, Auto-Submitted, X-Auto-Response-Suppress) and "Pipeline #N has failed!" text',
            notice(n, 'GitLab <gitlab@gitlab.example.com>', 'lena.vogel@example.com',
                   'Failed pipeline for main | billing-service | 4f2a91c0', text, charset='UTF-8', cte='quoted-printable',
                   msgid_host='gitlab.example.com',
                   extra=[('X-GitLab-Project', 'billing-service'), ('X-GitLab-Project-Id', '412'),
                          ('X-GitLab-Project-Path', 'platform/billing-service'),
                          ('X-GitLab-Pipeline-Id', '88123'), ('X-GitLab-Pipeline-Ref', 'main'),
                          ('X-GitLab-Pipeline-Status', 'failed'), ('X-GitLab-NotificationReason', 'own_activity'),
                          ('List-Id', 'platform/billing-service <412.billing-service.platform.gitlab.example.com>'),
                          ('Auto-Submitted', 'auto-generated'), ('X-Auto-Response-Suppress', 'All')]))

    # --- GitHub issue notification ---------------------------------------------------------------
    n = 234
    text = ('@octo-dev commented on this pull request.\n\nLooks good, but please add a test for the empty-cart case.\n\n'
            '-- \nReply to this email directly, view it on GitHub:\nhttps://github.example/example/shop/pull/77#issuecomment-%d\n'
            'You are receiving this because you were mentioned.\n' % (2500000000 + n))
    REG.add('github_pr_comment', 'auto_generated', 'GitHub pull-request comment notification',
            'GitHub notification headers (X-GitHub-Reason, X-GitHub-Sender, List-ID "repo <repo.owner.github.com>", List-Unsubscribe, Precedence: list) - a notification, though it carries list headers',
            notice(n, 'octo-dev <notifications@github.example>', 'example/shop <shop@noreply.github.example>',
                   'Re: [example/shop] Handle empty cart in checkout (PR #77)', text, charset='UTF-8', cte='7bit',
                   msgid_host='github.example',
                   extra=[('Reply-To', 'example/shop <reply+%s@reply.github.example>' % hexid(n, 30)),
                          ('In-Reply-To', '<example/shop/pull/77@github.example>'),
                          ('Precedence', 'list'), ('X-GitHub-Sender', 'octo-dev'),
                          ('X-GitHub-Recipient', 'support-bot'), ('X-GitHub-Reason', 'mention'),
                          ('List-ID', 'example/shop <shop.example.github.example>'),
                          ('List-Archive', 'https://github.example/example/shop'),
                          ('List-Post', '<mailto:reply+%s@reply.github.example>' % hexid(n, 30)),
                          ('List-Unsubscribe', '<mailto:unsub+%s@reply.github.example>' % hexid(n, 30))]))

    # --- Jira notification -------------------------------------------------------------------
    n = 235
    text = ('Marta Kowalczyk updated an issue\n\nOPS-2291 Renew TLS certificate for api.example.com\n'
            'Change By: Marta Kowalczyk\nStatus: In Progress -> Done\n\n'
            'View issue: https://example.atlassian.test/browse/OPS-2291\n')
    REG.add('jira_issue_updated', 'auto_generated', 'Jira issue update notification',
            'Jira notification mail (X-JIRA-FingerPrint, Auto-Submitted: auto-generated, Precedence: bulk, "[JIRA] (KEY-N) summary" subject)',
            notice(n, 'Marta Kowalczyk (Jira) <jira@example.atlassian.test>', 'support@support.example',
                   '[JIRA] (OPS-2291) Renew TLS certificate for api.example.com', text, charset='UTF-8', cte='quoted-printable',
                   msgid_host='Atlassian.JIRA',
                   extra=[('X-JIRA-FingerPrint', hexid(n, 32).lower()), ('Auto-Submitted', 'auto-generated'),
                          ('Precedence', 'bulk'), ('In-Reply-To', '<JIRA.%d.%d@Atlassian.JIRA>' % (40000 + n, 1736000000 + n))]))

    # --- Bacula backup report ------------------------------------------------------------------
    n = 236
    text = ('%s bacula-dir JobId 5521: Start Backup JobId 5521, Job=fileserver-full.2025-01-19_23.05.00_12\n'
            '  Build OS:               x86_64-pc-linux-gnu debian 12\n  JobId:                  5521\n'
            '  Job:                    fileserver-full.2025-01-19_23.05.00_12\n  Backup Level:           Full\n'
            '  FD Bytes Written:       412,118,220,117 (412.1 GB)\n  Termination:            Backup OK\n' % when(n))
    REG.add('bacula_backup_ok', 'auto_generated', 'Bacula job report',
            'Bacula Director Messages resource mail (bsmtp, "Bacula: Backup OK of <client> Full" subject, job summary block)',
            notice(n, '(Bacula) <bacula@backup.example.net>', 'backup-admins@example.net',
                   'Bacula: Backup OK of fileserver-fd Full', text, msgid_host='backup.example.net'))

    # --- Veeam job report (HTML) ------------------------------------------------------------------
    n = 237
    html = ('<html><body><table><tr><td style="font-size:22px">Backup job: VM-Daily</td><td>Success</td></tr>'
            '<tr><td>3 of 3 VMs processed</td></tr><tr><td>Start time 22:00:05</td><td>End time 22:41:52</td></tr>'
            '<tr><td>Veeam Backup &amp; Replication 12.2</td></tr></table></body></html>\n')
    REG.add('veeam_job_success', 'auto_generated', 'Veeam Backup & Replication job report',
            'Veeam B&R e-mail notification subject "[%JobResult%] %JobName% (%ObjectCount% VMs) %Issues%" and HTML summary table',
            notice(n, 'Veeam Backup <veeam@example.com>', 'it@example.com', '[Success] VM-Daily (3 VMs)',
                   'Backup job: VM-Daily - Success - 3 of 3 VMs processed\n', html=html, charset='utf-8',
                   cte='quoted-printable', msgid_host='veeam01.example.com'))

    # --- Synology DSM -------------------------------------------------------------------------------
    n = 238
    text = ('Dear user,\n\nThe system volume (Volume 1) on NAS-OFFICE has degraded. Please repair it as soon as possible.\n\n'
            'From NAS-OFFICE\n')
    REG.add('synology_volume_degraded', 'auto_generated', 'Synology DSM system notification',
            'Synology DSM notification e-mail ("[NAS-NAME] ..." subject, "Dear user," text); wording inferred',
            notice(n, 'NAS-OFFICE <nas-office@example.de>', 'it@example.de',
                   '[NAS-OFFICE] Volume 1 on NAS-OFFICE has degraded', text, charset='UTF-8', cte='8bit',
                   msgid_host='nas-office.example.de', tz='+0100'))

    # --- certificate expiry notice (no-reply) ---------------------------------------------------
    n = 239
    text = ('Hello,\n\nYour certificate (or certificates) for the names listed below will expire in 10 days.\n'
            'Please make sure to renew your certificate before then.\n\n  support.example\n  www.support.example\n\n'
            'You are receiving this because you registered this address with your ACME account.\n')
    REG.add('acme_expiry_notice', 'auto_generated', 'ACME CA certificate expiry notice',
            'Let\'s Encrypt-style expiry mail ("Your certificate ... will expire in N days") from a no-reply address; wording paraphrased',
            notice(n, 'Certificate Authority <expiry@ca.example>', 'hostmaster@support.example',
                   'Certificate expiration notice for domain "support.example"', text, msgid_host='ca.example',
                   rp='<bounce+expiry@ca.example>', extra=[('Auto-Submitted', 'auto-generated')]))

    # --- Google Calendar event notification -----------------------------------------------------
    n = 240
    text = ('Notification: Quarterly support review @ Tue 21 Jan 2025 14:00 - 15:00 (CET)\n\n'
            'Quarterly support review\nWhen: Tue 21 Jan 2025 14:00 - 15:00 (CET)\n'
            'Calendar: support@support.example\n\nInvitation from Google Calendar\n'
            'You are receiving this email because you are subscribed to notifications for calendar support@support.example.\n')
    REG.add('gcal_event_reminder', 'auto_generated', 'Google Calendar event reminder',
            'Google Calendar e-mail reminders ("Notification: <title> @ <time>", sent from calendar-notification@google.com)',
            notice(n, 'Google Calendar <calendar-notification@google.test>', SUPPORT,
                   'Notification: Quarterly support review @ Tue 21 Jan 2025 14:00 - 15:00 (CET)', text,
                   charset='UTF-8', cte='quoted-printable', msgid_host='google.test',
                   extra=[('Reply-To', 'Google Calendar <calendar-notification@google.test>')]))

    # --- DocuSign completed -----------------------------------------------------------------------
    n = 241
    text = ('All parties have completed Please DocuSign: Service Agreement 2025.pdf.\n\n'
            'Do Not Share This Email\nThis email contains a secure link to DocuSign.\n')
    REG.add('docusign_completed', 'auto_generated', 'DocuSign envelope completed',
            'DocuSign "Completed: Please DocuSign: <document>" notifications from dse@docusign.net; wording paraphrased',
            notice(n, 'Example Legal via DocuSign <dse_NA3@docusign.test>', SUPPORT,
                   'Completed: Please DocuSign: Service Agreement 2025.pdf', text, charset='utf-8',
                   cte='quoted-printable', msgid_host='docusign.test',
                   extra=[('Reply-To', 'legal@example.com'), ('X-Auto-Response-Suppress', 'All')]))

    # --- ESP account notice (high bounce rate) ---------------------------------------------------
    n = 242
    text = ('Hi Example Support,\n\nYour server "ticketd-production" has a bounce rate of 11.2% over the last 24 hours.\n'
            'A high bounce rate can harm your sender reputation. Review the bounced addresses in your account.\n\n'
            'This is an automated message; replies to this address are not monitored.\n')
    REG.add('esp_bounce_rate_notice', 'auto_generated', 'ESP account notice (bounce rate)',
            'Transactional ESP account alerts (Postmark/SparkPost style "high bounce rate" warnings from a no-reply sender); wording inferred',
            notice(n, 'Example ESP <no-reply@esp.example>', 'admin@support.example',
                   'Action needed: high bounce rate on server ticketd-production', text, msgid_host='esp.example',
                   extra=[('Auto-Submitted', 'auto-generated')]))

    # --- password reset (German) -------------------------------------------------------------------
    n = 243
    text = ('Hallo,\n\nwir haben eine Anfrage zum Zurücksetzen des Passworts für Ihr Konto erhalten.\n'
            'Klicken Sie auf den folgenden Link, um ein neues Passwort festzulegen (gültig 60 Minuten):\n'
            'https://portal.example-cloud.de/reset/%s\n\nWenn Sie dies nicht angefordert haben, ignorieren Sie diese E-Mail.\n' % hexid(n, 32).lower())
    REG.add('password_reset_de', 'auto_generated', 'SaaS password reset (German)',
            'Transactional no-reply notification; wording inferred',
            notice(n, 'Example Cloud <noreply@example-cloud.de>', SUPPORT,
                   q_word('Passwort zurücksetzen', 'UTF-8'), text, charset='UTF-8', cte='quoted-printable',
                   msgid_host='example-cloud.de', tz='+0100'))

    # --- Zoom cloud recording ready --------------------------------------------------------------
    n = 244
    text = ('Hi Example Support,\n\nYour cloud recording is now available.\n\nTopic: Weekly support sync\n'
            'Date: Jan 20, 2025 10:00 AM Central European Time\n\nShare recording with viewers:\nhttps://example.zoom.test/rec/share/%s\n' % hexid(n, 20).lower())
    REG.add('zoom_recording_ready', 'auto_generated', 'Zoom cloud recording notification',
            'Zoom "Cloud Recording - <topic> is now available" no-reply notification; wording paraphrased',
            notice(n, 'Zoom <no-reply@zoom.test>', SUPPORT, 'Cloud Recording - Weekly support sync is now available',
                   text, charset='UTF-8', cte='7bit', msgid_host='zoom.test'))


# --------------------------------------------------------------------------
# people (class null): mails a naive classifier might call automatic
# --------------------------------------------------------------------------

CLIENTS = {
    'outlook': 'Outlook 16 desktop (X-Mailer, Thread-Index, X-MS-* header set, multipart/alternative)',
    'exchange': 'Outlook via Exchange Online (X-MS-Exchange-* transport headers)',
    'thunderbird': 'Thunderbird 128 (User-Agent, format=flowed)',
    'applemail': 'Apple Mail (Mime-Version comment, X-Mailer Apple Mail)',
    'iphone': 'iPhone Mail (X-Mailer iPhone Mail, signature line)',
    'gmail': 'Gmail web (CA...@mail.gmail.com Message-ID, multipart/alternative)',
    'outlook_android': 'Outlook for Android',
    'roundcube': 'Roundcube Webmail',
    'mutt': 'NeoMutt',
    'foxmail': 'Foxmail',
    'k9': 'K-9 Mail / Thunderbird for Android',
    'yahoo': 'Yahoo Mail web',
    'blackberry': 'BlackBerry',
    'samsung': 'Samsung Email',
}


def person(n, client, from_, subject, text, to=None, charset='utf-8', cte='quoted-printable',
           tz='+0100', extra=(), attachments=(), html=True, in_reply_to=None, cc=None):
    """A person's mail as the given client writes it."""
    to = to or '%s <%s>' % (SUPPORT_NAME, SUPPORT)
    dom = from_.split('@')[-1].rstrip('>')
    top = [('Return-Path', '<%s>' % from_.split('<')[-1].rstrip('>') if '<' in from_ else '<%s>' % from_)]
    top.append(('Received', 'from %s (%s [203.0.113.%d])\n\tby mx.support.example (Postfix) with ESMTPS id %s\n\tfor <%s>; %s' % (
        'mail.' + dom, 'mail.' + dom, n % 250, hexid(n, 10), SUPPORT, when(n, tz))))
    if client in ('outlook', 'exchange'):
        mid = '<%s%s@%s>' % ('AM9PR0%d' % (n % 9), hexid(n, 30), 'AM9PR0%dMB%04d.eurprd0%d.prod.outlook.test' % (n % 9, 1000 + n, n % 7))
    elif client == 'gmail':
        mid = '<CA%s%s@mail.gmail.test>' % (hexid(n, 12), hexid(n + 1, 34).lower())
    elif client in ('applemail', 'iphone'):
        mid = '<%s-%s-%s-%s-%s@%s>' % (hexid(n, 8), hexid(n + 1, 4), hexid(n + 2, 4), hexid(n + 3, 4), hexid(n + 4, 12), dom)
    else:
        mid = '<%s.%s@%s>' % (hexid(n, 8).lower(), hexid(n + 1, 8).lower(), dom)
    top += [('From', from_), ('To', to)]
    if cc:
        top.append(('Cc', cc))
    top += [('Subject', subject), ('Date', when(n, tz)), ('Message-ID', mid)]
    if in_reply_to:
        top += [('In-Reply-To', '<%s>' % in_reply_to), ('References', '<%s>' % in_reply_to)]
    if client in ('outlook', 'exchange'):
        top += [('Thread-Topic', subject if not subject.startswith('=?') else subject),
                ('Thread-Index', 'AQHb%s' % hexid(n + 5, 22)),
                ('Accept-Language', 'en-US, de-DE'), ('Content-Language', 'en-US'),
                ('X-MS-Has-Attach', 'yes' if attachments else ''), ('X-MS-TNEF-Correlator', ''),
                ('X-Mailer', 'Microsoft Outlook 16.0')]
        if client == 'exchange':
            top += [('X-MS-Exchange-Organization-AuthAs', 'Internal'),
                    ('X-MS-Exchange-Organization-AuthMechanism', '04'),
                    ('X-MS-Exchange-Organization-AuthSource', 'AM9PR0%dMB%04d.eurprd0%d.prod.outlook.test' % (n % 9, 1000 + n, n % 7)),
                    ('X-MS-Exchange-Organization-SCL', '1'),
                    ('X-MS-Exchange-CrossTenant-OriginalArrivalTime', when(n, tz)[5:25]),
                    ('X-MS-Exchange-CrossTenant-fromentityheader', 'Hosted'),
                    ('X-MS-Exchange-Transport-CrossTenantHeadersStamped', 'AM9PR0%dMB%04d' % (n % 9, 1000 + n)),
                    ('X-MS-PublicTrafficType', 'Email'),
                    ('X-Microsoft-Antispam', 'BCL:0;ARA:13230040|1800799024;')]
    elif client == 'thunderbird':
        top += [('User-Agent', 'Mozilla Thunderbird'), ('Content-Language', 'en-US')]
    elif client == 'applemail':
        top += [('X-Mailer', 'Apple Mail (2.3826.300.87.4.3)')]
    elif client == 'iphone':
        top += [('X-Mailer', 'iPhone Mail (22C152)')]
    elif client == 'outlook_android':
        top += [('X-Mailer', 'Outlook for Android')]
    elif client == 'roundcube':
        top += [('User-Agent', 'Roundcube Webmail/1.6.9')]
    elif client == 'mutt':
        top += [('User-Agent', 'NeoMutt/20231103')]
    elif client == 'foxmail':
        top += [('X-Mailer', 'Foxmail 7.2.25.254[cn]')]
    elif client == 'k9':
        top += [('User-Agent', 'K-9 Mail for Android')]
    elif client == 'yahoo':
        top += [('X-Mailer', 'WebService/1.1.23040 YMailNorrin')]
    elif client == 'blackberry':
        top += [('X-Mailer', 'BlackBerry Email (10.3.3.2205)')]
    elif client == 'samsung':
        top += [('X-Mailer', 'Samsung Email 6.1.90.16')]
    top.extend(extra)
    if client == 'thunderbird' or client == 'mutt':
        body = T(text, charset, '7bit' if charset.lower() in ('us-ascii', 'iso-2022-jp') else '8bit', params='; format=flowed')
    elif html and client in ('outlook', 'exchange', 'gmail', 'applemail', 'outlook_android', 'yahoo', 'samsung'):
        esc = text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
        h = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s"></head>'
             '<body><div>%s</div></body></html>\n' % (charset, esc.replace('\n', '<br>\n')))
        body = Multi('alternative', [T(text, charset, cte), T(h, charset, cte, subtype='html')],
                     ('_000_%s_' % hexid(n, 30)) if client in ('outlook', 'exchange') else ('0000000000%s' % hexid(n, 16).lower()))
    else:
        body = T(text, charset, cte)
    if attachments:
        body = Multi('mixed', [body] + list(attachments), ('_004_%s_' % hexid(n + 7, 30)) if client in ('outlook', 'exchange') else ('------------%s' % hexid(n + 7, 24)))
    return build(top, body, crlf=client in ('outlook', 'exchange', 'outlook_android'))


def human_bounce_inner(n, person_addr, target):
    """A bounce that a person received for their own mail (not ours)."""
    own_id = '%s@%s' % (hexid(n + 50, 16).lower(), person_addr.split('@')[1])
    own = ('From: %s\nTo: %s\nSubject: Quote for 40 office chairs\nDate: %s\nMessage-ID: <%s>\n'
           'MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nPlease find our quote attached.\n' % (
               person_addr, target, when(n - 1), own_id)).encode()
    txt = postfix_text('mail.' + person_addr.split('@')[1],
                       '<%s>: host mx.%s[192.0.2.9] said: 550 5.1.1 <%s>: Recipient\n'
                       '    address rejected: User unknown in local recipient table (in reply to RCPT\n'
                       '    TO command)\n' % (target, target.split('@')[1], target))
    root = Multi('report', [T(txt, extra=[('Content-Description', 'Notification')]),
                            DSN([('Reporting-MTA', 'dns; mail.%s' % person_addr.split('@')[1])],
                                [('Final-Recipient', 'rfc822; %s' % target), ('Action', 'failed'),
                                 ('Status', '5.1.1'), ('Diagnostic-Code', 'smtp; 550 5.1.1 User unknown')]),
                            Rfc822(own)], 'inner%s' % hexid(n, 12), params='report-type=delivery-status; ')
    top = [('Return-Path', '<>'), ('From', 'MAILER-DAEMON@mail.%s (Mail Delivery System)' % person_addr.split('@')[1]),
           ('To', person_addr), ('Subject', 'Undelivered Mail Returned to Sender'), ('Date', when(n - 1, shift=5)),
           ('Auto-Submitted', 'auto-replied'),
           ('Message-Id', '<%s@mail.%s>' % (hexid(n + 51, 12), person_addr.split('@')[1]))]
    return build(top, root)


def human_oof_inner(n, colleague, colleague_name, to_addr):
    top = [('From', '%s <%s>' % (colleague_name, colleague)), ('To', to_addr),
           ('Subject', 'Automatic reply: Delivery of the new laptops'), ('Date', when(n - 1)),
           ('Message-ID', '<%s@example.com>' % hexid(n + 60, 16)),
           ('Auto-Submitted', 'auto-generated'), ('X-Auto-Response-Suppress', 'All'),
           ('Content-Language', 'en-US')]
    return build(top, text='I am out of the office until 3 February with no access to email.\n',
                 charset='us-ascii', cte='7bit')


@family
def people():
    H = []

    def add(stem, client, scenario, data):
        REG.add(stem, None, 'person: ' + CLIENTS[client],
                '%s; scenario written for this set (%s)' % (CLIENTS[client], scenario), data)

    add('human_re_undeliverable_invoice', 'exchange', 'reply to an agent about an Undeliverable notice',
        person(300, 'exchange', 'Greta Holm <greta.holm@example.se>', 'RE: Undeliverable: Invoice 2025-0117',
               'Hi,\n\nI got an "Undeliverable" message when I sent the invoice to your billing address yesterday.\n'
               'Is billing@support.example still correct, or should I use another address?\n\nThanks,\nGreta Holm\nAccounts payable',
               charset='us-ascii', cte='7bit', in_reply_to='AM9PR01MB1111.agent@support.example'))

    add('human_returned_mail_question', 'thunderbird', 'question titled "Returned mail question"',
        person(301, 'thunderbird', 'Oskar Brandt <oskar.brandt@example.de>', 'Returned mail question',
               'Hello,\n\nsince Monday every mail I send to your ticket address comes back after a few\n'
               'minutes. Is there a size limit? My attachments are about 18 MB.\n\nRegards\nOskar'))

    add('human_delivery_failure_order', 'gmail', 'customer about a failed parcel delivery',
        person(302, 'gmail', 'Maya Cohen <maya.cohen@gmail.test>', 'Delivery failure of our order #123',
               'Hi team,\n\nthe courier says delivery of our order #123 failed because nobody was at the\n'
               'reception. Can you arrange a second attempt on Thursday morning?\n\nThanks!\nMaya', tz='+0200'))

    add('human_out_of_office_next_week', 'applemail', 'asks whether the help desk is out of office',
        person(303, 'applemail', addr('Chloé Martin', 'chloe.martin@example.fr', enc='Q'), 'Out of office next week?',
               "Hello,\n\nwill your support team be out of office next week because of the holidays?\n"
               "We are planning the migration for the 27th and want to be sure someone answers.\n\nChloé"))

    add('human_automatic_reply_broken', 'outlook', 'user says their automatic reply setting is broken',
        person(304, 'outlook', 'Daniel Osei <daniel.osei@example.com>', 'Automatic reply setting broken',
               'Hello support,\n\nmy Automatic Replies (Out of Office) setting in Outlook is greyed out since the\n'
               'update. When I try to turn it on I get "Your automatic reply settings cannot be displayed\n'
               'because the server is currently unavailable". Can you check my mailbox?\n\nDaniel',
               charset='us-ascii', cte='7bit', tz='+0000'))

    add('human_read_receipt_requested', 'outlook', 'asks for a read receipt and requests one (Disposition-Notification-To)',
        person(305, 'outlook', 'Laura Bianchi <laura.bianchi@example.it>', 'Read receipt requested',
               'Good morning,\n\nplease confirm you received the signed contract. I have requested a read receipt\n'
               'on this mail, so please accept it when Outlook asks.\n\nBest regards\nLaura Bianchi',
               charset='us-ascii', cte='7bit',
               extra=[('Disposition-Notification-To', 'Laura Bianchi <laura.bianchi@example.it>'),
                      ('Return-Receipt-To', 'laura.bianchi@example.it')]))

    add('human_abwesenheit_urlaub', 'outlook', 'German mail whose subject reads like an absence notice',
        person(306, 'outlook', 'Monika Schäfer <monika.schaefer@example.de>'.replace('Schäfer', q_word('Schäfer', 'iso-8859-1')),
               q_word('Abwesenheit Urlaub – bitte Vertretung informieren', 'windows-1252'),
               'Hallo zusammen,\n\nich bin vom 3. bis 14. Februar im Urlaub. Bitte informiert meine Vertretung,\n'
               'Herrn Krüger, über das offene Ticket zum Drucker im 2. OG.\n\nDanke und viele Grüße\nMonika Schäfer',
               charset='windows-1252', cte='quoted-printable'))

    add('human_bounce_rate_question', 'gmail', 'marketing person asks about bounce rates',
        person(307, 'gmail', 'Tom Becker <tom.becker@example-shop.test>', 'Bounce rate question',
               'Hi,\n\nour newsletter tool shows a bounce rate of 6% for addresses at your domain since\n'
               'last week. Did you change your spam filter? Our list is double opt-in.\n\nTom', tz='-0500'))

    add('human_postmaster_address', 'mutt', 'admin writing from his postmaster mailbox about a wrong address',
        person(308, 'mutt', 'Postmaster example.org <postmaster@example.org>', 'postmaster address wrong?',
               'Hi,\n\nyour imprint lists postmaster@support.example as the contact for mail problems,\n'
               'but that address rejects mail with "550 5.1.1 User unknown". Which address should we use\n'
               'for abuse and delivery questions?\n\n-- \nRalf Vogt, IT, example.org\n',
               charset='us-ascii', tz='+0100'))

    add('human_fwd_bounce_inline', 'thunderbird', 'forwards a bounce inline and asks why',
        person(309, 'thunderbird', 'Ines Carvalho <ines.carvalho@example.pt>', 'Fwd: Undelivered Mail Returned to Sender',
               'Can you tell me why this happens? The address is right.\n\nInês\n\n'
               '-------- Forwarded Message --------\n'
               'Subject: \tUndelivered Mail Returned to Sender\n'
               'Date: \t%s\n'
               'From: \tMail Delivery System <MAILER-DAEMON@mail.example.pt>\n'
               'To: \tines.carvalho@example.pt\n\n'
               'This is the mail system at host mail.example.pt.\n\n'
               "I'm sorry to have to inform you that your message could not\n"
               'be delivered to one or more recipients.\n\n'
               '<orders@example-supplier.pt>: host mx.example-supplier.pt[192.0.2.14] said: 550\n'
               '    5.1.1 <orders@example-supplier.pt>: Recipient address rejected: User unknown\n' % when(308),
               charset='UTF-8', tz='+0000'))

    bounce_att = Rfc822(human_bounce_inner(310, 'anders@example.dk', 'sales@example-furniture.dk'),
                        extra=[('Content-Disposition', 'attachment; filename="Undelivered Mail Returned to Sender.eml"')])
    add('human_fwd_bounce_attached', 'outlook', 'forwards a whole DSN as an attachment',
        person(310, 'outlook', 'Anders Nielsen <anders@example.dk>', 'FW: Undelivered Mail Returned to Sender',
               'Hi,\n\nsee the attached bounce. Is the problem on our side or theirs?\n\nAnders',
               charset='us-ascii', cte='7bit', attachments=[bounce_att]))

    add('human_fwd_oof_inline', 'exchange', 'forwards a colleague\'s OOF inline',
        person(311, 'exchange', 'Priya Raman <priya.raman@example.com>', 'FW: Automatic reply: Delivery of the new laptops',
               'Hi support,\n\nKevin is out until February (see below). Can you send the laptop delivery\n'
               'details to me instead?\n\nPriya\n\n'
               '________________________________\n'
               'From: Kevin Brooks <kevin.brooks@example.com>\n'
               'Sent: %s\n'
               'To: Example Support <support@support.example>\n'
               'Subject: Automatic reply: Delivery of the new laptops\n\n'
               'I am out of the office until 3 February with no access to email.\n' % when(310),
               charset='us-ascii', cte='7bit', tz='+0000'))

    oof_att = Rfc822(human_oof_inner(312, 'kevin.brooks@example.com', 'Kevin Brooks', 'priya.raman@example.com'),
                     extra=[('Content-Disposition', 'attachment; filename="Automatic reply.eml"')])
    add('human_fwd_oof_attached', 'thunderbird', 'forwards an auto-reply as an attachment (RFC 822)',
        person(312, 'thunderbird', 'Priya Raman <priya.raman@example.com>', 'Fwd: Automatic reply: Delivery of the new laptops',
               'Forwarding Kevin\'s auto-reply as attachment - please use my address until he is back.\n\nPriya\n',
               attachments=[oof_att], tz='+0000'))

    add('human_quotes_550_error', 'roundcube', 'quotes bounce text inside a question',
        person(313, 'roundcube', 'Jan Novak <jan.novak@example.cz>', 'Chyba 550 5.1.1 / error when writing to you',
               'Dobrý den,\n\nwhen I write to you I get this back:\n\n'
               '   550 5.1.1 <support@support.example>: Recipient address rejected: User unknown in virtual mailbox table\n'
               '   Reporting-MTA: dns; mail.example.cz\n   Action: failed\n   Status: 5.1.1\n\n'
               'Is the address wrong? I copied it from your website.\n\nS pozdravem\nJan Novák',
               charset='utf-8', cte='quoted-printable'))

    add('human_fwd_newsletter', 'gmail', 'forwards a newsletter and asks about it',
        person(314, 'gmail', 'Sofia Rossi <sofia.rossi@gmail.test>', 'Fwd: Winteraktion: 20 % auf Wanderschuhe',
               'Is this really from your partner shop? The unsubscribe link looks strange.\n\n'
               '---------- Forwarded message ---------\n'
               'From: Example Outdoor <newsletter@example-outdoor.de>\n'
               'Date: %s\nSubject: Winteraktion: 20 %% auf Wanderschuhe\nTo: <sofia.rossi@gmail.test>\n\n'
               'Neu im Januar - 20 %% auf alle Wanderschuhe.\n'
               'Sie erhalten diesen Newsletter, weil Sie sich angemeldet haben. Abmelden:\n'
               'https://r.example-outdoor.de/mk/un/abc\n' % when(313), tz='+0100'))

    add('human_exchange_plain', 'exchange', 'ordinary request from an Exchange Online tenant',
        person(315, 'exchange', 'Hannah Schmidt <hannah.schmidt@example-ag.de>', 'VPN client keeps disconnecting',
               'Hello,\n\nsince this morning the VPN client disconnects every 10 minutes. Laptop NB-0442,\n'
               'Windows 11 24H2. Please call me on extension 4412.\n\nHannah',
               charset='us-ascii', cte='7bit'))

    add('human_thunderbird_ru', 'thunderbird', 'Russian request in KOI8-R',
        person(316, 'thunderbird', addr('Сергей Павлов', 's.pavlov@example.ru', 'koi8-r'), b_word('Не работает вход в личный кабинет', 'koi8-r'),
               'Здравствуйте!\n\nПосле смены пароля не могу войти в личный кабинет: пишет "неверный логин".\n'
               'Помогите, пожалуйста.\n\nСергей', charset='koi8-r', tz='+0300'))

    add('human_iphone_es', 'iphone', 'short Spanish mail from an iPhone',
        person(317, 'iphone', addr('Javier Gómez', 'javier.gomez@example.es', enc='Q'), q_word('Factura duplicada', 'utf-8'),
               'Hola, me habéis cobrado dos veces la factura de enero. ¿Podéis revisarlo?\n\nEnviado desde mi iPhone',
               html=False, cte='quoted-printable'))

    add('human_gmail_ja', 'gmail', 'Japanese request in ISO-2022-JP',
        person(318, 'gmail', addr('佐々木 美咲', 'misaki.sasaki@gmail.test', 'iso-2022-jp'), b_word('配信不能メールについて', 'iso-2022-jp'),
               'お世話になっております。\n\n御社のサポート宛てにメールを送ると「配信不能」というメールが返ってきます。\n'
               'アドレスに誤りがあるのでしょうか。ご確認をお願いいたします。\n\n佐々木',
               charset='iso-2022-jp', cte='7bit', tz='+0900', html=False))

    add('human_foxmail_zh', 'foxmail', 'Chinese question about bounced mail (GB2312)',
        person(319, 'foxmail', addr('王磊', 'wanglei@example.cn', 'gb2312'), b_word('退信问题咨询', 'gb2312'),
               '您好：\n\n我们发给贵公司的邮件最近经常被退回，退信原因显示“550 用户不存在”。\n请帮忙确认一下收件地址是否正确。\n\n谢谢！\n王磊',
               charset='gb2312', cte='base64', tz='+0800', html=False))

    add('human_ko_autoreply_question', 'outlook', 'Korean question about auto-reply settings',
        person(320, 'outlook', addr('이수진', 'sujin.lee@example.co.kr', 'ks_c_5601-1987'), b_word('자동 회신 설정 문의', 'ks_c_5601-1987'),
               '안녕하세요.\n\n다음 주 휴가 기간에 자동 회신을 설정하고 싶은데, 웹메일에서 메뉴를 찾을 수 없습니다.\n방법을 알려 주시겠어요?\n\n이수진 드림',
               charset='ks_c_5601-1987', cte='base64', tz='+0900'))

    add('human_ar_autoreply_question', 'outlook', 'Arabic question mentioning auto reply',
        person(321, 'outlook', addr('عمر حداد', 'omar.haddad@example.sa', 'windows-1256'), b_word('سؤال عن الرد التلقائي', 'windows-1256'),
               'مرحبًا،\n\nأريد إيقاف الرد التلقائي الذي يصل إلى العملاء من بريدي، فقد انتهت إجازتي.\nكيف أفعل ذلك؟\n\nمع الشكر\nعمر',
               charset='windows-1256', cte='quoted-printable', tz='+0300'))

    add('human_he_request', 'gmail', 'Hebrew request',
        person(322, 'gmail', addr('יעל כהן', 'yael.cohen@gmail.test'), b_word('בעיה בהתחברות למערכת'),
               'שלום,\n\nמאז אתמול אני לא מצליחה להתחבר למערכת. מופיעה הודעת שגיאה על סיסמה שגויה.\n\nתודה,\nיעל',
               tz='+0200'))

    add('human_el_request', 'thunderbird', 'Greek request (ISO-8859-7)',
        person(323, 'thunderbird', addr('Γιώργος Αλεξίου', 'g.alexiou@example.gr', 'iso-8859-7'), b_word('Πρόβλημα με την εκτύπωση', 'iso-8859-7'),
               'Καλημέρα,\n\nο εκτυπωτής του λογιστηρίου δεν εκτυπώνει από χθες.\n\nΕυχαριστώ,\nΓιώργος',
               charset='iso-8859-7', tz='+0200'))

    add('human_tr_request', 'samsung', 'Turkish request from a phone',
        person(324, 'samsung', addr('Zeynep Kaya', 'zeynep.kaya@example.com.tr', 'iso-8859-9'), q_word('Şifre sıfırlama çalışmıyor', 'iso-8859-9'),
               'Merhaba,\nşifre sıfırlama bağlantısı açılmıyor. Yardımcı olabilir misiniz?\n\nSamsung Galaxy cihazımdan gönderildi',
               charset='iso-8859-9', cte='quoted-printable', tz='+0300'))

    add('human_reply_to_oof_subject', 'outlook', 'reply whose subject still carries "Automatic reply:"',
        person(325, 'outlook', 'Kevin Brooks <kevin.brooks@example.com>', 'RE: Automatic reply: [#TD-1042] Printer on 3rd floor',
               'Hi,\n\nI am back now - sorry for the auto-reply. The printer still shows "paper jam" even\n'
               'though there is no paper in it. Can someone come by?\n\nKevin\n\n'
               '-----Original Message-----\nFrom: Kevin Brooks\nSent: Monday, January 13, 2025 8:02 AM\n'
               'To: Example Support\nSubject: Automatic reply: [#TD-1042] Printer on 3rd floor\n\n'
               'I am out of the office until 20 January.\n',
               charset='us-ascii', cte='7bit', tz='+0000'))

    add('human_deep_quoted_autoreply', 'gmail', '"Automatic reply" only deep inside the quoted thread',
        person(326, 'gmail', 'Lina Haddad <lina.haddad@gmail.test>', 'Re: [#TD-1077] Refund for cancelled booking',
               'Thanks, the refund arrived today. You can close the ticket.\n\nLina\n\n'
               'On %s Example Support <support@support.example> wrote:\n'
               '> Hello Lina,\n> we have issued the refund.\n>\n'
               '> On %s Lina Haddad wrote:\n>> Any news?\n>>\n'
               '>> On %s Lina Haddad wrote:\n>>> Automatic reply: I am travelling until Friday.\n'
               '>>> (sorry, that was my auto-reply - please ignore)\n' % (when(325), when(320), when(318)),
               in_reply_to='reply-1077@ticketd.support.example', tz='+0200'))

    add('human_auto_submitted_no', 'k9', 'person whose client sets Auto-Submitted: no',
        person(327, 'k9', 'Felix Wagner <felix.wagner@example.at>', 'Zugang zum Portal',
               'Servus,\n\nich komme seit heute nicht mehr ins Kundenportal. Fehler 403.\n\nFelix',
               extra=[('Auto-Submitted', 'no')], html=False))

    add('human_precedence_first_class', 'mutt', 'person with Precedence: first-class (not bulk)',
        person(328, 'mutt', 'Ravi Kumar <ravi.kumar@example.in>', 'Server room temperature sensor',
               'Hi,\n\nthe temperature sensor in the server room reads 35C but the room is cold.\n'
               'Probably faulty. Could you replace it?\n\nRavi\n', charset='us-ascii',
               extra=[('Precedence', 'first-class'), ('X-Priority', '1 (Highest)')], tz='+0530'))

    add('human_re_dsn_failure', 'yahoo', 'replies to a DSN-titled thread',
        person(329, 'yahoo', 'Betty Allen <betty.allen@yahoo.test>', 'Re: Delivery Status Notification (Failure)',
               'You asked me to send the error I get. Here is the subject line: "Delivery Status\n'
               'Notification (Failure)". The message says the address couldn\'t be found. I typed\n'
               'support@support.example exactly.\n\nBetty', tz='-0600'))

    add('human_nl_onbestelbaar', 'exchange', 'Dutch question about an "Onbestelbaar" message',
        person(330, 'exchange', 'Pieter de Vries <pieter.devries@example.nl>', q_word('Vraag: "Onbestelbaar" bij mail naar jullie', 'utf-8'),
               'Goedemiddag,\n\nbij elke mail naar jullie krijg ik een melding "Onbestelbaar". Ligt dat aan ons?\n\nMet vriendelijke groet,\nPieter',
               cte='quoted-printable'))

    add('human_outlook_invite', 'outlook', 'meeting invitation sent by a person (text/calendar)',
        person(331, 'outlook', 'Ana Lima <ana.lima@example.com.br>', 'Migration planning call',
               'Hi team, let\'s go through the migration plan on Thursday.\n\nAna',
               charset='us-ascii', cte='7bit', tz='-0300',
               attachments=[Raw('text/calendar; charset="utf-8"; method=REQUEST',
                                'BEGIN:VCALENDAR\nMETHOD:REQUEST\nPRODID:Microsoft Exchange Server 2010\nVERSION:2.0\n'
                                'BEGIN:VEVENT\nORGANIZER;CN=Ana Lima:mailto:ana.lima@example.com.br\n'
                                'ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:support@support.example\n'
                                'SUMMARY:Migration planning call\nDTSTART:20250123T130000Z\nDTEND:20250123T140000Z\n'
                                'UID:%s\nEND:VEVENT\nEND:VCALENDAR\n' % hexid(331, 40),
                                extra=[('Content-Transfer-Encoding', '7bit')])]))

    add('human_unsubscribe_request', 'outlook_android', 'asks to be unsubscribed (a person, not a list)',
        person(332, 'outlook_android', 'Mark Evans <mark.evans@example.co.uk>', 'please unsubscribe me',
               'Hi, please remove me from your service update emails, I left the company in December.\n\n'
               'Get Outlook for Android', charset='us-ascii', cte='7bit', tz='+0000'))

    add('human_nagios_alert_quoted', 'thunderbird', 'admin quotes a monitoring alert in a question',
        person(333, 'thunderbird', 'Lukas Meier <lukas.meier@example.ch>', 'Question about your status page alert',
               'Hi,\n\nwe received this from your monitoring and are not sure if we must act:\n\n'
               '> ***** Nagios *****\n> Notification Type: PROBLEM\n> Service: SMTP\n> State: CRITICAL\n\n'
               'Is this about our relay or yours?\n\nLukas', tz='+0100'))

    add('human_cron_output_question', 'mutt', 'developer pastes cron output',
        person(334, 'mutt', 'Alex Ionescu <alex.ionescu@example.ro>', 'What does this cron mail mean?',
               'Hi,\n\nsince your update our server mails us this every night:\n\n'
               '  Subject: Cron <root@app1> /usr/local/bin/ticket-sync\n'
               '  curl: (60) SSL certificate problem: unable to get local issuer certificate\n\n'
               'Did your certificate chain change?\n\nAlex\n', charset='us-ascii', tz='+0200'))

    add('human_re_ticket_received', 'iphone', 'reply to the help desk acknowledgement',
        person(335, 'iphone', 'Emma Wilson <emma.wilson@example.com.au>', 'Re: [#TD-1098] Your request has been received',
               'Thanks. Just to add: it only happens on the office wifi, not at home.\n\nSent from my iPhone',
               in_reply_to='ack-td1098@ticketd.support.example', html=False, cte='7bit', charset='us-ascii', tz='+1100'))

    add('human_spam_complaint_question', 'gmail', 'customer mentions abuse/spam complaints',
        person(336, 'gmail', 'Noah Fischer <noah.fischer@example.de>', 'Spam complaint from our customer',
               'Hallo,\n\none of our customers says he reported your ticket mails as spam by mistake.\n'
               'Can you whitelist him again? His address is k.berger@example.de.\n\nNoah', tz='+0100'))

    add('human_mailing_list_question', 'roundcube', 'asks about mailing-list subscription',
        person(337, 'roundcube', 'Marta Ruiz <marta.ruiz@example.es>', q_word('Suscripción a la lista de avisos', 'utf-8'),
               'Hola,\n\n¿cómo me suscribo a la lista de avisos de mantenimiento? No encuentro el enlace.\n\nGracias,\nMarta',
               cte='quoted-printable'))

    add('human_outlookcom_html_only', 'outlook', 'HTML-only mail from Outlook.com web',
        build([('Return-Path', '<jo.king@outlook.test>'),
               ('From', 'Jo King <jo.king@outlook.test>'), ('To', '%s <%s>' % (SUPPORT_NAME, SUPPORT)),
               ('Subject', 'Screenshot of the error'), ('Date', when(338)),
               ('Message-ID', '<PH0PR%s@PH0PR12MB5555.namprd12.prod.outlook.test>' % hexid(338, 30)),
               ('Content-Language', 'en-GB'), ('X-MS-Has-Attach', ''), ('X-MS-TNEF-Correlator', ''),
               ('msip_labels', '')],
              text=('<html><body><div style="font-family:Aptos">Hi,<br><br>the error says "Session expired" '
                    'right after I log in.<br><br>Jo</div></body></html>\n'),
              charset='iso-8859-1', cte='quoted-printable').replace(b'Content-Type: text/plain', b'Content-Type: text/html'))

    add('human_smime_signed', 'thunderbird', 'S/MIME signed request',
        build([('Return-Path', '<m.keller@example.ch>'), ('From', 'Martin Keller <m.keller@example.ch>'),
               ('To', SUPPORT), ('Subject', 'Zertifikat erneuern'), ('Date', when(339, '+0100')),
               ('Message-ID', '<%s@example.ch>' % hexid(339, 20).lower()), ('User-Agent', 'Mozilla Thunderbird')],
              Multi('signed', [T('Hallo,\n\nunser Client-Zertifikat läuft am 31.1. ab. Bitte um ein neues.\n\nMartin Keller\n',
                                 'UTF-8', 'quoted-printable'),
                               Raw('application/pkcs7-signature; name="smime.p7s"',
                                   base64.encodebytes(b'0\x82\x05\x00' + bytes(60)),
                                   extra=[('Content-Transfer-Encoding', 'base64'),
                                          ('Content-Disposition', 'attachment; filename="smime.p7s"'),
                                          ('Content-Description', 'S/MIME Cryptographic Signature')])],
                    'ms%s' % hexid(339, 24), params='protocol="application/pkcs7-signature"; micalg=sha-256;\n ')))

    add('human_pdf_attachment', 'applemail', 'sends a PDF',
        person(340, 'applemail', 'Olivia Brown <olivia.brown@example.com>', 'Signed form attached',
               'Hi,\n\nattached is the signed access form for the new contractor.\n\nOlivia',
               attachments=[Raw('application/pdf; name="access-form.pdf"', base64.encodebytes(b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n'),
                                extra=[('Content-Transfer-Encoding', 'base64'),
                                       ('Content-Disposition', 'attachment; filename="access-form.pdf"')])],
               tz='-0500'))

    add('human_blackberry_short', 'blackberry', 'one-line mail with device signature',
        person(341, 'blackberry', 'Frank Li <frank.li@example.com>', 'Call me', 'Please call me re the outage. 555-0147\nSent from my BlackBerry 10 smartphone.',
               charset='us-ascii', cte='7bit', html=False, tz='-0800'))

    add('human_dsn_settings_question', 'exchange', 'question about Delivery Status Notification settings',
        person(342, 'exchange', 'Isabel Weber <isabel.weber@example-ag.de>', 'Question about Delivery Status Notification settings',
               'Hello,\n\ncan you switch off the "Delivered:" delivery receipts for our shared mailbox?\n'
               'We get one Delivery Status Notification per mail we send to your ticket system.\n\nIsabel',
               charset='us-ascii', cte='7bit'))

    add('human_sorry_was_on_vacation', 'gmail', 'person apologises for late answer after vacation',
        person(343, 'gmail', 'Hugo Lefebvre <hugo.lefebvre@gmail.test>', q_word('Re: [#TD-1105] Accès VPN', 'utf-8'),
               "Bonjour,\n\ndésolé pour la réponse tardive, j'étais en congés (absent du bureau jusqu'à hier).\n"
               "Le VPN fonctionne maintenant, merci !\n\nHugo",
               in_reply_to='reply-1105@ticketd.support.example', tz='+0100'))

    add('human_reply_to_header', 'yahoo', 'mail with Reply-To to a colleague',
        person(344, 'yahoo', 'Grace Park <grace.park@yahoo.test>', 'Account for new hire',
               'Hi, please create an account for Ben Ortiz starting Feb 3. Reply to my colleague in HR.\n\nGrace',
               extra=[('Reply-To', 'hr@example.com')], tz='-0800'))

    add('human_fwd_read_receipt', 'outlook', 'forwards a read receipt as proof',
        person(345, 'outlook', 'Stefan Horvat <stefan.horvat@example.hr>', 'FW: Read: Contract amendment',
               'FYI - your colleague read the amendment on Monday, see below. Still waiting for the signature.\n\n'
               'Stefan\n\n-----Original Message-----\nFrom: Example Support\nSent: Monday, January 20, 2025 9:14 AM\n'
               'Subject: Read: Contract amendment\n\nYour message\n\n  To: Example Support\n  Subject: Contract amendment\n\n'
               'was read on Monday, January 20, 2025 9:14:02 AM (UTC+01:00).\n',
               charset='us-ascii', cte='7bit'))

    add('human_ja_thunderbird_sjis_like', 'thunderbird', 'Japanese mail in ISO-2022-JP from Thunderbird',
        person(346, 'thunderbird', addr('高橋 誠', 'm.takahashi@example.co.jp', 'iso-2022-jp'), b_word('自動返信の停止について', 'iso-2022-jp'),
               'サポートご担当者様\n\n休暇が終わりましたので、自動返信を停止したいのですが、\n設定画面でエラーになります。\nご確認をお願いします。\n\n高橋',
               charset='iso-2022-jp', tz='+0900'))

    add('human_vi_request', 'gmail', 'Vietnamese request',
        person(347, 'gmail', addr('Trần Minh Anh', 'minhanh.tran@gmail.test'), b_word('Không nhận được email xác nhận'),
               'Chào anh chị,\n\nem đăng ký tài khoản nhưng không nhận được email xác nhận. Nhờ anh chị kiểm tra giúp.\n\nCảm ơn,\nMinh Anh',
               tz='+0700'))

    add('human_pl_request', 'outlook', 'Polish request',
        person(348, 'outlook', addr('Piotr Zieliński', 'p.zielinski@example.pl', 'iso-8859-2'), q_word('Problem z drukarką w biurze', 'iso-8859-2'),
               'Dzień dobry,\n\ndrukarka w pokoju 214 nie drukuje od rana. Proszę o pomoc.\n\nPozdrawiam\nPiotr Zieliński',
               charset='iso-8859-2', cte='quoted-printable'))

    add('human_mail_delivery_subsystem_name', 'roundcube', 'user\'s subject names the "Mail Delivery Subsystem"',
        person(349, 'roundcube', 'Kai Schulz <kai.schulz@example.de>', 'Mails von "Mail Delivery Subsystem" - Spam?',
               'Hallo,\n\nich bekomme seit gestern viele Mails von "Mail Delivery Subsystem" zu Mails, die\n'
               'ich nie geschickt habe. Ist mein Konto gehackt?\n\nKai'))


# --------------------------------------------------------------------------
# checks and output
# --------------------------------------------------------------------------

MACHINE_MARKS = ('auto-submitted', 'list-id', 'list-unsubscribe', 'precedence', 'return-path')


def check_parse(stem, data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for part in msg.walk():
        for name, value in part.items():
            str(value)
        if part.get_content_maintype() == 'text':
            part.get_content()
    return msg


def check_human(stem, msg):
    """A person's mail carries none of the standard machine-mail marks."""
    for name in msg.keys():
        low = name.lower()
        value = str(msg[name]).strip().lower()
        if low == 'auto-submitted':
            assert value == 'no', (stem, name, value)
        if low in ('list-id', 'list-unsubscribe'):
            raise AssertionError((stem, name))
        if low == 'precedence':
            assert value not in ('bulk', 'list', 'junk'), (stem, value)
        if low == 'return-path':
            assert value not in ('<>', ''), (stem, value)


def check_cites(stem, data, msg, cites):
    """The cited Message-ID is really in the mail (raw or after decoding)."""
    if not cites:
        return
    if cites.encode() in data:
        return
    for part in msg.walk():
        if part.get_content_maintype() == 'text' and cites in part.get_content():
            return
    raise AssertionError((stem, cites))


def main(argv):
    out = DEFAULT_OUT
    if len(argv) > 2 and argv[1] == '--out':
        out = argv[2]
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(out)):
        if name.endswith('.eml') or name == 'expected.json':
            os.remove(os.path.join(out, name))
    for fn in FAMILIES:
        fn()
    manifest = {}
    counts = {}
    for stem, cls, system, based_on, data, cites in REG.items:
        msg = check_parse(stem, data)
        if cls is None:
            check_human(stem, msg)
        check_cites(stem, data, msg, cites)
        entry = {'class': cls, 'system': system, 'based_on': based_on}
        if cites:
            entry['cites'] = cites
        manifest[stem] = entry
        counts[cls] = counts.get(cls, 0) + 1
        with open(os.path.join(out, stem + '.eml'), 'wb') as f:
            f.write(data)
    with open(os.path.join(out, 'expected.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write('\n')
    auto = sum(v for k, v in counts.items() if k is not None)
    print('wrote %d mails to %s: %d automatic, %d from people' % (
        len(REG.items), out, auto, counts.get(None, 0)))
    for k in sorted(counts, key=lambda c: (c is None, c or '')):
        print('  %-16s %3d' % (k if k else 'null (person)', counts[k]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
