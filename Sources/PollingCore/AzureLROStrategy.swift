/// Azure long-running-operation polling (azure-core for Python, `LROBasePolling`).
///
/// Source: Azure/azure-sdk-for-python `azure-core` `polling/base_polling.py`: before each status
/// call the poller sleeps the `Retry-After` of the last response when present, else a fixed
/// `polling_interval` (default 30 s). Here: the first poll is at `initialDelay` (default `nil` =
/// `interval`, since azure-core sleeps before its first status call too); after each poll the
/// next is sent `retryAfter` seconds after that response's *receive* instant
/// (`observation.hint?.retryAfter`, relative to the response by RFC 9110 §10.2.3), else
/// `interval` seconds after it. The Retry-After is honoured as given (never shortened).
///
/// Bounds: each wait is `interval` or the server's Retry-After (≥ 0, clamped to 1e12 s).
public struct AzureLROStrategy: PollingStrategy, Hashable {
    /// The wait in seconds without a Retry-After (> 0). Default 30.
    public var interval: Double
    /// Seconds from start to the first poll; `nil` (default) = `interval`.
    public var initialDelay: Double?

    /// - Parameters:
    ///   - interval: seconds between polls without a hint, default 30.
    ///   - initialDelay: seconds before the first poll, default `nil` (= `interval`).
    public init(interval: Double = 30, initialDelay: Double? = nil) {
        self.interval = interval
        self.initialDelay = initialDelay
    }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .clampedSeconds(initialDelay ?? interval))
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        let wait = observation.hint?.retryAfter ?? .clampedSeconds(interval)
        return .poll(at: observation.received + max(.zero, wait))
    }
}
