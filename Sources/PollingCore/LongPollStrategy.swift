/// Long polling: the server holds each status request until the job is final or `wait` passes.
///
/// Each poll asks the server to wait up to `wait` seconds (`longPollWait`, sent as
/// `GET /jobs/{id}?wait=SECONDS`). The first poll is at t = 0; after a pending response the next
/// poll is sent as soon as it arrived (`observation.received`). After a failed call (no status)
/// it waits `errorDelay` seconds from the receive instant, so that a failing server is not
/// hammered in a tight loop. Google's `WaitOperation` is this kind of server-side wait.
///
/// Defaults: wait 20 s, errorDelay 1 s. Bounds: every poll instant is the previous receive
/// instant, or that plus `errorDelay` after a failed call.
public struct LongPollStrategy: PollingStrategy, Hashable {
    /// How long the server may hold each request, seconds (> 0). Default 20.
    public var wait: Double
    /// The pause after a failed call, seconds (≥ 0). Default 1.
    public var errorDelay: Double

    /// - Parameters:
    ///   - wait: seconds the server may hold each request, default 20.
    ///   - errorDelay: seconds to pause after a failed call, default 1.
    public init(wait: Double = 20, errorDelay: Double = 1) {
        self.wait = wait
        self.errorDelay = errorDelay
    }

    public var longPollWait: Duration? { .clampedSeconds(wait) }

    public func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision {
        .poll(at: .zero)
    }

    public func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision {
        observation.status == nil ? .poll(at: observation.received + .clampedSeconds(errorDelay)) : .poll(at: observation.received)
    }
}
