#!/usr/bin/python3
"""Routing defaults through `ticketd run` and a real mail stack: no ticket goes unheard.

Three small configs a new user would write, none with a [[rule]]:

  A. one team, one agent: check-config is silent; the team is the default, so
     the customer's mail becomes a ticket of that team, assigned to the agent,
     whose INBOX gets the alert; then the whole desk works with that config
     (answer with #priority high relayed, customer reply threaded, a stranger
     quoting the tag kept out, #resolve, closure notice, mail moved);
  B. two teams, no default_team: check-config warns (exit 0, one line naming
     the file); the ticket alerts every agent who is not away (both present
     agents get the alert, the away one does not), and the event log says so;
     `default_team` naming an unknown team is an error (78, file:line:key);
  C. every agent away: nobody is alerted at intake, `ticketctl list
     --unassigned` lists the ticket, and once its first response is overdue
     (1 minute here) the clock alerts all agents.

Prints 'N passed, M failed'.
"""
import os
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

args = h.parse_args(__doc__)
R = h.Results("daemon_it.routing: routing defaults through `ticketd run`")
RUN = h.new_run_id()
h.budget(270)  # ctest TIMEOUT is 300 s
scratch = h.scratch_dir("routing")
STEP = 45


def config(desk, body):
    """A minimal config: the desk's store, mailbox and SMTP, plus `body`."""
    return f"""# routing_test: a minimal config
[store]
path = "{desk.db}"

[support]
address = "{desk.support}"

[outbox]
backoff_seconds = 1
backoff_max_seconds = 4

[smtp]
url = "smtp://{h.HOST}:{desk.stack.smtp_port}"
ca_file = "{desk.stack.ca}"

[daemon]
outbox_interval_seconds = 1
clock_interval_seconds = 2
reconnect_max_seconds = 4

[[mailbox]]
name = "support"
url = "imap://{h.HOST}:{desk.stack.imap_port}"
username = "{desk.support}"
password_file = "{os.path.join(desk.scratch, 'imap.password')}"
ca_file = "{desk.stack.ca}"
folder = "INBOX"
processed_folder = "Processed"
{body}"""


def check_config(desk):
    return subprocess.run([args.ticketd, "check-config", "--config", desk.config_path],
                          capture_output=True, text=True, timeout=60)


def new_desk(tag, body):
    d = os.path.join(scratch, tag)
    os.makedirs(d, exist_ok=True)
    desk = h.Desk(args, stack, d, f"{tag}-{RUN}", agents={})
    stack.adduser(desk.support)
    desk.write_config(config(desk, body))
    return desk


def customer_writes(desk, tag, subject):
    cust = f"cust-{tag}-{RUN}@example.test"
    stack.adduser(cust)
    mid = f"{tag}-{RUN}@customer.test"
    stack.smtp_send(cust, desk.support, h.make_mail(cust, desk.support, subject,
                                                     "Hello, something is broken.\n", mid))
    number = h.wait_until(lambda: desk.ticket_of(mid), STEP, 0.05)
    R.check(f"{tag}.ticket_created", number, desk.log()[-2000:])
    return cust, number


def mail_for(user, number):
    """Waits up to STEP s for a mail about ticket `number` in `user`'s INBOX."""
    return h.wait_until(lambda: [m for _, _, m in stack.headers(user)
                                 if (m.get("X-Ticketd-Ticket") or "").strip() == number], STEP, 0.1)


def events(desk, number, kind):
    return [d for (d,) in desk.query(
        "SELECT e.detail FROM events e JOIN tickets t ON t.id = e.ticket_id "
        "WHERE t.number = ? AND e.kind = ? ORDER BY e.id", number, kind)]


def reply(desk, sender, to_mail, body, tag):
    """`sender` answers `to_mail` (headers of a mail in their INBOX) at its Reply-To."""
    mid = f"{tag}-{RUN}@example.test"
    to = h.addr_of(str(to_mail.get("Reply-To") or to_mail.get("From")))
    raw = h.make_mail(f"<{sender}>", to, "Re: " + str(to_mail.get("Subject")), body, mid,
                      irt=(to_mail.get("Message-ID") or "").strip().strip("<>"))
    stack.smtp_send(sender, to, raw)
    return mid


