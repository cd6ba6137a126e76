/// gRPC connection backoff used as a polling schedule.
///
/// Source: grpc/grpc `doc/connection-backoff.md`. Defaults: initial 1 s, multiplier 1.6,
/// jitter 0.2 (±20 %, symmetric), max 120 s. Polls at `initialDelay` (default 0), then after poll
/// `attempt` (from 0) waits, from that poll's send:
/// - attempt 0: `initial` exactly (the first wait is unjittered);
/// - attempt k ≥ 1: `b · (1 + U(−jitter, jitter))` with `b = min(initial · multiplier^k, max)`
///   (saturating exponent). The jitter applies *after* the cap, as in gRPC.
///
/// Bounds of each wait in seconds: attempt 0 exactly `min(initial, max)`; later attempts within
/// `[(1 − jitter) · min(initial · multiplier, max), (1 + jitter) · max]`.
public struct GRPCBackoffStrategy: PollingStrategy, Hashable {
    /// First wait in seconds (> 0). Default 1.
    public var initial: Double
    /// Growth per attempt (≥ 1). Default 1.6.
    public var multiplier: Double
    /// Relative jitter in [0, 1). Default 0.2.
    public var jitter: Double
    /// Cap on the un-jittered wait in seconds. Default 120.
    public var maxBackoff: Double
    /// Seconds from start to the first poll (≥ 0). Default 0.
    public var initialDelay: Double

    /// - Parameters: see the properties; defaults are gRPC's.
    public init(initial: Double = 1, multiplier: Double = 1.6, jitter: Double = 0.2,
    /// - Throws: `PollingCoreError.invalidField` (naming the file key) when a parameter is out of range, e.g. `maxBackoff` not finite and > 0, `multiplier` < 1, `jitter` outside [0, 1) or `initialDelay` < 0.
                maxBackoff: Double = 120, initialDelay: Double = 0) throws {
        try StrategyParameter.positive(initial, "initial")
        try StrategyParameter.multiplier(multiplier, "multiplier")
        guard jitter.isFinite, jitter >= 0, jitter < 1 else {
            throw PollingCoreError.invalidField("jitter", "must be in [0, 1), got \(jitter)")
        }
        try StrategyParameter.positive(maxBackoff, "max_backoff")
        try StrategyParameter.nonNegative(initialDelay, "initial_delay")
        self.initial = initial
        self.multiplier = multiplier
        self.jitter = jitter
        self.maxBackoff = maxBackoff
        self.initialDelay = initialDelay
    }

    /// The wait in seconds after poll `attempt`; draws one value from `rng` for attempt ≥ 1.
    public func wait<R: RandomNumberGenerator>(attempt: Int, using rng: inout R) -> Double {
        let b = BackoffMath.ceiling(initial: initial, multiplier: multiplier, cap: maxBackoff, exponent: attempt)
        guard attempt > 0 else { return b }
        return b * (1 + rng.uniform(-jitter, jitter))
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        .poll(at: observation.sent + .clampedSeconds(wait(attempt: observation.attempt, using: &rng)))
    }
}
