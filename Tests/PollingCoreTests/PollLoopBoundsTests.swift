import PollingCore
import Testing

/// Issue 10, items 1, 2, 4 and 14: the Smithy waiter's last attempt, the one backoff ceiling and
/// its throwing initialisers, the retry layer's maximum delay, the 1 ms floor and the per-trial
/// call budget. Every expected value is worked out by hand in the comments.
@Suite struct PollLoopBoundsTests {
    /// A job of exactly `seconds` that completes (success rate 1, no spread).
    static func job(_ seconds: Double) -> JobParameters {
        JobParameters(baseDelay: seconds, varDelay: 0, successRate: 1)
    }

    static func simulate<S: PollingStrategy>(_ strategy: S, job seconds: Double,
                                             configuration: PollLoopConfiguration) -> TrialRecord {
        var strategy = strategy
        var rng = SeededGenerator(seed: 7)
        var network = SeededGenerator(seed: 8)
        return TrialSimulator(configuration: configuration).run(
            arm: "a", trialIndex: 0, jobSeed: 1, parameters: job(seconds), strategy: &strategy, using: &rng,
            network: &network)
    }

    // MARK: Item 1

    /// Smithy, min 2 s, max 120 s, deadline 5 s, zero latency, a job done at 2.5 s.
    /// Poll 0 at 0 s; after it U(2, min(120, 2·2⁰)) = 2 s and 5 − 2 = 3 > 2, so poll 1 at 2 s
    /// (pending). After it the delay d ∈ [2, 4] leaves 3 − d ≤ 2 = minDelay: the last attempt,
    /// which smithy-swift sleeps remaining − minDelay = 3 − 2 = 1 s, so poll 2 goes at 3 s and
    /// detects the job. (Sleeping the whole remaining time put it on the 5 s deadline, where the
    /// loop ended the trial timed out with 2 calls.)
    @Test func smithyLastAttemptIsSentThroughThePollLoop() throws {
        let record = Self.simulate(try SmithyWaiterStrategy(), job: 2.5, configuration: .init(deadline: .seconds(5)))
        #expect(record.outcome == .completed)
        #expect(record.tries == 3)
        #expect(record.calls.filter { $0.kind == .status }.map(\.sentNanos) == [0, 2_000_000_000, 3_000_000_000])
        #expect(record.detectNanos == 3_000_000_000)
    }

    // MARK: Item 2

