/// The AWS SDKs' "standard" retry backoff used as a polling schedule: full jitter.
///
/// Source: botocore `retries/standard.py` (base 1 s, cap 20 s) and the AWS Architecture Blog,
/// "Exponential Backoff and Jitter" (2015). Polls at `initialDelay` (default 0), then after poll
/// `attempt` (from 0) waits `U(0, min(cap, base · 2^attempt))` seconds from that poll's send
/// (saturating exponent). botocore computes `min(cap, U(0, 1) · base · 2^attempt)`, which puts
/// a point mass at the cap once the ceiling passes it; this preset uses the blog's full-jitter
/// form, which keeps the jitter below the cap instead of clamping after it (REFERENCE.md).
/// The SDK's 3-attempt limit and retry quota guard failed *requests*, not polling, so they are
/// not modelled; `maxAttempts` (default `nil` = unlimited) optionally stops after that many polls.
///
/// Bounds of each wait in seconds: `[0, min(cap, base · 2^attempt)] ⊆ [0, cap]`.
public struct AWSStandardRetryStrategy: PollingStrategy, Hashable {
    /// The first ceiling in seconds (> 0). Default 1.
    public var base: Double
    /// The cap on the ceiling in seconds. Default 20.
    public var cap: Double
    /// Stop after this many polls; `nil` (default) = never.
    public var maxAttempts: Int?
    /// Seconds from start to the first poll (≥ 0). Default 0.
    public var initialDelay: Double

    /// - Parameters: see the properties; defaults are botocore's standard mode.
    /// - Throws: `PollingCoreError.invalidField` (naming the file key) when a parameter is out of range, e.g. `cap` not finite and > 0, `maxAttempts` < 1 or `initialDelay` < 0.
    public init(base: Double = 1, cap: Double = 20, maxAttempts: Int? = nil, initialDelay: Double = 0) throws {
        try StrategyParameter.positive(base, "base")
        try StrategyParameter.positive(cap, "cap")
        if let maxAttempts, maxAttempts < 1 {
            throw PollingCoreError.invalidField("max_attempts", "must be >= 1, got \(maxAttempts)")
        }
        try StrategyParameter.nonNegative(initialDelay, "initial_delay")
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
    }

    /// The full-jitter ceiling `min(cap, base · 2^attempt)` in seconds.
    public func ceiling(attempt: Int) -> Double {
        BackoffMath.ceiling(initial: base, multiplier: 2, cap: cap, exponent: attempt)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        if let maxAttempts, BackoffMath.add(observation.attempt, 1) >= maxAttempts { return .stop }
        return .poll(at: observation.sent + .clampedSeconds(rng.uniform(0, ceiling(attempt: observation.attempt))))
    }
}
