import Foundation

/// The AWS SDKs' adaptive retry mode client-side rate limiter as a pure state machine (times in
/// seconds on the caller's clock; no sleeping: `acquire` returns when a request may be sent).
///
/// Parts and constants, as botocore implements them:
/// - `CubicCalculator` (botocore `retries/throttling.py`): after a throttling response at rate
///   `r` the rate drops to `β · r` and `W_max = r`; on success the allowed rate is
///   `C · (t − t_fail − K)³ + W_max` with `K = ∛(W_max · (1 − β) / C)`; `C = 0.4`, `β = 0.7`
///   (so throttling cuts the rate by 30 %); starting `W_max` 0.5 (botocore `adaptive.py`).
/// - `RateClocker` (`adaptive.py`): the measured sending rate, counted in 0.5 s buckets and
///   smoothed exponentially with weight 0.8 on the newest bucket.
/// - `TokenBucket` (`retries/bucket.py`): fill rate `max(rate, 0.5)`, capacity `max(rate, 1)`,
///   starting empty; it only gates requests once the first throttling response has been seen.
/// - After each response the bucket's rate becomes `min(new rate, 2 × measured rate)`.
public struct AdaptiveRateLimiter: Sendable, Hashable {
    /// CUBIC's scale constant C: 0.4.
    public static let scaleConstant = 0.4
    /// CUBIC's multiplicative decrease β: 0.7.
    public static let beta = 0.7
    /// The token bucket's lowest fill rate, requests/s: 0.5.
    public static let minimumRate = 0.5
    /// The bucket's rate is never set above this multiple of the measured rate: 2.
    public static let maxRateAdjustScale = 2.0
    /// The measured rate's smoothing weight: 0.8; its bucket width: 0.5 s.
    public static let smoothing = 0.8, clockBucket = 0.5

    // CubicCalculator
    private var wMax = 0.5
    private var k: Double
    private var lastFail: Double
    // RateClocker
    public private(set) var measuredRate = 0.0
    private var clockCount = 0
    private var lastClockBucket: Double
    // TokenBucket
    /// The bucket's current rate limit, requests/s.
    public private(set) var maxRate = 1.0
    private var capacity = 0.0
    private var lastRefill: Double?
    /// Whether the bucket gates requests (after the first throttling response).
    public private(set) var enabled = false

    /// - Parameter start: the current time, seconds.
    public init(start: Double) {
        k = Self.zeroPoint(wMax: 0.5)
        lastFail = start
        lastClockBucket = start.rounded(.down)
    }

    /// CUBIC's `K = ∛(W_max · (1 − β) / C)`: when the rate climbs back to `W_max`.
    private static func zeroPoint(wMax: Double) -> Double { cbrt(wMax * (1 - beta) / scaleConstant) }

    /// The CUBIC rate allowed at `now` after a success (exposed for tests).
    public func cubicRate(at now: Double) -> Double {
        let dt = now - lastFail - k
        return Self.scaleConstant * dt * dt * dt + wMax
    }

    /// Takes a token for a request that wants to leave at `now`.
    /// - Returns: the instant it may be sent (`now` unless the bucket is enabled and empty; then
    ///   the instant one token has accumulated, which it reserves).
    public mutating func acquire(at now: Double) -> Double {
        guard enabled else { return now }
        refill(at: now)
        let at = max(now, lastRefill ?? now)
        let fill = max(maxRate, Self.minimumRate)
        let ready = capacity >= 1 ? at : at + (1 - capacity) / fill
        capacity = capacity >= 1 ? capacity - 1 : 0
        lastRefill = ready
        return ready
    }

    /// Records a response that arrived at `now`.
    /// - Parameter throttled: whether it was a throttling error (e.g. 429).
    public mutating func response(at now: Double, throttled: Bool) {
        let measured = record(at: now)
        let newRate: Double
        if throttled {
            let current = enabled ? min(measured, maxRate) : measured
            wMax = current
            k = Self.zeroPoint(wMax: current)
            lastFail = now
            newRate = current * Self.beta
            enabled = true
        } else {
            newRate = cubicRate(at: now)
        }
        setMaxRate(min(newRate, Self.maxRateAdjustScale * measured), at: now)
    }

    private mutating func record(at now: Double) -> Double {
        let bucket = (now / Self.clockBucket).rounded(.down) * Self.clockBucket
        clockCount += 1
        if bucket > lastClockBucket {
            let current = Double(clockCount) / (bucket - lastClockBucket)
            measuredRate = current * Self.smoothing + measuredRate * (1 - Self.smoothing)
            clockCount = 0
            lastClockBucket = bucket
        }
        return measuredRate
    }

    private mutating func setMaxRate(_ value: Double, at now: Double) {
        refill(at: now)
        maxRate = value
        capacity = min(capacity, max(value, 1))
    }

    private mutating func refill(at now: Double) {
        guard let last = lastRefill else {
            lastRefill = now
            return
        }
        guard now > last else { return }
        capacity = min(max(maxRate, 1), capacity + (now - last) * max(maxRate, Self.minimumRate))
        lastRefill = now
    }
}
