/// A type-erased `PollingStrategy`: forwards every requirement to the strategy it holds, so
/// strategies chosen at run time (`any PollingStrategy`) can drive a generic `PollLoop` stored
/// next to others of other kinds (`FleetSimulator` keeps many in flight).
public struct AnyPollingStrategy: PollingStrategy {
    /// The strategy.
    public var base: any PollingStrategy

    public init(_ base: any PollingStrategy) {
        self.base = base
    }

    public mutating func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        base.firstPoll(using: &rng)
    }

    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        base.nextPoll(after: observation, using: &rng)
    }

    public var longPollWait: Duration? { base.longPollWait }
}
