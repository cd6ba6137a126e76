/// Chart: comparisons against the best arm: for each other arm, its per-trial score minus the
/// best arm's, with the 95 % confidence interval as a whisker (paired by job), and a line at 0.
enum IntervalChart {
    /// One comparison: the arm, the difference, its interval, and the pairs behind it.
    struct Row {
        var name: String
        var armIndex: Int
        var difference: Double
        var lower: Double?
        var upper: Double?
        var n: Int
    }

    static func render(_ rows: [Row], best: String, weights: ScoreWeights) -> String {
        var values: [Double] = [0]
        for row in rows { values += [row.difference, row.lower, row.upper].compactMap { $0 } }
        let lo = values.min() ?? -1, hi = values.max() ?? 1
        let pad = max(hi - lo, 1e-9) * 0.05
        let count = Double(max(rows.count, 1))
        var plot = SVGPlot(
            title: "Score difference against the best arm (\(String(best.prefix(24))))",
            xLabel: "per-trial score difference, arm − best (score units, weights \(weights))",
            yLabel: "arm", note: "n = \(rows.first?.n ?? 0) paired trials per comparison; whiskers are 95 % confidence intervals",
            xDomain: (lo - pad)...(hi + pad), yDomain: -0.5...(count - 0.5), height: max(300, 120 + 28 * count))
        plot.left = 130
        plot.x = LinearScale(domain: plot.x.domain, range: plot.left...(plot.width - plot.right))
        plot.yCategories = rows.enumerated().map { (Double(rows.count - 1 - $0), String($1.name.prefix(16))) }
        let zero = SVGPlot.number(plot.x(0))
        plot.marks.append("<line class=\"zero\" x1=\"\(zero)\" y1=\"\(SVGPlot.number(plot.top))\" x2=\"\(zero)\" y2=\"\(SVGPlot.number(plot.height - plot.bottom))\" stroke=\"#000000\" stroke-width=\"1\"/>")
        for (i, row) in rows.enumerated() {
            let y = SVGPlot.number(plot.y(Double(rows.count - 1 - i)))
            let color = SVGPlot.color(row.armIndex)
            var marks = ""
            if let lower = row.lower, let upper = row.upper {
                marks += "<line x1=\"\(SVGPlot.number(plot.x(lower)))\" y1=\"\(y)\" x2=\"\(SVGPlot.number(plot.x(upper)))\" y2=\"\(y)\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            }
            marks += "<circle cx=\"\(SVGPlot.number(plot.x(row.difference)))\" cy=\"\(y)\" r=\"5\" fill=\"\(color)\"/>"
            plot.marks.append("<g class=\"series\" data-arm=\"\(TextEscaping.html(row.name))\" data-n=\"\(row.n)\">" + marks + "</g>")
        }
        return plot.render()
    }
}
