import PollingCore
import Testing

/// What a strategy promises for one decision: the instant it counts from, the allowed gaps after
/// it (seconds), and whether it may stop.
struct Promise {
    var from: Duration
    var gaps: [ClosedRange<Double>]
    var mayStop = false
}

/// A strategy under test with its documented bounds.
struct BoundedStrategy: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable (Int) -> (draws: Int, violations: [String])
    var testDescription: String { name }

    init<S: PollingStrategy>(_ name: String, _ strategy: S, promise: @escaping @Sendable (PollObservation) -> Promise) {
        self.name = name
        self.run = { count in Self.exercise(strategy, count: count, promise: promise) }
    }

    /// `count` seeded observations: attempts 0 … count−1, every 7th `Int.max`; sends anywhere in
    /// [0, 1e6) s; latency up to 1 s; Retry-After / ETA / deadline / failed calls mixed in.
    static func exercise<S: PollingStrategy>(_ strategy: S, count: Int,
                                             promise: (PollObservation) -> Promise) -> (draws: Int, violations: [String]) {
        var s = strategy
        var rng = SeededGenerator(seed: 20_261_129)
        var violations: [String] = []
        if case .poll(let first) = s.firstPoll(using: &rng), !(first.seconds.isFinite && first >= .zero) {
            violations.append("first poll \(first)")
        }
        for i in 0..<count {
            let attempt = i % 7 == 6 ? Int.max : i
            let sent = rng.uniform(0, 1e6)
            let received = sent + rng.uniform(0, 1)
            var hint: ServerHint?
            if i % 3 == 0 { hint = ServerHint(retryAfter: .clampedSeconds(rng.uniform(0, 200))) }
            if i % 5 == 0 { hint = ServerHint(retryAfter: hint?.retryAfter, eta: .clampedSeconds(rng.uniform(0, 200))) }
            let remaining: Duration? = i % 4 == 0 ? .clampedSeconds(rng.uniform(-1, 300)) : nil
            let observation = PollObservation(attempt: attempt, sent: .clampedSeconds(sent), received: .clampedSeconds(received),
                                              status: i % 11 == 0 ? nil : .pending, hint: hint, remaining: remaining)
            let expected = promise(observation)
            switch s.nextPoll(after: observation, using: &rng) {
            case .stop:
                if !expected.mayStop { violations.append("stopped at \(i)") }
            case .poll(let at):
                let gap = (at - expected.from).seconds
                let slack = 1e-9 * max(1, abs(at.seconds))
                if !at.seconds.isFinite || !expected.gaps.contains(where: { gap >= $0.lowerBound - slack && gap <= $0.upperBound + slack }) {
                    violations.append("draw \(i) attempt \(attempt): gap \(gap) outside \(expected.gaps)")
                }
            }
            if violations.count > 5 { break }
        }
        return (count, violations)
    }
}

@Suite struct StrategyBoundsPropertyTests {
    static let optimalOffsets = [1.6, 1.9, 2.2, 2.4]

