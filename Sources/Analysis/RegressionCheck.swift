import GRDB
import PollingCore

/// `analyze check`: a candidate run against a baseline run, arm by arm, on the metrics named in
/// a thresholds file, with a verdict per (arm, metric) and an overall pass or fail.
///
/// Method, for each arm present in both runs and each metric:
/// - Means (score, HR, tries, delay, ER): a 95 % t interval of candidate − baseline, **paired by
///   job** (same `trial_index` = same job) when both runs used the same seed (common random
///   numbers), else Welch's interval (B. L. Welch, Biometrika 34, 1947). The two-sided p-value is
///   the t distribution's.
/// - Percentiles (p50/p90/p99 delay): a percentile bootstrap (Efron and Tibshirani, 1993, ch. 13)
///   of the difference of the two sample percentiles, resampling pairs when paired and each run
///   on its own otherwise, from a seeded generator (same database → same verdicts); the p-value is
///   twice the smaller share of resampled differences on either side of 0.
/// - Family-wise error: Holm's step-down method (S. Holm, Scand. J. Statist. 6, 1979) over all
///   (arm, metric) tests, at 5 %. A change is *significant* when its Holm-adjusted p ≤ 0.05.
/// - A **regression** is a significant change in the bad direction whose size exceeds the
///   metric's allowed regression (`CheckThresholds.Limit.allowed`). An improvement is a
///   significant change in the good direction; anything else is `~`.
public struct RegressionCheck: Sendable, Hashable {
    /// One (arm, metric) line.
    public struct Line: Sendable, Hashable {
        public var arm: String
        public var metric: CheckMetric
        /// Pairs (paired) or `min(nBaseline, nCandidate)` values behind the estimate.
        public var n: Int
        public var baseline: Double
        public var candidate: Double
        /// candidate − baseline.
        public var difference: Double
        /// 95 % interval of the difference (unadjusted), `nil` with too few values.
        public var lower: Double?
        public var upper: Double?
        /// The raw two-sided p-value and the Holm-adjusted one.
        public var p: Double
        public var pHolm: Double
        /// The allowed regression (in the metric's unit) and the limit it came from.
        public var allowed: Double
        public var limit: CheckThresholds.Limit
        /// The outcome.
        public var verdict: Verdict
    }

    /// A line's outcome.
    public enum Verdict: String, Sendable, Hashable {
        /// No significant change (benchstat's `~`).
        case unchanged = "~"
        /// Significantly better.
        case improved = "better"
        /// Significantly worse but within the allowed regression.
        case withinLimit = "worse, within limit"
        /// Significantly worse beyond the allowed regression.
        case regression = "REGRESSION"
    }

    public var baselineRun: Int64
    public var candidateRun: Int64
    /// `true` when both runs used the same seed and trials were paired by job.
    public var paired: Bool
    public var weights: ScoreWeights
    /// Bootstrap resamples and the generator's seed.
    public var resamples: Int
    public var bootstrapSeed: UInt64
    /// Arms in only one of the runs (not checked).
    public var skippedArms: [String]
    public var lines: [Line]

    /// Whether any line is a regression (the command then exits with status 1).
    public var hasRegression: Bool { lines.contains { $0.verdict == .regression } }

    /// The family-wise error rate controlled by Holm's method.
    public static let alpha = 0.05

