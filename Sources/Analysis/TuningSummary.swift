import Foundation
import PollingCore
import TraceStore

/// The statistics and text of one `experiment tune`: confidence intervals, ties, ranks and the
/// per-family report, from the tuner's raw outcome (plain values, so that `Analysis` needs no
/// runner).
///
/// - Score objective: a family's score is the exact expected score when its best schedule is
///   fixed, else the mean over the common trials with a 95 % Student t interval
///   (`MeanEstimate`). Families are ranked by score.
/// - SLO objective: families meeting the bound (p99 delay's 95 % order-statistic upper bound
///   ≤ bound, `QuantileUpperBound`) come first, by mean calls (95 % t interval).
/// - Ties: two candidates are tied when the 95 % t interval of their per-trial paired
///   differences on the common trials (score, or calls for `slo`) contains 0; a family tied
///   with the best family is marked, and within a family the finalists tied with its best are
///   listed instead of being ranked by noise.
public struct TuningSummary: Sendable {
    /// One simulated candidate on the common trials.
    public struct Candidate: Sendable, Hashable {
        /// `key=value` text of its parameters.
        public var label: String
        /// Exact expected score, when its schedule is fixed.
        public var exactScore: Double?
        /// Per-trial scores, calls and delays (seconds, `+infinity` when undetected) in trial order.
        public var scores: [Double]
        public var calls: [Double]
        public var delays: [Double]

        public init(label: String, exactScore: Double?, scores: [Double], calls: [Double], delays: [Double]) {
            self.label = label
            self.exactScore = exactScore
            self.scores = scores
            self.calls = calls
            self.delays = delays
        }
    }

    /// A neighbour of the best setting (sensitivity).
    public struct Neighbour: Sendable, Hashable {
        public var parameter: String
        public var label: String
        public var value: String
        /// Score, or mean calls for `slo`.
        public var objective: Double
        public var feasible: Bool

        public init(parameter: String, label: String, value: String, objective: Double, feasible: Bool) {
            self.parameter = parameter
            self.label = label
            self.value = value
            self.objective = objective
            self.feasible = feasible
        }
    }

    /// A setting in an SDK's own terms.
    public struct SDKSetting: Sendable, Hashable {
        /// The SDK, e.g. `smithy-swift`.
        public var sdk: String
        public var language: String
        /// Where its semantics are defined.
        public var source: String
        /// The setting, or why it cannot be set.
        public var text: String

        public init(sdk: String, language: String, source: String, text: String) {
            self.sdk = sdk
            self.language = language
            self.source = source
            self.text = text
        }
    }

    /// One family's outcome.
    public struct Family: Sendable, Hashable {
        public var name: String
        public var strategy: String
        public var parametersJSON: String
        /// Finalists, best first (non-empty).
        public var candidates: [Candidate]
        public var sensitivity: [Neighbour]
        public var armYAML: String
        public var sdk: [SDKSetting]
        public var evaluations: Int

        public init(name: String, strategy: String, parametersJSON: String, candidates: [Candidate], sensitivity: [Neighbour],
                    armYAML: String, sdk: [SDKSetting], evaluations: Int) {
            self.name = name
            self.strategy = strategy
            self.parametersJSON = parametersJSON
            self.candidates = candidates
            self.sensitivity = sensitivity
            self.armYAML = armYAML
            self.sdk = sdk
            self.evaluations = evaluations
        }
    }

    public var provenance: TuningProvenance
    /// The optimal fixed schedule's exact score and its common-trial simulation.
    public var optimal: Candidate?
    public var families: [Family]

    public init(provenance: TuningProvenance, optimal: Candidate?, families: [Family]) {
        self.provenance = provenance
        self.optimal = optimal
        self.families = families
    }

    var isSLO: Bool { provenance.objective == "slo" }

    /// The paired 95 % t interval of `b − a` per trial, `nil` with fewer than 2 trials.
    public static func pairedDifference(_ a: [Double], _ b: [Double]) -> MeanEstimate? {
        guard a.count == b.count, a.count >= 2 else { return nil }
        return MeanEstimate.of(zip(a, b).map { $1 - $0 })
    }

