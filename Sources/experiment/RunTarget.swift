import ArgumentParser
import TraceStore

/// The run an editing command (`tag`, `untag`, `note`) changes, and the database holding it.
struct RunTarget: ParsableArguments {
    @Argument(help: ArgumentHelp("The run id (see `analyze runs`).", valueName: "run"))
    var runID: Int64

    @Option(help: "SQLite database file holding the run.")
    var db = "results.sqlite"

    /// Opens the existing database and runs `body` on it with the run id.
    /// - Throws: `CommandFailure` when there is no database at `db`, it cannot be opened, or the
    ///   store refuses the change (e.g. an unknown run id).
    func edit<T>(_ body: (TraceDatabase, Int64) throws -> T) throws -> T {
        let database = try ExistingDatabase.open(db)
        return try ExistingDatabase.perform { try body(database, runID) }
    }
}
