#!/usr/bin/python3
"""`ticketd run` against faults, signals and reloads, on a private mail stack.

Its own Postfix + Dovecot (scripts/mailstack/start.sh into the scratch dir),
since it stops Dovecot and changes UIDVALIDITY. Checks:

  1. IMAP server restarted mid-run: Dovecot stopped while the daemon idles, a
     customer mail sent meanwhile (Postfix queues it), Dovecot started: the
     mail becomes a ticket; the lost connection is logged once (not per
     retry) and the reconnection once.
  2. UIDVALIDITY change (doveadm, while the daemon is stopped) with new mail
     and an already-stored mail back in INBOX: logged, full rescan, the new
     mail stored, the old one recognised (no duplicate ticket or entry).
  3. SIGHUP with a valid changed config ([support] name): config_reloaded,
     still running, the new name in the next acknowledgement's From.
  4. SIGHUP with a broken config (unknown key; TOML syntax error): the error
     names file:line:key, still running, the old config kept.
  5. SIGTERM while mail is being ingested: exit 0 within 5 s, nothing lost.
  6. `--once`: exits 0 after storing everything in the mailbox and sending
     the acknowledgements.
  7. A backlog (150 mails, ~300 outbox rows, the default batch and sweep) is
     sent at once, not one outbox.batch per 30 s sweep.
  8. SIGTERM while the SMTP or the IMAP server hangs (accepts the connection,
     never greets): exit 0 within 5 s.
Prints what it measured and 'N passed, M failed'.
"""
import os
import re
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.resilience: `ticketd run` against faults, signals and reloads")
RUN = h.new_run_id()
h.budget(240)  # ctest TIMEOUT is 300 s
scratch = h.scratch_dir("resilience")
stack = None
STEP = 45
CUSTOMERS = [f"cust{i}-{RUN}@example.test" for i in range(12)]
counter = [0]


def customer_mail(i, subject=None, body=None, irt=None):
    """(Message-ID, envelope from, raw) of a customer mail from CUSTOMERS[i]."""
    counter[0] += 1
    mid = f"res-{counter[0]}-{RUN}@customer.example"
    frm = CUSTOMERS[i % len(CUSTOMERS)]
    raw = h.make_mail(f"Customer {i} <{frm}>", desk.support,
                      subject or f"VPN drops every hour ({counter[0]})",
                      body or f"Hello,\nthe VPN drops every hour. Mail {counter[0]}.\n", mid, irt=irt)
    return mid, frm, raw


def send(i, **kw):
    mid, frm, raw = customer_mail(i, **kw)
    stack.smtp_send(frm, desk.support, raw)
    return mid


def wait_ticket(mid, what, timeout=STEP):
    n = h.wait_until(lambda: desk.ticket_of(mid), timeout, 0.05)
    R.check(what, n, f"{mid} not stored after {timeout} s; log tail:\n{desk.log()[-2500:]}")
    return n


def ack_from_name(number, customer, timeout=STEP):
    """The display name in From of the acknowledgement of `number` in the customer's INBOX."""
    got = h.wait_until(lambda: [x for _, _, x in stack.headers(customer)
                                if (x.get("X-Ticketd-Ticket") or "").strip() == number], timeout, 0.1)
    if not got:
        return None
    f = got[0].get("From")
    try:
        return f.addresses[0].display_name
    except (AttributeError, IndexError):
        return str(f)


def counts():
    return dict(tickets=desk.query("SELECT count(*) FROM tickets")[0][0],
                messages=desk.query("SELECT count(*) FROM messages WHERE direction = 'in'")[0][0])


def no_duplicates(what):
    dup = desk.query("SELECT message_id, count(*) FROM messages WHERE message_id IS NOT NULL "
                     "GROUP BY message_id HAVING count(*) > 1")
    R.check(what, not dup, dup)


def inbox_empty(what, timeout=STEP):
    ok = h.wait_until(lambda: stack.count(desk.support) == 0 or None, timeout, 0.2)
    R.check(what, ok, f"{stack.count(desk.support)} mails still in INBOX")


