import PollingCore
import Yams

/// The client-side retry budget of an arm: the `retry:` block of an experiment file (one block
/// for the experiment, overridable per arm). Each arm gets its own budget, shared by all of its
/// trials (`RetryBudget`); every call an arm sends counts as one of its calls, refused retries
/// end the trial `failed` with `retry_quota_exhausted`.
///
/// It also bounds the retry layer (`RetryPolicy`) of the arm's trials:
/// `max_attempts` is how many attempts one status call gets in a row, the first included
/// (1 … 1 000, default 6: five retries of consecutive transient failures, then
/// `retries_exhausted`), and `max_delay` the longest the client waits before a retry or after a
/// server hint, in seconds (> 0, default 120): a larger `Retry-After` is cut to it, and a wait
/// that would reach the trial's deadline is not made (the trial ends at once).
///
/// ```yaml
/// retry:
///   max_attempts: 6
///   max_delay: 120
///   quota: aws               # AWS SDK retry quota with its published constants, or
///                            # {capacity: 500, retry_cost: 5, timeout_cost: 10, no_retry_increment: 1}
///   throttling: {max_tokens: 10, token_ratio: 0.1}   # gRPC retry throttling (gRFC A6)
/// ```
/// At most one of `quota` and `throttling`; an arm's `retry:` replaces the keys it names, and
/// `quota: none` / `throttling: none` turns one off for that arm.
public struct RetrySettings: Sendable, Hashable {
    /// The AWS SDK retry quota, in its starting (full) state; `nil` = none.
    public var quota: AWSRetryQuota?
    /// gRPC retry throttling, in its starting state; `nil` = none.
    public var throttling: GRPCRetryThrottle?
    /// Attempts of one status call in a row, the first included; `nil` = `RetryPolicy`'s default
    /// (its `budget` + 1 = 6).
    public var maxAttempts: Int?
    /// The longest wait before a retry or after a hint, seconds; `nil` = `RetryPolicy`'s default
    /// (120 s).
    public var maxDelay: Double?

    public init(quota: AWSRetryQuota? = nil, throttling: GRPCRetryThrottle? = nil, maxAttempts: Int? = nil,
                maxDelay: Double? = nil) {
        self.quota = quota
        self.throttling = throttling
        self.maxAttempts = maxAttempts
        self.maxDelay = maxDelay
    }

    /// `base` with `max_attempts` and `max_delay` applied.
    public func policy(over base: RetryPolicy = RetryPolicy()) -> RetryPolicy {
        var policy = base
        if let maxAttempts { policy.budget = maxAttempts - 1 }
        if let maxDelay { policy.maxDelay = .clampedSeconds(maxDelay) }
        return policy
    }

    /// A fresh budget for one arm, or `nil` when neither is set.
    public func makeBudget() -> RetryBudget? {
        if let quota { return RetryBudget(.awsQuota(quota)) }
        if let throttling { return RetryBudget(.grpcThrottle(throttling)) }
        return nil
    }

    static let keys = ["quota", "throttling", "max_attempts", "max_delay"]

    /// Parses a `retry:` block over `base` (the experiment's block, for an arm's override).
    /// - Throws: `ExperimentError.invalidField` naming `retry.quota.retry_cost`, … and the fix.
    static func parse(_ fields: FieldReader, over base: RetrySettings = RetrySettings()) throws -> RetrySettings {
        try fields.allow(keys)
        var settings = base
        if fields.value("max_attempts") != nil {
            settings.maxAttempts = try fields.integer("max_attempts", range: 1...1_000)
        }
        if fields.value("max_delay") != nil {
            settings.maxDelay = try fields.seconds("max_delay", positive: true)
        }
        if let node = fields.value("quota") {
            if node.string == "none" {
                settings.quota = nil
            } else if node.string == "aws" {
                settings.quota = try AWSRetryQuota()
            } else {
                guard node.mapping != nil else {
                    throw fields.invalid("quota", "must be 'aws' (published constants), 'none', or a mapping of capacity, retry_cost, timeout_cost, no_retry_increment")
                }
                let q = try fields.mapping("quota")
                try q.allow(["capacity", "retry_cost", "timeout_cost", "no_retry_increment"])
                settings.quota = try q.checked {
                    try AWSRetryQuota(capacity: try q.integer("capacity", default: 500, range: 1...1_000_000_000),
                                      retryCost: try q.integer("retry_cost", default: 5, range: 0...1_000_000_000),
                                      timeoutRetryCost: try q.integer("timeout_cost", default: 10, range: 0...1_000_000_000),
                                      noRetryIncrement: try q.integer("no_retry_increment", default: 1, range: 0...1_000_000_000))
                }
            }
        }
        if let node = fields.value("throttling") {
            if node.string == "none" {
                settings.throttling = nil
            } else {
                guard node.mapping != nil else {
                    throw fields.invalid("throttling", "must be 'none' or a mapping {max_tokens: 1…1000, token_ratio: > 0} (gRFC A6)")
                }
                let t = try fields.mapping("throttling")
                try t.allow(["max_tokens", "token_ratio"])
                settings.throttling = try t.checked {
                    try GRPCRetryThrottle(maxTokens: try t.integer("max_tokens", range: Int.min...Int.max),
                                          tokenRatio: try t.number("token_ratio"))
                }
            }
        }
        if settings.quota != nil, settings.throttling != nil {
            throw fields.invalid(fields.value("throttling") != nil ? "throttling" : "quota",
                                 "choose one retry budget: quota (AWS) or throttling (gRPC), not both; set the other to none")
        }
        return settings
    }
}

extension Experiment {
    /// The poll loop's settings for `arm`'s trials, live or simulated: the experiment's deadline
    /// and request timeout, and the arm's `retry:` bounds.
    func pollLoopConfiguration(for arm: Arm) -> PollLoopConfiguration {
        PollLoopConfiguration(deadline: scaledTimeout.map { .clampedSeconds($0) },
                              requestTimeout: .clampedSeconds(requestTimeout), retry: arm.retry.policy())
    }
}
