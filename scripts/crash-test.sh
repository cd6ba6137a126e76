#!/usr/bin/env bash
# Kills the experiment runner with SIGKILL at random moments and checks, after every kill:
#  - the database passes `PRAGMA integrity_check`;
#  - every trial committed before the kill is still there, unchanged, after the resume;
#  - `experiment resume` runs only the missing trials, and the resumed run is identical, row for
#    row, to an uninterrupted run with the same seed (simulated mode is deterministic).
# Then runs two runners on one database at once and checks that neither hit "database is locked".
# Usage: scripts/crash-test.sh [KILLS (default 50)]. Prints the counts; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-50}"
bash scripts/check-deps.sh
swift build --product experiment >/dev/null 2>&1 || swift build --product experiment
bin="$PWD/.build/debug/experiment"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/experiments"
cat > "$work/experiments/crash.yaml" <<'YAML'
name: crash
description: simulated trials for the crash test
mode: simulated
trials: 20000
seed: 99
latency: [0.001, 0.004]
timeout: 30
job:
  base_delay: 1.5
  var_delay: 0.9
arms:
  - name: seed
    strategy: seed
    duration_hint: 1.5
  - name: full-jitter
    strategy: exponential
    jitter: full
  - name: optimal
    strategy: optimal
    weights: [1, 2]
YAML
cd "$work"
"$bin" run crash --db reference.sqlite >/dev/null
python3 - "$bin" "$kills" <<'PY'
import os, random, signal, sqlite3, subprocess, sys, time

binary, kills = sys.argv[1], int(sys.argv[2])
ROWS = """SELECT a.name, t.trial_index, t.job_seed, t.planned_duration_ns, t.start_ns, t.done_ns, t.detect_ns,
                 t.end_ns, t.outcome, t.tries,
                 (SELECT group_concat(c.seq || ':' || c.sent_ns || ':' || c.received_ns || ':' || coalesce(c.result, ''))
                  FROM api_call c WHERE c.trial_id = t.id)
          FROM trial t JOIN arm a ON a.id = t.arm_id ORDER BY a.arm_index, t.trial_index"""

def rows(path):
    with sqlite3.connect(path) as db:
        try:
            return db.execute(ROWS).fetchall()
        except sqlite3.OperationalError:
            return []  # killed before the schema was created

def integrity(path):
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]

reference = rows("reference.sqlite")
rng = random.Random(20261129)
committed, failures = [], []
for i in range(kills):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists("crash.sqlite" + suffix):
            os.remove("crash.sqlite" + suffix)
    runner = subprocess.Popen([binary, "run", "crash", "--db", "crash.sqlite"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.05, 3.0))
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    if not os.path.exists("crash.sqlite"):
        committed.append(0)
        continue  # killed before the database was created: nothing to check
    if integrity("crash.sqlite") != "ok":
        failures.append(f"kill {i}: integrity_check failed after the kill")
        continue
    before = rows("crash.sqlite")
    committed.append(len(before))
    with sqlite3.connect("crash.sqlite") as db:
        try:
            runs = db.execute("SELECT id FROM run").fetchall()
        except sqlite3.OperationalError:
            runs = []
    if not runs:
        continue  # killed before the run row was committed
    resumed = subprocess.run([binary, "resume", str(runs[0][0]), "--db", "crash.sqlite", "--stale-after", "0"],
                             capture_output=True, text=True)
    if resumed.returncode != 0:
        failures.append(f"kill {i}: resume failed: {resumed.stderr.strip()}")
        continue
    after = rows("crash.sqlite")
    if integrity("crash.sqlite") != "ok":
        failures.append(f"kill {i}: integrity_check failed after the resume")
    if not set(before) <= set(after):
        failures.append(f"kill {i}: a trial committed before the kill changed or vanished")
    if after != reference:
        failures.append(f"kill {i}: the resumed run differs from the uninterrupted one")

# Two runners writing one database at the same time.
procs = [subprocess.Popen([binary, "run", "crash", "--db", "shared.sqlite", "--seed", str(s)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for s in (1, 2)]
locked = 0
for p in procs:
    _, err = p.communicate()
    if p.returncode != 0:
        failures.append(f"concurrent runner failed: {err.strip()}")
    locked += "database is locked" in err
with sqlite3.connect("shared.sqlite") as db:
    finished = db.execute("SELECT count(*) FROM run WHERE status = 'finished'").fetchone()[0]
    trials = db.execute("SELECT count(*) FROM trial").fetchone()[0]

print(f"kills: {kills}, trials committed before the kill: min {min(committed)}, "
      f"mean {sum(committed) / len(committed):.0f}, max {max(committed)} of {len(reference)}")
print(f"resumes identical to the uninterrupted run: {kills - len([f for f in failures if f.startswith('kill')])}/{kills}")
print(f"two concurrent runners: {finished}/2 runs finished, {trials} trials, 'database is locked' seen {locked} times")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures or finished != 2 else 0)
PY
