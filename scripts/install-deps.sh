#!/usr/bin/env bash
# Installs every build and test dependency of ticketd from Debian 12 packages.
# Idempotent and quiet when everything is present. Needs root (or sudo).
set -euo pipefail

packages=(
  g++ cmake make pkg-config            # toolchain
  libsqlite3-dev sqlite3               # store
  libssl-dev                           # SHA-256, HMAC, random tokens
  libpcre2-dev                         # rule regexes (match limits, no recursion blow-up)
  libmimetic-dev                       # MIME baseline for the benchmarks
  libspdlog-dev libfmt-dev             # logging
  libtomlplusplus-dev                  # config
  libcli11-dev                         # command lines
  nlohmann-json3-dev                   # ticketctl --json
  libkainjow-mustache-dev              # templates/ (Mustache)
  libcurl4-openssl-dev                 # transport/ (SMTP, IMAP)
  libboost-dev                         # daemon event loop (Boost.Asio, header-only)
  libgtest-dev libgmock-dev            # unit tests
  libbenchmark-dev                     # bench/
  clang-16 libclang-rt-16-dev          # fuzz/: libFuzzer targets (scripts/fuzz.sh; 16 for std::expected)
  python3 python3-yaml                 # corpus conformance and CLI tests
  util-linux                           # setpriv (read-only store test)
  time                                 # /usr/bin/time -v: peak RSS in bench/
  strace                               # tests/hostile: no path or socket from a hostile mail
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
