import Foundation
import Yams

/// The allowed regression per metric for `analyze check`, read from a YAML mapping of metric →
/// limit, e.g.
///
/// ```yaml
/// score: 2%          # relative: 2 % of max(|baseline|, floor)
/// p99_delay_s: 10%
/// mean_tries: 5%
/// mean_delay_s: 0.05 # absolute, in the metric's unit (seconds here)
/// ```
///
/// Metrics are the closed list of `CheckMetric`; only the metrics named are checked.
public struct CheckThresholds: Sendable, Hashable {
    /// A limit: a fraction of the baseline, or an absolute amount in the metric's unit.
    public enum Limit: Sendable, Hashable, CustomStringConvertible {
        case relative(Double)
        case absolute(Double)

        /// The allowed change in the bad direction, for a baseline value.
        public func allowed(baseline: Double, metric: CheckMetric) -> Double {
            switch self {
            case .relative(let r): return r * max(abs(baseline), metric.relativeFloor)
            case .absolute(let a): return a
            }
        }

        public var description: String {
            switch self {
            case .relative(let r): return ScoreWeights.format(r * 100) + "%"
            case .absolute(let a): return ScoreWeights.format(a)
            }
        }
    }

    /// The limits, by metric.
    public var limits: [CheckMetric: Limit]

    /// Creates thresholds.
    public init(limits: [CheckMetric: Limit]) {
        self.limits = limits
    }

    /// The thresholds used without `--thresholds`: score 2 %, HR 5 %, mean tries 5 %, mean delay
    /// 5 %, p99 delay 10 %, mean ER 5 %.
    public static let defaults = CheckThresholds(limits: [
        .score: .relative(0.02), .hr: .relative(0.05), .meanTries: .relative(0.05), .meanDelay: .relative(0.05),
        .p99Delay: .relative(0.10), .er: .relative(0.05),
    ])

    /// Parses a thresholds file's text.
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - file: how to name the file in errors.
    /// - Returns: the thresholds (at least one metric).
    /// - Throws: `AnalysisError.invalidField` naming the file, the line and the key: not a
    ///   mapping, an unknown metric (listing the known ones), or a limit that is not `N%` or a
    ///   number ≥ 0.
    public static func parse(_ yaml: String, file: String) throws -> CheckThresholds {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            throw AnalysisError.invalidField(file, "not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping, !mapping.isEmpty else {
            throw AnalysisError.invalidField(
                file, "expected a mapping of metric: limit, e.g. `score: 2%` (metrics: \(known))")
        }
        var limits: [CheckMetric: Limit] = [:]
        for (key, value) in mapping {
            let line = key.mark.map { ":\($0.line)" } ?? ""
            let name = key.string ?? "\(key)"
            guard let metric = CheckMetric(rawValue: name) else {
                throw AnalysisError.invalidField(
                    "\(file)\(line): \(name)", "unknown metric (known metrics: \(known))")
            }
            guard let text = value.string?.trimmingCharacters(in: .whitespaces), let limit = parseLimit(text) else {
                throw AnalysisError.invalidField(
                    "\(file)\(line): \(name)",
                    "expected a relative limit like 5% or an absolute number >= 0 in the metric's unit, got \"\(value.string ?? "\(value)")\"")
            }
            limits[metric] = limit
        }
        return CheckThresholds(limits: limits)
    }

    /// `N%` → relative N/100, a plain number → absolute; both finite and ≥ 0.
    static func parseLimit(_ text: String) -> Limit? {
        if text.hasSuffix("%") {
            guard let v = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), v.isFinite, v >= 0 else { return nil }
            return .relative(v / 100)
        }
        guard let v = Double(text), v.isFinite, v >= 0 else { return nil }
        return .absolute(v)
    }

    static var known: String { CheckMetric.allCases.map(\.rawValue).joined(separator: ", ") }
}
