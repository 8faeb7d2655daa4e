#!/usr/bin/python3
"""Writes the golden mails tests/data/*.eml and their expected *.json.

Every mail here is written by us (none is copied from a corpus). The script is
the source of the files: binary payloads, sizes and SHA-256 sums are computed
here rather than typed, and every expected value that Python's `email` package
can also compute (decoded subjects, RFC 2231/2047 file names, decoded
attachments) is cross-checked against it before anything is written (see
self_check()). Edit this script, re-run it, and commit the regenerated files:

    /usr/bin/python3 tests/golden/make_golden_data.py [--out tests/data]

The expected-JSON language (subset semantics plus special keys such as
"text_contains") is described at the top of run_golden.py.
"""

import argparse
import base64
import binascii
import email
import email.policy
import hashlib
import json
import os
import quopri
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "data"))

MAILS = {}   # name -> (bytes, expected dict)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def b64lines(b, width=76):
    s = base64.b64encode(b).decode()
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


def mail(name, text, expected, crlf=False, raw=None):
    """Registers a mail. `text` is str with LF line ends (encoded UTF-8) unless
    `raw` bytes are given; crlf=True converts LF to CRLF."""
    data = raw if raw is not None else text.encode("utf-8")
    if crlf:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    assert name not in MAILS, name
    MAILS[name] = (data, expected)


def hdr(subject, frm="Alice Example <alice@example.com>",
        to="Support <support@example.com>", date="Tue, 12 Mar 2024 09:15:00 +0100",
        msgid=None, extra=""):
    msgid = msgid or f"<{subject.lower().replace(' ', '-')[:30]}@example.com>"
    return (f"From: {frm}\nTo: {to}\nSubject: {subject}\nDate: {date}\n"
            f"Message-ID: {msgid}\n{extra}")


# ------------------------------------------------------------ basics -------

