#!/usr/bin/python3
"""Measures ticketd's "is this mail automatic?" classifier (`ticketctl parse`).

Groups of mails, each with the class a mail should get:

  a. tests/data/auto/*.eml against its expected.json (the set the classifier
     was built with; tests/auto/make_auto_mails.py);
  d. tests/data/auto_holdout/*.eml against its expected.json (a held-out set
     written without sight of the classifier; tests/auto/make_holdout_mails.py);
     --data DIR (repeatable) names other such folders instead;
  b. the golden mails tests/data/*.eml: GOLDEN below says which are automatic;
     all others are a person's mail;
  c. the shared Zammad corpus (--corpus, else $CORPUS_DIR, else
     <repo>/../shared/corpus; the folder with mail*.box or its parent with
     zammad/): ZAMMAD below labels each of its 106 mails, with the reason read
     from its headers. When the corpus is absent, that group is skipped.

Classes: delivery_report, auto_reply, read_receipt, feedback_report, bulk,
auto_generated; null (None here) for a person's mail. `auto` in the parse
output is null or {"class": ..., "evidence": [{"kind", "detail"}, ...]}.

Per group it prints, for bounces/replies/receipts/complaints and for list and
other machine mail apart, how many were recognised as automatic and how many
got the right class; people's mails called automatic (false positives); the
originals found (manifest "cites" ids in the output's bounced_message_ids).
With --verbose, or when the run fails, one line per miss:
file<TAB>expected<TAB>got<TAB>evidence. LISTED mails are printed as `listed`.

Exit status: 0 when, over all groups, at least 97 % of the bounces, replies,
receipts and complaints get the right class, no person's mail is called
automatic, and at least 97 % of the originals are found (all with
--require-cites); 1 otherwise (also when ticketctl gives no line for a mail: a
crash or hang); 2 for usage errors.

Run:  /usr/bin/python3 tests/auto/auto_classification.py \\
          --ticketctl build/daemon/ticketctl [--data DIR ...] [--corpus DIR] \\
          [--verbose] [--require-cites]
"""

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLASS_RIGHT_MIN = 0.97
TIMEOUT_ALL = 180      # seconds for one batch
TIMEOUT_ONE = 20       # seconds per mail when re-running the missing ones singly
CLASSES = {"delivery_report", "auto_reply", "read_receipt", "feedback_report", "bulk",
           "auto_generated"}

# b. Golden mails of tests/data (top level) that are automatic by design; every
# other *.eml there is a person's mail.
GOLDEN = {
    "auto_list_id": ("bulk", "List-Id header"),
    "auto_precedence_bulk": ("bulk", "Precedence: bulk"),
    "auto_submitted": ("auto_reply", "Auto-Submitted: auto-replied"),
    "auto_null_return_path": ("auto_generated", "Return-Path: <> and nothing else (From Robot)"),
    "auto_response_suppress": ("auto_generated",
                               "X-Auto-Response-Suppress: All only (From Robot, 'Automatic:' subject)"),
    "dsn_report": ("delivery_report", "multipart/report delivery-status from MAILER-DAEMON"),
    "auto_submitted_no": (None, "Auto-Submitted: no is a person's mail (RFC 3834)"),
}