    static let strategies: [BoundedStrategy] = [
        BoundedStrategy("constant", ConstantStrategy(interval: 0.5)) { .init(from: $0.sent, gaps: [0.5...0.5]) },
        BoundedStrategy("exponential none", try! ExponentialStrategy(jitter: .none)) { .init(from: $0.sent, gaps: [0.1...3]) },
        BoundedStrategy("exponential full", try! ExponentialStrategy(jitter: .full)) { .init(from: $0.sent, gaps: [0...3]) },
        BoundedStrategy("exponential equal", try! ExponentialStrategy(jitter: .equal)) { .init(from: $0.sent, gaps: [0.05...3]) },
        BoundedStrategy("exponential decorrelated", try! ExponentialStrategy(jitter: .decorrelated)) { .init(from: $0.sent, gaps: [0.1...3]) },
        BoundedStrategy("seed", SeedStrategy(initialInterval: 0.1, maxInterval: 3, jitter: 0.5...1.5, durationHint: 1.5)) {
            .init(from: $0.received, gaps: [0.1...3])
        },
        BoundedStrategy("grpc", try! GRPCBackoffStrategy()) { o in
            .init(from: o.sent, gaps: o.attempt == 0 ? [1...1] : [(0.8 * 1.6)...(1.2 * 120)])
        },
        BoundedStrategy("aws", try! AWSStandardRetryStrategy()) { .init(from: $0.sent, gaps: [0...20]) },
        BoundedStrategy("google-lro", try! GoogleLROStrategy()) { .init(from: $0.sent, gaps: [0...20], mayStop: true) },
        BoundedStrategy("smithy", try! SmithyWaiterStrategy()) { o in
            let remaining = o.remaining.map { [max(0, $0.seconds - 2)...max(0, $0.seconds - 2)] } ?? []
            return .init(from: o.received, gaps: [2...120] + remaining, mayStop: true)
        },
        BoundedStrategy("kubernetes", try! KubernetesBackoffStrategy()) { .init(from: $0.sent, gaps: [1...66]) },
        BoundedStrategy("kubernetes uncapped", try! KubernetesBackoffStrategy(cap: nil)) { .init(from: $0.sent, gaps: [1...1.1e12]) },
        BoundedStrategy("azure", AzureLROStrategy()) { o in
            let r = o.hint?.retryAfter?.seconds
            return .init(from: o.received, gaps: [r.map { $0...$0 } ?? 30...30])
        },
        BoundedStrategy("hinted", HintedStrategy()) { o in
            guard o.hint != nil else { return .init(from: o.sent, gaps: [1...1]) }
            if o.hint?.eta != nil { return .init(from: o.received, gaps: [0.05...30]) }  // the ETA is preferred
            let r = o.hint?.retryAfter?.seconds ?? 0
            return .init(from: o.received, gaps: [max(0.05, r)...max(30, r)])
        },
        BoundedStrategy("long-poll", LongPollStrategy()) { o in
            .init(from: o.received, gaps: [o.status == nil ? 1...1 : 0...0])
        },
        BoundedStrategy("optimal", OptimalStrategy(offsets: optimalOffsets)) { o in
            // Sends here are past the schedule: the fallback gap (0.2 s, the last gap) from the send.
            .init(from: o.sent, gaps: [0.2...0.2])
        },
        BoundedStrategy("learned exploring",
                        try! LearnedStrategy(estimate: .none, weights: .init(hit: 1, efficiency: 1))) {
            .init(from: $0.sent, gaps: [0.1...0.5])
        },
    ]

    @Test(arguments: strategies)
    func pollInstantsStayWithinTheDocumentedBounds(_ strategy: BoundedStrategy) {
        let result = strategy.run(100_000)
        #expect(result.violations.isEmpty, "\(strategy.name): \(result.violations)")
    }

    @Test func optimalStrategyWithinItsScheduleOnlyReturnsScheduledInstants() {
        var s = OptimalStrategy(offsets: Self.optimalOffsets)
        var rng = SeededGenerator(seed: 5)
        for i in 0..<10_000 {
            let sent = rng.uniform(0, 2.4)
            let o = PollObservation(attempt: i % 3 == 0 ? Int.max : i, sent: .clampedSeconds(sent), received: .clampedSeconds(sent + 0.01), status: .pending)
            guard case .poll(let at) = s.nextPoll(after: o, using: &rng) else { Issue.record("stopped"); return }
            let expected = Self.optimalOffsets.first { $0 > sent } ?? sent + 0.2
            #expect(abs(at.seconds - expected) < 1e-9)
        }
    }

    @Test func backoffCeilingsSaturateAtIntMax() {
        #expect(try! AWSStandardRetryStrategy().ceiling(attempt: Int.max) == 20)
        #expect(try! GoogleLROStrategy().ceiling(attempt: Int.max) == 20)
        #expect(try! SmithyWaiterStrategy().ceiling(attempt: Int.max) == 120)
        var rng = SeededGenerator(seed: 1)
        #expect(try! GRPCBackoffStrategy().wait(attempt: 0, using: &rng) == 1)
        let w = try! KubernetesBackoffStrategy(cap: nil).wait(attempt: Int.max, using: &rng)
        #expect(w.isFinite && w >= 1e12)
    }
}
