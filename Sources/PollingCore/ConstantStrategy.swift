/// Polls at a fixed interval: the naive baseline.
///
/// Poll instants: `initialDelay`, then previous send + `interval`. Bounds: every gap between
/// sends is at least `interval` (more when a response takes longer than `interval`).
public struct ConstantStrategy: PollingStrategy, Hashable {
    /// Seconds between sends. Must be finite and > 0.
    public var interval: Double
    /// Seconds from start to the first poll. Default 0 (poll immediately).
    public var initialDelay: Double

    /// - Parameters:
    ///   - interval: seconds between sends (> 0).
    ///   - initialDelay: seconds before the first poll (≥ 0), default 0.
    public init(interval: Double, initialDelay: Double = 0) {
        self.interval = interval
        self.initialDelay = initialDelay
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        .poll(at: observation.sent + .clampedSeconds(interval))
    }
}
