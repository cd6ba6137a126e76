import Foundation

/// Quantiles of the standard normal and Student t distributions, for confidence intervals.
///
/// - Normal: Acklam's rational approximation (P. J. Acklam, "An algorithm for computing the
///   inverse normal cumulative distribution function", 2003; relative error < 1.15e-9) with one
///   Halley refinement step using `erfc`.
/// - Student t: Hill's algorithm (G. W. Hill, "Algorithm 396: Student's t-quantiles", CACM 13(10),
///   1970), in the form R's `qt` uses, as a starting point; exact closed forms for 1 and 2 degrees
///   of freedom. Hill's approximation is poor for 1 < ν < 2 (17 % high at ν = 1.01), so the start is
///   refined by Newton steps on the exact tail probability, P(T > t) = I_{ν/(ν+t²)}(ν/2, 1/2) / 2
///   (Abramowitz & Stegun 26.7.1 with 26.5.27), the regularized incomplete beta function by its
///   continued fraction (Lentz's method, Numerical Recipes 3rd ed. §6.4). Relative error < 1e-9:
///   t(0.975, 1.01) = 12.4127, t(0.975, 1.5) = 6.0167, t(0.975, 9) = 2.2622.
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
        let df = max(degreesOfFreedom, 1)
        let t = refined(upperTail(twoSided: 2 * tail, df: df), tail: tail, df: df)
        return upper ? t : -t
    }

    /// Newton steps on `P(T > t) − tail` from Hill's estimate `t0` (t0 > 0, tail < 0.5).
    static func refined(_ t0: Double, tail: Double, df n: Double) -> Double {
        guard n.isFinite, n <= 1e7, t0.isFinite, t0 > 0 else { return t0 }
        // log of the density's constant Γ((ν+1)/2) / (√(νπ) Γ(ν/2)).
        let half: Double = (n + 1) / 2
        let logNormaliser: Double = 0.5 * log(n * Double.pi)
        let logC: Double = lgamma(half) - lgamma(n / 2) - logNormaliser
        var t = t0
        for _ in 0..<20 {
            let excess = upperTailProbability(t, df: n) - tail
            let density: Double = exp(logC - half * log1p(t * t / n))
            guard density > 0 else { break }
            var next = t + excess / density          // the tail falls as t grows
            if next <= 0 { next = t / 2 }             // stay on the positive side
            if abs(next - t) <= 1e-13 * t { t = next; break }
            t = next
        }
        return t
    }

    /// P(T > t) for t ≥ 0: half the regularized incomplete beta I_x(ν/2, 1/2) at x = ν/(ν + t²).
    static func upperTailProbability(_ t: Double, df n: Double) -> Double {
        0.5 * regularizedIncompleteBeta(n / (n + t * t), n / 2, 0.5)
    }

    /// The regularized incomplete beta function I_x(a, b) for x in [0, 1], a, b > 0.
    static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use symmetry.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, b, a) / b
    }

    /// The continued fraction of the incomplete beta function (modified Lentz).
    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m), m2 = 2 * m
            var aa: Double = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            let odd: Double = (a + m) * (a + b + m) * x
            aa = -odd / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
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
