import Analysis
import ArgumentParser
import Foundation
import TraceStore

/// The database and run selection shared by every `analyze` command.
struct RunOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Results database (never created or changed by analyze).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(name: .customLong("run"), help: ArgumentHelp("Run id (default: the latest run).", valueName: "id"))
    var runID: Int64?

    @Option(help: ArgumentHelp("Experiment name: its latest run.", valueName: "name"))
    var experiment: String?

    @Flag(help: "Cover every run of the selected run's experiment, arms grouped by name.")
    var allRuns = false

    func validate() throws {
        if runID != nil, experiment != nil {
            throw ValidationError("--run and --experiment are exclusive: pass one of them, or neither for the latest run")
        }
    }

    var selector: RunSelector {
        if let runID { return .run(runID) }
        if let experiment { return .experiment(experiment) }
        return .latest
    }

    /// Opens the database read-only.
    func open() throws -> TraceDatabase {
        try Self.open(db)
    }

    static func open(_ path: String) throws -> TraceDatabase {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw AnalysisError.databaseNotFound(path: path)
        }
        let database = try TraceDatabase.openReadOnly(path: path)
        if let note = database.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return database
    }
}

/// Standard output facts for styling.
enum Terminal {
    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    static var width: Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes text to standard output without buffering it all.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension SQLConsole.Format: ExpressibleByArgument {}
extension HistogramMetric: ExpressibleByArgument {}
