import PollingCore

/// `POST /request` body of the seed's API: each key may be `null` or missing, meaning the
/// server's default (`Configuration.defaultParameters`); the seed's own client sends
/// `"success_rate": null`.
public struct SeedCreateRequest: Codable, Sendable, Hashable {
    /// Base duration in seconds, or `nil` for the default.
    public var baseDelay: Double?
    /// Variation in seconds, or `nil` for the default.
    public var varDelay: Double?
    /// Success probability in [0, 1], or `nil` for the default.
    public var successRate: Double?

    /// Creates a request; `nil` fields take the server's defaults.
    public init(baseDelay: Double? = nil, varDelay: Double? = nil, successRate: Double? = nil) {
        self.baseDelay = baseDelay
        self.varDelay = varDelay
        self.successRate = successRate
    }

    enum CodingKeys: String, CodingKey {
        case baseDelay = "base_delay", varDelay = "var_delay", successRate = "success_rate"
    }

    /// The parameters with `nil` fields filled from `defaults` (duration model from `defaults`).
    public func parameters(defaults: JobParameters) -> JobParameters {
        JobParameters(baseDelay: baseDelay ?? defaults.baseDelay, varDelay: varDelay ?? defaults.varDelay,
                      successRate: successRate ?? defaults.successRate, durationModel: defaults.durationModel)
    }
}

/// `POST /request` → `200` body: `{"result": {"request_time", "end_time", "end_status", "delay"}}`.
public struct SeedCreateResponse: Codable, Sendable, Hashable {
    /// The created job as the seed reports it.
    public struct Result: Codable, Sendable, Hashable {
        /// Wall-clock creation time, seconds since 1970 (server clock).
        public var requestTime: Double
        /// `requestTime + delay`, seconds since 1970.
        public var endTime: Double
        /// The outcome the job will end with, `completed` or `error`.
        public var endStatus: JobStatus
        /// The planned duration in seconds.
        public var delay: Double

        /// Creates a result.
        public init(requestTime: Double, endTime: Double, endStatus: JobStatus, delay: Double) {
            self.requestTime = requestTime
            self.endTime = endTime
            self.endStatus = endStatus
            self.delay = delay
        }

        enum CodingKeys: String, CodingKey {
            case requestTime = "request_time", endTime = "end_time", endStatus = "end_status", delay
        }
    }

    /// The created job.
    public var result: Result

    /// Wraps `result`.
    public init(result: Result) { self.result = result }
}

/// `GET /status` → `200` body: `{"result": "pending"|"completed"|"error"}` for the most recent job.
public struct SeedStatusResponse: Codable, Sendable, Hashable {
    /// The status of the most recently created job.
    public var result: JobStatus

    /// Wraps `result`.
    public init(result: JobStatus) { self.result = result }
}
