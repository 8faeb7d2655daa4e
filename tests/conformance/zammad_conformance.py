#!/usr/bin/python3
"""Zammad corpus conformance test for `ticketctl parse`.

Runs `ticketctl parse` once over every mailNNN*.box of the Zammad e-mail
parser corpus (read-only, AGPL test data, never copied into this repository;
see <corpus>/zammad/README.md) and compares four things per mail with what
Zammad's parser recorded in the matching mailNNN*.yml. Every mail counts four
checks (106 mails: 424 checks), none is skipped:

  from        our from.address == Zammad's from_email (case-insensitive)
  subject     equal after NFC + whitespace collapsing (null == "")
  attachments the names, compared exactly after NFC, as multisets: ours ==
              Zammad's. Zammad's `message.html` (its copy of the HTML body,
              preferences content-alternative) is not an attachment for us: it
              is checked against our `html` field instead, loosely (the text
              between tags, in order, >= HTML_MIN_FOUND of it; both are the
              same decoded HTML part, so this normally finds 100 %).
  body        Zammad's placeholder "no visible content" (its body was empty):
              our `text` must be empty or whitespace.
              text/plain: equal to our `text` after NFC + whitespace collapsing.
              text/html: Zammad's body is its *sanitised HTML*; we cut it into
              text fragments at every tag (script/style/title content dropped,
              entities unescaped, whitespace collapsed) and look for those
              fragments in our `text` (or the text of our `html`), in order,
              and pass at HTML_MIN_FOUND (95 %) of the fragment characters.
              This is the one loose comparison left: our HTML->text renders
              markup differently on purpose (" <url>" after link text, "- "
              before list items, no <title>), and Zammad's HTML and text parts
              sometimes differ in content. Misses are printed with --verbose.

Every check ends in one of four outcomes (the two tables, each entry with
its reason, are in zammad_expectations.py beside this script):
  equal       our value is Zammad's;
  quirk       Zammad's value misstates the mail (wrong decoding, lost text,
              an address the header does not have) and ours is what
              KNOWN_ZAMMAD_QUIRKS says the mail really holds -> passed;
  difference  a fair Zammad value that we answer differently on purpose,
              listed in LISTED_DIFFERENCES with our value pinned and the
              reason -> failed, but explained;
  failure     anything else -> failed and unexplained.
A quirk or a difference that now matches Zammad is reported as stale.

Output: one line per failed check (`mail<TAB>check<TAB>detail`; a listed
difference's detail starts with "listed difference:"), then
  checks: 424, passed 421 (99.3%): 401 equal to Zammad, 20 where Zammad is
  wrong (KNOWN_ZAMMAD_QUIRKS); listed differences: 3 (mail016 from, ...);
  unexplained failures: 0
(one line), and last exactly "N passed, M failed". Stale table entries are
printed as "stale: ..." lines; --verbose adds every quirk applied and the HTML
bodies that passed with fragments missing.

Exit status: 0 when >= 99 % of all checks pass and every mail produced a JSON
line (a missing line means ticketctl crashed or hung on it: the run fails
whatever the pass rate); 1 otherwise; 77 (ctest SKIP_RETURN_CODE) when the
corpus directory is absent; 2 for usage errors.

Run:  /usr/bin/python3 tests/conformance/zammad_conformance.py \\
          --ticketctl build/daemon/ticketctl [--corpus DIR] [--verbose]
Corpus: --corpus, else $CORPUS_DIR, else <repo>/../shared/corpus. DIR may be
the folder holding mail*.box or its parent (with a zammad/ subfolder).
Needs python3-yaml (Debian's /usr/bin/python3 has it).
"""

import argparse
import base64
import collections
import html
import html.parser
import json
import os
import re
import subprocess
import sys
import unicodedata

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from zammad_expectations import KNOWN_ZAMMAD_QUIRKS, LISTED_DIFFERENCES  # noqa: E402

