import PollingCore

/// Drives a `PollingStrategy` against a `JobTransport` on an injected `Clock` until a final
/// status, the deadline, or a failure.
///
/// The same loop runs live (`ContinuousClock`, `JobClient`) and in virtual time. Guarantees:
/// no poll is sent before the previous response arrived; no poll is sent at or after the
/// deadline (the trial then ends `timedOut` *at* the deadline); each request's timeout is the
/// smaller of the configured request timeout and the time left; cancellation of the calling task
/// ends polling (the sleep throws `CancellationError`).
public struct Poller<C: Clock>: Sendable where C.Duration == Duration {
    /// Poller settings.
    public struct Configuration: Sendable, Hashable {
        /// Overall deadline per trial, measured from start; `nil` = none (the seed's default).
        public var deadline: Duration?
        /// Bound on one status request. Default 5 s.
        public var requestTimeout: Duration
        /// Consecutive failed calls after which the trial ends `failed`. Default 5.
        public var maxConsecutiveFailures: Int

        public init(deadline: Duration? = nil, requestTimeout: Duration = .seconds(5), maxConsecutiveFailures: Int = 5) {
            self.deadline = deadline
            self.requestTimeout = requestTimeout
            self.maxConsecutiveFailures = maxConsecutiveFailures
        }
    }

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
    ///   - strategy: the strategy, mutated as it observes polls.
    ///   - rng: the generator for the strategy's random draws.
    /// - Returns: every call and the outcome. A 4xx other than 408/429 ends the trial `failed`
    ///   at once (e.g. `http_404`); other failures are retried on the strategy's schedule up to
    ///   `maxConsecutiveFailures`.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func poll<S: PollingStrategy, R: RandomNumberGenerator>(
        id: String, start: C.Instant, strategy: inout S, using rng: inout R
    ) async throws -> PollTrace {
        var calls: [PolledCall] = []
        var decision = strategy.firstPoll(using: &rng)
        var failures = 0
        let deadline = configuration.deadline
        while true {
            guard case .poll(let at) = decision else {
                return PollTrace(calls: calls, outcome: .failed, errorCode: "strategy_stopped",
                                 finalResponse: nil, end: start.duration(to: clock.now))
            }
            let target = max(at, calls.last?.received ?? .zero)
            if let deadline, target >= deadline {
                return PollTrace(calls: calls, outcome: .timedOut, errorCode: "deadline", finalResponse: nil, end: deadline)
            }
            try await clock.sleep(until: start.advanced(by: target), tolerance: nil)
            try Task.checkCancellation()
            let sent = start.duration(to: clock.now)
            var timeout = configuration.requestTimeout
            if let deadline { timeout = min(timeout, deadline - sent) }
            var call = PolledCall(attempt: calls.count, sent: sent, received: sent, httpStatus: nil, status: nil)
            var final: JobStatusResponse?
            do {
                let reply = try await transport.jobStatus(id: id, timeout: timeout)
                call.httpStatus = reply.httpStatus
                call.status = reply.response.status
                call.hint = reply.hint
                if reply.response.status.isFinal { final = reply.response }
                failures = 0
            } catch let error as PollingClientError {
                if error == .cancelled { throw CancellationError() }
                call.httpStatus = error.httpStatus
                call.errorCode = error.code
                failures += 1
            }
            call.received = start.duration(to: clock.now)
            calls.append(call)
            if let final {
                return PollTrace(calls: calls, outcome: final.status == .completed ? .completed : .error,
                                 errorCode: nil, finalResponse: final, end: call.received)
            }
            if let deadline, call.received >= deadline {
                return PollTrace(calls: calls, outcome: .timedOut, errorCode: "deadline", finalResponse: nil, end: deadline)
            }
            if let status = call.httpStatus, (400..<500).contains(status), status != 408, status != 429 {
                return PollTrace(calls: calls, outcome: .failed, errorCode: call.errorCode, finalResponse: nil, end: call.received)
            }
            if failures >= configuration.maxConsecutiveFailures {
                return PollTrace(calls: calls, outcome: .failed, errorCode: call.errorCode, finalResponse: nil, end: call.received)
            }
            let observation = PollObservation(
                attempt: call.attempt, sent: call.sent, received: call.received, status: call.status,
                hint: call.hint, remaining: deadline.map { $0 - call.received })
            decision = strategy.nextPoll(after: observation, using: &rng)
        }
    }
}
