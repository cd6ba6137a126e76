#!/usr/bin/env bash
# Speed check of `analyze summary` and `analyze sweep` on a database of 1 000 000 trials and
# 10 000 000 calls (made by scripts/gen-large-db.sh if missing), release build.
# Prints each command's wall time (best and median of RUNS runs) and whether it is under the
# 2 s target; exits 1 if a median misses it. Timings depend on machine load: the load average is
# printed with the figures.
#
# Usage: scripts/bench-analyze.sh [FILE]   (default /tmp/polllab-large.sqlite; RUNS=5)
set -euo pipefail
DB="${1:-/tmp/polllab-large.sqlite}"
RUNS="${RUNS:-5}"
LIMIT=2.0
cd "$(dirname "$0")/.."
[ -f "$DB" ] || scripts/gen-large-db.sh "$DB"
swift build -c release --product analyze >/dev/null
BIN="$(swift build -c release --show-bin-path)/analyze"
echo "database: $DB ($(sqlite3 "$DB" "SELECT count(*) FROM trial") trials, $(sqlite3 "$DB" "SELECT count(*) FROM api_call") calls, $(( $(stat -c %s "$DB") / 1048576 )) MB)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
bench() {
  local name="$1"; shift
  local times=()
  "$BIN" "$@" >/dev/null   # warm the page cache once
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N); "$BIN" "$@" >/dev/null; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  local sorted best median verdict
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  if (( $(echo "$median < $LIMIT" | bc) )); then verdict="ok (< ${LIMIT} s)"; else verdict="SLOW (>= ${LIMIT} s)"; status=1; fi
  printf '%-8s best %.3f s  median %.3f s  over %d runs  %s\n' "$name" "$best" "$median" "$RUNS" "$verdict"
}
bench summary summary --db "$DB" --experiment synthetic-large
bench sweep sweep --db "$DB" --experiment synthetic-large
exit $status
