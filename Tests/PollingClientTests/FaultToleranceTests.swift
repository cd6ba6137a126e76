import MockJobServer
import PollingClient
import PollingCore
import Testing

/// The real client (`Poller`, `TrialDriver`, `JobClient` over AsyncHTTPClient) against the real
/// mock server over loopback HTTP, with faults scripted per job (`"faults"` in `POST /jobs`).
///
/// Timing checks use only their stated tolerances: the deadline fires within 100 ms of its time,
/// cancellation returns within 50 ms. Nothing sleeps to wait: the server announces each
/// server-side wait (see `FaultServer`), and all other waits are ones the client must make.
@Suite(.timeLimit(.minutes(1)))
struct FaultToleranceTests {
    /// Fast retries so that the tests stay short: ceilings 10, 20, 40, 40 ms, budget 3.
    static let quickRetry = RetryPolicy(initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(40), budget: 3)

    /// Polls `id` every 10 ms from now and measures the wall time of the whole poll.
    func timedPoll(_ poller: Poller<ContinuousClock>, id: String) async throws -> (PollTrace, Duration) {
        var strategy = ConstantStrategy(interval: 0.01)
        var rng = SeededGenerator(seed: 1)
        let clock = ContinuousClock()
        let start = clock.now
        let trace = try await poller.poll(id: id, start: start, strategy: &strategy, using: &rng)
        return (trace, start.duration(to: clock.now))
    }

    // MARK: 1. The overall deadline

