# Shared helpers for scripts/mailstack/{start,stop,ctl}.sh. Sourced, not run.
# shellcheck shell=bash disable=SC2034

ms_die() { echo "mailstack: $*" >&2; exit 1; }

# ms_load_dir DIR: sets MS_DIR (absolute) and the derived paths of a stack.
ms_load_dir() {
  [ -n "${1:-}" ] || ms_die "no stack directory given"
  MS_DIR=$(realpath -m -- "$1")
  MS_PF_CONF="$MS_DIR/postfix/conf"
  MS_PF_DATA="$MS_DIR/postfix/data"
  MS_DC_CONF="$MS_DIR/dovecot/dovecot.conf"
  MS_DC_PASSWD="$MS_DIR/dovecot/passwd"
  MS_LOG="$MS_DIR/log"
  MS_MAIL="$MS_DIR/mail"
  # Dovecot's base_dir and Postfix's queue directory hold unix sockets that
  # are connected to by absolute path (sun_path max 107 bytes), so for a long
  # DIR they live in a short /tmp directory that DIR/run links to.
  MS_RUN="$MS_DIR/run"
  if [ -L "$MS_RUN" ]; then
    MS_RUN=$(readlink -- "$MS_RUN")
  fi
  MS_DC_BASE="$MS_RUN/dovecot"
  MS_DC_PID="$MS_DC_BASE/master.pid"
  MS_PF_QUEUE="$MS_RUN/postfix"
  if [ -r "$MS_PF_CONF/main.cf" ]; then   # the running instance's truth
    local q
    q=$(sed -n 's/^queue_directory = //p' "$MS_PF_CONF/main.cf")
    [ -n "$q" ] && MS_PF_QUEUE=$q
  fi
  MS_PF_PID="$MS_PF_QUEUE/pid/master.pid"
}

# ms_pid_of PIDFILE: prints the pid in the file (Postfix pads it with spaces).
ms_pid_of() {
  local pid=""
  [ -r "$1" ] && read -r pid <"$1" 2>/dev/null
  pid=${pid//[[:space:]]/}
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  echo "$pid"
}

# ms_alive PID EXE: true if PID runs (is not a zombie: zombies have no exe
# link, and PID 1 here does not reap them) and its executable is EXE.
ms_alive() {
  local exe
  exe=$(readlink "/proc/$1/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}
  [ "$exe" = "$2" ]
}

MS_POSTFIX_MASTER_EXE=/usr/lib/postfix/sbin/master
MS_DOVECOT_EXE=/usr/sbin/dovecot

# ms_stray_pids postfix|dovecot|all: live Postfix/Dovecot daemon processes
# (by executable) that belong to this stack: their cwd or root lies in the
# stack's dirs (Postfix daemons chdir to the queue directory, Dovecot's to
# base_dir, the login chroot or a mail home) or, for Postfix, they carry our
# MAIL_CONFIG. A shell that merely sits in DIR is never matched.
ms_stray_pids() {
  local which=${1:-all} p pid exe cwd root kind
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case "$exe" in
      /usr/lib/postfix/sbin/*) kind=postfix ;;
      /usr/sbin/dovecot|/usr/lib/dovecot/*|/usr/bin/doveadm) kind=dovecot ;;
      *) continue ;;
    esac
    [ "$which" = all ] || [ "$which" = "$kind" ] || continue
    cwd=$(readlink "$p/cwd" 2>/dev/null) || cwd=/nonexistent
    root=$(readlink "$p/root" 2>/dev/null) || root=/
    case "$cwd/" in "$MS_DIR/"*|"$MS_RUN/"*) echo "$pid"; continue ;; esac
    case "$root/" in "$MS_DIR/"*|"$MS_RUN/"*) echo "$pid"; continue ;; esac
    if [ "$kind" = postfix ] &&
       { tr '\0' '\n' <"$p/environ"; } 2>/dev/null | grep -qxF "MAIL_CONFIG=$MS_PF_CONF"; then
      echo "$pid"
    fi
  done
}

# ms_stop_one NAME PIDFILE EXE: SIGTERM the master in PIDFILE (only if it is
# EXE), wait up to ~5 s, then SIGKILL; afterwards the same for any of its
# children still around. Idempotent.
ms_stop_one() {
  local name=$1 pidfile=$2 exe=$3 pid i strays
  if pid=$(ms_pid_of "$pidfile") && ms_alive "$pid" "$exe"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      ms_alive "$pid" "$exe" || break
      sleep 0.05
    done
    if ms_alive "$pid" "$exe"; then
      echo "mailstack: $name master $pid ignored SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 40; i++)); do
        ms_alive "$pid" "$exe" || break
        sleep 0.05
      done
    fi
  fi
  # Children (smtpd, imap, ...) normally exit with their master; make sure.
  for ((i = 0; i < 60; i++)); do
    strays=$(ms_stray_pids "$name")
    [ -z "$strays" ] && break
    if [ "$i" -eq 40 ]; then
      # shellcheck disable=SC2086
      kill -KILL $strays 2>/dev/null || true
    elif [ "$i" -eq 0 ]; then
      # shellcheck disable=SC2086
      kill -TERM $strays 2>/dev/null || true
    fi
    sleep 0.05
  done
  rm -f "$pidfile"
}

ms_start_postfix() {
  # 9>&- : never let the daemon inherit start.sh's port-allocation lock.
  /usr/sbin/postfix -c "$MS_PF_CONF" start </dev/null >>"$MS_LOG/postfix-start.log" 2>&1 9>&-
}

ms_start_dovecot() {
  /usr/sbin/dovecot -c "$MS_DC_CONF" </dev/null >>"$MS_LOG/dovecot-start.log" 2>&1 9>&-
}

# ms_wait_port PORT SECONDS: true once 127.0.0.1:PORT accepts a connection.
ms_wait_port() {
  local port=$1 deadline=$((SECONDS + $2))
  while :; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}

# ms_wait_port_closed PORT SECONDS
ms_wait_port_closed() {
  local port=$1 deadline=$((SECONDS + $2))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.05
  done
}
