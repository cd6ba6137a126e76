import ArgumentParser
import TraceStore

/// `experiment untag RUN K…`: removes tags from a run.
struct UntagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untag", abstract: "Remove tags (by key) from a run; a key the run lacks is an error.",
        discussion: """
            Examples:
              experiment untag 3 baseline
              experiment untag 3 ticket machine --db /tmp/results.sqlite
            """)

    @OptionGroup var target: RunTarget

    @Argument(help: "Tag keys to remove.")
    var keys: [String]

    func validate() throws {
        guard !keys.isEmpty else { throw ValidationError("give at least one tag KEY to remove") }
        do {
            try keys.forEach(RunTag.validate(key:))
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        try target.edit { database, runID in try database.untagRun(runID, keys: keys) }
        print("run \(target.runID): removed tags \(keys.joined(separator: " "))")
    }
}