    /// True when the paired 95 % interval of `b − a` contains 0 (no interval: not tied unless
    /// the values are identical).
    public static func tied(_ a: [Double], _ b: [Double]) -> Bool {
        guard let d = pairedDifference(a, b), let lower = d.lower, let upper = d.upper else { return a == b }
        return lower <= 0 && upper >= 0
    }

    /// The sample p99 (type 7) and its 95 % order-statistic upper bound, seconds (infinite
    /// when undetected trials reach them; the bound `nil` below 299 trials).
    public static func p99(_ delays: [Double]) -> (value: Double?, upperBound: Double?) {
        let sorted = delays.sorted()
        let value = sorted.contains(.infinity) ? percentileAllowingInfinity(sorted) : Statistics.percentile(sorted: sorted, 0.99)
        return (value, QuantileUpperBound.bound(delays, p: 0.99, confidence: 0.95))
    }

    private static func percentileAllowingInfinity(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * 0.99
        let lower = Int(h.rounded(.down)), upper = min(lower + 1, sorted.count - 1)
        if sorted[upper] == .infinity { return h == Double(lower) && sorted[lower].isFinite ? sorted[lower] : .infinity }
        return Statistics.percentile(sorted: sorted, 0.99)
    }

    /// The value a family is judged by: its score, or its mean calls for `slo`.
    func headline(_ c: Candidate) -> Double {
        isSLO ? c.calls.reduce(0, +) / Double(max(1, c.calls.count))
            : (c.exactScore ?? c.scores.reduce(0, +) / Double(max(1, c.scores.count)))
    }

    func feasible(_ c: Candidate) -> Bool {
        guard isSLO, let bound = provenance.sloP99Delay else { return true }
        guard let ub = Self.p99(c.delays).upperBound else { return false }
        return ub <= bound
    }

    /// The families, best first (see the type's documentation), with their records.
    public func records() -> [TuningFamilyRecord] {
        let order = families.indices.sorted { i, j in
            let a = families[i].candidates[0], b = families[j].candidates[0]
            if isSLO {
                return (feasible(a) ? 0 : 1, headline(a), i) < (feasible(b) ? 0 : 1, headline(b), j)
            }
            return (-headline(a), i) < (-headline(b), j)
        }
        guard let first = order.first else { return [] }
        let best = families[first].candidates[0]
        return order.enumerated().map { rank, index in
            let family = families[index], c = family.candidates[0]
            let estimate = MeanEstimate.of(c.scores)
            let p99 = Self.p99(c.delays)
            let tied = index == first || (isSLO ? Self.tied(best.calls, c.calls) && feasible(c) : Self.tied(best.scores, c.scores))
            let score = c.exactScore ?? estimate?.mean ?? .nan
            return TuningFamilyRecord(
                rank: rank + 1, family: family.name, strategy: family.strategy, parametersJSON: family.parametersJSON,
                score: score, scoreExact: c.exactScore != nil, scoreCILow: estimate?.lower, scoreCIHigh: estimate?.upper,
                meanCalls: c.calls.reduce(0, +) / Double(max(1, c.calls.count)), p99Delay: p99.value,
                p99DelayUpperBound: p99.upperBound,
                gapToOptimal: isSLO ? nil : provenance.optimalScore.map { score - $0 },
                tiedWithBest: tied, evaluations: family.evaluations)
        }
    }