def work_the_ticket(desk, agent, cust, num, alert):
    """The rest of the help desk with the minimal config: the agent answers the
    alert with a command, the customer's reply threads, a stranger quoting the
    tag gets a ticket of their own, the agent resolves, the customer gets the
    closure notice, and every mail to support was moved to Processed."""
    mid = reply(desk, agent, alert, "#priority high\n\nHi, please switch it off. Ann", "a-ans")
    R.check("a.agent_answer_threaded", h.wait_until(lambda: desk.ticket_of(mid), STEP, 0.1) == num)
    answer = h.wait_until(lambda: [m for _, _, m in stack.headers(cust)
                                   if (m.get("X-Ticketd-Ticket") or "").strip() == num
                                   and "Received" not in str(m.get("Subject"))], STEP, 0.1)
    R.check("a.answer_relayed_to_customer", answer, stack.headers(cust))
    t = desk.ctl("show", num) or {}
    R.check("a.command_priority_high", t.get("priority") == "high", t.get("priority"))
    if answer:
        mid = reply(desk, cust, answer[0], "Done, it stopped smoking.", "a-cust")
        R.check("a.customer_reply_threaded",
                h.wait_until(lambda: desk.ticket_of(mid), STEP, 0.1) == num)
    stranger = f"stranger-{RUN}@example.test"
    stack.adduser(stranger)
    smid = f"a-stranger-{RUN}@example.test"
    stack.smtp_send(stranger, desk.support,
                    h.make_mail(f"<{stranger}>", desk.support, f"Re: [#{num}] Printer on fire",
                                "#resolve\nI take this over.", smid))
    other = h.wait_until(lambda: desk.ticket_of(smid), STEP, 0.1)
    R.check("a.stranger_kept_out", other and other != num, (other, num))
    mid = reply(desk, agent, alert, "#resolve\n\nFixed.", "a-resolve")
    h.wait_until(lambda: desk.ticket_of(mid), STEP, 0.1)
    t = desk.ctl("show", num) or {}
    R.check("a.resolved_by_the_agent", t.get("state") == "resolved", t.get("state"))
    closure = h.wait_until(lambda: [m for _, _, m in stack.headers(cust)
                                    if (m.get("X-Ticketd-Ticket") or "").strip() == num
                                    and "resolved" in str(m.get("Subject")).lower()], STEP, 0.1)
    R.check("a.closure_notice_in_customer_inbox", closure, [str(m.get("Subject"))
                                                           for _, _, m in stack.headers(cust)])
    R.check("a.support_inbox_emptied_into_processed",
            h.wait_until(lambda: stack.count(desk.support) == 0, STEP, 0.1)
            and stack.count(desk.support, "Processed") >= 5,
            (stack.count(desk.support), stack.count(desk.support, "Processed")))


