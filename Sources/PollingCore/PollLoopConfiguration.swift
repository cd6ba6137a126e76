/// Settings of the poll loop.
public struct PollLoopConfiguration: Sendable, Hashable {
    /// Overall deadline per trial, measured from start; `nil` = none (the seed's default).
    public var deadline: Duration?
    /// Bound on one status request. Default 5 s.
    public var requestTimeout: Duration
    /// How transient failures (timeouts, resets, undecodable bodies, 408, 429, 5xx) are retried.
    public var retry: RetryPolicy

    public init(deadline: Duration? = nil, requestTimeout: Duration = .seconds(5), retry: RetryPolicy = RetryPolicy()) {
        self.deadline = deadline
        self.requestTimeout = requestTimeout
        self.retry = retry
    }
}

/// Retries of transient failures: exponential backoff with full jitter (AWS Architecture Blog,
/// "Exponential Backoff and Jitter", 2015), or exactly the server's valid `Retry-After`, within a
/// budget of consecutive failures.
///
/// After the k-th consecutive failure (k from 1) the next call waits `Retry-After` when the
/// response carried one, else `U(0, min(maxBackoff, initialBackoff · 2^(k−1)))`.
public struct RetryPolicy: Sendable, Hashable {
    /// The first backoff ceiling. Default 50 ms.
    public var initialBackoff: Duration
    /// The cap on the backoff ceiling. Default 2 s.
    public var maxBackoff: Duration
    /// Consecutive transient failures tolerated; one more ends the trial `failed` with
    /// `retries_exhausted`. Default 5.
    public var budget: Int

    public init(initialBackoff: Duration = .milliseconds(50), maxBackoff: Duration = .seconds(2), budget: Int = 5) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.budget = budget
    }

    /// The wait before the next call after `failures` consecutive failures (≥ 1); one draw from
    /// `rng` unless `retryAfter` is given. Bounds: `[0, maxBackoff]`, or exactly `retryAfter`.
    public func backoff<R: RandomNumberGenerator>(failures: Int, retryAfter: Duration?, using rng: inout R) -> Duration {
        if let retryAfter { return max(.zero, retryAfter) }
        let exponent = min(max(failures - 1, 0), 62)
        let ceiling = min(maxBackoff.seconds, initialBackoff.seconds * Double(UInt64(1) << UInt64(exponent)))
        return .clampedSeconds(rng.uniform(0, max(0, ceiling)))
    }
}
