import GRDB
import PollingCore

/// The summary of one run, or of every run of an experiment grouped by arm name: provenance
/// and one line per arm with 95 % confidence intervals (DESIGN.md "Metrics").
///
/// Built by SQL over the `trial_metrics` view (TraceStore's `Schema`): one aggregate query per
/// arm gives counts, sums and sums of squares (means, standard deviations and Student t
/// intervals follow, see `MeanEstimate`); delay percentiles are computed in Swift from the
/// delays with `Statistics.percentile(sorted:_:)` (Hyndman–Fan type 7), and so are the
/// lateness percentiles of the status calls (`ArmLateness`). Render it with
/// `SummaryRenderer`.
public struct SummaryReport: Sendable, Hashable, Encodable {
    /// The run the report is about (with several runs: the latest of them).
    public var run: RunHeader
    /// Every run covered, ascending (just `run.runID` for a one-run report).
    public var runIDs: [Int64]
    /// The score weights `(wi, wj)`.
    public var weights: ScoreWeights
    /// Which score formula `ArmSummary.score` uses.
    public var scoreKind: ScoreKind
    /// One line per arm, in `arm_index` order; arms without trials are kept (with zero counts).
    public var arms: [ArmSummary]

    /// Creates a report from parts (tests and golden renderings).
    public init(run: RunHeader, runIDs: [Int64]? = nil, weights: ScoreWeights, scoreKind: ScoreKind,
                arms: [ArmSummary]) {
        self.run = run
        self.runIDs = runIDs ?? [run.runID]
        self.weights = weights
        self.scoreKind = scoreKind
        self.arms = arms
    }

