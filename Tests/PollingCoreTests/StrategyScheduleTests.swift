import PollingCore
import Testing

/// Drives a strategy with zero-latency pending responses and returns the poll instants (seconds).
func schedule<S: PollingStrategy>(_ strategy: S, polls: Int, seed: UInt64 = 1) -> [Double] {
    var strategy = strategy
    var rng = SeededGenerator(seed: seed)
    var times: [Double] = []
    guard case .poll(let first) = strategy.firstPoll(using: &rng) else { return [] }
    var at = first
    for attempt in 0..<polls {
        times.append(at.seconds)
        let observation = PollObservation(attempt: attempt, sent: at, received: at, status: .pending)
        guard case .poll(let next) = strategy.nextPoll(after: observation, using: &rng) else { break }
        at = next
    }
    return times
}

func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-9,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, sourceLocation: sourceLocation)
    for (a, e) in zip(actual, expected) {
        #expect(abs(a - e) <= tolerance, "\(actual) vs \(expected)", sourceLocation: sourceLocation)
    }
}

@Suite struct StrategyScheduleTests {
    @Test func seedStrategyReproducesTheSeedsHeadlineSchedule() {
        // DESIGN.md: polls at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s; the 0.2·hint cap (0.3 s) applies from
        // the interval after the poll at 1.5 s (elapsed 1.5 > 0.75·1.5), so 3.4, 3.7 follow.
        let s = SeedStrategy(initialInterval: 0.1, maxInterval: 3, jitter: 1...1, durationHint: 1.5)
        expectClose(schedule(s, polls: 8), [0, 0.1, 0.3, 0.7, 1.5, 3.1, 3.4, 3.7])
    }

    @Test func seedStrategyWithoutHintDoublesUpToTheCap() {
        let s = SeedStrategy(initialInterval: 0.1, maxInterval: 3)
        expectClose(schedule(s, polls: 8), [0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.1, 9.1])
    }

    @Test func seedStrategyCountsFromTheReceiveInstant() {
        var s = SeedStrategy(initialInterval: 0.5, maxInterval: 3)
        var rng = SeededGenerator(seed: 1)
        let observation = PollObservation(attempt: 0, sent: .zero, received: .milliseconds(40), status: .pending)
        #expect(s.nextPoll(after: observation, using: &rng) == .poll(at: .milliseconds(540)))
    }

    @Test func seedStrategyJitterDrawsTheFactorFromTheGenerator() {
        // next interval = current · 2 · U(a, b); U(a, b) = a + (b − a)·u with u from the generator.
        var reference = SeededGenerator(seed: 9)
        let u1 = reference.unitInterval()
        let s = SeedStrategy(initialInterval: 0.1, maxInterval: 3, jitter: 0.5...1.5)
        let times = schedule(s, polls: 3, seed: 9)
        expectClose(times, [0, 0.1, 0.1 + 0.1 * 2 * (0.5 + u1)])
    }

    @Test func constantPollsEveryIntervalFromTheSend() {
        expectClose(schedule(ConstantStrategy(interval: 0.25, initialDelay: 0.5), polls: 4), [0.5, 0.75, 1.0, 1.25])
    }

    @Test func exponentialWithoutJitterDoublesToTheCap() throws {
        let s = try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .none)
        expectClose(schedule(s, polls: 8), [0, 0.1, 0.3, 0.7, 1.5, 3.1, 6.1, 9.1])
    }

    @Test func exponentialCeilingSaturatesWithoutOverflow() throws {
        let s = try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3)
        #expect(s.ceiling(attempt: 0) == 0.1)
        #expect(abs(s.ceiling(attempt: 3) - 0.8) < 1e-12)
        #expect(s.ceiling(attempt: 5) == 3)
        #expect(s.ceiling(attempt: Int.max) == 3)
        #expect(s.ceiling(attempt: -5) == 0.1)
        let flat = try ExponentialStrategy(initial: 5, multiplier: 2, maxInterval: 3)
        #expect(flat.ceiling(attempt: Int.max) == 3)
    }

    @Test func fullJitterIsUniformBelowTheCeiling() throws {
        // AWS: sleep = U(0, min(cap, base·2^attempt)) = ceiling · u.
        var reference = SeededGenerator(seed: 3)
        let u = (0..<3).map { _ in reference.unitInterval() }
        let s = try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .full)
        let t = schedule(s, polls: 4, seed: 3)
        expectClose(t, [0, 0.1 * u[0], 0.1 * u[0] + 0.2 * u[1], 0.1 * u[0] + 0.2 * u[1] + 0.4 * u[2]])
    }

    @Test func equalJitterKeepsHalfTheCeiling() throws {
        var reference = SeededGenerator(seed: 4)
        let u = reference.unitInterval()
        let s = try ExponentialStrategy(initial: 0.4, multiplier: 2, maxInterval: 3, jitter: .equal)
        expectClose(schedule(s, polls: 2, seed: 4), [0, 0.2 + 0.2 * u])
    }

    @Test func decorrelatedJitterGrowsFromThePreviousSleep() throws {
        // sleep = min(cap, U(base, 3·previous)), previous starting at base.
        var reference = SeededGenerator(seed: 5)
        let u1 = reference.unitInterval()
        let u2 = reference.unitInterval()
        let first = 0.1 + (0.3 - 0.1) * u1
        let second = 0.1 + (min(3, 3 * first) - 0.1) * u2
        let s = try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .decorrelated)
        expectClose(schedule(s, polls: 3, seed: 5), [0, first, first + second])
    }

    @Test(arguments: JitterKind.allCases)
    func exponentialSleepsStayWithinTheirDocumentedBounds(jitter: JitterKind) throws {
        var s = try ExponentialStrategy(initial: 0.1, multiplier: 1.6, maxInterval: 20, jitter: jitter)
        var rng = SeededGenerator(seed: 11)
        let lower: Double = switch jitter {
        case .none, .decorrelated: 0.1
        case .full: 0
        case .equal: 0.05
        }
        for draw in 0..<10_000 {
            let attempt = draw % 3 == 0 ? Int.max : draw
            let sleep = s.sleep(attempt: attempt, using: &rng)
            #expect(sleep.isFinite && sleep >= lower && sleep <= 20, "attempt \(attempt): \(sleep)")
            if !(sleep.isFinite && sleep >= lower && sleep <= 20) { break }
        }
    }
}
