/// Settings of the poll loop.
public struct PollLoopConfiguration: Sendable, Hashable {
    /// Overall deadline per trial, measured from start; `nil` = none (the seed's default).
    public var deadline: Duration?
    /// Bound on one status request. Default 5 s.
    public var requestTimeout: Duration
    /// Consecutive failed calls after which the trial ends `failed`. Default 5.
    public var maxConsecutiveFailures: Int

    public init(deadline: Duration? = nil, requestTimeout: Duration = .seconds(5), maxConsecutiveFailures: Int = 5) {
        self.deadline = deadline
        self.requestTimeout = requestTimeout
        self.maxConsecutiveFailures = maxConsecutiveFailures
    }
}