PASS_RATE = 0.99
CHECKS = ("from", "subject", "attachments", "body")
HTML_MIN_FOUND = 0.95
TIMEOUT_ALL = 120      # seconds for the one batch run over all mails
TIMEOUT_ONE = 20       # seconds per mail when re-running missing ones singly
PLACEHOLDER_BODY = "no visible content"

# ---------------------------------------------------------------- YAML -----

def load_yaml_module():
    try:
        import yaml  # noqa: F401
        return yaml
    except ImportError:
        sys.exit("zammad_conformance: needs PyYAML; run it with Debian's "
                 "/usr/bin/python3 (package python3-yaml)")


def make_loader(yaml):
    class ZammadLoader(yaml.SafeLoader):
        """SafeLoader that reads Ruby-tagged YAML: every !ruby/... tag becomes
        the plain map/list/scalar under it, !binary becomes bytes."""

    def ruby_any(loader, _suffix, node):
        if isinstance(node, yaml.MappingNode):
            return loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_scalar(node)

    def binary(loader, node):
        return base64.b64decode("".join(loader.construct_scalar(node).split()))

    ZammadLoader.add_multi_constructor("!ruby/", ruby_any)
    ZammadLoader.add_constructor("!binary", binary)
    ZammadLoader.add_constructor("tag:yaml.org,2002:binary", binary)
    return ZammadLoader


# ------------------------------------------------------- normalisation -----

def norm(s):
    """NFC, every whitespace run (incl. NBSP, U+3000) -> one space, stripped."""
    if s is None:
        return ""
    if isinstance(s, bytes):
        s = s.decode("utf-8", "replace")
    s = unicodedata.normalize("NFC", s)
    s = s.replace("\u200b", "").replace("\ufeff", "")
    return " ".join(s.split())


