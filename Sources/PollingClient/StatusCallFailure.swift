import PollingCore

/// A status call that failed after the transport had followed redirects or resent its request on
/// a fresh connection: the failure, with what to record besides it. `JobClient.jobStatus` throws
/// it only then; a plain failure is thrown as the `PollingClientError` itself.
public struct StatusCallFailure: Error, Sendable, Equatable {
    /// Why the call failed.
    public var failure: PollingClientError
    /// The redirects followed before the failing request (offsets from the call's start).
    public var hops: [RequestHop]
    /// Resends of the failing request after a stale pooled connection (0 or 1).
    public var staleRetries: Int
    /// When the failing request left, from the call's start.
    public var answerSent: Duration

    public init(failure: PollingClientError, hops: [RequestHop], staleRetries: Int, answerSent: Duration) {
        self.failure = failure
        self.hops = hops
        self.staleRetries = staleRetries
        self.answerSent = answerSent
    }

    /// The `PollingClientError` a transport threw, bare or inside a `StatusCallFailure`; `nil`
    /// for any other error.
    public static func pollingError(of error: any Error) -> PollingClientError? {
        (error as? PollingClientError) ?? (error as? StatusCallFailure)?.failure
    }
}
