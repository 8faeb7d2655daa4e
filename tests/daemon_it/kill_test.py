#!/usr/bin/python3
"""kill -9 at random points while `ticketd run` ingests 500 mails (private stack).

500 mails with distinct Message-IDs from 50 customers are dropped into the
support maildir (400 new questions, then 100 follow-ups, each an In-Reply-To
of one of its sender's earlier mails, given higher UIDs so they arrive after
their originals). Then KILL_ROUNDS (20) times: start `ticketd run` and
kill -9 it at a random point of the ingest (after a random 1-20 more mails
were committed, plus 0-30 ms; the daemon commits KILL_BATCH (10) mails at a
time here; some rounds during start-up instead), then
KILL_DELIVERY_ROUNDS (5) more after a random 0.05-KILL_MAX_SLEEP (1.5) s,
which land in the rest of the ingest or the outbox. (Measured: ~300 mails/s,
so plain 0.05-1.5 s sleeps let the first kill swallow most of the 500 mails.)
Finally the daemon runs until INBOX is empty and nothing is left to send, and
stops with SIGTERM.

Asserts: every one of the 500 mails is exactly one thread entry; 400 tickets,
no duplicates, every follow-up on its original's ticket; INBOX empty and
Processed holds all 500 (none lost, none twice); no quarantine; in the
customers' and agents' mailboxes nothing that is not an outbox row, and no
acknowledgement twice with a different Message-ID for the same ticket (a
resend with the same Message-ID after a crash is allowed: counted and
printed); every sent row arrived. Prints the seed (KILL_SEED=N repeats the
kill schedule), where each kill landed, timings and 'N passed, M failed'.
"""
import hashlib
import os
import random
import re
import sys
import time
import traceback
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.kill: kill -9 at random points while ingesting 500 mails")
SEED = int(os.environ.get("KILL_SEED") or random.SystemRandom().randrange(1, 2**31))
ROUNDS = int(os.environ.get("KILL_ROUNDS", "20"))
MAX_SLEEP = float(os.environ.get("KILL_MAX_SLEEP", "1.5"))
DELIVERY_ROUNDS = int(os.environ.get("KILL_DELIVERY_ROUNDS", "5"))
KILL_BATCH = int(os.environ.get("KILL_BATCH", "10"))
N_CUSTOMERS = 50
N_ORIGINALS = 400
N_REPLIES = 100
DRAIN_TIMEOUT = 240
print(f"  seed KILL_SEED={SEED} rounds={ROUNDS}+{DELIVERY_ROUNDS} timed sleep=0.05-{MAX_SLEEP}s "
      f"(rerun with KILL_SEED={SEED} to repeat the kill times)", flush=True)
rng = random.Random(SEED)
RUN = h.new_run_id()
h.budget(360)  # ctest TIMEOUT is 420 s
scratch = h.scratch_dir("kill")
stack = None

SUBJECTS = ["Locked out after changing my password", "ERP down for everybody in sales",
            "Laptop camera dead after the upgrade", "Phone no longer syncs my mailbox",
            "Printer on floor 2 prints blank pages", "VPN drops every hour",
            "Cannot sign in to the wiki", "Monitor flickers when docked"]
BODIES = ["Hello,\nsince this morning it does not work. Could you have a look?\nThanks",
          "Hi,\nthe laptop shows an error and the docking station is not detected.\nRegards",
          "Hello IT,\nsame problem as last week, it is back again.\nBest"]


