import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The mock job server: a job table plus the Hummingbird routes of DESIGN.md "HTTP API".
///
/// Routes: `POST /jobs` (optionally with a webhook `callback_url`), `GET /jobs/{id}` (long poll
/// with `?wait=SECONDS`), `GET /jobs/{id}/events` (server-sent events), `DELETE /jobs/{id}`,
/// `GET /stats` (the capacity's counts), `GET /health`,
/// and the seed-compatible `POST /request` and `GET /status`. The API is described in
/// `openapi.yaml` at the repository root. Errors are JSON `ErrorResponse`s (see `MockJobServerError`).
///
/// To run it in-process on an ephemeral port use `RunningJobServer.start(configuration:logger:)`;
/// to run it until SIGINT/SIGTERM use `run(configuration:logger:onListening:)`.
public struct MockJobServer: Sendable {
    /// The configuration this server was built with.
    public let configuration: Configuration
    /// The server's job table (shared by all requests).
    public let jobs: JobTable
    /// The admission control of `GET /jobs/{id}` (`configuration.capacity`) and its counts.
    public let load: LoadLimiter
    /// The account of event streams and webhook callbacks (`GET /stats`' `push`).
    public let push: PushMonitor
    /// The webhook callbacks' delivery service (runs with the application).
    public let callbacks: CallbackDispatcher

    /// Creates a server with an empty job table.
    /// - Parameter configuration: The settings; see `Configuration`.
    /// - Throws: `MockJobServerError.invalidConfiguration` naming the bad field.
    public init(configuration: Configuration = Configuration()) throws(MockJobServerError) {
        try configuration.validate()
        self.configuration = configuration
        self.jobs = JobTable(seed: configuration.seed, timeSource: configuration.timeSource,
                             maxJobs: configuration.maxJobs, finishedJobTTL: configuration.finishedJobTTL)
        self.load = LoadLimiter(capacity: configuration.capacity, timeSource: configuration.timeSource)
        self.push = PushMonitor(timeSource: configuration.timeSource)
        self.callbacks = CallbackDispatcher(jobs: jobs, policy: configuration.callbacks, timeSource: configuration.timeSource,
                                            monitor: push)
    }

    /// The router with every route and JSON error rendering (for `HummingbirdTesting`'s
    /// `.router` framework or your own application). Webhook callbacks are delivered only while
    /// `callbacks` runs as a service (as in `buildApplication`).
    public func buildRouter() -> Router<JobServerContext> {
        let router = Router(context: JobServerContext.self)
        router.middlewares.add(JSONErrorMiddleware<JobServerContext>())
        JobRoutes(jobs: jobs, configuration: configuration, load: load, push: push, callbacks: callbacks).register(on: router)
        return router
    }

    /// A Hummingbird application serving this server's routes on `configuration.host:port`.
    /// - Parameters:
    ///   - logger: The logger of the application and its requests.
    ///   - onServerRunning: Called once the socket is bound, with the real port (useful for port 0).
    /// - Returns: An application to run in a `ServiceGroup` (or with `runService()`).
    public func buildApplication(logger: Logger,
                                 onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let configuration = self.configuration
        return Application(
            router: buildRouter(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "PollLab-MockJobServer",
                reuseAddress: false
            ),
            services: [callbacks],
            onServerRunning: { channel in
                await onServerRunning(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger
        )
    }

    /// Builds a server for `configuration` and its application (see the instance method).
    /// - Throws: `MockJobServerError.invalidConfiguration` naming the bad field.
    public static func buildApplication(configuration: Configuration, logger: Logger,
                                        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in })
        throws(MockJobServerError) -> some ApplicationProtocol
    {
        try MockJobServer(configuration: configuration).buildApplication(logger: logger, onServerRunning: onServerRunning)
    }

    /// Runs a server until SIGINT or SIGTERM, then shuts it down gracefully (the `job-server`
    /// executable's main loop).
    /// - Parameters:
    ///   - configuration: The settings; see `Configuration`.
    ///   - logger: The logger of the server.
    ///   - onListening: Called once listening, with the base URL, e.g. `http://127.0.0.1:8080`.
    /// - Throws: `MockJobServerError` (`invalidConfiguration`, `portInUse`, `bindFailed`,
    ///   `serverFailed`).
    public static func run(configuration: Configuration, logger: Logger,
                           onListening: @escaping @Sendable (_ baseURL: String) async -> Void) async throws {
        let app = try buildApplication(configuration: configuration, logger: logger) { port in
            await onListening(baseURL(host: configuration.host, port: port))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: [app],
                                                           gracefulShutdownSignals: [.sigterm, .sigint],
                                                           logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            throw mapRunError(error, configuration: configuration)
        }
    }

    /// `http://host:port`, with an IPv6 host in brackets.
    static func baseURL(host: String, port: Int) -> String {
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(shown):\(port)"
    }

    /// Turns an error from running the service group into a `MockJobServerError`.
    static func mapRunError(_ error: any Error, configuration: Configuration) -> MockJobServerError {
        if let error = error as? MockJobServerError { return error }
        if let error = error as? IOError {
            if error.errnoCode == EADDRINUSE { return .portInUse(configuration.host, configuration.port) }
            return .bindFailed(configuration.host, configuration.port, "\(error)")
        }
        if let error = error as? SocketAddressError {
            return .bindFailed(configuration.host, configuration.port, "cannot resolve host: \(error)")
        }
        return .serverFailed("\(error)")
    }
}
