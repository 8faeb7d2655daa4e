"""The CLI tests' tally: check() records one assertion, finish() prints
'FAIL name: detail' lines and 'N passed, M failed' and exits 1 on any failure."""
import os
import sys

passed = failed = 0
failures = []


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        failures.append(f"{name}: {str(detail)[:800]}")


def finish(cleanup=None):
    """Prints the tally; runs `cleanup` when everything passed; exits."""
    for f in failures:
        print("FAIL", f)
    print(f"{passed} passed, {failed} failed")
    if failed == 0 and cleanup:
        cleanup()
    sys.exit(1 if failed else 0)


def summary(line):
    """Prints a category's summary line; with TICKETD_SUMMARY_DIR set (the test
    command sets it) also keeps it there, for the closing summary."""
    print(line, flush=True)
    d = os.environ.get("TICKETD_SUMMARY_DIR")
    if d:
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "summary.txt"), "a") as f:
            f.write(line + "\n")
