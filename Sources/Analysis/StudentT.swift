import Foundation

/// Quantiles of the standard normal and Student t distributions, for confidence intervals.
///
/// - Normal: Acklam's rational approximation (P. J. Acklam, "An algorithm for computing the
///   inverse normal cumulative distribution function", 2003; relative error < 1.15e-9) with one
///   Halley refinement step using `erfc`.
/// - Student t: Hill's algorithm (G. W. Hill, "Algorithm 396: Student's t-quantiles", CACM 13(10),
///   1970), in the form R's `qt` uses; exact closed forms for 1 and 2 degrees of freedom.
///   Accurate to about 6 significant digits (t(0.975, 9) = 2.2622, t(0.975, 30) = 2.0423).
public enum StudentT {
    /// The `p`-quantile of Student's t distribution with `degreesOfFreedom` degrees of freedom.
    /// - Parameters:
    ///   - p: the probability, in (0, 1); e.g. 0.975 for a two-sided 95 % interval.
    ///   - degreesOfFreedom: ν ≥ 1 (not necessarily an integer: Welch's ν is fractional);
    ///     values below 1 are treated as 1, `+infinity` gives the normal quantile.
    /// - Returns: t such that P(T ≤ t) = p; `nan` when p is outside (0, 1) or ν is NaN.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        guard p > 0, p < 1, !degreesOfFreedom.isNaN else { return .nan }
        if p == 0.5 { return 0 }
        let upper = p > 0.5
        let tail = upper ? 1 - p : p          // one-tail probability < 0.5
        let t = upperTail(twoSided: 2 * tail, df: max(degreesOfFreedom, 1))
        return upper ? t : -t
    }

    /// Hill's algorithm: the positive t whose two-sided tail probability is `P`.
    static func upperTail(twoSided P: Double, df n: Double) -> Double {
        if n.isInfinite || n > 1e7 { return -normalQuantile(P / 2) }
        if abs(n - 1) < 1e-12 { return cos(P * .pi / 2) / sin(P * .pi / 2) }
        if abs(n - 2) < 1e-12 { return (2 / (P * (2 - P)) - 2).squareRoot() }
        let a = 1 / (n - 0.5)
        let b = 48 / (a * a)
        var c = ((20700 * a / b - 98) * a - 16) * a + 96.36
        let d = ((94.5 / (b + c) - 3) / b + 1) * (a * .pi / 2).squareRoot() * n
        var y = pow(d * P, 2 / n)
        if (n < 2.1 && P > 0.5) || y > 0.05 + a {
            // Asymptotic inverse expansion about the normal.
            let x = normalQuantile(0.5 * P)
            y = x * x
            if n < 5 { c += 0.3 * (n - 4.5) * (x + 0.6) }
            c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c
            y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x
            y = expm1(a * y * y)
        } else {
            y = ((1 / (((n + 6) / (n * y) - 0.089 * d - 0.822) * (n + 2) * 3) + 0.5 / (n + 4)) * y - 1)
                * (n + 1) / (n + 2) + 1 / y
        }
        return (n * y).squareRoot()
    }

    /// The `p`-quantile of the standard normal distribution (Acklam, refined once).
    /// - Parameter p: the probability, in (0, 1).
    /// - Returns: z such that Φ(z) = p; `nan` outside (0, 1).
    public static func normalQuantile(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return .nan }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low || p > 1 - low {
            let q = (-2 * log(p < low ? p : 1 - p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
            if p > 1 - low { x = -x }
        } else {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        // One Halley step on Φ(x) − p.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
