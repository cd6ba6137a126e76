import Foundation

/// A distribution-free upper confidence bound of a quantile from order statistics.
///
/// For an i.i.d. sample of size n with order statistics `X(1) ≤ … ≤ X(n)` and a continuous
/// p-quantile `ξp`, the number of observations below `ξp` is Binomial(n, p), so
/// `P(X(r) ≥ ξp) = P(Bin(n, p) ≤ r − 1)`. The bound is `X(r)` for the smallest rank `r` with
/// `P(Bin(n, p) ≤ r − 1) ≥ confidence` (the classical order-statistic interval; e.g. Hahn and
/// Meeker, "Statistical Intervals", 1991, §5.2). It exists only when
/// `P(Bin(n, p) ≤ n − 1) = 1 − p^n ≥ confidence`: for p = 0.99 and 95 %, n ≥ 299.
///
/// Infinite values (an undetected trial counts as an infinite delay) are ordinary observations:
/// the bound is infinite when too many of them fall in the tail.
public enum QuantileUpperBound {
    /// The 1-based rank `r` of the bound, or `nil` when the sample is too small.
    /// - Parameters:
    ///   - n: the sample size (≥ 1).
    ///   - p: the quantile's probability in (0, 1), e.g. 0.99.
    ///   - confidence: the one-sided level in (0, 1), e.g. 0.95.
    public static func rank(n: Int, p: Double, confidence: Double) -> Int? {
        guard n >= 1, p > 0, p < 1, confidence > 0, confidence < 1 else { return nil }
        // Binomial pmf in log space, summed upwards: P(Bin ≤ k) for k = 0, 1, …
        let logP = log(p), logQ = log1p(-p)
        let nn = Double(n)
        var cumulative = 0.0
        for k in 0..<n {
            let kk = Double(k)
            let logPMF = lgamma(nn + 1) - lgamma(kk + 1) - lgamma(nn - kk + 1) + kk * logP + (nn - kk) * logQ
            cumulative += exp(logPMF)
            if cumulative >= confidence { return k + 1 }
        }
        return nil
    }

    /// The bound `X(r)` of a sample (any order), or `nil` when the sample is too small.
    public static func bound(_ values: [Double], p: Double, confidence: Double) -> Double? {
        guard let r = rank(n: values.count, p: p, confidence: confidence) else { return nil }
        return values.sorted()[r - 1]
    }

    /// How many observations above `limit` a sample of size `n` may hold while its bound stays
    /// `≤ limit` (`n − r`), or `nil` when the sample is too small.
    public static func allowedExceedances(n: Int, p: Double, confidence: Double) -> Int? {
        rank(n: n, p: p, confidence: confidence).map { n - $0 }
    }
}
