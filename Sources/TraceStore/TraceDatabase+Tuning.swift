import Foundation
import GRDB

/// The provenance of one `experiment tune` (a `tuning` row).
public struct TuningProvenance: Sendable, Hashable {
    /// The experiment whose workload was tuned (upserted into `experiment` by name).
    public var experimentName: String
    /// FNV-1a 64 (hex) of `workload`.
    public var workloadHash: String
    /// The canonical workload text.
    public var workload: String
    /// `score` or `slo`.
    public var objective: String
    /// Score weights.
    public var wi: Double
    public var wj: Double
    /// The SLO bound in seconds (objective `slo`).
    public var sloP99Delay: Double?
    /// Common Monte Carlo trials per candidate (≥ 1).
    public var budget: Int
    public var seed: UInt64
    /// Exact score of the optimal fixed schedule at the weights.
    public var optimalScore: Double?
    public var createdAt: Date
    public var gitSHA: String?
    public var gitDirty: Bool?
    public var host: String
    public var toolchain: String

    /// Each parameter is the property of the same name.
    public init(experimentName: String, workloadHash: String, workload: String, objective: String, wi: Double, wj: Double,
                sloP99Delay: Double?, budget: Int, seed: UInt64, optimalScore: Double?, createdAt: Date,
                gitSHA: String?, gitDirty: Bool?, host: String, toolchain: String) {
        self.experimentName = experimentName
        self.workloadHash = workloadHash
        self.workload = workload
        self.objective = objective
        self.wi = wi
        self.wj = wj
        self.sloP99Delay = sloP99Delay
        self.budget = budget
        self.seed = seed
        self.optimalScore = optimalScore
        self.createdAt = createdAt
        self.gitSHA = gitSHA
        self.gitDirty = gitDirty
        self.host = host
        self.toolchain = toolchain
    }
}

/// One tuned family (a `tuning_family` row); units in the README's schema section.
public struct TuningFamilyRecord: Sendable, Hashable {
    public var rank: Int
    public var family: String
    public var strategy: String
    public var parametersJSON: String
    public var score: Double
    public var scoreExact: Bool
    public var scoreCILow: Double?
    public var scoreCIHigh: Double?
    public var meanCalls: Double
    public var p99Delay: Double?
    public var p99DelayUpperBound: Double?
    public var gapToOptimal: Double?
    public var tiedWithBest: Bool
    public var evaluations: Int

    /// Each parameter is the property of the same name.
    public init(rank: Int, family: String, strategy: String, parametersJSON: String, score: Double, scoreExact: Bool,
                scoreCILow: Double?, scoreCIHigh: Double?, meanCalls: Double, p99Delay: Double?,
                p99DelayUpperBound: Double?, gapToOptimal: Double?, tiedWithBest: Bool, evaluations: Int) {
        self.rank = rank
        self.family = family
        self.strategy = strategy
        self.parametersJSON = parametersJSON
        self.score = score
        self.scoreExact = scoreExact
        self.scoreCILow = scoreCILow
        self.scoreCIHigh = scoreCIHigh
        self.meanCalls = meanCalls
        self.p99Delay = p99Delay
        self.p99DelayUpperBound = p99DelayUpperBound
        self.gapToOptimal = gapToOptimal
        self.tiedWithBest = tiedWithBest
        self.evaluations = evaluations
    }
}

extension TraceDatabase {
    /// Records one tuning and its families in one transaction (append-only).
    /// - Parameters:
    ///   - provenance: the tuning's provenance.
    ///   - families: one record per family (unique family names).
    /// - Returns: the new `tuning.id`.
    /// - Throws: `TraceStoreError.invalidArgument` for a budget below 1, a non-finite score or
    ///   duplicate families; `.readOnly`; `.databaseFailed`.
    public func recordTuning(_ provenance: TuningProvenance, families: [TuningFamilyRecord]) throws -> Int64 {
        guard provenance.budget >= 1 else {
            throw TraceStoreError.invalidArgument(field: "budget", message: "must be >= 1, got \(provenance.budget)")
        }
        guard Set(families.map(\.family)).count == families.count, families.allSatisfy({ $0.score.isFinite }) else {
            throw TraceStoreError.invalidArgument(field: "families", message: "family names must be unique and scores finite")
        }
        @Sendable func finite(_ x: Double?) -> Double? { x.flatMap { $0.isFinite ? $0 : nil } }
        return try write("recording a tuning of \(provenance.experimentName)") { db in
            try db.execute(sql: "INSERT INTO experiment (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                           arguments: [provenance.experimentName])
            try db.execute(
                sql: """
                    INSERT INTO tuning (experiment_id, created_at, workload_hash, workload, objective, wi, wj,
                                        slo_p99_delay_s, budget, seed, optimal_score, git_sha, git_dirty, host, toolchain)
                    VALUES ((SELECT id FROM experiment WHERE name = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [provenance.experimentName, Timestamp.format(provenance.createdAt), provenance.workloadHash,
                            provenance.workload, provenance.objective, provenance.wi, provenance.wj, provenance.sloP99Delay,
                            provenance.budget, String(provenance.seed), finite(provenance.optimalScore), provenance.gitSHA,
                            provenance.gitDirty, provenance.host, provenance.toolchain])
            let tuningID = db.lastInsertedRowID
            let statement = try db.makeStatement(sql: """
                INSERT INTO tuning_family (tuning_id, rank, family, strategy, parameters, score, score_exact, score_ci_low,
                                           score_ci_high, mean_calls, p99_delay_s, p99_delay_ucb_s, gap_to_optimal,
                                           tied_with_best, evaluations)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for f in families {
                try statement.execute(arguments: [
                    tuningID, f.rank, f.family, f.strategy, f.parametersJSON, f.score, f.scoreExact, finite(f.scoreCILow),
                    finite(f.scoreCIHigh), f.meanCalls, finite(f.p99Delay), finite(f.p99DelayUpperBound),
                    finite(f.gapToOptimal), f.tiedWithBest, f.evaluations,
                ])
            }
            return tuningID
        }
    }
}
