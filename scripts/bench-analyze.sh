#!/usr/bin/env bash
# Speed check of `analyze summary`, `analyze sweep` (2 s targets) and the HTML report
# (`analyze report --format html`, 5 s target) on a database of 1 000 000 trials and
# 10 000 000 calls (made by scripts/gen-large-db.sh if missing), release build.
# Prints each command's wall time and CPU time (user + sys), best and median of RUNS runs, and
# whether the median wall time is under its target; exits 1 if a median misses it. Timings depend
# on machine load: the load average is printed with the figures.
#
# Usage: scripts/bench-analyze.sh [FILE]   (default /tmp/polllab-large.sqlite; RUNS=5;
#        SCRATCH_PATH=.build-release to reuse a release tree built with --scratch-path)
set -euo pipefail
DB="${1:-/tmp/polllab-large.sqlite}"
RUNS="${RUNS:-5}"
SCRATCH_PATH="${SCRATCH_PATH:-.build}"
cd "$(dirname "$0")/.."
[ -f "$DB" ] || scripts/gen-large-db.sh "$DB"
swift build -c release --scratch-path "$SCRATCH_PATH" --product analyze >/dev/null
BIN="$(swift build -c release --scratch-path "$SCRATCH_PATH" --show-bin-path)/analyze"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
echo "database: $DB ($(sqlite3 "$DB" "SELECT count(*) FROM trial") trials, $(sqlite3 "$DB" "SELECT count(*) FROM api_call") calls, $(( $(stat -c %s "$DB") / 1048576 )) MB)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# bench NAME LIMIT_S ARGS...: one warm-up run, then RUNS timed runs of `analyze ARGS`.
bench() {
  local name="$1" limit="$2"; shift 2
  local walls=() cpus=()
  "$BIN" "$@" >/dev/null 2>&1   # warm the page cache once
  for _ in $(seq "$RUNS"); do
    local line
    line=$( { /usr/bin/time -f '%e %U %S' "$BIN" "$@" >/dev/null; } 2>&1 | tail -1)
    walls+=("$(echo "$line" | cut -d' ' -f1)")
    cpus+=("$(echo "$line" | awk '{print $2 + $3}')")
  done
  local ws cs mid verdict
  ws=$(printf '%s\n' "${walls[@]}" | sort -n); cs=$(printf '%s\n' "${cpus[@]}" | sort -n)
  mid=$(( (RUNS + 1) / 2 ))
  if (( $(echo "$(echo "$ws" | sed -n "${mid}p") < $limit" | bc) )); then verdict="ok (< ${limit} s)"
  else verdict="SLOW (>= ${limit} s)"; status=1; fi
  printf '%-8s wall best %.2f s median %.2f s  cpu (user+sys) best %.2f s median %.2f s  over %d runs  %s\n' \
    "$name" "$(echo "$ws" | head -1)" "$(echo "$ws" | sed -n "${mid}p")" \
    "$(echo "$cs" | head -1)" "$(echo "$cs" | sed -n "${mid}p")" "$RUNS" "$verdict"
}
bench summary 2.0 summary --db "$DB" --experiment synthetic-large
bench sweep 2.0 sweep --db "$DB" --experiment synthetic-large
bench html 5.0 report --format html --experiment synthetic-large --db "$DB" --out "$OUT/report.html"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
