import Foundation
import GRDB

/// Renders `SQLConsole.Result` as an aligned table, CSV (RFC 4180) or JSON (an array of
/// objects with keys in column order). NULL is `NULL` in tables, empty in CSV, `null` in JSON;
/// reals use Swift's shortest round-trip form; blobs are hex.
public enum QueryRenderer {
    /// Renders a result.
    /// - Parameters:
    ///   - result: the rows.
    ///   - format: table, CSV or JSON.
    /// - Returns: text ending with a newline.
    public static func render(_ result: SQLConsole.Result, format: SQLConsole.Format) -> String {
        switch format {
        case .csv:
            return CSV.record(result.columns) + result.rows.map { CSV.record($0.map(csvField)) }.joined()
        case .json:
            if result.rows.isEmpty { return "[]\n" }
            return "[\n" + result.rows.map { jsonObject(result.columns, $0) }.joined(separator: ",\n") + "\n]\n"
        case .table:
            let numeric = result.columns.indices.map { i in
                result.rows.allSatisfy { row in
                    switch row[i].storage {
                    case .int64, .double, .null: return true
                    default: return false
                    }
                }
            }
            let table = TextTable(
                columns: result.columns.enumerated().map { .init($0.element, numeric[$0.offset] ? .right : .left) },
                rows: result.rows.map { $0.map(tableCell) })
            let count = "(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s")\(result.truncated ? ", row cap reached" : ""))"
            return table.render() + "\n" + count + "\n"
        }
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .int64(let v): return String(v)
        case .double(let v): return "\(v)"
        case .string(let s): return s
        case .blob(let data): return data.map { String(format: "%02x", $0) }.joined()
        }
    }

    static func tableCell(_ value: DatabaseValue) -> String {
        (text(value) ?? "NULL").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func csvField(_ value: DatabaseValue) -> String { text(value) ?? "" }

    /// One JSON object, keys in column order.
    static func jsonObject(_ columns: [String], _ values: [DatabaseValue]) -> String {
        let members = zip(columns, values).map { name, value -> String in
            let json: String
            switch value.storage {
            case .null: json = "null"
            case .int64(let v): json = String(v)
            case .double(let v): json = v.isFinite ? "\(v)" : "null"
            case .string(let s): json = jsonString(s)
            case .blob: json = jsonString(text(value) ?? "")
            }
            return jsonString(name) + ": " + json
        }
        return "  {" + members.joined(separator: ", ") + "}"
    }

    /// A JSON string literal (RFC 8259 §7 escapes).
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
