#!/usr/bin/env bash
# start.sh DIR [--users FILE] -- start a private Postfix + Dovecot mail stack
# for ticketd's integration tests and demo. Needs root; install the packages
# with scripts/mailstack/install.sh first. Stop it with stop.sh DIR [--purge];
# poke it with ctl.sh DIR ... (adduser, access, stop-/start-smtp|imap, ...).
#
# What runs (all on 127.0.0.1, nothing from /etc/postfix or /etc/dovecot):
#   Postfix (postfix -c DIR/postfix/conf start; queue + pid in DIR/run/postfix)
#     SMTP        10025  STARTTLS offered, no AUTH; anyone may send to our
#                        domains, nobody may relay elsewhere (554 5.7.1 Relay
#                        access denied; mynetworks=127.0.0.0/8)
#     SMTPS       10465  implicit TLS (smtpd_tls_wrappermode); AUTH offered
#                        but not required
#     submission  10587  AUTH required (SASL via Dovecot's auth socket, PLAIN
#                        and LOGIN), offered only after STARTTLS
#                        (smtpd_tls_security_level=encrypt, smtpd_tls_auth_only)
#   Dovecot 2.3 (dovecot -c DIR/dovecot/dovecot.conf; base_dir DIR/run/dovecot)
#     IMAP        10143  STARTTLS offered; plaintext LOGIN also works before
#                        STARTTLS, because Dovecot counts loopback as secure
#     IMAPS       10993  implicit TLS
#     LMTP               unix socket DIR/run/dovecot/lmtp-postfix (Postfix's
#                        virtual_transport); SASL socket .../auth-postfix
#   IDLE, MOVE, UIDPLUS are on (Dovecot 2.3 defaults; listed after login).
# Ports: MAILSTACK_SMTP_PORT, _SMTPS_PORT, _SUBMISSION_PORT, _IMAP_PORT,
# _IMAPS_PORT override the defaults (0 = any free port; an explicit port that
# is busy is an error). MAILSTACK_ANY_PORTS=1: every port not set so is the
# kernel's pick, never a default (a stack whose servers a test stops and
# starts: a default port it frees is what a stack starting beside it takes).
# A default that is busy (e.g. another stack) is replaced by a free port the
# kernel picks; a lock (/tmp/mailstack.ports.lock)
# serialises concurrent start.sh runs, so parallel stacks never collide.
# Always read the real ports from DIR/env.
#
# DIR/env (KEY=VALUE lines, no quotes, for sh and Python): MAILSTACK_DIR,
# MAILSTACK_HOST=127.0.0.1, MAILSTACK_{SMTP,SMTPS,SUBMISSION,IMAP,IMAPS}_PORT,
# MAILSTACK_CA_FILE (the self-signed cert = the CA to trust),
# MAILSTACK_PASSWORD=secret (the password every user has; empty if --users
# gives them different ones), MAILSTACK_DOMAINS (comma
# list), MAILSTACK_MAIL_DIR, MAILSTACK_LOG_DIR, MAILSTACK_POSTFIX_PID_FILE,
# MAILSTACK_DOVECOT_PID_FILE, MAILSTACK_CTL (path of ctl.sh). Written last,
# once every port accepts connections; removed by stop.sh.
#
# Mail: virtual domains example.com, example.org, example.net, example.test
# (plus any other domain named in --users). Unknown users get 550 5.1.1 at
# RCPT (Postfix virtual_mailbox_maps, built from the same user list as
# Dovecot's passwd file DIR/dovecot/passwd, "user@domain:{PLAIN}password").
# support+TOKEN@example.com goes to support@example.com's INBOX
# (recipient_delimiter=+ in both); one recipient per LMTP transaction, so each
# delivered copy has "Delivered-To: support+TOKEN@example.com". Maildirs:
# DIR/mail/DOMAIN/LOCALPART, owned by uid mail (all mail processes run as
# mail). Default users, password "secret": support, nick.moss, priya.shah,
# karen.jones, cliff.tucker, alex.kamal, maria.lopez, tom.berger @example.com,
# it-security@example.org, customer@example.test, agent@example.test.
# --users FILE replaces them: lines "address password" (# comments allowed).
# Nothing leaves the machine: default_transport=error, no relayhost, no DNS.
#
# TLS: one self-signed EC P-256 certificate, CN=localhost, SAN IP:127.0.0.1 +
# DNS:localhost, 10 years, in DIR/tls (kept across restarts in the same DIR);
# MAILSTACK_CA_FILE is the certificate itself. TLS 1.2+ on both servers.
#
# Timing: start.sh ~0.3-0.5 s on an idle machine (about 1 s under load);
# stop.sh ~1.5-2 s (Dovecot's master takes ~1.3 s to exit on SIGTERM).
#
# Surprises worth knowing:
#  * Postfix re-reads main.cf in 300 ms naps for up to ~2 s while its mtime is
#    the current second; we back-date main.cf/master.cf after writing them.
#  * Postfix daemons run as postfix, Dovecot's as dovecot/dovenull/mail: DIR
#    and all its parents get o+x (mktemp -d makes 0700 dirs).
#  * A changed Postfix lookup table is only seen by a NEW smtpd process; ctl.sh
#    access runs postfix reload and waits for the idle smtpd processes to exit.
#    An SMTP session already open keeps the old rules until it ends.
#  * Dovecot re-reads its passwd file at most once a second; ctl.sh adduser
#    waits until Dovecot knows the new user.
#  * Test-friendly timing: no SMTP error tarpit (smtpd_error_sleep_time=0), no
#    Dovecot auth penalty; a failed login still takes ~0.5 s. Deferred mail
#    (Dovecot down) is retried every 5-30 s; ctl.sh start-imap flushes it.
#  * Unix socket paths are limited to 107 bytes (Postfix's postlog socket in
#    the queue dir, Dovecot's sockets): if DIR is longer than ~60 bytes,
#    DIR/run is a symlink to a /tmp/mailstack-run.XXXXXX directory (removed
#    by stop.sh --purge).
#  * Daemons read /dev/null and write DIR/log/*-start.log, and never inherit
#    the port lock, so a caller's pipes (ctest, subprocess) are not held open.
#  * PID 1 in these containers does not reap zombies: liveness = /proc/PID/exe.
#  * Logs: DIR/log/postfix.log (Postfix maillog_file), DIR/log/dovecot.log.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() { echo "usage: $0 DIR [--users FILE]" >&2; exit 2; }

