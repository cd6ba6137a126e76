/// Runs a strategy written in workload time on a clock `scale` times faster or slower: every
/// instant it returns is multiplied by `scale`, every instant and hint it observes divided by it
/// (an experiment's `time_scale`, so a workload of minutes runs live in seconds).
///
/// HR and ER are ratios of counts and of times, so scaling every time leaves the score unchanged,
/// up to request latency, which does not scale (the runner warns when a scaled interval falls
/// below 20 round trips).
public struct TimeScaledStrategy: PollingStrategy {
    /// The strategy, in workload time.
    public var base: any PollingStrategy
    /// Real seconds per workload second (finite, > 0).
    public let scale: Double

    /// - Parameters:
    ///   - base: the strategy in workload time.
    ///   - scale: real seconds per workload second (finite, > 0; 1 = unchanged).
    public init(_ base: any PollingStrategy, scale: Double) {
        self.base = base
        self.scale = scale
    }

    private func real(_ d: Duration) -> Duration { .clampedSeconds(d.seconds * scale) }
    private func workload(_ d: Duration) -> Duration { .clampedSeconds(d.seconds / scale) }

    private func real(_ decision: PollDecision) -> PollDecision {
        if case .poll(let at) = decision { return .poll(at: real(at)) }
        return decision
    }

    public mutating func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        real(base.firstPoll(using: &rng))
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        var o = observation
        o.sent = workload(o.sent)
        o.received = workload(o.received)
        o.remaining = o.remaining.map(workload)
        o.hint = o.hint.map { ServerHint(retryAfter: $0.retryAfter.map(workload), eta: $0.eta.map(workload), progress: $0.progress) }
        return real(base.nextPoll(after: o, using: &rng))
    }

    public var longPollWait: Duration? { base.longPollWait.map(real) }
    public var push: PushChannel? { base.push }
}
