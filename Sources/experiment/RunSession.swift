import Analysis
import ExperimentKit
import Foundation
import TraceStore

/// What `experiment run` and `experiment resume` share: opening the database, a progress line,
/// stopping cleanly on Ctrl-C, turning failures into one-line errors, and printing the summary.
struct RunSession {
    let database: TraceDatabase
    let path: String
    let progress: ProgressLine

    /// Opens (or creates) the database at `path`.
    /// - Throws: `CommandFailure` naming the path.
    init(databasePath path: String, label: String) throws {
        do {
            database = try TraceDatabase.open(path: path)
        } catch {
            throw CommandFailure("\(error)")
        }
        self.path = path
        progress = ProgressLine(label: label)
    }

    /// The runner's progress callback, drawing the progress line.
    var progressCallback: @Sendable (Int, Int) -> Void {
        { [progress] done, all in progress.update(done, all) }
    }

    /// Runs `body`, cancelled by SIGINT/SIGTERM; clears the progress line either way.
    /// - Parameter interrupted: the message for an interrupted run.
    /// - Throws: `CommandFailure`.
    func execute(interrupted: @escaping () -> String,
                 _ body: @escaping @Sendable () async throws -> ExperimentRunner.Result) async throws -> ExperimentRunner.Result {
        defer { progress.finish() }
        do {
            return try await cancellingOnSignals(body)
        } catch is CancellationError {
            throw CommandFailure(interrupted())
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Prints `headline`, a blank line and the run's summary.
    func printSummary(_ headline: String, runID: Int64) throws {
        print(headline + "\n")
        print(try RunSummary.summaryText(reader: database.reader, runID: runID), terminator: "")
    }
}
