import Synchronization

/// A client-side retry budget shared by all trials of one arm: the AWS SDK retry quota or gRPC
/// retry throttling, behind a `Mutex` so that concurrent live trials share it.
///
/// The poll loop (`PollLoop`) asks it before retrying a transient failure and tells it about
/// every answered call. Regular polls of a pending job are not retries; only the call after a
/// transient failure is. In simulation the trials of an arm use it in trial order
/// (deterministic); live, in the order the calls complete.
public final class RetryBudget: Sendable {
    /// Which budget, with its settings.
    public enum Kind: Sendable, Hashable {
        case awsQuota(AWSRetryQuota)
        case grpcThrottle(GRPCRetryThrottle)
    }

    private let state: Mutex<Kind>

    /// - Parameter kind: the budget in its starting state (full).
    public init(_ kind: Kind) {
        self.state = Mutex(kind)
    }

    /// The budget's state now.
    public var current: Kind { state.withLock { $0 } }

    /// Records a failed call and asks whether it may be retried.
    /// - Parameter timeout: whether the failure was a timeout (an AWS retry then costs more).
    /// - Returns: the tokens the retry acquired (AWS; 0 for gRPC), or `nil`: do not retry.
    public func failure(timeout: Bool) -> Int? {
        state.withLock { kind in
            switch kind {
            case .awsQuota(var quota):
                defer { kind = .awsQuota(quota) }
                return quota.acquire(timeout: timeout)
            case .grpcThrottle(var throttle):
                defer { kind = .grpcThrottle(throttle) }
                return throttle.failure() ? 0 : nil
            }
        }
    }

    /// Records a call that was answered (a status, not a transient failure).
    /// - Parameter retryCost: what `failure(timeout:)` returned for the retry this call was, or
    ///   `nil` when it was not a retry.
    public func success(retryCost: Int?) {
        state.withLock { kind in
            switch kind {
            case .awsQuota(var quota):
                quota.success(retryCost: retryCost)
                kind = .awsQuota(quota)
            case .grpcThrottle(var throttle):
                throttle.success()
                kind = .grpcThrottle(throttle)
            }
        }
    }

    /// The trial error code when the budget refuses a retry: `retry_quota_exhausted`.
    public static let refusedCode = "retry_quota_exhausted"
}
