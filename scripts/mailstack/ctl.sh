#!/usr/bin/env bash
# ctl.sh DIR COMMAND ... -- poke a running mail stack (see start.sh).
#
#   adduser ADDRESS PASSWORD  add a mailbox (Dovecot re-reads its passwd file,
#                             Postfix's recipient map is rebuilt; a new domain
#                             is added to virtual_mailbox_domains + reload)
#   access ADDRESS ACTION     Postfix check_recipient_access rule for ADDRESS
#                             (and ADDRESS+anything), e.g. "450 4.2.0 try
#                             again later", "550 5.1.1 no such user", "REJECT";
#                             "DUNNO" removes the rule. Applies from the next
#                             SMTP connection on (an SMTP session already open
#                             keeps the old rules until it ends).
#   stop-smtp | start-smtp    stop/start Postfix alone (all three SMTP ports)
#   stop-imap | start-imap    stop/start Dovecot alone (IMAP, IMAPS, and LMTP:
#                             Postfix defers deliveries meanwhile; start-imap
#                             flushes the queue so they arrive at once)
#   flush                     ask Postfix to retry deferred mail now
#   queue                     list Postfix's queue (postqueue -p)
#   mailbox ADDRESS           print the maildir path of ADDRESS
#   env                       print DIR/env
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
[ $# -ge 2 ] || usage
ms_load_dir "$1"
cmd=$2
shift 2
[ -r "$MS_DIR/env" ] || [ "$cmd" = mailbox ] ||
  ms_die "no running stack in $MS_DIR (no env file)"

# Commands that rewrite the stack's maps take turns (tests run in parallel).
case "$cmd" in
  adduser|access) exec 9>"$MS_DIR/ctl.lock"; flock 9 ;;
esac

env_get() { sed -n "s/^$1=//p" "$MS_DIR/env" 2>/dev/null | head -n1; }

smtp_ports() { for k in SMTP SMTPS SUBMISSION; do env_get "MAILSTACK_${k}_PORT"; done; }
imap_ports() { for k in IMAP IMAPS; do env_get "MAILSTACK_${k}_PORT"; done; }

postfix_running() {
  local pid
  pid=$(ms_pid_of "$MS_PF_PID") && ms_alive "$pid" "$MS_POSTFIX_MASTER_EXE"
}
dovecot_running() {
  local pid
  pid=$(ms_pid_of "$MS_DC_PID") && ms_alive "$pid" "$MS_DOVECOT_EXE"
}

