/// Errors of the `Analysis` module, each with a stable short code.
///
/// Every message names what is wrong and how to fix it; `description` is what the `analyze`
/// executable prints.
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file does not exist (`analyze` never creates it).
    case databaseNotFound(path: String)
    /// The file opened is not a PollLab results database (no `run` table).
    case notAResultsDatabase(path: String)
    /// The database holds no runs at all.
    case noRuns(path: String)
    /// No run has this id; `latest` is the highest run id present, if any.
    case unknownRun(id: Int64, latest: Int64?)
    /// No experiment has this name; `known` lists the experiment names present, sorted.
    case unknownExperiment(name: String, known: [String])
    /// The experiment exists but has never been run.
    case experimentWithoutRuns(name: String)
    /// Score weights could not be parsed: (the text given).
    case invalidWeights(String)
    /// A field is missing or out of range: (field name, what is wrong and how to fix it).
    case invalidField(String, String)
    /// SQLite reported an error while reading: (its message).
    case database(String)
    /// No arm has this name in the runs covered; `known` lists the arm names present.
    case unknownArm(name: String, runs: [Int64], known: [String])
    /// `analyze sql` refused a statement that could change the database: (why).
    case writeRefused(String)
    /// A query ran longer than its time limit, in seconds.
    case timeLimitExceeded(seconds: Double)
    /// A query's result holds more text and blob bytes than the output cap.
    case outputTooLarge(maxBytes: Int)

    /// A stable short code, for scripts and logs.
    public var code: String {
        switch self {
        case .databaseNotFound: return "database_not_found"
        case .notAResultsDatabase: return "not_a_results_database"
        case .noRuns: return "no_runs"
        case .unknownRun: return "unknown_run"
        case .unknownExperiment: return "unknown_experiment"
        case .experimentWithoutRuns: return "experiment_without_runs"
        case .invalidWeights: return "invalid_weights"
        case .invalidField: return "invalid_field"
        case .database: return "database_error"
        case .unknownArm: return "unknown_arm"
        case .writeRefused: return "write_refused"
        case .timeLimitExceeded: return "time_limit_exceeded"
        case .outputTooLarge: return "output_too_large"
        }
    }

    public var description: String {
        switch self {
        case .databaseNotFound(let path):
            return "no database at \(path): run `swift run experiment run seed-headline` first, or pass --db PATH"
        case .notAResultsDatabase(let path):
            return "\(path) is not a PollLab results database (it has no `run` table); pass --db PATH of a results file"
        case .noRuns(let path):
            return "no runs in \(path): run `swift run experiment run seed-headline` first"
        case .unknownRun(let id, let latest):
            if let latest {
                return "--run: no run with id \(id) (run ids go up to \(latest)); omit --run for the latest run"
            }
            return "--run: no run with id \(id) (the database has no runs)"
        case .unknownExperiment(let name, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            return "--experiment: no experiment named \"\(name)\" (known experiments: \(list))"
        case .experimentWithoutRuns(let name):
            return "--experiment: experiment \"\(name)\" has no runs yet: run `swift run experiment run \(name)` first"
        case .invalidWeights(let text):
            return "--weights expects WI,WJ like 1,2 (two finite numbers), got \"\(text)\""
        case .invalidField(let field, let message):
            return "\(field): \(message)"
        case .database(let message):
            return "database error: \(message)"
        case .unknownArm(let name, let runs, let known):
            let list = known.isEmpty ? "none" : known.joined(separator: ", ")
            let where_ = runs.count == 1 ? "run \(runs[0])" : "runs " + runs.map(String.init).joined(separator: ", ")
            return "--arm: no arm named \"\(name)\" in \(where_) (known arms: \(list))"
        case .writeRefused(let why):
            return "refused: \(why); analyze sql only reads (use the sqlite3 shell on a copy to change data)"
        case .timeLimitExceeded(let seconds):
            return "the query ran longer than its time limit of \(ScoreWeights.format(seconds)) s and was interrupted; raise it with --time-limit SECONDS"
        case .outputTooLarge(let maxBytes):
            return "the result holds more than \(maxBytes) bytes of text and blobs (the output cap); select fewer rows or "
                + "smaller columns (e.g. length(x) or substr(x, 1, 100)), or raise the cap with --max-bytes N"
        }
    }
}
