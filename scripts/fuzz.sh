#!/usr/bin/env bash
# fuzz.sh -- build the libFuzzer targets (clang 16, -fsanitize=fuzzer,address,
# undefined; build/fuzz) and run each one with its dictionary and seeds.
#
#   scripts/fuzz.sh [--seconds S | --total S | --runs N] [--jobs J] [TARGET...]
#
#   --seconds S  each target runs S seconds
#   --total S    S seconds shared by all targets (the test command: --total 60)
#   --runs N     each target runs N inputs (e.g. 1000000 before an issue closes)
#   --jobs J     targets fuzzed at once (default: the number of cores)
# Default: --seconds 60, every target (fuzz/CMakeLists.txt lists them).
#
# The working corpus of each target grows in build/fuzz/corpus/NAME (seeded
# from fuzz/seeds/NAME, tests/data for whole messages, the example config for
# the loader, and fuzz/regressions/NAME). A crash, leak, timeout or failed
# property leaves its input in build/fuzz/findings/NAME/ and fails the run;
# copy it into fuzz/regressions/NAME/ with the fix, where it replays as a test
# (fuzz.seeds.NAME). Prints one line per target: inputs run, speed, corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

mode=seconds value=60 jobs=$(nproc) targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds|--total|--runs) mode=${1#--}; value=${2:?$1 needs a number}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    -h|--help) sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
    *) targets+=("$1"); shift ;;
  esac
done

bash scripts/install-deps.sh
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
all=$(sed -n 's/^  \([a-z_]*\) ticketd_[a-z_]*)\{0,1\}$/\1/p' fuzz/CMakeLists.txt)
[ ${#targets[@]} -gt 0 ] || read -r -a targets <<<"$(echo $all)"
for t in "${targets[@]}"; do
  grep -qx "$t" <<<"$all" || { echo "fuzz.sh: no target $t (have: $(echo $all))" >&2; exit 64; }
done

CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTICKETD_FUZZ=ON -DTICKETD_TESTS=ON -DTICKETD_BENCH=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

per=$value
[ "$mode" = total ] && per=$(( value / ${#targets[@]} > 0 ? value / ${#targets[@]} : 1 ))
limit=(-max_total_time="$per")
[ "$mode" = runs ] && limit=(-runs="$value")

run_one() {
  local t=$1 corpus=$build/corpus/$1 findings=$build/findings/$1 log=$build/logs/$1.log
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  local seeds=(fuzz/seeds/"$t" fuzz/regressions/"$t")
  [ "$t" = message ] && seeds=(tests/data fuzz/regressions/message)
  find "${seeds[@]}" -type f ! -name '.*' ! -name '*.json' -exec cp -n -t "$corpus" {} + 2>/dev/null || true
  [ "$t" = config ] && cp -n ticketd.example.toml "$corpus/example.toml"
  local max_len=4096
  case "$t" in message) max_len=262144 ;; composer|config|html) max_len=16384 ;; esac
  local rc=0
  "$build/fuzz/fuzz_$t" -dict="fuzz/dicts/$t.dict" "${limit[@]}" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1 || rc=$?
  local runs speed size
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  size=$(find "$corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    printf 'fuzz %-14s ok      %10s inputs  %7s/s  corpus %s\n' "$t" "${runs:-?}" "${speed:-?}" "$size"
  else
    printf 'fuzz %-14s FAILED  %10s inputs  (exit %s) -- %s; input in %s\n' "$t" "${runs:-?}" "$rc" \
      "$(grep -m1 -E 'ERROR|property failed|deadly signal|Timeout|out-of-memory' "$log" || echo see log)" \
      "$findings"
    echo "  log: $log"
    return 1
  fi
}

export -f run_one
export build mode
status=0
printf '%s\n' "${targets[@]}" |
  xargs -P "$jobs" -I{} bash -c "$(declare -p limit); run_one {}" || status=1
[ $status -eq 0 ] && echo "fuzz: ${#targets[@]} targets, no findings" || echo "fuzz: findings above" >&2
exit $status
