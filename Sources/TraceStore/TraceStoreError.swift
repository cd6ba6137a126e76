/// Errors of the `TraceStore` module, each with a stable short code (`code`) that callers may
/// store or match on, and a message that names the path or field at fault and the fix.
public enum TraceStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be opened or created: (path, underlying reason).
    case openFailed(path: String, reason: String)
    /// A read-only open found no database file at the path.
    case notFound(path: String)
    /// The file holds tables or views but is not a PollLab database: (path, what was found, e.g.
    /// `table users`). Nothing was changed.
    case foreignDatabase(path: String, found: [String])
    /// The schema migrations failed: (path, underlying reason).
    case migrationFailed(path: String, reason: String)
    /// A write was attempted through a database opened read-only.
    case readOnly(path: String)
    /// An argument is out of range: (field name, what is wrong and how to fix it).
    case invalidArgument(field: String, message: String)
    /// No run has this id.
    case unknownRun(Int64)
    /// A trial names an arm that is not part of the run: (arm name, known arm names, sorted).
    case unknownArm(String, known: [String])
    /// A resume found the run owned by a live runner: its heartbeat is `heartbeatAge` seconds
    /// old, under `staleAfter`.
    case runInUse(runID: Int64, heartbeatAge: Double, staleAfter: Double)
    /// The trace writer was used after `close()`.
    case writerClosed
    /// A database operation failed: (what was being done, underlying reason).
    case databaseFailed(operation: String, reason: String)
    /// `experiment merge` refused its shards or output: (what is wrong, naming the files, runs
    /// and shards at fault, and the fix). Nothing was written.
    case mergeRefused(String)

    /// A stable short code, e.g. `db_open_failed`.
    public var code: String {
        switch self {
        case .openFailed: return "db_open_failed"
        case .notFound: return "db_not_found"
        case .foreignDatabase: return "db_foreign"
        case .migrationFailed: return "db_migration_failed"
        case .readOnly: return "db_read_only"
        case .invalidArgument: return "invalid_argument"
        case .unknownRun: return "unknown_run"
        case .unknownArm: return "unknown_arm"
        case .runInUse: return "run_in_use"
        case .writerClosed: return "writer_closed"
        case .databaseFailed: return "db_failed"
        case .mergeRefused: return "merge_refused"
        }
    }

    /// A message naming the path or field at fault and the fix.
    public var description: String {
        switch self {
        case .openFailed(let path, let reason):
            return "cannot open database at \(path): \(reason) "
                + "(check the directory exists and is writable, or pass --db)"
        case .notFound(let path):
            return "no database at \(path) (run an experiment first, or pass --db with an existing file)"
        case .foreignDatabase(let path, let found):
            let shown = found.prefix(8).joined(separator: ", ") + (found.count > 8 ? ", … (\(found.count) in all)" : "")
            return "\(path) is not a PollLab database: it holds \(shown); nothing was changed "
                + "(pass --db with a new file name, or an existing PollLab database)"
        case .migrationFailed(let path, let reason):
            return "cannot migrate the schema of \(path): \(reason) "
                + "(is it a PollLab database written by a newer version? pass --db to use another file)"
        case .readOnly(let path):
            return "database at \(path) was opened read-only; writes are refused"
        case .invalidArgument(let field, let message):
            return "\(field): \(message)"
        case .unknownRun(let id):
            return "no run with id \(id) in the database"
        case .unknownArm(let name, let known):
            return "arm '\(name)' is not part of this run (known arms: \(known.sorted().joined(separator: ", ")))"
        case .runInUse(let id, let age, let staleAfter):
            return "run \(id) is still being written by another runner (its heartbeat is \(Int(age.rounded(.down))) s old, "
                + "under --stale-after \(Int(staleAfter.rounded(.up))) s); resume it after that runner stops"
        case .writerClosed:
            return "the trace writer is closed; create a new TraceWriter to record more trials"
        case .databaseFailed(let operation, let reason):
            return "database error while \(operation): \(reason)"
        case .mergeRefused(let message):
            return "merge refused: \(message); nothing was written"
        }
    }
}
