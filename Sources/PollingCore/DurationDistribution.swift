/// The distribution of a job's duration in seconds: a finite mixture of uniform pieces and point
/// masses, which covers every model PollLab needs with closed-form integrals.
///
/// (The workload models themselves, uniform ones included, are `DurationSpec`.)
/// - An empirical sample is one point mass `1/n` per observed duration.
/// - An interval-censored estimate (Turnbull) is a mass spread uniformly over each interval
///   `(lower, upper]` (a documented choice: the estimator fixes only the mass of each interval).
///
/// Durations are never negative: pieces are clamped at 0 when built. Masses are normalised to
/// sum to 1.
public struct DurationDistribution: Sendable, Hashable, CustomStringConvertible {
    /// One component: a mass spread uniformly on `[lower, upper]`, or a point mass when
    /// `lower == upper`. Seconds; `mass` in (0, 1].
    public struct Piece: Sendable, Hashable {
        /// Lower end in seconds (≥ 0).
        public var lower: Double
        /// Upper end in seconds (≥ `lower`).
        public var upper: Double
        /// Probability of the piece.
        public var mass: Double

        public init(lower: Double, upper: Double, mass: Double) {
            self.lower = lower
            self.upper = upper
            self.mass = mass
        }
    }

    /// The components, sorted by `lower` then `upper`, masses summing to 1.
    public let pieces: [Piece]
    /// `F` and `G` tabulated at the piece ends (derived from `pieces`): every evaluation below is
    /// a binary search (see `CumulativeTable`).
    let table: CumulativeTable
    /// True when every piece is a point mass (an empirical sample).
    public let isDiscrete: Bool

    /// A distribution from weighted pieces. Non-finite or non-positive masses are dropped,
    /// negative ends clamped to 0, reversed ends swapped, masses normalised.
    /// - Throws: `PollingCoreError.invalidField("distribution", …)` when no piece has positive
    ///   mass or an end is not finite.
    public init(pieces: [Piece]) throws {
        var kept: [Piece] = []
        for p in pieces where p.mass.isFinite && p.mass > 0 {
            guard p.lower.isFinite, p.upper.isFinite else {
                throw PollingCoreError.invalidField("distribution", "piece ends must be finite seconds, got [\(p.lower), \(p.upper)]")
            }
            let lo = max(0, min(p.lower, p.upper)), hi = max(0, max(p.lower, p.upper))
            kept.append(Piece(lower: lo, upper: hi, mass: p.mass))
        }
        let total = kept.reduce(0) { $0 + $1.mass }
        guard total > 0, total.isFinite else {
            throw PollingCoreError.invalidField("distribution", "needs at least one piece with positive finite mass")
        }
        self.pieces = kept.map { Piece(lower: $0.lower, upper: $0.upper, mass: $0.mass / total) }
            .sorted { ($0.lower, $0.upper) < ($1.lower, $1.upper) }
        table = CumulativeTable(self.pieces)
        isDiscrete = self.pieces.allSatisfy { $0.upper <= $0.lower }
    }

    /// The uniform distribution on `[lower, upper]` seconds (a point mass when they are equal).
    /// - Throws: `PollingCoreError.invalidField("distribution", …)` for non-finite bounds.
    public static func uniform(_ lower: Double, _ upper: Double) throws -> DurationDistribution {
        try DurationDistribution(pieces: [Piece(lower: lower, upper: upper, mass: 1)])
    }

    /// The empirical distribution of a sample of durations in seconds (mass `1/n` each).
    /// - Throws: `PollingCoreError.invalidField("distribution", …)` when the sample is empty or
    ///   holds a non-finite value.
    public static func empirical(_ durations: [Double]) throws -> DurationDistribution {
        try DurationDistribution(pieces: durations.map { Piece(lower: $0, upper: $0, mass: 1) })
    }

    /// The support `[lower, upper]` in seconds.
    public var support: ClosedRange<Double> { table.ends[0]...table.ends[table.ends.count - 1] }

    /// The mean duration `E[T]` in seconds.
    public var mean: Double { table.moment[table.moment.count - 1] }

    /// The distribution function `F(t) = P(T ≤ t)`.
    public func cdf(_ t: Double) -> Double {
        min(1, table.cdf(t))
    }

    /// The density `f(t)` of the continuous part (point masses have no density; at a piece end the
    /// density is the sum over pieces whose open interval contains `t` or that start at `t`).
    public func density(_ t: Double) -> Double {
        table.densityAt(t)
    }

    /// Mass and first moment `E[T; s < T ≤ t]` over `(s, t]` in seconds (mass at 0 counts when
    /// `s < 0`).
    public func moments(after s: Double, upTo t: Double) -> (mass: Double, moment: Double) {
        guard t > s else { return (0, 0) }
        return (max(0, table.cdf(t) - table.cdf(s)), max(0, table.partialMoment(t) - table.partialMoment(s)))
    }

    public var description: String {
        if pieces.count == 1, let p = pieces.first {
            return p.upper > p.lower ? "U[\(p.lower), \(p.upper)]" : "δ(\(p.lower))"
        }
        return "mixture of \(pieces.count) pieces on [\(support.lowerBound), \(support.upperBound)]"
    }
}
