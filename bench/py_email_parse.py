"""The parser benchmark's baseline: the same mixes as bench/parse_corpus.h
(the same files, order and replication) through Python's standard `email`
package: policy=default, every part walked, get_content() of every leaf.
Prints one JSON object: per mix, msgs/s and MB/s (best of --rounds).

  python3 bench/py_email_parse.py [--mb 64] [--rounds 1] [DIR...]
"""
import argparse
import email
import email.policy
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVERYDAY_MAX = 64 * 1024


def default_dirs():
    corpus = os.environ.get("CORPUS_DIR") or os.path.join(ROOT, "..", "shared", "corpus")
    return [os.path.join(corpus, "zammad"), os.path.join(ROOT, "tests", "data")]


def load_mixes(dirs, target):
    mixes = {"everyday": [], "attachments": []}
    for d in dirs:
        if not os.path.isdir(d):
            print(f"py_email_parse: {d} is not there; its mails are left out", file=sys.stderr)
            continue
        files = []
        for root, _, names in os.walk(d):
            files += [os.path.join(root, n) for n in names if n.endswith((".box", ".eml"))]
        # The same order as the C++ side: std::sort of the paths (bytewise).
        for f in sorted(files, key=lambda p: p.encode()):
            with open(f, "rb") as fh:
                raw = fh.read()
            mixes["everyday" if len(raw) <= EVERYDAY_MAX else "attachments"].append(raw)
    out = {}
    for name, distinct in mixes.items():
        rep, size = [], 0
        while distinct and size < target:
            for m in distinct:
                rep.append(m)
                size += len(m)
                if size >= target:
                    break
        out[name] = (distinct, rep, size)
    return out


def parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    n = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, KeyError, AssertionError):
            continue  # unknown charsets and broken parts: the parse itself was done
        n += len(content)
    return n


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("dirs", nargs="*")
    a = ap.parse_args()
    mixes = load_mixes(a.dirs or default_dirs(), a.mb * 1000 * 1000)
    result = {"python": sys.version.split()[0], "mixes": []}
    for name, (distinct, rep, size) in mixes.items():
        if not rep:
            continue
        best = float("inf")
        for _ in range(a.rounds):
            t0 = time.perf_counter()
            for m in rep:
                parse(m)
            best = min(best, time.perf_counter() - t0)
        result["mixes"].append({"mix": name, "distinct": len(distinct), "mails": len(rep),
                                "bytes": size, "msgs_s": len(rep) / best,
                                "mb_s": size / best / 1e6})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
