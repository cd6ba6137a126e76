/// The AWS SDKs' retry quota (standard and adaptive retry modes) as a pure state machine.
///
/// A bucket of `capacity` tokens, full at start. A retry after a failed call must first acquire
/// `retryCost` tokens (`timeoutRetryCost` when the failure was a timeout); when the bucket holds
/// fewer, no retry is made. A successful call refunds: the cost its own retry acquired if it was
/// a retry, else `noRetryIncrement`; the bucket never exceeds `capacity`.
///
/// Defaults are the published constants: 500 tokens, 5 per retry, 10 per retry after a timeout,
/// 1 per success without retry (botocore `retries/standard.py` `RetryQuotaChecker` and
/// `retries/quota.py`; aws-sdk-js-v3 `@smithy/util-retry` constants `INITIAL_RETRY_TOKENS`,
/// `RETRY_COST`, `TIMEOUT_RETRY_COST`, `NO_RETRY_INCREMENT`).
public struct AWSRetryQuota: Sendable, Hashable {
    /// The bucket size and starting tokens. Default 500.
    public var capacity: Int
    /// Tokens a retry costs. Default 5.
    public var retryCost: Int
    /// Tokens a retry after a timeout costs. Default 10.
    public var timeoutRetryCost: Int
    /// Tokens a success without a retry refunds. Default 1.
    public var noRetryIncrement: Int
    /// Tokens in the bucket now.
    public private(set) var available: Int

    /// - Throws: `PollingCoreError.invalidField` naming `capacity`, `retry_cost`, `timeout_cost`
    ///   or `no_retry_increment` unless capacity ≥ 1 and the others ≥ 0.
    public init(capacity: Int = 500, retryCost: Int = 5, timeoutRetryCost: Int = 10, noRetryIncrement: Int = 1) throws(PollingCoreError) {
        guard capacity >= 1 else { throw .invalidField("capacity", "must be an integer >= 1 (tokens), got \(capacity)") }
        for (name, value) in [("retry_cost", retryCost), ("timeout_cost", timeoutRetryCost), ("no_retry_increment", noRetryIncrement)] where value < 0 {
            throw .invalidField(name, "must be an integer >= 0 (tokens), got \(value)")
        }
        self.capacity = capacity
        self.retryCost = retryCost
        self.timeoutRetryCost = timeoutRetryCost
        self.noRetryIncrement = noRetryIncrement
        self.available = capacity
    }

    /// Asks for a retry after a failed call.
    /// - Parameter timeout: whether the failure was a timeout.
    /// - Returns: the tokens acquired (to refund if the retry succeeds), or `nil`: no retry.
    public mutating func acquire(timeout: Bool) -> Int? {
        let cost = timeout ? timeoutRetryCost : retryCost
        guard cost <= available else { return nil }
        available -= cost
        return cost
    }

    /// Records a successful call.
    /// - Parameter retryCost: what `acquire` returned for the retry that succeeded, or `nil` for
    ///   a call that was not a retry.
    public mutating func success(retryCost: Int?) {
        available = min(capacity, available + (retryCost ?? noRetryIncrement))
    }
}
