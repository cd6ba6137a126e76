/// The seed's own algorithm, reproduced exactly so that its published numbers can be checked.
///
/// Polls at t = 0, then after each non-final response sleeps the *current* interval (counted
/// from that response's receive instant, as the seed's loop does) and updates
/// `current = min(current · 2 · U(a, b), maxInterval)`; when a duration hint is set and the
/// elapsed time at that response exceeds `0.75 · hint`, the new interval is also capped at
/// `0.2 · hint`, so the cap acts one interval late (DESIGN.md, reference behaviour).
///
/// With the headline configuration (initial 0.1 s, max 3 s, jitter (1, 1), hint 1.5 s) and zero
/// latency the polls fall at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s.
/// Bounds: each sleep lies in `[min(initialInterval, maxInterval), maxInterval]` while
/// `2a ≥ 1`; with a hint, later sleeps may fall to `0.2 · hint`.
public struct SeedStrategy: PollingStrategy, Hashable {
    /// The first sleep in seconds. Seed headline 0.1.
    public var initialInterval: Double
    /// The cap on the sleep in seconds. Seed headline 3.
    public var maxInterval: Double
    /// The multiplicative jitter factor range `(a, b)`; `(1, 1)` means no jitter (seed default).
    public var jitter: ClosedRange<Double>
    /// The approximate job duration in seconds, or `nil` for none. Seed headline 1.5.
    public var durationHint: Double?
    /// `duration_hint: job`: take `durationHint` from each job's `expected_duration` (the `202`
    /// body), as the seed's client would with a per-job `approx_base_duration`; a job without
    /// one keeps `durationHint`. Default false.
    public var usesJobHint: Bool
    private var current: Double

    public init(initialInterval: Double = 0.1, maxInterval: Double = 3,
                jitter: ClosedRange<Double> = 1...1, durationHint: Double? = nil, usesJobHint: Bool = false) {
        self.initialInterval = initialInterval
        self.maxInterval = maxInterval
        self.jitter = jitter
        self.durationHint = durationHint
        self.usesJobHint = usesJobHint
        self.current = min(initialInterval, maxInterval)
    }

    public mutating func accepted(_ job: AcceptedJob) {
        if usesJobHint, let hint = job.expectedDuration, hint.isFinite, hint >= 0 { durationHint = hint }
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        let sleep = current
        let factor = rng.uniform(jitter.lowerBound, jitter.upperBound)
        var next = min(current * 2 * factor, maxInterval)
        if let hint = durationHint, observation.received.seconds > 0.75 * hint {
            next = min(next, 0.2 * hint)
        }
        current = next.isFinite ? next : maxInterval
        return .poll(at: observation.received + .clampedSeconds(sleep))
    }
}
