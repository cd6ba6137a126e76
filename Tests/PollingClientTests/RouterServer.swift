import Hummingbird
import Logging
import ServiceLifecycle
import Testing

/// Serves a hand-written Hummingbird `router` on an ephemeral loopback port (no fixed port) for
/// the duration of `body`, which gets the server's base URL (`http://127.0.0.1:PORT`). The server
/// is shut down gracefully after `body` returns or throws; `body`'s error is rethrown after that.
/// For tests whose server must answer in ways the mock job server never does (redirects,
/// `Location` elsewhere, hand-made event streams, slow webhook receivers).
func withRouterServer<T: Sendable>(
    _ router: Router<BasicRequestContext>,
    _ body: @Sendable (_ baseURL: String) async throws -> T
) async throws -> T {
    let logger = Logger(label: "router-server", factory: { _ in SwiftLogNoOpLogHandler() })
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body("http://127.0.0.1:\(port)")) } catch { outcome = .failure(error) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try outcome.get()
    }
}
