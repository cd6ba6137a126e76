/// Server-sent events: subscribe to the job's event stream once and wait for its final status.
///
/// The first call, at t = 0, is the subscription (`GET /jobs/{id}/events`, `PushChannel.serverSentEvents`):
/// one status call that lasts until the server's final `status` event. A subscription held
/// `wait` seconds without a final status is closed by the client and renewed at once (one more
/// call, resuming with `Last-Event-ID`); a dropped stream is a transient failure that the poll
/// loop's retry policy reconnects after its backoff, so reconnections are bounded by
/// `RetryPolicy.budget` consecutive failures (default 5) and each counts as a call.
///
/// Defaults: wait 60 s. In the simulator it is a long poll of the same `wait` (the final status
/// arrives at completion plus the one-way latency, one call), which is what it is on the wire.
public struct SSEStrategy: PollingStrategy, Hashable {
    /// How long one subscription stays open without a final status before the client renews
    /// it, seconds (> 0). Default 60.
    public var wait: Double

    /// - Parameter wait: seconds one subscription stays open, default 60.
    public init(wait: Double = 60) {
        self.wait = wait
    }

    public var longPollWait: Duration? { .clampedSeconds(wait) }
    public var push: PushChannel? { .serverSentEvents }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    /// Renews the subscription as soon as the previous one ended without a final status.
    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        .poll(at: observation.received)
    }
}
