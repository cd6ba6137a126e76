import PollingCore
import Testing

/// Client-side retry budgets on hand-computed sequences (published semantics: botocore
/// `retries/quota.py` + `standard.py`; gRFC A6 retry throttling).
@Suite struct RetryBudgetTests {
    /// AWS defaults 500 / 5 / 10 / 1: tokens after each event, by hand.
    @Test func awsQuotaWithPublishedConstants() throws {
        var quota = try AWSRetryQuota()
        #expect(quota.available == 500)
        #expect(quota.acquire(timeout: false) == 5)    // retry after a 5xx: 495
        #expect(quota.available == 495)
        #expect(quota.acquire(timeout: true) == 10)    // retry after a timeout: 485
        #expect(quota.available == 485)
        quota.success(retryCost: 10)                   // that retry succeeded: refund 10 → 495
        #expect(quota.available == 495)
        quota.success(retryCost: nil)                  // a success without retry: +1 → 496
        #expect(quota.available == 496)
        for _ in 0..<10 { quota.success(retryCost: nil) }
        #expect(quota.available == 500)                // never above the capacity
    }

    /// Once the bucket cannot pay, retries are refused and cost nothing.
    @Test func awsQuotaRefusesWhenEmpty() throws {
        var quota = try AWSRetryQuota(capacity: 12)
        #expect(quota.acquire(timeout: false) == 5)    // 7
        #expect(quota.acquire(timeout: false) == 5)    // 2
        #expect(quota.acquire(timeout: false) == nil)  // 2 < 5: refused, still 2
        #expect(quota.available == 2)
        quota.success(retryCost: nil)                  // 3
        #expect(quota.acquire(timeout: true) == nil)   // 3 < 10
        #expect(quota.available == 3)
        #expect(throws: PollingCoreError.invalidField("capacity", "must be an integer >= 1 (tokens), got 0")) { try AWSRetryQuota(capacity: 0) }
        #expect(throws: PollingCoreError.self) { try AWSRetryQuota(retryCost: -1) }
    }

    /// gRPC maxTokens 10, tokenRatio 0.1: a retry only while the count stays above 5.
    @Test func grpcThrottleSequence() throws {
        var throttle = try GRPCRetryThrottle(maxTokens: 10, tokenRatio: 0.1)
        #expect(throttle.tokens == 10)
        #expect([throttle.failure(), throttle.failure(), throttle.failure(), throttle.failure()] == [true, true, true, true])
        #expect(throttle.tokens == 6)
        #expect(throttle.failure() == false)           // 5 is not above 5
        throttle.success()                             // 5.1
        #expect(throttle.tokens == 5.1)
        #expect(throttle.failure() == false)           // 4.1
        for _ in 0..<10 { throttle.success() }         // 5.1 exactly (thousandths, no drift)
        #expect(throttle.tokens == 5.1)
        for _ in 0..<10 { _ = throttle.failure() }
        #expect(throttle.tokens == 0)                  // never below 0
        for _ in 0..<200 { throttle.success() }
        #expect(throttle.tokens == 10)                 // never above maxTokens
    }

    @Test func grpcLimitsFromTheGRFC() {
        for (maxTokens, ratio, field) in [(0, 0.1, "max_tokens"), (1001, 0.1, "max_tokens"), (10, 0, "token_ratio"),
                                          (10, 0.0005, "token_ratio"), (10, -1, "token_ratio")] {
            do {
                _ = try GRPCRetryThrottle(maxTokens: maxTokens, tokenRatio: ratio)
                Issue.record("accepted \(maxTokens), \(ratio)")
            } catch {
                #expect(error.field == field)
            }
        }
        #expect((try? GRPCRetryThrottle(maxTokens: 1000, tokenRatio: 0.001)) != nil)
    }

    typealias Loop = PollLoop<ConstantStrategy>
    static let unavailable = Loop.CallResult.failure(code: "http_503", httpStatus: 503, transient: true, retryAfter: nil)
    static let pending = Loop.CallResult.status(.pending, httpStatus: 200, hint: nil)

    static func outcome(_ action: Loop.Action) -> String? {
        if case .finish(let trace) = action { return "\(trace.outcome.rawValue):\(trace.errorCode ?? "")" }
        return nil
    }

    /// One AWS quota (capacity 10, cost 5) shared by two trials: trial 1 retries twice (10 → 5 → 0)
    /// and its third failure is refused; trial 2's pending answer refunds 1 (→ 1), and its first
    /// failure is refused (1 < 5).
    @Test func sharedQuotaInThePollLoop() throws {
        let budget = RetryBudget(.awsQuota(try AWSRetryQuota(capacity: 10)))
        var rng = SeededGenerator(seed: 1)
        var first = Loop(strategy: ConstantStrategy(interval: 1), budget: budget)
        _ = first.start(using: &rng)
        #expect(Self.outcome(first.received(Self.unavailable, sent: .zero, received: .milliseconds(1), using: &rng)) == nil)
        #expect(Self.outcome(first.received(Self.unavailable, sent: .milliseconds(10), received: .milliseconds(11), using: &rng)) == nil)
        #expect(Self.outcome(first.received(Self.unavailable, sent: .milliseconds(20), received: .milliseconds(21), using: &rng))
                == "failed:retry_quota_exhausted")
        var second = Loop(strategy: ConstantStrategy(interval: 1), budget: budget)
        _ = second.start(using: &rng)
        #expect(Self.outcome(second.received(Self.pending, sent: .zero, received: .milliseconds(1), using: &rng)) == nil)
        guard case .awsQuota(let quota) = budget.current else { Issue.record("kind changed"); return }
        #expect(quota.available == 1)
        #expect(Self.outcome(second.received(Self.unavailable, sent: .seconds(1), received: .milliseconds(1001), using: &rng))
                == "failed:retry_quota_exhausted")
    }

    /// gRPC throttling maxTokens 4 in the loop: failure 1 → 3 (> 2, retry), failure 2 → 2 (refused).
    @Test func throttleInThePollLoop() throws {
        let budget = RetryBudget(.grpcThrottle(try GRPCRetryThrottle(maxTokens: 4, tokenRatio: 0.5)))
        var rng = SeededGenerator(seed: 1)
        var loop = Loop(strategy: ConstantStrategy(interval: 1), budget: budget)
        _ = loop.start(using: &rng)
        #expect(Self.outcome(loop.received(Self.unavailable, sent: .zero, received: .milliseconds(1), using: &rng)) == nil)
        #expect(Self.outcome(loop.received(Self.pending, sent: .milliseconds(10), received: .milliseconds(11), using: &rng)) == nil)
        // 3 + 0.5 = 3.5; failure → 2.5 (> 2, retry); failure → 1.5 (refused).
        #expect(Self.outcome(loop.received(Self.unavailable, sent: .seconds(1), received: .milliseconds(1001), using: &rng)) == nil)
        #expect(Self.outcome(loop.received(Self.unavailable, sent: .seconds(2), received: .milliseconds(2001), using: &rng))
                == "failed:retry_quota_exhausted")
    }
}
