import Foundation
import Logging
import ServiceLifecycle

/// A mock job server running in this process (for the experiment runner and tests).
///
/// ```swift
/// let server = try await RunningJobServer.start(configuration: .init(port: 0), logger: logger)
/// // … talk to server.baseURL …
/// try await server.stop()
/// ```
///
/// The server runs in a `ServiceGroup` (swift-service-lifecycle) inside a task; `start` returns
/// once the socket is bound, `stop` triggers a graceful shutdown and waits for it (at most
/// `Configuration.shutdownTimeout`, after which in-flight work is cancelled).
public final class RunningJobServer: Sendable {
    /// The server (configuration and job table).
    public let server: MockJobServer
    /// The port actually bound (the ephemeral one when the configuration asked for 0).
    public let port: Int
    /// The base URL, e.g. `http://127.0.0.1:54321` (no trailing slash).
    public let baseURL: String

    private let group: ServiceGroup
    /// The task running `group` when started by `start`; `nil` inside `withRunningJobServer`,
    /// whose task group runs it.
    private let task: Task<Void, any Error>?

    fileprivate init(server: MockJobServer, port: Int, group: ServiceGroup, task: Task<Void, any Error>?) {
        self.server = server
        self.port = port
        self.baseURL = MockJobServer.baseURL(host: server.configuration.host, port: port)
        self.group = group
        self.task = task
    }

    /// The server's job table.
    public var jobs: JobTable { server.jobs }

    /// Starts a server and returns once it is listening.
    /// - Parameters:
    ///   - configuration: The settings; use `port: 0` for an ephemeral port.
    ///   - logger: The logger of the server and its service group.
    /// - Returns: The running server; call `stop()` when done.
    /// - Throws: `MockJobServerError.invalidConfiguration`, `.portInUse(host, port)` when the
    ///   port is taken, `.bindFailed` for other socket errors (e.g. an unknown host),
    ///   `.serverFailed` if it stops before listening; `CancellationError` if the calling task
    ///   is cancelled meanwhile (the server is then shut down).
    public static func start(configuration: MockJobServer.Configuration, logger: Logger) async throws -> RunningJobServer {
        let launch = try Launch(configuration: configuration, logger: logger)
        let task = Task { try await launch.run() }
        do {
            let port = try await launch.boundPort()
            return RunningJobServer(server: launch.server, port: port, group: launch.group, task: task)
        } catch {
            await launch.group.triggerGracefulShutdown()
            _ = await task.result
            if error is CancellationError { throw error }
            throw MockJobServer.mapRunError(error, configuration: configuration)
        }
    }

    /// Stops the server gracefully and waits until it has stopped. Safe to call more than once.
    /// - Throws: `MockJobServerError.serverFailed` if the server had failed while running.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        guard let task else { return }  // scoped: `withRunningJobServer` waits for the shutdown
        do {
            try await task.value
        } catch is CancellationError {
            return
        } catch {
            throw MockJobServer.mapRunError(error, configuration: server.configuration)
        }
    }
}

/// Runs `body` with a mock job server listening in this process, and stops the server when
/// `body` returns or throws: the structured form of `RunningJobServer.start` (the server's
/// `ServiceGroup` runs as a child task of a task group, so it never outlives the call).
///
/// ```swift
/// try await withRunningJobServer(configuration: .init(port: 0), logger: logger) { server in
///     // … talk to server.baseURL …
/// }
/// ```
/// - Parameters:
///   - configuration: the settings; use `port: 0` for an ephemeral port.
///   - logger: the logger of the server and its service group.
///   - body: what to do while the server runs; it receives the running server.
/// - Returns: what `body` returns, once the server has shut down gracefully.
/// - Throws: what `body` throws (after the server stopped); `MockJobServerError` as
///   `RunningJobServer.start` does when the server cannot start or fails while running.
public func withRunningJobServer<T>(
    configuration: MockJobServer.Configuration, logger: Logger,
    _ body: (RunningJobServer) async throws -> T
) async throws -> T {
    let launch = try Launch(configuration: configuration, logger: logger)
    let group = launch.group
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await launch.run() }
        let running: RunningJobServer
        do {
            running = RunningJobServer(server: launch.server, port: try await launch.boundPort(), group: group, task: nil)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            if error is CancellationError { throw error }
            throw MockJobServer.mapRunError(error, configuration: configuration)
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(running))
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        do {
            try await tasks.waitForAll()
        } catch is CancellationError {
        } catch {
            if case .success = result { throw MockJobServer.mapRunError(error, configuration: configuration) }
        }
        return try result.get()
    }
}

/// What `RunningJobServer.start` and `withRunningJobServer` share: the server, the
/// `ServiceGroup` that runs its application, and the stream on which the bound port arrives.
private struct Launch: Sendable {
    let server: MockJobServer
    let group: ServiceGroup
    private let ports: AsyncThrowingStream<Int, any Error>
    private let portContinuation: AsyncThrowingStream<Int, any Error>.Continuation

    /// - Throws: `MockJobServerError.invalidConfiguration` for settings the server refuses.
    init(configuration: MockJobServer.Configuration, logger: Logger) throws {
        let server = try MockJobServer(configuration: configuration)
        let (ports, portContinuation) = AsyncThrowingStream.makeStream(of: Int.self)
        let app = server.buildApplication(logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        var groupConfiguration = ServiceGroupConfiguration(services: [app], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        self.server = server
        self.group = ServiceGroup(configuration: groupConfiguration)
        self.ports = ports
        self.portContinuation = portContinuation
    }

    /// Runs the service group until it shuts down; ends the port stream either way.
    func run() async throws {
        do {
            try await group.run()
            portContinuation.finish()
        } catch {
            portContinuation.finish(throwing: error)
            throw error
        }
    }

    /// The port the server bound, once it listens.
    /// - Throws: the group's error if it failed first; `CancellationError` when the calling task
    ///   is cancelled; `MockJobServerError.serverFailed` if it stopped before listening.
    func boundPort() async throws -> Int {
        var iterator = ports.makeAsyncIterator()
        if let port = try await iterator.next() { return port }
        try Task.checkCancellation()
        throw MockJobServerError.serverFailed("the server stopped before it started listening")
    }
}