# c. The Zammad corpus, all 106 mails: (class or None for a person, reason).
# Spam written to look personal counts as a person's mail unless it carries
# list/bulk headers or is sent with the null sender <> (answering it would be
# backscatter). "unsure:" marks a label the headers do not settle;
# "content-only:" machine mail that carries nothing a mail system writes
# (printed, not scored).
ZAMMAD = {
    "mail001": (None, "Apple Mail, person"),
    "mail002": (None, "plain text from a person"),
    "mail003": (None, "Outlook (Exchange) mail from a person"),
    "mail004": (None, "AW: reply to a ticket, person"),
    "mail005": (None, "Thunderbird reply to a ticket"),
    "mail006": (None, "person's test mail, mixed charsets"),
    "mail007": (None, "AW: reply, person"),
    "mail008": (None, "Lotus Notes 7 mail from a person"),
    "mail009": (None, "Apple Mail reply (AW:)"),
    "mail010": (None, "Outlook mail from a person with inline images"),
    "mail011": ("bulk", "content-only: From 'CYLEX Newsletter' via newsletter.cylex.de, Sender header; "
                        "no List-*/Precedence header"),
    "mail012": (None, "AW: reply from a person (relayed via root@ Return-Path)"),
    "mail013": (None, "Lotus Notes 'Antwort:' reply"),
    "mail014": (None, "AW: reply with two forwarded message/rfc822 parts"),
    "mail015": (None, "spam (Outlook Express, GB2312), no list headers"),
    "mail016": (None, "spam without From, no list headers"),
    "mail017": (None, "spam (Chinese), no list headers"),
    "mail018": ("delivery_report", "multipart/report delivery-status from postmaster, "
                                   "Return-Path <> (Exchange/SMTPSVC, UTF-7)"),
    "mail019": ("auto_generated", "spam sent with the null envelope sender (Return-Path <>, "
                                  "From \"...\" <>): no person expects an answer to <>; "
                                  "answering would be backscatter"),
    "mail020": (None, "pharmacy spam, no list headers"),
    "mail021": (None, "pharmacy spam, no list headers"),
    "mail022": (None, "spam, no list headers"),
    "mail023": (None, "spam with a broken header block"),
    "mail024": ("auto_generated", "content-only: report mailed by a database job (From oracle@<db host>, "
                                  "CSV attachment); no RFC 3834 header"),
    "mail025": ("auto_generated", "content-only: same database job report, uuencoded CSV; no RFC 3834 "
                                  "header"),
    "mail026": ("auto_generated", "invoice mail from a billing system (Return-Path "
                                  "noreply@bounce..., X-Mailer MIME::Lite)"),
    "mail027": (None, "spam (Chinese), no list headers"),
    "mail028": (None, "job application via webmail, person"),
    "mail029": ("auto_generated", "content-only: TeamViewer licensing notice sent by a web server "
                                  "(SMTPSVC), 'listed in our database ... unsubscribe' footer; "
                                  "no list header"),
    "mail030": (None, "person (HTML)"),
    "mail031": (None, "spam (FoxMail, GBK), no list headers"),
    "mail032": (None, "spam (FoxMail), no list headers"),
    "mail033-undelivered-mail-returned-to-sender": (
        "delivery_report", "Postfix multipart/report delivery-status from MAILER-DAEMON, "
                           "Auto-Submitted: auto-replied"),
    "mail034": (None, "member-to-member message relayed by a marketplace (memberbay+id@), person"),
    "mail035": ("auto_generated", "loan spam sent with the null envelope sender (Return-Path <>): "
                                  "no person expects an answer to <>; answering would be "
                                  "backscatter"),
    "mail036": (None, "Fw: forwarded by a person"),
    "mail037": (None, "Thunderbird mail from a person"),
    "mail038": (None, "PGP signed, Apple Mail, person"),
    "mail039": (None, "PGP signed with attachment, person"),
    "mail040": (None, "S/MIME signed, person"),
    "mail041": (None, "S/MIME encrypted, person"),
    "mail042": (None, "PGP encrypted, person"),
    "mail043": ("bulk", "List-Unsubscribe and Precedence: bulk newsletter"),
    "mail044": (None, "spam (Foxmail), no list headers"),
    "mail045": (None, "web contact form (X-PHP-Originating-Script contact.php) carrying a person's "
                      "text, From the person"),
    "mail046": (None, "spam wrapped by SpamAssassin (X-Spam-Flag: YES), no list headers"),
    "mail047": ("bulk", "content-only: retailer newsletter; only X-antispameurope-detected-infomail: yes "
                        "marks it, no List-*/Precedence"),
    "mail048": (None, "Apple Mail reply, person"),
    "mail049": (None, "press release sent by a person from Outlook/Exchange, no list headers"),
    "mail050": (None, "person (relayed, Return-Path differs)"),
    "mail051": (None, "Apple Mail reply, person"),
    "mail052": ("delivery_report", "text/plain bounce from MAILER-DAEMON (Mail Delivery System), "
                                   "Return-Path <>"),
    "mail053": ("delivery_report", "Postfix multipart/report delivery-status, Auto-Submitted: "
                                   "auto-replied"),
    "mail054": (None, "AW: reply from a person, header folded without whitespace"),
    "mail055": ("delivery_report", "Postfix multipart/report delivery-status from MAILER-DAEMON"),
    "mail056": (None, "Apple Mail reply, person"),
    "mail057": (None, "W.: forwarded invoice by a person"),
    "mail058": (None, "spam (Foxmail), no list headers"),
    "mail059": (None, "spam (Foxmail), From with empty address, no list headers"),
    "mail060": (None, "Apple Mail, person"),
    "mail062": (None, "person with ten attachments"),
    "mail063": ("delivery_report", "Postfix multipart/report delivery-status, Return-Path <>"),
    "mail064": (None, "Apple Mail reply, person"),
    "mail065": (None, "plain text from a person"),
    "mail066": ("auto_generated", "content-only: birthday greeting sent by a company script "
                                  "(X-PHP-Originating-Script class.phpmailer.php, greeting-card "
                                  "images); no list header"),
    "mail067": (None, "webmail test mail from a person"),
    "mail068": (None, "mail starting with '---- Original email message ----' (forwarded copy), "
                      "person"),
    "mail069": (None, "pharmacy spam (X-Spam-Flag: YES), no list headers"),
    "mail070": (None, "Thunderbird test mail, person"),
    "mail071": (None, "spam, no list headers"),
    "mail072": (None, "customer complaint, person"),
    "mail073": (None, "Apple Mail, person"),
    "mail074": (None, "person"),
    "mail075": (None, "person"),
    "mail076": (None, "lottery spam, no list headers"),
    "mail077": (None, "person"),
    "mail078": ("delivery_report", "Gmail 'Delivery Status Notification (Delay)', multipart/report, "
                                   "Auto-Submitted: auto-replied"),
    "mail078-content_transfer_encoding_x_uuencode": (
        "bulk", "LISTSERV list post: Sender RRGA-L@LIST..., Return-Path owner-rrga-l@..., "
                "Received 'LISTSERV-TCP/IP ... for RRGA-L@'"),
    "mail079": (None, "Apple Mail, person"),
    "mail080": (None, "Apple Mail, person"),
    "mail081": (None, "IServ webmail, person"),
    "mail082": (None, "FW: by a person (Outlook 14) with a PDF"),
    "mail083": (None, "Apple Mail, person"),
    "mail084": (None, "Apple Mail, person"),
    "mail085": (None, "Apple Mail reply, person"),
    "mail086": (None, "person's mail that is only a PDF"),
    "mail087": ("auto_generated", "content-only: fax-to-mail gateway notice ('Sie haben soeben ein neues "
                                  "Fax ... empfangen'), no RFC 3834 header"),
    "mail088": (None, "person, an image as the only content"),
    "mail089": ("auto_generated", "ServiceNow notification, Auto-Submitted: auto-generated, "
                                  "Precedence: bulk"),
    "mail090": ("auto_generated", "ServiceNow notification, Auto-Submitted: auto-generated, "
                                  "Precedence: bulk"),
    "mail091": (None, "person asking to be taken off a newsletter (ISO-2022-JP)"),
    "mail092": ("delivery_report", "Postfix multipart/report delivery-status, Return-Path <>"),
    "mail093": (None, "unsure: Japanese promotional mail, no list or bulk header (spam rule)"),
    "mail094": ("auto_generated", "SAP purchase order sent by the system (From noreply@, X-Mailer "
                                  "SAP NetWeaver)"),
    "mail095": (None, "Outlook/Exchange mail from a person"),
    "mail096": (None, "Outlook/Exchange mail from a person"),
    "mail097": (None, "Outlook/Exchange mail from a person"),
    "mail098": ("auto_generated", "notification from noreply@ (ISO-2022-JP), Reply-To info@"),
    "mail099": ("auto_generated", "notification from noreply@ (ISO-2022-JP)"),
    "mail100": (None, "Apple Mail, person"),
    "mail101": (None, "Apple Mail, person"),
    "mail102": (None, "Apple Mail, person, mixed content"),
    "mail103": ("auto_generated", "Jira notification (X-JIRA-FingerPrint, jira.com sender)"),
    "mail104": ("auto_generated", "Jira notification (X-JIRA-FingerPrint, jira.com sender)"),
    "mail105": (None, "person"),
    "mail106": (None, "Roundcube mail from a person"),
}


