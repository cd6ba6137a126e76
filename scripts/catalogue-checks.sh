#!/usr/bin/env bash
# Issue 11's catalogue checks in full (WorkloadCatalogueTests with POLLLAB_SLOW_TESTS set): every
# catalogue workload at weights (1, 1), (1, 2), (2, 1) — each arm without server help against
# `optimal` on common jobs, paired mean difference and its standard error — and `learned` with no
# history over trials 101 … 10 000 at (1, 1), without a timeout and with one at the duration's 80th
# percentile, against 0.97 × optimal's exact expected score − 3 SE. Prints one line per figure
# ("catalogue …") and the test verdicts. The normal suite runs a small sample of the same checks.
# Usage: scripts/catalogue-checks.sh [TRIALS]   (comparison trials per arm, default 2 000)
# Debug build (the test target); about 15–30 minutes on 2 shared cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export POLLLAB_SLOW_TESTS=1 POLLLAB_CATALOGUE_TRIALS="${1:-2000}"
swift build --build-tests >&2
swift test --skip-build --disable-xctest --filter WorkloadCatalogueTests 2>&1 \
    | grep -E '^catalogue |✘|recorded an issue|passed after|failed after' | sort
