/// The best fixed poll schedule for a known duration distribution and score weights.
///
/// **Score.** One trial with duration `T` polled at offsets `t1 < t2 < … < tn` (seconds from the
/// start of polling, zero request latency) is detected by poll `N`, the first with `tN ≥ T`.
/// Its per-trial score (DESIGN.md, "Metrics") is `wi · 1/N − wj · (tN − T)/tN`. A trial with
/// `T > tn` is not detected: HR 0, ER 1, score `−wj`. The schedule maximises the expectation
///
///     S(t) = Σ_k [ (wi/k) · P(t(k−1) < T ≤ tk) − wj · E[(tk − T)/tk; t(k−1) < T ≤ tk] ]
///
/// with `t0 = 0` (a point mass at 0 belongs to the first interval). Each term needs only the
/// mass `ΔF` and first moment `ΔG = E[T; interval]` of the interval:
/// `E[(tk − T)/tk; …] = ΔF − ΔG/tk` (closed form for uniform pieces and point masses, see
/// `DurationDistribution`).
///
/// **Derivation (Barlow, Hunter and Proschan 1963, "Optimum checking procedures", adapted).**
/// Differentiating `S` in an interior `tk` (density `f`) gives the stationarity condition
///
///     wi · f(tk) / (k(k+1)) + wj · (1 − tk/t(k+1)) · f(tk) = wj · ∫_{t(k−1)}^{tk} u f(u) du / tk²
///
/// the analogue of BHP's recursion `t(k+1) − tk = (F(tk) − F(t(k−1)))/f(tk) − c1/c2`: given
/// `t(k−1)` and `tk` it fixes `t(k+1)`. Because the check cost `wi/k` depends on the index `k`,
/// and the last poll must sit at the support's upper bound `b` (any mass left after the last
/// poll costs `wj` > any gain), this code does not shoot along the recursion; it solves the same
/// problem globally by dynamic programming:
///
/// 1. candidate instants up to the horizon `H` (see "Far tail" below): `gridSize` points evenly
///    spaced on `(a, H]` for bounded support or geometrically spaced from `Q(1e-6)` to `H` for
///    unbounded support (`a` = support lower bound, `Q` the quantile function), `gridSize/2`
///    quantiles `Q(j/(gridSize/2 + 1))`, and every breakpoint (piece end, atom) inside; never
///    below `a`, never at 0;
/// 2. `V(k, j)` = best value of polls 1…k with `tk = g_j`, covering the mass up to `g_j`:
///    `V(k, j) = max_{i<j} V(k−1, i) + (wi/k)·ΔF(i,j) − wj·(ΔF(i,j) − ΔG(i,j)/g_j)`, with
///    `V(1, j)` counted from `t0 = 0`; the schedule with n polls is worth `V(n, index of H)`.
///    `n` grows until it passes the best n by `patience` or reaches `maxPolls`;
/// 3. the best grid schedules (best n and its neighbours) are refined by coordinate descent
///    (golden-section search of each interior `tk` between its neighbours, on the two terms of
///    `S` that `tk` enters), keeping only improvements; the last poll stays at `H`.
///
/// **Far tail and deadline.** The horizon `H` is the support's upper bound when it is finite,
/// else the quantile `Q(1 − tailMass)` (default `tailMass` 1e-9), and never later than the
/// deadline when there is one. Mass past `H` is scored as undetected (`−wj` each, HR 0, ER 1):
/// with a deadline that is exactly what happens; without one it bounds the score lost to the
/// cut by `tailMass · (wi + wj)`, far below 0.05 % of any score here. After the last offset,
/// `OptimalStrategy` keeps polling at the last gap, so such jobs are still detected live.
/// **Poll cap.** `maxPolls` (default 400) only bounds the search; a test checks that raising it
/// changes no reference score by more than 0.05 %.
///
/// For a purely discrete distribution (an empirical sample) the optimum lies on the atoms (moving
/// a poll down to the largest atom below it only shortens delays), so step 2 is exact when every
/// atom is a candidate (at most `gridSize` distinct atoms) and step 3 is skipped.
///
/// Checked against DESIGN.md's theory table (U[1.5, 2.4] and U[0.6, 2.4] for four weight pairs).
public struct OptimalSchedule: Sendable, Hashable {
    /// Score weights `(wi, wj)`: `wi` on the per-trial hit rate `1/N`, `wj` on the efficiency
    /// ratio. Both finite.
    public struct Weights: Sendable, Hashable {
        /// Weight of the hit rate, `wi`.
        public var hit: Double
        /// Weight of the efficiency ratio, `wj`.
        public var efficiency: Double

