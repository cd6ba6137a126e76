import PollingCore

extension MockJobServer {
    /// Settings of one mock job server (nested-struct style, like async-http-client's).
    public struct Configuration: Sendable {
        /// Address to bind. Default `127.0.0.1` (loopback only).
        public var host: String
        /// TCP port to bind; 0 picks an ephemeral port (read it back from `RunningJobServer.port`).
        /// Default 8080.
        public var port: Int
        /// Seed of the server's own generator, used for jobs posted without a `seed`. Default 0.
        public var seed: UInt64
        /// Parameters used for keys that are `null` or missing in the seed-compatible
        /// `POST /request`. Default `JobParameters()` (base 1.5 s, var 0.9 s, success rate 0.8).
        public var defaultParameters: JobParameters
        /// Optional server hints on pending status responses. Default: none.
        public var hints: Hints
        /// Largest accepted request body in bytes; longer bodies get 413. Default 65 536.
        public var maxBodySize: Int
        /// How long a graceful shutdown may take before in-flight work is cancelled. Default 5 s.
        public var shutdownTimeout: Duration
        /// Clocks for job state and timestamps, and how the server waits. Default `.system`.
        public var timeSource: TimeSource
        /// Longest server-side wait of a long poll (`GET /jobs/{id}?wait=SECONDS`); longer
        /// requested waits are cut to it. Default 30 s; 0 turns long polling into plain polls.
        public var maxWait: Duration
        /// Server-wide fault injection on status requests. Default: none.
        public var faults: FaultConfiguration
        /// Most jobs held at once (pending, or finished and not yet expired). When full, a create
        /// first drops finished jobs, oldest finish first (their ids then answer `410`); when
        /// every held job is pending, `POST /jobs` and `POST /request` get `503 too_many_jobs`
        /// with `Retry-After: 1`. Default 100 000 (about 310 bytes per held job, so about 31 MB
        /// at the limit; see docs/server.md).
        public var maxJobs: Int
        /// How long a finished job stays readable after it finishes; then `GET` answers
        /// `410 job_expired` and its memory is freed. Default 300 s.
        public var finishedJobTTL: Duration
        /// The capacity for `GET /jobs/{id}` requests (token bucket → 429, concurrency slots and
        /// queue → 503; `ServerCapacity`). Default unlimited.
        public var capacity: ServerCapacity
        /// How webhook callbacks are delivered and retried. Default `CallbackPolicy()`.
        public var callbacks: CallbackPolicy
        /// The interval between heartbeat comments on an open event stream while the job is
        /// pending (they keep idle connections alive). Default 15 s.
        public var sseHeartbeat: Duration

        /// Creates a configuration; every argument has the default documented on its property.
        public init(host: String = "127.0.0.1", port: Int = 8080, seed: UInt64 = 0,
                    defaultParameters: JobParameters = JobParameters(), hints: Hints = Hints(),
                    maxBodySize: Int = 65_536, shutdownTimeout: Duration = .seconds(5),
                    timeSource: TimeSource = .system, maxWait: Duration = .seconds(30),
                    faults: FaultConfiguration = FaultConfiguration(), maxJobs: Int = 100_000,
                    finishedJobTTL: Duration = .seconds(300), capacity: ServerCapacity = ServerCapacity(),
                    callbacks: CallbackPolicy = CallbackPolicy(), sseHeartbeat: Duration = .seconds(15)) {
            self.host = host
            self.port = port
            self.seed = seed
            self.defaultParameters = defaultParameters
            self.hints = hints
            self.maxBodySize = maxBodySize
            self.shutdownTimeout = shutdownTimeout
            self.timeSource = timeSource
            self.maxWait = maxWait
            self.faults = faults
            self.maxJobs = maxJobs
            self.finishedJobTTL = finishedJobTTL
            self.capacity = capacity
            self.callbacks = callbacks
            self.sseHeartbeat = sseHeartbeat
        }

