/// Webhook: register a callback when the job is created and wait for the server to POST the
/// final status; poll only if the callback does not come.
///
/// The first call, at t = 0, is the wait for the callback (`PushChannel.webhook`): the
/// registration rides on `POST /jobs` (`callback_url`), and the status call lasts from the
/// create answer until the callback arrives. If none arrives within `wait` seconds, that call
/// ends `pending` and the strategy falls back to polling: a `GET /jobs/{id}` at once, then every
/// `fallbackInterval` seconds from the previous send (a later callback is ignored). So a job
/// is detected no later than `max(wait, its completion) + fallbackInterval` + one round trip
/// even when no callback ever arrives (the documented fallback bound).
///
/// Choose `wait` above the longest job you expect plus the server's callback retry window
/// (`MockJobServer.CallbackPolicy`: attempts at completion + 0, 0.1, 0.3, 0.7 and 1.5 s, each
/// bounded by its attempt timeout). Defaults: wait 30 s, fallbackInterval 0.5 s. In the
/// simulator the callback always arrives (no failure is modelled): a long poll of `wait`.
public struct WebhookStrategy: PollingStrategy, Hashable {
    /// How long to wait for the callback after registering, seconds (> 0). Default 30.
    public var wait: Double
    /// The polling interval after the fallback, seconds (> 0). Default 0.5.
    public var fallbackInterval: Double
    /// Whether the callback wait ended without a callback (the strategy now polls).
    public private(set) var fellBack = false

    /// - Parameters:
    ///   - wait: seconds to wait for the callback, default 30.
    ///   - fallbackInterval: seconds between fallback polls, default 0.5.
    public init(wait: Double = 30, fallbackInterval: Double = 0.5) {
        self.wait = wait
        self.fallbackInterval = fallbackInterval
    }

    public var longPollWait: Duration? { fellBack ? nil : .clampedSeconds(wait) }
    public var push: PushChannel? { fellBack ? nil : .webhook }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    /// After the callback wait: poll at once; after a poll: `fallbackInterval` after its send.
    public mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        guard fellBack else {
            fellBack = true
            return .poll(at: observation.received)
        }
        return .poll(at: observation.sent + .clampedSeconds(fallbackInterval))
    }
}
