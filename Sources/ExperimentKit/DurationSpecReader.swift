import Foundation
import PollingCore
import Yams

/// `DurationSpecFields` over one mapping of an experiment file: errors name the file, the line
/// and the key path (e.g. `experiments/x.yaml:12: job.duration.sigma: must be …`).
struct YAMLDurationFields: DurationSpecFields {
    let fields: FieldReader

    var keys: [String] { fields.mapping.keys.compactMap(\.string) }

    func text(_ key: String) throws -> String? { try fields.optionalString(key) }

    func number(_ key: String) throws -> Double? { fields.value(key) == nil ? nil : try fields.number(key) }

    func mapping(_ key: String) throws -> YAMLDurationFields? {
        fields.value(key) == nil ? nil : YAMLDurationFields(fields: try fields.mapping(key))
    }

    func mappings(_ key: String) throws -> [YAMLDurationFields]? {
        guard let node = fields.value(key) else { return nil }
        guard node.sequence != nil else { throw fields.invalid(key, "must be a list of mappings") }
        return try node.array().enumerated().map { index, item in
            YAMLDurationFields(fields: try FieldReader(file: fields.file, path: "\(fields.fieldPath(key))[\(index)]", node: item))
        }
    }

    func invalid(_ key: String, _ message: String) -> any Error { fields.invalid(key, message) }
}

extension DurationSpec {
    /// Parses the duration object at `key` of `fields` (`job.duration`), loading an `empirical`
    /// model's CSV file relative to `directory` (the experiment file's directory).
    /// - Throws: `ExperimentError.invalidField` naming the file, line and key.
    static func parse(_ fields: FieldReader, key: String, directory: String) throws -> DurationSpec {
        let node = YAMLDurationFields(fields: try fields.mapping(key))
        return try parse(node) { file, column, scale in
            try EmpiricalFile.load(path: file, column: column, scale: scale, directory: directory,
                                   invalid: { node.invalid($0, $1) })
        }
    }
}

/// Reads the durations of an `empirical` model from a CSV file.
///
/// Format: UTF-8 text, `#` lines are comments (source and licence notes), the first other line
/// is a header of comma-separated column names, then one row per measurement; `column` names
/// the column to use (default: the first). Every value must be a finite number ≥ 0 (seconds,
/// before `scale`).
enum EmpiricalFile {
    /// - Parameters:
    ///   - path: the file, relative to `directory` unless absolute.
    ///   - column: the header name of the column, `nil` = the first column.
    ///   - scale: factor applied to every value (> 0).
    ///   - invalid: builds the error for a key of the `duration` mapping (`file`, `column`, `scale`).
    /// - Throws: via `invalid`: a missing or unreadable file, an unknown column, an empty sample,
    ///   a non-numeric or negative value (naming the CSV line).
    static func load(path: String, column: String?, scale: Double, directory: String,
                     invalid: (String, String) -> any Error) throws -> EmpiricalSample {
        let full = path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).path
        guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
            throw invalid("file", "cannot read '\(full)' (path relative to the experiment file's directory)")
        }
        var header: [String]?
        var index = 0
        var values: [Double] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let names = header else {
                header = cells
                if let column {
                    guard let found = cells.firstIndex(of: column) else {
                        throw invalid("column", "'\(column)' is not a column of \(path) (columns: \(cells.joined(separator: ", ")))")
                    }
                    index = found
                }
                continue
            }
            guard index < cells.count, let value = Double(cells[index]), value.isFinite, value >= 0 else {
                let cell = index < cells.count ? cells[index] : "(missing)"
                throw invalid("file", "\(path):\(number + 1): '\(cell)' in column \(names[index]) is not a finite number of seconds >= 0")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw invalid("file", "\(path) holds no values (a header line, then one number per row)") }
        do {
            return try EmpiricalSample(values: values, scale: scale, source: "\(path)#\(header?[index] ?? "")")
        } catch let PollingCoreError.invalidField(field, message) {
            throw invalid(String(field.split(separator: ".").last ?? "file"), message)
        }
    }
}
