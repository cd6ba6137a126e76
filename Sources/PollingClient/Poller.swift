import PollingCore

/// Drives a `PollingStrategy` against a `JobTransport` on an injected `Clock` until a final
/// status, the deadline, or a failure.
///
/// The rules live in the pure state machine `PollLoop` (shared with the simulator); this type
/// only performs its actions: it sleeps on the clock until each poll's instant and sends the
/// request. The same loop runs live (`ContinuousClock`, `JobClient`) and in virtual time
/// (`VirtualClock`, `SimulatedTransport`). A push arm's status call (`PollingStrategy.push`) is
/// sent as a subscription (`jobEvents`) or a wait for its webhook (`jobCallback`). Cancelling the calling task ends polling: the sleep
/// throws `CancellationError` and no further request is sent.
public struct Poller<C: Clock>: Sendable where C.Duration == Duration {
    /// Poller settings (deadline, request timeout, failure budget); see `PollLoop.Configuration`.
    public typealias Configuration = PollLoopConfiguration

    public let transport: any JobTransport
    public let clock: C
    public let configuration: Configuration

    public init(transport: any JobTransport, clock: C, configuration: Configuration = Configuration()) {
        self.transport = transport
        self.clock = clock
        self.configuration = configuration
    }

    /// Polls job `id` from `start` until it ends.
    /// - Parameters:
    ///   - id: the job id.
    ///   - start: the instant polling starts (the `POST` response arrived); strategy instants are
    ///     offsets from it.
    ///   - strategy: the strategy; on return it holds the state it evolved to.
    ///   - rng: the generator for the strategy's random draws.
    /// - Returns: every call and the outcome.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func poll<S: PollingStrategy, R: RandomNumberGenerator>(
        id: String, start: C.Instant, strategy: inout S, using rng: inout R
    ) async throws -> PollTrace {
        let trace = await pollUntilCancelled(id: id, start: start, strategy: &strategy, using: &rng)
        if trace.errorCode == Self.cancelledCode { throw CancellationError() }
        return trace
    }

    /// The stable error code of a trial whose polling was cancelled.
    public static var cancelledCode: String { "cancelled" }

    /// The stable error code of a call (and trial) that failed with an error the transport does
    /// not describe (not a `PollingClientError`): the trial ends `failed` at once, never
    /// recorded as `cancelled`.
    public static var unexpectedErrorCode: String { "unexpected_error" }

    /// Like `poll`, but a cancellation ends the trace (`failed`, `cancelled`, with the calls made
    /// so far) instead of throwing, so that the caller can record what happened.
    func pollUntilCancelled<S: PollingStrategy, R: RandomNumberGenerator>(
        id: String, start: C.Instant, strategy: inout S, using rng: inout R, budget: RetryBudget? = nil
    ) async -> PollTrace {
        var loop = PollLoop(strategy: strategy, configuration: configuration, budget: budget)
        defer { strategy = loop.strategy }
        var action = loop.start(using: &rng)
        func cancelled() -> PollTrace {
            PollTrace(calls: loop.calls, outcome: .failed, errorCode: Self.cancelledCode, finalResponse: nil,
                      end: start.duration(to: clock.now))
        }
        while true {
            switch action {
            case .finish(let trace):
                return trace
            case .send(let at, let timeout, let wait):
                do {
                    try await clock.sleep(until: start.advanced(by: at), tolerance: nil)
                    try Task.checkCancellation()
                } catch {
                    return cancelled()
                }
                let sent = start.duration(to: clock.now)
                var bound = timeout + (wait ?? .zero)
                if let deadline = configuration.deadline { bound = min(bound, max(.zero, deadline - sent)) }
                let result: PollLoop<S>.CallResult
                var final: JobStatusResponse?
                var hops: [RequestHop] = []
                var staleRetries = 0
                var answerSent = sent
                func failed(_ error: PollingClientError) -> PollLoop<S>.CallResult {
                    .failure(code: error.code, httpStatus: error.httpStatus, transient: error.isTransient,
                             retryAfter: error.retryAfter)
                }
                do {
                    let reply: StatusReply
                    switch loop.strategy.push {
                    case nil: reply = try await transport.jobStatus(id: id, wait: wait, timeout: bound)
                    case .serverSentEvents: reply = try await transport.jobEvents(id: id, wait: wait, timeout: bound)
                    case .webhook: reply = try await transport.jobCallback(id: id, wait: wait, timeout: bound)
                    }
                    result = .status(reply.response.status, httpStatus: reply.httpStatus, hint: reply.hint)
                    if reply.response.status.isFinal { final = reply.response }
                    (hops, staleRetries, answerSent) = (reply.hops, reply.staleRetries, sent + reply.answerSent)
                } catch let error as PollingClientError {
                    if error == .cancelled || Task.isCancelled { return cancelled() }
                    result = failed(error)
                } catch let error as StatusCallFailure {
                    if error.failure == .cancelled || Task.isCancelled { return cancelled() }
                    result = failed(error.failure)
                    (hops, staleRetries, answerSent) = (error.hops, error.staleRetries, sent + error.answerSent)
                } catch {
                    if error is CancellationError || Task.isCancelled { return cancelled() }
                    result = .failure(code: Self.unexpectedErrorCode, httpStatus: nil, transient: false, retryAfter: nil)
                }
                action = loop.received(result, sent: answerSent, received: start.duration(to: clock.now),
                                       finalResponse: final, hops: hops.map { $0.shifted(by: sent) },
                                       staleRetries: staleRetries, using: &rng)
            }
        }
    }
}
