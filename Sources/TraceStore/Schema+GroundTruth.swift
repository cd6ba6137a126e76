import GRDB

extension Schema {
    /// Migration `v6-ground-truth-metrics`: a detected trial without ground truth (no acceptable
    /// `run_time`, see `PollingCore.GroundTruth`; `done_ns` NULL, error code `no_ground_truth`)
    /// has a NULL `delay_s` and `er` in `trial_metrics` instead of delay = time to detect and
    /// ER = 1, and is counted in the new last columns `trial_metrics.no_ground_truth` (0/1) and
    /// `arm_summary.no_ground_truth`. `arm_summary`'s `mean_delay_s` and `mean_er` average over
    /// the trials that have them (SQL `avg` skips NULL). Undetected trials keep ER 1.
    ///
    /// Only the two views change: they are dropped (`arm_summary` first, it reads
    /// `trial_metrics`) and re-created; `trial_calls` and the tables stay as they are.
    static func createGroundTruthViews(_ db: Database) throws {
        try db.execute(sql: """
            DROP VIEW arm_summary;
            DROP VIEW trial_metrics;

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
                   CASE WHEN t.detect_ns IS NOT NULL AND t.done_ns IS NOT NULL
                        THEN max(0, t.detect_ns - max(t.done_ns, t.start_ns)) / 1e9
                   END AS delay_s,
                   CASE WHEN t.detect_ns IS NULL THEN 1.0
                        WHEN t.done_ns IS NULL THEN NULL
                        WHEN t.detect_ns <= t.start_ns THEN 0.0
                        ELSE min(1.0, max(0, t.detect_ns - max(t.done_ns, t.start_ns)) * 1.0
                                      / (t.detect_ns - t.start_ns))
                   END AS er,
                   CASE WHEN t.detect_ns IS NOT NULL AND t.tries > 0 THEN 1.0 / t.tries ELSE 0.0 END AS hr,
                   CASE WHEN t.detect_ns IS NOT NULL THEN (t.detect_ns - t.start_ns) / 1e9 END AS time_to_detect_s,
                   (t.detect_ns IS NOT NULL AND t.done_ns IS NULL) AS no_ground_truth
            FROM trial t JOIN arm a ON a.id = t.arm_id;

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
                   avg(m.er) AS mean_er,
                   sum(m.no_ground_truth) AS no_ground_truth
            FROM trial_metrics m GROUP BY m.arm_id;
            """)
    }
}
