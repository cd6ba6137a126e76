import ArgumentParser
import Foundation
import Logging
import MockJobServer

/// `job-server`: runs PollLab's mock job server until SIGINT or SIGTERM.
///
/// Prints one line `job-server listening on http://HOST:PORT` on standard output once bound
/// (the real port when `--port 0`); logs go to standard error.
@main
struct JobServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job-server",
        abstract: "Run PollLab's mock job server (POST /jobs, GET /jobs/{id}, seed-compatible POST /request, GET /status).",
        discussion: """
            Prints 'job-server listening on http://HOST:PORT' once listening (the real port with \
            --port 0) and runs until SIGINT or SIGTERM.
            """
    )

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to bind (0 = an ephemeral port, printed on start).")
    var port: Int = 8080

    @Option(help: "Seed of the server's generator, for jobs posted without a seed (unsigned 64-bit).")
    var seed: UInt64 = 0

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard !host.isEmpty else { throw ValidationError("--host must not be empty; use e.g. 127.0.0.1") }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be in 0...65535 (0 = ephemeral), got \(port)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level must be one of \(levels), got '\(logLevel)'")
        }
    }

    func run() async throws {
        var logger = Logger(label: "job-server", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let configuration = MockJobServer.Configuration(host: host, port: port, seed: seed)
        do {
            try await MockJobServer.run(configuration: configuration, logger: logger) { baseURL in
                // Written unbuffered so that a parent process reading the pipe sees it at once.
                FileHandle.standardOutput.write(Data("job-server listening on \(baseURL)\n".utf8))
            }
        } catch let error as MockJobServerError {
            FileHandle.standardError.write(Data("job-server: error: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}
