#!/usr/bin/python3
"""Prints the Message-ID of the newest outbox row of KIND to ADDRESS on a
ticket, read from `ticketctl show N --json` on stdin (demo helper)."""
import json
import sys

kind, address = sys.argv[1], sys.argv[2]
rows = [r for r in json.load(sys.stdin)["outbox"]
        if r["kind"] == kind and address in r["to"] + r["cc"]]
if not rows:
    sys.exit(f"no {kind} to {address} queued")
print(rows[-1]["message_id"])
