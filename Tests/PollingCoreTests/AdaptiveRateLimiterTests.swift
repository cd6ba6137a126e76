import Foundation
import PollingCore
import Testing

/// The AWS adaptive mode's client-side limiter (botocore `CubicCalculator`, `RateClocker`,
/// `TokenBucket`) on hand-computed sequences.
@Suite struct AdaptiveRateLimiterTests {
    /// Starting W_max 0.5: K = ∛(0.5 · 0.3 / 0.4) = ∛0.375 = 0.721125; one second after the
    /// start a success allows 0.4 · (1 − 0.721125)³ + 0.5 = 0.508676 requests/s.
    @Test func cubicCurveFromTheStart() {
        let limiter = AdaptiveRateLimiter(start: 100)
        #expect(abs(limiter.cubicRate(at: 101) - 0.508_676) < 1e-6)
        #expect(abs(limiter.cubicRate(at: 100 + 0.721_124_785) - 0.5) < 1e-9)  // back to W_max at K
        #expect(!limiter.enabled)
    }

    /// Before any throttling the bucket does not gate; 20 responses at 10 per second (t = 0.05 …
    /// 1.0 s) give a measured rate, by hand: bucket [0.5, 1.0) closes at t = 0.5 with 10 calls
    /// (0.8 · 10 / 0.5 = 16), then at t = 1.0 with 10 more: 0.8 · 20 + 0.2 · 16 = 19.2.
    /// A 429 at t = 1.0 (measured 19.2): W_max = 19.2, rate 0.7 · 19.2 = 13.44 (30 % cut), K =
    /// ∛(19.2 · 0.3 / 0.4) = ∛14.4 = 2.432881; the bucket now gates.
    @Test func throttlingCutsTheRateBy30PercentAndCubicRecovers() {
        var limiter = AdaptiveRateLimiter(start: 0)
        for i in 1...19 {
            let t = Double(i) * 0.05
            #expect(limiter.acquire(at: t) == t)
            limiter.response(at: t, throttled: false)
        }
        #expect(abs(limiter.measuredRate - 16) < 1e-9)
        limiter.response(at: 1.0, throttled: true)
        #expect(abs(limiter.measuredRate - 19.2) < 1e-9)
        #expect(limiter.enabled)
        #expect(abs(limiter.maxRate - 13.44) < 1e-9)
        // CUBIC after the failure: 13.44 at once, 19.2 again at K = 2.432881 s, then above.
        #expect(abs(limiter.cubicRate(at: 1.0) - 13.44) < 1e-9)
        #expect(abs(limiter.cubicRate(at: 1.0 + cbrt(14.4)) - 19.2) < 1e-9)
        #expect(abs(limiter.cubicRate(at: 2.0 + cbrt(14.4)) - 19.6) < 1e-9)
    }

    /// Once enabled the bucket starts from what it held (empty after a throttle at the first
    /// response) and fills at max(rate, 0.5): with rate 0.7 · measured, requests are spaced 1/rate.
    @Test func enabledBucketSpacesRequests() {
        var limiter = AdaptiveRateLimiter(start: 0)
        // One response at 0.5 closes the clock's first 0.5 s bucket: 1 call / 0.5 s = 2 requests/s,
        // smoothed 0.8 · 2 = 1.6; throttled: rate 0.7 · 1.6 = 1.12 (2 × 1.6 = 3.2 does not bind).
        limiter.response(at: 0.5, throttled: true)
        #expect(abs(limiter.maxRate - 1.12) < 1e-9)
        // Empty bucket at 0.5 (it started empty): the first token takes 1 / 1.12 s.
        let first = limiter.acquire(at: 0.5)
        #expect(abs(first - (0.5 + 1 / 1.12)) < 1e-9)
        let second = limiter.acquire(at: 0.5)  // reserved behind the first
        #expect(abs(second - (first + 1 / 1.12)) < 1e-9)
    }
}
