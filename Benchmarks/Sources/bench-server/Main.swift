import BenchServing
import BenchSupport
import Foundation
import MockJobServer

/// `bench-server [PORT] [BACKLOG]`: PollLab's mock job server (`MockJobServer.buildRouter()`, the
/// default configuration, as `job-server` serves it), built in the benchmark package so that it
/// and `bench-server-floor` come from the same build. The listen backlog defaults to 4096
/// instead of Hummingbird's 256 so that 10 000 clients connecting at once (the runner
/// benchmark's warm-up) are not dropped and retried after the client's 1 s connect timeout.
/// Prints `listening on http://127.0.0.1:PORT` once bound and runs until SIGINT or SIGTERM.
@main
struct BenchServer {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let port = arguments.first.flatMap(Int.init) ?? 0
        let backlog = arguments.dropFirst().first.flatMap(Int.init) ?? 4096
        do {
            let server = try MockJobServer(configuration: .init(host: "127.0.0.1", port: port))
            try await BenchServing.serve(server.buildRouter(), name: "bench-server", port: port, backlog: backlog)
        } catch {
            BenchReport.printError("bench-server: \(error)")
            exit(1)
        }
    }
}
