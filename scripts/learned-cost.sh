#!/usr/bin/env bash
# Per-trial cost of `learned` in simulation: one catalogue workload (default lognormal-moderate)
# reduced to its `learned` arm, simulated for TRIALS trials (default 1 000) with and without a
# timeout at the 80th percentile of the duration (TIMEOUT, workload seconds; default 45.70 s, the
# lognormal(30, 0.5) p80 = 30 · e^(0.5 · 0.8416)), written to a scratch database. Prints the wall
# time and the milliseconds per trial (wall time / trials, run start-up included), and the load.
# The cost is dominated by the refits (ArmKnowledge's refit rule), so it falls per trial as
# TRIALS grows.
# Usage: scripts/learned-cost.sh [debug|release] [TRIALS] [WORKLOAD] [TIMEOUT]
# Environment: EXPERIMENT_BIN (an `experiment` binary to time instead of building one).
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-debug}"; trials="${2:-1000}"; workload="${3:-lognormal-moderate}"; timeout="${4:-45.70}"
scratch="${SCRATCH:-.build}"
[ "$config" = release ] && scratch="${SCRATCH:-.build-release}"
if [ -n "${EXPERIMENT_BIN:-}" ]; then
    bin="$EXPERIMENT_BIN"   # e.g. an older build, for a before/after figure
else
    swift build -c "$config" --scratch-path "$scratch" --product experiment >&2
    bin="$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/experiment"
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
src="experiments/workload-$workload.yaml"
for variant in no-timeout timeout; do
    # Keep the header and job, and only the learned arm.
    awk '/^arms:/ {print; exit} {print}' "$src" | sed "s/^name: .*/name: learned-cost-$variant/" >"$work/learned-cost-$variant.yaml"
    printf '  - name: learned\n    strategy: learned\n    weights: [1, 1]\n' >>"$work/learned-cost-$variant.yaml"
    if [ "$variant" = timeout ]; then
        echo "timeout: $timeout" >>"$work/learned-cost-$variant.yaml"   # workload seconds, scaled like every time
    fi
    start=$(date +%s.%N)
    "$bin" run "$work/learned-cost-$variant.yaml" --simulate --trials "$trials" --db "$work/$variant.sqlite" >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$trials" -v w="$workload" -v v="$variant" -v c="$config" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "learned %s %s (%s): %d trials in %.2f s = %.2f ms per trial (load %s)\n", w, v, c, n, e - s, 1000 * (e - s) / n, l }'
done
