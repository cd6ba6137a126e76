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

    @OptionGroup var target: RunTarget

    @Argument(help: "The note (at most 10000 characters).")
    var text: String

    func run() throws {
        try target.edit { database, runID in try database.noteRun(runID, text) }
        print(text.isEmpty ? "run \(target.runID): note removed" : "run \(target.runID): note set")
    }
}
