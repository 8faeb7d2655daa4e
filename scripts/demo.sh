#!/usr/bin/env bash
# The ticketd demo: installs what is missing, builds, and pipes the four demo
# scenarios' mails through `ticketd ingest` (as an MTA would), then shows the
# tickets. Pipe mode only for now; the full mail-stack demo (IMAP + SMTP)
# comes with the daemon. Safe to run twice: every run uses a fresh scratch dir.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
build=${BUILD_DIR:-$root/build/release}
echo "== building ticketd (Release) in $build"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTICKETD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

scratch=$(mktemp -d /tmp/ticketd-demo.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# The shipped example config (its teams, agents and routing rules), with the
# database in the scratch directory.
sed 's|^path = "/var/lib/ticketd/ticketd.db"|path = "ticketd.db"|' ticketd.example.toml >"$scratch/ticketd.toml"
ticketd="$build/daemon/ticketd"
ticketctl=("$build/daemon/ticketctl" --config "$scratch/ticketd.toml")

echo
echo "== customers write in: piping their mails into ticketd ingest (exit 0 = safely stored)"
feed() {
  local name=$1 f=$2
  local out rc=0
  out=$("$ticketd" ingest --config "$scratch/ticketd.toml" -v <"$f" 2>&1) || rc=$?
  # The log line says where the mail went: new ticket, reply, duplicate or quarantine.
  local where
  where=$(sed -n 's/.*outcome=\([a-z_]*\) ticket=\([^ ]*\) detail="\(.*\)"/\1 \2: \3/p' <<<"$out")
  printf '  %-30s exit %s  %s\n' "$name" "$rc" "${where:-$out}"
}
for f in scripts/demo/mails/*.eml; do feed "$(basename "$f")" "$f"; done
echo "  (the ERP mail once more, as an MTA retry would deliver it)"
feed 02-cliff-erp-outage.eml scripts/demo/mails/02-cliff-erp-outage.eml

# An agent (or customer) answers the newest mail of KIND that ticketd queued
# to them on ticket N: the reply carries In-Reply-To, as a mail client does.
answer() {
  local who=$1 name=$2 ticket=$3 kind=$4 body=$5
  local id
  id=$("${ticketctl[@]}" show "$ticket" --json | /usr/bin/python3 scripts/demo/outbox_id.py "$kind" "$who")
  printf 'From: %s <%s>\nTo: support@example.com\nSubject: Re: [#%s]\nMessage-ID: <demo-%s-%s@example.com>\nIn-Reply-To: <%s>\nContent-Type: text/plain; charset=utf-8\n\n%b\n' \
    "$name" "$who" "$ticket" "$RANDOM" "$RANDOM" "$id" "$body" >"$scratch/reply.eml"
  feed "$name on $ticket" "$scratch/reply.eml"
}
echo
echo "== the IT desk works the tickets by mail (commands on the first lines)"
answer nick.moss@example.com "Nick Moss" TD-1001 agent_alert \
  "#priority high\n\nHi Karen, I replaced the outdated recovery address. Please use the reset link again."
answer karen.jones@example.com "Karen Jones" TD-1001 answer "It works again, thank you!"
answer nick.moss@example.com "Nick Moss" TD-1001 agent_alert "#resolve\n\nGreat, closing this one."
answer nick.moss@example.com "Nick Moss" TD-1002 agent_alert \
  "#tag erp\n\nThe application server is back up; please try entering the orders again."
answer priya.shah@example.com "Priya Shah" TD-1003 agent_alert \
  "#note Known Windows 11 driver issue on the T14; rolling back the camera driver."
answer priya.shah@example.com "Priya Shah" TD-1003 agent_alert \
  "Hi Alex, I rolled back the camera driver remotely. Please restart and try Teams again."
answer nick.moss@example.com "Nick Moss" TD-1004 agent_alert \
  "#status pending\n\nHi Maria, please remove the account on the phone and add it with the new server name mail.example.com."

echo
echo "== eight days later: ticketd tick (auto-close of resolved tickets, reminders, SLA)"
"$ticketd" tick --config "$scratch/ticketd.toml" --now $(( $(date +%s) + 8 * 86400 )) -v

echo
echo "== ticketctl list"
"${ticketctl[@]}" list
echo
echo "== ticketctl show TD-1001 (Karen: routed by rule, answered, resolved, auto-closed)"
"${ticketctl[@]}" show TD-1001
echo
echo "== ticketctl show TD-1005 (the stranger who quoted Karen's ticket)"
"${ticketctl[@]}" show TD-1005
echo
echo "== ticketctl outbox (mail decided and waiting for the SMTP sender of the next release)"
"${ticketctl[@]}" outbox
