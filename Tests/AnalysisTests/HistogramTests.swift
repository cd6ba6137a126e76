@testable import Analysis
import Testing

@Suite struct HistogramTests {
    static let run = RunHeader(runID: 7, experiment: "toy", mode: "simulated", status: "finished", seed: "1",
                               startedAt: "2025-06-01T12:00:00Z", trialsPerArm: 4)

    @Test func binningEdgesAndSlots() throws {
        let b = try Binning.make(values: [0, 1, 4], bins: 4, log: false, discrete: false, range: nil)
        #expect(b.edges == [0, 1, 2, 3, 4])
        #expect(b.slot(of: 1) == .bin(1))          // [1, 2): the lower edge belongs to the bin
        #expect(b.slot(of: 4) == .bin(3))          // the last bin is closed
        #expect(b.counts([0, 0.5, 1, 3.99, 4]).bins == [2, 1, 0, 2])
        let tries = try Binning.make(values: [2, 3, 3, 6], bins: nil, log: false, discrete: true, range: nil)
        #expect(tries.edges == [2, 3, 4, 5, 6, 7])
        let log = try Binning.make(values: [0.001, 1, 0], bins: 3, log: true, discrete: false, range: nil)
        #expect(log.edges.count == 4 && abs(log.edges[1] - 0.01) < 1e-15 && log.edges[3] == 1)
        #expect(log.isClipped)                     // the 0 goes to the underflow row
        #expect(throws: AnalysisError.self) { try Binning.make(values: [1], bins: 0, log: false, discrete: false, range: nil) }
        #expect(throws: AnalysisError.self) { try Binning.make(values: [0], bins: 5, log: true, discrete: false, range: nil) }
    }

    @Test func barsUseEighthsAndNeverVanish() {
        #expect(HistogramRenderer.bar(8, scale: 8, width: 4, unicode: true) == "████")
        #expect(HistogramRenderer.bar(5, scale: 8, width: 4, unicode: true) == "██▌")     // 2.5 cells
        #expect(HistogramRenderer.bar(1, scale: 1000, width: 4, unicode: true) == "▏")    // tiny but visible
        #expect(HistogramRenderer.bar(1, scale: 1000, width: 4, unicode: false) == "#")
        #expect(HistogramRenderer.bar(0, scale: 8, width: 4, unicode: true) == "")
    }

    @Test func styleFollowsTheTerminalAndNoColor() {
        let file = HistogramStyle.forOutput(ascii: false, environment: ["COLUMNS": "200"], isTerminal: false, terminalWidth: 120)
        #expect(file == HistogramStyle(width: 80, unicode: true, color: false))
        let tty = HistogramStyle.forOutput(ascii: true, environment: [:], isTerminal: true, terminalWidth: 120)
        #expect(tty == HistogramStyle(width: 120, unicode: false, color: true))
        let noColor = HistogramStyle.forOutput(ascii: false, environment: ["NO_COLOR": "1"], isTerminal: true, terminalWidth: 100)
        #expect(noColor.color == false && noColor.width == 100)
    }

    static func report() -> HistogramReport {
        HistogramReport(run: run, runIDs: [7], metric: .delay, series: [
            .init(name: "a", values: [0.1, 0.2, 0.2, 0.3, 0.9, -0.5, 1.5], excluded: 1),
            .init(name: "b", values: [0.05, 0.6, 0.65, 0.7]),
        ])
    }

    @Test func twoArmsClippedGolden() throws {
        let report = Self.report()
        let binning = try Binning.make(values: report.series.flatMap(\.values), bins: 4, log: false, discrete: false, range: (0, 1))
        let text = HistogramRenderer.render(report, binning: binning, style: HistogramStyle(width: 60, unicode: true, color: false))
        let expected = """
            histogram of delay (s): detection delay of detected trials
            run 7 | experiment toy | arms: a, b (same bin edges and scale)
            binning: 4 linear bins of width 0.25 on [0.00, 1.00] s; bins [lo, hi), last bin [lo, hi]

            arm a | n = 7 (1 left out: not detected)
            bin (s)         count
            under (< 0.00)      1 ███████▋
            [0.00, 0.25)        3 ███████████████████████ ◂ p50
            [0.25, 0.50)        1 ███████▋
            [0.50, 0.75)        0
            [0.75, 1.00]        1 ███████▋
            over (> 1.00)       1 ███████▋                ◂ p90 p99
            min -0.500 | p50 0.200 | mean 0.386 | p90 1.140 | p99 1.464 | max 1.500 (s)

            arm b | n = 4
            bin (s)         count
            under (< 0.00)      0
            [0.00, 0.25)        1 ███████▋
            [0.25, 0.50)        0
            [0.50, 0.75)        3 ███████████████████████ ◂ p50 p90 p99
            [0.75, 1.00]        0
            over (> 1.00)       0
            min 0.050 | p50 0.625 | mean 0.500 | p90 0.685 | p99 0.698 | max 0.700 (s)

            """
        #expect(text == expected)
    }

    @Test func asciiAndColour() throws {
        let report = HistogramReport(run: Self.run, runIDs: [7], metric: .tries, series: [.init(name: "a", values: [1, 2, 2])])
        let binning = try Binning.make(values: report.series[0].values, bins: nil, log: false, discrete: true, range: nil)
        let ascii = HistogramRenderer.render(report, binning: binning, style: HistogramStyle(width: 50, unicode: false, color: false))
        #expect(ascii.contains("[1, 2)           1 ########\n"))   // 50 − 11 − 5 − 4 − 14 = 16 columns for 2
        #expect(ascii.contains("[2, 3)           2 ################ < p50 p90 p99\n"))
        #expect(!ascii.contains("\u{1B}"))
        let colour = HistogramRenderer.render(report, binning: binning, style: HistogramStyle(width: 50, unicode: true, color: true))
        #expect(colour.contains("\u{1B}[36m"))
    }
}
