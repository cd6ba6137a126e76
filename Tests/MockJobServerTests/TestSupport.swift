import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MockJobServer
import PollingCore
import Synchronization
import Testing

/// A time source that only moves when told to: no sleeps in tests.
///
/// Sleepers (long polls, latency, hangs) register a deadline and are resumed by `advance`;
/// `waitForSleepers(_:)` is the explicit signal that the server has reached its sleep.
final class ManualTime: Sendable {
    let baseInstant = ContinuousClock.now
    /// 2026-11-29T15:30:43.123456Z.
    let baseWall = Date(timeIntervalSince1970: 1_795_966_243.123456)

    private struct Sleeper {
        var id: Int
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset: Duration = .zero
        var nextID = 0
        var sleepers: [Sleeper] = []
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Moves time forward and resumes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.offset += duration
            let now = state.offset
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// The current offset from the base instant.
    var elapsed: Duration { state.withLock { $0.offset } }

    /// The deadlines (offsets from the base instant) of the current sleepers, earliest first.
    var sleeperDeadlines: [Duration] { state.withLock { $0.sleepers.map(\.deadline).sorted() } }

    /// Returns once at least `count` sleepers are waiting.
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func sleep(until deadline: Duration) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, ready) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                    if deadline <= state.offset || Task.isCancelled { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let count = state.sleepers.count
                    let ready = state.watchers.filter { $0.count <= count }.map(\.continuation)
                    state.watchers.removeAll { $0.count <= count }
                    return (false, ready)
                }
                if resumeNow { continuation.resume() }
                for watcher in ready { watcher.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state in
                let found = state.sleepers.first { $0.id == id }
                state.sleepers.removeAll { $0.id == id }
                return found
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    var source: MockJobServer.TimeSource {
        MockJobServer.TimeSource(
            monotonic: { [self] in baseInstant + elapsed },
            wall: { [self] in baseWall.addingTimeInterval(elapsed.seconds) },
            sleepUntil: { [self] instant in try await sleep(until: instant - baseInstant) }
        )
    }
}

let quietLogger = Logger(label: "MockJobServerTests", factory: { _ in SwiftLogNoOpLogHandler() })

/// GETs `uri` and returns the response.
func get(_ client: any TestClientProtocol, _ uri: String) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .get)
}

/// Builds a server for `configuration` and runs `body` against it with the router framework.
func withServer<Value>(_ configuration: MockJobServer.Configuration = .init(port: 0),
                       _ setup: TestingSetup = .router,
                       _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
    let app = try MockJobServer.buildApplication(configuration: configuration, logger: quietLogger)
    return try await app.test(setup) { client in try await body(client) }
}

func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
}

/// POSTs `body` to `/jobs` and returns the decoded 202 body.
func postJob(_ client: any TestClientProtocol, _ body: String) async throws -> CreateJobResponse {
    let response = try await client.execute(uri: "/jobs", method: .post, body: json(body))
    #expect(response.status == .accepted)
    return try decode(CreateJobResponse.self, response)
}

/// GETs `/jobs/{id}` and returns the decoded 200 body.
func getJob(_ client: any TestClientProtocol, _ id: String) async throws -> JobStatusResponse {
    let response = try await client.execute(uri: "/jobs/\(id)", method: .get)
    #expect(response.status == .ok)
    return try decode(JobStatusResponse.self, response)
}
