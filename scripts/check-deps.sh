#!/usr/bin/env bash
# Checks the one system library PollLab needs beyond the Swift toolchain: SQLite's headers
# (Debian/Ubuntu package libsqlite3-dev; GRDB links the system libsqlite3). Installs it with
# apt-get when running as root on a Debian-like system, else says what to run.
set -euo pipefail

if [ -f /usr/include/sqlite3.h ] || pkg-config --exists sqlite3 2>/dev/null; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "check-deps: installing libsqlite3-dev (SQLite headers for GRDB)" >&2
  apt-get update -qq && apt-get install -y -qq libsqlite3-dev >/dev/null
  exit 0
fi
echo "check-deps: SQLite headers not found. Install them first:" >&2
echo "  Debian/Ubuntu: sudo apt-get install libsqlite3-dev" >&2
echo "  Fedora:        sudo dnf install sqlite-devel" >&2
exit 1
