/// Kubernetes `wait.Backoff` used as a polling schedule.
///
/// Source: k8s.io/apimachinery `pkg/util/wait` (`Backoff{Duration, Factor, Jitter, Steps, Cap}`,
/// `Backoff.Step`, `Jitter(d, f) = d + U(0, f · d)`). The first poll is at `initialDelay`
/// (default 0); after poll `attempt` (from 0) the next is sent, from that poll's send,
/// `d + U(0, jitter · d)` seconds later with `d = min(duration · factor^attempt, cap)`
/// (saturating exponent; no cap when `cap` is `nil`, then `d` saturates at 1e12 s).
/// Like `wait.ExponentialBackoff`, at most `steps` polls are made (`nil` = unlimited), then the
/// strategy stops. (apimachinery also zeroes `Steps` once the cap is reached; PollLab keeps
/// polling at the cap instead, which is what a poller wants.)
///
/// wait.Backoff has no defaults of its own; PollLab's are duration 1 s, factor 2, jitter 0.1,
/// steps unlimited, cap 60 s.
///
/// Bounds of each wait in seconds: `[min(duration, cap), (1 + jitter) · cap]`; jitter applies
/// after the cap, as in apimachinery.
public struct KubernetesBackoffStrategy: PollingStrategy, Hashable {
    /// The first wait in seconds (> 0). Default 1.
    public var duration: Double
    /// Growth per step (≥ 1). Default 2.
    public var factor: Double
    /// Relative, one-sided jitter (≥ 0). Default 0.1.
    public var jitter: Double
    /// Most polls before giving up; `nil` = unlimited (default).
    public var steps: Int?
    /// Cap on the un-jittered wait in seconds; `nil` = none. Default 60.
    public var cap: Double?
    /// Seconds from start to the first poll (≥ 0). Default 0.
    public var initialDelay: Double

    /// - Parameters: see the properties.
    public init(duration: Double = 1, factor: Double = 2, jitter: Double = 0.1, steps: Int? = nil,
    /// - Throws: `PollingCoreError.invalidField` (naming the file key) when a parameter is out of range, e.g. `cap` not finite and > 0, `factor` < 1, `jitter` or `initialDelay` < 0, or `steps` < 1.
                cap: Double? = 60, initialDelay: Double = 0) throws {
        try StrategyParameter.positive(duration, "duration")
        try StrategyParameter.multiplier(factor, "factor")
        try StrategyParameter.nonNegative(jitter, "jitter")
        if let steps, steps < 1 { throw PollingCoreError.invalidField("steps", "must be >= 1, got \(steps)") }
        if let cap { try StrategyParameter.positive(cap, "cap") }
        try StrategyParameter.nonNegative(initialDelay, "initial_delay")
        self.duration = duration
        self.factor = factor
        self.jitter = jitter
        self.steps = steps
        self.cap = cap
        self.initialDelay = initialDelay
    }

    /// The wait in seconds after poll `attempt` (one draw from `rng`).
    public func wait<R: RandomNumberGenerator>(attempt: Int, using rng: inout R) -> Double {
        let d = BackoffMath.ceiling(initial: duration, multiplier: factor, cap: cap ?? 1e12, exponent: attempt)
        return d + rng.uniform(0, jitter * d)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        if let steps, steps < 1 { return .stop }
        return .poll(at: .clampedSeconds(initialDelay))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        if let steps, BackoffMath.add(observation.attempt, 1) >= steps { return .stop }
        return .poll(at: observation.sent + .clampedSeconds(wait(attempt: observation.attempt, using: &rng)))
    }
}
