/// Accumulates what finished trials revealed about job durations and estimates their
/// distribution (a pure value: the runner feeds it, strategies get its `estimate()`).
///
/// Observations (seconds):
/// - `.exact(T)`: the true duration (simulation, or the server's ground truth);
/// - `.interval(lower:upper:)`: only poll outcomes are known, `T ∈ (lower, upper]`, e.g. lower =
///   the *send* instant of the last pending poll (0 if none), upper = the *receive* instant of the
///   first final poll (the server saw the status somewhere between send and receive);
/// - `.rightCensored(after:)`: the trial timed out, `T > after` (its last pending poll's send).
///
/// **Estimator.** The nonparametric maximum-likelihood estimate by Turnbull's self-consistency
/// EM (Turnbull 1976, "The empirical distribution function with arbitrarily grouped, censored
/// and truncated data"). The line is cut at every observation end into cells `(e, e']`, plus point
/// cells `{e}` where exact observations sit; each observation covers a contiguous run of cells; the EM iterates
/// `p_j ← (1/n) Σ_i [j ∈ A_i] p_j / Σ_{k ∈ A_i} p_k` until no mass moves by more than 1e-10
/// (at most `maxIterations`). With exact and right-censored data only, the EM's limit is the
/// Kaplan–Meier estimate (Efron 1967's self-consistency), which is then computed directly in one
/// pass over the sorted observations (`kaplanMeier()`, O(n log n); the EM converges slowly on
/// such data and is only needed when intervals are present); with exact data only, it is the
/// empirical distribution.
///
/// The estimate as a `DurationDistribution`: a point cell's mass is a point mass; a cell
/// `(e, e']`'s mass is spread uniformly over it (the likelihood fixes only the cell's total); mass beyond the
/// largest end (right censoring) is placed at that end, a lower bound of those durations.
public struct DurationEstimator: Sendable, Hashable {
    /// One finished trial's evidence about its job's duration, in seconds.
    public enum Observation: Sendable, Hashable {
        /// The duration is known exactly.
        case exact(Double)
        /// The duration lies in `(lower, upper]`.
        case interval(lower: Double, upper: Double)
        /// The duration exceeds `after` (timed-out trial).
        case rightCensored(after: Double)
    }

    /// The observations so far, in the order added.
    public private(set) var observations: [Observation] = []
    /// The EM's iteration cap. Default 5 000.
    public var maxIterations: Int

    /// An empty estimator.
    /// - Parameter maxIterations: cap on the EM iterations, default 5 000.
    public init(maxIterations: Int = 5_000) {
        self.maxIterations = maxIterations
    }

    /// Adds one observation. Non-finite values are ignored; negative ones clamped to 0; an
    /// interval with `lower ≥ upper` counts as exact at `upper`.
    public mutating func add(_ observation: Observation) {
        switch observation {
        case .exact(let t):
            guard t.isFinite else { return }
            observations.append(.exact(max(0, t)))
        case .interval(let lower, let upper):
            guard lower.isFinite, upper.isFinite else { return }
            let l = max(0, lower), u = max(0, upper)
            observations.append(l >= u ? .exact(u) : .interval(lower: l, upper: u))
        case .rightCensored(let after):
            guard after.isFinite else { return }
            observations.append(.rightCensored(after: max(0, after)))
        }
    }

    /// The number of observations.
    public var count: Int { observations.count }

    /// The current estimate: the distribution (`nil` with no observations) and the count.
    public func estimate() -> DurationEstimate {
        DurationEstimate(distribution: try? turnbull(), observationCount: count)
    }

