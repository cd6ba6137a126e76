import GRDB

/// A comparison of two arms (same run: paired by trial) or of two runs' arms (Welch).
///
/// For each metric: means of A and B, the difference B − A, the relative difference
/// (B − A) / |A|, a 95 % confidence interval of the difference, and a verdict that needs both
/// significance (the interval excludes 0) and a minimum effect (|relative| ≥ `minEffect`; when A's
/// mean is 0 there is no relative difference and the absolute |B − A| ≥ `minEffect` is required).
/// Paired: arms of one run poll the same jobs (same `trial_index` = same job), so the interval is
/// the one-sample t interval of the per-trial differences (pairs where both values exist).
/// Unpaired (different runs): Welch's t interval with Welch–Satterthwaite degrees of freedom
/// (B. L. Welch, Biometrika 34, 1947).
public struct Comparison: Sendable, Hashable {
    /// The compared metrics; `lowerIsBetter` gives the verdict's direction.
    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case delay = "delay s", tries, perTrialHR = "per-trial HR", er = "ER", score
        /// Whether a smaller value is better.
        public var lowerIsBetter: Bool { self == .delay || self == .tries || self == .er }
    }

    /// One metric's line.
    public struct Line: Sendable, Hashable {
        public var metric: Metric
        /// Pairs (paired) or `min(nA, nB)` (Welch) — the sample behind the interval.
        public var n: Int
        public var meanA: Double
        public var meanB: Double
        /// B − A.
        public var difference: Double
        /// (B − A) / |A|; `nil` when A's mean is 0.
        public var relative: Double?
        /// 95 % interval of B − A; `nil` when undefined (fewer than 2 values).
        public var lower: Double?
        public var upper: Double?
        /// The verdict text.
        public var verdict: String
    }

    /// A's label (`arm` or `run N arm`), B's label.
    public var labelA: String
    public var labelB: String
    /// `true` for the paired method.
    public var paired: Bool
    /// The weights of the score line.
    public var weights: ScoreWeights
    /// The minimum relative effect for a verdict of "better" (absolute when A's mean is 0).
    public var minEffect: Double
    /// One line per metric, in `Metric` order.
    public var lines: [Line]

    /// Per-trial values of one arm group, keyed by (run, trial_index).
    struct Trial: Decodable, FetchableRecord {
        var runID: Int64
        var trialIndex: Int64
        var delay: Double?
        var tries: Double
        var hr: Double
        var er: Double
        var key: [Int64] { [runID, trialIndex] }
        enum CodingKeys: String, CodingKey {
            case runID = "run_id", trialIndex = "trial_index", delay = "delay_s", tries, hr, er
        }
    }

    static func trials(_ db: Database, _ group: ArmGroup) throws -> [Trial] {
        try SQLRequest<Trial>(literal: """
            SELECT run_id, trial_index, delay_s, tries, hr, er FROM trial_metrics
            WHERE arm_id IN \(group.armIDs) ORDER BY run_id, trial_index
            """).fetchAll(db)
    }

    static func value(_ t: Trial, _ metric: Metric, _ w: ScoreWeights) -> Double? {
        switch metric {
        case .delay: return t.delay
        case .tries: return t.tries
        case .perTrialHR: return t.hr
        case .er: return t.er
        case .score: return w.wi * t.hr - w.wj * t.er
        }
    }

    /// Compares two arm groups (pure once the trials are read).
    /// - Parameters:
    ///   - db: an open connection.
    ///   - a: the reference arm(s).
    ///   - b: the other arm(s).
    ///   - labels: how to name A and B.
    ///   - paired: pair trials by `(run_id, trial_index)` (same run) instead of Welch.
    ///   - weights: weights of the per-trial score line.
    ///   - minEffect: minimum |relative difference| for "better", e.g. 0.05 (absolute when A's mean is 0).
    /// - Returns: the comparison.
    /// - Throws: GRDB errors.
    public static func fetch(_ db: Database, a: ArmGroup, b: ArmGroup, labels: (String, String), paired: Bool,
                             weights: ScoreWeights, minEffect: Double) throws -> Comparison {
        let ta = try trials(db, a), tb = try trials(db, b)
        var lines: [Line] = []
        for metric in Metric.allCases {
            let line: Line?
            if paired {
                var byKey: [[Int64]: Double] = [:]
                for t in tb { if let v = value(t, metric, weights) { byKey[t.key] = v } }
                var xs: [Double] = [], ys: [Double] = []
                for t in ta { if let x = value(t, metric, weights), let y = byKey[t.key] { xs.append(x); ys.append(y) } }
                line = pairedLine(metric, xs, ys, minEffect: minEffect, names: labels)
            } else {
                line = welchLine(metric, ta.compactMap { value($0, metric, weights) },
                                 tb.compactMap { value($0, metric, weights) }, minEffect: minEffect, names: labels)
            }
            if let line { lines.append(line) }
        }
        return Comparison(labelA: labels.0, labelB: labels.1, paired: paired, weights: weights,
                          minEffect: minEffect, lines: lines)
    }

    /// The paired line: t interval of the differences y − x.
    public static func pairedLine(_ metric: Metric, _ xs: [Double], _ ys: [Double], minEffect: Double,
                                  names: (String, String)) -> Line? {
        guard !xs.isEmpty, xs.count == ys.count, let d = MeanEstimate.of(zip(xs, ys).map { $1 - $0 }) else { return nil }
        let meanA = xs.reduce(0, +) / Double(xs.count), meanB = ys.reduce(0, +) / Double(ys.count)
        return make(metric, n: xs.count, meanA: meanA, meanB: meanB, lower: d.lower, upper: d.upper,
                    minEffect: minEffect, names: names)
    }

    /// The Welch line: interval of meanB − meanA with Welch–Satterthwaite degrees of freedom
    /// (`TInterval.welch`).
    public static func welchLine(_ metric: Metric, _ xs: [Double], _ ys: [Double], minEffect: Double,
                                 names: (String, String)) -> Line? {
        guard !xs.isEmpty, !ys.isEmpty else { return nil }
        let welch = TInterval.welch(xs, ys)
        return make(metric, n: min(xs.count, ys.count), meanA: welch.base, meanB: welch.cand, lower: welch.lower,
                    upper: welch.upper, minEffect: minEffect, names: names)
    }

    static func make(_ metric: Metric, n: Int, meanA: Double, meanB: Double, lower: Double?, upper: Double?,
                     minEffect: Double, names: (String, String)) -> Line {
        let difference = meanB - meanA
        let relative: Double? = meanA != 0 ? difference / abs(meanA) : nil
        let verdict: String
        if let lower, let upper {
            if lower <= 0 && upper >= 0 {
                verdict = "no significant difference"
            } else if abs(relative ?? difference) < minEffect {
                // Relative effect; with A's mean 0 there is none, so the absolute difference.
                verdict = "significant but below the minimum effect"
            } else {
                let bBetter = (difference < 0) == metric.lowerIsBetter
                verdict = "\(TextEscaping.oneLine(bBetter ? names.1 : names.0)) better"
            }
        } else {
            verdict = "too few values"
        }
        return Line(metric: metric, n: n, meanA: meanA, meanB: meanB, difference: difference, relative: relative,
                    lower: lower, upper: upper, verdict: verdict)
    }

    /// Renders the comparison as a table with a header and a footer.
    /// - Returns: text ending with a newline.
    public func render() -> String {
        var table = TextTable(columns: [
            .init("metric", .left), .init("n"), .init("A"), .init("B"), .init("B - A"), .init("relative"),
            .init("95% CI of B - A"), .init("verdict", .left),
        ])
        for line in lines {
            let f = { (v: Double) in SummaryRenderer.fixed(v, 4) ?? "-" }
            let ci = line.lower.flatMap { lo in line.upper.map { "[\(f(lo)), \(f($0))]" } } ?? "-"
            let rel = line.relative.map { (SummaryRenderer.fixed($0 * 100, 1) ?? "-") + " %" } ?? "-"
            table.rows.append([line.metric.rawValue, String(line.n), f(line.meanA), f(line.meanB), f(line.difference),
                               rel, ci, line.verdict])
        }
        let method = paired
            ? "paired by trial (same trial_index = same job): t interval of per-trial differences"
            : "unpaired (different runs): Welch t interval"
        return [
            "compare A = \(TextEscaping.oneLine(labelA)) vs B = \(TextEscaping.oneLine(labelB))",
            "method: \(method); verdict needs the 95 % CI to exclude 0 and |relative| >= \(SummaryRenderer.fixed(minEffect * 100, 1) ?? "-") %",
            "",
            table.render(),
            "",
            "delay over detected trials; score = \(ScoreWeights.format(weights.wi))*HR - \(ScoreWeights.format(weights.wj))*ER per trial; lower is better for delay, tries and ER",
        ].joined(separator: "\n") + "\n"
    }
}