# ------------------------------------------------------------- running -----

def run_ticketctl(ticketctl, files, timeout):
    """Returns (dict file -> parsed object, returncode or None on timeout, stderr)."""
    try:
        p = subprocess.run([ticketctl, "parse", *files], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
        out, rc, err = p.stdout, p.returncode, p.stderr
    except subprocess.TimeoutExpired as e:
        out, rc, err = e.stdout or b"", None, e.stderr or b""
    got = {}
    # Split on LF only: JSON strings may carry U+2028 etc. unescaped.
    for line in out.split(b"\n"):
        line = line.decode("utf-8", "replace").strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict) and "file" in obj:
            got[obj["file"]] = obj
    return got, rc, err.decode("utf-8", "replace")


def parse_all(ticketctl, paths):
    """Runs ticketctl over paths; re-runs missing ones singly. Returns (got, crashed)."""
    got, rc, err = run_ticketctl(ticketctl, paths, TIMEOUT_ALL)
    crashed = {}
    missing = [p for p in paths if p not in got]
    for p in missing:
        one, rc1, err1 = run_ticketctl(ticketctl, [p], TIMEOUT_ONE)
        if p in one:
            got[p] = one[p]
        else:
            why = "timeout" if rc1 is None else f"exit {rc1}"
            crashed[p] = f"{why}: {err1.strip()[-200:]}"
    return got, crashed


