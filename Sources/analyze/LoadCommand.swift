import Analysis
import ArgumentParser
import Foundation

/// `analyze load`: status calls per time bucket of each arm, with the server's capacity line.
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Terminal time series of status calls per 100 ms bucket per arm, with the server's capacity line.",
        discussion: """
            Counts the status calls each arm sent in each bucket [i*b, (i+1)*b) of sent_ns from \
            the run's start (b = --bucket seconds, default 0.1, the buckets of server_load). When \
            the run's experiment file sets server.capacity.rate, the capacity rate*b is drawn as a \
            vertical line. Bars scale to the largest count or capacity over every arm. One run.

            Examples:
              analyze load --experiment herd
              analyze load --run 3 --bucket 0.5 --ascii > load.txt
            """)

    @OptionGroup var options: RunOptions

    @Option(help: ArgumentHelp("Bucket width in seconds (> 0; default 0.1).", valueName: "seconds"))
    var bucket: Double = 0.1

    @Flag(help: "ASCII bars (#) instead of Unicode eighth blocks.")
    var ascii = false

    func validate() throws {
        guard bucket.isFinite, bucket > 0, bucket <= 3600 else {
            throw ValidationError("--bucket expects seconds > 0 and <= 3600, e.g. 0.1; got \(bucket)")
        }
        if options.allRuns { throw ValidationError("analyze load covers one run: drop --all-runs, pick one with --run ID") }
    }

    func run() throws {
        let database = try options.open()
        let report = try LoadReport.load(from: database.reader, selector: options.selector, bucket: bucket)
        let style = HistogramStyle.forOutput(
            ascii: ascii, environment: ProcessInfo.processInfo.environment,
            isTerminal: Terminal.isTerminal, terminalWidth: Terminal.width)
        Terminal.write(LoadRenderer.render(report, style: style))
    }
}
