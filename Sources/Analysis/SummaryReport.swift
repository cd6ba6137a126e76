import GRDB
import PollingCore

/// The summary of one run: its provenance and one line per arm (DESIGN.md "Metrics").
///
/// Built by SQL over the `arm_summary` and `trial_metrics` views (TraceStore's `Schema`);
/// delay percentiles are computed in Swift from the sorted delays with
/// `Statistics.percentile(sorted:_:)` (Hyndman–Fan type 7). Render it with `SummaryRenderer`.
public struct SummaryReport: Sendable, Hashable, Encodable {
    /// The run the report is about.
    public var run: RunHeader
    /// The score weights `(wi, wj)`.
    public var weights: ScoreWeights
    /// Which score formula `ArmSummary.score` uses.
    public var scoreKind: ScoreKind
    /// One line per arm, in `arm_index` order; arms without trials are kept (with zero counts).
    public var arms: [ArmSummary]

    /// Creates a report from parts (tests and golden renderings).
    public init(run: RunHeader, weights: ScoreWeights, scoreKind: ScoreKind, arms: [ArmSummary]) {
        self.run = run
        self.weights = weights
        self.scoreKind = scoreKind
        self.arms = arms
    }

    /// Loads the summary of the selected run.
    /// - Parameters:
    ///   - reader: any GRDB reader of a results database (e.g. `TraceDatabase.reader`).
    ///   - selector: which run; default `.latest`.
    ///   - weights: score weights; default `(1, 1)`.
    ///   - scoreKind: score formula; default `.perTrial`.
    /// - Returns: the report.
    /// - Throws: `AnalysisError` (selection errors, or `.database` wrapping an SQLite error).
    public static func load(
        from reader: any DatabaseReader, selector: RunSelector = .latest,
        weights: ScoreWeights = .unit, scoreKind: ScoreKind = .perTrial
    ) throws -> SummaryReport {
        let name = reader.path
        do {
            return try reader.read { db in
                let runID = try selector.resolve(db, databaseName: name)
                return try fetch(db, runID: runID, weights: weights, scoreKind: scoreKind)
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    /// Reads the summary of one run on an open connection.
    /// - Parameters:
    ///   - db: an open connection to a results database.
    ///   - runID: `run.id`.
    ///   - weights: score weights; default `(1, 1)`.
    ///   - scoreKind: score formula; default `.perTrial`.
    /// - Returns: the report.
    /// - Throws: `AnalysisError.unknownRun`; SQLite errors as GRDB's `DatabaseError`.
    public static func fetch(
        _ db: Database, runID: Int64, weights: ScoreWeights = .unit, scoreKind: ScoreKind = .perTrial
    ) throws -> SummaryReport {
        let run = try RunHeader.fetch(db, runID: runID)
        let armRows = try Row.fetchAll(
            db, sql: "SELECT id, arm_index, name, strategy FROM arm WHERE run_id = ? ORDER BY arm_index",
            arguments: [runID])
        let arms = try armRows.map { row in
            try fetchArm(db, armID: row[0], armIndex: row[1], name: row[2], strategy: row[3],
                         weights: weights, scoreKind: scoreKind)
        }
        return SummaryReport(run: run, weights: weights, scoreKind: scoreKind, arms: arms)
    }

    /// One arm's line. Queries filter on `arm_id`, the views' grouping column, so SQLite pushes
    /// the filter down to the `trial(arm_id, …)` index instead of aggregating every run.
    static func fetchArm(
        _ db: Database, armID: Int64, armIndex: Int, name: String, strategy: String,
        weights: ScoreWeights, scoreKind: ScoreKind
    ) throws -> ArmSummary {
        let scoreSQL: String
        switch scoreKind {
        case .perTrial:
            scoreSQL = "(SELECT avg(:wi * m.hr - :wj * m.er) FROM trial_metrics m WHERE m.arm_id = :arm)"
        case .seed:
            scoreSQL = ":wi * s.aggregate_hr - :wj * s.mean_er"
        }
        let sql = """
            SELECT s.trials, s.completed, s.errored, s.timed_out, s.failed, s.mean_tries,
                   s.aggregate_hr, s.per_trial_hr, s.mean_delay_s, s.mean_er, \(scoreSQL) AS score
            FROM arm_summary s WHERE s.arm_id = :arm
            """
        let arguments: StatementArguments = ["arm": armID, "wi": weights.wi, "wj": weights.wj]
        let delays = try Double.fetchAll(
            db,
            sql: "SELECT delay_s FROM trial_metrics WHERE arm_id = ? AND delay_s IS NOT NULL ORDER BY delay_s",
            arguments: [armID])
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments) else {
            // An arm without trials yet: no row in the grouped view.
            return ArmSummary(
                armIndex: armIndex, name: name, strategy: strategy, trials: 0,
                completed: 0, errored: 0, timedOut: 0, failed: 0, meanTries: nil,
                aggregateHitRate: nil, perTrialHitRate: nil, meanDelay: nil, p50Delay: nil,
                p90Delay: nil, p99Delay: nil, meanEfficiencyRatio: nil, score: nil)
        }
        return ArmSummary(
            armIndex: armIndex, name: name, strategy: strategy,
            trials: row["trials"], completed: row["completed"], errored: row["errored"],
            timedOut: row["timed_out"], failed: row["failed"], meanTries: row["mean_tries"],
            aggregateHitRate: row["aggregate_hr"], perTrialHitRate: row["per_trial_hr"],
            meanDelay: row["mean_delay_s"],
            p50Delay: Statistics.percentile(sorted: delays, 0.50),
            p90Delay: Statistics.percentile(sorted: delays, 0.90),
            p99Delay: Statistics.percentile(sorted: delays, 0.99),
            meanEfficiencyRatio: row["mean_er"], score: row["score"])
    }

    enum CodingKeys: String, CodingKey {
        case run, weights, scoreKind = "score_kind", arms
    }
}
