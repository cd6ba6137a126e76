import ArgumentParser
import Logging

/// The options `experiment run` and `experiment resume` share (`@OptionGroup`).
struct RunnerOptions: ParsableArguments {
    @Option(help: "SQLite database file of the run (`run` creates it if missing).")
    var db = "results.sqlite"

    @Option(help: "Poll this server (e.g. http://127.0.0.1:8080) instead of the embedded one (live runs).")
    var server: String?

    @Flag(help: "Log debug messages on standard error (e.g. when resume claims the run).")
    var verbose = false

    /// The runner's logger: warnings and worse on standard error, debug messages too with
    /// `--verbose`.
    var logger: Logger {
        var logger = Logger(label: "polllab.experiment")
        logger.logLevel = verbose ? .debug : .warning
        return logger
    }

    func validate() throws {
        if let server, !(server.hasPrefix("http://") || server.hasPrefix("https://")) {
            throw ValidationError("--server must be an http:// URL like http://127.0.0.1:8080, got '\(server)'")
        }
    }
}