stack = None
desks = []
try:
    stack = h.Stack.shared_or_private(scratch)

    # ---- A. one team, one agent, no rule
    ann = f"ann-{RUN}@example.test"
    stack.adduser(ann)
    a = new_desk("a", f"""
[[team]]
name = "help"

[[agent]]
name = "Ann"
address = "{ann}"
teams = ["help"]
""")
    desks.append(a)
    r = check_config(a)
    R.check("a.check_config_ok", r.returncode == 0, r.stderr)
    R.check("a.check_config_no_warning", "warning" not in r.stderr, r.stderr)
    a.start()
    cust, num = customer_writes(a, "a", "Printer on fire")
    if num:
        got = mail_for(ann, num)
        R.check("a.alert_in_agent_inbox", got, f"nothing for {num} in {ann}'s INBOX; "
                f"outbox {a.outbox_rows(num)}; log:\n{a.log()[-1500:]}")
        t = a.ctl("show", num) or {}
        R.check("a.ticket_team_is_the_only_team", t.get("team") == "help", t)
        R.check("a.ticket_assigned_to_the_agent", t.get("assignee") == ann, t)
        ev = events(a, num, "team")
        R.check("a.event_names_the_default", ev and "default team: the only team" in ev[0], ev)
        if got:
            work_the_ticket(a, ann, cust, num, got[0])
    a.term()

    # ---- B. two teams, no default, no rule
    bob, cat, dan = (f"{n}-{RUN}@example.test" for n in ("bob", "cat", "dan"))
    for u in (bob, cat, dan):
        stack.adduser(u)
    teams_b = f"""
[[team]]
name = "help"

[[team]]
name = "sales"

[[agent]]
name = "Bob"
address = "{bob}"
teams = ["help"]

[[agent]]
name = "Cat"
address = "{cat}"
teams = ["sales"]

[[agent]]
name = "Dan"
address = "{dan}"
teams = ["sales"]
away = true
"""
    b = new_desk("b", teams_b)
    desks.append(b)
    r = check_config(b)
    warn = [l for l in r.stderr.splitlines() if "warning" in l]
    R.check("b.check_config_exit_0", r.returncode == 0, r.stderr)
    R.check("b.check_config_one_warning_line_naming_the_file",
            len(warn) == 1 and b.config_path in warn[0], r.stderr)
    b.start()
    R.check("b.run_logs_the_warning", b.wait_log(r"config_warning", 5), b.log()[-1500:])
    _, num = customer_writes(b, "b", "Where is my order")
    if num:
        got_bob = mail_for(bob, num)
        got_cat = mail_for(cat, num)
        R.check("b.alert_to_present_agent_bob", got_bob, b.outbox_rows(num))
        R.check("b.alert_to_present_agent_cat", got_cat, b.outbox_rows(num))
        alert_rows = b.outbox_rows(num, "agent_alert")
        R.check("b.away_agent_not_alerted",
                alert_rows and all(dan not in row["to"] for row in alert_rows), alert_rows)
        ev = events(b, num, "unrouted")
        R.check("b.event_says_every_present_agent", ev and "every present agent (2)" in ev[0], ev)
    b.term()
    # An unknown default team is a config error naming file, line and key.
    with open(b.config_path) as f:
        text = f.read()
    b.write_config(text.replace("[support]", "[tickets]\ndefault_team = \"nobody\"\n\n[support]", 1))
    r = check_config(b)
    R.check("b.unknown_default_team_exit_78", r.returncode == 78, f"rc={r.returncode} {r.stderr}")
    R.check("b.unknown_default_team_names_file_line_key",
            f"{b.config_path}:" in r.stderr and ": tickets.default_team: unknown team" in r.stderr,
            r.stderr)

    # ---- C. every agent away: listed as unassigned, then the clock alerts all agents
    eve, fay = (f"{n}-{RUN}@example.test" for n in ("eve", "fay"))
    for u in (eve, fay):
        stack.adduser(u)
    c = new_desk("c", f"""
[sla.normal]
first_response_minutes = 1
resolution_hours = 10

[[team]]
name = "help"

[[team]]
name = "sales"

[[agent]]
name = "Eve"
address = "{eve}"
teams = ["help"]
away = true

[[agent]]
name = "Fay"
address = "{fay}"
teams = ["sales"]
away = true
""")
    desks.append(c)
    c.start()
    _, num = customer_writes(c, "c", "Nobody home?")
    if num:
        ev = h.wait_until(lambda: events(c, num, "unassigned"), STEP, 0.1)
        R.check("c.unassigned_event", ev and "the clock alerts every agent" in ev[0], ev)
        listed = c.ctl("list", "--unassigned") or []
        R.check("c.list_unassigned_has_it", any(t.get("number") == num for t in listed), listed)
        table = c.ctl("list", "--unassigned", json_out=False) or ""
        R.check("c.list_unassigned_table_shows_it", num in table and "ASSIGNED" in table, table)
        R.check("c.no_alert_at_intake", not c.outbox_rows(num, "agent_alert"), c.outbox_rows(num))
        # first_response_minutes = 1: the clock (every 2 s) raises it once past due.
        row = h.wait_until(lambda: [x for x in c.outbox_rows(num, "overdue_alert")
                                    if x["state"] == "sent"], 120, 0.5)
        R.check("c.overdue_alert_sent", row, f"{c.outbox_rows(num)}; log:\n{c.log()[-1500:]}")
        if row:
            R.check("c.overdue_alert_to_all_agents", sorted(row[0]["to"]) == sorted([eve, fay]), row)
            got = mail_for(fay, num)
            R.check("c.overdue_alert_in_away_agents_inbox", got, f"nothing in {fay}'s INBOX")
        ev = events(c, num, "sla")
        R.check("c.sla_event_says_all_agents",
                any("overdue" in e and "nobody present: alerting all agents" in e for e in ev), ev)
        listed = c.ctl("list") or []
        R.check("c.list_plain_has_it_too", any(t.get("number") == num for t in listed), listed)
    c.term()
except Exception:
    R.check("no_exception", False, traceback.format_exc())
finally:
    for d in desks:
        try:
            d.term()
        except Exception:
            pass
    code = h.finish(R, scratch, stack, args)
sys.exit(code)
