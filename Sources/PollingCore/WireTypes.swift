/// `POST /jobs` request body: job parameters plus an optional per-job seed and fault script.
///
/// JSON keys: `base_delay`, `var_delay` (seconds), `success_rate` ([0, 1], default 0.8),
/// `duration_model` (`seed` | `symmetric`, default `seed`), `seed` (unsigned 64-bit, optional),
/// `faults` (optional array of `ScriptedFault`: how the server answers the job's successive
/// `GET`s, e.g. `["503", {"status": 429, "retry_after": 1}, "ok"]`), `size` (optional finite
/// number ≥ 0: the job's size; the duration is then drawn from
/// `JobParameters.duration(size:)`, see `JobParameters+Size.swift`).
public struct CreateJobRequest: Codable, Sendable, Hashable {
    public var parameters: JobParameters
    /// When set, the job's duration and outcome are drawn from a generator seeded with it alone.
    public var seed: UInt64?
    /// Scripted answers for the job's successive status requests (`nil` = none; then the
    /// server's rate-based faults, if configured, apply instead).
    public var faults: [ScriptedFault]?
    /// Where the server POSTs the job's final status when it ends (a webhook; `callback_url`,
    /// an absolute http(s) URL), or `nil` for none.
    public var callbackURL: String?
    /// The job's size (`nil` = unsized). The server never draws sizes: the client sends them.
    public var size: Double?

    public init(parameters: JobParameters, seed: UInt64? = nil, faults: [ScriptedFault]? = nil, callbackURL: String? = nil,
                size: Double? = nil) {
        self.parameters = parameters
        self.seed = seed
        self.faults = faults
        self.callbackURL = callbackURL
        self.size = size
    }
    /// What the runner sends for the job seeded `seed` of the job model `job`: the parameters
    /// resolved for a server (`JobParameters.resolvedForServer`: an `empirical` model travels
    /// as the `fixed` duration it draws, already including the size), the seed, and the size
    /// drawn from the seed's size sub-stream (`JobParameters.size(seed:)`). The simulator takes the
    /// same request, so the hint it computes is the server's.
    public init(job: JobParameters, seed: UInt64) {
        let resolved = job.resolvedForServer(seed: seed)
        self.init(parameters: resolved, seed: seed, size: resolved.sizeModel == nil ? nil : job.size(seed: seed))
    }

    /// `expected_duration` of the `202` body: `E[T | size]` in seconds
    /// (`JobParameters.expectedDuration(size:)`), the per-job hint. For a resolved `empirical`
    /// model it is the job's drawn duration (the `fixed` model the server receives).
    public var expectedDuration: Double { parameters.expectedDuration(size: size) }

    /// The `expected_duration` a server answers in the `202` for this request: `expectedDuration`,
    /// or `nil` when it is not finite (JSON has no infinity). `MockJobServer` and the simulator
    /// both use it.
    public var answeredExpectedDuration: Double? {
        let expected = expectedDuration
        return expected.isFinite ? expected : nil
    }

    enum CodingKeys: String, CodingKey { case seed, faults, size, callbackURL = "callback_url" }

    public init(from decoder: any Decoder) throws {
        parameters = try JobParameters(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        faults = try c.decodeIfPresent([ScriptedFault].self, forKey: .faults)
        callbackURL = try c.decodeIfPresent(String.self, forKey: .callbackURL)
        size = try c.decodeIfPresent(Double.self, forKey: .size)
    }

    public func encode(to encoder: any Encoder) throws {
        try parameters.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(seed, forKey: .seed)
        try c.encodeIfPresent(faults, forKey: .faults)
        try c.encodeIfPresent(callbackURL, forKey: .callbackURL)
        try c.encodeIfPresent(size, forKey: .size)
    }
}

/// `POST /jobs` → `202 Accepted` body (the `Location` header points at `/jobs/{id}`).
public struct CreateJobResponse: Codable, Sendable, Hashable {
    public var id: String
    public var status: JobStatus
    /// `expected_duration`: `E[T | size]` in seconds, the job's hint
    /// (`CreateJobRequest.expectedDuration`); `nil` when the server does not send it.
    public var expectedDuration: Double?

    public init(id: String, status: JobStatus, expectedDuration: Double? = nil) {
        self.id = id
        self.status = status
        self.expectedDuration = expectedDuration
    }

    enum CodingKeys: String, CodingKey {
        case id, status
        case expectedDuration = "expected_duration"
    }
}

/// `GET /jobs/{id}` → `200` body.
///
/// Once the status is final it also carries `created_at` and `finished_at` (RFC 3339, UTC,
/// microseconds, server clock) and `run_time` (seconds from creation to finish, server-measured),
/// from which the runner places the true completion instant.
public struct JobStatusResponse: Codable, Sendable, Hashable {
    public var id: String
    public var status: JobStatus
    public var createdAt: String?
    public var finishedAt: String?
    /// Seconds from creation to the final status, measured by the server.
    public var runTime: Double?
    /// The server's estimate of seconds left (fractional), when it is configured to give one.
    public var eta: Double?
    /// Parts done of a composite (`parts`) job while pending, when the server is configured to
    /// report progress (`{"done": 1, "total": 4}`).
    public var progress: JobProgress?

    public init(id: String, status: JobStatus, createdAt: String? = nil, finishedAt: String? = nil,
                runTime: Double? = nil, eta: Double? = nil, progress: JobProgress? = nil) {
        self.id = id
        self.status = status
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.runTime = runTime
        self.eta = eta
        self.progress = progress
    }

    enum CodingKeys: String, CodingKey {
        case id, status, eta, progress
        case createdAt = "created_at", finishedAt = "finished_at", runTime = "run_time"
    }
}

/// The JSON error body of every 4xx/5xx: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
public struct ErrorResponse: Codable, Sendable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        /// A stable short code, e.g. `invalid_field`, `not_found`, `bad_json`.
        public var code: String
        /// A message naming the offending field and the fix.
        public var message: String
        /// The offending field, when there is one.
        public var field: String?

        public init(code: String, message: String, field: String? = nil) {
            self.code = code
            self.message = message
            self.field = field
        }
    }

    public var error: Detail

    public init(code: String, message: String, field: String? = nil) {
        self.error = Detail(code: code, message: message, field: field)
    }
}
