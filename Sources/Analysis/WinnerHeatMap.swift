/// Chart: the weight-sweep winner map as a heat map: one cell per (w_i, w_j) of the grid,
/// coloured by the arm with the best per-trial score there (ties hatched with a white dot).
enum WinnerHeatMap {
    static func render(_ sweep: SweepReport) -> String {
        let wi = sweep.wi.values, wj = sweep.wj.values
        let n = sweep.arms.reduce(0) { $0 + $1.trials }
        func step(_ v: [Double]) -> Double { v.count > 1 ? v[1] - v[0] : 1 }
        var plot = SVGPlot(
            title: "Weight sweep: best arm by per-trial score", xLabel: "w_i, weight of HR (dimensionless)",
            yLabel: "w_j, weight of ER (dimensionless)",
            note: "n = \(n) trials over \(sweep.arms.count) arms; score = w_i·HR − w_j·ER; \(wi.count)×\(wj.count) cells",
            xDomain: ((wi.first ?? 0) - step(wi) / 2)...((wi.last ?? 1) + step(wi) / 2),
            yDomain: ((wj.first ?? 0) - step(wj) / 2)...((wj.last ?? 1) + step(wj) / 2))
        let w = abs(plot.x(step(wi)) - plot.x(0)), h = abs(plot.y(step(wj)) - plot.y(0))
        var cells: [String] = []
        for (row, b) in wj.enumerated() {
            for (column, a) in wi.enumerated() {
                let cell = sweep.cells[row][column]
                let x = plot.x(a) - w / 2, y = plot.y(b) - h / 2
                cells.append("<rect x=\"\(SVGPlot.number(x))\" y=\"\(SVGPlot.number(y))\" width=\"\(SVGPlot.number(w))\" height=\"\(SVGPlot.number(h))\" fill=\"\(SVGPlot.color(cell.winner))\" data-winner=\"\(cell.winner)\"/>")
                if cell.tie {
                    cells.append("<circle cx=\"\(SVGPlot.number(plot.x(a)))\" cy=\"\(SVGPlot.number(plot.y(b)))\" r=\"1.5\" fill=\"#ffffff\"/>")
                }
            }
        }
        plot.marks.append("<g class=\"cells\">" + cells.joined() + "</g>")
        plot.legend = sweep.arms.enumerated().map { (TextEscaping.oneLine($1.name), SVGPlot.color($0)) }
        return plot.render()
    }
}
