import Foundation

/// The frame every chart of the HTML report shares: an SVG of fixed size with a title, axes
/// with ticks, axis labels with units, a note saying how many trials it shows, a legend, and the
/// chart's own marks. The chart types (`ECDFChart`, `TriesChart`, `ParetoChart`,
/// `TimelineChart`, `WinnerHeatMap`, `IntervalChart`) fill `marks` in data coordinates through
/// `x` and `y`.
///
/// Output is deterministic: coordinates are printed with one decimal (`SVGPlot.number`), so the
/// same data give the same bytes on every machine. All text goes through
/// `TextEscaping.html`.
struct SVGPlot {
    /// The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008), distinguishable
    /// with every common colour-vision deficiency; arm `i` gets colour `i mod 8`.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    var width = 640.0
    var height = 380.0
    /// Plot area margins: left, right, top, bottom (pixels).
    var left = 72.0, right = 170.0, top = 46.0, bottom = 56.0
    var title: String
    var xLabel: String
    var yLabel: String
    /// The sample note, e.g. "n = 200 trials per arm".
    var note: String
    var x: LinearScale
    var y: LinearScale
    /// The legend entries: label and colour.
    var legend: [(String, String)] = []
    /// Tick labels on the y axis instead of numbers (category axes), by tick value.
    var yCategories: [(Double, String)]?
    /// Tick labels on the x axis instead of numbers.
    var xCategories: [(Double, String)]?
    /// The chart's marks (SVG elements), drawn inside the plot area.
    var marks: [String] = []

    /// Creates a frame; the scales map the data domains onto the plot area.
    init(title: String, xLabel: String, yLabel: String, note: String,
         xDomain: ClosedRange<Double>, yDomain: ClosedRange<Double>, width: Double = 640, height: Double = 380) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.note = note
        self.width = width
        self.height = height
        x = LinearScale(domain: xDomain, range: left...(width - right))
        y = LinearScale(domain: yDomain, range: top...(height - bottom), flipped: true)
    }

    /// A number for SVG output: one decimal, `-0.0` written as `0.0`.
    static func number(_ v: Double) -> String {
        let text = String(format: "%.1f", v)
        return text == "-0.0" ? "0.0" : text
    }

    /// A tick label: up to 3 significant decimals, trailing zeros removed.
    static func tick(_ v: Double) -> String {
        var text = String(format: "%.3f", v)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Text, escaped.
    static func text(_ content: String, x: Double, y: Double, anchor: String = "start", size: Int = 12,
                     extra: String = "") -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\"\(extra)>\(TextEscaping.html(content))</text>"
    }

    /// The complete `<svg>` element.
    func render() -> String {
        let x0 = left, x1 = width - right, y0 = top, y1 = height - bottom
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(TextEscaping.html(title))\" "
            + "font-family=\"sans-serif\">\n"
        out += "<title>\(TextEscaping.html(title))</title>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>\n"
        out += Self.text(title, x: x0, y: 20, size: 15, extra: " font-weight=\"bold\"") + "\n"
        out += Self.text(note, x: x0, y: 36, size: 11, extra: " fill=\"#444444\"") + "\n"
        // Grid and ticks.
        let xTicks = xCategories ?? x.ticks().map { ($0, Self.tick($0)) }
        let yTicks = yCategories ?? y.ticks().map { ($0, Self.tick($0)) }
        out += "<g class=\"axes\" stroke=\"#cccccc\" stroke-width=\"1\">\n"
        for (value, _) in xTicks {
            let px = Self.number(x(value))
            out += "<line x1=\"\(px)\" y1=\"\(Self.number(y0))\" x2=\"\(px)\" y2=\"\(Self.number(y1))\"/>\n"
        }
        for (value, _) in yTicks {
            let py = Self.number(y(value))
            out += "<line x1=\"\(Self.number(x0))\" y1=\"\(py)\" x2=\"\(Self.number(x1))\" y2=\"\(py)\"/>\n"
        }
        out += "</g>\n"
        out += "<rect x=\"\(Self.number(x0))\" y=\"\(Self.number(y0))\" width=\"\(Self.number(x1 - x0))\" height=\"\(Self.number(y1 - y0))\" fill=\"none\" stroke=\"#333333\"/>\n"
        for (value, label) in xTicks {
            out += Self.text(label, x: x(value), y: y1 + 16, anchor: "middle", size: 11) + "\n"
        }
        for (value, label) in yTicks {
            out += Self.text(label, x: x0 - 6, y: y(value) + 4, anchor: "end", size: 11) + "\n"
        }
        out += Self.text(xLabel, x: (x0 + x1) / 2, y: height - 14, anchor: "middle", size: 12, extra: " class=\"x-label\"") + "\n"
        out += "<text x=\"16\" y=\"\(Self.number((y0 + y1) / 2))\" text-anchor=\"middle\" font-size=\"12\" class=\"y-label\" "
            + "transform=\"rotate(-90 16 \(Self.number((y0 + y1) / 2)))\">\(TextEscaping.html(yLabel))</text>\n"
        out += "<g class=\"marks\">\n" + marks.joined(separator: "\n") + (marks.isEmpty ? "" : "\n") + "</g>\n"
        if !legend.isEmpty {
            out += "<g class=\"legend\">\n"
            for (i, (label, color)) in legend.enumerated() {
                let ly = y0 + 8 + Double(i) * 18
                out += "<rect x=\"\(Self.number(x1 + 12))\" y=\"\(Self.number(ly - 9))\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
                out += Self.text(String(label.prefix(22)), x: x1 + 30, y: ly + 2, size: 11) + "\n"
            }
            out += "</g>\n"
        }
        return out + "</svg>"
    }
}

