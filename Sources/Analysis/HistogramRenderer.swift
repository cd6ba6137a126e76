import Foundation
import PollingCore

/// Draws histograms in text, to the "Terminal histogram checklist" of REFERENCE.md: a header
/// (metric, unit, filter, n, binning), explicit edges `[lo, hi)` (last bin closed), counts beside
/// bars scaled to the largest bin in eighth blocks (`#` fallback), never an empty bar for a
/// non-empty bin, under/overflow rows when clipped, p50/p90/p99 markers, and a footer with min,
/// p50, mean, p90, p99 and max. Several series share edges and scale. Pure functions.
public enum HistogramRenderer {
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let markerWidth = 14

    /// Renders a report.
    /// - Parameters:
    ///   - report: the samples.
    ///   - binning: the edges (see `Binning.make`).
    ///   - style: width, glyphs, colour.
    /// - Returns: lines joined by `\n`, ending with a newline.
    public static func render(_ report: HistogramReport, binning: Binning, style: HistogramStyle) -> String {
        let metric = report.metric
        let unit = metric.unit
        let decimals = edgeDecimals(binning, discrete: metric.isDiscrete)
        let runs = report.runIDs.count > 1
            ? "runs " + report.runIDs.map(String.init).joined(separator: ", ")
            : "run \(report.run.runID)"
        let names = report.series.map { TextEscaping.oneLine($0.name) }.joined(separator: ", ")
        let shared = report.series.count > 1 ? " (same bin edges and scale)" : ""
        let kind = binning.isLog ? "log" : "linear"
        var widthText = ""
        if !binning.isLog, let first = binning.edges.first, binning.count > 0 {
            widthText = " of width \(format(binning.edges[1] - first, decimals))"
        }
        var lines = [
            "histogram of \(metric.rawValue) (\(unit)): \(metric.meaning)",
            "\(runs) | experiment \(report.run.experiment) | arm\(report.series.count == 1 ? "" : "s"): \(names)\(shared)",
            "binning: \(binning.count) \(kind) bin\(binning.count == 1 ? "" : "s")\(widthText) on "
                + "[\(format(binning.edges.first ?? 0, decimals)), \(format(binning.edges.last ?? 0, decimals))] \(unit); "
                + (metric.isDiscrete && !binning.isLog ? "bins [lo, hi) of whole numbers" : "bins [lo, hi), last bin [lo, hi]"),
        ]
        let labels = (0..<binning.count).map { k in
            let close = k == binning.count - 1 && !metric.isDiscrete ? "]" : ")"
            return "[\(format(binning.edges[k], decimals)), \(format(binning.edges[k + 1], decimals))\(close)"
        }
        let underLabel = "under (< \(format(binning.edges.first ?? 0, decimals)))"
        let overLabel = "over (> \(format(binning.edges.last ?? 0, decimals)))"
        let allCounts = report.series.map { binning.counts($0.values) }
        let scale = allCounts.map { c in max(c.bins.max() ?? 0, binning.isClipped ? max(c.underflow, c.overflow) : 0) }.max() ?? 0
        let labelWidth = max((labels + (binning.isClipped ? [underLabel, overLabel] : [])).map(\.count).max() ?? 0, "bin (\(unit))".count)
        let countWidth = max(allCounts.map { c in (c.bins + [c.underflow, c.overflow]).map { String($0).count }.max() ?? 1 }.max() ?? 1, "count".count)
        let barWidth = max(10, style.width - labelWidth - countWidth - 4 - markerWidth)

        for (series, counts) in zip(report.series, allCounts) {
            lines.append("")
            let left = series.excluded > 0 ? " (\(series.excluded) left out: not detected)" : ""
            lines.append("arm \(TextEscaping.oneLine(series.name)) | n = \(series.values.count)\(left)")
            lines.append(pad("bin (\(unit))", labelWidth) + "  " + padLeft("count", countWidth))
            var markers: [Binning.Slot: [String]] = [:]
            for (name, p) in [("p50", 0.5), ("p90", 0.9), ("p99", 0.99)] {
                if let v = Statistics.percentile(sorted: series.values, p) { markers[binning.slot(of: v), default: []].append(name) }
            }
            func row(_ label: String, _ count: Int, _ slot: Binning.Slot) -> String {
                var text = pad(label, labelWidth) + "  " + padLeft(String(count), countWidth) + " "
                let drawn = bar(count, scale: scale, width: barWidth, unicode: style.unicode)
                text += style.color && !drawn.isEmpty ? "\u{1B}[36m" + drawn + "\u{1B}[0m" : drawn
                if let names = markers[slot] {
                    text += String(repeating: " ", count: barWidth - drawn.count + 1)
                    let mark = (style.unicode ? "◂ " : "< ") + names.joined(separator: " ")
                    text += style.color ? "\u{1B}[33m" + mark + "\u{1B}[0m" : mark
                }
                while text.last == " " { text.removeLast() }
                return text
            }
            if binning.isClipped { lines.append(row(underLabel, counts.underflow, .underflow)) }
            for k in 0..<binning.count { lines.append(row(labels[k], counts.bins[k], .bin(k))) }
            if binning.isClipped { lines.append(row(overLabel, counts.overflow, .overflow)) }
            lines.append(footer(series.values, decimals: metric.isDiscrete ? 2 : max(decimals + 1, 3), unit: unit))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `min … | p50 … | mean … | p90 … | p99 … | max … (unit)`, or `no values`.
    static func footer(_ sorted: [Double], decimals: Int, unit: String) -> String {
        guard let first = sorted.first, let last = sorted.last, let mean = Statistics.mean(sorted) else {
            return "no values"
        }
        let p = { (q: Double) in format(Statistics.percentile(sorted: sorted, q) ?? 0, decimals) }
        return "min \(format(first, decimals)) | p50 \(p(0.5)) | mean \(format(mean, decimals)) | "
            + "p90 \(p(0.9)) | p99 \(p(0.99)) | max \(format(last, decimals)) (\(unit))"
    }

    /// A bar of `count / scale · width` cells in eighths (or `#`), at least one eighth (or one
    /// `#`) for a non-zero count.
    static func bar(_ count: Int, scale: Int, width: Int, unicode: Bool) -> String {
        guard count > 0, scale > 0 else { return "" }
        let cells = Double(count) / Double(scale) * Double(width)
        if !unicode {
            return String(repeating: "#", count: max(1, Int(cells.rounded())))
        }
        let units = max(1, Int((cells * 8).rounded()))
        var text = String(repeating: "█", count: units / 8)
        if units % 8 > 0 { text.append(eighths[units % 8 - 1]) }
        return text
    }

    /// Decimals for edge labels: the fewest (≤ 4) that write every edge exactly, else enough to
    /// tell adjacent edges apart; log edges get 3 significant digits of the smallest edge.
    static func edgeDecimals(_ binning: Binning, discrete: Bool) -> Int {
        if discrete { return 0 }
        if binning.isLog, let first = binning.edges.first, first > 0 {
            return min(max(2 - Int(log10(first).rounded(.down)), 0), 8)
        }
        for d in 0...4 {
            let scale = pow(10, Double(d))
            if binning.edges.allSatisfy({ abs(($0 * scale).rounded() - $0 * scale) < 1e-6 }) { return d }
        }
        var smallest = Double.infinity
        for k in 0..<max(0, binning.count) { smallest = min(smallest, binning.edges[k + 1] - binning.edges[k]) }
        guard smallest.isFinite, smallest > 0 else { return 3 }
        return min(max(Int((-log10(smallest)).rounded(.up)) + 2, 0), 6)
    }

    /// `value` with fixed decimals (no negative zero).
    static func format(_ value: Double, _ decimals: Int) -> String {
        SummaryRenderer.fixed(value, decimals) ?? "-"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
