import PollingCore

extension MockJobServer {
    /// Server-wide fault injection on `GET /jobs/{id}` (off by default).
    ///
    /// Each status request of a job without a fault script draws its fault from a generator
    /// seeded with (server seed, job number, the job's request sequence number), so a given
    /// job's `k`-th request gets the same fault whatever the interleaving of requests.
    ///
    /// Keys (snake_case; every key optional; unknown keys are rejected):
    /// - rates, probabilities per status request in [0, 1], summing to at most 1:
    ///   `error_429`, `error_500`, `error_502`, `error_503`, `error_504` (that status with a JSON
    ///   error body), `hang` (no answer; the connection is dropped after `hang_cap_s`), `reset`
    ///   (connection closed without a response), `slow_body` (the normal body trickled over
    ///   `slow_body_ms`), `empty_body`, `malformed_body` (truncated JSON), `unknown_status`
    ///   (`"status": "paused"`), `backwards` (`pending` although the job is final);
    /// - `retry_after`: integer seconds sent as `Retry-After` with injected error statuses
    ///   (default none);
    /// - `latency`: added latency, `{"fixed_ms": 20}` or `{"min_ms": 5, "max_ms": 50}`
    ///   (default none); `latency_rate`: the probability it applies to a request (default 1);
    /// - `hang_cap_s`: seconds a hung request is held before the server drops it (default 60,
    ///   0 < cap <= 3600); `slow_body_ms`: how long a slow body takes (default 1000 ms).
    public struct FaultConfiguration: Codable, Sendable, Hashable {
        /// Probability of `429 Too Many Requests`. Default 0.
        public var error429: Double = 0
        /// Probability of `500 Internal Server Error`. Default 0.
        public var error500: Double = 0
        /// Probability of `502 Bad Gateway`. Default 0.
        public var error502: Double = 0
        /// Probability of `503 Service Unavailable`. Default 0.
        public var error503: Double = 0
        /// Probability of `504 Gateway Timeout`. Default 0.
        public var error504: Double = 0
        /// Probability that the request hangs. Default 0.
        public var hang: Double = 0
        /// Probability that the connection is reset. Default 0.
        public var reset: Double = 0
        /// Probability of a slowly trickled body. Default 0.
        public var slowBody: Double = 0
        /// Probability of `200` with an empty body. Default 0.
        public var emptyBody: Double = 0
        /// Probability of `200` with truncated JSON. Default 0.
        public var malformedBody: Double = 0
        /// Probability of `200` with an unknown status value. Default 0.
        public var unknownStatus: Double = 0
        /// Probability of `pending` for a final job. Default 0.
        public var backwards: Double = 0
        /// `Retry-After` seconds on injected error statuses; `nil` (default) for none.
        public var retryAfter: Int?
        /// Added latency; `nil` (default) for none.
        public var latency: LatencyDistribution?
        /// Probability that `latency` applies to a request. Default 1.
        public var latencyRate: Double = 1
        /// Seconds a hung request is held before the connection is dropped. Default 60.
        public var hangCapSeconds: Double = 60
        /// Milliseconds a slow body takes from first to last byte. Default 1000.
        public var slowBodyMs: Double = 1000

        /// Creates a configuration with no faults; set the properties you need.
        public init() {}