def auto_of(obj):
    """(class or None, evidence text) from a parse object; old string form accepted."""
    a = obj.get("auto")
    if a is None:
        return None, ""
    if isinstance(a, str):
        return a, f"(old form) {a}"
    if isinstance(a, dict):
        ev = a.get("evidence") or []
        parts = []
        for e in ev:
            if isinstance(e, dict):
                parts.append(f"{e.get('kind', '?')}: {e.get('detail', '')}")
            else:
                parts.append(str(e))
        return a.get("class"), "; ".join(parts)
    return str(a), str(a)


def find_corpus(arg):
    if arg:
        base = arg
    elif os.environ.get("CORPUS_DIR"):
        base = os.environ["CORPUS_DIR"]
    else:
        base = os.path.join(REPO, "..", "shared", "corpus")
    base = os.path.normpath(base)
    for d in (base, os.path.join(base, "zammad")):
        if os.path.isdir(d) and any(f.startswith("mail") and f.endswith(".box")
                                    for f in os.listdir(d)):
            return base, d
    return base, None


# ------------------------------------------------------------- scoring -----

# What the target is about: bounces and replies from other mail
# systems. List mail and other machine mail are measured and printed too, but
# only these four classes count toward CLASS_RIGHT_MIN.
REPORTS_AND_REPLIES = {"delivery_report", "auto_reply", "read_receipt", "feedback_report"}

# (set folder name, stem) -> why the expected class is not what we give. Counted
# as a listed difference (neither right nor a false positive) and printed.
LISTED = {
    ("auto_holdout", "human_postmaster_address"): (
        "an admin writing from postmaster@ with Return-Path <postmaster@...>: issue 9 names "
        "Return-Path <postmaster@...> and a postmaster sender as automatic, so no acknowledgement "
        "goes out (the ticket is still made and agents are alerted)"),
}


class Tally:
    def __init__(self):
        self.total = self.recognised = self.right = 0

    def add(self, recognised, right):
        self.total += 1
        self.recognised += recognised
        self.right += right


