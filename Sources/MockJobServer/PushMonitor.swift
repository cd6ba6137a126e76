import PollingCore
import Synchronization

/// The live server's account of push delivery (`PushCounts` behind a `Mutex`): event streams
/// and webhook callback attempts, per 100 ms bucket from `origin` on the server's time source.
/// `GET /stats` reports its totals; the experiment runner restarts it at its run's start and
/// stores the buckets in `server_push`.
public final class PushMonitor: Sendable {
    private struct State {
        var counts = PushCounts()
        var origin: ContinuousClock.Instant
        var watchers: [(condition: @Sendable (PushCounts) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes the watchers whose condition now holds, for resuming outside the lock.
        mutating func satisfied() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            watchers.removeAll { watcher in
                guard watcher.condition(counts) else { return false }
                ready.append(watcher.continuation)
                return true
            }
            return ready
        }
    }

    private let state: Mutex<State>
    private let timeSource: MockJobServer.TimeSource

    /// - Parameter timeSource: the server's clocks; counting starts at its current instant.
    public init(timeSource: MockJobServer.TimeSource) {
        self.timeSource = timeSource
        self.state = Mutex(State(origin: timeSource.monotonic()))
    }

    /// Starts counting afresh at `origin` (bucket 0 starts there). Streams open across the
    /// restart still count as open (they will close later).
    public func restart(at origin: ContinuousClock.Instant) {
        state.withLock { state in
            state = State(counts: PushCounts(open: state.counts.open), origin: origin, watchers: state.watchers)
        }
    }

    /// A stream opens now; returns its opening instant for `streamClosed`.
    func streamOpened(resumed: Bool) -> ContinuousClock.Instant {
        let now = timeSource.monotonic()
        update { $0.counts.streamOpened(at: now - $0.origin, resumed: resumed) }
        return now
    }

    /// The stream opened at `opened` closes now.
    func streamClosed(opened: ContinuousClock.Instant) {
        let now = timeSource.monotonic()
        update { $0.counts.streamClosed(openedAt: opened - $0.origin, at: now - $0.origin) }
    }

    /// A callback attempt that started at `started` ended.
    func callbackAttempt(started: ContinuousClock.Instant, delivered: Bool, abandoned: Bool) {
        update { $0.counts.callbackAttempt(at: started - $0.origin, delivered: delivered, abandoned: abandoned) }
    }

    /// Returns once `condition` holds for the counts (at once if it already does): an explicit
    /// signal for tests and tools, e.g. "5 callback attempts made". Not cancellable: use a
    /// condition that will hold.
    public func wait(until condition: @escaping @Sendable (PushCounts) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let holds = state.withLock { state -> Bool in
                if condition(state.counts) { return true }
                state.watchers.append((condition, continuation))
                return false
            }
            if holds { continuation.resume() }
        }
    }

    private func update(_ change: (inout State) -> Void) {
        let ready = state.withLock { state in
            change(&state)
            return state.satisfied()
        }
        for continuation in ready { continuation.resume() }
    }

    /// The counts so far.
    public var counts: PushCounts { state.withLock { $0.counts } }
}
