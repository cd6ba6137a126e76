#!/usr/bin/env bash
# Figures for README "Which strategy wins on which workload": every catalogue workload
# (experiments/workload-*.yaml) simulated with TRIALS trials per arm (default 100 000) in a
# release build (--scratch-path .build-release, as scripts/learned-cost.sh), then one compact line
# per arm from the run summary: "figure WORKLOAD ARM score ±CI tries". Each workload is one table
# row source. Live (time-scaled, 200 trials per arm): `experiment run workload-NAME`.
# Usage: scripts/workload-figures.sh [TRIALS] [DB]   (full summaries go to stderr)
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-100000}"
db="${2:-/tmp/workload-figures.sqlite}"
swift build -c release --scratch-path .build-release --product experiment >&2
bin="$(swift build -c release --scratch-path .build-release --show-bin-path)/experiment"
for file in experiments/workload-*.yaml; do
    name="$(basename "$file" .yaml)"
    SECONDS=0
    out="$("$bin" run "$name" --simulate --trials "$trials" --db "$db")"
    echo "$out" >&2
    # Summary rows: arm strategy trials … mean-tries ±ci … score ±ci late-p50 late-p99.
    echo "$out" | awk -v w="${name#workload-}" -v n="$trials" '
        /^-+ +-+/ {rows = 1; next}
        rows && NF == 0 {rows = 0}
        rows {printf "figure %s %s score %s %s tries %s (%d trials/arm)\n", w, $1, $(NF-3), $(NF-2), $8, n}'
    echo "figure ${name#workload-} wall ${SECONDS} s load $(cut -d' ' -f1 /proc/loadavg)"
done
