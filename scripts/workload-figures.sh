#!/usr/bin/env bash
# Figures for README "Which strategy wins on which workload": every catalogue workload
# (experiments/workload-*.yaml) simulated with TRIALS trials per arm (default 100 000), then the
# per-trial score at (1, 1) of every arm from the run summary. Live (time-scaled, 200 trials per
# arm): `experiment run workload-NAME`. Prints the theory value of `optimal` for comparison via
# the summary's optimal row (OptimalSchedule.expectedScore is checked against DESIGN.md in tests).
# Usage: scripts/workload-figures.sh [TRIALS] [DB]
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-100000}"
db="${2:-/tmp/workload-figures.sqlite}"
for file in experiments/workload-*.yaml; do
    name="$(basename "$file" .yaml)"
    echo "== $name ($trials simulated trials per arm)"
    SECONDS=0
    swift run -c release experiment run "$name" --simulate --trials "$trials" --db "$db"
    echo "wall time: ${SECONDS} s"
done
