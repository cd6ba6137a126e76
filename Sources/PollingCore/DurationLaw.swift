/// What `OptimalSchedule` needs to know about a duration distribution (seconds): its CDF, its
/// partial first moment and where it lives. `DurationSpec` (the workload models) and
/// `DurationDistribution` (piecewise-uniform estimates and samples) conform.
public protocol DurationLaw: Sendable {
    /// `F(t) = P(T ≤ t)`.
    func cdf(_ t: Double) -> Double
    /// `G(t) = E[T; T ≤ t]` in seconds.
    func partialMoment(_ t: Double) -> Double
    /// `inf{t: F(t) ≥ p}` for p in (0, 1).
    func quantile(_ p: Double) -> Double
    /// `[lower, upper]`; `upper` may be `+∞`.
    var support: ClosedRange<Double> { get }
    /// Finite instants where `F` jumps or kinks (candidate poll instants).
    var breakpoints: [Double] { get }
    /// True when all the mass sits on finitely many points.
    var isDiscrete: Bool { get }
    /// `E[T]` in seconds.
    var mean: Double { get }
}

extension DurationLaw {
    /// Mass and first moment over `(s, t]` (`s < 0` includes a point mass at 0).
    public func lawMoments(after s: Double, upTo t: Double) -> (mass: Double, moment: Double) {
        guard t > s else { return (0, 0) }
        let f0 = s < 0 ? 0 : cdf(s), g0 = s < 0 ? 0 : partialMoment(s)
        return (max(0, cdf(t) - f0), max(0, partialMoment(t) - g0))
    }
}

extension DurationSpec: DurationLaw {}

extension DurationDistribution: DurationLaw {
    public func partialMoment(_ t: Double) -> Double { table.partialMoment(t) }

    /// `inf{t: F(t) ≥ p}` (seconds): a binary search of the tabulated `F`, then the linear
    /// inverse inside one span (`CumulativeTable.quantile`).
    public func quantile(_ p: Double) -> Double {
        guard p > 0 else { return support.lowerBound }
        guard p < 1 else { return support.upperBound }
        return table.quantile(p)
    }

    public var breakpoints: [Double] { table.ends }
}
