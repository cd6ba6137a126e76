/// The weights `(wi, wj)` of the score `wi · HR − wj · ER` (DESIGN.md "Metrics").
///
/// Weights are applied at analysis time, never stored. Default `(1, 1)`.
public struct ScoreWeights: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// Weight of the hit rate (HR), finite.
    public var wi: Double
    /// Weight of the efficiency ratio (ER), finite.
    public var wj: Double

    /// Creates weights; both must be finite.
    /// - Parameters:
    ///   - wi: weight of the hit rate.
    ///   - wj: weight of the efficiency ratio.
    /// - Throws: `AnalysisError.invalidWeights` when either is NaN or infinite.
    public init(wi: Double, wj: Double) throws {
        guard wi.isFinite, wj.isFinite else {
            throw AnalysisError.invalidWeights("\(wi),\(wj)")
        }
        self.wi = wi
        self.wj = wj
    }

    /// The default weights `(1, 1)`.
    public static let unit = ScoreWeights(finiteWi: 1, finiteWj: 1)

    private init(finiteWi: Double, finiteWj: Double) {
        wi = finiteWi
        wj = finiteWj
    }

    /// Parses `"WI,WJ"`, e.g. `"1,2"` or `"1, 0.5"` (spaces around the numbers are allowed).
    /// - Parameter text: two decimal numbers separated by one comma.
    /// - Returns: the weights.
    /// - Throws: `AnalysisError.invalidWeights` unless the text is exactly two finite numbers.
    public static func parse(_ text: String) throws -> ScoreWeights {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: " \t") }
        guard parts.count == 2,
              let wi = Double(parts[0]), let wj = Double(parts[1]),
              wi.isFinite, wj.isFinite
        else { throw AnalysisError.invalidWeights(text) }
        return try ScoreWeights(wi: wi, wj: wj)
    }

    /// `"wi,wj"` with the shortest exact decimal form of each weight, e.g. `"1,0.5"`.
    public var description: String { "\(Self.format(wi)),\(Self.format(wj))" }

    /// A weight as short text: `1` rather than `1.0`, `0.5` as is.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

/// Which score formula a report uses (DESIGN.md "Metrics").
public enum ScoreKind: String, Sendable, Hashable, Encodable, CaseIterable {
    /// Mean over trials of `wi · HR_trial − wj · ER_trial` (the default; what a strategy can
    /// optimise for one job, and what the theory table uses).
    case perTrial = "per-trial"
    /// `wi · aggregate HR − wj · mean ER`, as the seed prints it.
    case seed = "seed"
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
