/// Simulates one trial in virtual time, synchronously: the same `PollLoop` rules as the live
/// poller, against a job whose fate is drawn with `PlannedJob.draw` (as the mock server does).
///
/// Timeline (offsets from the trial's own origin): the create call is sent at 0, the server
/// creates the job half a round trip later (the true anchor), polling starts when the create
/// response arrives. A status call sent at `s` is answered with the job's status at `s + rtt/2`
/// and arrives at `s + rtt`; a long poll is held at the server until the job is final or the wait
/// ends. Everything is exact: the recorded `done` is the true completion instant.
public struct TrialSimulator: Sendable {
    /// Request round trips. Default zero.
    public var latency: LatencyModel
    /// Deadline, request timeout and failure budget.
    public var configuration: PollLoopConfiguration
    /// Pending observations of a `parts` job carry `progress` (the server's `progress: true`):
    /// the parts done at the instant the server answers, from the job's own part schedule
    /// (`PlannedJob.progress(age:)`, as the mock server reports it). Default `false`.
    public var reportsProgress: Bool

    public init(latency: LatencyModel = .constant(0), configuration: PollLoopConfiguration = PollLoopConfiguration(),
                reportsProgress: Bool = false) {
        self.latency = latency
        self.configuration = configuration
        self.reportsProgress = reportsProgress
    }

    /// Runs one trial.
    /// - Parameters:
    ///   - arm: the arm's name, copied into the record.
    ///   - trialIndex: the trial's index.
    ///   - jobSeed: the per-job seed (the job is `PlannedJob.draw(parameters, seed: jobSeed)`).
    ///   - parameters: the job model.
    ///   - strategy: the strategy, evolved in place.
    ///   - rng: the strategy's generator.
    ///   - network: the generator for latency draws (kept apart so that latency never shifts the
    ///     strategy's draws).
    ///   - origin: the trial's origin in nanoseconds from the run's start.
    ///   - cancelAtDeadline: when the trial times out, send a `cancel` call at the deadline (one
    ///     more round trip; it answers the job's status then, `cancelled` if it was pending).
    ///   - budget: the arm's shared retry budget, if any (see `PollLoop`).
    /// - Returns: the trial, with its create call, every status call and any cancel call.
    public func run<S: PollingStrategy, R: RandomNumberGenerator, N: RandomNumberGenerator>(
        arm: String, trialIndex: Int, jobSeed: UInt64, parameters: JobParameters,
        strategy: inout S, using rng: inout R, network: inout N, origin: Int64 = 0, cancelAtDeadline: Bool = false,
        budget: RetryBudget? = nil
    ) -> TrialRecord {
        let job = PlannedJob.draw(parameters, seed: jobSeed)
        // The hint the server would return in its 202: the same request, the same function.
        strategy.accepted(AcceptedJob(expectedDuration: CreateJobRequest(job: parameters, seed: jobSeed).answeredExpectedDuration))
        let createRTT = latency.draw(using: &network)
        let anchor = createRTT / 2
        let start = createRTT
        var loop = PollLoop(strategy: strategy, configuration: configuration, budget: budget)
        defer { strategy = loop.strategy }
        var action = loop.start(using: &rng)
        while case .send(let at, _, let wait) = action {
            let sent = start + at
            let rtt = latency.draw(using: &network)
            let answer = Self.answer(job, servedAt: sent + rtt / 2, anchor: anchor, wait: wait, reportsProgress: reportsProgress)
            let received = answer.leaves + (rtt - rtt / 2)
            action = loop.received(.status(answer.status, httpStatus: 200, hint: answer.hint), sent: at, received: received - start,
                                   finalResponse: answer.final, using: &rng)
        }
        guard case .finish(let trace) = action else { preconditionFailure("PollLoop ends with .finish") }
        return finishedRecord(arm: arm, trialIndex: trialIndex, jobSeed: jobSeed, job: job, origin: origin,
                              createRTT: createRTT, trace: trace, cancelAtDeadline: cancelAtDeadline, network: &network)
    }