    /// Turnbull's self-consistency EM (see the type's documentation), or its limit in closed
    /// form when no observation is an interval.
    func turnbull() throws -> DurationDistribution? {
        guard !observations.isEmpty else { return nil }
        if !observations.contains(where: { if case .interval = $0 { true } else { false } }) {
            return try kaplanMeier()
        }
        var endSet = Set<Double>()
        for o in observations {
            switch o {
            case .exact(let t): endSet.insert(t)
            case .interval(let l, let u): endSet.insert(l); endSet.insert(u)
            case .rightCensored(let c): endSet.insert(c)
            }
        }
        let ends = endSet.sorted()
        let position = Dictionary(uniqueKeysWithValues: ends.enumerated().map { ($1, $0) })
        func index(_ x: Double) -> Int { position[x] ?? 0 } // every x is an end by construction
        var pointIsActive = Array(repeating: false, count: ends.count)
        for case .exact(let t) in observations { pointIsActive[index(t)] = true }
        // Cell 2k is the point {ends[k]}, active only where an exact observation sits; cell 2k+1 is
        // (ends[k], ends[k+1]] (its right end included unless that end is an active point), or
        // (last, ∞) at the top.
        let cellCount = 2 * ends.count
        func active(_ j: Int) -> Bool { j % 2 == 1 || pointIsActive[j / 2] }
        func upperCell(_ u: Double) -> Int { pointIsActive[index(u)] ? 2 * index(u) : 2 * index(u) - 1 }
        let ranges: [(Int, Int)] = observations.map { o in
            switch o {
            case .exact(let t): let k = 2 * index(t); return (k, k)
            case .interval(let l, let u): return (2 * index(l) + 1, upperCell(u))
            case .rightCensored(let c): return (2 * index(c) + 1, cellCount - 1)
            }
        }
        var p = Array(repeating: 0.0, count: cellCount)
        for (lo, hi) in ranges {
            let cells = (lo...hi).filter(active)
            for j in cells { p[j] += 1 / Double(cells.count) }
        }
        let n = Double(ranges.count)
        for j in p.indices { p[j] /= n }
        var prefix = Array(repeating: 0.0, count: cellCount + 1)
        var weight = Array(repeating: 0.0, count: cellCount + 1)
        for _ in 0..<max(1, maxIterations) {
            for j in 0..<cellCount { prefix[j + 1] = prefix[j] + p[j] }
            for j in weight.indices { weight[j] = 0 }
            for (lo, hi) in ranges {
                let den = prefix[hi + 1] - prefix[lo]
                guard den > 0 else { continue }
                weight[lo] += 1 / den
                weight[hi + 1] -= 1 / den
            }
            var running = 0.0, change = 0.0
            for j in 0..<cellCount {
                running += weight[j]
                let updated = p[j] * running / n
                change = max(change, abs(updated - p[j]))
                p[j] = updated
            }
            if change < 1e-10 { break }
        }
        var pieces: [DurationDistribution.Piece] = []
        for (j, mass) in p.enumerated() where mass > 1e-12 {
            let k = j / 2
            if j % 2 == 0 || k + 1 >= ends.count {
                pieces.append(.init(lower: ends[k], upper: ends[k], mass: mass))
            } else {
                pieces.append(.init(lower: ends[k], upper: ends[k + 1], mass: mass))
            }
        }
        return try DurationDistribution(pieces: pieces)
    }
}

extension DurationEstimator {
    /// The Kaplan–Meier estimate (Kaplan and Meier 1958) of exact and right-censored
    /// observations: at each distinct exact value `v`, with `d` exact observations there and `r`
    /// observations at risk (value ≥ `v`; a censored `T > c` with `c = v` is still at risk, as
    /// in Turnbull's cells), a point mass `S(v−) · d / r`. Mass left after the largest exact
    /// value (the largest observation is censored) is a point mass at the largest censoring
    /// instant, a lower bound of those durations, as in the EM's top cell.
    /// - Precondition: no `.interval` observation.
    func kaplanMeier() throws -> DurationDistribution {
        var exact: [Double] = [], censored: [Double] = []
        for o in observations {
            switch o {
            case .exact(let t): exact.append(t)
            case .rightCensored(let c): censored.append(c)
            case .interval: preconditionFailure("kaplanMeier() takes exact and right-censored data only")
            }
        }
        exact.sort(); censored.sort()
        var pieces: [DurationDistribution.Piece] = []
        var survival = 1.0
        var atRisk = exact.count + censored.count
        var e = 0, c = 0
        while e < exact.count {
            let v = exact[e]
            while c < censored.count, censored[c] < v { atRisk -= 1; c += 1 }
            var d = 0
            while e < exact.count, exact[e] == v { d += 1; e += 1 }
            let mass = survival * Double(d) / Double(atRisk)
            if mass > 1e-12 { pieces.append(.init(lower: v, upper: v, mass: mass)) }
            survival -= mass
            atRisk -= d
        }
        if survival > 1e-12, let last = censored.last {
            pieces.append(.init(lower: last, upper: last, mass: survival))
        }
        return try DurationDistribution(pieces: pieces)
    }
}

/// A duration estimate injected into learning strategies: a value, no I/O.
public struct DurationEstimate: Sendable, Hashable {
    /// The estimated distribution, `nil` before any observation.
    public var distribution: DurationDistribution?
    /// How many finished trials the estimate rests on.
    public var observationCount: Int

    public init(distribution: DurationDistribution?, observationCount: Int) {
        self.distribution = distribution
        self.observationCount = observationCount
    }

    /// No knowledge yet.
    public static let none = DurationEstimate(distribution: nil, observationCount: 0)
}