class Group:
    def __init__(self, name, key=""):
        self.name = name
        self.key = key                  # folder name for LISTED
        self.replies = Tally()          # REPORTS_AND_REPLIES
        self.other = Tally()            # bulk, auto_generated
        self.human_total = self.false_pos = 0
        self.content_total = self.content_recognised = 0  # machine mail with no machine signal
        self.cites_total = self.cites_found = 0
        self.misses = []        # (file, expected, got, evidence)
        self.listed = []        # (file, expected, got, reason)
        self.cite_misses = []   # (file, id, bounced_message_ids)
        self.crashes = []

    def score(self, label, expected, obj, cites=None, content_only=False):
        if content_only and obj is not None:
            # Machine-written, but nothing in it says so (no header, sender,
            # structure or subject a mail system writes): reported, not scored.
            self.content_total += 1
            if auto_of(obj)[0] is not None:
                self.content_recognised += 1
            return
        got, evidence = auto_of(obj) if obj is not None else ("crash", "no JSON line")
        if obj is None:
            self.crashes.append(label)
        if (self.key, label) in LISTED and got != expected:
            self.listed.append((label, expected or "null", got or "null", LISTED[(self.key, label)]))
            return
        if expected is None:
            self.human_total += 1
            if got is not None:
                self.false_pos += 1
                self.misses.append((label, "null", got, evidence))
        else:
            tally = self.replies if expected in REPORTS_AND_REPLIES else self.other
            tally.add(got is not None and obj is not None, got == expected)
            if got != expected:
                self.misses.append((label, expected, got or "null", evidence))
        if cites and obj is not None:
            self.cites_total += 1
            ids = [i.strip("<>") for i in (obj.get("bounced_message_ids") or [])]
            if cites in ids:
                self.cites_found += 1
            else:
                self.cite_misses.append((label, cites, ids))


def pct(n, d):
    return f"{100.0 * n / d:.1f}%" if d else "-"


def report_group(g, verbose, failing):
    print(f"== {g.name}")
    for what, t in (("bounces, replies, receipts, complaints", g.replies),
                    ("list and other machine mail", g.other)):
        if t.total:
            print(f"  {what}: recognised {t.recognised}/{t.total} ({pct(t.recognised, t.total)}), "
                  f"class right {t.right}/{t.total} ({pct(t.right, t.total)})")
    print(f"  human mails called automatic: {g.false_pos}/{g.human_total}")
    if g.content_total:
        print(f"  (not scored) machine mail with no machine signal, recognised: "
              f"{g.content_recognised}/{g.content_total}")
    if g.cites_total:
        print(f"  originals found: {g.cites_found}/{g.cites_total} ({pct(g.cites_found, g.cites_total)})")
    for f, exp, got, why in g.listed:
        print(f"listed\t{f}\t{exp}\t{got}\t{why}")
    if verbose or failing:
        for f, exp, got, ev in g.misses:
            print(f"{f}\t{exp}\t{got}\t{ev}")
    if verbose:
        for f, cid, ids in g.cite_misses:
            print(f"{f}\tcites {cid}\tbounced_message_ids {json.dumps(ids)}")


# ---------------------------------------------------------------- main -----

# a. the set the classifier was built with; d. a held-out set written by someone
# who never saw the classifier (tests/auto/make_holdout_mails.py).
DEFAULT_SETS = [os.path.join(REPO, "tests", "data", "auto"),
                os.path.join(REPO, "tests", "data", "auto_holdout")]


