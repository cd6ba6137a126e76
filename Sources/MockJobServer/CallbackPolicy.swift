import Foundation
import PollingCore

extension MockJobServer {
    /// How the server delivers a job's webhook callback (the `callback_url` of `POST /jobs`).
    ///
    /// When the job ends (completion, error or cancellation; a cancellation is seen at the
    /// latest when the job would have finished) the server POSTs the job's final status, the
    /// same JSON body as `GET /jobs/{id}`, to the URL. An attempt succeeds when the receiver
    /// answers any 2xx within `attemptTimeout`; otherwise the server retries with exponential
    /// backoff, `initialDelay · multiplier^(k−1)` after the k-th failure, at most `attempts`
    /// attempts in all. Defaults (exponential 0.1 s × 2, 5 attempts, 1 s each): attempts start
    /// at completion + 0, 0.1, 0.3, 0.7 and 1.5 s plus the time earlier attempts took, so a
    /// receiver that never answers is given up at most 1.5 s + 5 × 1 s after completion.
    /// Every attempt is counted (`PushCounts`).
    public struct CallbackPolicy: Sendable, Hashable {
        /// Attempts in all (≥ 1). Default 5.
        public var attempts: Int
        /// The wait after the first failed attempt. Default 0.1 s.
        public var initialDelay: Duration
        /// Growth of the wait per further failure (≥ 1). Default 2.
        public var multiplier: Double
        /// Bound on one attempt (connect, send, answer). Default 1 s.
        public var attemptTimeout: Duration

        /// - Parameters: see the properties.
        public init(attempts: Int = 5, initialDelay: Duration = .milliseconds(100), multiplier: Double = 2,
                    attemptTimeout: Duration = .seconds(1)) {
            self.attempts = attempts
            self.initialDelay = initialDelay
            self.multiplier = multiplier
            self.attemptTimeout = attemptTimeout
        }

        /// The wait before attempt `k` (from 1 for the first retry): `initialDelay · multiplier^(k−1)`.
        public func delay(beforeRetry k: Int) -> Duration {
            .clampedSeconds(initialDelay.seconds * pow(multiplier, Double(k - 1)))
        }

        /// - Throws: `MockJobServerError.invalidConfiguration` naming `callbacks.<field>`.
        func validate() throws(MockJobServerError) {
            guard (1...100).contains(attempts) else {
                throw .invalidConfiguration("callbacks.attempts", "must be in 1...100, got \(attempts)")
            }
            guard initialDelay >= .zero else {
                throw .invalidConfiguration("callbacks.initial_delay", "must be >= 0 seconds, got \(initialDelay)")
            }
            guard multiplier >= 1, multiplier.isFinite else {
                throw .invalidConfiguration("callbacks.multiplier", "must be a finite number >= 1, got \(multiplier)")
            }
            guard attemptTimeout > .zero else {
                throw .invalidConfiguration("callbacks.attempt_timeout", "must be > 0 seconds, got \(attemptTimeout)")
            }
        }
    }
}
