#!/usr/bin/env bash
# The test command of the README: checks system dependencies, then runs every test target
# (Swift Testing) of the package, end-to-end tests with real processes included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-deps.sh
exec swift test --disable-xctest "$@"
