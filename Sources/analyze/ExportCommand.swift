import Analysis
import ArgumentParser
import Foundation

/// `analyze export`: every row of a table or view as CSV or JSON.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a table or view (e.g. trial_metrics, api_call) as CSV or JSON.",
        discussion: """
            Examples:
              analyze export --table trial_metrics --format csv > trials.csv
              analyze export --table run --format json --out runs.json
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(help: ArgumentHelp("Table or view name.", valueName: "name"))
    var table: String

    @Option(help: "csv or json.")
    var format: SQLConsole.Format = .csv

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var out: String?

    func validate() throws {
        if format == .table { throw ValidationError("--format: export writes csv or json") }
    }

    func run() throws {
        let database = try RunOptions.open(db)
        var handle = FileHandle.standardOutput
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil), let file = FileHandle(forWritingAtPath: out) else {
                throw AnalysisError.invalidField("--out", "cannot create \(out); check the directory exists and is writable")
            }
            handle = file
        }
        let rows = try SQLConsole.export(reader: database.reader, name: table, format: format) { text in
            handle.write(Data(text.utf8))
        }
        if out != nil {
            try handle.close()
            Terminal.note("exported \(rows) rows of \(table) to \(out ?? "")")
        }
    }
}
