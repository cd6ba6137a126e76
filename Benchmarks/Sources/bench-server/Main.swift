import BenchSupport
import Logging
import MockJobServer

/// `bench-server [PORT]`: PollLab's mock job server with its default configuration (the same as
/// `job-server`), built in the benchmark package so that it and `bench-server-floor` come from
/// the same build. Prints `listening on http://127.0.0.1:PORT` once bound and runs until
/// SIGINT or SIGTERM.
@main
struct BenchServer {
    static func main() async throws {
        let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 0
        var logger = Logger(label: "bench-server")
        logger.logLevel = .error
        try await MockJobServer.run(configuration: .init(host: "127.0.0.1", port: port), logger: logger) { url in
            BenchReport.print("listening on \(url)")
        }
    }
}
