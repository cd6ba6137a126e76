import PollingCore

/// Percentile-bootstrap interval of a difference of two sample percentiles (Efron and
/// Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13), for `analyze check`.
///
/// Paired: each resample draws n pair indices with replacement and takes the percentile of the
/// candidate values minus that of the baseline values of the same pairs. Unpaired: each run is
/// resampled on its own. Percentiles are Hyndman–Fan type 7 (`Statistics.percentile`). The 95 %
/// interval is the 2.5 % and 97.5 % percentiles of the resampled differences; the two-sided
/// p-value is min(1, 2 · min(share ≤ 0, share ≥ 0)), with a floor of 1/B (a bootstrap cannot
/// show smaller).
enum BootstrapInterval {
    static func percentileDifference(_ xs: [Double], _ ys: [Double], quantile q: Double, paired: Bool,
                                     resamples: Int, generator: inout SeededGenerator) -> TInterval.Result {
        let base = Statistics.percentile(sorted: xs.sorted(), q) ?? 0
        let cand = Statistics.percentile(sorted: ys.sorted(), q) ?? 0
        let point = cand - base
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        var bx = [Double](repeating: 0, count: xs.count), by = [Double](repeating: 0, count: ys.count)
        for _ in 0..<resamples {
            if paired {
                for i in bx.indices {
                    let j = Int.random(in: 0..<xs.count, using: &generator)
                    bx[i] = xs[j]
                    by[i] = ys[j]
                }
            } else {
                for i in bx.indices { bx[i] = xs[Int.random(in: 0..<xs.count, using: &generator)] }
                for i in by.indices { by[i] = ys[Int.random(in: 0..<ys.count, using: &generator)] }
            }
            bx.sort()
            by.sort()
            differences.append((Statistics.percentile(sorted: by, q) ?? 0) - (Statistics.percentile(sorted: bx, q) ?? 0))
        }
        differences.sort()
        let lower = Statistics.percentile(sorted: differences, 0.025)
        let upper = Statistics.percentile(sorted: differences, 0.975)
        let b = Double(resamples)
        let atOrBelow = Double(differences.filter { $0 <= 0 }.count) / b
        let atOrAbove = Double(differences.filter { $0 >= 0 }.count) / b
        let p = point == 0 ? 1 : max(1 / b, min(1, 2 * min(atOrBelow, atOrAbove)))
        return (point, base, cand, lower, upper, p)
    }
}