class _Fragments(html.parser.HTMLParser):
    """Collects the text between tags; drops script/style/title contents."""
    SKIP = {"script", "style", "title", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.frags, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.frags.append(data)


def html_fragments(markup):
    p = _Fragments()
    p.feed(markup)
    p.close()
    out = [norm(html.unescape(f)) for f in p.frags]
    return [f for f in out if f]


def html_title(markup):
    m = re.search(r"(?is)<title[^>]*>(.*?)</title>", markup)
    return norm(html.unescape(m.group(1))) if m else ""


def find_in_order(fragments, haystack):
    """Returns (found_chars, total_chars, missing fragments)."""
    pos, found, total, missing = 0, 0, 0, []
    for f in fragments:
        total += len(f)
        i = haystack.find(f, pos)
        if i >= 0:
            found += len(f)
            pos = i + len(f)
        else:
            missing.append(f)
    return found, total, missing


def short(s, n=70):
    s = repr(s)
    return s if len(s) <= n else s[: n - 3] + "..."


# --------------------------------------------------------------- checks ----

def nfc(s):
    """A file name for comparison: NFC, nothing else (no trimming)."""
    if isinstance(s, bytes):
        s = s.decode("utf-8", "replace")
    return unicodedata.normalize("NFC", s or "")


class Result:
    """The outcome of every check (see the module doc)."""

    def __init__(self):
        self.equal = 0
        self.quirks = []       # (mail, check, reason)
        self.differences = []  # (mail, check, detail)
        self.failures = []     # (mail, check, detail)
        self.stale = []        # (mail, check, detail): table entries no longer needed
        self.notes = []        # (mail, check, detail): printed with --verbose

    @property
    def passed(self):
        return self.equal + len(self.quirks)

    @property
    def failed(self):
        return len(self.differences) + len(self.failures)

    def record(self, mail, check, outcome, detail, ours):
        """Files one check's outcome ("equal", "quirk" or "fail"); a failure
        that LISTED_DIFFERENCES explains (our value as pinned there) becomes a
        difference."""
        diff = LISTED_DIFFERENCES.get((mail, check))
        if outcome == "equal":
            self.equal += 1
            for table, entry in (("KNOWN_ZAMMAD_QUIRKS", KNOWN_ZAMMAD_QUIRKS.get((mail, check))),
                                 ("LISTED_DIFFERENCES", diff)):
                if entry:
                    self.stale.append((mail, check, f"{table} entry not needed: we agree with Zammad"))
        elif outcome == "quirk":
            self.quirks.append((mail, check, detail))
        elif diff and ours == diff["ours"]:
            self.differences.append((mail, check, f"listed difference: ours {short(ours, 90)}, "
                                     f"Zammad {short(diff['zammad'])}: {diff['reason']}"))
        elif diff:
            self.failures.append((mail, check, f"{detail} (the listed difference expects "
                                  f"ours {short(diff['ours'], 90)})"))
        else:
            self.failures.append((mail, check, detail))


def check_from(mail, exp, got, res):
    """Returns (outcome, detail, our value)."""
    zammad = (exp.get("from_email") or "").strip().lower()
    have = ((got.get("from") or {}).get("address") or "").strip().lower()
    if have == zammad:
        return "equal", None, have
    q = KNOWN_ZAMMAD_QUIRKS.get((mail, "from"))
    if q and have in [a.lower() for a in q["accept"]]:
        return "quirk", q["reason"], have
    return "fail", f"want {short(zammad)} got {short(have)}", have


def check_subject(mail, exp, got, res):
    """Returns (outcome, detail, our value)."""
    zammad, have = norm(exp.get("subject")), norm(got.get("subject"))
    if have == zammad:
        return "equal", None, have
    q = KNOWN_ZAMMAD_QUIRKS.get((mail, "subject"))
    if q and have in [norm(a) for a in q["accept"]]:
        return "quirk", q["reason"], have
    return "fail", f"want {short(zammad)} got {short(have)}", have


def zammad_attachments(exp):
    """Returns (Zammad's attachment names, NFC; its message.html or None)."""
    names, alternative = [], None
    for a in exp.get("attachments") or []:
        prefs = a.get("preferences") or {}
        if a.get("filename") == "message.html" and prefs.get("content-alternative"):
            data = a.get("data")
            alternative = data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")
            continue
        names.append(nfc(a.get("filename")))
    return names, alternative


def name_problems(wants, ours):
    """`wants`: one list of acceptable names per expected attachment. Returns
    what does not match (missing and unexpected names), [] when all match."""
    left = collections.Counter(ours)
    problems = []
    for options in wants:
        hit = next((o for o in options if left[o] > 0), None)
        if hit is None:
            problems.append(f"missing {short(options[0], 60)}")
        else:
            left[hit] -= 1
    problems += [f"unexpected {short(n, 60)}" for n, k in left.items() for _ in range(k)]
    return problems


def html_text_found(want_html, our_html, drop_chars=""):
    """Returns (share of want_html's text found in order in our_html's, first missing)."""
    table = {ord(c): None for c in drop_chars}
    frags = [f.translate(table) for f in html_fragments(want_html)]
    have = " ".join(html_fragments(our_html or "")).translate(table)
    found, total, missing = find_in_order([f for f in frags if f], have)
    return (found / total if total else 1.0), (missing[0] if missing else None)


def alternative_problem(alternative, got, q=None):
    """Compares Zammad's message.html with our `html`; returns a problem or None."""
    if alternative is None:
        return None
    ours = got.get("html")
    if ours is None:
        return "message.html: we have no html"
    if q and "html_contains" in q:
        text = norm(" ".join(html_fragments(ours)))
        missing = [c for c in q["html_contains"] if norm(c) not in text]
        return f"message.html: our html lacks {short(missing[0])}" if missing else None
    rate, miss = html_text_found(alternative, ours, (q or {}).get("drop_chars", ""))
    if rate >= HTML_MIN_FOUND:
        return None
    return f"message.html: {rate:.1%} of its text in our html; first missing {short(miss)}"


def check_attachments(mail, exp, got, res):
    """Returns (outcome, detail, our names)."""
    names, alternative = zammad_attachments(exp)
    ours = [nfc(a.get("filename")) for a in got.get("attachments") or []]
    problems = name_problems([[n] for n in names], ours)
    html_problem = alternative_problem(alternative, got)
    if not problems and not html_problem:
        return "equal", None, ours
    q = KNOWN_ZAMMAD_QUIRKS.get((mail, "attachments"))
    if q:
        accept = {nfc(k): [nfc(a) for a in v] for k, v in q.get("accept", {}).items()}
        wants = []
        for n in names:
            if n in [nfc(x) for x in q.get("not_ours", [])]:
                continue
            if n in accept:
                wants.append(accept[n] + ([n] if q.get("zammad_too") else []))
            else:
                wants.append([n])
        wants += [[nfc(n)] for n in q.get("extra", [])]
        q_problems = name_problems(wants, ours)
        q_html = alternative_problem(alternative, got, q)
        if not q_problems and not q_html:
            return "quirk", q["reason"], ours
        problems, html_problem = q_problems, q_html
    detail = "; ".join(problems + ([html_problem] if html_problem else []))
    return "fail", f"{detail} (ours: {short(ours, 120)})", ours


def check_body(mail, exp, got, res):
    """Returns (outcome, detail, our text)."""
    body = exp.get("body")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    ours = norm(got.get("text"))
    ctype = exp.get("content_type") or "text/plain"
    q = KNOWN_ZAMMAD_QUIRKS.get((mail, "body"))
    if norm(body) == PLACEHOLDER_BODY:
        # Zammad writes the placeholder when its body is empty.
        ok, detail = ours == "", f"Zammad shows {PLACEHOLDER_BODY!r}, our text is {short(ours)}"
    elif ctype == "text/html":
        rate, detail = html_body_found(mail, body, got, "", res)
        ok = rate >= HTML_MIN_FOUND
    else:
        want = norm(body)
        ok = ours == want
        i = 0
        while i < min(len(want), len(ours)) and want[i] == ours[i]:
            i += 1
        detail = (f"text differs at {i}: want {short(want[i:i+40])}, ours {short(ours[i:i+40])}")
    if ok:
        return "equal", None, ours
    if q and "contains" in q:
        missing = [c for c in q["contains"] if norm(c) not in ours]
        if not missing:
            return "quirk", q["reason"], ours
        detail = f"quirk: missing {short(missing[0])}"
    elif q and "drop_chars" in q and ctype == "text/html":
        rate, detail = html_body_found(mail, body, got, q["drop_chars"], res)
        if rate >= HTML_MIN_FOUND:
            return "quirk", q["reason"], ours
    return "fail", detail, ours


def html_body_found(mail, body, got, drop_chars, res):
    """Zammad's sanitised HTML body against our text (or our html's text when
    that finds more: Zammad prefers the HTML alternative, we the plain one).
    Returns (share found in order, detail); notes partial finds."""
    table = {ord(c): None for c in drop_chars}
    frags = html_fragments(body or "")
    # Zammad's sanitiser puts the <title> text in front of the body
    # (mail016 "新建网页 3", mail026); our HTML->text drops the title.
    title = html_title(got.get("html") or "")
    if title and frags and frags[0] == title:
        frags = frags[1:]
    frags = [f.translate(table) for f in frags]
    best = None
    for have in (norm(got.get("text")), " ".join(html_fragments(got.get("html") or ""))):
        found, total, missing = find_in_order([f for f in frags if f], have.translate(table))
        rate = found / total if total else 1.0
        if best is None or rate > best[0]:
            best = (rate, missing)
    rate, missing = best
    detail = f"html: {rate:.1%} of text found in order; first missing {short(missing[0]) if missing else ''}"
    if missing and rate >= HTML_MIN_FOUND:
        res.notes.append((mail, "body", f"html {rate:.1%} found; missing e.g. {short(missing[0])}"))
    return rate, detail


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
    # Split on LF only: str.splitlines() would also split inside JSON strings
    # at U+2028, U+0085, \x1c..\x1e, which JSON may carry unescaped.
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


def find_corpus(arg):
    if arg:
        base = arg
    elif os.environ.get("CORPUS_DIR"):
        base = os.environ["CORPUS_DIR"]
    else:
        repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        base = os.path.join(repo, "..", "shared", "corpus")
    base = os.path.normpath(base)
    for d in (base, os.path.join(base, "zammad")):
        if os.path.isdir(d) and any(f.startswith("mail") and f.endswith(".box")
                                    for f in os.listdir(d)):
            return base, d
    return base, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ticketctl", required=True)
    ap.add_argument("--corpus")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    base, corpus = find_corpus(args.corpus)
    if corpus is None:
        print(f"CORPUS_DIR {base} not found: conformance test skipped")
        return 77
    if not os.access(args.ticketctl, os.X_OK):
        print(f"ticketctl {args.ticketctl} not found or not executable", file=sys.stderr)
        return 2
    yaml = load_yaml_module()
    loader = make_loader(yaml)

    boxes = sorted(f for f in os.listdir(corpus)
                   if re.match(r"mail\d{3}.*\.box$", f)
                   and os.path.exists(os.path.join(corpus, f[:-4] + ".yml")))
    paths = [os.path.join(corpus, f) for f in boxes]
    got, rc, err = run_ticketctl(args.ticketctl, paths, TIMEOUT_ALL)
    crashed = []
    if rc is None:
        print(f"ticketctl parse timed out after {TIMEOUT_ALL}s on the batch", file=sys.stderr)
    missing = [p for p in paths if p not in got]
    if missing:
        # Re-run the missing ones one by one to name the mail that kills it.
        for p in missing:
            one, rc1, err1 = run_ticketctl(args.ticketctl, [p], TIMEOUT_ONE)
            if p in one:
                got[p] = one[p]
            else:
                why = "timeout" if rc1 is None else f"exit {rc1}"
                crashed.append((os.path.basename(p)[:-4], why, err1.strip()[-200:]))
    elif rc not in (0, None):
        print(f"ticketctl parse exited {rc} although every mail produced a line: "
              f"{err.strip()[-300:]}", file=sys.stderr)

    res = Result()
    checks = {"from": check_from, "subject": check_subject,
              "attachments": check_attachments, "body": check_body}
    for f, p in zip(boxes, paths):
        mail = f[:-4]
        if p not in got:
            for check in CHECKS:
                res.failures.append((mail, check, "no JSON line for this mail (crash)"))
            continue
        with open(os.path.join(corpus, mail + ".yml"), "rb") as fh:
            exp = yaml.load(fh, Loader=loader)
        for check in CHECKS:
            outcome, detail, ours = checks[check](mail, exp, got[p], res)
            res.record(mail, check, outcome, detail, ours)

    for mail, why, tail in crashed:
        print(f"{mail}\tcrash\t{why}: {tail}")
    for mail, check, detail in res.failures + res.differences:
        print(f"{mail}\t{check}\t{detail}")
    for mail, check, detail in res.stale:
        print(f"stale: {mail}\t{check}\t{detail}")
    if args.verbose:
        for mail, check, detail in res.notes:
            print(f"note: {mail}\t{check}\t{detail}")
        for mail, check, reason in res.quirks:
            print(f"quirk: {mail}\t{check}\t{reason}")
    total = res.passed + res.failed
    rate = res.passed / total if total else 0.0
    listed = ", ".join(f"{m} {c}" for m, c, _ in res.differences)
    print(f"checks: {total}, passed {res.passed} ({rate:.1%}): {res.equal} equal to Zammad, "
          f"{len(res.quirks)} where Zammad is wrong (KNOWN_ZAMMAD_QUIRKS); "
          f"listed differences: {len(res.differences)}" + (f" ({listed})" if listed else "") +
          f"; unexplained failures: {len(res.failures)}")
    print(f"{res.passed} passed, {res.failed} failed")
    if crashed or len(got) < len(paths):
        print(f"FAIL: {len(crashed)} mail(s) crashed or hung", file=sys.stderr)
        return 1
    if rate < PASS_RATE:
        print(f"FAIL: pass rate {rate:.1%} < {PASS_RATE:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
