import Analysis
import ArgumentParser

/// `analyze tune`: the recorded tunings (`experiment tune`).
struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Show a recorded tuning (families ranked, scores, ties, gap to optimal), or list them all.",
        discussion: """
            Examples:
              analyze tune
              analyze tune --experiment seed-headline
              analyze tune --tuning 3
              analyze tune --all
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(help: ArgumentHelp("Tuning id (default: the latest).", valueName: "id"))
    var tuning: Int64?

    @Option(help: ArgumentHelp("Experiment name: its latest tuning (with --all: its tunings).", valueName: "name"))
    var experiment: String?

    @Flag(help: "List every tuning, one line each.")
    var all = false

    func validate() throws {
        if tuning != nil, experiment != nil || all {
            throw ValidationError("--tuning excludes --experiment and --all: pass one selector")
        }
    }

    func run() throws {
        let database = try RunOptions.open(db)
        Terminal.write(try TuningTable.render(reader: database.reader, tuningID: tuning, experiment: experiment, all: all))
    }
}
