/// Draws `LoadReport` as text on the conventions of `HistogramRenderer`: a header (what, unit,
/// run, arms, bucket width), one row per bucket with its `[lo, hi)` edges in seconds, its count,
/// and a bar scaled to the largest count or capacity over every arm (eighth blocks, `#` with
/// ASCII), never empty for a non-zero count; the capacity as a `│` (`|`) at its column; a footer
/// per arm (buckets, total, peak, buckets over capacity). Pure function.
public enum LoadRenderer {
    /// Renders a report.
    /// - Parameters:
    ///   - report: the series.
    ///   - style: width, glyphs, colour (`HistogramStyle`).
    /// - Returns: lines joined by `\n`, ending with a newline.
    public static func render(_ report: LoadReport, style: HistogramStyle) -> String {
        let bucketText = HistogramRenderer.format(report.bucket, decimals(report.bucket))
        let names = report.series.map { TextEscaping.oneLine($0.name) }.joined(separator: ", ")
        var lines = [
            "load: status calls sent per \(bucketText) s bucket of sent_ns, per arm",
            "run \(report.run.runID) | experiment \(report.run.experiment) | mode \(report.run.mode) | arm\(report.series.count == 1 ? "" : "s"): \(names)"
                + (report.series.count > 1 ? " (same scale)" : ""),
            report.capacity.map { "server capacity: \(HistogramRenderer.format($0, 2)) calls per bucket (rate × bucket), drawn as \(style.unicode ? "│" : "|")" }
                ?? "server capacity: none configured (no server.capacity.rate)",
        ]
        let d = decimals(report.bucket)
        let longest = report.series.map(\.counts.count).max() ?? 0
        let labels = (0..<longest).map { k in
            "[\(HistogramRenderer.format(Double(k) * report.bucket, d)), \(HistogramRenderer.format(Double(k + 1) * report.bucket, d)))"
        }
        let labelWidth = max(labels.map(\.count).max() ?? 0, "time (s)".count)
        let countWidth = max(report.series.flatMap(\.counts).map { String($0).count }.max() ?? 1, "calls".count)
        let barWidth = max(10, style.width - labelWidth - countWidth - 4)
        let peak = report.series.flatMap(\.counts).max() ?? 0
        let scale = max(Double(peak), report.capacity ?? 0)
        let capacityColumn = report.capacity.map { scale > 0 ? min(barWidth - 1, Int(($0 / scale * Double(barWidth)).rounded(.down))) : 0 }
        for series in report.series {
            lines.append("")
            lines.append("arm \(TextEscaping.oneLine(series.name))")
            lines.append(HistogramRenderer.pad("time (s)", labelWidth) + "  " + HistogramRenderer.padLeft("calls", countWidth))
            for (k, count) in series.counts.enumerated() {
                var drawn = scale > 0 ? HistogramRenderer.bar(count, scale: Int(scale.rounded(.up)), width: barWidth, unicode: style.unicode) : ""
                var tail = ""
                if let column = capacityColumn, drawn.count <= column {
                    tail = String(repeating: " ", count: column - drawn.count) + (style.unicode ? "│" : "|")
                }
                if style.color, !drawn.isEmpty { drawn = "\u{1B}[36m" + drawn + "\u{1B}[0m" }
                var text = HistogramRenderer.pad(labels[k], labelWidth) + "  "
                    + HistogramRenderer.padLeft(String(count), countWidth) + " " + drawn + tail
                while text.last == " " { text.removeLast() }
                lines.append(text)
            }
            let over = report.capacity.map { c in series.counts.filter { Double($0) > c }.count }
            lines.append("buckets \(series.counts.count) | total \(series.counts.reduce(0, +)) | peak \(series.counts.max() ?? 0)"
                         + (over.map { " | over capacity \($0)" } ?? ""))
        }
        if report.series.isEmpty { lines.append("(no arms recorded)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Decimals that write every multiple of the bucket exactly (≤ 4).
    static func decimals(_ bucket: Double) -> Int {
        for d in 0...4 {
            let scaled = bucket * pow10(d)
            if abs(scaled.rounded() - scaled) < 1e-9 { return d }
        }
        return 4
    }

    static func pow10(_ d: Int) -> Double { (0..<d).reduce(1.0) { value, _ in value * 10 } }
}