def load_manifest(folder):
    """(manifest, sorted stems) of a folder of mails, or 2 after saying what is wrong."""
    manifest_path = os.path.join(folder, "expected.json")
    try:
        with open(manifest_path, encoding="utf-8") as fh:
            manifest = json.load(fh)
    except (OSError, json.JSONDecodeError) as e:
        print(f"{manifest_path}: {e}", file=sys.stderr)
        return 2
    bad = [k for k, v in manifest.items()
           if not isinstance(v, dict) or (v.get("class") is not None and v.get("class") not in CLASSES)]
    if bad:
        print(f"{manifest_path}: bad entries {bad[:5]}", file=sys.stderr)
        return 2
    stems = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".eml"))
    unlisted = sorted(set(stems) - set(manifest))
    absent = sorted(set(manifest) - set(stems))
    if unlisted or absent:
        print(f"{folder}: mails without a manifest entry {unlisted[:5]}, "
              f"manifest entries without a mail {absent[:5]}", file=sys.stderr)
        return 2
    return manifest, stems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ticketctl", required=True)
    ap.add_argument("--data", action="append",
                    help="a folder of mails with expected.json (repeatable; default: "
                         "tests/data/auto and the held-out tests/data/auto_holdout)")
    ap.add_argument("--corpus")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--require-cites", action="store_true")
    args = ap.parse_args()

    if not (os.path.isfile(args.ticketctl) and os.access(args.ticketctl, os.X_OK)):
        print(f"ticketctl {args.ticketctl} not found or not executable", file=sys.stderr)
        return 2
    sets = []  # (letter, folder, manifest, stems)
    for letter, folder in zip("ad", args.data or DEFAULT_SETS):
        loaded = load_manifest(folder)
        if isinstance(loaded, int):
            return loaded
        sets.append((letter, folder) + loaded)

    golden_dir = os.path.join(REPO, "tests", "data")
    golden = sorted(f[:-4] for f in os.listdir(golden_dir) if f.endswith(".eml"))
    base, corpus = find_corpus(args.corpus)
    boxes = []
    if corpus:
        boxes = sorted(f[:-4] for f in os.listdir(corpus) if re.match(r"mail\d{3}.*\.box$", f))
        unknown = [b for b in boxes if b not in ZAMMAD]
        if unknown:
            print(f"corpus {corpus}: mails without a label here: {unknown[:5]}", file=sys.stderr)
            return 2

    paths = ([os.path.join(folder, s + ".eml") for _, folder, _, stems in sets for s in stems] +
             [os.path.join(golden_dir, s + ".eml") for s in golden] +
             [os.path.join(corpus, b + ".box") for b in boxes])
    got, crashed = parse_all(args.ticketctl, paths)

    groups = []
    for letter, folder, manifest, stems in sets:
        g = Group(f"{letter}. {os.path.relpath(folder, REPO)} ({len(stems)} mails)",
                  os.path.basename(os.path.normpath(folder)))
        for s in stems:
            e = manifest[s]
            g.score(s, e.get("class"), got.get(os.path.join(folder, s + ".eml")), e.get("cites"))
        groups.append(g)
    gb = Group(f"b. tests/data golden mails ({len(golden)} mails)")
    for s in golden:
        exp = GOLDEN[s][0] if s in GOLDEN else None
        gb.score(s, exp, got.get(os.path.join(golden_dir, s + ".eml")))
    groups.append(gb)
    if corpus:
        gc = Group(f"c. Zammad corpus {corpus} ({len(boxes)} mails)")
        for b in boxes:
            gc.score(b, ZAMMAD[b][0], got.get(os.path.join(corpus, b + ".box")),
                     content_only=ZAMMAD[b][1].startswith("content-only:"))
        groups.append(gc)

    def total(attr):
        return sum(getattr(g, attr) for g in groups)

    replies = Tally()
    other = Tally()
    for g in groups:
        for mine, t in ((replies, g.replies), (other, g.other)):
            mine.total += t.total
            mine.recognised += t.recognised
            mine.right += t.right
    humans, fps = total("human_total"), total("false_pos")
    cites_total, cites_found = total("cites_total"), total("cites_found")
    ok = (replies.total and replies.right / replies.total >= CLASS_RIGHT_MIN and fps == 0
          and not crashed and cites_total and cites_found / cites_total >= CLASS_RIGHT_MIN
          and (not args.require_cites or cites_found == cites_total))

    for g in groups:
        report_group(g, args.verbose, not ok)
    if not corpus:
        print(f"== c. Zammad corpus: absent (looked in {base}); group skipped")
    for p, why in sorted(crashed.items()):
        print(f"crash\t{p}\t{why}")
    print(f"summary: {'PASS' if ok else 'FAIL'}: bounces and replies: class right "
          f"{replies.right}/{replies.total} ({pct(replies.right, replies.total)}, need "
          f"{CLASS_RIGHT_MIN:.0%}), recognised {replies.recognised}/{replies.total}; "
          f"list and other machine mail: class right {other.right}/{other.total} "
          f"({pct(other.right, other.total)}); false positives {fps}/{humans}; "
          f"listed {sum(len(g.listed) for g in groups)}; "
          f"originals found {cites_found}/{cites_total}"
          f"{' (all required)' if args.require_cites else ''}"
          f"{', crashes ' + str(len(crashed)) if crashed else ''}"
          f"{'' if corpus else ', corpus absent'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
