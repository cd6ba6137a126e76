/// Follows the server's hints (`Retry-After`, ETA), within its own bounds.
///
/// After each poll, with the hints of that response (delays from its *receive* instant):
/// 1. `target` = the later of `retryAfter` and `eta` when either is present (Retry-After is when
///    the server asks to be called again, the ETA when it expects the job to end; polling before
///    the later of the two is expected to be wasted), else `interval` (the fallback);
/// 2. `clamped = min(max(target, minInterval), maxInterval)`;
/// 3. `wait = max(clamped, retryAfter ?? 0)`: a valid Retry-After always wins, even over
///    `maxInterval` (DESIGN.md: no call earlier than a valid hint; RFC 9110 §10.2.3). An ETA is
///    only an estimate, so `maxInterval` may cut it short.
/// The next poll is sent `wait` seconds after the response arrived. Without any hint the wait
/// is the fallback `interval`, counted from the previous *send* like the backoff strategies.
/// The first poll is at `initialDelay` (default 0).
///
/// Defaults: interval 1 s, minInterval 0.05 s, maxInterval 30 s.
/// Bounds of each wait in seconds: `[minInterval, max(maxInterval, retryAfter)]` with a hint;
/// exactly `interval` from the send without one.
public struct HintedStrategy: PollingStrategy, Hashable {
    /// The fallback wait without a hint, seconds (> 0). Default 1.
    public var interval: Double
    /// The smallest wait after a hint, seconds (≥ 0). Default 0.05.
    public var minInterval: Double
    /// The largest wait after an ETA, seconds (≥ minInterval). Default 30.
    public var maxInterval: Double
    /// Seconds from start to the first poll (≥ 0). Default 0.
    public var initialDelay: Double

    /// - Parameters: see the properties.
    public init(interval: Double = 1, minInterval: Double = 0.05, maxInterval: Double = 30, initialDelay: Double = 0) {
        self.interval = interval
        self.minInterval = minInterval
        self.maxInterval = maxInterval
        self.initialDelay = initialDelay
    }

    /// The wait in seconds after a response carrying `hint`, or `nil` when it carries none.
    public func hintedWait(_ hint: ServerHint?) -> Double? {
        let retryAfter = hint?.retryAfter.map { max(0, $0.seconds) }
        let eta = hint?.eta.map { max(0, $0.seconds) }
        guard retryAfter != nil || eta != nil else { return nil }
        let target = max(retryAfter ?? 0, eta ?? 0)
        let clamped = min(max(target, minInterval), maxInterval)
        return max(clamped, retryAfter ?? 0)
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        if let wait = hintedWait(observation.hint) {
            return .poll(at: observation.received + .clampedSeconds(wait))
        }
        return .poll(at: observation.sent + .clampedSeconds(interval))
    }
}