/// A linear map from a data domain to pixels, with "nice" ticks (1, 2, 5 × 10^k steps).
struct LinearScale {
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// `true` for a y axis: larger values are drawn higher (smaller pixel y).
    var flipped = false

    init(domain: ClosedRange<Double>, range: ClosedRange<Double>, flipped: Bool = false) {
        // An empty domain is widened so that the map stays finite.
        self.domain = domain.upperBound > domain.lowerBound ? domain : (domain.lowerBound - 0.5)...(domain.upperBound + 0.5)
        self.range = range
        self.flipped = flipped
    }

    func callAsFunction(_ v: Double) -> Double {
        let t = (v - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        let span = range.upperBound - range.lowerBound
        return flipped ? range.upperBound - t * span : range.lowerBound + t * span
    }

    /// About `count` ticks inside the domain at the 1, 2 or 5 × 10^k step nearest span / count.
    func ticks(count: Int = 5) -> [Double] {
        let span = domain.upperBound - domain.lowerBound
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        // The 1, 2, 5 or 10 × 10^k step closest to the raw step (by ratio).
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.min { abs(log($0 / raw)) < abs(log($1 / raw)) } ?? magnitude
        var ticks: [Double] = []
        var k = (domain.lowerBound / step).rounded(.up)
        while k * step <= domain.upperBound + step * 1e-9 {
            // k · step rounded to 12 significant digits of the step, so 3 · 0.2 is 0.6.
            let scale = pow(10, 12 - log10(step).rounded(.up))
            ticks.append(((k * step) * scale).rounded() / scale)
            k += 1
        }
        return ticks
    }

    /// A domain from 0 (or the data minimum when negative) to the data maximum plus 5 %.
    static func padded(_ values: [Double], includeZero: Bool = true) -> ClosedRange<Double> {
        let lo = min(values.min() ?? 0, includeZero ? 0 : (values.min() ?? 0))
        let hi = values.max() ?? 1
        let pad = (hi - lo) * 0.05
        return (lo - (includeZero && lo == 0 ? 0 : pad))...(hi + pad)
    }
}
