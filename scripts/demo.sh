#!/usr/bin/env bash
# The ticketd demo, over real mail. On a fresh Debian 12 machine, as root, with
# nothing but a clone: installs what is missing (build dependencies; Postfix +
# Dovecot with the system daemons kept from starting), builds ticketd (Release;
# the compiler's output goes to BUILD/build.log), starts a private mail stack
# on 127.0.0.1 high ports (scripts/mailstack), starts `ticketd run` on it and
# plays the demo scenarios as mail over SMTP and IMAP (scripts/demo/play.py):
# customers write in, the IT desk answers, commands and resolves by replying
# to its alert mails, the clock closes the resolved tickets eight days later.
# Then it prints each ticket's timeline (`ticketctl show`) and where every
# mail went. Exits non-zero, naming the step, when a mail does not arrive.
#
# It always cleans up (ticketd stopped by SIGTERM, the mail stack stopped and
# its directory removed) and every run uses a fresh scratch directory, so it
# can run twice in a row. After a failure the logs and the database are kept
# in BUILD/demo-failed/. BUILD_DIR overrides BUILD (default build/release).
set -euo pipefail
t_start=${EPOCHREALTIME/./}
cd "$(dirname "$0")/.."
root=$(pwd)
elapsed() { local now=${EPOCHREALTIME/./}; printf '%d.%d' $(((now - $1) / 1000000)) $(((now - $1) / 100000 % 10)); }

[ "$(id -u)" -eq 0 ] || { echo "demo: run me as root (the mail stack's Postfix and Dovecot start as root)" >&2; exit 1; }

echo "== installing what is missing (build dependencies; Postfix + Dovecot, system daemons kept stopped)"
bash scripts/install-deps.sh
bash scripts/mailstack/install.sh

build=${BUILD_DIR:-$root/build/release}
mkdir -p "$build"
rm -rf "$build/demo-failed"   # an earlier run's leftovers
echo "== building ticketd (Release) in $build, output in $build/build.log"
t_build=${EPOCHREALTIME/./}
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DTICKETD_TESTS=OFF &&
       cmake --build "$build" -j"$(nproc)"; } >"$build/build.log" 2>&1; then
  tail -n 40 "$build/build.log" >&2
  echo "demo: the build failed; the whole output is in $build/build.log" >&2
  exit 1
fi
echo "   built in $(elapsed "$t_build") s"
ticketd=$build/daemon/ticketd
ticketctl=$build/daemon/ticketctl

# The scratch directory: config, database, ticketd's log, the mail stack.
# Postfix and Dovecot run as their own users and must traverse it (mktemp
# makes it 0700).
scratch=$(mktemp -d /tmp/ticketd-demo.XXXXXX)
chmod 0755 "$scratch"

# ticketd run's pid, if it still runs (play.py stops it itself; this is for an
# interrupted run). PID 1 here may not reap zombies: alive = /proc/PID/exe.
ticketd_pid() {
  local pid exe
  pid=$(cat "$scratch/ticketd.pid" 2>/dev/null) || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  [ "${exe% (deleted)}" = "$(readlink -f "$ticketd")" ] && echo "$pid"
}
cleanup() {
  local rc=$? pid i
  trap - EXIT INT TERM
  if pid=$(ticketd_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do ticketd_pid >/dev/null || break; sleep 0.1; done
    if ticketd_pid >/dev/null; then
      echo "demo: ticketd run ($pid) ignored SIGTERM for 20 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  if [ "$rc" -ne 0 ] && [ -d "$scratch" ]; then
    local keep=$build/demo-failed
    rm -rf "$keep"; mkdir -p "$keep"
    cp -a "$scratch"/ticketd.toml "$scratch"/ticketd.log "$scratch"/ticketd.db* "$keep"/ 2>/dev/null || true
    cp -a "$scratch/mailstack/log" "$keep/mailstack-log" 2>/dev/null || true
    if [ -s "$scratch/ticketd.log" ]; then
      echo "---- the last lines of ticketd's log" >&2
      tail -n 25 "$scratch/ticketd.log" >&2
    fi
    echo "demo: failed; ticketd's config, log and database and the mail stack's logs are kept in $keep" >&2
  fi
  bash scripts/mailstack/stop.sh "$scratch/mailstack" --purge ||
    echo "demo: stopping the mail stack in $scratch/mailstack failed" >&2
  rm -rf "$scratch"
  [ "$rc" -ne 0 ] || echo "demo: done in $(elapsed "$t_start") s (the mail part ${play_s:-?} s)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo
echo "== starting a private mail stack (Postfix SMTP + Dovecot IMAP, STARTTLS, 127.0.0.1 only)"
# The demo's people, password "secret"; mail to support+TOKEN@example.com
# lands in support's INBOX.
for a in support nick.moss priya.shah karen.jones cliff.tucker alex.kamal maria.lopez tom.berger sales-ops; do
  echo "$a@example.com secret"
done >"$scratch/users"
echo "it-security@example.org secret" >>"$scratch/users"
bash scripts/mailstack/start.sh "$scratch/mailstack" --users "$scratch/users"
# shellcheck disable=SC1091
. "$scratch/mailstack/env"

# The shipped example config (its teams, agents and routing rules) with the
# database in the scratch directory, plus the mail stack: the outbox goes to
# its SMTP port, ticketd watches support's INBOX and moves what it stored to
# Processed.
printf 'secret\n' >"$scratch/support.password"
chmod 0600 "$scratch/support.password"
{
  sed 's|^path = "/var/lib/ticketd/ticketd.db"|path = "ticketd.db"|' ticketd.example.toml
  cat <<EOF

# ---- added by scripts/demo.sh: the private mail stack
[smtp]
url = "smtp://127.0.0.1:$MAILSTACK_SMTP_PORT"
ca_file = "$MAILSTACK_CA_FILE"

[[mailbox]]
name = "support"
url = "imap://127.0.0.1:$MAILSTACK_IMAP_PORT"
username = "support@example.com"
password_file = "$scratch/support.password"
ca_file = "$MAILSTACK_CA_FILE"
folder = "INBOX"
processed_folder = "Processed"
EOF
} >"$scratch/ticketd.toml"
"$ticketd" check-config --config "$scratch/ticketd.toml"

echo
echo "== ticketd run, and the demo scenarios as mail"
t_play=${EPOCHREALTIME/./}
/usr/bin/python3 scripts/demo/play.py "$scratch" "$ticketd" "$ticketctl"
play_s=$(elapsed "$t_play")

echo
echo "== cleaning up: ticketd stopped, the mail stack stops, $scratch is removed"
# (the EXIT trap does it, and says how long the whole run took)
