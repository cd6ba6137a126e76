/// Small descriptive statistics used by the metrics and the analysis.
public enum Statistics {
    /// The arithmetic mean, `nil` for an empty sample.
    public static func mean(_ values: [Double]) -> Double? {
        values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }

    /// The `p`-quantile (p in [0, 1]) of an **ascending sorted** sample by linear interpolation
    /// between closest ranks (Hyndman–Fan type 7, numpy's default); `nil` for an empty sample.
    public static func percentile(sorted values: [Double], _ p: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let clamped = min(max(p, 0), 1)
        let h = Double(values.count - 1) * clamped
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, values.count - 1)
        return values[lower] + (h - Double(lower)) * (values[upper] - values[lower])
    }

    /// The sample standard deviation (n − 1 denominator), `nil` for fewer than two values.
    public static func standardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1, let m = mean(values) else { return nil }
        let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(values.count - 1)).squareRoot()
    }
}
