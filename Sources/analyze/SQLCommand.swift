import Analysis
import ArgumentParser

/// `analyze sql`: one ad-hoc read-only query.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement (row cap, time limit) and print a table, CSV or JSON.",
        discussion: """
            The database is opened read-only and only statements that cannot change any file run: \
            INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, ATTACH, DETACH, VACUUM, transaction \
            control and PRAGMA assignments are refused with exit code 1. Views: trial_metrics, \
            trial_calls, arm_summary.

            Examples:
              analyze sql "SELECT arm, avg(delay_s) FROM trial_metrics WHERE run_id = 2 GROUP BY arm"
              analyze sql "SELECT * FROM api_call" --max-rows 50 --format csv
              analyze sql "SELECT count(*) FROM trial" --time-limit 10 --format json
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Argument(help: ArgumentHelp("One SQL statement.", valueName: "sql"))
    var sql: String

    @Option(help: ArgumentHelp("Row cap (rows beyond it are not printed).", valueName: "n"))
    var maxRows: Int = 1000

    @Option(help: ArgumentHelp("Seconds before the query is interrupted.", valueName: "seconds"))
    var timeLimit: Double = 5

    @Option(help: ArgumentHelp("Cap on the text and blob bytes of the result (beyond it: an error, nothing printed).",
                               valueName: "n"))
    var maxBytes: Int = SQLConsole.defaultMaxBytes

    @Option(help: "Output format.")
    var format: SQLConsole.Format = .table

    func validate() throws {
        guard maxRows >= 1 else { throw ValidationError("--max-rows expects a whole number >= 1, got \(maxRows)") }
        guard maxBytes >= 1 else { throw ValidationError("--max-bytes expects a whole number >= 1, got \(maxBytes)") }
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit expects seconds > 0, got \(timeLimit)") }
    }

    func run() throws {
        let database = try RunOptions.open(db)
        let result = try SQLConsole.query(reader: database.reader, sql: sql, maxRows: maxRows, timeLimit: timeLimit,
                                         maxBytes: maxBytes)
        Terminal.write(QueryRenderer.render(result, format: format))
        if result.truncated, format != .table {
            Terminal.note("note: row cap of \(maxRows) reached; more rows exist (raise it with --max-rows N)")
        }
    }
}
