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