        enum CodingKeys: String, CodingKey, CaseIterable {
            case error429 = "error_429", error500 = "error_500", error502 = "error_502"
            case error503 = "error_503", error504 = "error_504"
            case hang, reset, slowBody = "slow_body", emptyBody = "empty_body"
            case malformedBody = "malformed_body", unknownStatus = "unknown_status", backwards
            case retryAfter = "retry_after", latency, latencyRate = "latency_rate"
            case hangCapSeconds = "hang_cap_s", slowBodyMs = "slow_body_ms"
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        /// Decodes the keys documented on the type; missing keys keep their defaults.
        /// - Throws: `DecodingError` naming an unknown key, a mistyped key or (as
        ///   `dataCorrupted` at that key) a value that `validate()` rejects.
        public init(from decoder: any Decoder) throws {
            let known = Set(CodingKeys.allCases.map(\.stringValue))
            let any = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = any.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath + [AnyKey(stringValue: unknown)],
                    debugDescription: "unknown fault setting '\(unknown)'; known: \(known.sorted().joined(separator: ", "))"))
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            for key in Self.rateKeys {
                if let value = try c.decodeIfPresent(Double.self, forKey: key) { self[rate: key] = value }
            }
            retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter)
            latency = try c.decodeIfPresent(LatencyDistribution.self, forKey: .latency)
            latencyRate = try c.decodeIfPresent(Double.self, forKey: .latencyRate) ?? 1
            hangCapSeconds = try c.decodeIfPresent(Double.self, forKey: .hangCapSeconds) ?? 60
            slowBodyMs = try c.decodeIfPresent(Double.self, forKey: .slowBodyMs) ?? 1000
            if let (field, message) = problem() {
                let path = field.split(separator: ".").map { AnyKey(stringValue: String($0)) }
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + path, debugDescription: message))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            for key in Self.rateKeys where self[rate: key] != 0 { try c.encode(self[rate: key], forKey: key) }
            try c.encodeIfPresent(retryAfter, forKey: .retryAfter)
            try c.encodeIfPresent(latency, forKey: .latency)
            try c.encode(latencyRate, forKey: .latencyRate)
            try c.encode(hangCapSeconds, forKey: .hangCapSeconds)
            try c.encode(slowBodyMs, forKey: .slowBodyMs)
        }

        /// Checks every field.
        /// - Throws: `MockJobServerError.invalidField` naming the key (e.g. `error_503`,
        ///   `latency.max_ms`); a rate sum above 1 names `rates`.
        public func validate() throws(MockJobServerError) {
            if let (field, message) = problem() { throw .invalidField(field, message) }
        }

        /// Whether any fault or latency is configured.
        public var isActive: Bool {
            Self.rateKeys.contains { self[rate: $0] > 0 } || (latency != nil && latencyRate > 0 && (latency?.maxMs ?? 0) > 0)
        }

        /// The rate keys in draw order (the order of the cumulative table).
        static let rateKeys: [CodingKeys] = [
            .error429, .error500, .error502, .error503, .error504, .hang, .reset, .slowBody, .emptyBody,
            .malformedBody, .unknownStatus, .backwards,
        ]

        subscript(rate key: CodingKeys) -> Double {
            get {
                switch key {
                case .error429: error429
                case .error500: error500
                case .error502: error502
                case .error503: error503
                case .error504: error504
                case .hang: hang
                case .reset: reset
                case .slowBody: slowBody
                case .emptyBody: emptyBody
                case .malformedBody: malformedBody
                case .unknownStatus: unknownStatus
                case .backwards: backwards
                default: 0
                }
            }
            set {
                switch key {
                case .error429: error429 = newValue
                case .error500: error500 = newValue
                case .error502: error502 = newValue
                case .error503: error503 = newValue
                case .error504: error504 = newValue
                case .hang: hang = newValue
                case .reset: reset = newValue
                case .slowBody: slowBody = newValue
                case .emptyBody: emptyBody = newValue
                case .malformedBody: malformedBody = newValue
                case .unknownStatus: unknownStatus = newValue
                case .backwards: backwards = newValue
                default: break
                }
            }
        }

        /// The fault a rate key injects.
        static func fault(for key: CodingKeys, retryAfter: Int?) -> ScriptedFault {
            switch key {
            case .error429: .error(429, retryAfter: retryAfter)
            case .error500: .error(500, retryAfter: retryAfter)
            case .error502: .error(502, retryAfter: retryAfter)
            case .error503: .error(503, retryAfter: retryAfter)
            case .error504: .error(504, retryAfter: retryAfter)
            case .hang: ScriptedFault(kind: .hang)
            case .reset: ScriptedFault(kind: .reset)
            case .slowBody: ScriptedFault(kind: .slowBody)
            case .emptyBody: ScriptedFault(kind: .emptyBody)
            case .malformedBody: ScriptedFault(kind: .malformedBody)
            case .unknownStatus: ScriptedFault(kind: .unknownStatus)
            case .backwards: ScriptedFault(kind: .backwards)
            default: ScriptedFault(kind: .ok)
            }
        }

        /// The first problem: (field path, message), or `nil` when valid.
        private func problem() -> (String, String)? {
            for key in Self.rateKeys + [.latencyRate] {
                let value = key == .latencyRate ? latencyRate : self[rate: key]
                guard value.isFinite, (0...1).contains(value) else {
                    return (key.stringValue, "must be a probability in [0, 1], got \(value)")
                }
            }
            let total = Self.rateKeys.reduce(0) { $0 + self[rate: $1] }
            guard total <= 1 + 1e-12 else {
                return ("rates", "the fault rates (error_429 ... backwards) sum to \(total) > 1; lower them")
            }
            if let retryAfter, retryAfter < 0 {
                return ("retry_after", "must be an integer number of seconds >= 0, got \(retryAfter)")
            }
            if let (field, message) = latency?.problem() { return ("latency.\(field)", message) }
            guard hangCapSeconds.isFinite, hangCapSeconds > 0, hangCapSeconds <= 3600 else {
                return ("hang_cap_s", "must be a number of seconds in (0, 3600], got \(hangCapSeconds)")
            }
            guard slowBodyMs.isFinite, (0...ScriptedFault.maxDelayMs).contains(slowBodyMs) else {
                return ("slow_body_ms", "must be a number of milliseconds in 0...\(Int(ScriptedFault.maxDelayMs)), got \(slowBodyMs)")
            }
            return nil
        }
    }
}
