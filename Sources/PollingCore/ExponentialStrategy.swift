/// Exponential backoff with optional jitter, from the previous send.
///
/// After poll number `attempt` (from 0) the next poll is sent `sleep(attempt)` seconds after that
/// poll was sent, where with `v = min(maxInterval, initial · multiplier^attempt)`
/// (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015):
/// - `.none`: `v`; `.full`: `U(0, v)`; `.equal`: `v/2 + U(0, v/2)`;
/// - `.decorrelated`: `min(maxInterval, U(initial, 3 · previous))`, `previous` starting at `initial`.
///
/// The exponential term saturates: the exponent is capped at
/// `ceil(log(maxInterval / initial) / log(multiplier)) + 1`, so any attempt, `Int.max` included,
/// gives a finite value. Jitter is applied below the cap, never clamped after it.
///
/// Bounds of each sleep, in seconds: `.none` `[min(initial, max), max]`; `.full` `[0, max]`;
/// `.equal` `[min(initial, max)/2, max]`; `.decorrelated` `[min(initial, max), max]`.
public struct ExponentialStrategy: PollingStrategy, Hashable {
    /// The first ceiling in seconds (`base` in the AWS post). Default 0.1.
    public var initial: Double
    /// Growth factor per attempt (≥ 1). Default 2.
    public var multiplier: Double
    /// The cap in seconds. Default 3.
    public var maxInterval: Double
    /// Jitter variant. Default `.none`.
    public var jitter: JitterKind
    /// Seconds from start to the first poll. Default 0.
    public var initialDelay: Double
    private var previous: Double?

    /// - Throws: `PollingCoreError.invalidField` when `initial` or `maxInterval` is not a finite
    ///   number > 0, `multiplier` not finite and ≥ 1, or `initialDelay` not finite and ≥ 0.
    public init(initial: Double = 0.1, multiplier: Double = 2, maxInterval: Double = 3,
                jitter: JitterKind = .none, initialDelay: Double = 0) throws {
        try StrategyParameter.positive(initial, "initial")
        try StrategyParameter.multiplier(multiplier, "multiplier")
        try StrategyParameter.positive(maxInterval, "max_interval")
        try StrategyParameter.nonNegative(initialDelay, "initial_delay")
        self.initial = initial
        self.multiplier = multiplier
        self.maxInterval = maxInterval
        self.jitter = jitter
        self.initialDelay = initialDelay
    }

    /// The un-jittered ceiling `min(maxInterval, initial · multiplier^attempt)` in seconds,
    /// computed with a capped exponent so that it never overflows.
    public func ceiling(attempt: Int) -> Double {
        BackoffMath.ceiling(initial: initial, multiplier: multiplier, cap: maxInterval, exponent: attempt)
    }

    /// The sleep in seconds after poll `attempt`, drawing from `rng` when jittered.
    public mutating func sleep<R: RandomNumberGenerator>(attempt: Int, using rng: inout R) -> Double {
        let v = ceiling(attempt: attempt)
        switch jitter {
        case .none: return v
        case .full: return rng.uniform(0, v)
        case .equal: return v / 2 + rng.uniform(0, v / 2)
        case .decorrelated:
            let base = min(initial, maxInterval)
            let upper = min(maxInterval, 3 * (previous ?? base))
            let value = rng.uniform(base, max(base, upper))
            previous = value
            return value
        }
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay))
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        .poll(at: observation.sent + .clampedSeconds(sleep(attempt: observation.attempt, using: &rng)))
    }
}
