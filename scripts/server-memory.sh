#!/usr/bin/env bash
# scripts/server-memory.sh: does job-server's memory plateau under a stream of short jobs?
#
# Builds job-server in release, starts it on an ephemeral loopback port with the default limits
# (at most 100 000 jobs held; when full, finished jobs are dropped oldest first), POSTs JOBS jobs
# (default 1 000 000) of base_delay 0 with wrk (installed with apt-get when missing and running as root), and prints
# the server's resident memory (VmRSS from /proc/PID/status) after the first half and after all
# of them, and whether the second is within 10 % of the first.
#
# Environment: JOBS (default 1000000), TTL (finished-job TTL in seconds, default the server's
# 300), CONNECTIONS (default 64). Needs curl.
# Exit status: 0 when it ran (whatever the verdict), non-zero only when it could not run.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-1000000}
TTL=${TTL:-300}
CONNECTIONS=${CONNECTIONS:-64}
HALF=$((JOBS / 2))

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -q wrk >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
    else
        echo "server-memory: wrk is missing; install it (apt-get install wrk)" >&2
        exit 2
    fi
fi

echo "server-memory: building job-server (release)…"
swift build -c release --product job-server >/dev/null
BIN="$(swift build -c release --show-bin-path)/job-server"

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" --port 0 --finished-job-ttl "$TTL" --log-level error >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 100); do
    grep -q "listening on" "$WORK/server.out" 2>/dev/null && break
    sleep 0.1
done
URL=$(awk '/listening on/ {print $4}' "$WORK/server.out")
[ -n "$URL" ] || { echo "server-memory: job-server did not start: $(cat "$WORK/server.err")" >&2; exit 1; }

cat >"$WORK/post.lua" <<'LUA'
-- POSTs short jobs and exits after QUOTA responses (wrk itself would wait out its -d
-- duration even after every thread stopped).
wrk.method = "POST"
wrk.body = '{"base_delay": 0, "var_delay": 0}'
wrk.headers["Content-Type"] = "application/json"
function init(args)
    quota = tonumber(args[1])
    count = 0
end
function response(status, headers, body)
    count = count + 1
    if count >= quota then os.exit(0) end
end
LUA
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

created() {  # the server's job counter: the id number of one more job
    curl -s -X POST -H 'Content-Type: application/json' -d '{"base_delay": 0, "var_delay": 0}' "$URL/jobs" \
        | sed -E 's/.*"id":"j([0-9]+)".*/\1/'
}

post() {  # post N jobs with one wrk thread (the server is the bottleneck) and report the rate
    local before after start end
    before=$(created); start=$(date +%s.%N)
    wrk -t 1 -c "$CONNECTIONS" -d 3600s -s "$WORK/post.lua" "$URL/jobs" -- "$1" >/dev/null 2>&1 || true
    end=$(date +%s.%N); after=$(created)
    case "$before$after" in
        *[!0-9]*) echo "  (the server refused the counting probe: its job limit is reached)"; return ;;
    esac
    awk -v n=$((after - before)) -v s="$start" -v e="$end" \
        'BEGIN { printf "  %d jobs in %.1f s (%.0f jobs/s)\n", n, e - s, n / (e - s) }'
}

echo "server-memory: $URL, TTL ${TTL} s; idle RSS $(rss_kib) KiB"
echo "server-memory: posting $HALF jobs…"
post "$HALF"
FIRST=$(rss_kib)
echo "server-memory: RSS after $HALF jobs: $FIRST KiB"
echo "server-memory: posting $((JOBS - HALF)) more…"
post $((JOBS - HALF))
SECOND=$(rss_kib)
echo "server-memory: RSS after $JOBS jobs: $SECOND KiB"
CHANGE=$(awk -v a="$FIRST" -v b="$SECOND" 'BEGIN { printf "%+.1f", (b - a) * 100 / a }')
if [ $((SECOND * 10)) -le $((FIRST * 11)) ]; then
    echo "server-memory: PLATEAU: second reading within 10 % of the first (${CHANGE} %)"
else
    echo "server-memory: GROWTH: second reading ${CHANGE} % above the first (more than 10 %)"
fi
