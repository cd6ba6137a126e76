/// A plain-text table with aligned columns: a header row, a rule, then the rows.
///
/// Columns are separated by two spaces; text columns are left-aligned, numbers right-aligned.
/// Widths count `Character`s, so keep cells to one-column glyphs (ASCII in PollLab's reports).
/// Trailing spaces are trimmed from every line. Cells pass through `TextEscaping.oneLine`, so a
/// control character in a name (a newline) cannot split a row.
public struct TextTable: Sendable, Hashable {
    /// How a column's cells line up.
    public enum Alignment: Sendable, Hashable {
        case left, right
    }

    /// A column: its title and alignment.
    public struct Column: Sendable, Hashable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .right) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// The columns, left to right.
    public var columns: [Column]
    /// The rows; each must have one cell per column (missing cells render empty).
    public var rows: [[String]]

    /// Creates a table.
    /// - Parameters:
    ///   - columns: the columns, left to right.
    ///   - rows: the cells, one array per row; default none.
    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as lines joined by `\n`, without a final newline.
    /// - Returns: header, a rule of `-` under each column title, then one line per row.
    public func render() -> String {
        let cell = { (row: [String], i: Int) -> String in i < row.count ? TextEscaping.oneLine(row[i]) : "" }
        let widths = columns.indices.map { i in
            rows.reduce(columns[i].title.count) { max($0, cell($1, i).count) }
        }
        func line(_ cells: [String]) -> String {
            let padded = columns.indices.map { i -> String in
                let text = cell(cells, i)
                let pad = String(repeating: " ", count: widths[i] - text.count)
                return columns[i].alignment == .left ? text + pad : pad + text
            }
            var text = padded.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(columns.map(\.title))]
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}
