/// Settings of the poll loop.
public struct PollLoopConfiguration: Sendable, Hashable {
    /// Overall deadline per trial, measured from start; `nil` = none (the seed's default).
    public var deadline: Duration?
    /// Bound on one status request. Default 5 s.
    public var requestTimeout: Duration
    /// How transient failures (timeouts, resets, undecodable bodies, 408, 429, 5xx) are retried.
    public var retry: RetryPolicy
    /// The most status calls one trial may make (the per-trial call budget); the poll that would
    /// exceed it is not sent and the trial ends `failed` with `call_budget_exhausted`. Default
    /// 10 000: far above what any schedule needs (the optimal schedules of DESIGN.md use at most a
    /// few hundred polls; 1 ms polling of a 10 s job makes 10 000), and small enough that one
    /// trial's calls stay near a megabyte.
    public var maxCalls: Int

    /// The floor on the gap between two consecutive sends of one trial, for every strategy and
    /// for retries: 1 ms. A strategy (or a retry backoff, or a hint) asking for less is held to
    /// it, so no schedule can spin (e.g. `interval: 1e-9`).
    public static let minimumInterval: Duration = .milliseconds(1)
    /// The trial error code of a trial that reached `maxCalls`.
    public static let callBudgetCode = "call_budget_exhausted"

    /// - Parameters: see the properties.
    public init(deadline: Duration? = nil, requestTimeout: Duration = .seconds(5), retry: RetryPolicy = RetryPolicy(),
                maxCalls: Int = 10_000) {
        self.deadline = deadline
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.maxCalls = maxCalls
    }
}

/// Retries of transient failures: exponential backoff with full jitter (AWS Architecture Blog,
/// "Exponential Backoff and Jitter", 2015), or exactly the server's valid `Retry-After`, within a
/// budget of consecutive failures.
///
/// After the k-th consecutive failure (k from 1) the next call waits `min(Retry-After, maxDelay)`
/// when the response carried one, else `U(0, min(maxBackoff, maxDelay, initialBackoff · 2^(k−1)))`
/// (the ceiling from `BackoffMath`, saturating). A wait that would reach the trial's deadline is
/// not made: the trial ends `timed_out` at once (`PollLoop`).
public struct RetryPolicy: Sendable, Hashable {
    /// The first backoff ceiling. Default 50 ms.
    public var initialBackoff: Duration
    /// The cap on the backoff ceiling. Default 2 s.
    public var maxBackoff: Duration
    /// Consecutive transient failures tolerated; one more ends the trial `failed` with
    /// `retries_exhausted`. Default 5.
    public var budget: Int
    /// The longest the retry layer ever waits, a server's `Retry-After` included: hints beyond it
    /// are cut to it (on failed calls, and on the hints a strategy sees). Default 120 s (the
    /// Smithy waiters' maxDelay).
    public var maxDelay: Duration

    /// - Parameters: see the properties.
    public init(initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(2), budget: Int = 5,
                maxDelay: Duration = .seconds(120)) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.budget = budget
        self.maxDelay = maxDelay
    }

    /// The wait before the next call after `failures` consecutive failures (≥ 1); one draw from
    /// `rng` unless `retryAfter` is given. Bounds: `[0, min(maxBackoff, maxDelay)]`, or exactly
    /// `min(retryAfter, maxDelay)`.
    public func backoff<R: RandomNumberGenerator>(failures: Int, retryAfter: Duration?, using rng: inout R) -> Duration {
        if let retryAfter { return min(max(.zero, retryAfter), maxDelay) }
        let ceiling = BackoffMath.ceiling(initial: initialBackoff.seconds, multiplier: 2,
                                          cap: min(maxBackoff, maxDelay).seconds, exponent: failures - 1)
        return .clampedSeconds(rng.uniform(0, ceiling))
    }

    /// `hint` with its `Retry-After` and ETA cut to `maxDelay`.
    public func clamped(_ hint: ServerHint) -> ServerHint {
        ServerHint(retryAfter: hint.retryAfter.map { min($0, maxDelay) }, eta: hint.eta.map { min($0, maxDelay) },
                   progress: hint.progress)
    }
}
