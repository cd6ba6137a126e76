import PollingCore
import Synchronization

/// An in-process job service on a `VirtualClock`: the simulator's counterpart of `JobClient`.
///
/// Jobs are drawn with the same `PlannedJob.draw` as the mock server, so a per-job seed gives
/// the same job live or simulated. Each call advances the clock by a fixed request latency:
/// the server sees the request after `latency / 2` and the response arrives after `latency`.
/// No I/O; meant for one trial's sequential poll loop per clock.
public final class SimulatedTransport: JobTransport {
    private struct Job {
        var created: VirtualClock.Instant
        var planned: PlannedJob
        /// When `cancelJob` cancelled it (before it finished), or `nil`.
        var cancelled: VirtualClock.Instant?

        func status(at now: VirtualClock.Instant) -> JobStatus {
            if let cancelled, now >= cancelled { return .cancelled }
            return planned.status(age: created.duration(to: now))
        }
    }

    public let clock: VirtualClock
    /// Round-trip time of every call. Default zero.
    public let latency: Duration
    private let jobs = Mutex<[String: Job]>([:])

    /// - Parameters:
    ///   - clock: the virtual timeline the calls advance.
    ///   - latency: the round-trip time of each call (default zero).
    public init(clock: VirtualClock, latency: Duration = .zero) {
        self.clock = clock
        self.latency = latency
    }

    public func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse {
        try request.parameters.validateForTransport()
        clock.advance(by: latency / 2)
        let planned = PlannedJob.draw(request.parameters, size: request.size, seed: request.seed ?? 0)
        let now = clock.now
        let id = jobs.withLock { table -> String in
            let id = "sim\(table.count + 1)"
            table[id] = Job(created: now, planned: planned)
            return id
        }
        clock.advance(by: latency - latency / 2)
        return CreateJobResponse(id: id, status: .pending, expectedDuration: request.answeredExpectedDuration)
    }

    public func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        clock.advance(by: latency / 2)
        guard let job = jobs.withLock({ $0[id] }) else {
            clock.advance(by: latency - latency / 2)
            throw PollingClientError.httpStatus(404, "no job with id '\(id)'")
        }
        if let wait {
            // Long polling: the server holds the request until the job is final or the wait ends.
            clock.advance(by: job.planned.longPollHold(age: job.created.duration(to: clock.now), wait: wait))
        }
        let status = job.status(at: clock.now)
        let response = JobStatusResponse(id: id, status: status,
                                         runTime: status.isFinal && status != .cancelled ? job.planned.duration : nil)
        clock.advance(by: latency - latency / 2)
        return StatusReply(response: response)
    }

    public func cancelJob(id: String, timeout: Duration) async throws -> StatusReply {
        clock.advance(by: latency / 2)
        let now = clock.now
        let status = jobs.withLock { table -> JobStatus? in
            guard var job = table[id] else { return nil }
            if job.status(at: now) == .pending {
                job.cancelled = now
                table[id] = job
            }
            return job.status(at: now)
        }
        clock.advance(by: latency - latency / 2)
        guard let status else { throw PollingClientError.httpStatus(404, "no job with id '\(id)'") }
        return StatusReply(response: JobStatusResponse(id: id, status: status))
    }
}

extension JobParameters {
    func validateForTransport() throws {
        do {
            try validate()
        } catch let error as PollingCoreError {
            throw PollingClientError.httpStatus(400, error.description)
        }
    }
}
