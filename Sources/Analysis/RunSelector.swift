import GRDB

/// Which run a report is about: the latest run, a run id, or the latest run of an experiment.
///
/// "Latest" means the highest run id: runs are numbered in creation order, and a resumed run
/// keeps its id.
public enum RunSelector: Sendable, Hashable, CustomStringConvertible {
    /// The run with the highest id in the database (the default of every `analyze` command).
    case latest
    /// The run with this id (`run.id`).
    case run(Int64)
    /// The latest run of the experiment with this name (`experiment.name`).
    case experiment(String)

    public var description: String {
        switch self {
        case .latest: return "latest run"
        case .run(let id): return "run \(id)"
        case .experiment(let name): return "latest run of experiment \(name)"
        }
    }

    /// Finds the run id this selector names.
    /// - Parameters:
    ///   - db: an open connection to a results database.
    ///   - databaseName: how to name the database in errors (e.g. the `--db` path as given);
    ///     default `nil` = the file path SQLite reports.
    /// - Returns: the id of the selected run.
    /// - Throws: `AnalysisError.notAResultsDatabase` without a `run` table, `.noRuns` when
    ///   the database holds no runs, `.unknownRun`, `.unknownExperiment` (listing the known
    ///   experiments) or `.experimentWithoutRuns`; SQLite errors as GRDB's `DatabaseError`.
    public func resolve(_ db: Database, databaseName: String? = nil) throws -> Int64 {
        let dbName = databaseName ?? Self.path(of: db)
        guard try db.tableExists("run"), try db.tableExists("experiment") else {
            throw AnalysisError.notAResultsDatabase(path: dbName)
        }
        let latest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM run")
        switch self {
        case .latest:
            guard let latest else { throw AnalysisError.noRuns(path: dbName) }
            return latest
        case .run(let id):
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE id = ?)", arguments: [id]) == true
            else { throw AnalysisError.unknownRun(id: id, latest: latest) }
            return id
        case .experiment(let name):
            guard let experimentID = try Int64.fetchOne(
                db, sql: "SELECT id FROM experiment WHERE name = ?", arguments: [name])
            else {
                let known = try String.fetchAll(db, sql: "SELECT name FROM experiment ORDER BY name")
                throw AnalysisError.unknownExperiment(name: name, known: known)
            }
            guard let runID = try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM run WHERE experiment_id = ?", arguments: [experimentID])
            else { throw AnalysisError.experimentWithoutRuns(name: name) }
            return runID
        }
    }

    /// The main database file's path as SQLite reports it (empty for in-memory databases).
    static func path(of db: Database) -> String {
        (try? String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'")) ?? ""
    }
}