        /// - Parameters:
        ///   - hit: `wi`, weight of the hit rate (finite).
        ///   - efficiency: `wj`, weight of the efficiency ratio (finite).
        public init(hit: Double, efficiency: Double) {
            self.hit = hit
            self.efficiency = efficiency
        }
    }

    /// Tuning of the search. Defaults give schedules within about 1e-6 of the optimum score for
    /// the uniform models.
    public struct Options: Sendable, Hashable {
        /// Evenly (bounded support) or geometrically (unbounded) spaced candidate instants.
        /// Default 600.
        public var gridSize: Int
        /// Largest number of polls considered. Default 400.
        public var maxPolls: Int
        /// Stop growing n this many polls past the best n found. Default 6.
        public var patience: Int
        /// Probability mass left beyond the horizon of an unbounded distribution. Default 1e-9.
        public var tailMass: Double
        /// Per-trial deadline in seconds from the start of polling (`nil` = none): no poll after
        /// it, and mass past it scores as a time-out. Default nil.
        public var deadline: Double?

        public init(gridSize: Int = 600, maxPolls: Int = 400, patience: Int = 6, tailMass: Double = 1e-9,
                    deadline: Double? = nil) {
            self.gridSize = gridSize
            self.maxPolls = maxPolls
            self.patience = patience
            self.tailMass = tailMass
            self.deadline = deadline
        }
    }

    /// The poll instants in seconds from the start of polling, strictly increasing, all > 0 and
    /// ≥ the support's lower bound; the last is the horizon (the support's upper bound, the far-tail
    /// quantile or the deadline, see above).
    public let offsets: [Double]
    /// `S(offsets)`, the exact expected per-trial score.
    public let expectedScore: Double
    /// The weights the schedule was optimised for.
    public let weights: Weights

    /// The smallest poll instant used when all the mass is at 0 (seconds): 1 ms.
    public static let minimumPollOffset = 0.001

    /// Computes the optimal fixed schedule (see the type's documentation for the method).
    /// - Parameters:
    ///   - distribution: the duration distribution.
    ///   - weights: `(wi, wj)`.
    ///   - options: search tuning, default `Options()`.
    /// - Throws: `PollingCoreError.invalidField("weights", …)` for non-finite weights or
    ///   `("options", …)` for a grid or poll bound below 1.
    public init<D: DurationLaw>(distribution: D, weights: Weights, options: Options = Options()) throws {
        try self.init(law: distribution, weights: weights, options: options)
    }

    /// The same for a piecewise-uniform `DurationDistribution` (so `.uniform(a, b)` infers).
    public init(distribution: DurationDistribution, weights: Weights, options: Options = Options()) throws {
        try self.init(law: distribution, weights: weights, options: options)
    }

    private init<D: DurationLaw>(law distribution: D, weights: Weights, options: Options) throws {
        guard weights.hit.isFinite, weights.efficiency.isFinite else {
            throw PollingCoreError.invalidField("weights", "must be two finite numbers [wi, wj], got [\(weights.hit), \(weights.efficiency)]")
        }
        guard options.gridSize >= 1, options.maxPolls >= 1, options.patience >= 1 else {
            throw PollingCoreError.invalidField("options", "grid_size, max_polls and patience must be >= 1")
        }
        guard options.tailMass > 0, options.tailMass < 1 else {
            throw PollingCoreError.invalidField("options", "tail_mass must be in (0, 1), got \(options.tailMass)")
        }
        if let deadline = options.deadline, !(deadline.isFinite && deadline > 0) {
            throw PollingCoreError.invalidField("timeout", "must be a finite number of seconds > 0, got \(deadline)")
        }
        self.weights = weights
        let upper = Self.horizon(distribution, options: options)
        guard upper > 0 else {
            offsets = [Self.minimumPollOffset]
            expectedScore = Self.expectedScore(schedule: offsets, distribution: distribution, weights: weights)
            return
        }
        let grid = Self.candidates(distribution, horizon: upper, gridSize: options.gridSize)
        let search = ScheduleSearch(distribution: distribution, grid: grid, weights: weights)
        let candidatesByCount = search.bestByPollCount(maxPolls: options.maxPolls, patience: options.patience)
        var best = candidatesByCount.max { $0.score < $1.score }!
        if !distribution.isDiscrete {
            let ranked = candidatesByCount.sorted { $0.score > $1.score }.prefix(3)
            for candidate in ranked {
                let refined = search.refine(candidate.offsets)
                if refined.score > best.score { best = refined }
            }
        }
        offsets = best.offsets
        expectedScore = best.score
    }

