#!/usr/bin/env bash
# stop.sh DIR [--purge] -- stop the mail stack that start.sh started in DIR.
# Only the Postfix and Dovecot masters named by the pid files in DIR (checked
# by executable, since PID 1 here does not reap zombies) and their own
# children are signalled: SIGTERM, then SIGKILL after ~5 s. Idempotent.
# --purge also removes DIR (and the short run directory it may link to).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

dir="" purge=0
for a in "$@"; do
  case "$a" in
    --purge) purge=1 ;;
    -*) echo "usage: $0 DIR [--purge]" >&2; exit 2 ;;
    *) [ -z "$dir" ] || { echo "usage: $0 DIR [--purge]" >&2; exit 2; }; dir=$a ;;
  esac
done
[ -n "$dir" ] || { echo "usage: $0 DIR [--purge]" >&2; exit 2; }
[ -d "$dir" ] || exit 0
ms_load_dir "$dir"

rm -f "$MS_DIR/env"
ms_stop_one postfix "$MS_PF_PID" "$MS_POSTFIX_MASTER_EXE"
ms_stop_one dovecot "$MS_DC_PID" "$MS_DOVECOT_EXE"

left=$(ms_stray_pids all)
[ -z "$left" ] || ms_die "processes still running after stop: $left"

if [ "$purge" = 1 ]; then
  if [ -L "$MS_DIR/run" ]; then
    case "$MS_RUN" in /tmp/mailstack-run.*) rm -rf -- "$MS_RUN" ;; esac
  fi
  rm -rf -- "$MS_DIR"
fi
