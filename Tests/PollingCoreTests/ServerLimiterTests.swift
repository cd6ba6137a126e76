import PollingCore
import Testing

/// The server's admission state machine on hand-computed arrival sequences.
@Suite struct ServerLimiterTests {
    static func ms(_ value: Int) -> Duration { .milliseconds(value) }

    /// rate 10/s, burst 2 (full at start). Tokens before each arrival, by hand:
    /// 0 ms: 2 → serve (1); 0 ms: 1 → serve (0); 0 ms: 0 → 429, next token in 0.1 s;
    /// 50 ms: 0.5 → 429 in 0.05 s; 110 ms: 0.5 + 0.6 = 1.1 → serve (0.1);
    /// 250 ms: 0.1 + 1.4 = 1.5 → serve (0.5); 310 ms: 0.5 + 0.6 = 1.1 → serve (0.1).
    @Test func tokenBucketServesRefusesAndCounts() {
        var limiter = ServerLimiter(capacity: ServerCapacity(rate: 10, burst: 2))
        let decisions = [0, 0, 0, 50, 110, 250, 310].map { limiter.admit(at: Self.ms($0)) }
        #expect(decisions[0] == .serve(start: .zero, finish: .zero))
        #expect(decisions[1] == .serve(start: .zero, finish: .zero))
        guard case .rateLimited(let first) = decisions[2], case .rateLimited(let second) = decisions[3] else {
            Issue.record("expected two 429s, got \(decisions)")
            return
        }
        #expect(abs(first.seconds - 0.1) < 1e-9)
        #expect(abs(second.seconds - 0.05) < 1e-9)
        #expect(decisions[4...].allSatisfy { if case .serve = $0 { true } else { false } })
        #expect(limiter.counts.buckets == [
            .init(served: 2, rateLimited: 2), .init(served: 1), .init(served: 1), .init(served: 1),
        ])
        #expect(limiter.counts.total == .init(served: 5, rateLimited: 2))
    }

    /// 2 slots, 100 ms service, queue of 1. At 0 ms: two start at once, the third queues for the
    /// first free slot (starts 100 ms, leaves 200 ms), the fourth finds the queue full → 503.
    /// At 50 ms the queued one still waits → 503. At 150 ms a slot has been free since 100 ms
    /// and nobody waits → served at once.
    @Test func slotsAndQueue() {
        var limiter = ServerLimiter(capacity: ServerCapacity(concurrency: 2, serviceTime: Self.ms(100), maxQueue: 1))
        let decisions = [0, 0, 0, 0, 50, 150].map { limiter.admit(at: Self.ms($0)) }
        #expect(decisions == [
            .serve(start: .zero, finish: Self.ms(100)), .serve(start: .zero, finish: Self.ms(100)),
            .serve(start: Self.ms(100), finish: Self.ms(200)), .overloaded, .overloaded,
            .serve(start: Self.ms(150), finish: Self.ms(250)),
        ])
        #expect(limiter.counts.total == .init(served: 4, queued: 1, overloaded: 2))
        #expect(limiter.counts.buckets.count == 2)
    }

    /// Rate limit before the queue; a refused request spends no token.
    @Test func rateLimitIsCheckedFirstAndRefusalsAreFree() {
        var limiter = ServerLimiter(capacity: ServerCapacity(rate: 1, burst: 2, concurrency: 1, serviceTime: Self.ms(500)))
        #expect(limiter.admit(at: .zero) == .serve(start: .zero, finish: Self.ms(500)))
        #expect(limiter.admit(at: .zero) == .overloaded)  // slot busy, no queue: the token stays
        #expect(limiter.admit(at: Self.ms(600)) == .serve(start: Self.ms(600), finish: Self.ms(1100)))
        guard case .rateLimited(let wait) = limiter.admit(at: Self.ms(700)) else {
            Issue.record("expected 429")
            return
        }
        // Tokens at 700 ms: 2 − 1 − 1 + 0.7 = 0.7 → the next token in 0.3 s.
        #expect(abs(wait.seconds - 0.3) < 1e-9)
    }

    /// Per client: each client id has its own bucket (and requests without one share a bucket);
    /// globally one bucket serves all.
    @Test func perClientBuckets() {
        var global = ServerLimiter(capacity: ServerCapacity(rate: 1, burst: 1))
        var perClient = ServerLimiter(capacity: ServerCapacity(rate: 1, burst: 1, perClient: true))
        let clients: [String?] = ["a", "b", "a", nil, nil]
        let g = clients.map { global.admit(at: .zero, client: $0) }
        let p = clients.map { perClient.admit(at: .zero, client: $0) }
        #expect(g.filter { if case .serve = $0 { true } else { false } }.count == 1)
        #expect(p.map { if case .serve = $0 { true } else { false } } == [true, true, false, true, false])
    }

    @Test func validationNamesTheField() {
        let bad: [(ServerCapacity, String)] = [
            (ServerCapacity(rate: 0), "rate"), (ServerCapacity(rate: .infinity), "rate"),
            (ServerCapacity(rate: 5, burst: 0.5), "burst"), (ServerCapacity(concurrency: 0), "concurrency"),
            (ServerCapacity(concurrency: 1, serviceTime: .milliseconds(-1)), "service_time"),
            (ServerCapacity(concurrency: 1, maxQueue: -1), "max_queue"),
        ]
        for (capacity, field) in bad {
            #expect(throws: PollingCoreError.self) { try capacity.validate() }
            do { try capacity.validate() } catch { #expect(error.field == field) }
        }
        #expect(ServerCapacity(rate: 20).burst == 20)
        #expect(ServerCapacity(rate: 0.5).burst == 1)
    }
}