def main():
    global stack
    customers = [f"c{i:02d}-{RUN}@example.test" for i in range(N_CUSTOMERS)]
    agents = [f"nick-{RUN}@example.test", f"priya-{RUN}@example.test"]
    stack = h.Stack.start_private(os.path.join(scratch, "stack"),
                                  users=[f"support-{RUN}@example.test"] + agents + customers)
    desk = h.Desk(args, stack, scratch, RUN)
    # Enough automatic mail per customer that every ticket is acknowledged
    # (the test is about crashes, not the guard's caps).
    # A row is claimed before its SMTP exchange for 2 * smtp.timeout_seconds
    # + 60 s; the row in flight when a kill lands waits for that claim to
    # expire (180 s with the default timeout of 60 s): 5 s makes it 70 s.
    # Ten mails a commit (the default is up to 2,000): with 500 mails a
    # default run commits them in two transactions and the kills could not
    # land at many different points of the ingest.
    desk.extra = {("guard", "max_auto_per_recipient"): 100,
                  ("guard", "max_open_tickets_per_sender"): 100,
                  ("smtp", "timeout_seconds"): 5,
                  ("daemon", "batch_mails"): KILL_BATCH}
    desk.write_config(desk.base_config())

    # ---- the mails: 400 originals, then 100 follow-ups with higher UIDs ----
    t0 = time.monotonic()
    md = stack.maildir(desk.support)
    originals = []   # (mid, customer)
    for k in range(N_ORIGINALS):
        c = customers[k % N_CUSTOMERS]
        mid = f"kill-o{k}-{RUN}@c{k % N_CUSTOMERS:02d}.example"
        raw = h.make_mail(f"Customer {k % N_CUSTOMERS} <{c}>", f"IT Support <{desk.support}>",
                          f"{SUBJECTS[k % len(SUBJECTS)]} (#{k})", BODIES[k % len(BODIES)], mid)
        stack.drop_mail(md, raw, f"{int(time.time())}.O{k}.{RUN}")
        originals.append((mid, c))
    # Dovecot gives UIDs when it first looks: the originals get theirs now.
    R.check("setup.originals_in_inbox", stack.count(desk.support) == N_ORIGINALS, stack.count(desk.support))
    replies = []     # (mid, index of the original)
    for j in range(N_REPLIES):
        k = j * (N_ORIGINALS // N_REPLIES)
        omid, c = originals[k]
        mid = f"kill-r{j}-{RUN}@c{k % N_CUSTOMERS:02d}.example"
        raw = h.make_mail(f"Customer {k % N_CUSTOMERS} <{c}>", f"IT Support <{desk.support}>",
                          f"Re: {SUBJECTS[k % len(SUBJECTS)]} (#{k})",
                          "One more thing: it also happens after a restart.\n\n> earlier text", mid, irt=omid)
        stack.drop_mail(md, raw, f"{int(time.time())}.R{j}.{RUN}")
        replies.append((mid, k))
    total = N_ORIGINALS + N_REPLIES
    R.check("setup.all_in_inbox", stack.count(desk.support) == total, stack.count(desk.support))
    R.figure("setup.write_500_mails", round(time.monotonic() - t0, 2), "s")
    all_mids = [m for m, _ in originals] + [m for m, _ in replies]

    con = [None]

    def stored():
        """Mails committed so far (one read-only connection, polled every few ms)."""
        if con[0] is None:
            if not os.path.exists(desk.db):
                return 0
            con[0] = h.sqlite3.connect(f"file:{desk.db}?mode=ro", uri=True, timeout=10)
        try:
            return con[0].execute("SELECT count(DISTINCT message_id) FROM messages "
                                  "WHERE direction = 'in'").fetchone()[0]
        except h.sqlite3.OperationalError:  # the schema is not there yet
            return 0

    # ---- the kills ----
    # At ~300 mails/s (measured) a sleep of 0.05-1.5 s lets the first kill
    # swallow most of the 500 mails, so kills are placed by progress instead:
    # wait until a random 1-20 more mails are committed (polled every ~3 ms),
    # add 0-30 ms, kill -9. That lands them at random points of the ingest:
    # mid-transaction, between commit and MOVE, mid-fetch. Some rounds kill
    # during start-up (0.01-0.25 s: schema, login); once everything is stored,
    # and in DELIVERY_ROUNDS more, after 0.05-KILL_MAX_SLEEP s ("timed": the
    # rest of the ingest, the outbox).
    t_first = time.monotonic()
    t_all_stored = None
    landed = Counter()
    for i in range(ROUNDS + DELIVERY_ROUNDS):
        s0, o0 = stored(), sent_rows(desk)
        if i >= ROUNDS or s0 >= total:
            mode, pause = "timed", rng.uniform(0.05, MAX_SLEEP)
        elif rng.random() < 0.15:
            mode, pause = "startup", rng.uniform(0.01, 0.25)
        else:
            mode, pause = "ingest", rng.uniform(0.0, 0.03)
        advance = rng.randint(1, 20)
        t_start = time.monotonic()
        desk.start(wait_started=False)
        if mode == "ingest":
            target = min(total, s0 + advance)
            # The poller commits a fetched batch at once (group commit,
            # KILL_BATCH mails), so the count above jumps by a batch and the
            # kill lands in one of the batches after it (fetch, transaction,
            # between commit and MOVE).
            got = h.wait_until(lambda: stored() >= target or not desk.running(), 30, 0.003)
            if not got:
                R.check(f"kill{i + 1}.progress", False, f"fewer than {advance} mails stored in 30 s; log:\n"
                        + desk.log()[-1500:])
            time.sleep(pause)
        elif mode == "startup":
            # In start-up: at the first commit at the latest. A daemon through
            # its start-up in a few ms ingested for the rest of the pause (210
            # mails in one such round, and the rounds after it found nothing
            # left to ingest).
            h.wait_until(lambda: stored() > s0 or not desk.running(), pause, 0.003)
        else:
            time.sleep(pause)
        if not desk.running():  # it must never exit by itself
            R.check(f"kill{i + 1}.alive_until_killed", False, f"exit {desk.proc.returncode}: {desk.log()[-1500:]}")
        desk.kill9()
        ran = time.monotonic() - t_start
        s1, o1 = stored(), sent_rows(desk)
        inbox = stack.count(desk.support)
        if mode == "ingest" and s1 >= total:
            mode = "ingest-end"
        landed[mode] += 1
        if s1 == total and t_all_stored is None:
            t_all_stored = time.monotonic()
        print(f"  kill {i + 1:2d}: {mode:10s} after {ran:5.3f} s"
              f"{f' (+{advance} mails +{pause * 1000:.0f} ms)' if mode.startswith('ingest') else ''}; "
              f"stored +{s1 - s0:3d} = {s1:3d}/{total}, INBOX {inbox:3d}, sent +{o1 - o0:3d}", flush=True)
    R.figure("kills.total", ROUNDS + DELIVERY_ROUNDS)
    for mode in ("startup", "ingest", "ingest-end", "timed"):
        R.figure(f"kills.landed_{mode}", landed[mode])
    R.check("kills.most_landed_during_ingest", landed["ingest"] + landed["startup"] >= ROUNDS // 2,
            dict(landed))
    R.check("kills.log_no_crash_before_kill",
            not any(re.search(r"\b(critical|terminate called|AddressSanitizer|runtime error)\b", desk.log(p))
                    for p in desk.log_files), "a run logged a crash")

    # ---- the final run: until everything is stored, moved and sent ----
    t_final = time.monotonic()
    pending_at_final = desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred')")[0][0]
    R.figure("final.outbox_rows_left_by_the_kills", pending_at_final)
    claimed = claimed_rows(desk)
    R.figure("final.rows_claimed_by_killed_senders", claimed)
    desk.start()

    all_stored_at = [t_all_stored]

    def drained():
        n = stored()
        if n == total and all_stored_at[0] is None:
            all_stored_at[0] = time.monotonic()
        if n < total or stack.count(desk.support) > 0:
            return None
        left = desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred')")[0][0]
        return left == 0 or None
    ok = h.wait_until(drained, DRAIN_TIMEOUT, 0.5)
    t_drained = time.monotonic()
    t_all_stored = all_stored_at[0] or t_drained
    R.check("final.drained", ok, f"after {DRAIN_TIMEOUT} s: stored {stored()}/{total}, INBOX "
            f"{stack.count(desk.support)}, outbox {desk.query('SELECT state, count(*) FROM outbox GROUP BY state')}")
    rc, secs = desk.term()
    R.check("final.sigterm_exit0", rc == 0, rc)
    R.figure("final.run_to_drained", round(t_drained - t_final, 1), "s")
    R.figure("overall.first_start_to_all_stored", round(t_all_stored - t_first, 1), "s")
    R.figure("overall.mails_per_second_incl_kills", round(total / max(t_all_stored - t_first, 0.001), 1), "mails/s")
    R.figure("overall.first_start_to_outbox_empty", round(t_drained - t_first, 1), "s")
    final_log = desk.log()
    torn = [l for l in final_log.splitlines()
            if l and not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} [a-z]+ \S", l)]
    R.check("final.log_lines_well_formed", not torn, torn[:5])
    R.check("final.log_no_errors", not re.search(r"\b(error|critical)\b", final_log),
            [l for l in final_log.splitlines() if re.search(r"\b(error|critical)\b", l)][:10])

    # ---- every mail exactly once ----
    rows = desk.query("SELECT message_id, count(*) FROM messages WHERE direction = 'in' GROUP BY message_id")
    per_mid = dict(rows)
    missing = [m for m in all_mids if m not in per_mid]
    twice = {m: n for m, n in per_mid.items() if n != 1}
    R.check("db.every_mail_stored", not missing, f"{len(missing)} missing, e.g. {missing[:5]}")
    R.check("db.every_mail_exactly_one_entry", not twice, twice)
    R.check("db.nothing_else_stored", set(per_mid) <= set(all_mids), set(per_mid) - set(all_mids))
    h.summary(f"faults: {ROUNDS + DELIVERY_ROUNDS} kill -9 at random points over {total} mails, "
              f"mails lost: {len(missing)}, stored twice: {len(twice)}")
    raws = desk.query("SELECT count(*) FROM raw_mail")[0][0]
    R.figure("db.raw_mail_rows", raws)
    # Schema 16: a raw mail's bytes are in the raw spool beside the database,
    # synced before the commit that names them. After the kills, every row's
    # bytes are there and hash to its SHA-256; a killed transaction's bytes
    # are dead space no row names.
    spooled = desk.query("SELECT id, sha256, spool_segment, spool_offset, spool_size FROM raw_mail")
    bad = []
    for rid, sha, seg, off, size in spooled:
        if seg is None:
            bad.append((rid, "not in the spool"))
            continue
        with open(os.path.join(desk.db + "-raw", f"{seg:08d}.seg"), "rb") as f:
            f.seek(off)
            data = f.read(size)
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            bad.append((rid, seg, off, size))
    R.check("spool.every_raw_mail_there_and_intact", spooled and not bad, bad[:5])
    seg_bytes = sum(os.path.getsize(os.path.join(desk.db + "-raw", n))
                    for n in os.listdir(desk.db + "-raw"))
    R.figure("spool.bytes", seg_bytes)
    R.figure("spool.dead_bytes", seg_bytes - sum(r[4] for r in spooled))
    q = desk.query("SELECT reason, count(*) FROM quarantine GROUP BY reason")
    R.check("db.no_quarantine", not q, q)
    ticket_of = dict(desk.query("SELECT m.message_id, t.number FROM messages m JOIN tickets t ON t.id = m.ticket_id"))
    n_tickets = desk.query("SELECT count(*) FROM tickets")[0][0]
    R.check("db.one_ticket_per_original", n_tickets == N_ORIGINALS
            and len({ticket_of.get(m) for m, _ in originals}) == N_ORIGINALS, (n_tickets,))
    wrong = [(m, ticket_of.get(m), ticket_of.get(originals[k][0])) for m, k in replies
             if ticket_of.get(m) != ticket_of.get(originals[k][0])]
    R.check("db.follow_ups_on_their_ticket", not wrong, wrong[:5])
    dup_acks = desk.query("SELECT ticket_id, count(*) FROM outbox WHERE kind = 'acknowledgement' "
                          "GROUP BY ticket_id HAVING count(*) > 1")
    R.check("db.one_ack_row_per_ticket", not dup_acks, dup_acks[:5])
    n_acks = desk.query("SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'")[0][0]
    R.check("db.every_ticket_acknowledged", n_acks == N_ORIGINALS, n_acks)
    states = dict(desk.query("SELECT state, count(*) FROM outbox GROUP BY state"))
    R.check("db.outbox_all_sent", set(states) == {"sent"}, states)
    R.figure("db.outbox_rows", sum(states.values()))
    pos = desk.query("SELECT uidvalidity, last_uid FROM mailboxes")
    R.check("db.mailbox_position_at_last_uid", pos and pos[0][1] >= total, pos)
    # SQLite no longer checks the parents of the rows a mail writes (schema
    # 9: events; 14: messages, outbox rows, recipients, participants, agent
    # tokens): after 25 kills, every one of them still has its parent.
    orphans = desk.query(
        "SELECT (SELECT count(*) FROM messages m WHERE m.ticket_id NOT IN (SELECT id FROM tickets)"
        "   OR (m.raw_id IS NOT NULL AND m.raw_id NOT IN (SELECT id FROM raw_mail))),"
        " (SELECT count(*) FROM outbox o WHERE (o.ticket_id IS NOT NULL AND o.ticket_id NOT IN"
        "   (SELECT id FROM tickets)) OR (o.source_message IS NOT NULL AND o.source_message NOT IN"
        "   (SELECT id FROM messages))),"
        " (SELECT count(*) FROM outbox_recipients WHERE outbox_id NOT IN (SELECT id FROM outbox)),"
        " (SELECT count(*) FROM participants WHERE ticket_id NOT IN (SELECT id FROM tickets)),"
        " (SELECT count(*) FROM agent_tokens WHERE ticket_id NOT IN (SELECT id FROM tickets)),"
        " (SELECT count(*) FROM events WHERE (ticket_id IS NOT NULL AND ticket_id NOT IN"
        "   (SELECT id FROM tickets)) OR (message_row IS NOT NULL AND message_row NOT IN"
        "   (SELECT id FROM messages)))")[0]
    R.check("db.no_row_without_its_parent", not any(orphans),
            dict(zip(("messages", "outbox", "recipients", "participants", "agent_tokens", "events"),
                     orphans)))
    R.check("db.integrity_check", desk.query("PRAGMA integrity_check")[0][0] == "ok")

    # ---- the server: INBOX empty, Processed has each mail once ----
    R.check("imap.inbox_empty", stack.count(desk.support) == 0, stack.count(desk.support))
    proc = Counter((x.get("Message-ID") or "").strip().strip("<>")
                   for _, _, x in stack.headers(desk.support, "Processed", fields=("MESSAGE-ID",)))
    R.figure("imap.processed_count", sum(proc.values()))
    R.check("imap.processed_has_all_500", set(all_mids) <= set(proc), len(set(all_mids) - set(proc)))
    R.check("imap.processed_none_twice", all(n == 1 for n in proc.values()) and sum(proc.values()) == total,
            {m: n for m, n in proc.items() if n != 1})

    # ---- what the customers and agents received ----
    empty = h.wait_until(lambda: "Mail queue is empty" in stack.ctl("queue"), 120, 0.5)
    R.check("smtp.postfix_queue_empty", empty, stack.ctl("queue")[:800])
    box = {r[0]: (r[1], r[2]) for r in
           desk.query("SELECT o.message_id, o.kind, t.number FROM outbox o LEFT JOIN tickets t ON t.id = o.ticket_id")}
    copies = Counter()
    acks_by_ticket = defaultdict(set)
    strangers = []
    for user in customers + agents:
        for _, _, x in stack.headers(user, fields=("MESSAGE-ID", "X-TICKETD-TICKET")):
            mid = (x.get("Message-ID") or "").strip().strip("<>")
            copies[mid] += 1
            if mid not in box:
                strangers.append((user, mid))
                continue
            kind, number = box[mid]
            if kind == "acknowledgement":
                acks_by_ticket[number].add(mid)
    resends = {m: n - 1 for m, n in copies.items() if n > 1}
    n_resent = sum(resends.values())
    R.figure("mailboxes.mails_received", sum(copies.values()))
    R.figure("mailboxes.resends_same_message_id", n_resent)
    if resends:
        R.note(f"resent after a crash (same Message-ID): {sorted(resends.items())[:10]}")
    R.check("mailboxes.nothing_but_outbox_rows", not strangers, strangers[:5])
    differing = {n: sorted(s) for n, s in acks_by_ticket.items() if len(s) > 1}
    R.check("mailboxes.no_ack_twice_with_different_message_id", not differing, list(differing.items())[:5])
    R.check("mailboxes.every_ticket_acknowledged", len(acks_by_ticket) == N_ORIGINALS, len(acks_by_ticket))
    lost = [m for m in box if m not in copies]
    R.check("mailboxes.every_sent_row_arrived", not lost, f"{len(lost)} never arrived, e.g. {lost[:5]}")
    by_kind = Counter(box[m][0] for m in copies if m in box)
    R.note(f"received by kind: {dict(by_kind)}")


def claimed_rows(desk):
    """Unsent rows whose claim (taken before SMTP) has not expired: the killed runs' rows in flight."""
    try:
        return desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred') "
                          "AND claimed_until > strftime('%s', 'now')")[0][0]
    except Exception:  # noqa: BLE001 - a build without claims
        return 0


def sent_rows(desk):
    try:
        return desk.query("SELECT count(*) FROM outbox WHERE state = 'sent'")[0][0]
    except Exception:  # noqa: BLE001 - the schema may not exist yet
        return 0


try:
    main()
except Exception:
    R.check("no_exception", False, traceback.format_exc())
finally:
    code = h.finish(R, scratch, stack, args)
sys.exit(code)
