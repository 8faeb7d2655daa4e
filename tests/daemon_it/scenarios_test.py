#!/usr/bin/python3
"""The four demo scenarios end to end through `ticketd run` and a real mail stack.

`ticketd run` runs in the background against the ctest fixture's Postfix +
Dovecot (TICKETD_MAILSTACK_ENV; a private stack when run by hand without it),
with the shipped example config (its teams, agents and rules) and per-run
mailboxes, so parallel tests never share one. For Karen (locked out), Cliff
(ERP outage), Alex (camera) and Maria (phone sync), over SMTP and IMAP only:

  customer mail by SMTP -> ticket, routed by the example's rules -> the
  acknowledgement in the customer's INBOX -> the agent alert in the agent's
  INBOX -> the agent's reply to the alert's Reply-To (commands at the top)
  relayed to the customer -> the customer's reply threaded onto the ticket ->
  the agent's `#resolve` -> the closure notice in the customer's INBOX.

Also: IDLE latency (SMTP send -> ticket stored, and -> acknowledgement in the
customer's INBOX; printed in ms, asserted only under a generous bound);
processed mail moved out of INBOX into Processed; a mail a human marked
\\Seen before the daemon saw it is still ingested. Prints 'N passed, M failed'.
"""
import os
import re
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.scenarios: the four demo scenarios through `ticketd run`")
RUN = h.new_run_id()
h.budget(240)  # ctest TIMEOUT is 300 s
scratch = h.scratch_dir("scenarios")
stack = None
DEMO = os.path.join(h.ROOT, "scripts/demo/mails")
LATENCY_BOUND_S = 30.0   # generous: the figure printed is what matters
STEP_TIMEOUT = 45


def demo_mail(file, subst):
    """A demo mail with the run's addresses and Message-IDs (unique per run)."""
    with open(os.path.join(DEMO, file), "rb") as f:
        raw = f.read().decode("utf-8")
    for old, new in subst.items():
        raw = raw.replace(old, new)
    raw = re.sub(r"(?mi)^(Message-ID: <)([^@>]+)@", lambda m: f"{m.group(1)}{m.group(2)}.{RUN}@", raw)
    mid = re.search(r"(?mi)^Message-ID: <([^>]+)>", raw).group(1)
    raw = raw.replace("\r\n", "\n").replace("\n", "\r\n")
    return mid, raw.encode("utf-8")


def wait_in_inbox(user, pred, what, timeout=STEP_TIMEOUT):
    got = h.wait_until(lambda: [x for _, _, x in stack.headers(user) if pred(x)], timeout, 0.1)
    R.check(what, got, f"nothing in {user}'s INBOX after {timeout} s")
    return got or []


def wait_row(number, kind, count=1, timeout=STEP_TIMEOUT):
    """The `count`-th outbox row of `kind` on the ticket once it is sent."""
    def sent():
        rows = desk.outbox_rows(number, kind)
        return rows[count - 1] if len(rows) >= count and rows[count - 1]["state"] == "sent" else None
    row = h.wait_until(sent, timeout, 0.1)
    R.check(f"{number}.{kind}#{count}.sent", row,
            f"outbox of {number}: {desk.outbox_rows(number)}")
    return row


def by_mid(mid):
    return lambda m: (m.get("Message-ID") or "").strip() == f"<{mid}>"


