import PollingCore

/// Chart: delay as an empirical CDF per arm (one step curve per arm).
///
/// Each curve is drawn from at most `points` quantiles (Hyndman–Fan type 7 at p = k/(points−1)),
/// so a run of a million trials gives a file as small as one of a hundred.
enum ECDFChart {
    /// One arm: its name and its delays (seconds, any order).
    struct Series {
        var name: String
        var values: [Double]
    }

    static let points = 256

    static func render(_ series: [Series]) -> String {
        let sorted = series.map { $0.values.sorted() }
        let all = sorted.flatMap { [$0.first, $0.last].compactMap { $0 } }
        let n = sorted.reduce(0) { $0 + $1.count }
        var plot = SVGPlot(
            title: "Delay: empirical CDF per arm", xLabel: "delay after the job finished (s)",
            yLabel: "fraction of detected trials", note: "n = \(n) detected trials over \(series.count) arms; each curve from at most \(points) quantiles",
            xDomain: LinearScale.padded(all), yDomain: 0...1)
        for (i, values) in sorted.enumerated() where !values.isEmpty {
            let m = min(points, values.count)
            var coordinates: [String] = []
            var previousX: Double?
            for k in 0..<m {
                let p = m == 1 ? 1 : Double(k) / Double(m - 1)
                let v = Statistics.percentile(sorted: values, p) ?? 0
                // A step: horizontal to the new x at the old height, then up.
                if let previousX, k > 0 {
                    let pPrev = Double(k - 1) / Double(m - 1)
                    coordinates.append("\(SVGPlot.number(plot.x(max(v, previousX)))),\(SVGPlot.number(plot.y(pPrev)))")
                }
                coordinates.append("\(SVGPlot.number(plot.x(v))),\(SVGPlot.number(plot.y(p)))")
                previousX = v
            }
            let color = SVGPlot.color(i)
            plot.marks.append("<polyline class=\"series\" data-arm=\"\(TextEscaping.html(series[i].name))\" data-n=\"\(values.count)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>")
        }
        plot.legend = series.enumerated().map { (TextEscaping.oneLine($1.name), SVGPlot.color($0)) }
        return plot.render()
    }
}
