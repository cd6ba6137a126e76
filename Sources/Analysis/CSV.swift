/// Comma-separated values with RFC 4180 quoting, safe to open in a spreadsheet.
///
/// A field a spreadsheet would run as a formula is neutralised first (`TextEscaping.spreadsheetSafe`:
/// a leading `'` before `=`, `+`, `-`, `@`, tab or CR unless the field is a number).
/// A field is quoted when it contains a comma, a double quote, CR or LF, or starts or ends with
/// a space; a double quote inside a quoted field is doubled (RFC 4180 §2, rules 5–7).
/// Records end with `\n` (RFC 4180 specifies CRLF; every CSV reader PollLab targets accepts LF).
public enum CSV {
    /// One field, neutralised if it looks like a formula, then quoted when needed.
    /// - Parameter raw: the raw field.
    /// - Returns: the field as it appears in the file.
    public static func field(_ raw: String) -> String {
        let text = TextEscaping.spreadsheetSafe(raw)
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields quoted as needed, joined by commas, ending with `\n`.
    /// - Parameter fields: the raw fields.
    /// - Returns: the record line.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}

extension String {
    /// `self` with every `target` replaced by `replacement` (no Foundation needed).
    fileprivate func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