        /// Checks every field.
        /// - Throws: `MockJobServerError.invalidConfiguration` naming the first bad field
        ///   (`host`, `port`, `default_parameters.*`, `hints.retry_after`, `max_body_size`,
        ///   `shutdown_timeout`, `max_wait`, `faults.*`, `max_jobs`, `finished_job_ttl`, `capacity.*`,
        ///   `callbacks.*`, `sse_heartbeat`).
        public func validate() throws(MockJobServerError) {
            guard !host.isEmpty else {
                throw .invalidConfiguration("host", "must not be empty; use e.g. 127.0.0.1")
            }
            guard (0...65_535).contains(port) else {
                throw .invalidConfiguration("port", "must be in 0...65535 (0 = ephemeral), got \(port)")
            }
            do {
                try defaultParameters.validate()
            } catch let error as PollingCoreError {
                throw .invalidConfiguration("default_parameters.\(error.field)", "\(error)")
            } catch {
                throw .invalidConfiguration("default_parameters", "\(error)")
            }
            if let seconds = hints.retryAfter, seconds < 0 {
                throw .invalidConfiguration("hints.retry_after", "must be >= 0 seconds, got \(seconds)")
            }
            guard maxBodySize > 0 else {
                throw .invalidConfiguration("max_body_size", "must be > 0 bytes, got \(maxBodySize)")
            }
            guard shutdownTimeout >= .zero else {
                throw .invalidConfiguration("shutdown_timeout", "must be >= 0, got \(shutdownTimeout)")
            }
            guard maxWait >= .zero, maxWait <= .seconds(3600) else {
                throw .invalidConfiguration("max_wait", "must be in 0...3600 seconds, got \(maxWait)")
            }
            do {
                try faults.validate()
            } catch {
                throw .invalidConfiguration("faults.\(error.field ?? "")", error.message)
            }
            guard maxJobs > 0 else {
                throw .invalidConfiguration("max_jobs", "must be > 0, got \(maxJobs)")
            }
            guard finishedJobTTL >= .zero, finishedJobTTL <= .seconds(1e9) else {
                throw .invalidConfiguration("finished_job_ttl", "must be in 0...1e9 seconds, got \(finishedJobTTL)")
            }
            do {
                try capacity.validate()
            } catch {
                throw .invalidConfiguration("capacity.\(error.field)", "\(error)")
            }
            try callbacks.validate()
            guard sseHeartbeat > .zero else {
                throw .invalidConfiguration("sse_heartbeat", "must be > 0 seconds, got \(sseHeartbeat)")
            }
        }
    }

    /// Hints a server may add to pending `GET /jobs/{id}` responses (off by default).
    public struct Hints: Sendable, Hashable {
        /// The two forms of `Retry-After` (RFC 9110 §10.2.3).
        public enum RetryAfterFormat: String, Sendable, Hashable, CaseIterable {
            /// A non-negative integer of seconds, e.g. `Retry-After: 3`.
            case seconds
            /// An IMF-fixdate: the server's wall clock plus the seconds, rounded up to a whole
            /// second, e.g. `Retry-After: Sun, 29 Nov 2026 15:30:47 GMT`.
            case httpDate = "http-date"
        }

        /// When set, pending responses carry `Retry-After` for this many seconds (RFC 9110 §10.2.3).
        public var retryAfter: Int?
        /// The form of `Retry-After` (on pending responses and injected error statuses).
        /// Default `.seconds`.
        public var retryAfterFormat: RetryAfterFormat
        /// When `true`, pending responses carry `eta`: the seconds left until the job ends
        /// (fractional, so hints below a second are exact; `Retry-After` has whole seconds only).
        public var eta: Bool
        /// When `true`, pending responses of a `parts` job carry `progress: {done, total}`: the
        /// parts finished by now (`PlannedJob.progress(age:)`). Other jobs carry no `progress`
        /// (a no-op, not an error: the setting is server-wide).
        public var progress: Bool

        /// Creates hints; the defaults give none.
        public init(retryAfter: Int? = nil, eta: Bool = false, retryAfterFormat: RetryAfterFormat = .seconds,
                    progress: Bool = false) {
            self.retryAfter = retryAfter
            self.eta = eta
            self.retryAfterFormat = retryAfterFormat
            self.progress = progress
        }
    }
}
