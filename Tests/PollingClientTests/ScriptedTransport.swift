import PollingClient
import PollingCore
import Synchronization

/// A transport that answers from a script, for tests of what the poller and the trial driver do
/// with odd answers: each status call takes the next entry (the last one repeats), and the create
/// call answers or throws as told. Each call advances `clock` by `latency`.
final class ScriptedTransport: JobTransport {
    enum Answer: Sendable {
        case reply(StatusReply)
        case failure(any Error & Sendable)
    }

    let clock: VirtualClock
    let latency: Duration
    private let createError: (any Error & Sendable)?
    private let script: Mutex<[Answer]>

    init(clock: VirtualClock, latency: Duration = .zero, createError: (any Error & Sendable)? = nil, _ script: [Answer]) {
        self.clock = clock
        self.latency = latency
        self.createError = createError
        self.script = Mutex(script)
    }

    /// A status reply of `status` with an optional `run_time` in seconds.
    static func status(_ status: JobStatus, runTime: Double? = nil) -> Answer {
        .reply(StatusReply(response: JobStatusResponse(id: "j1", status: status, runTime: runTime)))
    }

    func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse {
        clock.advance(by: latency)
        if let createError { throw createError }
        return CreateJobResponse(id: "j1", status: .pending)
    }

    func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        clock.advance(by: latency)
        let answer = script.withLock { script in script.count > 1 ? script.removeFirst() : script[0] }
        switch answer {
        case .reply(let reply): return reply
        case .failure(let error): throw error
        }
    }

    func cancelJob(id: String, timeout: Duration) async throws -> StatusReply {
        clock.advance(by: latency)
        return StatusReply(response: JobStatusResponse(id: id, status: .cancelled))
    }
}
