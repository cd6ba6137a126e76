import PollingCore

extension MockJobServer {
    /// Added latency of a status response, in milliseconds: uniform on [`minMs`, `maxMs`]
    /// (fixed when they are equal).
    ///
    /// Keys: `{"fixed_ms": 20}` or `{"min_ms": 5, "max_ms": 50}` (0...600000 ms).
    public struct LatencyDistribution: Codable, Sendable, Hashable {
        /// Smallest added latency in milliseconds.
        public var minMs: Double
        /// Largest added latency in milliseconds.
        public var maxMs: Double

        /// A uniform distribution on [`minMs`, `maxMs`] milliseconds.
        public init(minMs: Double, maxMs: Double) {
            self.minMs = minMs
            self.maxMs = maxMs
        }

        /// A fixed latency of `ms` milliseconds.
        public static func fixed(_ ms: Double) -> LatencyDistribution { LatencyDistribution(minMs: ms, maxMs: ms) }

        enum CodingKeys: String, CodingKey {
            case fixedMs = "fixed_ms", minMs = "min_ms", maxMs = "max_ms"
        }

        /// Decodes `fixed_ms` or `min_ms` + `max_ms`.
        /// - Throws: `DecodingError` naming the key that is missing, mistyped or out of range.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if let fixed = try c.decodeIfPresent(Double.self, forKey: .fixedMs) {
                guard !c.contains(.minMs), !c.contains(.maxMs) else {
                    throw DecodingError.dataCorruptedError(forKey: .fixedMs, in: c,
                                                           debugDescription: "give either fixed_ms or min_ms and max_ms, not both")
                }
                self = .fixed(fixed)
            } else {
                self.init(minMs: try c.decode(Double.self, forKey: .minMs), maxMs: try c.decode(Double.self, forKey: .maxMs))
            }
            if let (field, message) = problem() {
                let key: CodingKeys = c.contains(.fixedMs) ? .fixedMs : (field == "min_ms" ? .minMs : .maxMs)
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(minMs, forKey: .minMs)
            try c.encode(maxMs, forKey: .maxMs)
        }

        /// The first problem: (field `min_ms` or `max_ms`, message), or `nil` when valid.
        func problem() -> (String, String)? {
            let limit = ScriptedFault.maxDelayMs
            for (name, value) in [("min_ms", minMs), ("max_ms", maxMs)] where !(value.isFinite && (0...limit).contains(value)) {
                return (name, "must be a number of milliseconds in 0...\(Int(limit)), got \(value)")
            }
            guard maxMs >= minMs else { return ("max_ms", "must be >= min_ms (\(minMs)), got \(maxMs)") }
            return nil
        }

        /// A draw in milliseconds from `u` in [0, 1).
        func milliseconds(_ u: Double) -> Double { minMs + (maxMs - minMs) * u }
    }
}
