import PollingCore
import Synchronization

/// Where a webhook receiver puts the final statuses the server POSTs, and where a client waits
/// for them, by job id. A status that arrives before anyone waits is kept until it is taken.
public final class CallbackInbox: Sendable {
    private struct State {
        var delivered: [String: JobStatusResponse] = [:]
        var waiters: [String: CheckedContinuation<JobStatusResponse?, Never>] = [:]
        var received = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Hands a callback's status to the client waiting for its job, or keeps it for later.
    public func deliver(_ status: JobStatusResponse) {
        let waiter = state.withLock { state -> CheckedContinuation<JobStatusResponse?, Never>? in
            state.received += 1
            if let waiter = state.waiters.removeValue(forKey: status.id) { return waiter }
            state.delivered[status.id] = status
            return nil
        }
        waiter?.resume(returning: status)
    }

    /// The number of callbacks received so far.
    public var received: Int { state.withLock { $0.received } }

    /// Waits for job `id`'s callback until `deadline` (one waiter per job at a time).
    /// - Returns: the delivered status (taken out of the inbox), or `nil` when `deadline` passed
    ///   first or the task was cancelled.
    public func wait(for id: String, until deadline: ContinuousClock.Instant) async -> JobStatusResponse? {
        await withTaskGroup(of: JobStatusResponse?.self) { group in
            group.addTask { await self.take(id) }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            var result = await group.next() ?? nil
            group.cancelAll()
            // If the timer won, the waiter still ends: with nil, or with a status that raced in.
            for await rest in group where result == nil { result = rest }
            return result
        }
    }

    /// Drops whatever is kept for job `id` (its trial is over).
    public func forget(_ id: String) {
        _ = state.withLock { $0.delivered.removeValue(forKey: id) }
    }

    private func take(_ id: String) async -> JobStatusResponse? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<JobStatusResponse?, Never>) in
                let ready = state.withLock { state -> (Bool, JobStatusResponse?) in
                    if let status = state.delivered.removeValue(forKey: id) { return (true, status) }
                    if Task.isCancelled { return (true, nil) }
                    state.waiters[id] = continuation
                    return (false, nil)
                }
                if ready.0 { continuation.resume(returning: ready.1) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
