import Synchronization

/// The outcome of one batch handed to GRDB's writer queue: a one-shot future that the queue's
/// completion resolves and `TraceWriter` awaits.
///
/// `TraceWriter` enqueues each batch with `asyncWrite` as soon as it is taken (in order, from the
/// actor), so the writer queue always has the next batch ready; a batch checks its predecessor's
/// `error` before writing. The queue is serial and resolves each batch inside its own block, so
/// that check always sees the predecessor resolved.
final class BatchCommit: Sendable {
    private enum State {
        case pending
        case awaited(CheckedContinuation<TraceStoreError?, Never>)
        case resolved(TraceStoreError?)
    }

    private let state = Mutex<State>(.pending)

    /// Records the outcome (`nil` = committed) and wakes the waiter, if any. Call once.
    func resolve(_ error: TraceStoreError?) {
        let waiter = state.withLock { state -> CheckedContinuation<TraceStoreError?, Never>? in
            defer { state = .resolved(error) }
            if case .awaited(let continuation) = state { return continuation }
            return nil
        }
        waiter?.resume(returning: error)
    }

    /// The error of a resolved batch; `nil` when it committed or is not resolved yet.
    var error: TraceStoreError? {
        state.withLock { state in
            if case .resolved(let error) = state { return error }
            return nil
        }
    }

    /// Waits for the outcome: `nil` once committed, else the error. At most one waiter; waiting is
    /// not cancellable (a commit in flight finishes anyway).
    var outcome: TraceStoreError? {
        get async {
            await withCheckedContinuation { continuation in
                let resolved = state.withLock { state -> TraceStoreError?? in
                    switch state {
                    case .resolved(let error): return .some(error)
                    case .pending: state = .awaited(continuation); return .none
                    case .awaited: preconditionFailure("a BatchCommit has one waiter")
                    }
                }
                if case .some(let error) = resolved { continuation.resume(returning: error) }
            }
        }
    }
}
