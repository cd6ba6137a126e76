/// Smithy waiters (the AWS SDKs' `waitUntil…`, Swift SDK included).
///
/// Source: smithy-lang/smithy, waiters specification, "Waiter retries". Defaults: minDelay 2 s,
/// maxDelay 120 s. The first poll is immediate (t = 0). After poll `attempt` (from 0; the spec's
/// retry number is `attempt + 1`) the waiter sleeps, from that poll's *receive* instant (the SDKs
/// sleep after the response, and the last-attempt rule is defined on the time left then):
///
///     delay = U(minDelay, min(maxDelay, minDelay · 2^attempt))      (saturating exponent)
///     if remaining − delay ≤ minDelay: delay = max(0, remaining − minDelay), and that poll is the last
///
/// where `remaining` is `observation.remaining` (time left before the poller's deadline, the
/// spec's `maxWaitTime`). The specification says to "perform one last retry" there; its text
/// sleeps the whole remaining time, which puts that retry *on* the deadline, where a poller must
/// not send it. PollLab follows smithy-swift (`WaiterScheduler`, the Swift SDKs' implementation),
/// which sleeps `remaining − minDelay` so that the last request is sent and has `minDelay` to
/// answer (REFERENCE.md, "Smithy waiters"). Without a deadline the rule never fires. After the
/// last attempt, or when `remaining ≤ 0`, the strategy stops.
///
/// Bounds: each delay in `[minDelay, maxDelay]`, except the last, which is
/// `max(0, remaining − minDelay)` (so the last poll is sent at least `minDelay` before the
/// deadline, or at once when less than that is left).
public struct SmithyWaiterStrategy: PollingStrategy, Hashable {
    /// Smallest delay in seconds (> 0). Default 2.
    public var minDelay: Double
    /// Largest delay in seconds (≥ minDelay). Default 120.
    public var maxDelay: Double
    private var finished = false

    /// - Parameters: see the properties; defaults are the Smithy specification's.
    /// - Throws: `PollingCoreError.invalidField` (naming the file key) when a parameter is out of range, e.g. `maxDelay` not finite and > 0, or `maxDelay` < `minDelay`.
    public init(minDelay: Double = 2, maxDelay: Double = 120) throws {
        try StrategyParameter.positive(minDelay, "min_delay")
        try StrategyParameter.positive(maxDelay, "max_delay")
        try StrategyParameter.ordered(minDelay, maxDelay, lowerField: "min_delay", upperField: "max_delay")
        self.minDelay = minDelay
        self.maxDelay = maxDelay
    }

    /// The un-jittered ceiling `min(maxDelay, minDelay · 2^attempt)` in seconds.
    public func ceiling(attempt: Int) -> Double {
        BackoffMath.ceiling(initial: minDelay, multiplier: 2, cap: maxDelay, exponent: attempt)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        guard !finished else { return .stop }
        var delay = rng.uniform(minDelay, max(minDelay, ceiling(attempt: observation.attempt)))
        if let remaining = observation.remaining?.seconds {
            guard remaining > 0 else { return .stop }
            if remaining - delay <= minDelay {
                delay = max(0, remaining - minDelay)
                finished = true
            }
        }
        return .poll(at: observation.received + .clampedSeconds(delay))
    }
}
