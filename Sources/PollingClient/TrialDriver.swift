import PollingCore

/// Runs one trial end to end: create the job, poll it with a strategy, place the true completion
/// instant, and record the trial (job and calls together) to a `TraceSink`.
///
/// Ground truth (DESIGN.md): the job's true completion is `anchor + run_time`, where `anchor` is
/// the midpoint of the `POST /jobs` send and receive instants on this clock and `run_time` is the
/// server-measured duration in the final response. Polling starts when the `POST` response
/// arrives. All recorded instants are nanoseconds from `runStart`.
public struct TrialDriver<C: Clock>: Sendable where C.Duration == Duration {
    /// What to run.
    public struct Trial: Sendable, Hashable {
        /// The arm's name.
        public var arm: String
        /// Index within the arm, from 0.
        public var index: Int
        /// The job's parameters.
        public var parameters: JobParameters
        /// The per-job seed (same for every arm at the same index: common random numbers).
        public var jobSeed: UInt64

        public init(arm: String, index: Int, parameters: JobParameters, jobSeed: UInt64) {
            self.arm = arm
            self.index = index
            self.parameters = parameters
            self.jobSeed = jobSeed
        }
    }

    public let poller: Poller<C>
    public let runStart: C.Instant

    /// - Parameters:
    ///   - poller: the poll loop (its transport also creates the job).
    ///   - runStart: the run's time origin on `poller.clock`.
    public init(poller: Poller<C>, runStart: C.Instant) {
        self.poller = poller
        self.runStart = runStart
    }

    /// Runs `trial` and records it to `sink`.
    /// - Returns: the recorded trial.
    /// - Throws: `CancellationError` on cancellation, or what the sink throws. A failed job
    ///   creation is recorded as a `failed` trial, not thrown.
    @discardableResult
    public func run<S: PollingStrategy, R: RandomNumberGenerator>(
        _ trial: Trial, strategy: inout S, using rng: inout R, sink: any TraceSink
    ) async throws -> TrialRecord {
        let clock = poller.clock
        let planned = PlannedJob.draw(trial.parameters, seed: trial.jobSeed)
        let createSent = clock.now
        var record = TrialRecord(
            arm: trial.arm, trialIndex: trial.index, jobID: nil, jobSeed: trial.jobSeed,
            plannedDurationNanos: Duration.clampedSeconds(planned.duration).nanoseconds,
            startNanos: 0, doneNanos: nil, detectNanos: nil, endNanos: 0, outcome: .failed, calls: [])
        let created: CreateJobResponse
        do {
            created = try await poller.transport.createJob(
                CreateJobRequest(parameters: trial.parameters, seed: trial.jobSeed),
                timeout: poller.configuration.requestTimeout)
        } catch let error as PollingClientError {
            if error == .cancelled { throw CancellationError() }
            let now = nanos(clock.now)
            record.calls = [CallRecord(sequence: 0, kind: .create, sentNanos: nanos(createSent), receivedNanos: now,
                                       httpStatus: error.httpStatus, errorCode: error.code)]
            record.startNanos = now
            record.endNanos = now
            record.errorCode = error.code
            try await sink.record(record)
            return record
        }
        let start = clock.now
        let anchor = createSent.advanced(by: createSent.duration(to: start) / 2)
        record.jobID = created.id
        record.startNanos = nanos(start)
        record.calls = [CallRecord(sequence: 0, kind: .create, sentNanos: nanos(createSent),
                                   receivedNanos: record.startNanos, httpStatus: 202)]

        let trace = try await poller.poll(id: created.id, start: start, strategy: &strategy, using: &rng)
        for call in trace.calls {
            record.calls.append(CallRecord(
                sequence: record.calls.count, kind: .status,
                sentNanos: nanos(start.advanced(by: call.sent)), receivedNanos: nanos(start.advanced(by: call.received)),
                httpStatus: call.httpStatus, result: call.status, errorCode: call.errorCode,
                retryAfterNanos: call.hint?.retryAfter?.nanoseconds))
        }
        record.outcome = trace.outcome
        record.errorCode = trace.errorCode
        record.endNanos = nanos(start.advanced(by: trace.end))
        if let detection = trace.detection {
            record.detectNanos = nanos(start.advanced(by: detection))
        }
        if let runTime = trace.finalResponse?.runTime, runTime.isFinite {
            record.doneNanos = nanos(anchor.advanced(by: .clampedSeconds(runTime)))
        }
        try await sink.record(record)
        return record
    }

    private func nanos(_ instant: C.Instant) -> Int64 {
        runStart.duration(to: instant).nanoseconds
    }
}
