#!/usr/bin/env bash
# scripts/bench.sh: PollLab's speed figures, side by side on this machine (issue 6).
#
# Builds the separate Benchmarks/ package in release mode (the main package's CI build never
# compiles it), then runs one benchmark at a time and prints each figure as one labelled line,
# with the 1-minute load average next to it (other work on the machine skews every figure):
#   server   mock server GET /jobs/{id} under wrk (64 connections, 10 s, 10 000 live jobs, random
#            ids), next to a bare Hummingbird route returning a constant from the same build;
#   runner   a live experiment of 10 000 concurrent jobs (1 s + U(0, 0.5) s): wall time, calls/s,
#            peak resident memory, errors, whether every call was recorded;
#   tracer   TraceWriter rows/s for 1 000 000 call rows next to a raw sqlite3 insert loop;
#   simulation  simulated polls/s into memory and into SQLite (200 000 trials, seed strategy);
#   analyze  `analyze summary` wall time on a database of 1 000 000 trials / 10 000 000 calls
#            (scripts/gen-large-db.sh makes it once; main package's release `analyze`).
#
# Usage: scripts/bench.sh [server|runner|tracer|simulation|analyze ...]   (default: all)
# Environment: DURATION (wrk seconds, default 10), CONNECTIONS (64), JOBS (10 000 live jobs for
# the server benchmark), RUNNER_JOBS (10 000), CALLS (1 000 000), SIM_TRIALS (200 000),
# ROUNDS (server rounds, alternating floor/mock, default 2; the best of each counts),
# LARGE_DB (/tmp/polllab-large.sqlite).
# Needs wrk (Debian package `wrk`; installed with apt-get when running as root), curl, sqlite3
# for the analyze step. Exit status: non-zero only when a benchmark could not run; figures that
# miss their goals are printed, not failed.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
JOBS=${JOBS:-10000}
RUNNER_JOBS=${RUNNER_JOBS:-10000}
CALLS=${CALLS:-1000000}
SIM_TRIALS=${SIM_TRIALS:-200000}
ROUNDS=${ROUNDS:-2}
LARGE_DB=${LARGE_DB:-/tmp/polllab-large.sqlite}
SELECTED=("$@")
[ ${#SELECTED[@]} -gt 0 ] || SELECTED=(server runner tracer simulation analyze)

# 10 000 client sockets in the runner (the server runs in its own process).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -gt $((RUNNER_JOBS + 1000)) ] || echo "bench: warning: open-file limit $(ulimit -n) is too low for $RUNNER_JOBS runner connections" >&2

load() { cut -d' ' -f1 /proc/loadavg; }
failed=()
WORK=$(mktemp -d)
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    SERVER_PID=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

echo "bench: building Benchmarks/ (release)…" >&2
# Pin the same dependency versions as the main package.
[ -f Benchmarks/Package.resolved ] || [ ! -f Package.resolved ] || cp Package.resolved Benchmarks/Package.resolved
# SwiftPM 6.3 keeps the build plan of the path dependency (the main package) until the
# Benchmarks manifest changes, so a source file added to the main package would be missing.
touch Benchmarks/Package.swift
swift build -c release --package-path Benchmarks >&2
BIN=$(swift build -c release --package-path Benchmarks --show-bin-path)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr), $(swift --version 2>/dev/null | head -1 | sed 's/ (.*//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Starts "$@" in the background and sets URL once it prints "listening on URL".
start_server() {
    "$@" >"$WORK/server.out" 2>"$WORK/server.err" &
    SERVER_PID=$!
    URL=""
    for _ in $(seq 200); do
        URL=$(awk '/listening on/ {print $NF; exit}' "$WORK/server.out" 2>/dev/null || true)
        # Ready once it answers HTTP at all (the floor answers 404 for /health).
        if [ -n "$URL" ] && [ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$URL/health")" != 000 ]; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "bench: $1 did not start (URL '$URL'): $(cat "$WORK/server.out" "$WORK/server.err")" >&2
    return 1
}

# wrk against $URL; prints "RPS P50_MS P99_MS NON2XX ERRORS".
run_wrk() {
    wrk -t 2 -c "$CONNECTIONS" -d "${DURATION}s" --latency -s "$WORK/get.lua" "$URL" -- "$JOBS" >"$WORK/wrk.out" 2>&1
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { errors = $4 + $6 + $8 + $10; gsub(/,/, "", errors) }
        END { printf "%s %.3f %.3f %d %d\n", rps, p50, p99, non2xx, errors }' "$WORK/wrk.out"
}

bench_server() {
    command -v wrk >/dev/null || {
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
        else
            echo "bench: wrk is missing: install it with 'sudo apt-get install wrk'" >&2; return 1
        fi
    }
    cat >"$WORK/post.lua" <<'LUA'
-- POSTs jobs and exits after QUOTA responses: even ones stay pending for an hour, odd ones finish
-- at once, so GETs see both kinds of status body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function init(args) quota = tonumber(args[1]); count = 0 end
function request()
    count = count + 1
    if count % 2 == 0 then return wrk.format(nil, "/jobs", nil, '{"base_delay": 3600, "var_delay": 0}') end
    return wrk.format(nil, "/jobs", nil, '{"base_delay": 0, "var_delay": 0}')
end
local received = 0
function response(status) received = received + 1; if received >= quota then os.exit(0) end end
LUA
    cat >"$WORK/get.lua" <<'LUA'
-- GET /jobs/j<k> for k uniform in 1..N (the N jobs created first).
function init(args) n = tonumber(args[1]); math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function request() return wrk.format("GET", "/jobs/j" .. math.random(1, n)) end
LUA
    local best_floor="0 0 0 0 0" best_mock="0 0 0 0 0" ratios=()
    for round in $(seq "$ROUNDS"); do
        start_server "$BIN/bench-server-floor" || return 1
        local floor; floor=$(run_wrk); stop_server
        echo "bench: round $round floor: $floor (rps p50 p99 non2xx errors; load $(load))" >&2
        [ "${floor%% *}" != "" ] && awk -v a="${floor%% *}" -v b="${best_floor%% *}" 'BEGIN { exit !(a > b) }' && best_floor=$floor
        start_server "$BIN/bench-server" || return 1
        # One wrk thread with a quota creates the jobs (ids j1 … jN).
        wrk -t 1 -c "$CONNECTIONS" -d 600s -s "$WORK/post.lua" "$URL" -- "$JOBS" >/dev/null 2>&1 || true
        local code; code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/jobs/j$JOBS")
        [ "$code" = 200 ] || { echo "bench: job j$JOBS missing after creating $JOBS jobs (HTTP $code; server at $URL: $(cat "$WORK/server.out" "$WORK/server.err"))" >&2; stop_server; return 1; }
        local mock; mock=$(run_wrk); stop_server
        echo "bench: round $round mock: $mock (load $(load))" >&2
        awk -v a="${mock%% *}" -v b="${best_mock%% *}" 'BEGIN { exit !(a > b) }' && best_mock=$mock
        # The ratio within a round (floor and mock back to back) is steadier than best / best.
        ratios+=("$(awk -v a="${mock%% *}" -v b="${floor%% *}" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }')")
    done
    local median; median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
    read -r frps fp50 fp99 fnon ferr <<<"$best_floor"
    read -r mrps mp50 mp99 mnon merr <<<"$best_mock"
    printf 'server floor (bare Hummingbird route, constant body): %.0f req/s, p50 %.2f ms, p99 %.2f ms (wrk %d connections, %s s, best of %s; load %s)\n' \
        "$frps" "$fp50" "$fp99" "$CONNECTIONS" "$DURATION" "$ROUNDS" "$(load)"
    printf 'server mock GET /jobs/{id} over %d live jobs: %.0f req/s = %.0f %% of floor (per round: %s %%, median %s %%), p50 %.2f ms, p99 %.2f ms, %d non-2xx, %d socket errors (goals >= 40 000 req/s, >= 80 %%, p99 < 5 ms; load %s)\n' \
        "$JOBS" "$mrps" "$(awk -v a="$mrps" -v b="$frps" 'BEGIN { print (b > 0 ? 100 * a / b : 0) }')" "$(IFS=,; echo "${ratios[*]}")" "$median" "$mp50" "$mp99" "$mnon" "$merr" "$(load)"
}

# The mock server runs in its own process (bench-server, listen backlog 4096): one process
# holding 10 000 client and 10 000 server sockets would exceed the open-file hard limit (20 000
# here; raising it needs CAP_SYS_RESOURCE). Peak RSS is the runner's alone; the server's is
# printed after it.
bench_runner() {
    start_server "$BIN/bench-server" || return 1
    local status=0
    "$BIN/bench-runner" "$RUNNER_JOBS" "$URL" || status=$?
    echo "runner: mock server peak RSS $(awk '/^VmHWM:/ {printf "%.0f MB", $2/1024}' "/proc/$SERVER_PID/status") (separate process; load $(load))"
    stop_server
    return $status
}
bench_tracer() { "$BIN/bench-tracer" "$CALLS"; }
bench_simulation() { "$BIN/bench-simulation" "$SIM_TRIALS"; }

bench_analyze() {
    command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (apt-get install sqlite3)" >&2; return 1; }
    [ -f "$LARGE_DB" ] || scripts/gen-large-db.sh "$LARGE_DB" >&2
    swift build -c release --product analyze >&2
    local analyze; analyze="$(swift build -c release --show-bin-path)/analyze"
    "$analyze" summary --db "$LARGE_DB" --experiment synthetic-large >/dev/null   # warm the page cache
    local times=()
    for _ in 1 2 3; do
        local t0 t1; t0=$(date +%s.%N)
        "$analyze" summary --db "$LARGE_DB" --experiment synthetic-large >/dev/null
        t1=$(date +%s.%N); times+=("$(echo "$t1 - $t0" | bc)")
    done
    local median; median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
    printf 'analyze summary on %s trials / %s calls: %.2f s (median of 3, release; load %s)\n' \
        "$(sqlite3 "$LARGE_DB" "SELECT count(*) FROM trial")" "$(sqlite3 "$LARGE_DB" "SELECT count(*) FROM api_call")" "$median" "$(load)"
}

for name in "${SELECTED[@]}"; do
    case "$name" in
        server|runner|tracer|simulation|analyze) ;;
        *) echo "bench: unknown benchmark '$name' (server, runner, tracer, simulation, analyze)" >&2; exit 2 ;;
    esac
    if ! "bench_$name"; then
        echo "bench: $name FAILED TO RUN" >&2
        failed+=("$name")
        stop_server
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "bench: failed to run: ${failed[*]}" >&2
    exit 1
fi
