
/// One status call as the poller saw it. Instants are offsets from the trial's start.
public struct PolledCall: Sendable, Hashable {
    /// The call's position among the trial's status calls, from 0 (redirect hops included).
    public var attempt: Int
    public var sent: Duration
    public var received: Duration
    /// The HTTP status, `nil` when no response arrived.
    public var httpStatus: Int?
    /// The job status reported, `nil` when the call failed.
    public var status: JobStatus?
    /// The stable error code of a failed call (`PollingClientError.code`).
    public var errorCode: String?
    public var hint: ServerHint?
    /// When the poll loop asked for this call to be sent (the strategy's or the retry's instant,
    /// no earlier than the previous receive and the 1 ms floor); `sent − asked` is its lateness.
    public var asked: Duration?
    /// How many times the request was sent again, once at most, on a fresh connection because
    /// the pooled connection it went out on was found closed before any response byte (a stale
    /// keep-alive connection the server had just closed). Such a resend is not a try of its own:
    /// the server never answered the first send. `sent` stays the first send's instant.
    public var staleRetries: Int

    public init(attempt: Int, sent: Duration, received: Duration, httpStatus: Int?, status: JobStatus?,
                errorCode: String? = nil, hint: ServerHint? = nil, asked: Duration? = nil, staleRetries: Int = 0) {
        self.asked = asked
        self.staleRetries = staleRetries
        self.attempt = attempt
        self.sent = sent
        self.received = received
        self.httpStatus = httpStatus
        self.status = status
        self.errorCode = errorCode
        self.hint = hint
    }
}

/// The result of polling one job: every call, how it ended, and the final response if any.
public struct PollTrace: Sendable, Hashable {
    public var calls: [PolledCall]
    /// `completed` / `error` when detected, else `timedOut` or `failed`.
    public var outcome: TrialOutcome
    /// Why a `failed` or `timedOut` trial ended (e.g. `deadline`, `strategy_stopped`, `http_404`).
    public var errorCode: String?
    /// The detecting response, when there was one (it carries the server's `run_time`).
    public var finalResponse: JobStatusResponse?
    /// When polling ended, from start: the detecting receive, the deadline, or the last failure.
    public var end: Duration

    public init(calls: [PolledCall], outcome: TrialOutcome, errorCode: String?, finalResponse: JobStatusResponse?, end: Duration) {
        self.calls = calls
        self.outcome = outcome
        self.errorCode = errorCode
        self.finalResponse = finalResponse
        self.end = end
    }

    /// The receive instant of the detecting call, from start.
    public var detection: Duration? {
        outcome.detected ? calls.last?.received : nil
    }
}
