/// The dynamic programme and the coordinate-descent refinement behind `OptimalSchedule`
/// (see its documentation for the derivation).
struct ScheduleSearch<D: DurationLaw> {
    let distribution: D
    /// Candidate instants, ascending, all > 0; the last is the support's upper bound.
    let grid: [Double]
    let weights: OptimalSchedule.Weights
    /// `F(g_j)` and `G(g_j) = E[T; T ≤ g_j]` at each candidate.
    private let cumulativeMass: [Double]
    private let cumulativeMoment: [Double]

    init(distribution: D, grid: [Double], weights: OptimalSchedule.Weights) {
        self.distribution = distribution
        self.grid = grid
        self.weights = weights
        cumulativeMass = grid.map { distribution.cdf($0) }
        cumulativeMoment = grid.map { distribution.partialMoment($0) }
    }

    /// The value of the interval from candidate `i` (−1 = start) to candidate `j` as poll `k`.
    @inline(__always)
    private func gain(from i: Int, to j: Int, poll k: Int) -> Double {
        let f0 = i < 0 ? 0 : cumulativeMass[i], g0 = i < 0 ? 0 : cumulativeMoment[i]
        let dF = cumulativeMass[j] - f0, dG = cumulativeMoment[j] - g0
        return weights.hit / Double(k) * dF - weights.efficiency * (dF - dG / grid[j])
    }

    /// For each poll count n = 1, 2, … the best grid schedule ending at the upper bound, until n
    /// passes the best n by `patience` or reaches `maxPolls` (or the number of candidates).
    func bestByPollCount(maxPolls: Int, patience: Int) -> [(offsets: [Double], score: Double)] {
        let m = grid.count
        let last = m - 1
        var value = (0..<m).map { gain(from: -1, to: $0, poll: 1) }
        var parents: [[Int]] = [Array(repeating: -1, count: m)]
        var results: [(offsets: [Double], score: Double)] = []
        var bestCount = 1, bestScore = -Double.infinity
        var k = 1
        while true {
            let offsets = reconstruct(parents: parents, polls: k, end: last)
            let score = OptimalSchedule.expectedScore(schedule: offsets, distribution: distribution, weights: weights)
            results.append((offsets, score))
            if score > bestScore { bestScore = score; bestCount = k }
            if k >= maxPolls || k >= m || k - bestCount >= patience { break }
            k += 1
            var next = Array(repeating: -Double.infinity, count: m)
            var parent = Array(repeating: -1, count: m)
            for j in (k - 1)..<m {
                var bestValue = -Double.infinity, bestParent = -1
                for i in (k - 2)..<j where value[i] > -Double.infinity {
                    let v = value[i] + gain(from: i, to: j, poll: k)
                    if v > bestValue { bestValue = v; bestParent = i }
                }
                next[j] = bestValue
                parent[j] = bestParent
            }
            value = next
            parents.append(parent)
        }
        return results
    }

    private func reconstruct(parents: [[Int]], polls: Int, end: Int) -> [Double] {
        var offsets: [Double] = []
        var j = end
        var k = polls
        while k >= 1, j >= 0 {
            offsets.append(grid[j])
            j = parents[k - 1][j]
            k -= 1
        }
        return offsets.reversed()
    }

    /// Coordinate descent: golden-section search of each interior poll between its neighbours
    /// (the first between the support's lower bound and the second), on the two terms of the
    /// score it enters (poll k's interval and poll k+1's); a move is kept only when it improves
    /// them. The last poll stays put.
    func refine(_ start: [Double]) -> (offsets: [Double], score: Double) {
        var t = start
        var score = OptimalSchedule.expectedScore(schedule: t, distribution: distribution, weights: weights)
        guard t.count >= 2 else { return (t, score) }
        let floor = max(distribution.support.lowerBound, 0)
        // Term of poll number k (1-based) covering (s, x]; s < 0 means from the start.
        func term(_ k: Int, _ s: Double, _ fs: Double, _ gs: Double, _ x: Double, _ fx: Double, _ gx: Double) -> Double {
            let dF = fx - fs, dG = gx - gs
            return weights.hit / Double(k) * dF - weights.efficiency * (dF - dG / x)
        }
        for _ in 0..<60 {
            let before = score
            for k in 0..<(t.count - 1) {
                let lo = k == 0 ? floor : t[k - 1], hi = t[k + 1]
                guard hi > lo else { continue }
                let fPrev = k == 0 ? 0 : distribution.cdf(lo), gPrev = k == 0 ? 0 : distribution.partialMoment(lo)
                let fNext = distribution.cdf(hi), gNext = distribution.partialMoment(hi)
                let local: (Double) -> Double = { x in
                    let fx = distribution.cdf(x), gx = distribution.partialMoment(x)
                    return term(k + 1, lo, fPrev, gPrev, x, fx, gx) + term(k + 2, x, fx, gx, hi, fNext, gNext)
                }
                let current = local(t[k])
                let candidate = goldenSection(lo, hi, local)
                if candidate.value > current + 1e-15, candidate.x > lo, candidate.x < hi {
                    t[k] = candidate.x
                }
            }
            score = OptimalSchedule.expectedScore(schedule: t, distribution: distribution, weights: weights)
            if score - before <= 1e-13 { break }
        }
        return (t, score)
    }

    private func goldenSection(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> (x: Double, value: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = lo, b = hi
        var c = b - ratio * (b - a), d = a + ratio * (b - a)
        var fc = f(c), fd = f(d)
        for _ in 0..<50 {
            if fc >= fd {
                b = d; d = c; fd = fc
                c = b - ratio * (b - a); fc = f(c)
            } else {
                a = c; c = d; fc = fd
                d = a + ratio * (b - a); fd = f(d)
            }
            if b - a < 1e-10 * max(1, hi) { break }
        }
        return fc >= fd ? (c, fc) : (d, fd)
    }
}
