/// Follows the server's hints (`Retry-After`, ETA), within its own bounds.
///
/// After each poll, with the hints of that response (delays from its *receive* instant):
/// 1. with an `eta` (the body's fractional seconds left): `wait = min(max(eta, minInterval),
///    maxInterval)`. The ETA is preferred to `Retry-After` when both are present: `Retry-After`
///    has whole seconds only (RFC 9110 §10.2.3), so a server that expects the job in 0.3 s can
///    say `eta: 0.3` but only `Retry-After: 1` (or 0); the ETA is the finer form of its hint, and
///    following the header instead would round 0.3 s to 1 s (issue 11: hints below a second use
///    `eta`). An ETA is only an estimate, so `maxInterval` may cut it short;
/// 2. else with a valid `Retry-After`: `wait = max(min(max(retryAfter, minInterval),
///    maxInterval), retryAfter)`: no call earlier than the hint, even over `maxInterval`
///    (DESIGN.md; RFC 9110 §10.2.3);
/// 3. else `interval` (the fallback).
/// The next poll is sent `wait` seconds after the response arrived. Without any hint the wait
/// is the fallback `interval`, counted from the previous *send* like the backoff strategies.
/// The first poll is at `initialDelay` (default 0).
///
/// Defaults: interval 1 s, minInterval 0.05 s, maxInterval 30 s.
/// Bounds of each wait in seconds: `[minInterval, maxInterval]` with an ETA,
/// `[minInterval, max(maxInterval, retryAfter)]` with only a Retry-After; exactly `interval` from
/// the send without either. (Retry-After on failed calls, 429 and 503, is the poll loop's retry
/// layer's business and always honoured.)
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
        if let eta { return min(max(eta, minInterval), maxInterval) }
        guard let retryAfter else { return nil }
        return max(min(max(retryAfter, minInterval), maxInterval), retryAfter)
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
