/// A sample mean with its standard deviation and a two-sided Student t confidence interval.
///
/// Interval: mean ± t(1 − α/2, n − 1) · s / √n, s the sample standard deviation (n − 1
/// denominator); `StudentT` gives the quantile. Undefined (`nil`) half-width for n < 2.
public struct MeanEstimate: Sendable, Hashable, Encodable {
    /// Sample size.
    public var count: Int
    /// Sample mean.
    public var mean: Double
    /// Sample standard deviation (n − 1 denominator); `nil` for n < 2.
    public var standardDeviation: Double?
    /// Half-width of the confidence interval; `nil` for n < 2.
    public var halfWidth: Double?
    /// Confidence level of the interval, e.g. 0.95.
    public var level: Double

    /// Creates an estimate from its parts (tests and renderers).
    public init(count: Int, mean: Double, standardDeviation: Double?, halfWidth: Double?, level: Double = 0.95) {
        self.count = count
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.halfWidth = halfWidth
        self.level = level
    }

    /// The estimate of a sample.
    /// - Parameters:
    ///   - values: the sample.
    ///   - level: confidence level in (0, 1); default 0.95.
    /// - Returns: the estimate, `nil` for an empty sample.
    public static func of(_ values: [Double], level: Double = 0.95) -> MeanEstimate? {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let ss = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return fromMoments(count: values.count, mean: mean, sumOfSquaredDeviations: ss, level: level)
    }

    /// The estimate from a count, a sum and a sum of squares (as SQL aggregates give them).
    /// - Parameters:
    ///   - count: n.
    ///   - sum: Σx.
    ///   - sumOfSquares: Σx².
    ///   - level: confidence level; default 0.95.
    /// - Returns: the estimate, `nil` when n = 0.
    public static func of(count: Int, sum: Double, sumOfSquares: Double, level: Double = 0.95) -> MeanEstimate? {
        guard count > 0 else { return nil }
        let mean = sum / Double(count)
        let ss = max(0, sumOfSquares - sum * mean)
        return fromMoments(count: count, mean: mean, sumOfSquaredDeviations: ss, level: level)
    }

    /// The estimate from n, the mean and Σ(x − mean)².
    /// - Returns: the estimate, `nil` when n = 0.
    public static func fromMoments(count: Int, mean: Double, sumOfSquaredDeviations ss: Double,
                                   level: Double = 0.95) -> MeanEstimate? {
        guard count > 0 else { return nil }
        guard count > 1 else { return MeanEstimate(count: 1, mean: mean, standardDeviation: nil, halfWidth: nil, level: level) }
        let sd = (max(0, ss) / Double(count - 1)).squareRoot()
        let t = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: Double(count - 1))
        return MeanEstimate(count: count, mean: mean, standardDeviation: sd,
                            halfWidth: t * sd / Double(count).squareRoot(), level: level)
    }

    /// Lower end of the interval (`nil` without a half-width).
    public var lower: Double? { halfWidth.map { mean - $0 } }
    /// Upper end of the interval (`nil` without a half-width).
    public var upper: Double? { halfWidth.map { mean + $0 } }

    enum CodingKeys: String, CodingKey {
        case count = "n", mean, standardDeviation = "sd", halfWidth = "ci_half_width", level = "ci_level"
    }

    /// Encodes every key, `null` when undefined.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(count, forKey: .count)
        try c.encode(mean, forKey: .mean)
        try c.encode(standardDeviation, forKey: .standardDeviation)
        try c.encode(halfWidth, forKey: .halfWidth)
        try c.encode(level, forKey: .level)
    }
}
