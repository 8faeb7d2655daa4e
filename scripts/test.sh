#!/usr/bin/env bash
# The whole ticketd test suite: installs what is missing, builds with
# AddressSanitizer + UndefinedBehaviorSanitizer, and runs every test through
# ctest (unit tests, CLI tests, golden mails, the Zammad corpus conformance,
# the fuzz targets' seeds and findings); then fuzzes every libFuzzer target
# for a minute in all (scripts/fuzz.sh --total 60; FUZZ_SECONDS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/install-deps.sh
bash scripts/mailstack/install.sh   # Postfix + Dovecot for the integration tests (never started system-wide)
build=${BUILD_DIR:-$root/build/test-asan}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DTICKETD_SANITIZE=ON -DTICKETD_CRASH_POINTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

# The shared corpus lives beside the repository; the conformance test says so
# plainly when it is missing.
export CORPUS_DIR=${CORPUS_DIR:-$root/../shared/corpus}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Tests that inject faults or hostile input keep a summary line each here.
export TICKETD_SUMMARY_DIR="$build/summary"
rm -rf "$TICKETD_SUMMARY_DIR"
status=0
ctest --test-dir "$build" --output-on-failure -j2 || status=$?

# Fuzz every target briefly (clang + libFuzzer, build/fuzz): a finding fails
# the run and leaves its input in build/fuzz/findings/.
fuzz_seconds=${FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash scripts/fuzz.sh --total "$fuzz_seconds" | tee "$build/fuzz.out" || status=1
fi

echo "== summary: hostile input, takeovers, faults, loops =="
cat "$TICKETD_SUMMARY_DIR"/*.txt 2>/dev/null || echo "(no summary lines: those tests did not run)"
grep -E "^fuzz" "$build/fuzz.out" 2>/dev/null || true
exit $status
