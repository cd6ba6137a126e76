import PollingClient
import PollingCore
import Testing

/// Issue 10, item 5: an error that is not a `PollingClientError` is recorded with its own code,
/// never as `cancelled` (which would make `poll` throw `CancellationError` and the runner treat
/// the trial as interrupted).
@Suite struct UnexpectedErrorTests {
    struct Odd: Error {}

    @Test func aStatusCallFailingWithAForeignErrorEndsTheTrialFailedWithItsOwnCode() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(clock: clock, latency: .milliseconds(2), [.failure(Odd())])
        let poller = Poller(transport: transport, clock: clock)
        var strategy = ConstantStrategy(interval: 0.1)
        var rng = SeededGenerator(seed: 1)
        let trace = try await poller.poll(id: "j1", start: clock.now, strategy: &strategy, using: &rng)
        #expect(trace.outcome == .failed)
        #expect(trace.errorCode == "unexpected_error")
        #expect(trace.calls.map(\.errorCode) == ["unexpected_error"])
        #expect(trace.end == .milliseconds(2))
    }

    @Test func aCreateCallFailingWithAForeignErrorIsRecordedNotThrown() async throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(clock: clock, createError: Odd(), [ScriptedTransport.status(.pending)])
        let driver = TrialDriver(poller: Poller(transport: transport, clock: clock), runStart: clock.now)
        var strategy = ConstantStrategy(interval: 0.1)
        var rng = SeededGenerator(seed: 1)
        let sink = InMemoryTraceSink()
        let record = try await driver.run(.init(arm: "a", index: 0, parameters: JobParameters(), jobSeed: 1),
                                          strategy: &strategy, using: &rng, sink: sink)
        #expect(record.outcome == .failed)
        #expect(record.errorCode == "unexpected_error")
        #expect(record.calls.map(\.errorCode) == ["unexpected_error"])
        #expect(await sink.trials.count == 1)
    }
}

/// Issue 10, item 3, through the trial driver: a final response's `run_time` is accepted only
/// under `GroundTruth`'s rule; otherwise the trial keeps its outcome and calls, has no `done`,
/// and carries `no_ground_truth` (before: a missing `run_time` gave delay = time to detect and
/// ER 1, `1e30` a negative completion instant, `-5` a completion before creation).
@Suite struct GroundTruthDriverTests {
    /// Latency 10 ms per call: create sent at 0, answered at 10 ms (anchor 5 ms); the first poll
    /// is sent at 10 ms and answered, final, at 20 ms.
    func run(runTime: Double?) async throws -> TrialRecord {
        let clock = VirtualClock()
        let transport = ScriptedTransport(clock: clock, latency: .milliseconds(10),
                                          [ScriptedTransport.status(.completed, runTime: runTime)])
        let driver = TrialDriver(poller: Poller(transport: transport, clock: clock), runStart: clock.now)
        var strategy = ConstantStrategy(interval: 0.1)
        var rng = SeededGenerator(seed: 1)
        return try await driver.run(.init(arm: "a", index: 0, parameters: JobParameters(), jobSeed: 1),
                                    strategy: &strategy, using: &rng, sink: InMemoryTraceSink())
    }

    @Test(arguments: [nil, 1e30, -5, Double.nan])
    func unusableRunTimeLeavesTheTrialWithoutGroundTruth(_ runTime: Double?) async throws {
        let record = try await run(runTime: runTime)
        #expect(record.outcome == .completed)
        #expect(record.errorCode == "no_ground_truth")
        #expect(record.doneNanos == nil)
        #expect(record.detectNanos == 20_000_000)
        #expect(record.metrics.delay == nil)
        #expect(record.metrics.efficiencyRatio == nil)
    }

    /// run_time 0.012 s: done = 5 + 12 = 17 ms ≤ 20 + 5; delay 3 ms, ER 3 / 10.
    @Test func anAcceptableRunTimeGivesTheDelay() async throws {
        let record = try await run(runTime: 0.012)
        #expect(record.errorCode == nil)
        #expect(record.doneNanos == 17_000_000)
        #expect(abs(record.metrics.delay! - 0.003) < 1e-12)
        #expect(abs(record.metrics.efficiencyRatio! - 0.3) < 1e-12)
    }
}
