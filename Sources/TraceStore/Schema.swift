import GRDB

/// The database schema: append-only named migrations (GRDB's `DatabaseMigrator` records which
/// ran in `grdb_migrations`). Never edit a shipped migration; add a new one.
///
/// The schema is a public interface, documented in the README ("Database schema").
/// Times are integer nanoseconds from the run's start on a monotonic clock; each run also has
/// one wall-clock start (`started_at`, RFC 3339 UTC). Never floating-point epoch seconds.
public enum Schema {
    /// The migrator with every migration, in order.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core-tables", migrate: createCoreTables)
        migrator.registerMigration("v1-metric-views", migrate: createMetricViews)
        migrator.registerMigration("v2-clustered-calls", migrate: clusterCalls)
        migrator.registerMigration("v3-cancel-calls", migrate: allowCancelCalls)
        migrator.registerMigration("v4-run-tags-and-notes", migrate: createRunTags)
        migrator.registerMigration("v5-server-load", migrate: createServerLoad)
        migrator.registerMigration("v6-ground-truth-metrics", migrate: createGroundTruthViews)
        migrator.registerMigration("v7-tuning-tables", migrate: createTuningTables)
        migrator.registerMigration("v8-asked-instant", migrate: addAskedInstant)
        migrator.registerMigration("v9-trial-wait", migrate: addTrialWait)
        migrator.registerMigration("v10-server-push", migrate: createServerPush)
        migrator.registerMigration("v11-run-shards", migrate: addRunShards)
        migrator.registerMigration("v12-stale-retries", migrate: addStaleRetries)
        return migrator
    }

    static func createCoreTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE experiment (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL DEFAULT ''
            ) STRICT;

            CREATE TABLE run (
                id INTEGER PRIMARY KEY,
                experiment_id INTEGER NOT NULL REFERENCES experiment(id),
                status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
                mode TEXT NOT NULL CHECK (mode IN ('live', 'simulated')),
                seed TEXT NOT NULL,                 -- unsigned 64-bit, decimal text
                trials_per_arm INTEGER NOT NULL,
                concurrency INTEGER NOT NULL,
                timeout_ns INTEGER,                 -- per-trial deadline, NULL = none
                started_at TEXT NOT NULL,           -- wall clock, RFC 3339 UTC
                ended_at TEXT,
                heartbeat_at TEXT,                  -- updated while the run writes
                wall_ns INTEGER,                    -- monotonic run length, set at the end
                git_sha TEXT,
                git_dirty INTEGER,
                host TEXT NOT NULL,
                toolchain TEXT NOT NULL,
                config_text TEXT NOT NULL,          -- the experiment file as run
                config_hash TEXT NOT NULL,          -- FNV-1a 64 of config_text, hex
                server_url TEXT,                    -- NULL when simulated
                error TEXT                          -- why a run failed
            ) STRICT;

            CREATE TABLE arm (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES run(id),
                arm_index INTEGER NOT NULL,
                name TEXT NOT NULL,
                strategy TEXT NOT NULL,             -- strategy kind, e.g. seed, exponential
                parameters TEXT NOT NULL,           -- JSON object of the strategy's parameters
                UNIQUE (run_id, name),
                UNIQUE (run_id, arm_index)
            ) STRICT;

            CREATE TABLE trial (
                id INTEGER PRIMARY KEY,
                arm_id INTEGER NOT NULL REFERENCES arm(id),
                trial_index INTEGER NOT NULL,
                job_id TEXT,
                job_seed TEXT NOT NULL,             -- unsigned 64-bit, decimal text
                planned_duration_ns INTEGER NOT NULL,
                start_ns INTEGER NOT NULL,          -- POST response arrived: polling starts
                done_ns INTEGER,                    -- true completion instant
                detect_ns INTEGER,                  -- detecting response arrived
                end_ns INTEGER NOT NULL,
                outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'error', 'timed_out', 'failed')),
                tries INTEGER NOT NULL,             -- number of status calls
                error_code TEXT,
                UNIQUE (arm_id, trial_index)
            ) STRICT;

            CREATE TABLE api_call (
                id INTEGER PRIMARY KEY,
                trial_id INTEGER NOT NULL REFERENCES trial(id),
                seq INTEGER NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('create', 'status')),
                sent_ns INTEGER NOT NULL,
                received_ns INTEGER NOT NULL,
                http_status INTEGER,
                result TEXT CHECK (result IN ('pending', 'completed', 'error')),
                error_code TEXT,
                retry_after_ns INTEGER,
                UNIQUE (trial_id, seq)
            ) STRICT;

            CREATE INDEX run_by_experiment ON run(experiment_id);
            CREATE INDEX arm_by_run ON arm(run_id);
            """)
    }

    /// The one definition of aggregate HR (README "Metrics"): detected trials / all status calls
    /// of all trials, as an SQL aggregate expression (NULL when there are no status calls). The
    /// `arm_summary` view and `analyze` (summary, sweep, report) all use it.
    /// - Parameters:
    ///   - detected: a 0/1 column or expression, 1 for a detected trial (e.g. `trial_metrics.detected`).
    ///   - statusCalls: the column counting a trial's status calls (e.g. `trial_metrics.tries`).
    /// - Returns: SQL text such as `sum(d) * 1.0 / nullif(sum(t), 0)`.
    public static func aggregateHitRateSQL(detected: String, statusCalls: String) -> String {
        "sum(\(detected)) * 1.0 / nullif(sum(\(statusCalls)), 0)"
    }

    /// The metric views. Run by `v1-metric-views` and again, unchanged, by `v2-clustered-calls`
    /// (which swaps the tables under them); changing a view needs a new migration.
    static func createMetricViews(_ db: Database) throws {
        try db.execute(sql: """
            -- One row per trial with the metrics of the README ("Metrics").
            CREATE VIEW trial_metrics AS
            SELECT t.id AS trial_id,
                   a.run_id AS run_id,
                   t.arm_id AS arm_id,
                   a.name AS arm,
                   t.trial_index AS trial_index,
                   t.outcome AS outcome,
                   t.tries AS tries,
                   (t.detect_ns IS NOT NULL) AS detected,
                   t.planned_duration_ns / 1e9 AS planned_duration_s,
                   CASE WHEN t.detect_ns IS NOT NULL
                        THEN max(0, t.detect_ns - max(coalesce(t.done_ns, t.start_ns), t.start_ns)) / 1e9
                   END AS delay_s,
                   CASE WHEN t.detect_ns IS NULL THEN 1.0
                        WHEN t.detect_ns <= t.start_ns THEN 0.0
                        ELSE min(1.0, max(0, t.detect_ns - max(coalesce(t.done_ns, t.start_ns), t.start_ns)) * 1.0
                                      / (t.detect_ns - t.start_ns))
                   END AS er,
                   CASE WHEN t.detect_ns IS NOT NULL AND t.tries > 0 THEN 1.0 / t.tries ELSE 0.0 END AS hr,
                   CASE WHEN t.detect_ns IS NOT NULL THEN (t.detect_ns - t.start_ns) / 1e9 END AS time_to_detect_s
            FROM trial t JOIN arm a ON a.id = t.arm_id;

            -- The same trial facts recomputed from the call rows alone: status calls, the last
            -- pending send and the first final receive, and the delay upper bound a client can know
            -- without the server's truth (first final receive - last pending send; when the first
            -- poll was already final, first final receive - the create call's receive, i.e. the
            -- trial's start, since delay <= detect - start). `tries` and `detect_ns` of `trial`
            -- must equal `status_calls` and `first_final_ns` here.
            CREATE VIEW trial_calls AS
            SELECT c.trial_id AS trial_id,
                   sum(c.kind = 'status') AS status_calls,
                   max(CASE WHEN c.kind = 'status' AND c.result = 'pending' THEN c.sent_ns END) AS last_pending_sent_ns,
                   min(CASE WHEN c.kind = 'status' AND c.result IN ('completed', 'error') THEN c.received_ns END) AS first_final_ns,
                   sum(c.error_code IS NOT NULL) AS failed_calls,
                   (min(CASE WHEN c.kind = 'status' AND c.result IN ('completed', 'error') THEN c.received_ns END)
                    - coalesce(max(CASE WHEN c.kind = 'status' AND c.result = 'pending' THEN c.sent_ns END),
                               max(CASE WHEN c.kind = 'create' THEN c.received_ns END))) / 1e9 AS delay_upper_s
            FROM api_call c GROUP BY c.trial_id;

            -- Per-arm aggregates of one run (percentiles are computed by `analyze`).
            CREATE VIEW arm_summary AS
            SELECT m.run_id AS run_id,
                   m.arm_id AS arm_id,
                   m.arm AS arm,
                   count(*) AS trials,
                   sum(m.outcome = 'completed') AS completed,
                   sum(m.outcome = 'error') AS errored,
                   sum(m.outcome = 'timed_out') AS timed_out,
                   sum(m.outcome = 'failed') AS failed,
                   avg(m.tries) AS mean_tries,
                   \(aggregateHitRateSQL(detected: "m.detected", statusCalls: "m.tries")) AS aggregate_hr,
                   avg(m.hr) AS per_trial_hr,
                   avg(m.delay_s) AS mean_delay_s,
                   avg(m.er) AS mean_er
            FROM trial_metrics m GROUP BY m.arm_id;
            """)
    }
}
