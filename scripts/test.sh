#!/usr/bin/env bash
# The test command of the README: checks system dependencies, then runs every test target
# (Swift Testing) of the package, end-to-end tests with real processes included.
# Tests run one at a time (--no-parallel): several of them measure live timing over loopback
# HTTP (deadlines, cancellation, detection delay), which CPU-heavy simulations running beside
# them on a 2-core machine would distort. The tests take about 2 minutes after the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-deps.sh
exec swift test --disable-xctest --no-parallel "$@"
