/// The distribution function `F` and partial first moment `G(t) = E[T; T ≤ t]` of a
/// `DurationDistribution`, tabulated once so that each evaluation is a binary search, not a pass
/// over every piece: `OptimalSchedule` evaluates them millions of times on a learned estimate
/// (up to a few hundred pieces), and `learned` recomputes that schedule as it learns.
///
/// Between two consecutive piece ends `e_k < e_(k+1)` the density is a constant `ρ_k` (the sum of
/// `mass / (upper − lower)` over the uniform pieces covering the span), so there
/// `F(t) = F(e_k) + ρ_k · (t − e_k)` and `G(t) = G(e_k) + ρ_k · (t² − e_k²) / 2`, exactly the
/// integrals the per-piece sums give (up to rounding). `F(e_k)` and `G(e_k)` include the point
/// masses sitting at `e_k`.
struct CumulativeTable: Sendable, Hashable {
    /// Every piece end, ascending, without repeats (seconds).
    let ends: [Double]
    /// `F(ends[k])`, point masses at `ends[k]` included.
    let mass: [Double]
    /// `G(ends[k])` in seconds.
    let moment: [Double]
    /// `ρ_k`, the density on `(ends[k], ends[k+1])` (one fewer than `ends`); exactly 0 where no
    /// uniform piece covers the span.
    let density: [Double]

    /// - Parameter pieces: the distribution's pieces (at least one; ends finite and ≥ 0).
    init(_ pieces: [DurationDistribution.Piece]) {
        let ends = Array(Set(pieces.flatMap { [$0.lower, $0.upper] })).sorted()
        var position: [Double: Int] = [:]
        for (k, e) in ends.enumerated() { position[e] = k }
        var atoms = Array(repeating: 0.0, count: ends.count)
        var step = Array(repeating: 0.0, count: ends.count)   // density changes at each end
        var covering = Array(repeating: 0, count: ends.count) // uniform pieces starting minus ending
        for p in pieces {
            let lo = position[p.lower]!, hi = position[p.upper]!  // every end is in `ends`
            if hi == lo {
                atoms[lo] += p.mass
            } else {
                let rho = p.mass / (p.upper - p.lower)
                step[lo] += rho; step[hi] -= rho
                covering[lo] += 1; covering[hi] -= 1
            }
        }
        var density: [Double] = []
        density.reserveCapacity(max(0, ends.count - 1))
        var rho = 0.0, active = 0
        for k in 0..<max(0, ends.count - 1) {
            rho += step[k]; active += covering[k]
            density.append(active > 0 ? max(0, rho) : 0)
            if active == 0 { rho = 0 } // no rounding residue carried over a gap
        }
        var mass = [atoms[0]], moment = [atoms[0] * ends[0]]
        for k in 1..<ends.count {
            let a = ends[k - 1], b = ends[k], r = density[k - 1]
            mass.append(mass[k - 1] + r * (b - a) + atoms[k])
            moment.append(moment[k - 1] + r * (b - a) * (b + a) / 2 + atoms[k] * b)
        }
        self.ends = ends
        self.mass = mass
        self.moment = moment
        self.density = density
    }

    /// The largest `k` with `ends[k] ≤ t`, or −1 when `t < ends[0]`.
    @inline(__always)
    private func segment(_ t: Double) -> Int {
        var lo = 0, hi = ends.count   // invariant: ends[lo - 1] ≤ t < ends[hi]
        guard t >= ends[0] else { return -1 }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if ends[mid] <= t { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// `F(t)`, not clamped.
    func cdf(_ t: Double) -> Double {
        let k = segment(t)
        guard k >= 0 else { return 0 }
        guard k < density.count else { return mass[k] }
        return mass[k] + density[k] * (t - ends[k])
    }

    /// `G(t) = E[T; T ≤ t]` in seconds.
    func partialMoment(_ t: Double) -> Double {
        let k = segment(t)
        guard k >= 0 else { return 0 }
        guard k < density.count else { return moment[k] }
        return moment[k] + density[k] * (t - ends[k]) * (t + ends[k]) / 2
    }

    /// The density at `t`: `ρ_k` on `[ends[k], ends[k+1])`, 0 outside the support.
    func densityAt(_ t: Double) -> Double {
        let k = segment(t)
        return k >= 0 && k < density.count ? density[k] : 0
    }

    /// `inf{t: F(t) ≥ p}` for `p` in (0, 1): the first end whose `F` reaches `p`, then the
    /// linear inverse inside the span before it (or that end itself when a point mass there
    /// makes the jump).
    func quantile(_ p: Double) -> Double {
        var lo = 0, hi = mass.count - 1
        guard mass[hi] >= p else { return ends[hi] }
        while lo < hi {   // first k with mass[k] ≥ p
            let mid = (lo + hi) / 2
            if mass[mid] >= p { hi = mid } else { lo = mid + 1 }
        }
        let k = lo
        guard k > 0, density[k - 1] > 0 else { return ends[k] }
        let t = ends[k - 1] + (p - mass[k - 1]) / density[k - 1]
        return min(ends[k], max(ends[k - 1], t))
    }
}