    /// The report of `experiment tune`: the ranking table, then per family its best parameters,
    /// values with 95 % intervals, gap to the optimum, ties, sensitivity, arm YAML and SDK terms.
    public func render() -> String {
        let p = provenance
        var out = "Tuning of \(p.experimentName) — objective \(p.objective)"
        out += isSLO ? ": fewest calls with p99 delay <= \(n(p.sloP99Delay ?? .nan)) s (95 % upper bound)"
                     : " at weights (\(n(p.wi)), \(n(p.wj)))"
        out += "; \(p.budget) common trials per candidate, seed \(p.seed); workload \(p.workloadHash)\n"
        if let optimal = p.optimalScore {
            out += "optimal fixed schedule (zero latency, the experiment's deadline): exact score \(n(optimal))"
            if let o = self.optimal { out += ", \(n(o.calls.reduce(0, +) / Double(max(1, o.calls.count)))) calls per trial on the common trials" }
            out += "\n"
        }
        out += "\n" + Self.table(records()).render() + "\n"
        let byName = Dictionary(uniqueKeysWithValues: records().map { ($0.family, $0) })
        for family in families {
            guard let record = byName[family.name] else { continue }
            out += "\n== \(family.name) (rank \(record.rank)\(record.tiedWithBest && record.rank > 1 ? ", tied with the best" : "")) ==\n"
            out += "best: \(family.candidates[0].label)   [\(family.evaluations) candidates evaluated]\n"
            out += values(record) + "\n"
            let ties = family.candidates.dropFirst().filter {
                isSLO ? Self.tied(family.candidates[0].calls, $0.calls) : Self.tied(family.candidates[0].scores, $0.scores)
            }
            out += ties.isEmpty ? "ties: none among the \(family.candidates.count) finalists (paired 95 % intervals exclude 0)\n"
                : "tied (paired 95 % interval of the difference contains 0): " + ties.map(\.label).joined(separator: "; ") + "\n"
            out += "sensitivity (\(isSLO ? "mean calls; * = misses the SLO" : "score")):\n"
            for s in family.sensitivity {
                out += "  \(s.parameter) \(s.label) = \(s.value): \(n(s.objective))\(s.feasible ? "" : " *")"
                out += isSLO ? "\n" : " (\(signed(s.objective - record.score)))\n"
            }
            out += "arm (paste under `arms:`):\n" + family.armYAML.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            for sdk in family.sdk {
                out += "\(sdk.sdk) (\(sdk.language); \(sdk.source)):\n" + sdk.text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        return out
    }

    private func values(_ r: TuningFamilyRecord) -> String {
        var parts: [String] = []
        if r.scoreExact {
            parts.append("score \(n(r.score)) (exact)")
        } else {
            parts.append("score \(n(r.score)) [\(n(r.scoreCILow ?? .nan)), \(n(r.scoreCIHigh ?? .nan))]")
        }
        if let gap = r.gapToOptimal { parts.append("gap to optimal \(signed(gap))") }
        parts.append("calls \(n(r.meanCalls))")
        parts.append("p99 delay \(n(r.p99Delay ?? .infinity)) s (95 % upper bound \(r.p99DelayUpperBound.map { n($0) + " s" } ?? "n/a: fewer than 299 trials"))")
        return parts.joined(separator: ", ")
    }

    /// The ranking table (also used by `analyze tune`).
    static func table(_ records: [TuningFamilyRecord]) -> TextTable {
        var table = TextTable(columns: [
            .init("rank"), .init("family", .left), .init("score"), .init("95% CI", .left), .init("gap"), .init("calls"),
            .init("p99 delay s"), .init("p99 UB s"), .init("tied", .left),
        ])
        for r in records {
            table.rows.append([
                String(r.rank), r.family, n(r.score),
                r.scoreExact ? "exact" : "[\(r.scoreCILow.map(n) ?? "n/a"), \(r.scoreCIHigh.map(n) ?? "n/a")]",
                r.gapToOptimal.map(signed) ?? "", n(r.meanCalls), n(r.p99Delay ?? .infinity),
                r.p99DelayUpperBound.map(n) ?? "n/a", r.rank == 1 ? "best" : (r.tiedWithBest ? "yes" : ""),
            ])
        }
        return table
    }

    static func n(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "n/a" : (x > 0 ? "inf" : "-inf") }
        return String(format: "%.4g", x)
    }

    static func signed(_ x: Double) -> String { x >= 0 ? "+" + n(x) : n(x) }

    private func n(_ x: Double) -> String { Self.n(x) }
    private func signed(_ x: Double) -> String { Self.signed(x) }
}
