/// Google API long-running-operation polling (python-api-core).
///
/// Source: googleapis/python-api-core `polling.py` / `retry.exponential_sleep_generator`.
/// Defaults: initial 1 s, multiplier 1.5, max 20 s, timeout 900 s. The first check is
/// immediate (t = 0); after poll `attempt` (from 0) the next is sent `U(0, c)` seconds after that
/// poll's send, with the current ceiling `c = min(initial · multiplier^attempt, max)` (full
/// jitter; saturating exponent). A poll that would be sent later than `timeout` seconds after
/// start is not sent: the strategy stops (the operation's client-side timeout).
///
/// Bounds: each wait in `[0, min(initial · multiplier^attempt, max)] ⊆ [0, max]`; every poll
/// instant ≤ `timeout`.
public struct GoogleLROStrategy: PollingStrategy, Hashable {
    /// The first ceiling in seconds (> 0). Default 1.
    public var initial: Double
    /// Growth of the ceiling per attempt (≥ 1). Default 1.5.
    public var multiplier: Double
    /// Cap on the ceiling in seconds. Default 20.
    public var maxDelay: Double
    /// Give up rather than poll after this many seconds from start. Default 900.
    public var timeout: Double

    /// - Parameters: see the properties; defaults are python-api-core's.
    /// - Throws: `PollingCoreError.invalidField` (naming the file key) when a parameter is out of range, e.g. `maxDelay` or `timeout` not finite and > 0, or `multiplier` < 1.
    public init(initial: Double = 1, multiplier: Double = 1.5, maxDelay: Double = 20, timeout: Double = 900) throws {
        try StrategyParameter.positive(initial, "initial")
        try StrategyParameter.multiplier(multiplier, "multiplier")
        try StrategyParameter.positive(maxDelay, "max_delay")
        try StrategyParameter.positive(timeout, "timeout")
        self.initial = initial
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.timeout = timeout
    }

    /// The current ceiling in seconds after poll `attempt`.
    public func ceiling(attempt: Int) -> Double {
        BackoffMath.ceiling(initial: initial, multiplier: multiplier, cap: maxDelay, exponent: attempt)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        let next = observation.sent + .clampedSeconds(rng.uniform(0, ceiling(attempt: observation.attempt)))
        return next > .clampedSeconds(timeout) ? .stop : .poll(at: next)
    }
}