mail("plain_ascii", hdr("Printer on floor 3 is jammed", msgid="<plain-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
     "Hello,\n\nthe printer on floor 3 is jammed again.\n\nThanks,\nAlice\n", {
         "from": {"name": "Alice Example", "address": "alice@example.com"},
         "to": [{"name": "Support", "address": "support@example.com"}],
         "cc": [], "reply_to": [],
         "subject": "Printer on floor 3 is jammed",
         "message_id": "plain-1@example.com",
         "references": [],
         "date": "2024-03-12T08:15:00Z",
         "text": "Hello,\n\nthe printer on floor 3 is jammed again.\n\nThanks,\nAlice",
         "html": None,
         "attachments": [],
         "auto": None,
         "subject_tag": None,
         "plus_tokens": [],
         "defects": [],
     }, crlf=True)

mail("mbox_from_line",
     "From alice@example.com  Tue Mar 12 09:15:00 2024\n" +
     hdr("Mailbox export", msgid="<mbox-1@example.com>") +
     "\nThis message was exported from an mbox file.\n", {
         "from": {"address": "alice@example.com"},
         "subject": "Mailbox export",
         "message_id": "mbox-1@example.com",
         "text": "This message was exported from an mbox file.",
         "defect_kinds_include": ["mbox_from_line"],
     })

# ------------------------------------------------------------ charsets -----

cp1252_body = "She said \u201cit\u2019s broken\u201d \u2013 again\u2026 Caf\u00e9."
mail("latin1_label_cp1252_quotes",
     hdr("=?iso-8859-1?Q?=93Smart=94_quotes?=", msgid="<cp1252-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
     "Content-Transfer-Encoding: quoted-printable\n\n" +
     quopri.encodestring(cp1252_body.encode("cp1252")).decode() + "\n", {
         # Outlook labels windows-1252 text as iso-8859-1; 0x93/0x94/0x96/0x85
         # are C1 controls in latin-1 but quotes/dash/ellipsis in cp1252.
         "subject": "\u201cSmart\u201d quotes",
         "text": cp1252_body,
     }, crlf=True)

mail("undeclared_utf8", None, {
    "subject": "Umlaute ohne Zeichensatz",
    "text": "Grüße aus Köln — danke für die schnelle Hilfe!",
    # Valid UTF-8 without a label is taken as UTF-8 silently (no defect).
}, raw=(hdr("Umlaute ohne Zeichensatz", msgid="<u8-1@example.de>") +
        "\nGrüße aus Köln — danke für die schnelle Hilfe!\n").encode("utf-8"))

mail("undeclared_latin1", None, {
    "subject": "Umlaute in Latin-1",
    "text": "Grüße aus Köln, die Lösung hat geholfen.",
    "defect_kinds_include": ["undeclared_8bit"],
}, raw=hdr("Umlaute in Latin-1", msgid="<l1-1@example.de>").encode() +
    "\nGrüße aus Köln, die Lösung hat geholfen.\n".encode("latin-1"))

mail("unknown_8bit", None, {
    # charset=unknown-8bit (RFC 1428, written by gateways): UTF-8 bytes here,
    # which a lenient decoder tries first.
    "text": "Ärger mit dem Drucker: er druckt nur leere Seiten.",
}, raw=(hdr("Drucker", msgid="<u8bit-1@example.de>") +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=unknown-8bit\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        "Ärger mit dem Drucker: er druckt nur leere Seiten.\n").encode("utf-8"),
    crlf=True)

jp_subject, jp_body = "会議の件", "明日の会議は10時からです。\nよろしくお願いします。"
mail("iso2022jp", None, {
    "subject": jp_subject,
    "text": jp_body,
}, raw=(hdr("=?ISO-2022-JP?B?" + base64.b64encode(jp_subject.encode("iso-2022-jp")).decode() + "?=",
            frm="=?ISO-2022-JP?B?" + base64.b64encode("山田".encode("iso-2022-jp")).decode()
            + "?= <yamada@example.jp>", msgid="<jp-1@example.jp>") +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\n"
        "Content-Transfer-Encoding: 7bit\n\n").encode() +
    jp_body.encode("iso-2022-jp") + b"\n")

mail("iso2022jp_no_charset", None, {
    # iPhone Mail sends ISO-2022-JP text with "Content-Type: text/plain;" and
    # no charset parameter (7-bit escape sequences, so no 8-bit defect).
    "text": jp_body,
}, raw=(hdr("Meeting", msgid="<jp-2@example.jp>") +
        "MIME-Version: 1.0\nContent-Type: text/plain;\n"
        "Content-Transfer-Encoding: 7bit\n\n").encode() +
    jp_body.encode("iso-2022-jp") + b"\n", crlf=True)

gbk_text = "內應力產生与注塑工艺条件之间的关系"   # 內 應 產 are GBK, not GB2312
mail("gb2312_label_gbk_bytes", None, {
    "subject": gbk_text,
    "text": gbk_text + "。",
}, raw=(hdr("=?GB2312?B?" + base64.b64encode(gbk_text.encode("gbk")).decode() + "?=",
            msgid="<gbk-1@example.cn>") +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=gb2312\n"
        "Content-Transfer-Encoding: base64\n\n" +
        b64lines((gbk_text + "。\n").encode("gbk")) + "\n").encode())

mail("invalid_utf8", None, {
    "text_contains": ["Café ok", "\ufffd", "end"],
    "defect_kinds_include_any": ["invalid_utf8", "charset_mismatch"],
}, raw=hdr("Broken UTF-8", msgid="<bad8-1@example.com>").encode() +
    b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: 8bit\n\n"
    b"Caf\xc3\xa9 ok, \xc3\x28 bad, \xff\xfe stray, truncated \xe2\x82\nend\n")

utf32_text = "Hello in UTF-32: Grüße, 日本"
mail("utf32_part", hdr("UTF-32 part", msgid="<u32-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b32\"\n\n"
     "--b32\nContent-Type: text/plain; charset=utf-32\n"
     "Content-Transfer-Encoding: base64\n\n" +
     b64lines(utf32_text.encode("utf-32")) +   # BOM + little-endian
     "\n--b32--\n", {
         "text": utf32_text,
         "text_not_contains": ["\u0000", "\ufeff"],
     })

mail("unknown_charset_label", None, {
    "text_contains": ["Plain words survive", "the label"],
    "defect_kinds_include": ["unknown_charset"],
}, raw=(hdr("Odd label", msgid="<xfoo-1@example.com>") +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=x-foo\n"
        "Content-Transfer-Encoding: 8bit\n\n"
        "Plain words survive whatever the label says: Grüße.\n").encode("utf-8"))

mail("ks_c_5601", None, {
    # Outlook's name for EUC-KR/CP949.
    "text": "안녕하세요",
}, raw=(hdr("=?ks_c_5601-1987?B?" + base64.b64encode("문의".encode("cp949")).decode() + "?=",
            msgid="<ks-1@example.kr>") +
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=\"ks_c_5601-1987\"\n"
        "Content-Transfer-Encoding: base64\n\n" +
        b64lines("안녕하세요\n".encode("cp949")) + "\n").encode())
MAILS["ks_c_5601"][1]["subject"] = "문의"

mail("raw_utf8_header", None, {
    "from": {"name": "Jörg Weiß", "address": "joerg@example.de"},
    "subject": "Bestellung Nr. 42 – Lieferung verspätet",
}, raw=("From: Jörg Weiß <joerg@example.de>\nTo: support@example.com\n"
        "Subject: Bestellung Nr. 42 – Lieferung verspätet\n"
        "Date: Tue, 12 Mar 2024 09:15:00 +0100\nMessage-ID: <raw8-1@example.de>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\nWo bleibt meine Bestellung?\n").encode("utf-8"),
    crlf=True)

# ------------------------------------------------------ RFC 2047/2231 ------

mail("rfc2047_q_b_adjacent",
     "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.de>\n"
     "To: support@example.com\n"
     "Subject: Re: =?ISO-8859-1?Q?M=FCller?= und =?UTF-8?B?U8O2aG5l?=\n"
     "  =?UTF-8?Q?_GmbH?=   =?UTF-8?B?IOKAkyBSZWNobnVuZw==?=\n"
     "Date: Tue, 12 Mar 2024 09:15:00 +0100\nMessage-ID: <e2047-1@example.de>\n\n"
     "Body.\n", {
         "from": {"name": "Jürgen Müller", "address": "jm@example.de"},
         # Whitespace between adjacent encoded words is dropped (RFC 2047 6.2).
         "subject": "Re: Müller und Söhne GmbH – Rechnung",
     })

mail("rfc2047_broken_word",
     hdr("Broken =?utf-8?X?abc?= and =?UTF-8?Q?unterminated", msgid="<e2047-2@example.com>") +
     "\nBody.\n", {
         "subject": "Broken =?utf-8?X?abc?= and =?UTF-8?Q?unterminated",
     }, crlf=True)

pdf_bytes = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
             b"% golden test document, not a real PDF\n" + bytes(range(256)) + b"\n%%EOF\n")

mail("rfc2231_filename", hdr("Prüfbericht", msgid="<e2231-1@example.de>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"=-2231\"\n\n"
     "--=-2231\nContent-Type: text/plain; charset=us-ascii\n\nSee attachment.\n"
     "--=-2231\nContent-Type: application/pdf\n"
     "Content-Disposition: attachment;\n"
     " filename*0*=UTF-8''Pr%C3%BCfbericht%20;\n"
     " filename*1*=M%C3%A4rz%202024;\n"
     " filename*2=\".pdf\"\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(pdf_bytes) + "\n--=-2231--\n", {
         "text": "See attachment.",
         "attachments": [{"filename": "Prüfbericht März 2024.pdf",
                          "content_type": "application/pdf",
                          "size": len(pdf_bytes), "sha256": sha(pdf_bytes)}],
     }, crlf=True)

mail("rfc2047_filename_quoted", hdr("Rechnung", msgid="<e2047-3@example.de>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"q47\"\n\n"
     "--q47\nContent-Type: text/plain\n\nAnbei die Rechnung.\n"
     "--q47\nContent-Type: application/pdf; name=\"=?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz.pdf?=\"\n"
     "Content-Disposition: attachment; filename=\"=?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz.pdf?=\"\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(pdf_bytes) + "\n--q47--\n", {
         # Not allowed by RFC 2047 (5), written by Outlook and Thunderbird anyway.
         "attachments": [{"filename": "Rechnung für März.pdf", "size": len(pdf_bytes),
                          "sha256": sha(pdf_bytes)}],
     })

# ----------------------------------------------------------- structure -----

alt_html = ("<html><body><p>Hello <b>team</b>,</p><p>the VPN is down.</p></body></html>")
mail("alternative", hdr("VPN down", msgid="<alt-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n"
     "--alt\nContent-Type: text/plain; charset=utf-8\n\nHello team,\n\nthe VPN is down.\n"
     "--alt\nContent-Type: text/html; charset=utf-8\n\n" + alt_html + "\n--alt--\n", {
         "text": "Hello team,\n\nthe VPN is down.",
         "html_contains": ["<b>team</b>", "the VPN is down."],
         "attachments": [],
     }, crlf=True)

html_only = ("<!DOCTYPE html>\n<html><head><title>Newsletter title</title>\n"
             "<style>p { color: red; }</style>\n"
             "<script>alert(\"do not show\");</script></head>\n"
             "<body><p>First paragraph.</p><p>Second &amp; last paragraph.</p>\n"
             "<ul><li>Apples</li><li>Pears</li></ul>\n"
             "<p>Read the <a href=\"https://example.com/help\">Help centre</a>.</p>\n"
             "</body></html>\n")
mail("html_only", hdr("HTML only", msgid="<html-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
     "Content-Transfer-Encoding: quoted-printable\n\n" +
     quopri.encodestring(html_only.encode()).decode(), {
         "text_contains": ["First paragraph.", "Second & last paragraph.", "Apples", "Pears",
                           "Help centre <https://example.com/help>"],
         "text_not_contains": ["do not show", "color: red", "<p>", "&amp;"],
         "text_matches": [r"First paragraph\.[ \t]*\n[\s\S]*Second & last",
                          r"Apples[ \t]*\n\s*(?:[-*\u2022][ \t]*)?Pears"],
         "html_contains": ["<li>Apples</li>"],
     })

png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
       b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
       b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
mail("related_cid", hdr("Logo problem", msgid="<rel-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/related; type=\"text/html\"; boundary=\"rel\"\n\n"
     "--rel\nContent-Type: text/html; charset=utf-8\n\n"
     "<p>Our logo: <img src=\"cid:logo.123@example.com\"> looks wrong.</p>\n"
     "--rel\nContent-Type: image/png; name=\"logo.png\"\n"
     "Content-Disposition: inline; filename=\"logo.png\"\n"
     "Content-ID: <logo.123@example.com>\nContent-Transfer-Encoding: base64\n\n" +
     b64lines(png) + "\n--rel--\n", {
         "text_contains": ["Our logo:", "looks wrong."],
         "attachments": [{"filename": "logo.png", "content_type": "image/png",
                          "content_id": "logo.123@example.com", "inline": True,
                          "size": len(png), "sha256": sha(png)}],
     }, crlf=True)

mail("mixed_pdf", hdr("Monthly report", msgid="<pdf-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"mix\"\n\n"
     "This is a multi-part message in MIME format.\n"
     "--mix\nContent-Type: text/plain; charset=utf-8\n\nReport attached.\n"
     "--mix\nContent-Type: application/pdf; name=\"report.pdf\"\n"
     "Content-Disposition: attachment; filename=\"report.pdf\"\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(pdf_bytes) + "\n--mix--\n"
     "epilogue text that is not part of any body\n", {
         "text": "Report attached.",
         "text_not_contains": ["multi-part message", "epilogue"],
         "attachments": [{"filename": "report.pdf", "content_type": "application/pdf",
                          "inline": False, "size": len(pdf_bytes), "sha256": sha(pdf_bytes)}],
     })

sig = b"-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEEgolden\n=abcd\n-----END PGP SIGNATURE-----\n"
mail("multipart_signed", hdr("Signed request", msgid="<sig-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256;\n"
     " protocol=\"application/pgp-signature\"; boundary=\"sig\"\n\n"
     "--sig\nContent-Type: text/plain; charset=us-ascii\n\nPlease reset my password.\n"
     "--sig\nContent-Type: application/pgp-signature; name=\"signature.asc\"\n"
     "Content-Disposition: attachment; filename=\"signature.asc\"\n\n" +
     sig.decode() + "--sig--\n", {
         "text": "Please reset my password.",
         "attachments": [{"filename": "signature.asc",
                          "content_type": "application/pgp-signature"}],
     }, crlf=True)

mail("dsn_report",
     "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
     "To: support@example.com\nSubject: Undelivered Mail Returned to Sender\n"
     "Date: Tue, 12 Mar 2024 09:20:00 +0000\nMessage-ID: <dsn-1@mx.example.net>\n"
     "MIME-Version: 1.0\n"
     "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\n\n"
     "--dsn\nContent-Type: text/plain; charset=us-ascii\n\n"
     "I'm sorry to have to inform you that your message could not\n"
     "be delivered to one or more recipients.\n\n"
     "<nobody@example.org>: host mx.example.org said: 550 5.1.1 unknown user\n"
     "--dsn\nContent-Type: message/delivery-status\n\n"
     "Reporting-MTA: dns; mx.example.net\n\n"
     "Final-Recipient: rfc822; nobody@example.org\nAction: failed\nStatus: 5.1.1\n"
     "--dsn\nContent-Type: text/rfc822-headers\n\n"
     "From: Support <support@example.com>\nTo: nobody@example.org\n"
     "Subject: [#TD-7] Your ticket\nMessage-ID: <orig-4711@ticket.example.com>\n"
     "--dsn--\n", {
         "from": {"address": "MAILER-DAEMON@mx.example.net"},
         "auto": {"class": "delivery_report"},
         "text_contains": ["could not", "550 5.1.1"],
         # Only checked if ticketctl prints it (not in the minimum contract).
         "?bounced_message_ids": ["orig-4711@ticket.example.com"],
     })

inner = ("From: Carol <carol@example.org>\nTo: alice@example.com\n"
         "Subject: Quarterly numbers\nDate: Mon, 11 Mar 2024 17:00:00 +0000\n"
         "Message-ID: <inner-1@example.org>\n\nQ1 looks fine.\n")
mail("forward_rfc822", hdr("Fwd: Quarterly numbers", msgid="<fwd-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"fwd\"\n\n"
     "--fwd\nContent-Type: text/plain\n\nSee the forwarded mail.\n"
     "--fwd\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n" +
     inner + "--fwd--\n", {
         "text": "See the forwarded mail.",
         "text_not_contains": ["Q1 looks fine"],
         "attachments": [{"filename": "Quarterly numbers.eml",
                          "content_type": "message/rfc822"}],
     }, crlf=True)

uu_payload = b"line one of notes\nline two of notes\n" + bytes(range(200, 256))
uu = "".join(binascii.b2a_uu(uu_payload[i:i + 45]).decode() for i in range(0, len(uu_payload), 45))
mail("uuencode_body", hdr("Notes attached", msgid="<uu-1@example.com>") +
     "\nHere are the notes.\n\nbegin 644 notes.txt\n" + uu + "`\nend\n\nBye.\n", {
         "text_contains": ["Here are the notes."],
         "attachments_include": [{"filename": "notes.txt", "size": len(uu_payload),
                                  "sha256": sha(uu_payload)}],
     })

tnef = b"\x78\x9f\x3e\x22" + b"\x01\x00\x01" + b"golden tnef stream" + bytes(64)
mail("winmail_tnef", hdr("Outlook rich text", msgid="<tnef-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"tn\"\n\n"
     "--tn\nContent-Type: text/plain; charset=us-ascii\n\nSee winmail.\n"
     "--tn\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\n"
     "Content-Disposition: attachment; filename=\"winmail.dat\"\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(tnef) + "\n--tn--\n", {
         "text": "See winmail.",
         "attachments": [{"filename": "winmail.dat", "content_type": "application/ms-tnef",
                          "size": len(tnef), "sha256": sha(tnef)}],
     }, crlf=True)

# Attachments without a file name get the name a help desk shows (see
# parser/attachment_name.h): from Content-Type name=, Content-Location, an
# Outlook Content-ID, Content-Description or the type; repeats of a made-up
# name get a counter, a carried mail is named after its Subject.
gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
png2 = png + b"second"
png3 = png + b"third"
mov = b"\x00\x00\x00\x14ftypqt  golden movie"
order_pdf = pdf_bytes + b"%order 4711\n"
blob = bytes(range(0, 256, 7))
returned = ("From: Support <support@example.com>\nTo: nobody@example.org\n"
            "Message-ID: <ret-1@example.com>\n\nOur reply.\n")
NAMED_PARTS = [  # (expected name, content type, payload, inline)
    ("image001.png", "image/png", png, True),
    ("image.png", "image/png", png2, True),
    ("image1.png", "image/png", png3, True),
    ("clip.mov", "video/quicktime", mov, False),
    ("status red.gif", "image/gif", gif, False),
    ("Order 4711.pdf", "application/pdf", order_pdf, False),
    ("file", "application/octet-stream", blob, False),
    # The line break before a boundary belongs to the boundary.
    ("forwarded message.eml", "message/rfc822", returned[:-1].replace("\n", "\r\n").encode(),
     False),
]
mail("attachment_names", hdr("Screenshots and more", msgid="<names-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"mx\"\n\n"
     "--mx\nContent-Type: multipart/related; type=\"text/html\"; boundary=\"rl\"\n\n"
     "--rl\nContent-Type: text/html; charset=utf-8\n\n"
     "<p>See <img src=\"cid:image001.png@01DA7C3B.5E2F1A90\"> and"
     " <img src=\"cid:part7.8@example.com\"><img src=\"cid:part8.9@example.com\"></p>\n"
     "--rl\nContent-Type: image/png\nContent-ID: <image001.png@01DA7C3B.5E2F1A90>\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(png) + "\n"
     "--rl\nContent-Type: image/png\nContent-ID: <part7.8@example.com>\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(png2) + "\n"
     "--rl\nContent-Type: image/png\nContent-ID: <part8.9@example.com>\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(png3) + "\n--rl--\n"
     "--mx\nContent-Type: video/quicktime; name=\"clip.mov\"\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(mov) + "\n"
     "--mx\nContent-Type: image/gif\n"
     "Content-Location: https://intranet.example.com/img/status%20red.gif?v=3\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(gif) + "\n"
     "--mx\nContent-Type: application/pdf\nContent-Description: Order 4711\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(order_pdf) + "\n"
     "--mx\nContent-Type: application/octet-stream\n"
     "Content-Transfer-Encoding: base64\n\n" + b64lines(blob) + "\n"
     "--mx\nContent-Type: message/rfc822\n\n" + returned + "--mx--\n", {
         "text_contains": ["See"],
         "attachments": [{"filename": n, "content_type": t, "size": len(d), "sha256": sha(d),
                          "inline": i} for n, t, d, i in NAMED_PARTS],
     }, crlf=True)

# ------------------------------------------------------------- broken ------

mail("broken_missing_boundary", hdr("No boundary", msgid="<nb-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed\n\n"
     "The sender forgot the boundary parameter.\n", {
         "subject": "No boundary",
         "text_contains": ["The sender forgot the boundary parameter."],
         "defect_kinds_include": ["missing_boundary"],
     })

mail("broken_unterminated_multipart", hdr("Cut off", msgid="<ut-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"cut\"\n\n"
     "--cut\nContent-Type: text/plain\n\nFirst part is fine.\n"
     "--cut\nContent-Type: text/plain; name=\"data.txt\"\n"
     "Content-Disposition: attachment; filename=\"data.txt\"\n\n"
     "attachment data that never ends\n", {
         "text_contains": ["First part is fine."],
         "attachments_include": [{"filename": "data.txt"}],
         "defect_kinds_include": ["unterminated_multipart"],
     }, crlf=True)

mail("broken_boundary_never_appears", hdr("Lost boundary", msgid="<lb-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"nowhere\"\n\n"
     "--elsewhere\nThis text is all there is.\n", {
         "text_contains": ["This text is all there is."],
         "defect_kinds_include_any": ["unterminated_multipart", "missing_boundary"],
     })

junk_text = "This text was base64 encoded, with junk in between.\n"
junk_b64 = base64.b64encode(junk_text.encode()).decode()
junk_b64 = junk_b64[:20] + "|" + junk_b64[20:40] + "|\n" + junk_b64[40:] + "|"
mail("base64_junk", hdr("Junk in base64", msgid="<bj-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n"
     "Content-Transfer-Encoding: base64\n\n" + junk_b64 + "\n", {
         "text": junk_text.strip(),
         "defect_kinds_include": ["bad_base64"],
     })

mail("nul_byte", None, {
    "text_contains": ["Before", "after the NUL."],
    "text_not_contains": ["\u0000"],
    "defect_kinds_include": ["nul_byte"],
}, raw=hdr("NUL in body", msgid="<nul-1@example.com>").encode() +
    b"MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
    b"Before\x00after the NUL.\n")

mail("bare_cr", None, {
    # Classic Mac OS mailers (Eudora on Mac) wrote CR-only line ends.
    "from": {"address": "alice@example.com"},
    "subject": "Old Mac mailer",
    "text_contains": ["Line one.", "Line two."],
}, raw=(hdr("Old Mac mailer", msgid="<cr-1@example.com>") +
        "Content-Type: text/plain; charset=us-ascii\n\nLine one.\nLine two.\n")
    .encode().replace(b"\n", b"\r"))

hostile = ["../../etc/passwd", "/etc/shadow", "CON", "nul", "a" * 296 + ".txt"]
parts = ""
for i, n in enumerate(hostile):
    parts += (f"--hn\nContent-Type: application/octet-stream\n"
              f"Content-Disposition: attachment; filename=\"{n}\"\n\npayload {i}\n")
mail("hostile_filenames", hdr("Hostile names", msgid="<hn-1@example.com>") +
     "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"hn\"\n\n"
     "--hn\nContent-Type: text/plain\n\nFive attachments.\n" + parts + "--hn--\n", {
         # The parser reports names as decoded; the store sanitises them.
         "text": "Five attachments.",
         "attachments": [{"filename": n} for n in hostile],
     })

# ------------------------------------------------------------- replies -----

def reply(name, body, new_text, crlf=False):
    mail(name, hdr("Re: Your request", msgid=f"<{name}@example.com>") +
         "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
         "Content-Transfer-Encoding: 8bit\n\n" + body, {
             "new_text": new_text,
             "text_contains": [body.strip().splitlines()[-1].strip()],
         }, crlf=crlf)


reply("reply_ticketd_marker",
      "Thanks, that fixed it.\n\n##- Please type your reply above this line -##\n\n"
      "Ticket TD-1042 was updated by Support.\nHave you tried restarting?\n",
      "Thanks, that fixed it.", crlf=True)
reply("reply_gmail",
      "Sounds good, see you Monday.\n\n"
      "On Mon, Mar 11, 2024 at 10:02 AM Support <support@example.com> wrote:\n\n"
      "> Can we meet on Monday?\n>\n> Support\n",
      "Sounds good, see you Monday.")
reply("reply_outlook_original",
      "Please cancel my order.\n\n-----Original Message-----\n"
      "From: Shop <shop@example.com>\nSent: Monday, March 11, 2024 10:02 AM\n"
      "To: Alice <alice@example.com>\nSubject: Your order 123\n\nYour order has shipped.\n",
      "Please cancel my order.", crlf=True)
reply("reply_outlook_block",
      "Yes, go ahead with the refund.\n\nRegards\nBob\n\n"
      "From: Support Team <support@example.com>\nSent: Monday, March 11, 2024 10:02 AM\n"
      "To: Bob <bob@example.org>\nSubject: RE: Refund\n\nShall we refund the order?\n",
      "Yes, go ahead with the refund.\n\nRegards\nBob", crlf=True)
reply("reply_apple_mail",
      "Works for me.\n\nSent from my iPhone\n\n"
      "> On 11. Mar 2024, at 10:02, Support <support@example.com> wrote:\n>\n"
      "> Does Tuesday work?\n",
      "Works for me.\n\nSent from my iPhone")
reply("reply_german",
      "Danke, passt so.\n\n"
      "Am 11.03.2024 um 10:02 schrieb Support <support@example.com>:\n"
      "> Passt Ihnen Dienstag?\n",
      "Danke, passt so.")
reply("reply_quoted_lines",
      "Yes, twice. Still broken.\n\n> Did you restart it?\n> And did you check the cable?\n",
      "Yes, twice. Still broken.")

# ---------------------------------------------------------------- auto -----

# `expect`: the class, and the one piece of evidence that made it (kind, detail).
def auto(name, extra, expect, evidence=None, frm="Robot <robot@example.com>"):
    want = None
    if expect:
        want = {"class": expect,
                "evidence": [{"kind": evidence[0], "detail": evidence[1]}]}
    mail(name, hdr("Automatic: " + name, frm=frm, msgid=f"<{name}@example.com>", extra=extra) +
         "\nThis is an automatic message.\n", {"auto": want})


auto("auto_submitted", "Auto-Submitted: auto-replied\n", "auto_reply",
     ("header", "Auto-Submitted: auto-replied"))
auto("auto_precedence_bulk", "Precedence: bulk\n", "bulk", ("header", "Precedence: bulk"))
auto("auto_list_id", "List-Id: Announcements <announce.lists.example.com>\n", "bulk",
     ("header", "List-Id"))
auto("auto_response_suppress", "X-Auto-Response-Suppress: All\n", "auto_generated",
     ("header", "X-Auto-Response-Suppress: All"))
auto("auto_null_return_path", "Return-Path: <>\n", "auto_generated", ("sender", "Return-Path: <>"))
auto("auto_submitted_no", "Auto-Submitted: no\n", None, frm="Alice <alice@example.com>")

# -------------------------------------------------------------- threads ----

mail("thread_keys",
     "From: Bob <bob@example.org>\nTo: Support <support+abc123@example.com>\n"
     "Cc: other@example.org\nSubject: Re: [#TD-1042] VPN broken\n"
     "Date: Wed, 13 Mar 2024 23:30:00 -0500\nMessage-ID: <reply-2@example.org>\n"
     "In-Reply-To: <a1@ticket.example.com>\n"
     "References: <r0@example.org>\n <a1@ticket.example.com>\n\nStill broken.\n", {
         "subject_tag": "TD-1042",
         "plus_tokens": ["abc123"],
         "message_id": "reply-2@example.org",
         "in_reply_to": "a1@ticket.example.com",
         "references": ["r0@example.org", "a1@ticket.example.com"],
         "date": "2024-03-14T04:30:00Z",
         "to": [{"name": "Support", "address": "support+abc123@example.com"}],
     }, crlf=True)

mail("address_forms",
     "From: carl@example.com (Carl Clark)\n"
     "To: Team: anna@example.com, Ben <ben@example.com>;, \"john smith\"@example.com\n"
     "Cc: dora@example.com, Eve <eve@example.com\n"
     "Reply-To: \"Clark, Carl\" <carl.clark@example.com>\n"
     "Subject: Address forms\nDate: Tue, 12 Mar 2024 09:15:00 +0100\n"
     "Message-ID: <addr-1@example.com>\n\nBody.\n", {
         "from": {"name": "Carl Clark", "address": "carl@example.com"},
         "to": [{"address": "anna@example.com"},
                {"name": "Ben", "address": "ben@example.com"},
                {"address": "\"john smith\"@example.com"}],
         "cc": [{"address": "dora@example.com"}, {"address": "eve@example.com"}],
         "reply_to": [{"name": "Clark, Carl", "address": "carl.clark@example.com"}],
     })

mail("encoded_word_local_part",
     "From: =?utf-8?Q?attacker=40evil.example?=@victim.example\n"
     "To: support@example.com\nSubject: Spoof attempt\n"
     "Date: Tue, 12 Mar 2024 09:15:00 +0100\nMessage-ID: <spoof-1@example.com>\n\nHi.\n", {
         # An encoded word is not allowed in an addr-spec (RFC 2047 5); decoding
         # it would turn the sender into attacker@evil.example.
         "regex": {"from.address": r"@victim\.example$"},
     })


# ---------------------------------------------------------- self check -----

def self_check():
    """Cross-checks expected values against Python's email package."""
    def parse(name):
        raw = MAILS[name][0]
        if raw.startswith(b"From "):
            raw = raw.split(b"\n", 1)[1]
        return email.message_from_bytes(raw, policy=email.policy.default)

    for name in ("latin1_label_cp1252_quotes", "iso2022jp", "rfc2047_q_b_adjacent",
                 "ks_c_5601", "plain_ascii", "thread_keys"):
        exp = MAILS[name][1]
        if "subject" in exp:
            got = " ".join(str(parse(name)["subject"]).split())
            want = exp["subject"].replace("\u201c", "\u201c")
            if name == "latin1_label_cp1252_quotes":
                # Python decodes iso-8859-1 strictly: C1 controls, not quotes.
                got = got.encode("latin-1").decode("cp1252")
            assert got == want, (name, got, want)
    for name in ("rfc2231_filename", "rfc2047_filename_quoted", "mixed_pdf",
                 "winmail_tnef", "related_cid", "hostile_filenames"):
        m = parse(name)
        atts = [p for p in m.walk() if p.get_filename()]
        exp = MAILS[name][1]["attachments"]
        assert len(atts) == len(exp), name
        for p, e in zip(atts, exp):
            fn = p.get_filename()
            if name == "rfc2047_filename_quoted":
                fn = str(email.header.make_header(email.header.decode_header(fn)))
            assert fn == e["filename"], (name, fn, e["filename"])
            data = p.get_payload(decode=True)
            if "sha256" in e:
                assert sha(data) == e["sha256"] and len(data) == e["size"], name
    # attachment_names: the parts Python finds hold the payloads we expect, in order.
    m = parse("attachment_names")
    def leaves_of(part):
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            return [leaf for sub in part.get_payload() for leaf in leaves_of(sub)]
        return [part]
    leaves = [p for p in leaves_of(m) if p.get_content_type() != "text/html"]
    assert len(leaves) == len(NAMED_PARTS), [p.get_content_type() for p in leaves]
    for p, (_, ctype, data, _) in zip(leaves, NAMED_PARTS):
        assert p.get_content_type() == ctype, (p.get_content_type(), ctype)
        if ctype != "message/rfc822":
            assert p.get_payload(decode=True) == data, ctype
    uu_part = binascii.a2b_uu  # uuencode: decode our own lines back
    dec = b"".join(binascii.a2b_uu(l) for l in uu.splitlines())
    assert dec == uu_payload
    m = parse("base64_junk")
    assert m.get_payload(decode=True).decode() == junk_text
    m = parse("utf32_part")
    assert [p for p in m.walk()][1].get_content() == utf32_text
    m = parse("gb2312_label_gbk_bytes")
    assert m.get_payload(decode=True).decode("gbk").strip() == gbk_text + "。"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    self_check()
    os.makedirs(args.out, exist_ok=True)
    for name, (data, exp) in sorted(MAILS.items()):
        with open(os.path.join(args.out, name + ".eml"), "wb") as f:
            f.write(data)
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(f"wrote {len(MAILS)} mails to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
