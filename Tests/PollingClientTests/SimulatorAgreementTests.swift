import PollingClient
import PollingCore
import Testing

/// The synchronous `TrialSimulator` and the async `Poller` on a `VirtualClock` with
/// `SimulatedTransport` run the same `PollLoop`: the same trial must come out identical.
@Suite struct SimulatorAgreementTests {
    static let strategies: [any PollingStrategy] = [
        SeedStrategy(initialInterval: 0.1, maxInterval: 3, durationHint: 1.5),
        ConstantStrategy(interval: 0.2),
        try! ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .full),
        try! ExponentialStrategy(initial: 0.1, multiplier: 1.5, maxInterval: 2, jitter: .decorrelated),
    ]

    @Test(arguments: 0..<4)
    func simulatorAndVirtualTimePollerAgree(strategyIndex: Int) async throws {
        let parameters = JobParameters(baseDelay: 1.5, varDelay: 0.9, successRate: 0.8)
        for trial in 0..<20 {
            let jobSeed = SeedDerivation.jobSeed(runSeed: 3, trialIndex: trial)
            let deadline: Duration? = trial % 5 == 0 ? .seconds(2) : nil
            let configuration = PollLoopConfiguration(deadline: deadline)

            var simulated = Self.strategies[strategyIndex]
            var rngA = SeededGenerator(seed: UInt64(trial))
            var network = SeededGenerator(seed: 0)
            let a = TrialSimulator(latency: .constant(0.004), configuration: configuration).run(
                arm: "x", trialIndex: trial, jobSeed: jobSeed, parameters: parameters,
                strategy: &simulated, using: &rngA, network: &network)

            let clock = VirtualClock()
            let driver = TrialDriver(
                poller: Poller(transport: SimulatedTransport(clock: clock, latency: .milliseconds(4)), clock: clock,
                               configuration: configuration),
                runStart: clock.now)
            var polled = Self.strategies[strategyIndex]
            var rngB = SeededGenerator(seed: UInt64(trial))
            var b = try await driver.run(.init(arm: "x", index: trial, parameters: parameters, jobSeed: jobSeed),
                                         strategy: &polled, using: &rngB, sink: InMemoryTraceSink())
            b.jobID = a.jobID
            #expect(a == b, "trial \(trial)")
        }
    }

    @Test func longPollIsHeldUntilTheJobEnds() {
        struct LongPoll: PollingStrategy {
            func firstPoll<R: RandomNumberGenerator>(using rng: inout R) -> PollDecision { .poll(at: .zero) }
            func nextPoll<R: RandomNumberGenerator>(after o: PollObservation, using rng: inout R) -> PollDecision {
                .poll(at: o.received)
            }
            var longPollWait: Duration? { .seconds(1) }
        }
        // A 2.5 s job, 10 ms round trips: the server holds each request up to 1 s, so the third
        // call is answered the instant the job ends (2.505 s after the create call was sent).
        var strategy = LongPoll()
        var rng = SeededGenerator(seed: 1)
        var network = SeededGenerator(seed: 1)
        let record = TrialSimulator(latency: .constant(0.01)).run(
            arm: "lp", trialIndex: 0, jobSeed: 1, parameters: JobParameters(baseDelay: 2.5, varDelay: 0, successRate: 1),
            strategy: &strategy, using: &rng, network: &network)
        #expect(record.tries == 3)
        #expect(record.doneNanos == 2_505_000_000)
        #expect(record.detectNanos == 2_510_000_000)
        #expect(abs(record.metrics.delay! - 0.005) < 1e-9)
    }
}