# postfix_reload: reload and wait (<= 2 s) until the smtpd processes that
# existed before have exited, so the next connection gets a fresh smtpd that
# reads the new tables. Idle ones exit at once; busy ones finish their session.
postfix_reload() {
  postfix_running || return 0
  local master old=() p i
  master=$(ms_pid_of "$MS_PF_PID")
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/exe" 2>/dev/null)" = /usr/lib/postfix/sbin/smtpd ] || continue
    [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$master" ] && old+=("${p#/proc/}")
  done
  /usr/sbin/postfix -c "$MS_PF_CONF" reload >>"$MS_LOG/postfix-start.log" 2>&1
  for ((i = 0; i < 40 && ${#old[@]} > 0; i++)); do
    local still=()
    for p in "${old[@]}"; do [ -e "/proc/$p/exe" ] && still+=("$p"); done
    old=("${still[@]+"${still[@]}"}")
    [ ${#old[@]} -eq 0 ] && break
    sleep 0.05
  done
}

lc() { printf '%s' "${1,,}"; }
strip_ext() { local a=$1 l=${1%@*}; printf '%s@%s' "${l%%+*}" "${a##*@}"; }

case "$cmd" in
  adduser)
    [ $# -eq 2 ] || usage
    addr=$(lc "$1") pass=$2
    case "$addr" in *?@?*.?*) ;; *) ms_die "bad address $addr" ;; esac
    case "$addr$pass" in *:*|*' '*) ms_die "address/password may not contain ':' or spaces" ;; esac
    awk -F: -v a="$addr" '$1 != a' "$MS_DC_PASSWD" >"$MS_DC_PASSWD.new"
    printf '%s:{PLAIN}%s\n' "$addr" "$pass" >>"$MS_DC_PASSWD.new"
    chown root:dovecot "$MS_DC_PASSWD.new"; chmod 0640 "$MS_DC_PASSWD.new"
    mv -f "$MS_DC_PASSWD.new" "$MS_DC_PASSWD"
    if ! awk -v a="$addr" '$1 == a {f = 1} END {exit !f}' "$MS_PF_CONF/vmailbox"; then
      printf '%s OK\n' "$addr" >>"$MS_PF_CONF/vmailbox"
    fi
    /usr/sbin/postmap -c "$MS_PF_CONF" "hash:$MS_PF_CONF/vmailbox"
    dom=${addr#*@}
    domains=$(/usr/sbin/postconf -c "$MS_PF_CONF" -h virtual_mailbox_domains)
    case " ${domains//,/ } " in
      *" $dom "*) ;;
      *) /usr/sbin/postconf -c "$MS_PF_CONF" -e "virtual_mailbox_domains = $domains $dom"
         # back-date: Postfix waits ~2 s for a main.cf changed this second
         touch -d "@$(( ${EPOCHREALTIME%.*} - 10 ))" "$MS_PF_CONF/main.cf"
         sed -i "s/^MAILSTACK_DOMAINS=.*/&,$dom/" "$MS_DIR/env" ;;
    esac
    postfix_reload   # new smtpd processes see the rebuilt map at once
    # Dovecot stats the passwd file at most once a second: wait until its
    # auth process knows the user, so LMTP won't reject mail for it.
    if dovecot_running; then
      for ((i = 0; i < 50; i++)); do
        /usr/bin/doveadm -c "$MS_DC_CONF" user "$addr" >/dev/null 2>&1 && break
        sleep 0.1
      done
      [ "$i" -lt 50 ] || ms_die "dovecot does not see $addr after 5 s"
    fi
    ;;
  access)
    [ $# -eq 2 ] || usage
    addr=$(lc "$1") action=$2
    tbl=$MS_PF_CONF/recipient_access
    awk -v a="$addr" '$1 != a' "$tbl" >"$tbl.new"
    case "${action^^}" in
      DUNNO|'') ;;
      *) printf '%s %s\n' "$addr" "$action" >>"$tbl.new" ;;
    esac
    mv -f "$tbl.new" "$tbl"
    /usr/sbin/postmap -c "$MS_PF_CONF" "hash:$tbl"
    postfix_reload
    ;;
  stop-smtp)
    ms_stop_one postfix "$MS_PF_PID" "$MS_POSTFIX_MASTER_EXE"
    for p in $(smtp_ports); do ms_wait_port_closed "$p" 5 || ms_die "port $p still open"; done
    ;;
  start-smtp)
    postfix_running || ms_start_postfix || ms_die "postfix did not start; see $MS_LOG/postfix-start.log"
    for p in $(smtp_ports); do ms_wait_port "$p" 20 || ms_die "port $p not open after 20 s; see $MS_LOG/postfix.log"; done
    ;;
  stop-imap)
    ms_stop_one dovecot "$MS_DC_PID" "$MS_DOVECOT_EXE"
    for p in $(imap_ports); do ms_wait_port_closed "$p" 5 || ms_die "port $p still open"; done
    ;;
  start-imap)
    dovecot_running || ms_start_dovecot || ms_die "dovecot did not start; see $MS_LOG/dovecot-start.log"
    for p in $(imap_ports); do ms_wait_port "$p" 20 || ms_die "port $p not open after 20 s; see $MS_LOG/dovecot.log"; done
    if postfix_running; then /usr/sbin/postqueue -c "$MS_PF_CONF" -f; fi
    ;;
  flush)
    /usr/sbin/postqueue -c "$MS_PF_CONF" -f
    ;;
  queue)
    /usr/sbin/postqueue -c "$MS_PF_CONF" -p
    ;;
  mailbox)
    [ $# -eq 1 ] || usage
    addr=$(strip_ext "$(lc "$1")")
    echo "$MS_MAIL/${addr#*@}/${addr%@*}"
    ;;
  env)
    cat "$MS_DIR/env"
    ;;
  *) usage ;;
esac
