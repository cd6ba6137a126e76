/// The kind of an API call.
public enum CallKind: String, Codable, Sendable {
    /// `POST /jobs`: creates the job.
    case create
    /// `GET /jobs/{id}`: one status call (a poll).
    case status
    /// `DELETE /jobs/{id}`: the client cancels its job (an arm with `cancel_at_deadline` does
    /// so when it gives up at its deadline). Not a status call: it never counts in `tries`.
    case cancel
}

/// One API call as the tracer records it. Instants are nanoseconds from the run's start on a
/// monotonic clock.
public struct CallRecord: Sendable, Hashable, Codable {
    /// Position of the call within its trial, from 0 (the create call is 0 when recorded).
    public var sequence: Int
    public var kind: CallKind
    /// When the request was sent, ns from run start.
    public var sentNanos: Int64
    /// When the response arrived or the call failed, ns from run start.
    public var receivedNanos: Int64
    /// The HTTP status code, `nil` when no response arrived.
    public var httpStatus: Int?
    /// The job status in the response, `nil` for a create call or a failed call.
    public var result: JobStatus?
    /// A stable short error code when the call failed (e.g. `timeout`, `http_500`).
    public var errorCode: String?
    /// The `Retry-After` hint of the response in ns, when one was given.
    public var retryAfterNanos: Int64?
    /// For a status call: when the poll loop asked for it to be sent, ns from run start
    /// (`sentNanos − askedNanos` is its lateness); `nil` for other calls.
    public var askedNanos: Int64?
    /// Resends of the request on a fresh connection after its pooled connection was found closed
    /// (0 or 1; `PolledCall.staleRetries`). Not a try: `tries` counts calls, not resends.
    public var staleRetries: Int

    public init(sequence: Int, kind: CallKind, sentNanos: Int64, receivedNanos: Int64,
                httpStatus: Int? = nil, result: JobStatus? = nil, errorCode: String? = nil,
                retryAfterNanos: Int64? = nil, askedNanos: Int64? = nil, staleRetries: Int = 0) {
        self.askedNanos = askedNanos
        self.staleRetries = staleRetries
        self.sequence = sequence
        self.kind = kind
        self.sentNanos = sentNanos
        self.receivedNanos = receivedNanos
        self.httpStatus = httpStatus
        self.result = result
        self.errorCode = errorCode
        self.retryAfterNanos = retryAfterNanos
    }
}

/// How a trial ended.
public enum TrialOutcome: String, Codable, Sendable, CaseIterable {
    /// Detected: the job completed.
    case completed
    /// Detected: the job ended in `error` (a job outcome, not a transport failure).
    case error
    /// The deadline passed before a final status was seen.
    case timedOut = "timed_out"
    /// Polling failed (transport errors, or the strategy gave up); `errorCode` says why.
    case failed

    /// `true` when a final status was detected.
    public var detected: Bool { self == .completed || self == .error }
}

/// One trial: one job polled to its end by one arm, with all its calls. A trial's job and calls
/// are committed together. Instants are nanoseconds from the run's start.
public struct TrialRecord: Sendable, Hashable, Codable {
    /// The arm's name within the run.
    public var arm: String
    /// Index of the trial within the arm, from 0; trials with the same index poll the same job.
    public var trialIndex: Int
    /// The server's job id (`nil` if creation failed).
    public var jobID: String?
    /// The per-job seed the job was created with.
    public var jobSeed: UInt64
    /// The duration the job was planned with, in ns (from the shared drawing function).
    public var plannedDurationNanos: Int64
    /// When polling started: the `POST` response arrived.
    public var startNanos: Int64
    /// The job's true completion instant (`anchor + run_time` live; exact in simulation).
    public var doneNanos: Int64?
    /// When the detecting response arrived; `nil` without detection.
    public var detectNanos: Int64?
    /// When the trial ended (detection, deadline or failure).
    public var endNanos: Int64
    public var outcome: TrialOutcome
    /// A stable short code for `failed` or `timed_out` trials.
    public var errorCode: String?
    /// All calls of the trial, create call included, in sequence order.
    public var calls: [CallRecord]
    /// How long the trial waited for a concurrency slot between its arrival instant and its
    /// create call, ns (`arrivals:`, `ArrivalPattern`); `nil` when the experiment has no arrival
    /// pattern. Column `trial.wait_ns`.
    public var waitNanos: Int64?

    public init(arm: String, trialIndex: Int, jobID: String?, jobSeed: UInt64, plannedDurationNanos: Int64,
                startNanos: Int64, doneNanos: Int64?, detectNanos: Int64?, endNanos: Int64,
                outcome: TrialOutcome, errorCode: String? = nil, calls: [CallRecord]) {
        self.arm = arm
        self.trialIndex = trialIndex
        self.jobID = jobID
        self.jobSeed = jobSeed
        self.plannedDurationNanos = plannedDurationNanos
        self.startNanos = startNanos
        self.doneNanos = doneNanos
        self.detectNanos = detectNanos
        self.endNanos = endNanos
        self.outcome = outcome
        self.errorCode = errorCode
        self.calls = calls
    }

    /// Number of status calls (polls), the `n` of the metrics.
    public var tries: Int { calls.lazy.filter { $0.kind == .status }.count }

    /// The per-trial metrics of DESIGN.md.
    public var metrics: TrialMetrics {
        TrialMetrics(startNanos: startNanos, doneNanos: doneNanos, detectNanos: detectNanos, tries: tries)
    }
}

/// A write-only sink for trial records. The SQLite store implements it; tests use
/// `InMemoryTraceSink`.
public protocol TraceSink: Sendable {
    /// Records one finished trial (job and calls together).
    /// - Throws: whatever the sink's storage throws; the caller decides whether to go on.
    func record(_ trial: TrialRecord) async throws
}
