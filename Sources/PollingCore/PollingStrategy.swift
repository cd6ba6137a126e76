/// A hint the server gave with a response.
public struct ServerHint: Sendable, Hashable {
    /// The `Retry-After` header (RFC 9110 §10.2.3), converted to a delay from the response's
    /// receive instant. `nil` when absent or invalid.
    public var retryAfter: Duration?
    /// The server's estimate of the time left until the job is final, from the receive instant
    /// (the body's fractional `eta` seconds, so a hint below a second survives).
    public var eta: Duration?
    /// Parts done of a composite job (the body's `progress`), when the server reports it.
    public var progress: JobProgress?

    public init(retryAfter: Duration? = nil, eta: Duration? = nil, progress: JobProgress? = nil) {
        self.retryAfter = retryAfter
        self.eta = eta
        self.progress = progress
    }
}

/// What a strategy learns from one poll.
///
/// All instants are offsets from the trial's `start` (the instant the `POST` response arrived).
public struct PollObservation: Sendable, Hashable {
    /// Which poll this was, counted from 0.
    public var attempt: Int
    /// When the request was sent, from start.
    public var sent: Duration
    /// When the response arrived (or the request failed), from start.
    public var received: Duration
    /// The status the server reported, or `nil` when the call failed.
    public var status: JobStatus?
    /// Any hint the server gave (`Retry-After`, ETA).
    public var hint: ServerHint?
    /// Time left before the poller's deadline, measured at `received`; `nil` without a deadline.
    public var remaining: Duration?

    public init(attempt: Int, sent: Duration, received: Duration, status: JobStatus?,
                hint: ServerHint? = nil, remaining: Duration? = nil) {
        self.attempt = attempt
        self.sent = sent
        self.received = received
        self.status = status
        self.hint = hint
        self.remaining = remaining
    }
}

/// What the create response (`202`) told about the job, handed to the strategy once, before its
/// first poll (`PollingStrategy.accepted(_:)`).
public struct AcceptedJob: Sendable, Hashable {
    /// `expected_duration`: the server's `E[T | size]` in seconds (the per-job hint), or `nil`
    /// when the response had none.
    public var expectedDuration: Double?

    public init(expectedDuration: Double? = nil) {
        self.expectedDuration = expectedDuration
    }
}

/// A strategy's decision: poll at an instant (an offset from start), or stop polling.
public enum PollDecision: Sendable, Hashable {
    /// Send the next poll at this offset from start. An instant in the past means "now".
    case poll(at: Duration)
    /// Stop polling (the strategy gives up); the trial ends without detection.
    case stop
}

/// The rule that decides when to poll next: a pure value type, no I/O.
///
/// The poller calls `firstPoll(using:)` once, then `nextPoll(after:using:)` after every
/// non-final response. Decisions are instants (offsets from start), not sleeps, so the time base
/// is explicit: backoff strategies count from the previous *send* (request latency does not
/// accumulate); the `seed` strategy counts from the previous *receive*, as the seed's code does.
/// The poller never sends a poll before the previous response arrived and owns the deadline.
///
/// Every random draw comes from the generator passed in, so a seeded generator makes a
/// strategy's whole schedule reproducible.
public protocol PollingStrategy: Sendable {
    /// The instant of the first poll (`.zero` = as soon as polling starts).
    mutating func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision

    /// The instant of the next poll after a non-final (pending or failed) observation.
    mutating func nextPoll<R: RandomNumberGenerator>(after observation: PollObservation, using rng: inout R) -> PollDecision

    /// Called once per trial, after the job was created and before `firstPoll`, with what the
    /// create response said (its `expected_duration`). The default ignores it; strategies with
    /// `hint: job` / `duration_hint: job` use it. In simulation the hint comes from the same
    /// function the server uses (`CreateJobRequest.expectedDuration`).
    mutating func accepted(_ job: AcceptedJob)

    /// For long polling: how long the server may hold each status request waiting for a final
    /// state (`GET /jobs/{id}?wait=SECONDS`); `nil` (the default) for ordinary polls.
    var longPollWait: Duration? { get }

    /// For push arms: how the next status call is delivered (`PushChannel`), `nil` (the default)
    /// for an ordinary (or long) poll. A push call is held like a long poll for `longPollWait`,
    /// so the simulator, which knows only long polls, models it exactly: the final status arrives
    /// at completion plus the one-way latency, in one call.
    var push: PushChannel? { get }
}

extension PollingStrategy {
    public var longPollWait: Duration? { nil }
    public var push: PushChannel? { nil }
    public mutating func accepted(_ job: AcceptedJob) {}
}

/// How a push arm's status call is delivered (issue 12 item 4).
///
/// Either way the call counts as one status call (a try) in the trace, so HR and the views keep
/// their meaning: a subscription, or a registration plus the wait for its callback, is one call.
public enum PushChannel: String, Sendable, Hashable {
    /// `GET /jobs/{id}/events` (`text/event-stream`): the call lasts from the subscription until
    /// the final `status` event (or until `longPollWait`, when the client resubscribes).
    case serverSentEvents = "sse"
    /// A callback the server POSTs to the client's receiver when the job ends (registered with
    /// `callback_url` on `POST /jobs`): the call lasts from the registration's answer until the
    /// callback arrives (or until `longPollWait`, when the client falls back to polling).
    case webhook
}
