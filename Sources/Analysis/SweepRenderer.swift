/// Renders a `SweepReport`: an ASCII map of the winning arm per weight cell with a legend and
/// the winner by ratio wj/wi, and the per-cell table. Pure functions (golden-testable);
/// ASCII only, so the map aligns in any terminal or file.
public enum SweepRenderer {
    /// The letter of arm `index` in the map: A, B, …, Z, then a, b, …
    public static func letter(_ index: Int) -> Character {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return index < letters.count ? letters[index] : "?"
    }

    /// The map, its legend and the winner by ratio.
    /// - Parameter sweep: the sweep.
    /// - Returns: lines joined by `\n`, ending with a newline.
    public static func map(_ sweep: SweepReport) -> String {
        let formula = sweep.scoreKind == .perTrial
            ? "per-trial kind: mean over trials of wi*HR - wj*ER"
            : "seed kind: wi*aggregate HR - wj*mean ER"
        let runs = sweep.runIDs.count > 1
            ? "runs " + sweep.runIDs.map(String.init).joined(separator: ", ")
            : "run \(sweep.run.runID)"
        var lines = [
            "weight sweep | \(runs) | experiment \(sweep.run.experiment) | score \(formula)",
            "winning arm per cell: rows wj \(sweep.wj) (top = largest), columns wi \(sweep.wi) (left = smallest)",
            "",
        ]
        let rowLabels = sweep.wj.values.map { fixedTrim($0) }
        let labelWidth = max(2, rowLabels.map(\.count).max() ?? 2)
        for row in sweep.cells.indices.reversed() {
            let cells = sweep.cells[row].map { $0.tie ? "=" : String(letter($0.winner)) }
            let label = String(repeating: " ", count: labelWidth - rowLabels[row].count) + rowLabels[row]
            lines.append(label + " | " + cells.joined(separator: " "))
        }
        let columns = sweep.wi.values.count
        let pad = String(repeating: " ", count: labelWidth)
        lines.append(pad + " +-" + String(repeating: "-", count: max(0, 2 * columns - 1)))
        // Column labels every k-th column, k the smallest step at which every label fits.
        let texts = sweep.wi.values.map { Array(fixedTrim($0)) }
        let step = max(1, ((texts.map(\.count).max() ?? 1) + 2) / 2)
        var axis = Array(repeating: Character(" "), count: 2 * columns + 8)
        for i in stride(from: 0, to: columns, by: step) {
            for (k, c) in texts[i].enumerated() where 2 * i + k < axis.count { axis[2 * i + k] = c }
        }
        var axisText = pad + "   " + String(axis)
        while axisText.last == " " { axisText.removeLast() }
        lines.append(axisText + "  (wi)")
        lines.append("")
        var legend = sweep.arms.enumerated().map { "\(letter($0.offset)) = \(TextEscaping.oneLine($0.element.name)) (\($0.element.strategy))" }
        if sweep.cells.joined().contains(where: \.tie) { legend.append("'=' = tie") }
        lines.append("legend: " + legend.joined(separator: ", "))
        lines.append("winner by ratio wj/wi (any wi > 0): " + ratioText(sweep))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The winner by ratio as text, e.g. `A for r < 1.6400; B for r > 1.6400`.
    public static func ratioText(_ sweep: SweepReport) -> String {
        sweep.boundaries.map { segment in
            let name = "\(letter(segment.winner)) (\(TextEscaping.oneLine(sweep.arms[segment.winner].name)))"
            switch (segment.from, segment.to) {
            case (0, nil): return "\(name) for every r"
            case (0, let to?): return "\(name) for r < \(fixed(to))"
            case (let from, nil): return "\(name) for r > \(fixed(from))"
            case (let from, let to?): return "\(name) for \(fixed(from)) < r < \(fixed(to))"
            }
        }.joined(separator: "; ")
    }

    /// One row per cell: wi, wj, winner, score (4 decimals), tie.
    /// - Parameter sweep: the sweep.
    /// - Returns: the table, ending with a newline.
    public static func table(_ sweep: SweepReport) -> String {
        var table = TextTable(columns: [.init("wi"), .init("wj"), .init("winner", .left), .init("score"), .init("tie", .left)])
        for (row, wj) in sweep.wj.values.enumerated() {
            for (column, wi) in sweep.wi.values.enumerated() {
                let cell = sweep.cells[row][column]
                table.rows.append([fixedTrim(wi), fixedTrim(wj), sweep.arms[cell.winner].name,
                                   SummaryRenderer.fixed(cell.score, 4) ?? "-", cell.tie ? "tie" : ""])
            }
        }
        return table.render() + "\n"
    }

    /// Map then table.
    public static func render(_ sweep: SweepReport) -> String {
        map(sweep) + "\n" + table(sweep)
    }

    static func fixed(_ value: Double) -> String { SummaryRenderer.fixed(value, 4) ?? "-" }

    /// Up to 2 decimals without trailing zeros: 0, 0.25, 1.5, 3.
    static func fixedTrim(_ value: Double) -> String {
        var text = SummaryRenderer.fixed(value, 2) ?? "-"
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        return text
    }
}
