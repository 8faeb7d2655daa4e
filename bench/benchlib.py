"""Shared by the bench/ scripts: a figures table printed for people and the
same figures written as JSON for tracking (bench/results/NAME.json).

Standard library only. A figure is a measured value, optionally with the
baseline measured in the same run (the ratio is printed beside it) and the
target from the issue that set it (printed, never asserted: benchmarks do not
pass or fail on time).
"""
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.environ.get("BENCH_RESULTS", os.path.join(ROOT, "bench", "results"))
BUILD = os.environ.get("BENCH_BUILD", os.path.join(ROOT, "build", "bench"))


def build_release():
    """Configures and builds the Release tree the benchmarks run from."""
    subprocess.run(["cmake", "-S", ROOT, "-B", BUILD, "-DCMAKE_BUILD_TYPE=Release",
                    "-DTICKETD_TESTS=ON", "-DTICKETD_BENCH=ON"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", BUILD, "-j", str(os.cpu_count() or 2)],
                   check=True, stdout=subprocess.DEVNULL)
    return BUILD


def git_commit():
    try:
        return subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine():
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f.readline().split(":")[1].strip()
    except OSError:
        pass
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "memory": mem,
            "kernel": platform.release(), "python": platform.python_version()}


def peak_rss_kib_of(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (peak RSS KiB, CompletedProcess)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    rss = None
    for line in p.stderr.splitlines():
        if "Maximum resident set size" in line:
            rss = int(line.rsplit(":", 1)[1])
    return rss, p


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list (p in 0..100)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * len(s) + 0.5)) - 1))
    return s[k]


class Report:
    def __init__(self, name, title):
        self.name = name
        self.title = title
        self.rows = []
        self.notes = []
        self.t0 = time.time()
        print(f"== {title}", flush=True)

    def figure(self, what, value, unit, baseline=None, baseline_what="", target=None,
               better="higher"):
        """One measured figure. target: a number in the same unit (or a ratio when
        unit is 'x' or '%'); better: 'higher' or 'lower' says which side meets it."""
        row = {"what": what, "value": value, "unit": unit}
        if baseline is not None:
            row["baseline"] = baseline
            row["baseline_what"] = baseline_what
            row["ratio"] = (value / baseline) if baseline else None
        if target is not None:
            row["target"] = target
            row["better"] = better
            row["meets_target"] = value >= target if better == "higher" else value <= target
        self.rows.append(row)
        print(f"   {what}: {fmt(value)} {unit}" +
              (f"  (baseline {baseline_what}: {fmt(baseline)} {unit})" if baseline is not None else ""),
              flush=True)
        return row

    def note(self, text):
        self.notes.append(text)
        print(f"   note: {text}", flush=True)

    def finish(self):
        w = max([len(r["what"]) for r in self.rows] + [10])
        print()
        print(f"{self.title}")
        print(f"{'':{w}}  {'value':>12}  {'unit':<8} {'baseline':>12}  {'ratio':>7}  {'target':>10}")
        for r in self.rows:
            base = fmt(r["baseline"]) if "baseline" in r else ""
            ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else ""
            tgt = ""
            if "target" in r:
                tgt = ("≥ " if r["better"] == "higher" else "≤ ") + fmt(r["target"])
                tgt += " ok" if r["meets_target"] else " MISSED"
            print(f"{r['what']:{w}}  {fmt(r['value']):>12}  {r['unit']:<8} {base:>12}  "
                  f"{ratio:>7}  {tgt:>10}")
        for r in self.rows:
            if "baseline" in r:
                print(f"  baseline of '{r['what']}': {r['baseline_what']}")
        for n in self.notes:
            print(f"  note: {n}")
        os.makedirs(RESULTS, exist_ok=True)
        out = {"bench": self.name, "title": self.title,
               "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.t0)),
               "seconds": round(time.time() - self.t0, 1), "commit": git_commit(),
               "machine": machine(), "figures": self.rows, "notes": self.notes}
        path = os.path.join(RESULTS, f"{self.name}.json")
        with open(path, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"  figures written to {os.path.relpath(path, ROOT)}", flush=True)


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, int):
        return f"{v:,}"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def require_root(what):
    if os.geteuid() != 0:
        sys.exit(f"{what}: needs root (it starts a private Postfix + Dovecot stack)")