    /// The server's answer to a status request whose service happens at `servedAt` (offset from
    /// the trial's origin; the job was created at `anchor`): a long poll (`wait`) is held until the
    /// job is final or the wait ends, and the status is read when the answer leaves; with
    /// `reportsProgress`, a pending answer of a `parts` job carries the parts done then (the
    /// server's `progress`, `PlannedJob.progress(age:)`).
    /// - Returns: the status, the instant the answer leaves the server, the final response
    ///   (with the job's run time) when the status is final, and the hint (progress) if any.
    static func answer(_ job: PlannedJob, servedAt: Duration, anchor: Duration, wait: Duration?, reportsProgress: Bool = false)
        -> (status: JobStatus, leaves: Duration, final: JobStatusResponse?, hint: ServerHint?) {
        var leaves = servedAt
        if let wait { leaves += job.longPollHold(age: leaves - anchor, wait: wait) }
        let status = job.status(age: leaves - anchor)
        let hint = reportsProgress && status == .pending ? job.progress(age: leaves - anchor).map { ServerHint(progress: $0) } : nil
        return (status, leaves, status.isFinal ? JobStatusResponse(id: "sim", status: status, runTime: job.duration) : nil, hint)
    }

    /// The record of a finished trial (instants from `origin`, ns from the run's start; the
    /// create call sent at 0 and answered at `createRTT`, the job created at `createRTT / 2`),
    /// with a `cancel` call at the deadline when `cancelAtDeadline` and the trial timed out (one
    /// more round trip drawn from `network`; it answers the job's status then, `cancelled` if it
    /// was pending). Shared by `run` and `FleetSimulator`.
    func finishedRecord<N: RandomNumberGenerator>(
        arm: String, trialIndex: Int, jobSeed: UInt64, job: PlannedJob, origin: Int64, createRTT: Duration,
        trace: PollTrace, cancelAtDeadline: Bool, network: inout N
    ) -> TrialRecord {
        let start = createRTT, anchor = createRTT / 2
        var record = TrialRecord(
            trial: (arm, trialIndex, jobSeed), plannedDuration: job.duration, origin: origin,
            createSent: .zero, start: start,
            done: trace.detection.flatMap {
                GroundTruth.completion(runTime: trace.finalResponse?.runTime, createSent: .zero, createReceived: start,
                                       detect: start + $0)
            },
            jobID: "sim-\(trialIndex)",
            trace: trace)
        if cancelAtDeadline, trace.outcome == .timedOut {
            let sent = start + (configuration.deadline ?? trace.end)  // at the deadline, as documented
            let rtt = latency.draw(using: &network)
            let status = job.status(age: sent + rtt / 2 - anchor)
            record.calls.append(CallRecord(
                sequence: record.calls.count, kind: .cancel, sentNanos: origin.advanced(by: sent),
                receivedNanos: origin.advanced(by: sent + rtt), httpStatus: 200,
                result: status == .pending ? .cancelled : status))
        }
        return record
    }
}

extension TrialRecord {
    /// Assembles a trial record from a poll trace; every instant is converted to nanoseconds from
    /// the run's start (`origin` + offset).
    /// - Parameters:
    ///   - trial: (arm, trial index, job seed).
    ///   - plannedDuration: the job's planned duration in seconds.
    ///   - origin: the trial's time origin, ns from the run's start.
    ///   - createSent / start: when the create call was sent and answered, from the origin.
    ///   - done: the true completion instant from the origin, when known (`GroundTruth`); a
    ///     detected trial without it gets the error code `no_ground_truth`.
    ///   - trace: the status calls (offsets from `start`) and outcome.
    public init(trial: (arm: String, index: Int, jobSeed: UInt64), plannedDuration: Double, origin: Int64,
                createSent: Duration, start: Duration, done: Duration?, jobID: String?, trace: PollTrace) {
        func ns(_ d: Duration) -> Int64 { origin.advanced(by: d) }
        var calls = [CallRecord(sequence: 0, kind: .create, sentNanos: ns(createSent), receivedNanos: ns(start), httpStatus: 202)]
        for call in trace.calls {
            calls.append(CallRecord(
                sequence: calls.count, kind: .status, sentNanos: ns(start + call.sent), receivedNanos: ns(start + call.received),
                httpStatus: call.httpStatus, result: call.status, errorCode: call.errorCode,
                retryAfterNanos: call.hint?.retryAfter?.nanoseconds, askedNanos: call.asked.map { ns(start + $0) },
                staleRetries: call.staleRetries))
        }
        self.init(arm: trial.arm, trialIndex: trial.index, jobID: jobID, jobSeed: trial.jobSeed,
                  plannedDurationNanos: Duration.clampedSeconds(plannedDuration).nanoseconds,
                  startNanos: ns(start), doneNanos: done.map(ns), detectNanos: trace.detection.map { ns(start + $0) },
                  endNanos: ns(start + trace.end), outcome: trace.outcome,
                  errorCode: trace.outcome.detected && done == nil ? GroundTruth.missingCode : trace.errorCode,
                  calls: calls)
    }
}
