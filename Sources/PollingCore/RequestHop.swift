/// One HTTP request of a status call that a later request of the same call superseded: a
/// redirect the client followed (`301`, `302`, `303`, `307`, `308` with a `Location`, RFC 9110
/// §15.4). The server served it, so it is recorded as a status call of its own (a row with its
/// `30x` status and no job status): hit rates count every response the server served.
public struct RequestHop: Sendable, Hashable {
    /// When the request left, on the scale of the call's `sent` (offsets from the trial's start
    /// once the poller has placed it; offsets from the call's start as a transport reports it).
    public var sent: Duration
    /// When its response arrived, on the same scale.
    public var received: Duration
    /// The redirect's HTTP status (30x).
    public var httpStatus: Int
    /// How many times this request was sent again on a fresh connection because its pooled
    /// connection turned out to be closed (0 or 1; see `PolledCall.staleRetries`).
    public var staleRetries: Int

    public init(sent: Duration, received: Duration, httpStatus: Int, staleRetries: Int = 0) {
        self.sent = sent
        self.received = received
        self.httpStatus = httpStatus
        self.staleRetries = staleRetries
    }

    /// The hop moved later by `offset` (from call-relative to trial-relative instants).
    public func shifted(by offset: Duration) -> RequestHop {
        RequestHop(sent: sent + offset, received: received + offset, httpStatus: httpStatus, staleRetries: staleRetries)
    }
}
