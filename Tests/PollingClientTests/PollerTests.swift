import PollingClient
import PollingCore
import Testing

/// Poll loop tests in virtual time against the in-process simulated job service.
@Suite struct PollerTests {
    /// A job of exactly `seconds` (var 0) that ends `completed`.
    func job(_ seconds: Double) -> JobParameters {
        JobParameters(baseDelay: seconds, varDelay: 0, successRate: 1)
    }

    func runTrial<S: PollingStrategy>(
        _ strategy: S, job parameters: JobParameters, latency: Duration = .zero, deadline: Duration? = nil
    ) async throws -> TrialRecord {
        let clock = VirtualClock()
        let transport = SimulatedTransport(clock: clock, latency: latency)
        let poller = Poller(transport: transport, clock: clock, configuration: .init(deadline: deadline))
        let driver = TrialDriver(poller: poller, runStart: clock.now)
        var strategy = strategy
        var rng = SeededGenerator(seed: 1)
        let sink = InMemoryTraceSink()
        let record = try await driver.run(.init(arm: "a", index: 0, parameters: parameters, jobSeed: 1),
                                          strategy: &strategy, using: &rng, sink: sink)
        #expect(await sink.trials == [record])
        return record
    }

    @Test func seedStrategyOnATwoSecondJobPollsSixTimes() async throws {
        // Polls at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s; the job ends at 2.0 s → delay 1.1 s, ER 1.1/3.1.
        let record = try await runTrial(SeedStrategy(initialInterval: 0.1, maxInterval: 3, durationHint: 1.5), job: job(2))
        #expect(record.outcome == .completed)
        #expect(record.tries == 6)
        let sends = record.calls.filter { $0.kind == .status }.map { Double($0.sentNanos) / 1e9 }
        expectClose(sends, [0, 0.1, 0.3, 0.7, 1.5, 3.1])
        #expect(record.doneNanos == 2_000_000_000)
        #expect(abs(record.metrics.delay! - 1.1) < 1e-9)
        #expect(abs(record.metrics.efficiencyRatio! - 1.1 / 3.1) < 1e-9)
        #expect(record.metrics.hitRate == 1.0 / 6)
    }

    @Test func groundTruthAnchorsAtTheMidpointOfTheCreateCall() async throws {
        // Latency 10 ms: the server creates the job at 5 ms, polling starts at 10 ms; the job
        // ends at 5 ms + 0.25 s. Constant 0.1 s polls are sent at 0.01, 0.11, 0.21, 0.31 s and the
        // one sent at 0.31 s reaches the server at 0.315 s ≥ 0.255 s, arriving at 0.32 s.
        let record = try await runTrial(ConstantStrategy(interval: 0.1), job: job(0.25), latency: .milliseconds(10))
        #expect(record.startNanos == 10_000_000)
        #expect(record.doneNanos == 255_000_000)
        #expect(record.detectNanos == 320_000_000)
        #expect(record.tries == 4)
        #expect(abs(record.metrics.delay! - 0.065) < 1e-9)
        #expect(record.calls.first?.kind == .create)
        #expect(record.calls.map(\.sequence) == Array(0..<5))
    }

    @Test func deadlineEndsTheTrialTimedOutWhenTheClientStops() async throws {
        let record = try await runTrial(ConstantStrategy(interval: 0.5), job: job(10), deadline: .seconds(2))
        #expect(record.outcome == .timedOut)
        #expect(record.errorCode == "deadline")
        #expect(record.tries == 4)  // 0, 0.5, 1.0, 1.5; the poll due at 2.0 is not sent
        #expect(record.endNanos == 1_500_000_000)  // the client stops at the last receive, not at 2 s
        #expect(record.detectNanos == nil)
        #expect(record.metrics.efficiencyRatio == 1)
        #expect(record.metrics.hitRate == 0)
    }

    @Test func errorOutcomeIsDetectedNotFailed() async throws {
        let record = try await runTrial(ConstantStrategy(interval: 0.5),
                                        job: JobParameters(baseDelay: 0.2, varDelay: 0, successRate: 0))
        #expect(record.outcome == .error)
        #expect(record.tries == 2)
        #expect(record.calls.last?.result == .error)
    }

    @Test func unknownJobFailsFastWithAStableCode() async throws {
        let clock = VirtualClock()
        let poller = Poller(transport: SimulatedTransport(clock: clock), clock: clock)
        var strategy = ConstantStrategy(interval: 0.1)
        var rng = SeededGenerator(seed: 1)
        let trace = try await poller.poll(id: "nope", start: clock.now, strategy: &strategy, using: &rng)
        #expect(trace.outcome == .failed)
        #expect(trace.errorCode == "http_404")
        #expect(trace.calls.count == 1)
    }

    @Test func cancellationStopsPollingWithoutAnotherCall() async throws {
        let clock = VirtualClock()
        let poller = Poller(transport: SimulatedTransport(clock: clock), clock: clock)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            var strategy = ConstantStrategy(interval: 0.1)
            var rng = SeededGenerator(seed: 1)
            return try await poller.poll(id: "sim1", start: clock.now, strategy: &strategy, using: &rng)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func aCancelledTrialIsRecordedThenTheCancellationPropagates() async throws {
        let clock = VirtualClock()
        let driver = TrialDriver(poller: Poller(transport: SimulatedTransport(clock: clock), clock: clock), runStart: clock.now)
        let sink = InMemoryTraceSink()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            var strategy = ConstantStrategy(interval: 0.1)
            var rng = SeededGenerator(seed: 1)
            return try await driver.run(.init(arm: "c", index: 0, parameters: job(5), jobSeed: 1),
                                        strategy: &strategy, using: &rng, sink: sink)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        let recorded = await sink.trials
        #expect(recorded.count == 1)
        #expect(recorded.first?.outcome == .failed)
        #expect(recorded.first?.errorCode == "cancelled")
        #expect(recorded.first?.calls.map(\.kind) == [.create])  // the job was created, no poll was sent
    }

    @Test func sameSeedGivesTheSameTrialBitForBit() async throws {
        let strategy = try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .full)
        let parameters = JobParameters(baseDelay: 1.5, varDelay: 0.9)
        let a = try await runTrial(strategy, job: parameters, latency: .milliseconds(3))
        let b = try await runTrial(strategy, job: parameters, latency: .milliseconds(3))
        #expect(a == b)
    }
}

func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-9,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(actual)", sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    }
}
