import Analysis
import ArgumentParser
import Foundation
import TraceStore

/// `analyze runs`: the run catalogue, filtered.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs: id, experiment, status, mode, seed, arms, trials, start, wall time, git, tags, note.",
        discussion: """
            Filters combine (every one must hold); --tag may be repeated. Tag, note or delete runs \
            with `experiment tag|untag|note|delete`.

            Examples:
              analyze runs
              analyze runs --experiment strategy-shootout --status finished
              analyze runs --tag baseline=true --since 2026-12-01 --format json
              analyze runs --mode simulated --format csv > runs.csv
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(help: ArgumentHelp("Only runs of this experiment.", valueName: "name"))
    var experiment: String?

    @Option(help: ArgumentHelp("Only runs with this status: running, finished, failed, interrupted.", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only runs in this mode: live or simulated.", valueName: "mode"))
    var mode: String?

    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs tagged KEY=VALUE (repeatable).", valueName: "key=value"))
    var tags: [String] = []

    @Option(help: ArgumentHelp("Only runs started at or after this date (2026-12-06) or instant (RFC 3339).", valueName: "date"))
    var since: String?

    @Option(help: "Output format: table, csv or json.")
    var format: SummaryFormat = .table

    func validate() throws {
        do {
            _ = try tags.map(RunTag.parse)
            _ = try since.map(RunCatalogue.parseSince)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() throws {
        let filter = RunCatalogue.Filter(
            experiment: experiment, status: status, mode: mode, tags: try tags.map(RunTag.parse),
            since: try since.map(RunCatalogue.parseSince))
        let database = try RunOptions.open(db)
        let catalogue = try RunCatalogue.load(from: database.reader, filter: filter)
        Terminal.write(RunCatalogueRenderer.render(catalogue, format: format))
    }
}
