import Foundation

/// Saturating exponential-backoff arithmetic: the one backoff ceiling of every strategy and of
/// the retry layer (`RetryPolicy`).
enum BackoffMath {
    /// `min(cap, initial · multiplier^exponent)` in seconds, with the exponent capped at
    /// `ceil(log(cap / initial) / log(multiplier)) + 1` (the Smithy waiters' `attemptCeiling`
    /// idea; AWS Architecture Blog, "Exponential Backoff and Jitter", 2015), so that any exponent,
    /// `Int.max` included, gives a finite value without overflow or trap.
    /// Negative exponents count as 0; an `initial` at or above `cap`, an `initial` of 0 or a
    /// multiplier ≤ 1 gives `min(initial, cap)` (never below 0); NaN anywhere gives 0.
    static func ceiling(initial: Double, multiplier: Double, cap: Double, exponent: Int) -> Double {
        guard !initial.isNaN, !cap.isNaN, !multiplier.isNaN else { return 0 }
        guard initial < cap, multiplier > 1, initial > 0 else { return max(0, min(initial, cap)) }
        let limit = Int(min(4096, (log(cap / initial) / log(multiplier)).rounded(.up))) + 1
        let e = min(max(exponent, 0), limit)
        return min(cap, initial * pow(multiplier, Double(e)))
    }

    /// `a + b` for attempt counters, saturating at `Int.max` instead of trapping.
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }
}
