/// 95 % t intervals of a difference of means, with two-sided p-values, for `analyze check`.
///
/// Paired: the one-sample t interval of the differences y − x (Student, 1908). Welch: the
/// interval of mean(y) − mean(x) with Welch–Satterthwaite degrees of freedom (B. L. Welch,
/// Biometrika 34, 1947). A difference with zero standard error has p = 0 when it is not 0 and
/// p = 1 when it is.
enum TInterval {
    typealias Result = (point: Double, base: Double, cand: Double, lower: Double?, upper: Double?, p: Double)

    static func paired(_ xs: [Double], _ ys: [Double]) -> Result {
        let n = Double(xs.count)
        let base = xs.reduce(0, +) / n, cand = ys.reduce(0, +) / n
        let d = zip(xs, ys).map { $1 - $0 }
        let mean = d.reduce(0, +) / n
        guard xs.count > 1 else { return (mean, base, cand, nil, nil, 1) }
        let ss = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let se = (ss / (n - 1) / n).squareRoot()
        return finish(mean, base, cand, se: se, df: n - 1)
    }

    static func welch(_ xs: [Double], _ ys: [Double]) -> Result {
        let nx = Double(xs.count), ny = Double(ys.count)
        let mx = xs.reduce(0, +) / nx, my = ys.reduce(0, +) / ny
        guard xs.count > 1, ys.count > 1 else { return (my - mx, mx, my, nil, nil, 1) }
        let vx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) } / (nx - 1) / nx
        let vy = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) } / (ny - 1) / ny
        let se = (vx + vy).squareRoot()
        let df = se > 0 ? (vx + vy) * (vx + vy) / (vx * vx / (nx - 1) + vy * vy / (ny - 1)) : 1
        return finish(my - mx, mx, my, se: se, df: df)
    }

    static func finish(_ point: Double, _ base: Double, _ cand: Double, se: Double, df: Double) -> Result {
        guard se > 0 else { return (point, base, cand, point, point, point == 0 ? 1 : 0) }
        let half = StudentT.quantile(0.975, degreesOfFreedom: df) * se
        let p = min(1, 2 * StudentT.upperTailProbability(abs(point) / se, df: df))
        return (point, base, cand, point - half, point + half, p)
    }
}