    /// Loads the summary of the selected run (or of all runs of its experiment).
    /// - Parameters:
    ///   - reader: any GRDB reader of a results database (e.g. `TraceDatabase.reader`).
    ///   - selector: which run; default `.latest`.
    ///   - allRuns: cover every run of the selected run's experiment, arms grouped by name;
    ///     default `false`.
    ///   - weights: score weights; default `(1, 1)`.
    ///   - scoreKind: score formula; default `.perTrial`.
    /// - Returns: the report.
    /// - Throws: `AnalysisError` (selection errors, or `.database` wrapping an SQLite error).
    public static func load(
        from reader: any DatabaseReader, selector: RunSelector = .latest, allRuns: Bool = false,
        weights: ScoreWeights = .unit, scoreKind: ScoreKind = .perTrial
    ) throws -> SummaryReport {
        try RunScope.read(reader, selector: selector, allRuns: allRuns) { db, runIDs in
            try fetch(db, runIDs: runIDs, weights: weights, scoreKind: scoreKind)
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
        try fetch(db, runIDs: [runID], weights: weights, scoreKind: scoreKind)
    }

    /// Reads the summary of several runs (arms grouped by name) on an open connection.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - runIDs: the runs, non-empty; the header is the last one's.
    ///   - weights: score weights.
    ///   - scoreKind: score formula.
    /// - Returns: the report.
    /// - Throws: `AnalysisError.unknownRun`; SQLite errors as GRDB's `DatabaseError`.
    public static func fetch(
        _ db: Database, runIDs: [Int64], weights: ScoreWeights, scoreKind: ScoreKind
    ) throws -> SummaryReport {
        let ids = runIDs.sorted()
        guard let last = ids.last else { throw AnalysisError.invalidField("runs", "no run selected") }
        let run = try RunHeader.fetch(db, runID: last)
        let arms = try ArmGroup.fetchAll(db, runIDs: ids).map { group in
            try fetchArm(db, group: group, weights: weights, scoreKind: scoreKind)
        }
        return SummaryReport(run: run, runIDs: ids, weights: weights, scoreKind: scoreKind, arms: arms)
    }

    /// One arm's line: one aggregate pass over the arm's trials (`ArmTotals`), one pass for the delays.
    static func fetchArm(
        _ db: Database, group: ArmGroup, weights: ScoreWeights, scoreKind: ScoreKind
    ) throws -> ArmSummary {
        var delays = try SQLRequest<Double>(literal: """
            SELECT delay_s FROM trial_metrics WHERE arm_id IN \(group.armIDs) AND delay_s IS NOT NULL
            """).fetchAll(db)
        delays.sort()
        let lateness = try ArmLateness.fetch(db, armIDs: group.armIDs)
        guard let totals = try ArmTotals.fetch(db, armIDs: group.armIDs) else {
            // An arm without trials yet.
            return ArmSummary(
                armIndex: group.index, name: group.name, strategy: group.strategy, trials: 0,
                completed: 0, errored: 0, timedOut: 0, failed: 0, meanTries: nil,
                aggregateHitRate: nil, perTrialHitRate: nil, meanDelay: nil, p50Delay: nil,
                p90Delay: nil, p99Delay: nil, meanEfficiencyRatio: nil, score: nil)
        }
        let n = totals.trials
        let sumHR = totals.sumHR, ssHR = totals.sumSquaredHR
        let sumER = totals.sumER, ssER = totals.sumSquaredER, sHRER = totals.sumHRTimesER
        let tries = MeanEstimate.of(count: n, sum: totals.sumTries, sumOfSquares: totals.sumSquaredTries)
        let hr = MeanEstimate.of(count: n, sum: sumHR, sumOfSquares: ssHR)
        // ER and the per-trial score are over the trials that have an ER: a detected trial without
        // ground truth has none (it still counts for tries and HR, and in `noGroundTruth`).
        let nER = totals.trialsWithER
        let er = MeanEstimate.of(count: nER, sum: sumER, sumOfSquares: ssER)
        let delay = MeanEstimate.of(delays)
        let aggregateHR = totals.aggregateHitRate
        let score: Double?
        var scoreCI: Double?
        switch scoreKind {
        case .perTrial:
            // Per-trial score s = wi·hr − wj·er: Σs = wi·Σhr − wj·Σer and
            // Σs² = wi²·Σhr² − 2·wi·wj·Σ(hr·er) + wj²·Σer².
            let (wi, wj) = (weights.wi, weights.wj)
            let (sumHRKnown, ssHRKnown) = (totals.sumHRWithER, totals.sumSquaredHRWithER)
            let estimate = MeanEstimate.of(
                count: nER, sum: wi * sumHRKnown - wj * sumER,
                sumOfSquares: wi * wi * ssHRKnown - 2 * wi * wj * sHRER + wj * wj * ssER)
            score = estimate?.mean
            scoreCI = estimate?.halfWidth
        case .seed:
            score = nER == 0 ? nil : aggregateHR.map { weights.wi * $0 - weights.wj * sumER / Double(nER) }
        }
        return ArmSummary(
            armIndex: group.index, name: group.name, strategy: group.strategy,
            trials: n, completed: totals.completed, errored: totals.errored,
            timedOut: totals.timedOut, failed: totals.failed, meanTries: tries?.mean,
            aggregateHitRate: aggregateHR, perTrialHitRate: hr?.mean,
            meanDelay: delay?.mean,
            p50Delay: Statistics.percentile(sorted: delays, 0.50),
            p90Delay: Statistics.percentile(sorted: delays, 0.90),
            p99Delay: Statistics.percentile(sorted: delays, 0.99),
            meanEfficiencyRatio: er?.mean, score: score, noGroundTruth: totals.noGroundTruth,
            meanTriesCI: tries?.halfWidth, perTrialHitRateCI: hr?.halfWidth, meanDelayCI: delay?.halfWidth,
            meanEfficiencyRatioCI: er?.halfWidth, scoreCI: scoreCI,
            p50LatenessMs: lateness?.p50Milliseconds, p99LatenessMs: lateness?.p99Milliseconds)
    }

    enum CodingKeys: String, CodingKey {
        case run, runIDs = "run_ids", weights, scoreKind = "score_kind", arms
    }
}
