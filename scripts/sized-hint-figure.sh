#!/usr/bin/env bash
# README "Which strategy wins on which workload", sized jobs: hint-aware vs hint-blind `optimal`
# on experiments/workload-sized-video.yaml (same job model and seed, only the two optimal arms),
# simulated with TRIALS trials per arm (default 100 000), then the paired comparison.
# Usage: scripts/sized-hint-figure.sh [TRIALS] [DB]
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-100000}"
db="${2:-/tmp/sized-hint-figure.sqlite}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
sed -e 's/^name: workload-sized-video/name: sized-video-optimal/' -e '/^arms:/,$d' \
    experiments/workload-sized-video.yaml > "$dir/sized-video-optimal.yaml"
cat >> "$dir/sized-video-optimal.yaml" <<'YAML'
arms:
  - name: optimal
    strategy: optimal
    weights: [1, 1]
  - name: optimal-job-hint
    strategy: optimal
    weights: [1, 1]
    hint: job
YAML
SECONDS=0
swift run experiment run "$dir/sized-video-optimal.yaml" --simulate --trials "$trials" --db "$db"
echo "wall time: ${SECONDS} s"
swift run analyze compare optimal optimal-job-hint --db "$db"