try:
    stack = h.Stack.shared_or_private(scratch)
    desk = h.Desk(args, stack, scratch, RUN)
    users = {k: f"{k}-{RUN}@example.test" for k in
             ("karen", "cliff", "alex", "maria", "tom", "salesops", "nick", "priya", "support")}
    for a in users.values():
        stack.adduser(a)
    subst = {"karen.jones@example.com": users["karen"], "cliff.tucker@example.com": users["cliff"],
             "alex.kamal@example.com": users["alex"], "maria.lopez@example.com": users["maria"],
             "tom.berger@example.com": users["tom"], "sales-ops@example.com": users["salesops"],
             "support@example.com": desk.support}
    # The stack's own latency, to read the figures below by: SMTP send -> the
    # mail visible to a poll, and -> an IDLE client told (Dovecot waits ~0.5 s).
    probe, idle = [], []
    for i in range(3):
        before = stack.count(users["tom"])
        t0 = time.monotonic()
        stack.smtp_send(users["salesops"], users["tom"],
                        h.make_mail(users["salesops"], users["tom"], f"probe {i}", "probe", f"probe-{i}-{RUN}@x.test"))
        h.wait_until(lambda: stack.count(users["tom"]) > before, 30, 0.01)
        probe.append((time.monotonic() - t0) * 1000)
        idle.append((stack.idle_latency(users["tom"], users["salesops"]) or 99) * 1000)
    R.figure("latency.stack_only.smtp_send_to_inbox_median", round(sorted(probe)[1]), "ms")
    R.figure("latency.stack_only.smtp_send_to_idle_exists_median", round(sorted(idle)[1]), "ms")
    desk.write_config(desk.base_config())
    r = subprocess.run([args.ticketd, "check-config", "--config", desk.config_path],
                       capture_output=True, text=True, timeout=60)
    R.check("config.valid", r.returncode == 0, r.stderr)
    desk.start()
    R.check("daemon.started", desk.running(), desk.log())
    # Let the poller log in, find the empty INBOX and enter IDLE before measuring.
    time.sleep(1.0)

    # ---- 1. customers write in (one at a time, measuring the latency) ----
    scen = [  # key, demo file, expected routing
        ("karen", "01-karen-locked-out.eml", dict(team="accounts", tags={"login"}, priority="normal")),
        ("cliff", "02-cliff-erp-outage.eml", dict(team="it", tags={"outage"}, priority="urgent")),
        ("alex", "03-alex-camera.eml", dict(team="desktop", tags={"hardware"}, priority="normal")),
        ("maria", "04-maria-email-sync.eml", dict(team="it", tags=set(), priority="normal")),
    ]
    T = {}         # key -> {mid, number, ...}
    sent_to_support = 0
    lat_ticket, lat_ack = [], []
    for key, file, want in scen:
        mid, raw = demo_mail(file, subst)
        rcpts = [desk.support] + ([users["tom"]] if key == "maria" else []) + \
                ([users["salesops"]] if key == "cliff" else [])
        t0 = time.monotonic()
        stack.smtp_send(users[key], rcpts, raw)
        t_sent = time.monotonic()
        sent_to_support += 1
        number = h.wait_until(lambda: desk.ticket_of(mid), STEP_TIMEOUT, 0.01)
        t_ticket = time.monotonic()
        R.check(f"{key}.ticket_created", number, f"{mid} not stored after {STEP_TIMEOUT} s; log:\n"
                + desk.log()[-2000:])
        if not number:
            continue
        ack = h.wait_until(lambda: [x for _, _, x in stack.headers(users[key])
                                    if (x.get("X-Ticketd-Ticket") or "").strip() == number], STEP_TIMEOUT, 0.02)
        t_ack = time.monotonic()
        R.check(f"{key}.ack_in_customer_inbox", ack, f"no mail for {number} in {users[key]}'s INBOX")
        ms_ticket, ms_ack = (t_ticket - t0) * 1000, (t_ack - t0) * 1000
        lat_ticket.append(ms_ticket)
        lat_ack.append(ms_ack)
        R.figure(f"latency.{key}.smtp_send_to_ticket", round(ms_ticket), "ms")
        R.figure(f"latency.{key}.smtp_send_to_ack_in_inbox", round(ms_ack), "ms")
        R.check(f"{key}.latency_bound", ms_ack < LATENCY_BOUND_S * 1000, f"{ms_ack:.0f} ms")
        T[key] = dict(mid=mid, number=number, ack=ack[0] if ack else None, want=want)
    if lat_ticket:
        R.figure("latency.max.smtp_send_to_ticket", round(max(lat_ticket)), "ms")
        R.figure("latency.max.smtp_send_to_ack_in_inbox", round(max(lat_ack)), "ms")
    R.check("tickets.four_distinct", len({t["number"] for t in T.values()}) == 4, T)

    # ---- 2. routing, acknowledgement headers, agent alerts ----
    for key, t in T.items():
        n = t["number"]
        show = desk.ctl("show", n) or {}
        w = t["want"]
        R.check(f"{key}.routed_team_{w['team']}", show.get("team") == w["team"], show.get("team"))
        R.check(f"{key}.priority_{w['priority']}", show.get("priority") == w["priority"], show.get("priority"))
        R.check(f"{key}.tags", w["tags"] <= set(show.get("tags", [])), show.get("tags"))
        ackrow = wait_row(n, "acknowledgement")
        a = t["ack"]
        if ackrow and a is not None:
            R.check(f"{key}.ack_message_id_is_the_outbox_row",
                    (a.get("Message-ID") or "").strip() == f"<{ackrow['message_id']}>",
                    (a.get("Message-ID"), ackrow["message_id"]))
            R.check(f"{key}.ack_in_reply_to_customer_mail",
                    (a.get("In-Reply-To") or "").strip() == f"<{t['mid']}>", a.get("In-Reply-To"))
            R.check(f"{key}.ack_subject_tag", f"[#{n}]" in str(a.get("Subject")), a.get("Subject"))
            R.check(f"{key}.ack_from_support", h.addr_of(a.get("From")) == desk.support, a.get("From"))
        alert = wait_row(n, "agent_alert")
        if not alert:
            continue
        agent = alert["to"][0]
        R.check(f"{key}.alert_to_a_team_agent", agent in (users["nick"], users["priya"]), alert["to"])
        got = wait_in_inbox(agent, by_mid(alert["message_id"]), f"{key}.alert_in_agent_inbox")
        if got:
            t["agent"] = agent
            t["alert"] = got[0]
            R.check(f"{key}.alert_reply_to_is_a_token_address",
                    re.fullmatch(rf"support-{RUN}\+[^@]+@example\.test", h.addr_of(got[0].get("Reply-To"))),
                    got[0].get("Reply-To"))

    # ---- 3. agents answer by mail, commands on the first lines ----
    answers = {
        "karen": "#priority high\n\nHi Karen, I replaced the outdated recovery address. "
                 "Please use the reset link again.",
        "cliff": "#tag erp\n\nThe application server is back up; please try entering the orders again.",
        "alex": "#tag driver\n\nHi Alex, I rolled back the camera driver remotely. "
                "Please restart and try Teams again.",
        "maria": "#status pending\n\nHi Maria, please remove the account on the phone and add it "
                 "with the new server name mail.example.com.",
    }
    for key, t in T.items():
        if "alert" not in t:
            continue
        a = t["alert"]
        t["answer_mid"] = f"answer-{key}-{RUN}@example.test"
        raw = h.make_mail(f"Agent <{t['agent']}>", str(a.get("Reply-To")), "Re: " + str(a.get("Subject")),
                          answers[key] + "\n\n> quoted alert text\n",
                          t["answer_mid"], irt=(a.get("Message-ID") or "").strip().strip("<>"))
        stack.smtp_send(t["agent"], h.addr_of(a.get("Reply-To")), raw)
        sent_to_support += 1
    for key, t in T.items():
        if "answer_mid" not in t:
            continue
        n = t["number"]
        stored = h.wait_until(lambda: desk.ticket_of(t["answer_mid"]), STEP_TIMEOUT, 0.1)
        R.check(f"{key}.agent_reply_threaded", stored == n, (stored, n))
        row = wait_row(n, "answer")
        if row:
            got = wait_in_inbox(users[key], by_mid(row["message_id"]), f"{key}.answer_relayed_to_customer")
            if got:
                t["answer"] = got[0]
                R.check(f"{key}.answer_reply_to_token",
                        re.fullmatch(rf"support-{RUN}\+[^@]+@example\.test", h.addr_of(got[0].get("Reply-To"))),
                        got[0].get("Reply-To"))
        show = desk.ctl("show", n) or {}
        if key == "karen":
            R.check("karen.command_priority_high", show.get("priority") == "high", show.get("priority"))
        if key == "cliff":
            R.check("cliff.command_tag_erp", "erp" in show.get("tags", []), show.get("tags"))
        if key == "alex":
            R.check("alex.command_tag_driver", "driver" in show.get("tags", []), show.get("tags"))
        if key == "maria":
            R.check("maria.command_status_pending", show.get("state") == "pending", show.get("state"))
        if "answer" in t:
            raws = [raw for _, raw in stack.fetch_all(users[key])
                    if f"<{row['message_id']}>".encode() in raw]
            body = raws[0].decode(errors="replace") if raws else ""
            R.check(f"{key}.answer_carries_the_text", answers[key].split("\n\n")[1][:20] in body.replace("=\r\n", ""),
                    body[-800:])
            R.check(f"{key}.answer_without_the_commands",
                    body and not re.search(r"(?m)^#(priority|tag|status)", body), body[-800:])

    # ---- 4. customers reply to the answer; it threads; the agent is alerted ----
    tickets_before = desk.query("SELECT count(*) FROM tickets")[0][0]
    for key, t in T.items():
        if "answer" not in t:
            continue
        a = t["answer"]
        t["reply_mid"] = f"reply-{key}-{RUN}@example.test"
        raw = h.make_mail(f"{key.title()} <{users[key]}>", str(a.get("Reply-To")),
                          "Re: " + str(a.get("Subject")),
                          "It works again, thank you!\n\n> " + answers[key].splitlines()[-1][:60],
                          t["reply_mid"], irt=(a.get("Message-ID") or "").strip().strip("<>"))
        stack.smtp_send(users[key], h.addr_of(a.get("Reply-To")), raw)
        sent_to_support += 1
    for key, t in T.items():
        if "reply_mid" not in t:
            continue
        n = t["number"]
        stored = h.wait_until(lambda: desk.ticket_of(t["reply_mid"]), STEP_TIMEOUT, 0.1)
        R.check(f"{key}.customer_reply_threaded", stored == n, (stored, n))
        alert2 = wait_row(n, "agent_alert", count=2)
        if alert2:
            got = wait_in_inbox(t["agent"], by_mid(alert2["message_id"]), f"{key}.reply_alert_in_agent_inbox")
            if got:
                t["alert2"] = got[0]
    R.check("customer_replies.no_new_ticket",
            desk.query("SELECT count(*) FROM tickets")[0][0] == tickets_before,
            desk.query("SELECT number, subject FROM tickets"))

    # ---- 5. the agent resolves by mail; the customer gets the closure notice ----
    for key, t in T.items():
        a = t.get("alert2") or t.get("alert")
        if a is None:
            continue
        t["resolve_mid"] = f"resolve-{key}-{RUN}@example.test"
        raw = h.make_mail(f"Agent <{t['agent']}>", str(a.get("Reply-To")), "Re: " + str(a.get("Subject")),
                          "#resolve\n\nGreat, closing this one.", t["resolve_mid"],
                          irt=(a.get("Message-ID") or "").strip().strip("<>"))
        stack.smtp_send(t["agent"], h.addr_of(a.get("Reply-To")), raw)
        sent_to_support += 1
    for key, t in T.items():
        if "resolve_mid" not in t:
            continue
        n = t["number"]
        row = wait_row(n, "closure")
        if row:
            wait_in_inbox(users[key], by_mid(row["message_id"]), f"{key}.closure_in_customer_inbox")
        show = desk.ctl("show", n) or {}
        R.check(f"{key}.resolved", show.get("state") == "resolved", show.get("state"))

    # ---- 6. every mail the customers got arrived once ----
    for key in T:
        mids = [(x.get("Message-ID") or "").strip() for _, _, x in stack.headers(users[key])]
        dups = sorted({m for m in mids if mids.count(m) > 1})
        R.check(f"{key}.no_mail_twice", not dups, dups)

    # ---- 7. processed mail left INBOX for Processed ----
    empty = h.wait_until(lambda: stack.count(desk.support) == 0 or None, STEP_TIMEOUT, 0.2)
    R.check("processed.inbox_empty", empty is not None,
            f"{stack.count(desk.support)} mails left in INBOX")
    n_processed = stack.count(desk.support, "Processed")
    R.figure("processed.mails_in_Processed", n_processed)
    R.check("processed.all_in_Processed", n_processed == sent_to_support, (n_processed, sent_to_support))

    # ---- 8. a mail a human marked \Seen before the daemon saw it is still a ticket ----
    rc, secs = desk.term()
    R.check("seen.daemon_stopped_cleanly", rc == 0, (rc, desk.log()[-1500:]))
    R.figure("sigterm.exit_idle", round(secs * 1000), "ms")
    seen_mid, raw = demo_mail("03-alex-camera.eml", subst)
    seen_mid2 = seen_mid.replace(f".{RUN}@", f".seen.{RUN}@")
    raw = raw.replace(seen_mid.encode(), seen_mid2.encode()).replace(
        b"Subject: =?utf-8?Q?Laptop_camera", b"Subject: =?utf-8?Q?Second_laptop_camera")
    stack.smtp_send(users["alex"], desk.support, raw)
    sent_to_support += 1
    arrived = h.wait_until(lambda: [u for u, _, x in stack.headers(desk.support) if by_mid(seen_mid2)(x)],
                           STEP_TIMEOUT, 0.1)
    R.check("seen.delivered_to_inbox", arrived)
    if arrived:
        R.check("seen.marked_seen_by_a_human", stack.mark_seen(desk.support, arrived[0]))
        flags = [f for u, f, x in stack.headers(desk.support) if u == arrived[0]]
        R.check("seen.flag_is_set", flags and "\\Seen" in flags[0], flags)
    desk.start()
    number = h.wait_until(lambda: desk.ticket_of(seen_mid2), STEP_TIMEOUT, 0.1)
    R.check("seen.still_ingested", number, desk.log()[-2000:])
    R.check("seen.new_ticket", number and number not in {t["number"] for t in T.values()}, number)
    empty = h.wait_until(lambda: stack.count(desk.support) == 0 or None, STEP_TIMEOUT, 0.2)
    R.check("seen.moved_out_of_inbox", empty is not None)
    R.check("seen.in_Processed", any(by_mid(seen_mid2)(x) for _, _, x in stack.headers(desk.support, "Processed")))
    R.check("processed.total_in_Processed", stack.count(desk.support, "Processed") == sent_to_support,
            (stack.count(desk.support, "Processed"), sent_to_support))

    # ---- 9. the logs ----
    rc, secs = desk.term()
    R.check("daemon.sigterm_exit0", rc == 0, rc)
    R.check("daemon.sigterm_within_5s", secs < 5, f"{secs:.2f} s")
    logs = desk.all_logs()
    stored = [l for l in logs.splitlines() if "mail_stored" in l]
    R.check("log.mail_stored_lines", len(stored) == sent_to_support, (len(stored), sent_to_support))
    R.check("log.mail_stored_fields",
            stored and all(re.search(r"stage=persist .*ticket=\S+ message_id=<[^>]+> .*mailbox=support uid=\d+", l)
                           for l in stored), stored[:3])
    R.check("log.moved_lines", re.search(r"\bmoved stage=ack mailbox=support", logs), logs[-1500:])
    R.check("log.sent_lines", re.search(r"\bsent stage=deliver ticket=\S+ kind=acknowledgement message_id=<", logs))
    bad = [l for l in logs.splitlines() if re.search(r"\b(error|critical)\b", l)]
    R.check("log.no_errors", not bad, bad[:10])
    R.check("log.every_line_well_formed", not desk.garbled(), desk.garbled()[:5])
    dup = desk.query("SELECT message_id, count(*) FROM messages WHERE message_id IS NOT NULL "
                     "GROUP BY message_id HAVING count(*) > 1")
    R.check("db.no_mail_stored_twice", not dup, dup)
except Exception:
    R.check("no_exception", False, traceback.format_exc())
finally:
    code = h.finish(R, scratch, stack, args)
sys.exit(code)