    /// The exact expected per-trial score of any schedule (seconds from start, zero latency).
    ///
    /// Poll `k` (from 1) detects the durations in `(max of earlier polls, tk]`; a poll at
    /// `t ≤ 0` detects only a point mass at 0, with ER 0 (no delay). Mass after the last poll is a
    /// time-out: HR 0, ER 1 (DESIGN.md), contributing `−wj` per unit mass.
    /// - Parameters:
    ///   - schedule: poll instants in seconds (ascending; a poll not later than an earlier one
    ///     detects nothing but still counts).
    ///   - distribution: the duration distribution.
    ///   - weights: `(wi, wj)`.
    /// - Returns: `E[wi/N − wj·(tN − T)/tN]`.
    public static func expectedScore<D: DurationLaw>(schedule: [Double], distribution: D, weights: Weights) -> Double {
        score(schedule, distribution, weights)
    }

    /// The same for a piecewise-uniform `DurationDistribution` (so `.uniform(a, b)` infers).
    public static func expectedScore(schedule: [Double], distribution: DurationDistribution, weights: Weights) -> Double {
        score(schedule, distribution, weights)
    }

    private static func score<D: DurationLaw>(_ schedule: [Double], _ distribution: D, _ weights: Weights) -> Double {
        var covered = -1.0
        var detected = 0.0
        var score = 0.0
        for (index, t) in schedule.enumerated() where t > covered {
            let m = distribution.lawMoments(after: covered, upTo: t)
            covered = t
            detected += m.mass
            let er = t > 0 ? m.mass - m.moment / t : 0
            score += weights.hit / Double(index + 1) * m.mass - weights.efficiency * er
        }
        return score - weights.efficiency * max(0, 1 - detected)
    }

    /// The last instant a schedule needs (seconds): the support's upper bound, or the quantile
    /// `Q(1 − tailMass)` of an unbounded distribution, capped just before the deadline
    /// (`deadline · (1 − 1e-6)`: the poller sends no poll at or after the deadline).
    public static func horizon<D: DurationLaw>(_ distribution: D, options: Options) -> Double {
        var h = distribution.support.upperBound
        if !h.isFinite { h = distribution.quantile(1 - options.tailMass) }
        if let deadline = options.deadline { h = min(h, deadline * (1 - 1e-6)) }
        return h
    }

    /// Candidate poll instants in `(0, H]` (see the type's documentation), thinned to at most
    /// `2 · gridSize` points (keeping `H`).
    static func candidates<D: DurationLaw>(_ distribution: D, horizon b: Double, gridSize: Int) -> [Double] {
        let a = distribution.support.lowerBound
        var points: [Double] = []
        if b > a {
            if distribution.support.upperBound.isFinite {
                points += (1...gridSize).map { a + (b - a) * Double($0) / Double(gridSize) }
            } else {
                let start = max(a, distribution.quantile(1e-6), b * 1e-9)
                let ratio = log(b / start) / Double(max(1, gridSize - 1))
                points += (0..<gridSize).map { start * exp(ratio * Double($0)) }
            }
            if !distribution.isDiscrete {
                let q = max(1, gridSize / 2)
                points += (1...q).map { distribution.quantile(Double($0) / Double(q + 1)) }
            }
        }
        points += distribution.breakpoints
        points.append(b)
        var unique = Array(Set(points.filter { $0 > 0 && $0 >= a && $0 <= b })).sorted()
        if unique.isEmpty { unique = [b] } // deadline before the support: every trial times out
        let limit = max(2 * gridSize, 2)
        if unique.count > limit {
            let step = Double(unique.count - 1) / Double(limit - 1)
            unique = (0..<limit).map { unique[min(unique.count - 1, Int((Double($0) * step).rounded()))] }
            unique = Array(Set(unique)).sorted()
        }
        return unique
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
