/// A server's finite capacity for status requests: the `capacity:` settings of an experiment
/// file's `server:` section and of `job-server`, applied by `ServerLimiter` alike by the live
/// mock server and by the simulator.
///
/// Two independent limits, either or both:
/// - a **token bucket** (`rate` requests per second refill, `burst` tokens, full at start): a
///   request that finds less than one token is refused `429 Too Many Requests` with
///   `Retry-After` = the time until the next token;
/// - a **concurrency limit** with a FIFO queue: at most `concurrency` requests in service at
///   once, each for `serviceTime`; up to `maxQueue` more wait their turn; a request that finds
///   every slot busy and the queue full is refused `503 Service Unavailable`.
///
/// `perClient`: each client (the value of the `X-Client-Id` request header; requests without it
/// share one client) gets its own bucket and its own slots and queue; otherwise one set serves
/// everyone.
///
/// JSON / YAML form (also what `GET /stats` reports): `{"rate": 100, "burst": 20,
/// "concurrency": 8, "service_time": 0.01, "max_queue": 64, "per_client": false}`, every key
/// optional, times in seconds; unknown keys are refused.
public struct ServerCapacity: Sendable, Hashable, Codable {
    /// Token refill rate, requests per second; `nil` = no rate limit.
    public var rate: Double?
    /// Bucket size (tokens), ≥ 1; the bucket starts full. Default: `max(1, rate)` (one second's worth).
    public var burst: Double
    /// Requests in service at once; `nil` = no concurrency limit (and no service time).
    public var concurrency: Int?
    /// Time one request spends in service when `concurrency` is set. Default zero.
    public var serviceTime: Duration
    /// Requests that may wait for a slot; beyond, 503. Default 0 (no queue).
    public var maxQueue: Int
    /// One bucket / queue per client id (header `X-Client-Id`) instead of one for all. Default `false`.
    public var perClient: Bool

    /// The header naming the client for `perClient` limits: `X-Client-Id`.
    public static let clientHeader = "x-client-id"

    /// - Parameters: see the properties; `burst` defaults to `max(1, rate ?? 1)`.
    public init(rate: Double? = nil, burst: Double? = nil, concurrency: Int? = nil, serviceTime: Duration = .zero,
                maxQueue: Int = 0, perClient: Bool = false) {
        self.rate = rate
        self.burst = burst ?? max(1, rate ?? 1)
        self.concurrency = concurrency
        self.serviceTime = serviceTime
        self.maxQueue = maxQueue
        self.perClient = perClient
    }

    /// `true` when no limit is set (every request is served at once).
    public var isUnlimited: Bool { rate == nil && concurrency == nil }

    /// Checks every field.
    /// - Throws: `PollingCoreError.invalidField` naming `rate`, `burst`, `concurrency`,
    ///   `service_time` or `max_queue`, with the allowed range.
    public func validate() throws(PollingCoreError) {
        if let rate, !(rate.isFinite && rate > 0) {
            throw .invalidField("rate", "must be a finite number of requests per second > 0, got \(rate)")
        }
        guard burst.isFinite, burst >= 1 else {
            throw .invalidField("burst", "must be a finite number of tokens >= 1, got \(burst)")
        }
        if let concurrency, concurrency < 1 {
            throw .invalidField("concurrency", "must be an integer >= 1 (requests in service at once), got \(concurrency)")
        }
        guard serviceTime >= .zero else {
            throw .invalidField("service_time", "must be >= 0 seconds, got \(serviceTime)")
        }
        guard maxQueue >= 0 else { throw .invalidField("max_queue", "must be an integer >= 0, got \(maxQueue)") }
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rate, burst, concurrency, serviceTime = "service_time", maxQueue = "max_queue", perClient = "per_client"
    }

    /// Decodes the JSON / YAML form; unknown keys are refused (a typo must not silently mean
    /// "unlimited"). Call `validate()` afterwards for the ranges.
    /// - Throws: `DecodingError.dataCorrupted` naming an unknown key, or a type mismatch.
    public init(from decoder: any Decoder) throws {
        let known = try decoder.container(keyedBy: AnyKey.self)
        for key in known.allKeys where CodingKeys(rawValue: key.stringValue) == nil {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [key],
                debugDescription: "unknown capacity setting '\(key.stringValue)' (use: \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(rate: try c.decodeIfPresent(Double.self, forKey: .rate),
                  burst: try c.decodeIfPresent(Double.self, forKey: .burst),
                  concurrency: try c.decodeIfPresent(Int.self, forKey: .concurrency),
                  serviceTime: .clampedSeconds(try c.decodeIfPresent(Double.self, forKey: .serviceTime) ?? 0),
                  maxQueue: try c.decodeIfPresent(Int.self, forKey: .maxQueue) ?? 0,
                  perClient: try c.decodeIfPresent(Bool.self, forKey: .perClient) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(rate, forKey: .rate)
        try c.encode(burst, forKey: .burst)
        try c.encodeIfPresent(concurrency, forKey: .concurrency)
        try c.encode(serviceTime.seconds, forKey: .serviceTime)
        try c.encode(maxQueue, forKey: .maxQueue)
        try c.encode(perClient, forKey: .perClient)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