    /// A 0.5 s deadline while the only request hangs (server cap 30 s, request timeout 5 s), or
    /// while the response of a complete job trickles over 3 s (the headers arrive at once, the
    /// body must still be cut): the request is cut at the deadline and the trial ends `timedOut`
    /// at exactly 0.5 s. On the wall clock the poll ends no earlier than the deadline and before
    /// anything else could have ended it (the body's 3 s, the request's 5 s): a bound a loaded
    /// machine cannot break (issue 10 item 28); the overshoot itself is printed, a figure.
    @Test(arguments: [ScriptedFault.Kind.hang, .slowBody])
    func deadlineFiresWhileARequestIsStuck(fault: ScriptedFault.Kind) async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.hangCapSeconds = 30
        faults.slowBodyMs = 3000
        try await FaultServer.with(faults: faults) { server in
            let id = try await server.createJob(faults: [ScriptedFault(kind: fault)])
            let deadline = Duration.milliseconds(500)
            let (trace, wall) = try await timedPoll(server.poller(.init(deadline: deadline)), id: id)
            #expect(trace.outcome == .timedOut)
            #expect(trace.errorCode == "deadline")
            #expect(trace.end == deadline)
            #expect(trace.calls.map(\.errorCode) == ["timeout"])
            #expect(wall >= deadline - .milliseconds(1), "ended early: \(wall)")
            #expect(wall < .milliseconds(1500), "not ended by the deadline: \(wall)")
            print("deadline overshoot (\(fault)): \(wall - deadline)")
        }
    }

    /// The request timeout bounds a trickling body too (no deadline): the 3 s body is cut after
    /// the 0.2 s timeout, recorded as `timeout` and retried; the retry completes the job.
    @Test func requestTimeoutBoundsATricklingBody() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.slowBodyMs = 3000
        try await FaultServer.with(faults: faults) { server in
            let id = try await server.createJob(faults: [ScriptedFault(kind: .slowBody)])
            let poller = server.poller(.init(requestTimeout: .milliseconds(200), retry: Self.quickRetry))
            let (trace, _) = try await timedPoll(poller, id: id)
            #expect(trace.outcome == .completed)
            #expect(trace.calls.map(\.errorCode) == ["timeout", nil])
            let first = trace.calls[0].received - trace.calls[0].sent
            // Cut by the 0.2 s timeout, not by the 3 s body's end (a loaded machine only adds delay).
            #expect(first >= .milliseconds(199) && first < .milliseconds(1500), "slow body held for \(first)")
        }
    }

    // MARK: 2. Cancellation

    /// Cancelling the polling task while the server holds its request returns at once with
    /// `CancellationError` (long before the 30 s request timeout or hang could end it: the bound
    /// is 1 s, so a loaded machine cannot break it; the latency is printed), and the server sees
    /// no further request for the job.
    @Test func cancellationReturnsPromptlyWithoutAnotherRequest() async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.hangCapSeconds = 30
        try await FaultServer.with(faults: faults) { server in
            let id = try await server.createJob(faults: [ScriptedFault(kind: .hang)])
            let poller = server.poller(.init(deadline: .seconds(30), requestTimeout: .seconds(30)))
            let task = Task {
                var strategy = ConstantStrategy(interval: 0.01)
                var rng = SeededGenerator(seed: 1)
                return try await poller.poll(id: id, start: ContinuousClock.now, strategy: &strategy, using: &rng)
            }
            // The server announces its hang: it now holds the job's first GET.
            var signals = server.sleeps.makeAsyncIterator()
            _ = await signals.next()
            let clock = ContinuousClock()
            let cancelled = clock.now
            task.cancel()
            let result = await task.result
            let latency = cancelled.duration(to: clock.now)
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(latency < .seconds(1), "cancellation took \(latency)")
            print("cancellation latency: \(latency)")
            #expect(server.requestCount(id: id) == 1)
        }
    }

    // MARK: 3. A run of 503s, recorded

    /// Three 503s, then the normal answer: the trial completes (never `error`), the first three
    /// status rows carry `http_503`, and `tries` counts them (4 status calls).
    @Test func runOf503sThenSuccessCompletesAndRecordsTheRetries() async throws {
        try await FaultServer.with { server in
            let script = Array(repeating: ScriptedFault.error(503), count: 3)
            let clock = ContinuousClock()
            let poller = Poller(transport: ScriptingTransport(base: server.client, faults: script), clock: clock,
                                configuration: .init(deadline: .seconds(5), retry: Self.quickRetry))
            let driver = TrialDriver(poller: poller, runStart: clock.now)
            var strategy = ConstantStrategy(interval: 0.01)
            var rng = SeededGenerator(seed: 1)
            let sink = InMemoryTraceSink()
            let record = try await driver.run(
                .init(arm: "a", index: 0, parameters: JobParameters(baseDelay: 0, varDelay: 0, successRate: 1), jobSeed: 3),
                strategy: &strategy, using: &rng, sink: sink)
            #expect(await sink.trials == [record])
            #expect(record.outcome == .completed)
            #expect(record.errorCode == nil)
            #expect(record.tries == 4)
            let polls = record.calls.filter { $0.kind == .status }
            #expect(polls.map(\.errorCode) == ["http_503", "http_503", "http_503", nil])
            #expect(polls.map(\.httpStatus) == [503, 503, 503, 200])
            #expect(polls.map(\.result) == [nil, nil, nil, .completed])
            #expect(record.detectNanos == polls.last?.receivedNanos)
            for (earlier, later) in zip(polls, polls.dropFirst()) {
                #expect(later.sentNanos >= earlier.receivedNanos)
            }
        }
    }

    // MARK: 4. 429 with Retry-After

    /// A 429 with `Retry-After: 1`: the next call waits the full second after the 429 arrived,
    /// although the strategy (10 ms) and the backoff (≤ 10 ms) would have sent it far sooner.
    @Test func retryAfterOfA429IsHonoured() async throws {
        try await FaultServer.with { server in
            let id = try await server.createJob(faults: [.error(429, retryAfter: 1)])
            let (trace, _) = try await timedPoll(server.poller(.init(deadline: .seconds(5), retry: Self.quickRetry)), id: id)
            #expect(trace.outcome == .completed)
            #expect(trace.calls.map(\.errorCode) == ["http_429", nil])
            #expect(trace.calls.count == 2)
            if trace.calls.count == 2 {
                let gap = trace.calls[1].sent - trace.calls[0].received
                #expect(gap >= .seconds(1), "retried after \(gap)")
            }
        }
    }

    // MARK: 5. Every transient kind is retried; permanent ones are not

    /// One scripted fault, its expected error code and HTTP status.
    struct TransientCase: Sendable, CustomTestStringConvertible {
        var fault: ScriptedFault
        var code: String
        var httpStatus: Int?
        var testDescription: String { "\(fault.status.map(String.init) ?? fault.kind.rawValue) → \(code)" }
    }

    static let transientCases: [TransientCase] = [
        .init(fault: ScriptedFault(kind: .hang), code: "timeout"),
        .init(fault: ScriptedFault(kind: .emptyBody), code: "bad_body", httpStatus: nil),
        .init(fault: ScriptedFault(kind: .malformedBody), code: "bad_body"),
        .init(fault: ScriptedFault(kind: .unknownStatus), code: "bad_body"),
        .init(fault: .error(500), code: "http_500", httpStatus: 500),
        .init(fault: .error(502), code: "http_502", httpStatus: 502),
        .init(fault: .error(503), code: "http_503", httpStatus: 503),
        .init(fault: .error(504), code: "http_504", httpStatus: 504),
    ]

    /// A connection reset before any response byte is what a stale pooled connection looks like
    /// (issue 10 item 22): the `GET` is resent once on a fresh connection, the resend is recorded
    /// (`staleRetries`), and it is not a try. Two resets in a row are a `transport` failure (with
    /// its one resend recorded), retried by the retry layer like any transient failure.
    @Test func aResetIsResentOnceThenCountsAsATransportFailure() async throws {
        try await FaultServer.with { server in
            let poller = server.poller(.init(deadline: .seconds(5), requestTimeout: .seconds(2), retry: Self.quickRetry))
            let once = try await server.createJob(faults: [ScriptedFault(kind: .reset)])
            let (first, _) = try await timedPoll(poller, id: once)
            #expect(first.outcome == .completed)
            #expect(first.calls.map(\.errorCode) == [nil])
            #expect(first.calls.map(\.staleRetries) == [1])
            #expect(server.requestCount(id: once) == 2)  // the server saw the reset request and the resend

            let twice = try await server.createJob(faults: [ScriptedFault(kind: .reset), ScriptedFault(kind: .reset)])
            let (second, _) = try await timedPoll(poller, id: twice)
            #expect(second.outcome == .completed)
            #expect(second.calls.map(\.errorCode) == ["transport", nil])
            #expect(second.calls.map(\.staleRetries) == [1, 0])
            #expect(second.calls.map(\.status) == [nil, .completed])
        }
    }

    /// Each transient fault is recorded with its code and retried; the job (complete from the
    /// start) is then detected `completed`, never reported as `error`. A hang is cut by the
    /// 200 ms request timeout.
    @Test(arguments: transientCases)
    func transientFaultIsRetried(_ testCase: TransientCase) async throws {
        var faults = MockJobServer.FaultConfiguration()
        faults.hangCapSeconds = 30
        try await FaultServer.with(faults: faults) { server in
            let id = try await server.createJob(faults: [testCase.fault])
            let poller = server.poller(.init(deadline: .seconds(5), requestTimeout: .milliseconds(200), retry: Self.quickRetry))
            let (trace, _) = try await timedPoll(poller, id: id)
            #expect(trace.outcome == .completed)
            #expect(trace.errorCode == nil)
            #expect(trace.calls.map(\.errorCode) == [testCase.code, nil])
            #expect(trace.calls.map(\.httpStatus) == [testCase.httpStatus, 200])
            #expect(trace.calls.map(\.status) == [nil, .completed])
            #expect(trace.finalResponse?.status == .completed)
            if testCase.code == "timeout", let call = trace.calls.first {
                let held = call.received - call.sent
                // Cut by the 0.2 s request timeout, not the 30 s hang.
                #expect(held >= .milliseconds(199) && held < .milliseconds(1500), "hang held for \(held)")
            }
        }
    }

    /// An unknown job answers 404: a permanent failure, ended at once with `http_404`.
    @Test func unknownJobFailsFastWith404() async throws {
        try await FaultServer.with { server in
            let (trace, _) = try await timedPoll(server.poller(.init(deadline: .seconds(5), retry: Self.quickRetry)), id: "j999")
            #expect(trace.outcome == .failed)
            #expect(trace.errorCode == "http_404")
            #expect(trace.calls.count == 1)
            #expect(trace.calls.first?.httpStatus == 404)
            #expect(trace.end == trace.calls.first?.received)
        }
    }

    /// With a budget of 3, three 503s are tolerated (the 4th call completes) and four end the
    /// trial `failed` with `retries_exhausted` after the 4th call, with no 5th.
    @Test(arguments: [(3, TrialOutcome.completed), (4, TrialOutcome.failed)])
    func budgetOfConsecutiveFailures(failures: Int, outcome: TrialOutcome) async throws {
        try await FaultServer.with { server in
            let id = try await server.createJob(faults: Array(repeating: .error(503), count: failures))
            let (trace, _) = try await timedPoll(server.poller(.init(deadline: .seconds(5), retry: Self.quickRetry)), id: id)
            #expect(trace.outcome == outcome)
            let codes = Array(repeating: "http_503", count: failures)
            if outcome == .failed {
                #expect(trace.errorCode == "retries_exhausted")
                #expect(trace.calls.map(\.errorCode) == codes)
                #expect(trace.finalResponse == nil)
            } else {
                #expect(trace.errorCode == nil)
                #expect(trace.calls.map(\.errorCode) == codes + [nil])
            }
            #expect(server.requestCount(id: id) == trace.calls.count)
        }
    }

    /// A status that goes backwards (final, then `pending`): the first final response is the
    /// detection, and the job is not asked again.
    @Test func firstFinalResponseIsTheDetectionWhenStatusGoesBackwards() async throws {
        try await FaultServer.with { server in
            let id = try await server.createJob(faults: [ScriptedFault(kind: .ok), ScriptedFault(kind: .backwards)])
            let (trace, _) = try await timedPoll(server.poller(.init(deadline: .seconds(5))), id: id)
            #expect(trace.outcome == .completed)
            #expect(trace.calls.count == 1)
            #expect(trace.detection == trace.calls.first?.received)
            #expect(server.requestCount(id: id) == 1)
        }
    }

    /// The reverse order: a final job first answers `pending` (backwards), then the truth; the
    /// lie is an ordinary pending poll and the second call is the detection.
    @Test func backwardsPendingIsPolledThrough() async throws {
        try await FaultServer.with { server in
            let id = try await server.createJob(faults: [ScriptedFault(kind: .backwards)])
            let (trace, _) = try await timedPoll(server.poller(.init(deadline: .seconds(5))), id: id)
            #expect(trace.outcome == .completed)
            #expect(trace.calls.map(\.status) == [.pending, .completed])
            #expect(trace.calls.map(\.errorCode) == [nil, nil])
            #expect(trace.detection == trace.calls.last?.received)
        }
    }
}
