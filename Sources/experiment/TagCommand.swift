import ArgumentParser
import TraceStore

/// `experiment tag RUN K=V…`: sets tags on a run.
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Set tags KEY=VALUE on a run (an existing key gets the new value).",
        discussion: """
            Keys: 1-64 ASCII letters, digits, '_', '-', '.', '/', ':'. Values may be empty. \
            List tagged runs with `analyze runs --tag KEY=VALUE`.

            Examples:
              experiment tag 3 baseline=true
              experiment tag 3 ticket=PL-42 machine=ci-2 --db /tmp/results.sqlite
            """)

    @OptionGroup var target: RunTarget

    @Argument(help: "Tags as KEY=VALUE.")
    var tags: [String]

    func validate() throws {
        guard !tags.isEmpty else { throw ValidationError("give at least one KEY=VALUE tag, e.g. baseline=true") }
        do {
            _ = try tags.map(RunTag.parse)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        let parsed = try tags.map(RunTag.parse)
        try target.edit { database, runID in try database.tagRun(runID, parsed) }
        print("run \(target.runID): tagged \(parsed.map(\.description).joined(separator: " "))")
    }
}
