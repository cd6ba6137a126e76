#!/usr/bin/env bash
# Readers against writers on one database (issue 10 item 9): WRITERS `experiment run` processes
# (simulated runs, back to back) and READERS `analyze` processes (summary and sql, back to back)
# on one file for SECONDS seconds; then a writer killed with SIGKILL mid-run, which leaves a WAL
# to recover, and READERS readers started together on that file. Prints the number of reader and
# writer runs and of failures ("database is locked" counted apart); exits non-zero on any failure.
# Usage: scripts/reader-stress.sh [SECONDS (default 10)] [WRITERS (4)] [READERS (4)]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}" writers="${2:-4}" readers="${3:-4}"
if [ -z "${POLLLAB_NO_BUILD:-}" ]; then   # POLLLAB_NO_BUILD=1: use the binaries already built
  swift build --product experiment >/dev/null 2>&1 || swift build --product experiment
  swift build --product analyze >/dev/null 2>&1 || swift build --product analyze
fi
bin="$PWD/.build/debug"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/experiments"
cat > "$work/experiments/stress.yaml" <<'YAML'
name: stress
mode: simulated
trials: 4000
seed: 7
latency: [0.001, 0.004]
job: {base_delay: 1.5, var_delay: 0.9}
arms:
  - {name: seed, strategy: seed, duration_hint: 1.5}
  - {name: full-jitter, strategy: exponential, jitter: full}
YAML
cd "$work"
python3 - "$bin" "$seconds" "$writers" "$readers" <<'PY'
import os, signal, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

bindir, seconds, writers, readers = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
exp, ana = f"{bindir}/experiment", f"{bindir}/analyze"
db = "stress.sqlite"
subprocess.run([exp, "run", "stress", "--db", db, "--trials", "200"], check=True, capture_output=True)
stop = time.monotonic() + seconds
failures = []

def loop(command):
    runs = 0
    while time.monotonic() < stop:
        p = subprocess.run(command, capture_output=True, text=True)
        runs += 1
        if p.returncode != 0:
            failures.append((command[1], p.stderr.strip().splitlines()[-1:] or ["exit %d" % p.returncode]))
    return runs

reader_commands = [[ana, "summary", "--db", db], [ana, "sql", "SELECT count(*) FROM trial", "--db", db]]
with ThreadPoolExecutor(writers + readers) as pool:
    w = [pool.submit(loop, [exp, "run", "stress", "--db", db]) for _ in range(writers)]
    r = [pool.submit(loop, reader_commands[i % 2]) for i in range(readers)]
    writer_runs, reader_runs = sum(f.result() for f in w), sum(f.result() for f in r)
locked = sum(1 for _, m in failures if "locked" in " ".join(m))
print(f"concurrent: {writers} writers, {readers} readers, {seconds:g} s: writer runs {writer_runs}, "
      f"reader runs {reader_runs}, failures {len(failures)} (database is locked: {locked})")
for f in failures[:5]:
    print("  ", f)

# A writer killed mid-run leaves a WAL; readers started together must wait out its recovery.
recovery_failures = []
for round in range(5):
    path = f"killed-{round}.sqlite"
    w = subprocess.Popen([exp, "run", "stress", "--db", path, "--trials", "100000"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (os.path.exists(path + "-wal") and os.path.getsize(path + "-wal") > 8_000_000):
        time.sleep(0.05)
    w.send_signal(signal.SIGKILL)
    w.wait()
    wal = os.path.getsize(path + "-wal")
    with ThreadPoolExecutor(readers) as pool:
        results = list(pool.map(lambda c: subprocess.run(c, capture_output=True, text=True),
                                [[ana, "sql", "SELECT count(*) FROM trial", "--db", path]] * readers))
    for p in results:
        if p.returncode != 0:
            recovery_failures.append(p.stderr.strip().splitlines()[-1:])
    print(f"killed writer, round {round + 1}: WAL {wal / 1e6:.1f} MB, {readers} readers together, "
          f"failures {sum(p.returncode != 0 for p in results)}")
for f in recovery_failures[:5]:
    print("  ", f)
sys.exit(1 if failures or recovery_failures else 0)
PY
