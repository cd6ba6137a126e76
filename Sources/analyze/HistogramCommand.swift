import Analysis
import ArgumentParser
import Foundation

/// `analyze histogram`: a text histogram of one metric per arm, shared bin edges.
struct HistogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Text histogram of delay, tries, ER, poll interval or call latency, per arm with shared bin edges.",
        discussion: """
            delay: detection delay of detected trials (s); tries: status calls per trial; er: \
            efficiency ratio per trial; interval: gap between consecutive status-call sends of a \
            trial (s); latency: received - sent of status calls (ms). Bins are [lo, hi), the last \
            one closed. Width follows the terminal (80 columns when writing to a file); colour only \
            on a terminal and never with NO_COLOR.

            Examples:
              analyze histogram --metric delay
              analyze histogram --metric tries --arm seed
              analyze histogram --metric latency --log --bins 30
              analyze histogram --metric delay --range 0:1 --ascii > delay.txt
            """)

    @OptionGroup var options: RunOptions

    @Option(help: "What to plot.")
    var metric: HistogramMetric = .delay

    @Option(help: ArgumentHelp("Arm to show (repeatable; default: every arm).", valueName: "name"))
    var arm: [String] = []

    @Option(help: ArgumentHelp("Number of bins (1-500; default 20, or one per value for tries).", valueName: "n"))
    var bins: Int?

    @Flag(help: "Logarithmic bins (for latency-like metrics).")
    var log = false

    @Option(help: ArgumentHelp("Clip to LO:HI; values outside go to under/overflow rows.", valueName: "lo:hi"))
    var range: String?

    @Flag(help: "ASCII bars (#) instead of Unicode eighth blocks.")
    var ascii = false

    func parsedRange() throws -> (Double, Double)? {
        guard let range else { return nil }
        let parts = range.split(separator: ":").map { Double($0) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo < hi else {
            throw ValidationError("--range expects LO:HI with LO < HI, e.g. 0:1, got \"\(range)\"")
        }
        return (lo, hi)
    }

    func validate() throws {
        _ = try parsedRange()
        if let bins, !(1...500).contains(bins) { throw ValidationError("--bins expects 1 to 500, got \(bins)") }
    }

    func run() throws {
        let database = try options.open()
        let report = try HistogramReport.load(
            from: database.reader, selector: options.selector, allRuns: options.allRuns, metric: metric, arms: arm)
        let binning = try Binning.make(values: report.series.flatMap(\.values), bins: bins, log: log,
                                       discrete: metric.isDiscrete && !log, range: try parsedRange())
        let style = HistogramStyle.forOutput(
            ascii: ascii, environment: ProcessInfo.processInfo.environment,
            isTerminal: Terminal.isTerminal, terminalWidth: Terminal.width)
        Terminal.write(HistogramRenderer.render(report, binning: binning, style: style))
    }
}
