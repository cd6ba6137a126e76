/// Escaping of names and other database text for every output format, in one place.
///
/// Names come from experiment files (validated: printable, one line) but a database may hold
/// anything, so every renderer passes such text through one of these before output:
///
/// - `oneLine`: plain text and table cells; control characters (a newline would split a table row)
///   become visible escapes such as `\n` or `\u{1B}`.
/// - `markdown`: inline Markdown (headings, bold text, table cells): one line, and a backslash
///   before each character with inline meaning (`\` `` ` `` `*` `_` `[` `]` `<` `>` `#` `|`
///   `!` `~` `&`; parentheses act only after `]`; CommonMark 0.31 §2.4 allows escaping any ASCII punctuation), so
///   `**`, `|`, `<b>` or a code fence stay literal text.
/// - `markdownFence`: the fence for a fenced code block holding some text: backticks one longer
///   than the longest backtick run in it, at least three (CommonMark §4.5: a closing fence must be
///   at least as long as the opening one), so a name holding a fence cannot close the block.
/// - `html`: HTML text and attribute values (`&`, `<`, `>`, `"`, `'` as character references,
///   the characters the OWASP XSS prevention cheat sheet lists), after `oneLine`.
/// - `spreadsheetSafe`: a CSV field that a spreadsheet would run as a formula (first character
///   `=`, `+`, `-`, `@`, tab or CR, OWASP "CSV Injection") gets a leading `'`; numbers such as
///   `-0.5` are left alone. `CSV.field` applies it to every field.
public enum TextEscaping {
    /// `text` on one line: each control character (C0, DEL, C1, and the line and paragraph
    /// separators U+2028/U+2029) as `\n`, `\r`, `\t` or `\u{XX}`; a backslash stays as it is.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Whether a scalar is a control or line-breaking character.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// `text` as literal inline Markdown: `oneLine`, then a backslash before each character with
    /// inline meaning (see the type's documentation).
    public static func markdown(_ text: String) -> String {
        var out = ""
        for c in oneLine(text) {
            if markdownSpecials.contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static let markdownSpecials: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "!", "~", "&"]

    /// The backtick fence for a fenced code block that holds `content`: at least three, and one
    /// more than the longest run of backticks inside.
    public static func markdownFence(for content: String) -> String {
        var longest = 0, run = 0
        for c in content {
            if c == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// `text` as HTML text or a quoted attribute value: `oneLine`, then `&`, `<`, `>`, `"`, `'`
    /// as `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`.
    public static func html(_ text: String) -> String {
        var out = ""
        for c in oneLine(text) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// `text` with a leading `'` when a spreadsheet would treat it as a formula (first character
    /// `=`, `+`, `-`, `@`, tab or CR) and it is not a plain number.
    public static func spreadsheetSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        let numeric = Double(text) != nil && text.allSatisfy { "0123456789.eE+-".contains($0) }
        if numeric { return text }
        return "'" + text
    }
}
