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
cmake --build "$build" -j"$(nproc)" >/dev/null

scratch=$(mktemp -d /tmp/ticketd-demo.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/ticketd.toml" <<TOML
[store]
path = "ticketd.db"
[support]
address = "support@example.com"
name = "Example IT Support"
[tickets]
prefix = "TD-"
TOML
ticketd="$build/daemon/ticketd"
ticketctl=("$build/daemon/ticketctl" --config "$scratch/ticketd.toml")

echo
echo "== piping the demo mails into ticketd ingest (exit code 0 = safely stored)"
feed() {
  local f=$1
  local out rc=0
  out=$("$ticketd" ingest --config "$scratch/ticketd.toml" -v <"$f" 2>&1) || rc=$?
  # The log line says where the mail went: new ticket, reply, duplicate or quarantine.
  local where
  where=$(sed -n 's/.*outcome=\([a-z_]*\) ticket=\([^ ]*\) detail="\(.*\)"/\1 \2: \3/p' <<<"$out")
  printf '  %-28s exit %s  %s\n' "$(basename "$f")" "$rc" "${where:-$out}"
}
for f in scripts/demo/mails/*.eml; do feed "$f"; done
echo "  (the ERP mail once more, as an MTA retry would deliver it)"
feed scripts/demo/mails/02-cliff-erp-outage.eml

echo
echo "== ticketctl list"
"${ticketctl[@]}" list
echo
echo "== ticketctl show TD-1001"
"${ticketctl[@]}" show TD-1001
echo
echo "== ticketctl show TD-1005 (the stranger who quoted Karen's ticket)"
"${ticketctl[@]}" show TD-1005
