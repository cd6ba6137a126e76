/// An inclusive range of weights `lo:hi:step`, e.g. `0:3:0.25` = 0, 0.25, …, 3 (13 values).
public struct WeightGrid: Sendable, Hashable, CustomStringConvertible {
    /// The values, ascending; value k is `lo + k · step` (no accumulated rounding).
    public let values: [Double]
    /// The text it was parsed from, normalised (`0:3:0.25`).
    public let description: String

    /// The largest number of values a grid may have.
    public static let maxValues = 201

    /// Parses `LO:HI:STEP` (or a single number for a one-value grid).
    /// - Parameters:
    ///   - text: the range, e.g. `0:3:0.25`; LO ≤ HI, STEP > 0, at most `maxValues` values.
    ///   - field: the option name for errors, e.g. `--wi`.
    /// - Returns: the grid.
    /// - Throws: `AnalysisError.invalidField` naming `field` and the expected form.
    public static func parse(_ text: String, field: String) throws -> WeightGrid {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
        let bad = AnalysisError.invalidField(
            field, "expects LO:HI:STEP with LO <= HI, STEP > 0 and at most \(maxValues) values (e.g. 0:3:0.25) or one number, got \"\(text)\"")
        if parts.count == 1, let v = parts[0], v.isFinite {
            return WeightGrid(values: [v], description: ScoreWeights.format(v))
        }
        guard parts.count == 3, let lo = parts[0], let hi = parts[1], let step = parts[2],
              lo.isFinite, hi.isFinite, step.isFinite, step > 0, lo <= hi
        else { throw bad }
        let steps = ((hi - lo) / step + 1e-9).rounded(.down)
        guard steps + 1 <= Double(maxValues) else { throw bad }
        let values = (0...Int(steps)).map { lo + Double($0) * step }
        return WeightGrid(values: values, description: [lo, hi, step].map(ScoreWeights.format).joined(separator: ":"))
    }

    private init(values: [Double], description: String) {
        self.values = values
        self.description = description
    }
}