    /// Loads two runs and checks them.
    /// - Parameters:
    ///   - reader: a results database.
    ///   - baseline: the baseline run id.
    ///   - candidate: the candidate run id.
    ///   - thresholds: the metrics to check and their limits.
    ///   - weights: the score's weights (default 1, 1).
    ///   - resamples: bootstrap resamples for percentiles (default 1 000, at least 100).
    ///   - bootstrapSeed: the bootstrap generator's seed (default 1).
    /// - Returns: the check.
    /// - Throws: `AnalysisError.unknownRun`, `.invalidField` when the runs share no arm name or
    ///   `resamples` < 100, `.database`.
    public static func load(from reader: any DatabaseReader, baseline: Int64, candidate: Int64,
                            thresholds: CheckThresholds, weights: ScoreWeights = .unit,
                            resamples: Int = 1_000, bootstrapSeed: UInt64 = 1) throws -> RegressionCheck {
        guard resamples >= 100 else {
            throw AnalysisError.invalidField("--resamples", "must be at least 100, got \(resamples)")
        }
        let name = reader.path
        do {
            return try reader.read { db in
                for run in [baseline, candidate] { _ = try RunSelector.run(run).resolve(db, databaseName: name) }
                let seeds = try String.fetchAll(
                    db, sql: "SELECT seed FROM run WHERE id IN (?, ?) ORDER BY id", arguments: [baseline, candidate])
                let paired = baseline == candidate || (seeds.count == 2 && seeds[0] == seeds[1])
                let baseArms = try ArmGroup.fetchAll(db, runIDs: [baseline])
                let candArms = try ArmGroup.fetchAll(db, runIDs: [candidate])
                let candByName = Dictionary(candArms.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
                let common = baseArms.filter { candByName[$0.name] != nil }
                guard !common.isEmpty else {
                    throw AnalysisError.invalidField(
                        "--candidate", "runs \(baseline) and \(candidate) have no arm name in common "
                            + "(baseline arms: \(baseArms.map(\.name).joined(separator: ", ")); "
                            + "candidate arms: \(candArms.map(\.name).joined(separator: ", ")))")
                }
                let commonNames = Set(common.map(\.name))
                let skipped = (baseArms + candArms).map(\.name).filter { !commonNames.contains($0) }
                var generator = SeededGenerator(seed: bootstrapSeed)
                var lines: [Line] = []
                for arm in common {
                    let base = try Comparison.trials(db, arm), cand = try Comparison.trials(db, candByName[arm.name]!)
                    for metric in CheckMetric.allCases {
                        guard let limit = thresholds.limits[metric] else { continue }
                        let (xs, ys) = samples(base, cand, metric: metric, weights: weights, paired: paired)
                        if let line = estimate(arm: arm.name, metric: metric, xs, ys, paired: paired, limit: limit,
                                               resamples: resamples, generator: &generator) {
                            lines.append(line)
                        }
                    }
                }
                return RegressionCheck(
                    baselineRun: baseline, candidateRun: candidate, paired: paired, weights: weights,
                    resamples: resamples, bootstrapSeed: bootstrapSeed, skippedArms: skipped,
                    lines: applyHolm(lines))
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }

    /// The baseline and candidate values of a metric: per-trial values, aligned by
    /// `trial_index` (pairs where both exist) when paired.
    static func samples(_ base: [Comparison.Trial], _ cand: [Comparison.Trial], metric: CheckMetric,
                        weights: ScoreWeights, paired: Bool) -> ([Double], [Double]) {
        func value(_ t: Comparison.Trial) -> Double? {
            switch metric {
            case .score: return weights.wi * t.hr - weights.wj * t.er
            case .hr: return t.hr
            case .meanTries: return t.tries
            case .er: return t.er
            case .meanDelay, .p50Delay, .p90Delay, .p99Delay: return t.delay
            }
        }
        guard paired else { return (base.compactMap(value), cand.compactMap(value)) }
        var byIndex: [Int64: Double] = [:]
        for t in cand { if let v = value(t) { byIndex[t.key[1]] = v } }
        var xs: [Double] = [], ys: [Double] = []
        for t in base { if let x = value(t), let y = byIndex[t.key[1]] { xs.append(x); ys.append(y) } }
        return (xs, ys)
    }

    /// One line before Holm's adjustment (`pHolm` = `p`, verdict from the raw p).
    static func estimate(arm: String, metric: CheckMetric, _ xs: [Double], _ ys: [Double], paired: Bool,
                         limit: CheckThresholds.Limit, resamples: Int,
                         generator: inout SeededGenerator) -> Line? {
        guard !xs.isEmpty, !ys.isEmpty else { return nil }
        let interval: (point: Double, base: Double, cand: Double, lower: Double?, upper: Double?, p: Double)
        if let q = metric.quantile {
            interval = BootstrapInterval.percentileDifference(
                xs, ys, quantile: q, paired: paired, resamples: resamples, generator: &generator)
        } else if paired {
            interval = TInterval.paired(xs, ys)
        } else {
            interval = TInterval.welch(xs, ys)
        }
        let allowed = limit.allowed(baseline: interval.base, metric: metric)
        var line = Line(arm: arm, metric: metric, n: paired ? xs.count : min(xs.count, ys.count),
                        baseline: interval.base, candidate: interval.cand, difference: interval.point,
                        lower: interval.lower, upper: interval.upper, p: interval.p, pHolm: interval.p,
                        allowed: allowed, limit: limit, verdict: .unchanged)
        line.verdict = verdict(line)
        return line
    }

    /// The verdict from the Holm-adjusted p, the direction and the allowed regression.
    static func verdict(_ line: Line) -> Verdict {
        guard line.pHolm <= alpha, line.difference != 0 else { return .unchanged }
        if let lower = line.lower, let upper = line.upper, lower <= 0, upper >= 0 { return .unchanged }
        let worse = (line.difference < 0) == line.metric.higherIsBetter
        guard worse else { return .improved }
        return abs(line.difference) > line.allowed ? .regression : .withinLimit
    }

    /// Holm's step-down adjustment: sort the m p-values ascending; the k-th (from 1) becomes
    /// max over j ≤ k of min(1, (m − j + 1)·p_(j)). Verdicts are recomputed from it.
    static func applyHolm(_ lines: [Line]) -> [Line] {
        let m = lines.count
        let order = lines.indices.sorted { (lines[$0].p, $0) < (lines[$1].p, $1) }
        var adjusted = lines
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * lines[index].p))
            adjusted[index].pHolm = running
            adjusted[index].verdict = verdict(adjusted[index])
        }
        return adjusted
    }
}
