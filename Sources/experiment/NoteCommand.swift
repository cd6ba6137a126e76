import ArgumentParser
import TraceStore

/// `experiment note RUN TEXT`: sets a run's note.
struct NoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note", abstract: "Set (replace) a run's free-text note; an empty TEXT removes it.",
        discussion: """
            Examples:
              experiment note 3 "baseline before the retry-budget change"
              experiment note 3 ""      # remove the note
            """)

    @Argument(help: ArgumentHelp("The run id (see `analyze runs`).", valueName: "run"))
    var runID: Int64

    @Argument(help: "The note (at most 10000 characters).")
    var text: String

    @Option(help: "SQLite database file holding the run.")
    var db = "results.sqlite"

    func run() throws {
        let database = try ExistingDatabase.open(db)
        try ExistingDatabase.perform { try database.noteRun(runID, text) }
        print(text.isEmpty ? "run \(runID): note removed" : "run \(runID): note set")
    }
}
