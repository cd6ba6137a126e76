import ArgumentParser
import Foundation
import TraceStore

/// `experiment delete RUN… [--vacuum]`: deletes runs with all their rows.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete runs and all their rows (arms, trials, calls, tags, note) in one transaction.",
        discussion: """
            Either every run named goes or none (an unknown id deletes nothing). SQLite keeps the \
            freed pages for reuse; --vacuum gives them back to the file system (VACUUM, then a \
            truncating WAL checkpoint) and prints the file sizes before and after. VACUUM \
            rewrites the whole file: it needs free disk space about the file's size.

            Examples:
              experiment delete 3
              experiment delete 3 4 5 --vacuum --db /tmp/results.sqlite
            """)

    @Argument(help: "The run ids (see `analyze runs`).")
    var runs: [Int64]

    @Option(help: "SQLite database file holding the runs.")
    var db = "results.sqlite"

    @Flag(help: "Reclaim the freed space (VACUUM + WAL checkpoint with truncation) and print the sizes.")
    var vacuum = false

    func validate() throws {
        guard !runs.isEmpty else { throw ValidationError("give at least one run id to delete") }
    }

    func run() throws {
        let database = try ExistingDatabase.open(db)
        let before = database.fileBytes
        let deleted = try ExistingDatabase.perform { try database.deleteRuns(runs) }
        let counts = deleted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        print("deleted run\(runs.count == 1 ? "" : "s") \(runs.map(String.init).joined(separator: ", ")) (rows: \(counts))")
        guard vacuum else { return }
        try ExistingDatabase.perform { try database.vacuum() }
        let after = database.fileBytes
        print("vacuum: \(before) bytes before, \(after) bytes after (database file + WAL)")
    }
}
