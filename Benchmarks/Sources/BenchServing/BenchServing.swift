import BenchSupport
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the benchmark servers (`bench-server-floor` and `bench-server`) with one Hummingbird
/// configuration, so the floor and the mock differ only in their router.
public enum BenchServing {
    /// Serves `router` on 127.0.0.1:`port`, prints `listening on http://127.0.0.1:PORT` once bound,
    /// and runs until SIGINT or SIGTERM.
    /// - Parameters:
    ///   - router: the routes to serve.
    ///   - name: the server name (and logger label).
    ///   - port: the TCP port (0 = ephemeral).
    ///   - backlog: the listen backlog (Hummingbird's default is 256).
    /// - Throws: what the application throws while starting or running.
    public static func serve<Builder: HTTPResponderBuilder>(_ router: Builder, name: String, port: Int,
                                                          backlog: Int) async throws
    where Builder.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        var logger = Logger(label: name)
        logger.logLevel = .error
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: name, backlog: backlog),
            onServerRunning: { channel in
                BenchReport.print("listening on http://127.0.0.1:\(channel.localAddress?.port ?? port)")
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: logger))
        try await group.run()
    }
}
