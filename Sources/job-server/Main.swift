import ArgumentParser
import Foundation
import Logging
import MockJobServer
import PollingCore

/// `job-server`: runs PollLab's mock job server until SIGINT or SIGTERM.
///
/// Prints one line `job-server listening on http://HOST:PORT` on standard output once bound
/// (the real port when `--port 0`); logs go to standard error.
@main
struct JobServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job-server",
        abstract: "Run PollLab's mock job server (POST /jobs, GET /jobs/{id}[?wait=S], seed-compatible POST /request, GET /status).",
        discussion: """
            Prints 'job-server listening on http://HOST:PORT' once listening (the real port with \
            --port 0) and runs until SIGINT or SIGTERM. Fault settings (--faults) are a JSON \
            object with the keys of docs/server.md, e.g. '{"error_503": 0.05, "retry_after": 1}', \
            or @FILE to read it from a file.

            Examples:
              job-server
              job-server --port 0 --seed 42
              job-server --retry-after 1 --eta --progress --faults '{"error_503": 0.05, "retry_after": 1}'
            """
    )

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "TCP port to bind (0 = an ephemeral port, printed on start).")
    var port: Int = 8080

    @Option(help: "Seed of the server's generator, for jobs posted without a seed (unsigned 64-bit).")
    var seed: UInt64 = 0

    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    @Option(help: "Longest long-poll wait in seconds (GET /jobs/{id}?wait=S is cut to it).")
    var maxWait: Double = 30

    @Option(help: "Most jobs held at once; when full, finished jobs are dropped oldest first, then creates get 503 too_many_jobs.")
    var maxJobs: Int = 100_000

    @Option(help: "Seconds a finished job stays readable; then GET answers 410 job_expired.")
    var finishedJobTTL: Double = 300

    @Option(help: "Largest request body in bytes (413 beyond it).")
    var maxBodySize: Int = 65_536

    @Option(help: "Send Retry-After with this many seconds on pending status responses.")
    var retryAfter: Int?

    @Option(help: "Form of Retry-After: seconds or http-date.")
    var retryAfterFormat: String = "seconds"

    @Flag(help: "Add eta (seconds left, fractional) to pending status responses.")
    var eta = false

    @Flag(help: "Add progress {done, total} (parts finished) to pending status responses of parts jobs; other jobs carry none.")
    var progress = false

    @Option(help: "Server-wide fault injection: a JSON object (see docs/server.md) or @FILE.")
    var faults: String?

    @Option(help: "Capacity for GET /jobs/{id}: a JSON object, e.g. '{\"rate\": 100, \"burst\": 20, \"concurrency\": 8, \"service_time\": 0.01, \"max_queue\": 64, \"per_client\": false}' (429 rate_limited, 503 overloaded; counts at GET /stats).")
    var capacity: String?

    func validate() throws {
        guard MockJobServer.Hints.RetryAfterFormat(rawValue: retryAfterFormat) != nil else {
            throw ValidationError("--retry-after-format must be seconds or http-date, got '\(retryAfterFormat)'")
        }
        for (name, value) in [("--max-wait", maxWait), ("--finished-job-ttl", finishedJobTTL)] where !(value.isFinite && value >= 0) {
            throw ValidationError("\(name) must be a finite number of seconds >= 0, got \(value)")
        }
        _ = try configuration()
        guard !host.isEmpty else { throw ValidationError("--host must not be empty; use e.g. 127.0.0.1") }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port must be in 0...65535 (0 = ephemeral), got \(port)")
        }
    }

    func run() async throws {
        var logger = Logger(label: "job-server", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = logLevel
        let configuration = try configuration()
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

    /// The server configuration from the options.
    /// - Throws: `ValidationError` naming the option that is wrong.
    func configuration() throws -> MockJobServer.Configuration {
        var faultSettings = MockJobServer.FaultConfiguration()
        if let faults {
            let data: Data
            if faults.hasPrefix("@") {
                guard let contents = FileManager.default.contents(atPath: String(faults.dropFirst())) else {
                    throw ValidationError("--faults: cannot read file '\(faults.dropFirst())'")
                }
                data = contents
            } else {
                data = Data(faults.utf8)
            }
            do {
                faultSettings = try JSONDecoder().decode(MockJobServer.FaultConfiguration.self, from: data)
            } catch let DecodingError.dataCorrupted(context) {
                let key = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw ValidationError("--faults: \(key.isEmpty ? "" : key + ": ")\(context.debugDescription)")
            } catch {
                throw ValidationError("--faults: \(error)")
            }
        }
        var capacitySettings = ServerCapacity()
        if let capacity {
            do {
                capacitySettings = try JSONDecoder().decode(ServerCapacity.self, from: Data(capacity.utf8))
            } catch let DecodingError.dataCorrupted(context), let DecodingError.typeMismatch(_, context) {
                let key = context.codingPath.map(\.stringValue).joined(separator: ".")
                throw ValidationError("--capacity: \(key.isEmpty ? "" : key + ": ")\(context.debugDescription)")
            } catch {
                throw ValidationError("--capacity: \(error)")
            }
        }
        let configuration = MockJobServer.Configuration(
            host: host, port: port, seed: seed,
            hints: .init(retryAfter: retryAfter, eta: eta,
                         retryAfterFormat: MockJobServer.Hints.RetryAfterFormat(rawValue: retryAfterFormat) ?? .seconds,
                         progress: progress),
            maxBodySize: maxBodySize, maxWait: .clampedSeconds(maxWait), faults: faultSettings,
            maxJobs: maxJobs, finishedJobTTL: .clampedSeconds(finishedJobTTL), capacity: capacitySettings)
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("\(error.field.map { "--" + $0.replacingOccurrences(of: "_", with: "-") + ": " } ?? "")\(error.message)")
        }
        return configuration
    }
}
