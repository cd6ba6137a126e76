import GRDB

extension Schema {
    /// Migration `v7-tuning-tables`: the results of `experiment tune`.
    ///
    /// `tuning` holds one row per tuning (its provenance: the workload's hash and canonical text,
    /// the objective, the weights, the SLO bound, the budget of common trials per candidate, the
    /// seed, code version and host); `tuning_family` one row per tuned strategy family with the
    /// best setting, its objective values and its rank. Append-only: rows are never updated.
    static func createTuningTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE tuning (
                id INTEGER PRIMARY KEY,
                experiment_id INTEGER NOT NULL REFERENCES experiment(id),
                created_at TEXT NOT NULL,           -- wall clock, RFC 3339 UTC
                workload_hash TEXT NOT NULL,        -- FNV-1a 64 of workload, hex
                workload TEXT NOT NULL,             -- canonical workload text (job model, timeout, latency)
                objective TEXT NOT NULL CHECK (objective IN ('score', 'slo')),
                wi REAL NOT NULL,
                wj REAL NOT NULL,
                slo_p99_delay_s REAL,               -- the SLO bound (objective slo), else NULL
                budget INTEGER NOT NULL CHECK (budget >= 1), -- common Monte Carlo trials per candidate
                seed TEXT NOT NULL,                 -- unsigned 64-bit, decimal text
                optimal_score REAL,                 -- exact score of the optimal fixed schedule
                git_sha TEXT,
                git_dirty INTEGER,
                host TEXT NOT NULL,
                toolchain TEXT NOT NULL
            ) STRICT;

            CREATE TABLE tuning_family (
                id INTEGER PRIMARY KEY,
                tuning_id INTEGER NOT NULL REFERENCES tuning(id),
                rank INTEGER NOT NULL,              -- 1 = best family
                family TEXT NOT NULL,               -- e.g. exponential, google-lro
                strategy TEXT NOT NULL,             -- the arm's strategy kind
                parameters TEXT NOT NULL,           -- JSON object of the arm's parameters
                score REAL NOT NULL,                -- exact expected score, else the common-trial mean
                score_exact INTEGER NOT NULL CHECK (score_exact IN (0, 1)),
                score_ci_low REAL,                  -- 95 % t interval of the common-trial mean
                score_ci_high REAL,
                mean_calls REAL NOT NULL,           -- status calls per trial, common trials
                p99_delay_s REAL,                   -- sample p99 delay (type 7); NULL when infinite
                p99_delay_ucb_s REAL,               -- 95 % order-statistic upper bound; NULL when infinite or undefined
                gap_to_optimal REAL,                -- score - tuning.optimal_score (objective score)
                tied_with_best INTEGER NOT NULL CHECK (tied_with_best IN (0, 1)),
                evaluations INTEGER NOT NULL,       -- candidates evaluated by the search
                UNIQUE (tuning_id, family)
            ) STRICT;
            """)
    }
}