try:
    stack = h.Stack.start_private(
        os.path.join(scratch, "stack"),
        users=[f"support-{RUN}@example.test", f"nick-{RUN}@example.test",
               f"priya-{RUN}@example.test"] + CUSTOMERS)
    R.figure("private_stack.start", round(stack.start_seconds * 1000), "ms")
    desk = h.Desk(args, stack, scratch, RUN)
    # One --once pass sends at most outbox.batch rows; room for all of step 6's.
    desk.extra = {("outbox", "batch"): 500, ("guard", "max_auto_per_recipient"): 1000}
    desk.write_config(desk.base_config())
    desk.start()
    R.check("start.running", desk.running())

    mid0 = send(0)
    n0 = wait_ticket(mid0, "baseline.ticket")

    # ---- 1. the IMAP server restarts under the daemon ----
    time.sleep(0.5)  # back in IDLE
    t_down = time.monotonic()
    stack.stop_imap()
    lost = desk.wait_log(r"imap_(down|connection_lost)", 20)
    R.check("imap_restart.loss_logged", lost, desk.log()[-2000:])
    if lost:
        R.figure("imap_restart.stop_to_loss_logged", round((time.monotonic() - t_down) * 1000), "ms")
    mid1 = send(1, subject="Printer offline on floor 2")
    time.sleep(7)  # several reconnect attempts (backoff 1, 2, 4, 4 s)
    R.check("imap_restart.not_stored_while_down", desk.ticket_of(mid1) is None)
    t_up = time.monotonic()
    stack.start_imap()
    n1 = wait_ticket(mid1, "imap_restart.mail_sent_while_down_becomes_ticket", timeout=60)
    if n1:
        R.figure("imap_restart.server_up_to_ticket", round((time.monotonic() - t_up) * 1000), "ms")
    log = desk.log()
    down_lines = [l for l in log.splitlines() if re.search(r"imap_(down|connection_lost)", l)]
    up_lines = [l for l in log.splitlines() if re.search(r"imap_(up|reconnected)", l)]
    R.check("imap_restart.loss_logged_once", len(down_lines) == 1, down_lines)
    R.check("imap_restart.reconnect_logged_once", len(up_lines) == 1, up_lines or log[-2000:])
    m = re.search(r"failures=(\d+)", up_lines[0]) if up_lines else None
    if m:
        R.figure("imap_restart.failed_attempts_while_down", int(m.group(1)))
    R.check("imap_restart.still_running", desk.running())
    inbox_empty("imap_restart.inbox_empty")

    # ---- 2. UIDVALIDITY changes while the daemon is stopped ----
    rc, secs = desk.term()
    R.check("uidvalidity.stopped", rc == 0, rc)
    before = counts()
    # An already-stored mail back in INBOX (as if the move had been lost) ...
    processed = [(u, x) for u, _, x in stack.headers(desk.support, "Processed")]
    old_uid = [u for u, x in processed if (x.get("Message-ID") or "").strip() == f"<{mid0}>"]
    R.check("uidvalidity.copied_stored_mail_back", old_uid and stack.copy(desk.support, old_uid, "Processed", "INBOX"),
            processed)
    # ... and a new one.
    mid2 = send(2, subject="Outlook asks for my password all the time")
    R.check("uidvalidity.new_mail_in_inbox", h.wait_until(lambda: stack.count(desk.support) == 2, STEP, 0.1),
            stack.count(desk.support))
    uv_old = stack.uidvalidity(desk.support)
    stored_uv = desk.query("SELECT uidvalidity FROM mailboxes WHERE name = 'support'")
    R.check("uidvalidity.position_stored", stored_uv and stored_uv[0][0] == uv_old, (stored_uv, uv_old))
    stack.set_uidvalidity(desk.support, uv_old + 1000)
    uv_new = stack.uidvalidity(desk.support)
    R.check("uidvalidity.changed_on_server", uv_new == uv_old + 1000, (uv_old, uv_new))
    desk.start()
    line = desk.wait_log(r"uidvalidity_changed", 20)
    R.check("uidvalidity.logged", line, desk.log()[-2000:])
    if line:
        R.check("uidvalidity.log_names_both_values", str(uv_old) in line[0] and str(uv_new) in line[0], line)
    n2 = wait_ticket(mid2, "uidvalidity.new_mail_stored")
    inbox_empty("uidvalidity.inbox_empty_after_rescan")
    after = counts()
    R.check("uidvalidity.one_new_ticket_one_new_entry",
            after["tickets"] == before["tickets"] + 1 and after["messages"] == before["messages"] + 1,
            (before, after))
    R.check("uidvalidity.old_mail_recognised_as_duplicate",
            re.search(r"outcome=duplicate|duplicates=1", desk.log()), desk.log()[-2000:])
    no_duplicates("uidvalidity.no_entry_twice")
    stored_uv = desk.query("SELECT uidvalidity FROM mailboxes WHERE name = 'support'")
    R.check("uidvalidity.position_updated", stored_uv and stored_uv[0][0] == uv_new, (stored_uv, uv_new))

    # ---- 3. SIGHUP with a valid changed config ----
    name1 = ack_from_name(n2, CUSTOMERS[2])
    R.check("reload.before_name", name1 == "Example IT Support", name1)
    desk.write_config(desk.base_config(support_name=f"Reloaded Desk {RUN}"))
    t0 = time.monotonic()
    desk.signal(signal.SIGHUP)
    ok = desk.wait_log(r"config_reloaded", 15)
    R.check("reload.logged", ok, desk.log()[-2000:])
    if ok:
        R.figure("reload.sighup_to_logged", round((time.monotonic() - t0) * 1000), "ms")
    time.sleep(0.5)
    R.check("reload.still_running", desk.running(), desk.log()[-1500:])
    mid3 = send(3, subject="Monitor flickers")
    n3 = wait_ticket(mid3, "reload.mail_after_reload_stored")
    name3 = ack_from_name(n3, CUSTOMERS[3]) if n3 else None
    R.check("reload.new_name_used", name3 == f"Reloaded Desk {RUN}", name3)

    # ---- 4. SIGHUP with broken configs: logged, old config kept ----
    good = desk.base_config(support_name=f"Reloaded Desk {RUN}").text()
    lines = good.splitlines()
    at = next(i for i, l in enumerate(lines) if l.strip() == "[tickets]") + 1
    broken = "\n".join(lines[:at] + ['colour = "red"'] + lines[at:]) + "\n"
    bad_line = at + 1
    desk.write_config(broken)
    desk.signal(signal.SIGHUP)
    line = desk.wait_log(r"config_reload_failed", 15)
    R.check("reload_bad_key.logged", line, desk.log()[-2000:])
    if line:
        R.check("reload_bad_key.names_file_line_key",
                re.search(rf"ticketd\.toml:{bad_line}: tickets\.colour", line[0]), line[0])
    time.sleep(0.5)
    R.check("reload_bad_key.still_running", desk.running(), desk.log()[-1500:])

    lines = good.splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("name = ") and "Reloaded" in l)
    syntax = "\n".join(lines[:at] + ['name = "unterminated'] + lines[at + 1:]) + "\n"
    desk.write_config(syntax)
    desk.signal(signal.SIGHUP)
    line = desk.wait_log(r"config_reload_failed", 15, count=2)
    R.check("reload_bad_syntax.logged", line, desk.log()[-2000:])
    if line:
        R.check("reload_bad_syntax.names_file_line", re.search(rf"ticketd\.toml:{at + 1}\b", line[-1]), line[-1])
    time.sleep(0.5)
    R.check("reload_bad_syntax.still_running", desk.running(), desk.log()[-1500:])
    mid4 = send(4, subject="Teams has no sound")
    n4 = wait_ticket(mid4, "reload_bad.mail_still_stored")
    name4 = ack_from_name(n4, CUSTOMERS[4]) if n4 else None
    R.check("reload_bad.old_config_kept", name4 == f"Reloaded Desk {RUN}", name4)
    desk.write_config(good)
    R.check("reload.no_crash_logged", not re.search(r"\bcritical\b", desk.log()), desk.log()[-1500:])

    # ---- 5. SIGTERM while ingesting ----
    rc, secs = desk.term()
    R.check("sigterm_idle.exit0", rc == 0, rc)
    R.check("sigterm_idle.within_5s", secs < 5, f"{secs:.2f} s")
    R.figure("sigterm_idle.exit", round(secs * 1000), "ms")
    before = counts()
    md = stack.maildir(desk.support)
    burst = []
    # Enough that the stop lands mid-ingest: the poller stores 500 mails a
    # commit at over 1,000 mails/s, so 60 would all be stored before SIGTERM.
    for i in range(1500):
        mid, frm, raw = customer_mail(5 + i % 6, subject=f"Burst {i}: keyboard sticky")
        stack.drop_mail(md, raw, f"{int(time.time())}.burst{i}.{RUN}")
        burst.append(mid)
    desk.start()
    first = desk.wait_log(r"mail_stored", 20)
    R.check("sigterm_busy.ingest_started", first, desk.log()[-1500:])
    rc, secs = desk.term()
    R.check("sigterm_busy.exit0", rc == 0, (rc, desk.log()[-1500:]))
    R.check("sigterm_busy.within_5s", secs < 5, f"{secs:.2f} s")
    R.figure("sigterm_busy.exit", round(secs * 1000), "ms")
    stored_now = [m for m in burst if desk.ticket_of(m)]
    left = stack.count(desk.support)
    R.figure("sigterm_busy.stored_before_exit", len(stored_now))
    R.figure("sigterm_busy.left_in_inbox", left)
    R.check("sigterm_busy.stopped_mid_ingest", left > 0,
            "all 1500 were stored before SIGTERM took effect: the stop did not land mid-ingest")
    # Nothing lost: stored + still in INBOX covers every mail (a stored one may still be in INBOX).
    stored_lines = [l for l in desk.log().splitlines() if "mail_stored" in l]
    R.check("sigterm_busy.every_logged_mail_committed", len(stored_now) >= len(stored_lines),
            (len(stored_now), len(stored_lines)))
    R.check("sigterm_busy.nothing_lost", len(stored_now) + left >= len(burst), (len(stored_now), left))

    # ---- 6. --once: one pass, everything in the mailbox stored, exit 0 ----
    # From customers the burst did not use (its 10 mails each hit the guard's ack cap).
    extra = [send(c, subject=f"Docking station {c} not detected") for c in (11, 0, 1)]
    h.wait_until(lambda: stack.count(desk.support) >= left + 3, STEP, 0.1)
    t0 = time.monotonic()
    rc, err = desk.once()
    R.figure("once.seconds", round(time.monotonic() - t0, 2), "s")
    R.check("once.exit0", rc == 0, (rc, err[-2000:]))
    R.check("once.inbox_empty", stack.count(desk.support) == 0, stack.count(desk.support))
    missing = [m for m in burst + extra if not desk.ticket_of(m)]
    R.check("once.everything_stored", not missing, missing)
    no_duplicates("once.no_entry_twice")
    pend = desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred')")[0][0]
    R.figure("once.outbox_left_pending", pend)
    acks_extra = [r for m in extra for r in desk.outbox_rows(desk.ticket_of(m) or "-", "acknowledgement")]
    R.check("once.acks_of_new_mail_sent", len(acks_extra) == 3 and all(r["state"] == "sent" for r in acks_extra),
            acks_extra)
    # Processed holds every stored mail plus the duplicate copied back in step 2.
    R.check("once.processed_total", stack.count(desk.support, "Processed") == counts()["messages"] + 1,
            (stack.count(desk.support, "Processed"), counts()))
    R.check("once.no_process_left", not desk.running())

    # ---- 7. a backlog is sent at once, not one outbox.batch per sweep ----
    # The shipped defaults (batch 50, a sweep every 30 s, the clock - which
    # also nudges the worker - every 60 s): 150 mails queue ~300 rows; the
    # worker must keep going while its passes come back full, or the last
    # acknowledgements wait about (300 / 50) * 30 s = 3 minutes. The SMTP
    # side manages ~90 rows/s here, so 15 s is generous.
    desk.extra = {("guard", "max_auto_per_recipient"): 1000, ("outbox", "batch"): 50,
                  ("daemon", "outbox_interval_seconds"): 30, ("daemon", "clock_interval_seconds"): 60}
    desk.write_config(desk.base_config(support_name=f"Reloaded Desk {RUN}"))
    before = counts()["messages"]
    for i in range(150):
        mid, frm, raw = customer_mail(i, subject=f"Backlog {i}: printer offline")
        stack.drop_mail(md, raw, f"{int(time.time())}.backlog{i}.{RUN}")
    desk.start()
    t0 = time.monotonic()
    ok = h.wait_until(lambda: counts()["messages"] >= before + 150, STEP, 0.05)
    R.check("backlog.stored", ok, counts())
    t_stored = time.monotonic()
    rows = desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred')")[0][0]
    R.figure("backlog.rows_queued", rows)
    R.figure("backlog.ingest_150", round((t_stored - t0) * 1000), "ms")

    def pending():
        return desk.query("SELECT count(*) FROM outbox WHERE state IN ('pending', 'deferred')")[0][0]
    drained = h.wait_until(lambda: pending() == 0, 15, 0.1)
    t_sent = time.monotonic()
    R.check("backlog.sent_without_waiting_for_sweeps", drained,
            f"{pending()} rows still pending 15 s after the mail was stored (sweep every 30 s, "
            f"batch 50); sent lines: {len(desk.log_lines(r'[ ]sent stage=deliver'))}")
    if drained:
        R.figure("backlog.drain", round(t_sent - t_stored, 2), "s")
        R.figure("backlog.send_rate", round(rows / max(t_sent - t_stored, 0.001), 1), "rows/s")
    rc, secs = desk.term()
    R.check("backlog.sigterm_exit0", rc == 0, rc)

    # ---- 8. SIGTERM while a server hangs (accepts, never greets) ----
    # "Exits within a few seconds" must hold while a connection attempt waits
    # for a greeting too (connect timeouts are up to 30 s).
    for which in ("smtp", "imap"):
        silent = h.SilentServer()
        c = desk.base_config(support_name=f"Reloaded Desk {RUN}")
        if which == "smtp":
            c.replace(f'url = "smtp://{h.HOST}:{stack.smtp_port}"', f'url = "smtp://{h.HOST}:{silent.port}"')
            send(5, subject="Hung SMTP: keyboard missing keys")  # an ack to send
        else:
            c.replace(f'url = "imap://{h.HOST}:{stack.imap_port}"', f'url = "imap://{h.HOST}:{silent.port}"')
        desk.write_config(c)
        desk.start()
        got = h.wait_until(lambda: len(silent.conns) > 0, 20, 0.05)
        R.check(f"hung_{which}.daemon_connected", got, desk.log()[-1500:])
        time.sleep(0.5)
        rc, secs = desk.term(timeout=60)
        R.figure(f"hung_{which}.sigterm_exit", round(secs, 2), "s")
        R.check(f"hung_{which}.sigterm_exit0", rc == 0, rc)
        R.check(f"hung_{which}.sigterm_within_5s", secs < 5,
                f"exit took {secs:.1f} s while the {which.upper()} server had not greeted; log tail:\n"
                + "\n".join(desk.log().splitlines()[-4:]))
        silent.close()
    desk.write_config(desk.base_config(support_name=f"Reloaded Desk {RUN}"))
    R.check("logs.every_line_well_formed", not desk.garbled(), desk.garbled()[:5])
except Exception:
    R.check("no_exception", False, traceback.format_exc())
finally:
    code = h.finish(R, scratch, stack, args)
sys.exit(code)
