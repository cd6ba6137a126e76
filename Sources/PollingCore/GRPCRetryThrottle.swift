/// gRPC retry throttling (gRFC A6 "gRPC Retry Design", service config `retryThrottling`) as a
/// pure state machine.
///
/// The token count starts at `maxTokens`. Every failed call subtracts 1 (never below 0), every
/// successful call adds `tokenRatio` (never above `maxTokens`); a retry is allowed only while the
/// count is above `maxTokens / 2`. Counts are kept in thousandths, as gRPC does (`tokenRatio` has
/// at most three decimals), so the arithmetic is exact.
///
/// Limits from gRFC A6: `maxTokens` in 1…1000, `tokenRatio` > 0 with at most three decimals.
/// gRPC has no default; `init()` uses the example of the gRFC (`maxTokens` 10, `tokenRatio` 0.1).
public struct GRPCRetryThrottle: Sendable, Hashable {
    /// Thousandths of a token.
    private var milli: Int
    private let maxMilli: Int
    private let ratioMilli: Int

    /// The configured `maxTokens`.
    public var maxTokens: Int { maxMilli / 1000 }
    /// The configured `tokenRatio`.
    public var tokenRatio: Double { Double(ratioMilli) / 1000 }
    /// Tokens now.
    public var tokens: Double { Double(milli) / 1000 }

    /// - Throws: `PollingCoreError.invalidField` naming `max_tokens` (1…1000) or `token_ratio`
    ///   (> 0, at most three decimals).
    public init(maxTokens: Int = 10, tokenRatio: Double = 0.1) throws(PollingCoreError) {
        guard (1...1000).contains(maxTokens) else {
            throw .invalidField("max_tokens", "must be an integer in 1...1000 (gRFC A6), got \(maxTokens)")
        }
        let scaled = (tokenRatio * 1000).rounded()
        guard tokenRatio.isFinite, tokenRatio > 0, scaled <= 1_000_000, abs(tokenRatio * 1000 - scaled) < 1e-6 else {
            throw .invalidField("token_ratio", "must be a number > 0 with at most three decimals (gRFC A6), got \(tokenRatio)")
        }
        self.maxMilli = maxTokens * 1000
        self.ratioMilli = Int(scaled)
        self.milli = maxTokens * 1000
    }

    /// Records a failed call; then tells whether a retry is allowed (count > `maxTokens / 2`).
    public mutating func failure() -> Bool {
        milli = max(0, milli - 1000)
        return milli * 2 > maxMilli
    }

    /// Records a successful call.
    public mutating func success() {
        milli = min(maxMilli, milli + ratioMilli)
    }
}
