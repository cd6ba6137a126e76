import Foundation
import Testing
import TraceStore
@testable import Analysis

@Suite struct HTMLReportTests {
    /// The numbers of `attribute="…"` in an SVG, in order.
    static func numbers(_ svg: String, _ attribute: String) -> [Double] {
        svg.components(separatedBy: " \(attribute)=\"").dropFirst().compactMap { Double($0.prefix { $0 != "\"" }) }
    }

    /// Every x,y pair of the `points` attributes of polylines of class `series`.
    static func seriesPoints(_ svg: String) -> [[(Double, Double)]] {
        svg.components(separatedBy: "<polyline class=\"series\"").dropFirst().map { element in
            let points = element.components(separatedBy: "points=\"")[1].prefix { $0 != "\"" }
            return points.split(separator: " ").map { pair in
                let xy = pair.split(separator: ",").map { Double($0)! }
                return (xy[0], xy[1])
            }
        }
    }

    @Test func ecdfHasOneSeriesPerArmInsideThePlotAreaAndEscapesNames() {
        let svg = ECDFChart.render([
            .init(name: "<b>fast</b> & \"quoted\"", values: [0.1, 0.2, 0.3, 0.4]),
            .init(name: "slow", values: (0..<10_000).map { Double($0) / 1000 }),
        ])
        let series = Self.seriesPoints(svg)
        #expect(series.count == 2)
        // The frame's plot area: x in [72, 470], y in [46, 324] (640 × 380, margins 72/170/46/56).
        for point in series.flatMap({ $0 }) {
            #expect((72...470).contains(point.0) && (46...324).contains(point.1), "\(point)")
        }
        // The slow arm's CDF spans the x domain [0, 9.999 · 1.05]: its last point is at p = 1 (top).
        #expect(series[1].last?.1 == 46)
        // 10 000 values, at most 256 quantiles: at most 2 · 256 − 1 step vertices.
        #expect(series[1].count <= 511)
        #expect(svg.contains("&lt;b&gt;fast&lt;/b&gt; &amp; &quot;quoted&quot;"))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("n = 10004 detected trials over 2 arms"))
        #expect(svg.contains("delay after the job finished (s)"))
    }

    @Test func paretoFrontByHand() {
        let points: [ParetoChart.Point] = [
            .init(name: "a", meanTries: 1, meanDelay: 3, trials: 10),
            .init(name: "b", meanTries: 2, meanDelay: 1, trials: 10),
            .init(name: "c", meanTries: 3, meanDelay: 2, trials: 10),   // beaten by b on both
            .init(name: "d", meanTries: 0.5, meanDelay: 5, trials: 10),
        ]
        #expect(ParetoChart.front(points) == [3, 0, 1])
        let svg = ParetoChart.render(points)
        #expect(svg.components(separatedBy: "<circle class=\"series\"").count - 1 == 4)
        #expect(svg.contains("class=\"pareto-front\""))
    }

    @Test func ticksAreNiceAndInsideTheDomain() {
        #expect(LinearScale(domain: 0...1.05, range: 0...100).ticks() == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(LinearScale(domain: -3...17, range: 0...100).ticks() == [0, 5, 10, 15])
        let scale = LinearScale(domain: 2...4, range: 10...110, flipped: true)
        #expect(scale(2) == 110 && scale(4) == 10 && scale(3) == 60)
    }

    @Test func triesBarsAreFractionsOfEachArm() {
        // Arm a: tries 1, 1, 2, 4 → fractions 0.5, 0.25, 0, 0.25; the tallest bar is 0.5.
        let svg = TriesChart.render([.init(name: "a", tries: [1, 1, 2, 4])])
        let marks = svg.components(separatedBy: "class=\"marks\"")[1].components(separatedBy: "class=\"legend\"")[0]
        let heights = Self.numbers(marks, "height")
        // y axis 0 … 0.525 on 278 px: 0.5 → 264.8 px, 0.25 → 132.4 px.
        #expect(heights.count == 3)
        #expect(abs(heights[0] - 264.8) < 0.15 && abs(heights[1] - 132.4) < 0.15 && abs(heights[2] - 132.4) < 0.15, "\(heights)")
    }

    @Test func htmlReportIsSelfContainedDeterministicAndMatchesItsGolden() throws {
        let f = try ExperimentReportTests.database()
        let reader = try TraceDatabase.openReadOnly(path: f.path).reader
        let html = try HTMLReport.render(reader: reader, experiment: "toy")
        #expect(html == (try HTMLReport.render(reader: reader, experiment: "toy")))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 6)
        #expect(html.components(separatedBy: "<figure class=\"plot\">").count - 1 == 6)
        for forbidden in ["<script", "http://", "https://", "<img", "@import", "url("] where forbidden != "http://" {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        // The only http:// is the SVG namespace.
        #expect(html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
        // Re-record after an intended change: POLLLAB_RECORD_GOLDEN=1 swift test …, then review the diff.
        if ProcessInfo.processInfo.environment["POLLLAB_RECORD_GOLDEN"] == "1" {
            try html.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        #expect(html.split(separator: "\n", omittingEmptySubsequences: false)
            == expected.split(separator: "\n", omittingEmptySubsequences: false))
    }

    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/toy-report.html").path
}
