import PollingCore
import Synchronization

/// The live server's admission control: `ServerLimiter` (the state machine the simulator uses
/// too) behind a `Mutex`, fed each `GET /jobs/{id}` request's arrival instant as an offset from
/// `origin` on the server's time source.
///
/// Only status requests are limited (they are the polling load being measured); job creation,
/// cancellation, `/health` and `/stats` are not, so every trial gets its job.
public final class LoadLimiter: Sendable {
    private struct State {
        var limiter: ServerLimiter
        var origin: ContinuousClock.Instant
    }

    private let state: Mutex<State>
    private let timeSource: MockJobServer.TimeSource

    /// - Parameters:
    ///   - capacity: validated settings.
    ///   - timeSource: the server's clocks; counting starts at its current instant.
    public init(capacity: ServerCapacity, timeSource: MockJobServer.TimeSource) {
        self.timeSource = timeSource
        self.state = Mutex(State(limiter: ServerLimiter(capacity: capacity), origin: timeSource.monotonic()))
    }

    /// Decides one request arriving now.
    /// - Parameter client: the `X-Client-Id` header, if any.
    /// - Returns: the decision, with `serve` instants converted back to the time source's instants.
    func admit(client: String?) -> (ServerLimiter.Decision, origin: ContinuousClock.Instant) {
        let now = timeSource.monotonic()
        return state.withLock { state in
            (state.limiter.admit(at: now - state.origin, client: client), state.origin)
        }
    }

    /// Starts counting afresh at `origin` (bucket 0 starts there): a new, full limiter with no
    /// counts. The experiment runner calls it at its run's start so that buckets align with the
    /// run's timeline.
    public func restart(at origin: ContinuousClock.Instant) {
        state.withLock { state in
            state = State(limiter: ServerLimiter(capacity: state.limiter.capacity), origin: origin)
        }
    }

    /// The counts so far, per 100 ms bucket from the origin.
    public var counts: LoadCounts { state.withLock { $0.limiter.counts } }

    /// The capacity being applied.
    public var capacity: ServerCapacity { state.withLock { $0.limiter.capacity } }
}
