/// Chart: tries per trial, as grouped bars: for each number of status calls k, the fraction of
/// an arm's trials that used exactly k (k above `maxBars − 1` pooled into the last bar).
enum TriesChart {
    /// One arm: its name and each trial's tries.
    struct Series {
        var name: String
        var tries: [Int]
    }

    static let maxBars = 30

    static func render(_ series: [Series]) -> String {
        let top = min(series.flatMap(\.tries).max() ?? 1, maxBars)
        let lowest = max(0, min(series.flatMap(\.tries).min() ?? 0, top))
        let fractions: [[Double]] = series.map { s in
            var counts = [Int](repeating: 0, count: top - lowest + 1)
            for t in s.tries { counts[min(max(t, lowest), top) - lowest] += 1 }
            return counts.map { s.tries.isEmpty ? 0 : Double($0) / Double(s.tries.count) }
        }
        let n = series.reduce(0) { $0 + $1.tries.count }
        var plot = SVGPlot(
            title: "Tries per trial", xLabel: "status calls per trial (calls)", yLabel: "fraction of the arm's trials",
            note: "n = \(n) trials over \(series.count) arms" + (top == maxBars ? "; the last bar pools \(maxBars) or more" : ""),
            xDomain: (Double(lowest) - 0.5)...(Double(top) + 0.5),
            yDomain: 0...max(0.05, (fractions.flatMap { $0 }.max() ?? 1) * 1.05))
        let slot = (plot.x(1) - plot.x(0)) * 0.8 / Double(max(series.count, 1))
        for (i, row) in fractions.enumerated() {
            var bars: [String] = []
            for (k, fraction) in row.enumerated() where fraction > 0 {
                let center = plot.x(Double(lowest + k))
                let x = center - slot * Double(series.count) / 2 + slot * Double(i)
                let y = plot.y(fraction)
                bars.append("<rect x=\"\(SVGPlot.number(x))\" y=\"\(SVGPlot.number(y))\" width=\"\(SVGPlot.number(max(slot, 0.5)))\" height=\"\(SVGPlot.number(plot.y(0) - y))\"/>")
            }
            plot.marks.append("<g class=\"series\" data-arm=\"\(TextEscaping.html(series[i].name))\" data-n=\"\(series[i].tries.count)\" fill=\"\(SVGPlot.color(i))\">" + bars.joined() + "</g>")
        }
        plot.legend = series.enumerated().map { (TextEscaping.oneLine($1.name), SVGPlot.color($0)) }
        return plot.render()
    }
}
