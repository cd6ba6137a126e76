import PollingCore
import Testing

@Suite struct PresetStrategyTests {
    @Test func grpcFirstWaitIsUnjitteredThenJitteredAfterTheCap() throws {
        // Waits: 1 (exact), then 1.6·(1 + U(−0.2, 0.2)) with u from the generator.
        var reference = SeededGenerator(seed: 4)
        let u = reference.unitInterval()
        let times = schedule(try GRPCBackoffStrategy(), polls: 3, seed: 4)
        expectClose(times, [0, 1, 1 + 1.6 * (1 + (-0.2 + 0.4 * u))])
        var rng = SeededGenerator(seed: 1)
        let grpc = try GRPCBackoffStrategy()
        let late = (0..<1000).map { _ in grpc.wait(attempt: 50, using: &rng) }
        #expect(late.min()! >= 96 && late.max()! <= 144 && late.max()! > 120)
    }

    @Test func googleChecksImmediatelyAndStopsAfterTheTimeout() throws {
        var s = try GoogleLROStrategy(timeout: 10)
        var rng = SeededGenerator(seed: 1)
        #expect(s.firstPoll(using: &rng) == .poll(at: .zero))
        let o = PollObservation(attempt: 9, sent: .seconds(9.99), received: .seconds(10), status: .pending)
        var stops = 0
        for _ in 0..<100 { if s.nextPoll(after: o, using: &rng) == .stop { stops += 1 } }
        #expect(stops > 90) // U(0, min(1.5^9, 20) = 20): stops unless the wait is < 0.01 s
    }

    @Test func smithyLastAttemptSleepsTheRemainingTimeLessMinDelay() throws {
        var s = try SmithyWaiterStrategy()
        var rng = SeededGenerator(seed: 1)
        // remaining 3 s: any delay in [2, 4] leaves ≤ 2 s = minDelay, so this is the last attempt,
        // which smithy-swift sleeps remaining − minDelay = 1 s.
        let o = PollObservation(attempt: 1, sent: .seconds(10), received: .seconds(10.5), status: .pending, remaining: .seconds(3))
        #expect(s.nextPoll(after: o, using: &rng) == .poll(at: .seconds(11.5)))
        #expect(s.nextPoll(after: o, using: &rng) == .stop)
        // Without a deadline: U(2, min(120, 2·2^attempt)) from the receive instant.
        var free = try SmithyWaiterStrategy()
        var reference = SeededGenerator(seed: 2)
        let u = reference.unitInterval()
        var rng2 = SeededGenerator(seed: 2)
        let p = PollObservation(attempt: 2, sent: .seconds(1), received: .seconds(2), status: .pending)
        guard case .poll(let at) = free.nextPoll(after: p, using: &rng2) else { Issue.record("stopped"); return }
        #expect(abs(at.seconds - (2 + 2 + 6 * u)) < 1e-9)
    }

    @Test func hintedPrefersTheETAAndRetryAfterBeatsMax() {
        let s = HintedStrategy(interval: 1, minInterval: 0.5, maxInterval: 10)
        #expect(s.hintedWait(nil) == nil)
        #expect(s.hintedWait(ServerHint(retryAfter: .seconds(2), eta: .seconds(3))) == 3)
        #expect(s.hintedWait(ServerHint(retryAfter: .seconds(2), eta: .seconds(0.75))) == 0.75)  // the finer hint wins
        #expect(s.hintedWait(ServerHint(eta: .seconds(0.1))) == 0.5)      // min raises it
        #expect(s.hintedWait(ServerHint(eta: .seconds(50))) == 10)        // max cuts an ETA short
        #expect(s.hintedWait(ServerHint(retryAfter: .seconds(50))) == 50) // but never a Retry-After
        var h = s
        var rng = SeededGenerator(seed: 1)
        let o = PollObservation(attempt: 0, sent: .seconds(1), received: .seconds(1.25), status: .pending, hint: ServerHint(retryAfter: .seconds(2)))
        #expect(h.nextPoll(after: o, using: &rng) == .poll(at: .seconds(3.25)))
        let bare = PollObservation(attempt: 0, sent: .seconds(1), received: .seconds(1.25), status: .pending)
        #expect(h.nextPoll(after: bare, using: &rng) == .poll(at: .seconds(2)))
    }

    @Test func azureWaitsRetryAfterElseTheInterval() {
        var s = AzureLROStrategy(interval: 30)
        var rng = SeededGenerator(seed: 1)
        #expect(s.firstPoll(using: &rng) == .poll(at: .seconds(30)))
        let hinted = PollObservation(attempt: 0, sent: .seconds(30), received: .seconds(31), status: .pending, hint: ServerHint(retryAfter: .seconds(2)))
        #expect(s.nextPoll(after: hinted, using: &rng) == .poll(at: .seconds(33)))
        let bare = PollObservation(attempt: 1, sent: .seconds(33), received: .seconds(34), status: .pending)
        #expect(s.nextPoll(after: bare, using: &rng) == .poll(at: .seconds(64)))
    }

    @Test func longPollAsksTheServerToWaitAndRepollsAtOnce() {
        var s = LongPollStrategy()
        var rng = SeededGenerator(seed: 1)
        #expect(s.longPollWait == .seconds(20))
        #expect(s.firstPoll(using: &rng) == .poll(at: .zero))
        let held = PollObservation(attempt: 0, sent: .zero, received: .seconds(20), status: .pending)
        #expect(s.nextPoll(after: held, using: &rng) == .poll(at: .seconds(20)))
        let failed = PollObservation(attempt: 1, sent: .seconds(20), received: .seconds(20.5), status: nil)
        #expect(s.nextPoll(after: failed, using: &rng) == .poll(at: .seconds(21.5)))
    }

    @Test func kubernetesStopsAfterItsStepsAndJittersUpward() throws {
        let s = try KubernetesBackoffStrategy(duration: 1, factor: 2, jitter: 0.5, steps: 3, cap: 3)
        let times = schedule(s, polls: 10)
        #expect(times.count == 3)
        #expect(times[1] >= 1 && times[1] <= 1.5)
        #expect(times[2] - times[1] >= 2 && times[2] - times[1] <= 3)
    }

    @Test func awsFullJitterStaysBelowTheCeiling() throws {
        var reference = SeededGenerator(seed: 8)
        let u = (0..<3).map { _ in reference.unitInterval() }
        let times = schedule(try AWSStandardRetryStrategy(), polls: 4, seed: 8)
        expectClose(times, [0, u[0], u[0] + 2 * u[1], u[0] + 2 * u[1] + 4 * u[2]])
    }
}
