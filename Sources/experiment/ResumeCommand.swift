import ArgumentParser
import ExperimentKit
import Foundation
import TraceStore

/// `experiment resume RUN`: runs only the trials an interrupted run is missing.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run the missing trials of an interrupted or failed run, with their original seeds.",
        discussion: """
            The experiment comes from the run's stored config, seed and trial count. A run still \
            marked running counts as dead once its heartbeat is older than --stale-after seconds.

            Examples:
              experiment resume 3
              experiment resume 3 --db /tmp/results.sqlite --server http://127.0.0.1:8080
            """
    )

    @Argument(help: "The run id (see `analyze summary` or `SELECT id, status FROM run`).")
    var run: Int64

    @OptionGroup var runner: RunnerOptions

    @Option(help: "Seconds after which a running run's heartbeat counts as stale.")
    var staleAfter: Double = ExperimentRunner.staleAfter

    func validate() throws {
        guard run > 0 else { throw ValidationError("RUN must be a positive run id, got \(run)") }
        guard staleAfter >= 0, staleAfter.isFinite else {
            throw ValidationError("--stale-after must be a number of seconds >= 0, got \(staleAfter)")
        }
    }

    func run() async throws {
        let (db, server) = (runner.db, runner.server)
        guard FileManager.default.fileExists(atPath: db) else {
            throw CommandFailure("no database at \(db); pass --db PATH")
        }
        let session = try RunSession(databasePath: db, label: "run \(run)")
        let (runID, staleAfter, database, logger) = (run, staleAfter, session.database, runner.logger)
        let options = ExperimentRunner.Options(serverURL: server, progress: session.progressCallback)
        let result = try await session.execute(interrupted: { "interrupted again; resume once more to run the rest" }) {
            try await ExperimentRunner(logger: logger).resume(runID: runID, database: database, staleAfter: staleAfter, options: options)
        }
        try session.printSummary("run \(result.runID): resumed \(result.trials) missing trials → \(db)", runID: result.runID)
    }
}