dir="" users_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --users) [ $# -ge 2 ] || usage; users_file=$2; shift 2 ;;
    --users=*) users_file=${1#--users=}; shift ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) [ -z "$dir" ] || usage; dir=$1; shift ;;
  esac
done
[ -n "$dir" ] || usage

t0=$EPOCHREALTIME
[ "$(id -u)" -eq 0 ] || ms_die "must run as root (Postfix's master and Dovecot start as root and drop privileges)"
for b in /usr/sbin/postfix /usr/sbin/postmap "$MS_POSTFIX_MASTER_EXE" "$MS_DOVECOT_EXE" /usr/lib/dovecot/lmtp /usr/lib/dovecot/imap /usr/bin/openssl; do
  [ -x "$b" ] || ms_die "$b missing: run scripts/mailstack/install.sh first"
done
for u in postfix dovecot dovenull mail; do
  id "$u" >/dev/null 2>&1 || ms_die "system user $u missing: run scripts/mailstack/install.sh first"
done
if [ -n "$users_file" ]; then
  [ -r "$users_file" ] || ms_die "cannot read users file $users_file"
  users_file=$(realpath -- "$users_file")
fi

case "$dir" in *[[:space:]]*) ms_die "DIR may not contain white space: $dir" ;; esac
mkdir -p -- "$dir"
ms_load_dir "$dir"
DIR=$MS_DIR

