/// Runs a strategy written in other time units on a clock `scale` times faster or slower: every
/// instant it returns is multiplied by `scale`, every instant and hint it observes divided by it.
///
/// Two uses:
/// - an experiment's `time_scale` (fixed scale: a workload of minutes runs live in seconds); the
///   job's `expected_duration` is passed on divided by the scale;
/// - a per-job hint (`followsJobHint`): the base strategy works in units of the job's
///   `expected_duration` (a unit schedule, optimal for the law of `T / hint`), and the scale
///   becomes each job's hint when the job is accepted (`accepted(_:)`); without a hint (or a
///   hint that is not finite and > 0) the scale stays at its initial value (the workload's mean).
///
/// HR and ER are ratios of counts and of times, so scaling every time leaves the score unchanged,
/// up to request latency, which does not scale (the runner warns when a scaled interval falls
/// below 20 round trips).
public struct TimeScaledStrategy: PollingStrategy {
    /// The strategy, in its own time units.
    public var base: any PollingStrategy
    /// Real seconds per unit of the base strategy's time (finite, > 0).
    public private(set) var scale: Double
    /// True when the scale is set to each job's hint (`expected_duration`).
    public let followsJobHint: Bool

    /// - Parameters:
    ///   - base: the strategy in its own units.
    ///   - scale: real seconds per base unit (finite, > 0; 1 = unchanged); with
    ///     `followsJobHint`, the scale used when a job has no hint.
    ///   - followsJobHint: set the scale to each job's `expected_duration`. Default false.
    public init(_ base: any PollingStrategy, scale: Double, followsJobHint: Bool = false) {
        self.base = base
        self.scale = scale
        self.followsJobHint = followsJobHint
    }

    private func real(_ d: Duration) -> Duration { .clampedSeconds(d.seconds * scale) }
    private func workload(_ d: Duration) -> Duration { .clampedSeconds(d.seconds / scale) }

    private func real(_ decision: PollDecision) -> PollDecision {
        if case .poll(let at) = decision { return .poll(at: real(at)) }
        return decision
    }

    public mutating func accepted(_ job: AcceptedJob) {
        if followsJobHint {
            if let hint = job.expectedDuration, hint.isFinite, hint > 0 { scale = hint }
            base.accepted(AcceptedJob(expectedDuration: 1))
        } else {
            base.accepted(AcceptedJob(expectedDuration: job.expectedDuration.map { $0 / scale }))
        }
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
