#!/usr/bin/env bash
# Figures for README "The thundering herd": experiments/herd.yaml and herd-quota.yaml simulated
# over REPLICATES seeds (default 10: seeds 1 … 10), then per arm, over the replicates, the mean
# and 95 % confidence interval (Student t, REPLICATES − 1 degrees of freedom) of: status calls
# (the work, throttled ones included), 429s and 503s received, and makespan (first create call
# to last detection; each arm has its own clock from 0 in simulation), plus the trials detected.
# Usage: scripts/herd-figures.sh [REPLICATES] [DB]   (debug build; about a minute per replicate)
set -euo pipefail
cd "$(dirname "$0")/.."
replicates="${1:-10}"
db="${2:-/tmp/herd-figures.sqlite}"
rm -f "$db" "$db-wal" "$db-shm"
swift build --product experiment >/dev/null
bin="$(swift build --show-bin-path)/experiment"
for name in herd herd-quota; do
    for seed in $(seq 1 "$replicates"); do
        "$bin" run "$name" --simulate --seed "$seed" --db "$db" >/dev/null
    done
done
# Student t quantile t(0.975, df) for df = 1 … 30 (then 1.96).
t975="12.706 4.303 3.182 2.776 2.571 2.447 2.365 2.306 2.262 2.228 2.201 2.179 2.160 2.145 2.131 2.120 2.110 2.101 2.093 2.086 2.080 2.074 2.069 2.064 2.060 2.056 2.052 2.048 2.045 2.042"
sqlite3 -separator ' ' "$db" "
    SELECT e.name, a.arm_index, a.name, r.id,
           (SELECT count(*) FROM api_call c JOIN trial t ON t.id = c.trial_id WHERE t.arm_id = a.id AND c.kind = 'status'),
           (SELECT count(*) FROM api_call c JOIN trial t ON t.id = c.trial_id WHERE t.arm_id = a.id AND c.http_status = 429),
           (SELECT count(*) FROM api_call c JOIN trial t ON t.id = c.trial_id WHERE t.arm_id = a.id AND c.http_status = 503),
           (SELECT (max(t.detect_ns) - min(c.sent_ns)) / 1e9 FROM trial t JOIN api_call c ON c.trial_id = t.id AND c.kind = 'create'
             WHERE t.arm_id = a.id),
           (SELECT count(*) FROM trial t WHERE t.arm_id = a.id AND t.detect_ns IS NOT NULL)
    FROM arm a JOIN run r ON r.id = a.run_id JOIN experiment e ON e.id = r.experiment_id
    WHERE r.status = 'finished' ORDER BY e.name, a.arm_index, r.id" |
awk -v t975="$t975" '
    BEGIN { split(t975, t, " ") }
    {
        key = $1 SUBSEP $2; name[key] = $3; file[key] = $1; n[key]++
        for (i = 5; i <= 9; i++) { s[key, i] += $i; q[key, i] += $i * $i }
        if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    }
    function ci(key, i,    m, v, df) {
        m = s[key, i] / n[key]; df = n[key] - 1
        v = df > 0 ? (q[key, i] - n[key] * m * m) / df : 0; if (v < 0) v = 0
        return sprintf(i == 8 ? "%.2f ± %.2f" : "%.0f ± %.0f", m, (df > 0 ? (df <= 30 ? t[df] : 1.96) : 0) * sqrt(v / n[key]))
    }
    END {
        for (c = 1; c <= count; c++) {
            key = order[c]
            if (file[key] != last) {
                printf "\n== %s (%d replicates; mean ± 95 %% CI half-width)\n", file[key], n[key]
                printf "%-26s %18s %16s %12s %16s %10s\n", "arm", "status calls", "429s", "503s", "makespan s", "detected"
                last = file[key]
            }
            printf "%-26s %18s %16s %12s %16s %10.1f\n", name[key], ci(key, 5), ci(key, 6), ci(key, 7), ci(key, 8), s[key, 9] / n[key]
        }
    }'
