#!/bin/bash
# The systemd unit and the install tree.
#   1. `systemd-analyze security --offline=true` on systemd/ticketd.service:
#      prints the overall exposure, fails above 2.0 or on any warning.
#   2. `cmake --install <build> --prefix /usr` into a scratch DESTDIR: the
#      binaries, unit, sysusers/tmpfiles snippets, templates dir and example
#      config are where a package puts them, and `ticketd run` exists.
#   3. `systemd-analyze verify` on the installed unit. Without systemd as PID 1
#      it works offline but insists that ExecStart= exists on this host, so a
#      copy with ExecStart= pointing into the DESTDIR is verified instead.
#   4. As root: systemd-sysusers and systemd-tmpfiles --root=DESTDIR create the
#      ticketd user and the two directories with the intended owners and modes.
# Usage: unit_test.sh <build dir>. Exit 77 (skip) without systemd-analyze.
set -euo pipefail

build=${1:?usage: unit_test.sh <build dir>}
src=$(cd "$(dirname "$0")/../.." && pwd)
unit=$src/systemd/ticketd.service
max_exposure=2.0

if ! command -v systemd-analyze >/dev/null; then
  echo "SKIP: systemd-analyze not installed"
  exit 77
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/ticketd-unit-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# --- 1. exposure ---
if ! systemd-analyze security --offline=true --no-pager "$unit" >"$scratch/security.out" \
  2>"$scratch/security.err"; then
  cat "$scratch/security.out" "$scratch/security.err"
  fail "systemd-analyze security exited non-zero"
fi
if [[ -s $scratch/security.err ]]; then
  cat "$scratch/security.err"
  fail "systemd-analyze security warned about the unit"
fi
exposure=$(sed -n 's/.*Overall exposure level for ticketd\.service: \([0-9.]*\).*/\1/p' \
  "$scratch/security.out")
if [[ -z $exposure ]]; then
  cat "$scratch/security.out"
  fail "no overall exposure figure in the output"
else
  echo "exposure: $exposure (limit $max_exposure)"
  if awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e > m) }'; then
    # The settings that cost something, to say what got worse.
    grep '✗' "$scratch/security.out" || true
    fail "exposure $exposure is above $max_exposure"
  fi
fi

# --- 2. install tree ---
dest=$scratch/dest
if ! DESTDIR=$dest cmake --install "$build" --prefix /usr >"$scratch/install.out" 2>&1; then
  cat "$scratch/install.out"
  fail "cmake --install failed"
fi
for f in usr/bin/ticketd usr/bin/ticketctl; do
  [[ -x $dest/$f ]] || fail "missing executable /$f"
done
for f in usr/lib/systemd/system/ticketd.service usr/lib/sysusers.d/ticketd.conf \
  usr/lib/tmpfiles.d/ticketd.conf usr/share/doc/ticketd/ticketd.example.toml \
  etc/ticketd/ticketd.toml.example; do
  [[ -f $dest/$f ]] || fail "missing file /$f"
done
# The default templates may not have landed yet: the directory is enough.
[[ -d $dest/usr/share/ticketd/templates ]] || fail "missing directory /usr/share/ticketd/templates"
# Never ship a real config: the admin's ticketd.toml must survive a reinstall.
[[ ! -e $dest/etc/ticketd/ticketd.toml ]] || fail "the install tree contains /etc/ticketd/ticketd.toml"
cmp -s "$unit" "$dest/usr/lib/systemd/system/ticketd.service" ||
  fail "installed ticketd.service differs from systemd/ticketd.service"
# The unit's command line must be one the binary accepts.
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[[ $exec_start == /usr/bin/ticketd\ * ]] || fail "ExecStart= does not run /usr/bin/ticketd: $exec_start"
subcommand=$(awk '{ print $2 }' <<<"$exec_start")
# CLI11 answers --help after an unknown subcommand too (with the main usage), so
# look for the subcommand's own usage line.
if [[ -x $dest/usr/bin/ticketd ]] &&
  ! "$dest/usr/bin/ticketd" "$subcommand" --help 2>&1 | grep -Eq "^Usage: [^ ]*ticketd $subcommand( |$)"; then
  fail "ticketd has no '$subcommand' subcommand (ExecStart=$exec_start)"
fi

# --- 3. verify ---
mkdir -p "$scratch/verify"
sed "s|^ExecStart=/usr/bin/ticketd |ExecStart=$dest/usr/bin/ticketd |" "$unit" \
  >"$scratch/verify/ticketd.service"
if ! systemd-analyze verify --man=no "$scratch/verify/ticketd.service" >"$scratch/verify.out" 2>&1; then
  fail "systemd-analyze verify exited non-zero"
fi
# verify exits 0 on unknown keys and bad values ("..., ignoring"): any output fails.
if [[ -s $scratch/verify.out ]]; then
  cat "$scratch/verify.out"
  fail "systemd-analyze verify complained"
fi

# --- 4. sysusers and tmpfiles (they chown, so only as root) ---
if [[ $(id -u) -eq 0 ]] && command -v systemd-sysusers >/dev/null &&
  command -v systemd-tmpfiles >/dev/null; then
  mkdir -p "$dest/etc"
  if ! systemd-sysusers --root="$dest" >"$scratch/sysusers.out" 2>&1; then
    cat "$scratch/sysusers.out"
    fail "systemd-sysusers failed"
  fi
  grep -q '^ticketd:x:[0-9]*:[0-9]*:[^:]*:/var/lib/ticketd:/usr/sbin/nologin$' "$dest/etc/passwd" ||
    fail "sysusers did not create the ticketd user: $(cat "$dest/etc/passwd" 2>/dev/null)"
  if ! systemd-tmpfiles --root="$dest" --create >"$scratch/tmpfiles.out" 2>&1; then
    cat "$scratch/tmpfiles.out"
    fail "systemd-tmpfiles failed"
  fi
  uid=$(awk -F: '$1 == "ticketd" { print $3 }' "$dest/etc/passwd")
  gid=$(awk -F: '$1 == "ticketd" { print $3 }' "$dest/etc/group")
  check_dir() {  # path mode uid gid
    local got
    got=$(stat -c '%a %u %g' "$dest$1" 2>/dev/null || echo missing)
    [[ $got == "$2 $3 $4" ]] || fail "$1: want mode/uid/gid $2 $3 $4, got $got"
  }
  check_dir /etc/ticketd 750 0 "$gid"
  check_dir /var/lib/ticketd 750 "$uid" "$gid"
else
  echo "note: not root, sysusers/tmpfiles not exercised"
fi

if ((failures > 0)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "ok: exposure $exposure, install tree, verify, sysusers/tmpfiles"
