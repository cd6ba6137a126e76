import Foundation

/// How a histogram is drawn: width, glyphs and colour.
public struct HistogramStyle: Sendable, Hashable {
    /// Total line width in columns (the bars take what the labels leave, at least 10).
    public var width: Int
    /// Unicode eighth blocks (`▏▎▍▌▋▊▉█`); `false` = ASCII `#`.
    public var unicode: Bool
    /// ANSI colour for bars and markers.
    public var color: Bool

    /// Creates a style.
    /// - Parameters:
    ///   - width: columns; default 80.
    ///   - unicode: eighth blocks (default) or `#`.
    ///   - color: ANSI colour; default `false`.
    public init(width: Int = 80, unicode: Bool = true, color: Bool = false) {
        self.width = width
        self.unicode = unicode
        self.color = color
    }

    /// The style for standard output: terminal width (`COLUMNS`, else the TTY's width) and
    /// colour on a terminal unless `NO_COLOR` is set (https://no-color.org); fixed 80 columns
    /// and no colour when writing to a file or pipe.
    /// - Parameters:
    ///   - ascii: use `#` instead of eighth blocks.
    ///   - environment: the process environment (injected for tests).
    ///   - isTerminal: whether standard output is a terminal.
    ///   - terminalWidth: the terminal's width, if known.
    /// - Returns: the style.
    public static func forOutput(ascii: Bool, environment: [String: String], isTerminal: Bool,
                                 terminalWidth: Int?) -> HistogramStyle {
        guard isTerminal else { return HistogramStyle(width: 80, unicode: !ascii, color: false) }
        let columns = environment["COLUMNS"].flatMap(Int.init) ?? terminalWidth ?? 80
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return HistogramStyle(width: min(max(columns, 40), 400), unicode: !ascii, color: !noColor)
    }
}
