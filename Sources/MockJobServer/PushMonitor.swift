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
        var watchers: [(id: Int, condition: @Sendable (PushCounts) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWatcher = 0

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
            state = State(counts: PushCounts(open: state.counts.open), origin: origin, watchers: state.watchers,
                          nextWatcher: state.nextWatcher)
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

    /// A callback attempt starts now; returns its start instant for `callbackFailed`.
    func callbackStarted() -> ContinuousClock.Instant {
        let now = timeSource.monotonic()
        update { $0.counts.callbackAttemptStarted(at: now - $0.origin) }
        return now
    }

    /// The attempt that started at `started` failed; `abandoned` when it was the last.
    func callbackFailed(started: ContinuousClock.Instant, abandoned: Bool) {
        let now = timeSource.monotonic()
        update { $0.counts.callbackAttemptFailed(startedAt: started - $0.origin, at: now - $0.origin, abandoned: abandoned) }
    }

    /// Returns once `condition` holds for the counts (at once if it already does), or when the
    /// calling task is cancelled: an explicit signal for tests and the runner, e.g. "5 callback
    /// attempts made" or "every stream closed".
    public func wait(until condition: @escaping @Sendable (PushCounts) -> Bool) async {
        let id = state.withLock { state -> Int in
            state.nextWatcher += 1
            return state.nextWatcher
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let holds = state.withLock { state -> Bool in
                    if condition(state.counts) || Task.isCancelled { return true }
                    state.watchers.append((id, condition, continuation))
                    return false
                }
                if holds { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.watchers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.watchers.remove(at: index).continuation
            }
            watcher?.resume()
        }
    }

    /// Waits until no event stream is open, at most `limit` (a client that gave up on a stream
    /// leaves it open at the server until its next write): so that a run's counts include the
    /// connection time of the streams its trials just finished with.
    public func waitForClosedStreams(limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait { $0.open == 0 } }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
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
