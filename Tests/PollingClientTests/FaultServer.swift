import Foundation
import Logging
import MockJobServer
import PollingClient
import PollingCore
import Synchronization

/// A real mock server on an ephemeral loopback port with a `JobClient` talking to it, for the
/// fault-tolerance tests.
///
/// The server's time source is the real clock, except that every server-side wait (a hang, a
/// long poll, injected latency, a slow body's pauses) is announced on `sleeps` as it starts:
/// an explicit signal that the server holds a request, so tests need not sleep to wait for it.
struct FaultServer {
    let server: RunningJobServer
    let client: JobClient
    /// One element per server-side wait, sent when the wait starts.
    let sleeps: AsyncStream<Void>

    /// Starts a server and a client, runs `body`, then shuts both down (also when it throws).
    /// - Parameters:
    ///   - faults: server-wide fault settings (`hang_cap_s`, `slow_body_ms`, …).
    ///   - body: the test.
    /// - Returns: what `body` returns.
    static func with<T>(faults: MockJobServer.FaultConfiguration = .init(),
                        _ body: (FaultServer) async throws -> T) async throws -> T {
        let (sleeps, continuation) = AsyncStream.makeStream(of: Void.self)
        let time = MockJobServer.TimeSource(monotonic: { ContinuousClock.now }, wall: { Date() }) { instant in
            continuation.yield()
            try await Task.sleep(until: instant, clock: .continuous)
        }
        // A short shutdown timeout: a hung handler is cancelled instead of holding `stop()`.
        let configuration = MockJobServer.Configuration(port: 0, seed: 1, shutdownTimeout: .milliseconds(50),
                                                        timeSource: time, faults: faults)
        return try await withRunningJobServer(configuration: configuration, logger: Logger(label: "test")) { server in
            let client = try JobClient(baseURL: server.baseURL, configuration: .init(maximumConnections: 8))
            let fixture = FaultServer(server: server, client: client, sleeps: sleeps)
            let result: Result<T, any Error>
            do {
                result = .success(try await body(fixture))
            } catch {
                result = .failure(error)
            }
            continuation.finish()
            try await client.shutdown()
            return try result.get()
        }
    }

    /// Creates a job of `seconds` (no variance) that ends `completed`, with a fault script.
    /// - Returns: the job id.
    func createJob(seconds: Double = 0, faults: [ScriptedFault]) async throws -> String {
        let parameters = JobParameters(baseDelay: seconds, varDelay: 0, successRate: 1)
        return try await client.createJob(CreateJobRequest(parameters: parameters, seed: 1, faults: faults),
                                          timeout: .seconds(2)).id
    }

    /// The number of status requests the server has seen for job `id` (read by beginning one
    /// more, so call it only when the test is done with the job).
    func requestCount(id: String) -> Int? {
        if case .found(_, let sequence) = server.jobs.beginRequest(id: id) { return sequence }
        return nil
    }

    /// A poller over this client on the real clock.
    func poller(_ configuration: PollLoopConfiguration) -> Poller<ContinuousClock> {
        Poller(transport: client, clock: ContinuousClock(), configuration: configuration)
    }
}

/// A `JobTransport` that forwards to a `JobClient` but adds a fault script to every job it
/// creates, so that `TrialDriver` (which posts plain jobs) runs against scripted faults.
struct ScriptingTransport: JobTransport {
    let base: JobClient
    let faults: [ScriptedFault]

    func createJob(_ request: CreateJobRequest, timeout: Duration) async throws -> CreateJobResponse {
        var scripted = request
        scripted.faults = faults
        return try await base.createJob(scripted, timeout: timeout)
    }

    func jobStatus(id: String, wait: Duration?, timeout: Duration) async throws -> StatusReply {
        try await base.jobStatus(id: id, wait: wait, timeout: timeout)
    }

    func cancelJob(id: String, timeout: Duration) async throws -> StatusReply {
        try await base.cancelJob(id: id, timeout: timeout)
    }
}
