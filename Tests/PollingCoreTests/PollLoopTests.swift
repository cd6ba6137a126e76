import PollingCore
import Testing

/// The poll rules, driven by hand: every action and instant is exact.
@Suite struct PollLoopTests {
    typealias Loop = PollLoop<ConstantStrategy>
    let strategy = ConstantStrategy(interval: 1)
    var rng = SeededGenerator(seed: 1)

    static func sendInstant(_ action: Loop.Action) -> Duration? {
        if case .send(let at, _, _) = action { return at }
        return nil
    }

    static func trace(_ action: Loop.Action) -> PollTrace? {
        if case .finish(let trace) = action { return trace }
        return nil
    }

    static let unavailable = Loop.CallResult.failure(code: "http_503", httpStatus: 503, transient: true, retryAfter: nil)

    /// A job cancelled by someone else is final but not a detection: `failed`, `job_cancelled`,
    /// ended at that response, no delay to measure.
    @Test mutating func cancelledJobEndsTheTrialFailedUndetected() {
        var loop = Loop(strategy: strategy)
        _ = loop.start(using: &rng)
        let end = loop.received(.status(.cancelled, httpStatus: 200, hint: nil), sent: .zero, received: .milliseconds(7),
                                using: &rng)
        let trace = Self.trace(end)
        #expect(trace?.outcome == .failed)
        #expect(trace?.errorCode == "job_cancelled")
        #expect(trace?.end == .milliseconds(7))
        #expect(trace?.detection == nil)
    }

    @Test mutating func transientFailuresAreRetriedThenTheJobCompletes() {
        var loop = Loop(strategy: strategy)
        #expect(Self.sendInstant(loop.start(using: &rng)) == .zero)
        // Two 503s (no Retry-After): retried after full-jitter backoff U(0, 0.05) then U(0, 0.1).
        var reference = rng
        let first = loop.received(Self.unavailable, sent: .zero, received: .milliseconds(10), using: &rng)
        let u1 = reference.unitInterval()
        #expect(Self.sendInstant(first) == .milliseconds(10) + .clampedSeconds(0.05 * u1))
        let second = loop.received(Self.unavailable, sent: .milliseconds(20), received: .milliseconds(30), using: &rng)
        let u2 = reference.unitInterval()
        #expect(Self.sendInstant(second) == .milliseconds(30) + .clampedSeconds(0.1 * u2))
        // Success resets the count; the strategy schedules from the successful send.
        let third = loop.received(.status(.pending, httpStatus: 200, hint: nil), sent: .milliseconds(100),
                                  received: .milliseconds(110), using: &rng)
        #expect(Self.sendInstant(third) == .milliseconds(1100))
        let done = loop.received(.status(.completed, httpStatus: 200, hint: nil), sent: .milliseconds(1100),
                                 received: .milliseconds(1110), using: &rng)
        let trace = Self.trace(done)
        #expect(trace?.outcome == .completed)
        #expect(trace?.calls.map(\.errorCode) == ["http_503", "http_503", nil, nil])
        #expect(trace?.detection == .milliseconds(1110))
    }

    @Test mutating func retryAfterIsHonouredExactly() {
        var loop = Loop(strategy: strategy)
        _ = loop.start(using: &rng)
        let throttled = Loop.CallResult.failure(code: "http_429", httpStatus: 429, transient: true, retryAfter: .seconds(3))
        #expect(Self.sendInstant(loop.received(throttled, sent: .zero, received: .milliseconds(5), using: &rng))
                == .milliseconds(3005))
        #expect(loop.calls.last?.hint?.retryAfter == .seconds(3))  // recorded in the call row
    }

    @Test mutating func exhaustedBudgetEndsFailedNotError() {
        var loop = Loop(strategy: strategy, configuration: .init(retry: RetryPolicy(budget: 2)))
        _ = loop.start(using: &rng)
        var action = loop.received(Self.unavailable, sent: .zero, received: .zero, using: &rng)
        action = loop.received(Self.unavailable, sent: .zero, received: .zero, using: &rng)
        #expect(Self.sendInstant(action) != nil)
        action = loop.received(Self.unavailable, sent: .zero, received: .zero, using: &rng)
        #expect(Self.trace(action)?.outcome == .failed)
        #expect(Self.trace(action)?.errorCode == "retries_exhausted")
        #expect(Self.trace(action)?.calls.count == 3)
    }

    @Test mutating func permanentFailureEndsAtOnce() {
        var loop = Loop(strategy: strategy)
        _ = loop.start(using: &rng)
        let action = loop.received(.failure(code: "http_404", httpStatus: 404, transient: false, retryAfter: nil),
                                   sent: .zero, received: .milliseconds(2), using: &rng)
        #expect(Self.trace(action)?.outcome == .failed)
        #expect(Self.trace(action)?.errorCode == "http_404")
        #expect(Self.trace(action)?.end == .milliseconds(2))
    }

    @Test mutating func noPollIsSentAtOrAfterTheDeadline() {
        var loop = Loop(strategy: strategy, configuration: .init(deadline: .milliseconds(2500)))
        _ = loop.start(using: &rng)
        let pending = Loop.CallResult.status(.pending, httpStatus: 200, hint: nil)
        let a = loop.received(pending, sent: .zero, received: .milliseconds(5), using: &rng)
        #expect(a == .send(at: .seconds(1), timeout: .milliseconds(1500), wait: nil))
        let b = loop.received(pending, sent: .seconds(1), received: .milliseconds(1005), using: &rng)
        #expect(b == .send(at: .seconds(2), timeout: .milliseconds(500), wait: nil))
        let c = loop.received(pending, sent: .seconds(2), received: .milliseconds(2005), using: &rng)
        #expect(Self.trace(c)?.outcome == .timedOut)
        #expect(Self.trace(c)?.end == .milliseconds(2005))  // the client stops at once, at that receive
        #expect(Self.trace(c)?.calls.count == 3)
    }

    @Test mutating func aResponseArrivingAfterTheDeadlineTimesOut() {
        var loop = Loop(strategy: strategy, configuration: .init(deadline: .seconds(1)))
        _ = loop.start(using: &rng)
        let late = loop.received(.failure(code: "timeout", httpStatus: nil, transient: true, retryAfter: nil),
                                 sent: .zero, received: .seconds(1), using: &rng)
        #expect(Self.trace(late)?.outcome == .timedOut)
        #expect(Self.trace(late)?.errorCode == "deadline")
    }
}
