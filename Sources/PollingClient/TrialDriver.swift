import PollingCore

/// Runs one trial end to end: create the job (registering the transport's `callbackURL` when the
/// strategy's first call is a webhook wait), poll it with a strategy, place the true completion
/// instant, and record the trial (job and calls together) to a `TraceSink`.
///
/// Ground truth (DESIGN.md): the job's true completion is `anchor + run_time`, where `anchor` is
/// the midpoint of the `POST /jobs` send and receive instants on this clock and `run_time` is the
/// server-measured duration in the final response, accepted only under `GroundTruth`'s rule
/// (otherwise the trial has no ground truth and the code `no_ground_truth`). Polling starts when
/// the `POST` response arrives. All recorded instants are nanoseconds from `runStart`.
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
        /// Whether a trial that times out cancels its job (`DELETE /jobs/{id}`) at its deadline,
        /// freeing the server's place for it. Default `false`.
        public var cancelAtDeadline: Bool
        /// How long the trial waited for a slot after its arrival instant (recorded as
        /// `TrialRecord.waitNanos`); `nil` without an arrival pattern. Default `nil`.
        public var wait: Duration?

        public init(arm: String, index: Int, parameters: JobParameters, jobSeed: UInt64, cancelAtDeadline: Bool = false,
                    wait: Duration? = nil) {
            self.wait = wait
            self.arm = arm
            self.index = index
            self.parameters = parameters
            self.jobSeed = jobSeed
            self.cancelAtDeadline = cancelAtDeadline
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

    /// Runs `trial` and records it to `sink`; `budget` is its arm's shared retry budget, if any.
    /// - Returns: the recorded trial.
    /// - Throws: `CancellationError` on cancellation, after recording the trial as `failed` with
    ///   code `cancelled` and the calls made so far; or what the sink throws. A failed job
    ///   creation is recorded as a `failed` trial, not thrown.
    @discardableResult
    public func run<S: PollingStrategy, R: RandomNumberGenerator>(
        _ trial: Trial, strategy: inout S, using rng: inout R, sink: any TraceSink, budget: RetryBudget? = nil
    ) async throws -> TrialRecord {
        let clock = poller.clock
        let planned = PlannedJob.draw(trial.parameters, seed: trial.jobSeed)
        let createSent = clock.now
        let created: CreateJobResponse
        do {
            var request = CreateJobRequest(job: trial.parameters, seed: trial.jobSeed)
            request.callbackURL = strategy.push == .webhook ? poller.transport.callbackURL : nil
            created = try await poller.transport.createJob(request, timeout: poller.configuration.requestTimeout)
        } catch {
            let failure = error as? PollingClientError
            if failure == .cancelled || error is CancellationError { throw CancellationError() }
            let code = failure?.code ?? Poller<C>.unexpectedErrorCode
            let now = nanos(clock.now)
            var record = TrialRecord(
                arm: trial.arm, trialIndex: trial.index, jobID: nil, jobSeed: trial.jobSeed,
                plannedDurationNanos: Duration.clampedSeconds(planned.duration).nanoseconds,
                startNanos: now, doneNanos: nil, detectNanos: nil, endNanos: now, outcome: .failed, errorCode: code,
                calls: [CallRecord(sequence: 0, kind: .create, sentNanos: nanos(createSent), receivedNanos: now,
                                   httpStatus: failure?.httpStatus, errorCode: code)])
            record.waitNanos = trial.wait?.nanoseconds
            try await sink.record(record)
            return record
        }
        let start = clock.now
        let startOffset = createSent.duration(to: start)
        strategy.accepted(AcceptedJob(expectedDuration: created.expectedDuration))
        let trace = await poller.pollUntilCancelled(id: created.id, start: start, strategy: &strategy, using: &rng, budget: budget)
        let done = trace.detection.flatMap {
            GroundTruth.completion(runTime: trace.finalResponse?.runTime, createSent: .zero, createReceived: startOffset,
                                   detect: startOffset + $0)
        }
        var record = TrialRecord(trial: (trial.arm, trial.index, trial.jobSeed), plannedDuration: planned.duration,
                             origin: nanos(createSent), createSent: .zero, start: startOffset, done: done,
                             jobID: created.id, trace: trace)
        record.waitNanos = trial.wait?.nanoseconds
        if trial.cancelAtDeadline, trace.outcome == .timedOut,
           let call = await cancel(id: created.id, at: start.advanced(by: poller.configuration.deadline ?? trace.end),
                                  sequence: record.calls.count) {
            record.calls.append(call)
        }
        try await sink.record(record)
        if trace.errorCode == Poller<C>.cancelledCode { throw CancellationError() }
        return record
    }

    /// Waits until `deadline`, then cancels job `id` and returns the `cancel` call, or `nil` when
    /// the task was cancelled first (the run is being interrupted: no request is sent).
    private func cancel(id: String, at deadline: C.Instant, sequence: Int) async -> CallRecord? {
        let clock = poller.clock
        do {
            try await clock.sleep(until: deadline, tolerance: nil)
        } catch {
            return nil
        }
        let sent = clock.now
        var call = CallRecord(sequence: sequence, kind: .cancel, sentNanos: nanos(sent), receivedNanos: nanos(sent))
        do {
            let reply = try await poller.transport.cancelJob(id: id, timeout: poller.configuration.requestTimeout)
            call.httpStatus = reply.httpStatus
            call.result = reply.response.status
        } catch let error as PollingClientError {
            call.httpStatus = error.httpStatus
            call.errorCode = error.code
        } catch {
            call.errorCode = PollingClientError.transport("\(error)").code
        }
        call.receivedNanos = nanos(clock.now)
        return call
    }

    private func nanos(_ instant: C.Instant) -> Int64 {
        runStart.duration(to: instant).nanoseconds
    }
}