# Refuse to start twice in the same directory.
if pid=$(ms_pid_of "$MS_PF_PID") && ms_alive "$pid" "$MS_POSTFIX_MASTER_EXE"; then
  ms_die "a stack already runs in $DIR (postfix master $pid); run stop.sh first"
fi
if pid=$(ms_pid_of "$MS_DC_PID") && ms_alive "$pid" "$MS_DOVECOT_EXE"; then
  ms_die "a stack already runs in $DIR (dovecot master $pid); run stop.sh first"
fi
rm -f "$DIR/env"

# DIR and every parent must be traversable by postfix, dovecot, dovenull and
# mail (mktemp -d makes 0700 dirs; Postfix then fails on its lock file).
d=$DIR
while [ "$d" != / ]; do
  if [ "$(( 0$(stat -c %a "$d") & 1 ))" -eq 0 ]; then
    chmod o+x "$d"
  fi
  d=$(dirname "$d")
done

# Unix sockets live under DIR/run (Dovecot's base_dir, Postfix's queue with
# public/postlog); sun_path is at most 107 bytes and the longest such path is
# DIR/run + 33 bytes (dovecot/token-login/imap-urlauth).
if [ ! -e "$DIR/run" ] && [ ! -L "$DIR/run" ]; then
  if [ $(( ${#DIR} + 4 + 40 )) -gt 107 ]; then
    short=$(mktemp -d /tmp/mailstack-run.XXXXXX)
    ln -s "$short" "$DIR/run"
  else
    mkdir "$DIR/run"
  fi
  ms_load_dir "$DIR"
fi
mkdir -p "$MS_RUN"
chmod 0755 "$MS_RUN"
MS_PF_QUEUE="$MS_RUN/postfix"   # (re)generated configs use the current layout
MS_PF_PID="$MS_PF_QUEUE/pid/master.pid"

mkdir -p "$MS_LOG" "$DIR/tls" "$MS_PF_CONF" "$MS_PF_QUEUE" "$MS_PF_DATA" \
         "$DIR/dovecot/state" "$MS_MAIL"
chmod 0755 "$DIR" "$MS_LOG" "$DIR/tls" "$DIR/postfix" "$MS_PF_CONF" "$MS_PF_QUEUE" "$DIR/dovecot"
rm -rf "$DIR/postfix/queue"   # layout of an earlier version
chown root:root "$MS_PF_CONF" "$MS_PF_QUEUE"
chown postfix:postfix "$MS_PF_DATA"
chown mail:mail "$MS_MAIL"
chmod 0755 "$MS_MAIL"
: >"$MS_LOG/postfix-start.log"
: >"$MS_LOG/dovecot-start.log"

# ---------------------------------------------------------------- users
declare -a addrs=() passes=()
if [ -n "$users_file" ]; then
  while read -r a p _rest || [ -n "${a:-}" ]; do
    a=${a%$'\r'} p=${p%$'\r'}
    case "${a:-}" in ''|'#'*) continue ;; esac
    [ -n "${p:-}" ] || ms_die "users file: no password for $a"
    addrs+=("$a"); passes+=("$p")
  done <"$users_file"
else
  for a in support@example.com nick.moss@example.com priya.shah@example.com \
           karen.jones@example.com cliff.tucker@example.com alex.kamal@example.com \
           maria.lopez@example.com tom.berger@example.com it-security@example.org \
           customer@example.test agent@example.test; do
    addrs+=("$a"); passes+=(secret)
  done
fi
[ ${#addrs[@]} -gt 0 ] || ms_die "no users"
common_pass=${passes[0]}   # MAILSTACK_PASSWORD: empty unless all users share one
for p in "${passes[@]}"; do [ "$p" = "$common_pass" ] || common_pass=""; done
domains="example.com example.org example.net example.test"
: >"$MS_DC_PASSWD.new"
: >"$MS_PF_CONF/vmailbox"
for i in "${!addrs[@]}"; do
  a=${addrs[$i],,} p=${passes[$i]}
  case "$a" in *?@?*.?*) ;; *) ms_die "bad address $a" ;; esac
  case "$a$p" in *:*|*' '*) ms_die "address/password may not contain ':' or spaces: $a" ;; esac
  printf '%s:{PLAIN}%s\n' "$a" "$p" >>"$MS_DC_PASSWD.new"
  printf '%s OK\n' "$a" >>"$MS_PF_CONF/vmailbox"
  dom=${a#*@}
  case " $domains " in *" $dom "*) ;; *) domains="$domains $dom" ;; esac
done
chown root:dovecot "$MS_DC_PASSWD.new"
chmod 0640 "$MS_DC_PASSWD.new"
mv -f "$MS_DC_PASSWD.new" "$MS_DC_PASSWD"
[ -e "$MS_PF_CONF/recipient_access" ] || : >"$MS_PF_CONF/recipient_access"

# ---------------------------------------------------------------- TLS
cert=$DIR/tls/cert.pem key=$DIR/tls/key.pem
if ! openssl x509 -in "$cert" -noout -checkend 86400 >/dev/null 2>&1 || [ ! -s "$key" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$key.new" -out "$cert.new" -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -addext "keyUsage=critical,digitalSignature,keyCertSign" \
    -addext "extendedKeyUsage=serverAuth" >/dev/null 2>&1 ||
    ms_die "openssl could not make the certificate"
  chmod 0600 "$key.new"; chmod 0644 "$cert.new"
  mv -f "$key.new" "$key"; mv -f "$cert.new" "$cert"
fi

# ---------------------------------------------------------------- ports
# Serialise port choice and startup across concurrent start.sh runs.
exec 9>>/tmp/mailstack.ports.lock
flock -w 120 9 || ms_die "timed out waiting for /tmp/mailstack.ports.lock"

# pick ports: PORT_KEY=VALUE for each of SMTP SMTPS SUBMISSION IMAP IMAPS. An
# explicitly set MAILSTACK_*_PORT must be free; a default that is taken is
# replaced by a free port the kernel picks.
ports=$(/usr/bin/python3 - \
  "SMTP:${MAILSTACK_SMTP_PORT:-}:10025" \
  "SMTPS:${MAILSTACK_SMTPS_PORT:-}:10465" \
  "SUBMISSION:${MAILSTACK_SUBMISSION_PORT:-}:10587" \
  "IMAP:${MAILSTACK_IMAP_PORT:-}:10143" \
  "IMAPS:${MAILSTACK_IMAPS_PORT:-}:10993" <<'PY'
import os, socket, sys
any_port = os.environ.get("MAILSTACK_ANY_PORTS") == "1"
held = []
def grab(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        s.listen(1)  # a listening socket, so the kernel won't hand it out again
    except OSError:
        s.close()
        return None
    held.append(s)
    return s.getsockname()[1]
for spec in sys.argv[1:]:
    name, explicit, default = spec.split(":")
    if explicit == "0" or (any_port and not explicit):
        got = grab(0)
    elif explicit:
        got = grab(int(explicit))
        if got is None:
            sys.exit(f"mailstack: MAILSTACK_{name}_PORT={explicit} is in use")
    else:
        got = grab(int(default)) or grab(0)
    print(f"PORT_{name}={got}")
PY
) || exit 1
eval "$ports"

# ---------------------------------------------------------------- Postfix
cat >"$MS_PF_CONF/main.cf" <<EOF
# Generated by scripts/mailstack/start.sh -- private test instance.
compatibility_level = 3.6
queue_directory = $MS_PF_QUEUE
data_directory = $MS_PF_DATA
mail_owner = postfix
setgid_group = postdrop
maillog_file = $MS_LOG/postfix.log
maillog_file_prefixes = $MS_LOG
myhostname = mailstack.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 local delivery is disabled in the mailstack
alias_maps =
alias_database =
biff = no
append_dot_mydomain = no
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
relay_domains =
default_transport = error:5.7.1 the mailstack delivers only to its own domains
relay_transport = \$default_transport
smtp_dns_support_level = disabled
lmtp_host_lookup = native
smtpd_peername_lookup = no
virtual_mailbox_domains = $domains
virtual_mailbox_maps = hash:$MS_PF_CONF/vmailbox
virtual_transport = lmtp:unix:$MS_DC_BASE/lmtp-postfix
# one recipient per LMTP transaction, so Dovecot always adds a Delivered-To
# header with the full address (support+TOKEN@example.com)
lmtp_destination_recipient_limit = 1
recipient_delimiter = +
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access hash:$MS_PF_CONF/recipient_access
smtpd_banner = \$myhostname ESMTP mailstack
smtpd_tls_cert_file = $cert
smtpd_tls_key_file = $key
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_tls_session_cache_database =
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $MS_DC_BASE/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_sasl_authenticated_header = yes
# test-friendly timing: no tarpitting, quick retries after Dovecot was down
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 1000
in_flow_delay = 0
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 30s
delay_warning_time = 0
EOF

cat >"$MS_PF_CONF/master.cf" <<EOF
# Generated by scripts/mailstack/start.sh -- nothing chrooted.
# service                 type  private unpriv chroot wakeup maxproc command
127.0.0.1:$PORT_SMTP      inet  n       -      n      -      -       smtpd
127.0.0.1:$PORT_SMTPS     inet  n       -      n      -      -       smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
127.0.0.1:$PORT_SUBMISSION inet n       -      n      -      -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
pickup     unix  n       -       n       60      1       pickup
cleanup    unix  n       -       n       -       0       cleanup
qmgr       unix  n       -       n       300     1       qmgr
tlsmgr     unix  -       -       n       1000?   1       tlsmgr
rewrite    unix  -       -       n       -       -       trivial-rewrite
bounce     unix  -       -       n       -       0       bounce
defer      unix  -       -       n       -       0       bounce
trace      unix  -       -       n       -       0       bounce
verify     unix  -       -       n       -       1       verify
flush      unix  n       -       n       1000?   0       flush
proxymap   unix  -       -       n       -       -       proxymap
proxywrite unix  -       -       n       -       1       proxymap
smtp       unix  -       -       n       -       -       smtp
relay      unix  -       -       n       -       -       smtp
showq      unix  n       -       n       -       -       showq
error      unix  -       -       n       -       -       error
retry      unix  -       -       n       -       -       error
discard    unix  -       -       n       -       -       discard
local      unix  -       n       n       -       -       local
virtual    unix  -       n       n       -       -       virtual
lmtp       unix  -       -       n       -       -       lmtp
anvil      unix  -       -       n       -       1       anvil
scache     unix  -       -       n       -       1       scache
postlog    unix-dgram n  -       n       -       1       postlogd
EOF
# Postfix re-reads a main.cf modified within the current second until it is
# stable (up to ~2 s of 300 ms naps); back-date ours so nothing waits.
touch -d "@$(( ${EPOCHREALTIME%.*} - 10 ))" "$MS_PF_CONF/main.cf" "$MS_PF_CONF/master.cf"
/usr/sbin/postmap -c "$MS_PF_CONF" "hash:$MS_PF_CONF/vmailbox"
/usr/sbin/postmap -c "$MS_PF_CONF" "hash:$MS_PF_CONF/recipient_access"

# ---------------------------------------------------------------- Dovecot
mail_uid=$(id -u mail)
cat >"$MS_DC_CONF" <<EOF
# Generated by scripts/mailstack/start.sh -- private test instance.
protocols = imap lmtp
listen = 127.0.0.1
base_dir = $MS_DC_BASE
state_dir = $DIR/dovecot/state
instance_name = mailstack
hostname = mailstack.localhost
postmaster_address = postmaster@example.com
log_path = $MS_LOG/dovecot.log
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = $mail_uid
mail_uid = mail
mail_gid = mail
mail_location = maildir:$MS_MAIL/%d/%n
mail_max_userip_connections = 100
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \\Drafts
  }
  mailbox Sent {
    special_use = \\Sent
  }
  mailbox Trash {
    special_use = \\Trash
  }
  mailbox Junk {
    special_use = \\Junk
  }
}
ssl = yes
ssl_cert = <$cert
ssl_key = <$key
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
# Plaintext LOGIN is refused before STARTTLS, except that Dovecot counts
# loopback connections as secure, so on 127.0.0.1 it is allowed.
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_username_format = %Lu
auth_failure_delay = 0
auth_verbose = yes
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $MS_DC_PASSWD
}
# static userdb: every account is uid/gid mail; a user exists iff the passdb
# (the passwd file) knows it, so LMTP rejects unknown recipients.
userdb {
  driver = static
  args = uid=mail gid=mail home=$MS_MAIL/%d/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT_IMAP
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $PORT_IMAPS
    ssl = yes
  }
}
# No auth penalty (anvil's growing delay, up to 15 s, after failed logins
# from an IP): tests of wrong passwords must stay fast.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service lmtp {
  unix_listener lmtp-postfix {
    mode = 0600
    user = postfix
    group = postfix
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF

# ---------------------------------------------------------------- start
fail() {
  echo "mailstack: $*" >&2
  for f in dovecot-start.log dovecot.log postfix-start.log postfix.log; do
    if [ -s "$MS_LOG/$f" ]; then
      echo "---- tail of $MS_LOG/$f" >&2
      tail -n 25 "$MS_LOG/$f" >&2
    fi
  done
  exit 1   # the EXIT trap stops whatever was started
}

completed=0
trap '[ "$completed" = 1 ] || { ms_stop_one postfix "$MS_PF_PID" "$MS_POSTFIX_MASTER_EXE"; ms_stop_one dovecot "$MS_DC_PID" "$MS_DOVECOT_EXE"; }' EXIT
trap 'exit 130' INT TERM
ms_start_dovecot || fail "dovecot did not start"
ms_start_postfix || fail "postfix did not start"
# Both masters have bound their listening sockets by now (postfix start waits
# for master -w; dovecot binds before it daemonises): other stacks may go on.
flock -u 9

for p in "$PORT_SMTP" "$PORT_SMTPS" "$PORT_SUBMISSION" "$PORT_IMAP" "$PORT_IMAPS"; do
  ms_wait_port "$p" 20 || fail "port 127.0.0.1:$p does not accept connections after 20 s"
done

cat >"$DIR/env.new" <<EOF
MAILSTACK_DIR=$DIR
MAILSTACK_HOST=127.0.0.1
MAILSTACK_SMTP_PORT=$PORT_SMTP
MAILSTACK_SMTPS_PORT=$PORT_SMTPS
MAILSTACK_SUBMISSION_PORT=$PORT_SUBMISSION
MAILSTACK_IMAP_PORT=$PORT_IMAP
MAILSTACK_IMAPS_PORT=$PORT_IMAPS
MAILSTACK_CA_FILE=$cert
MAILSTACK_PASSWORD=$common_pass
MAILSTACK_DOMAINS=${domains// /,}
MAILSTACK_MAIL_DIR=$MS_MAIL
MAILSTACK_LOG_DIR=$MS_LOG
MAILSTACK_POSTFIX_PID_FILE=$MS_PF_PID
MAILSTACK_DOVECOT_PID_FILE=$MS_DC_PID
MAILSTACK_CTL=$HERE/ctl.sh
EOF
mv -f "$DIR/env.new" "$DIR/env"
completed=1
t1=$EPOCHREALTIME
ms=$(( (${t1/./} - ${t0/./}) / 1000 ))
printf 'mailstack: up in %s (%d ms): SMTP %s, SMTPS %s, submission %s, IMAP %s, IMAPS %s; env in %s\n' \
  "$DIR" "$ms" "$PORT_SMTP" "$PORT_SMTPS" "$PORT_SUBMISSION" \
  "$PORT_IMAP" "$PORT_IMAPS" "$DIR/env"
