/// The poll loop as a pure state machine: the rules every poller follows, live or simulated.
///
/// A driver asks `start(using:)` for the first action, performs each `.send` (waiting until its
/// instant, sending one status request bounded by its timeout) and reports the result with
/// `received(_:sent:received:using:)`, until the action is `.finish`. The rules:
/// - the strategy chooses each poll's instant (an offset from start); a poll is never sent before
///   the previous response arrived;
/// - no poll is sent at or after the deadline: when the next poll (or retry) would fall there, the
///   trial ends `timedOut` at once, at the instant the client stopped (the last receive), and a
///   response that arrives at or after the deadline ends it at the deadline; a request's timeout
///   is the smaller of the request timeout and the time left;
/// - consecutive sends are at least `PollLoopConfiguration.minimumInterval` (1 ms) apart, whatever
///   the strategy or the retry layer asks for, so no schedule can spin;
/// - a trial makes at most `PollLoopConfiguration.maxCalls` status calls: the call after the budget
///   is not sent and the trial ends `failed` with `call_budget_exhausted`;
/// - a status call whose request the transport redirected records each redirect as a status call
///   of its own (`RequestHop`), counted in `maxCalls`; the strategy still sees one poll;
/// - a server hint (`Retry-After`, ETA) reaches the strategy clamped to `RetryPolicy.maxDelay`
///   (the call row keeps the value the server sent);
/// - a final status ends the trial (`completed` or `error`); a job cancelled by someone else
///   (status `cancelled`) ends it `failed` with `job_cancelled`, undetected;
/// - a permanent failure (a 4xx other than 408 and 429) ends the trial `failed` at once with its
///   code (e.g. `http_404`); a transient one (timeout, reset, undecodable body, 408, 429, 5xx) is
///   retried after the `RetryPolicy` backoff (or the server's `Retry-After`, clamped to
///   `RetryPolicy.maxDelay`), never reported as
///   the job's `error` outcome; one failure more than the budget ends the trial `failed` with
///   `retries_exhausted`; with an arm's `RetryBudget`, a retry it refuses ends the trial `failed`
///   with `retry_quota_exhausted`;
/// - a strategy that returns `.stop` ends the trial `failed` with `strategy_stopped`.
///
/// In the style of swift-async-algorithms' state machines: no I/O, no clock, no concurrency.
public struct PollLoop<S: PollingStrategy>: Sendable {
    public typealias Configuration = PollLoopConfiguration

    /// What one status call returned.
    public enum CallResult: Sendable, Hashable {
        /// A decoded status response.
        case status(JobStatus, httpStatus: Int, hint: ServerHint?)
        /// No usable response: a stable error code, the HTTP status if one arrived, whether the
        /// failure is transient (worth retrying), and the response's `Retry-After` if any.
        case failure(code: String, httpStatus: Int?, transient: Bool, retryAfter: Duration?)
    }

    /// What the driver must do next.
    public enum Action: Sendable, Hashable {
        /// Wait until `at` (offset from start), then send one status request bounded by `timeout`;
        /// `wait` is the long-poll wait to ask the server for, if any.
        case send(at: Duration, timeout: Duration, wait: Duration?)
        /// The trial is over.
        case finish(PollTrace)
    }

    public let configuration: Configuration
    /// The strategy, as it has evolved.
    public private(set) var strategy: S
    /// Every call so far.
    public private(set) var calls: [PolledCall] = []
    private var failures = 0
    /// Polls answered so far (calls without redirect hops): the strategy's attempt number.
    private var polls = 0
    private var lastSent: Duration?
    /// The instant the last `.send` asked for.
    private var asked: Duration?
    /// The arm's shared retry budget, if any.
    public let budget: RetryBudget?
    /// What the budget charged for the retry in flight (`nil` when the call in flight is not a retry).
    private var retryCost: Int?

    /// - Parameters:
    ///   - strategy: the strategy.
    ///   - configuration: deadline, request timeout, retry policy, call budget.
    ///   - budget: the arm's retry budget (AWS retry quota or gRPC throttling), shared by its
    ///     trials; `nil` = none. A retry it refuses ends the trial `failed` with
    ///     `retry_quota_exhausted`.
    public init(strategy: S, configuration: Configuration = Configuration(), budget: RetryBudget? = nil) {
        self.strategy = strategy
        self.configuration = configuration
        self.budget = budget
    }

    /// The first action.
    public mutating func start<R: RandomNumberGenerator>(using rng: inout R) -> Action {
        schedule(strategy.firstPoll(using: &rng), now: .zero)
    }