    @Test func backoffInitialisersRejectWhatTheyCannotHandle() {
        #expect(throws: PollingCoreError.invalidField("initial", "must be a finite number of seconds > 0, got 0.0")) {
            try ExponentialStrategy(initial: 0)
        }
        #expect(throws: PollingCoreError.self) { try ExponentialStrategy(multiplier: .nan) }
        #expect(throws: PollingCoreError.self) { try ExponentialStrategy(maxInterval: .infinity) }
        #expect(throws: PollingCoreError.self) { try GRPCBackoffStrategy(jitter: 1.5) }
        #expect(throws: PollingCoreError.self) { try GoogleLROStrategy(initial: -1) }
        #expect(throws: PollingCoreError.self) { try AWSStandardRetryStrategy(maxAttempts: 0) }
        #expect(throws: PollingCoreError.self) { try KubernetesBackoffStrategy(factor: 0.5) }
        #expect(throws: PollingCoreError.invalidField("max_delay", "must be >= min_delay (5.0), got 2.0")) {
            try SmithyWaiterStrategy(minDelay: 5, maxDelay: 2)
        }
    }

    /// A strategy whose `initial` is set to 0 after construction used to trap (log of infinity
    /// converted to `Int`); the one saturating ceiling gives min(0, cap) = 0 for every attempt.
    @Test func exponentialCeilingWithZeroInitialDoesNotTrap() throws {
        var s = try ExponentialStrategy(initial: 0.1, maxInterval: 3)
        s.initial = 0
        #expect(s.ceiling(attempt: 0) == 0)
        #expect(s.ceiling(attempt: Int.max) == 0)
        s.initial = 0.1
        #expect(s.ceiling(attempt: 3) == 0.8)          // 0.1 · 2³
        #expect(s.ceiling(attempt: Int.max) == 3)      // the cap
    }

    // MARK: Item 14

    /// `interval: 1e-9` on a 2 s job: every gap is held to the 1 ms floor, so polls go at
    /// 0, 1, 2, … ms and the poll at 2000 ms detects the job: 2001 calls, not 2·10⁹.
    @Test func aTinyIntervalIsHeldToTheOneMillisecondFloor() {
        let record = Self.simulate(ConstantStrategy(interval: 1e-9), job: 2, configuration: .init())
        #expect(record.outcome == .completed)
        #expect(record.tries == 2001)
        let sends = record.calls.filter { $0.kind == .status }.map(\.sentNanos)
        #expect(zip(sends, sends.dropFirst()).allSatisfy { $1 - $0 == 1_000_000 })
        #expect(PollLoopConfiguration.minimumInterval == .milliseconds(1))
    }

    /// Polling every 0.1 s a job of 60 s needs 601 calls; with a budget of 10 the 11th is not
    /// sent and the trial ends `failed` with its own code, at the 10th receive (0.9 s).
    @Test func theCallBudgetEndsATrialWithItsOwnCode() {
        let record = Self.simulate(ConstantStrategy(interval: 0.1), job: 60, configuration: .init(maxCalls: 10))
        #expect(record.outcome == .failed)
        #expect(record.errorCode == "call_budget_exhausted")
        #expect(record.tries == 10)
        #expect(record.endNanos == 900_000_000)
    }

    // MARK: Item 4 (the poll loop's part)

    typealias Loop = PollLoop<ConstantStrategy>
    static let hugeRetryAfter = Loop.CallResult.failure(code: "http_503", httpStatus: 503, transient: true,
                                                        retryAfter: .clampedSeconds(99_999_999_999))

    /// Without a deadline a Retry-After of 99 999 999 999 s is cut to `maxDelay` (120 s by
    /// default, 30 s here): the retry goes 30 s after the 5 ms receive.
    @Test func aHugeRetryAfterIsCutToTheMaximumDelay() {
        var rng = SeededGenerator(seed: 1)
        var loop = Loop(strategy: ConstantStrategy(interval: 1))
        _ = loop.start(using: &rng)
        let action = loop.received(Self.hugeRetryAfter, sent: .zero, received: .milliseconds(5), using: &rng)
        #expect(action == .send(at: .seconds(120) + .milliseconds(5), timeout: .seconds(5), wait: nil))
        var short = Loop(strategy: ConstantStrategy(interval: 1),
                         configuration: .init(retry: RetryPolicy(maxDelay: .seconds(30))))
        _ = short.start(using: &rng)
        let next = short.received(Self.hugeRetryAfter, sent: .zero, received: .milliseconds(5), using: &rng)
        #expect(next == .send(at: .seconds(30) + .milliseconds(5), timeout: .seconds(5), wait: nil))
        #expect(short.calls.last?.hint?.retryAfter == .clampedSeconds(99_999_999_999))  // the row keeps what was sent
    }

    /// With a 10 s deadline the retry (even cut to 120 s) would fall past it: the client stops at
    /// once, and the trial ends at the 5 ms receive, not at the 10 s deadline.
    @Test func aRetryPastTheDeadlineStopsAtOnceAndRecordsThatInstant() {
        var rng = SeededGenerator(seed: 1)
        var loop = Loop(strategy: ConstantStrategy(interval: 1), configuration: .init(deadline: .seconds(10)))
        _ = loop.start(using: &rng)
        let action = loop.received(Self.hugeRetryAfter, sent: .zero, received: .milliseconds(5), using: &rng)
        guard case .finish(let trace) = action else { Issue.record("expected the trial to end: \(action)"); return }
        #expect(trace.outcome == .timedOut)
        #expect(trace.errorCode == "deadline")
        #expect(trace.end == .milliseconds(5))
    }

    /// A pending response's hint reaches the strategy cut to `maxDelay`: Azure waits the last
    /// Retry-After, so a 10¹¹ s hint becomes a 120 s wait from the receive.
    @Test func aStrategySeesHintsCutToTheMaximumDelay() {
        var rng = SeededGenerator(seed: 1)
        var loop = PollLoop(strategy: AzureLROStrategy(interval: 1))
        _ = loop.start(using: &rng)
        let hint = ServerHint(retryAfter: .clampedSeconds(99_999_999_999))
        let action = loop.received(.status(.pending, httpStatus: 200, hint: hint), sent: .seconds(1),
                                   received: .seconds(1), using: &rng)
        #expect(action == .send(at: .seconds(121), timeout: .seconds(5), wait: nil))
    }
}
