import Analysis
import ArgumentParser
import Foundation

/// `analyze report`: the complete Markdown report of an experiment.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report of an experiment (Markdown, or HTML with SVG plots): provenance, summary with CIs, histograms or plots, sweep map, comparisons.",
        discussion: """
            The same database gives a byte-identical report (nothing depends on the clock or the machine).

            Examples:
              analyze report --experiment seed-headline
              analyze report --experiment baseline-comparison --out reports/baseline-comparison.md
              analyze report --experiment strategy-shootout --format html --out /tmp/shootout.html
            """)

    @Option(help: ArgumentHelp("Results database (opened read-only).", valueName: "path"))
    var db: String = "results.sqlite"

    @Option(help: ArgumentHelp("Experiment name.", valueName: "name"))
    var experiment: String

    @Flag(help: "Cover every run of the experiment (arms grouped by name), not just the latest.")
    var allRuns = false

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var out: String?

    @Option(help: "markdown (text, the default) or html (one self-contained file with inline SVG plots).")
    var format: ReportFormat = .markdown

    enum ReportFormat: String, ExpressibleByArgument {
        case markdown, html
    }

    func run() throws {
        let database = try RunOptions.open(db)
        let text = format == .html
            ? try HTMLReport.render(reader: database.reader, experiment: experiment, options: .init(allRuns: allRuns))
            : try ExperimentReport.render(reader: database.reader, experiment: experiment, options: .init(allRuns: allRuns))
        if let out {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw AnalysisError.invalidField("--out", "cannot write \(out): \(error.localizedDescription)")
            }
            Terminal.note("wrote \(out)")
        } else {
            Terminal.write(text)
        }
    }
}