    /// Reports the result of the call that the last `.send` asked for.
    /// - Parameters:
    ///   - result: what came back.
    ///   - sent: when the request that answered actually left, from start (after `hops`).
    ///   - received: when the response arrived or the call failed, from start.
    ///   - hops: the redirects the transport followed before that request, from start, in order;
    ///     each is recorded as a status call of its own (the first carries the asked instant).
    ///     They are not polls: the strategy sees one observation for the whole call. Default none.
    ///   - staleRetries: resends of the answering request after a stale pooled connection
    ///     (`PolledCall.staleRetries`). Default 0.
    /// - Returns: the next action.
    public mutating func received<R: RandomNumberGenerator>(
        _ result: CallResult, sent: Duration, received: Duration, finalResponse: JobStatusResponse? = nil,
        hops: [RequestHop] = [], staleRetries: Int = 0, using rng: inout R
    ) -> Action {
        lastSent = sent
        var askedOfAnswer = asked
        for hop in hops {
            calls.append(PolledCall(attempt: calls.count, sent: hop.sent, received: hop.received, httpStatus: hop.httpStatus,
                                    status: nil, asked: askedOfAnswer, staleRetries: hop.staleRetries))
            askedOfAnswer = nil
        }
        let poll = polls
        polls += 1
        var call = PolledCall(attempt: calls.count, sent: sent, received: received, httpStatus: nil, status: nil,
                              asked: askedOfAnswer, staleRetries: staleRetries)
        switch result {
        case .status(let status, let httpStatus, let hint):
            call.status = status
            call.httpStatus = httpStatus
            call.hint = hint
            failures = 0
            budget?.success(retryCost: retryCost)
            retryCost = nil
        case .failure(let code, let httpStatus, _, let retryAfter):
            call.errorCode = code
            call.httpStatus = httpStatus
            call.hint = retryAfter.map { ServerHint(retryAfter: $0) }
        }
        calls.append(call)
        var retryAt: Duration?
        if case .failure(let code, _, let transient, let retryAfter) = result {
            guard transient else { return finish(.failed, code, received, nil) }
            failures += 1
            guard failures <= configuration.retry.budget else { return finish(.failed, "retries_exhausted", received, nil) }
            if let budget {
                guard let cost = budget.failure(timeout: code == "timeout") else {
                    return finish(.failed, RetryBudget.refusedCode, received, nil)
                }
                retryCost = cost
            }
            retryAt = received + configuration.retry.backoff(failures: failures, retryAfter: retryAfter, using: &rng)
        }
        if call.status == .cancelled { return finish(.failed, Self.jobCancelledCode, received, nil) }
        if let status = call.status, status.isFinal {
            return finish(status == .completed ? .completed : .error, nil, received, finalResponse)
        }
        if let deadline = configuration.deadline, received >= deadline {
            return finish(.timedOut, "deadline", deadline, nil)
        }
        if let retryAt { return schedule(.poll(at: retryAt), now: received) }
        let observation = PollObservation(
            attempt: poll, sent: sent, received: received, status: call.status,
            hint: call.hint.map { configuration.retry.clamped($0) },
            remaining: configuration.deadline.map { $0 - received })
        return schedule(strategy.nextPoll(after: observation, using: &rng), now: received)
    }

    /// The error code of a trial whose job answered `cancelled` (cancelled by another client):
    /// `job_cancelled`, kept apart from the code `cancelled` of an interrupted trial.
    public static var jobCancelledCode: String { "job_cancelled" }

    private mutating func schedule(_ decision: PollDecision, now: Duration) -> Action {
        guard case .poll(let at) = decision else {
            return finish(.failed, "strategy_stopped", now, nil)
        }
        let target = max(at, now, lastSent.map { $0 + Configuration.minimumInterval } ?? .zero)
        var timeout = configuration.requestTimeout
        if let deadline = configuration.deadline {
            if target >= deadline { return finish(.timedOut, "deadline", now, nil) }
            timeout = min(timeout, deadline - target)
        }
        guard calls.count < configuration.maxCalls else {
            return finish(.failed, Configuration.callBudgetCode, now, nil)
        }
        asked = target
        return .send(at: target, timeout: timeout, wait: strategy.longPollWait)
    }

    private func finish(_ outcome: TrialOutcome, _ code: String?, _ end: Duration, _ final: JobStatusResponse?) -> Action {
        .finish(PollTrace(calls: calls, outcome: outcome, errorCode: code, finalResponse: final, end: end))
    }
}
