import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MockJobServer
import PollingCore
import Synchronization
import Testing

/// A time source that only moves when told to: no sleeps in tests.
final class ManualTime: Sendable {
    let baseInstant = ContinuousClock.now
    /// 2026-11-29T15:30:43.123456Z.
    let baseWall = Date(timeIntervalSince1970: 1_795_966_243.123456)
    private let offset = Mutex<Duration>(.zero)

    func advance(by duration: Duration) { offset.withLock { $0 += duration } }

    var source: MockJobServer.TimeSource {
        MockJobServer.TimeSource(
            monotonic: { [self] in baseInstant + offset.withLock { $0 } },
            wall: { [self] in baseWall.addingTimeInterval(offset.withLock { $0 }.seconds) }
        )
    }
}

let quietLogger = Logger(label: "MockJobServerTests", factory: { _ in SwiftLogNoOpLogHandler() })

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
