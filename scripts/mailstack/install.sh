#!/usr/bin/env bash
# Installs the private test mail stack's packages (Postfix, Dovecot IMAP+LMTP,
# openssl, python3) from Debian 12. Idempotent; quiet when all is present.
#
# Installing postfix/dovecot on Debian normally starts the *system* daemons on
# ports 25/143/993 with /etc configs. We never want those: while apt-get runs,
# a deny-all /usr/sbin/policy-rc.d (exit 101) makes invoke-rc.d skip every
# start. We create it only if none exists and remove it only if we created it.
# Postfix is preseeded with "No configuration" so it writes no main.cf and asks
# nothing. The stack itself (scripts/mailstack/start.sh) uses its own configs
# in a scratch directory and high ports on 127.0.0.1 only.
set -euo pipefail

packages=(postfix dovecot-core dovecot-imapd dovecot-lmtpd openssl python3)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "mailstack/install: installing ${missing[*]}"

policy=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
  if [ "$created_policy" = 1 ]; then
    $SUDO rm -f "$policy"
  fi
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# temporary: scripts/mailstack/install.sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 0755 "$policy"
  created_policy=1
fi

echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
[ -z "$SUDO" ] || apt=("$SUDO" "${apt[@]}")
log=$(mktemp)
if ! { "${apt[@]}" update -qq &&
       "${apt[@]}" install -y -qq --no-install-recommends \
         -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
         "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  rm -f "$log"
  echo "mailstack/install: apt-get failed" >&2
  exit 1
fi
rm -f "$log"
