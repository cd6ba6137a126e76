/// Chart: mean status calls against mean delay, one point per arm, with the Pareto front (the
/// arms no other arm beats on both: fewer or equal calls and less or equal delay, one strictly)
/// drawn as a staircase through them.
enum ParetoChart {
    /// One arm: name, mean tries, mean delay (s, detected trials), trials.
    struct Point {
        var name: String
        var meanTries: Double
        var meanDelay: Double
        var trials: Int
    }

    /// Indices of the non-dominated points, sorted by mean tries.
    static func front(_ points: [Point]) -> [Int] {
        points.indices.filter { i in
            !points.indices.contains { j in
                j != i && points[j].meanTries <= points[i].meanTries && points[j].meanDelay <= points[i].meanDelay
                    && (points[j].meanTries < points[i].meanTries || points[j].meanDelay < points[i].meanDelay)
            }
        }.sorted { (points[$0].meanTries, $0) < (points[$1].meanTries, $1) }
    }

    static func render(_ points: [Point]) -> String {
        let n = points.reduce(0) { $0 + $1.trials }
        var plot = SVGPlot(
            title: "Mean calls against mean delay per arm, with the Pareto front",
            xLabel: "mean status calls per trial (calls)", yLabel: "mean delay (s)",
            note: "n = \(n) trials over \(points.count) arms; lower left is better on both",
            xDomain: LinearScale.padded(points.map(\.meanTries)), yDomain: LinearScale.padded(points.map(\.meanDelay)))
        let onFront = front(points)
        if onFront.count > 1 {
            var coordinates: [String] = []
            for (k, i) in onFront.enumerated() {
                if k > 0 {
                    coordinates.append("\(SVGPlot.number(plot.x(points[i].meanTries))),\(SVGPlot.number(plot.y(points[onFront[k - 1]].meanDelay)))")
                }
                coordinates.append("\(SVGPlot.number(plot.x(points[i].meanTries))),\(SVGPlot.number(plot.y(points[i].meanDelay)))")
            }
            plot.marks.append("<polyline class=\"pareto-front\" fill=\"none\" stroke=\"#555555\" stroke-dasharray=\"4 3\" stroke-width=\"1.5\" points=\"\(coordinates.joined(separator: " "))\"/>")
        }
        for (i, p) in points.enumerated() {
            let ring = onFront.contains(i) ? " stroke=\"#000000\" stroke-width=\"2\"" : ""
            plot.marks.append("<circle class=\"series\" data-arm=\"\(TextEscaping.html(p.name))\" data-n=\"\(p.trials)\" cx=\"\(SVGPlot.number(plot.x(p.meanTries)))\" cy=\"\(SVGPlot.number(plot.y(p.meanDelay)))\" r=\"6\" fill=\"\(SVGPlot.color(i))\"\(ring)/>")
        }
        plot.legend = points.enumerated().map { (TextEscaping.oneLine($1.name), SVGPlot.color($0)) }
        plot.legend.append(("Pareto front (ringed)", "#555555"))
        return plot.render()
    }
}
