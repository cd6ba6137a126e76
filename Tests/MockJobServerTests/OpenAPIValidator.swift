import Foundation
import Yams

/// A small checker of real responses against `openapi.yaml`: the operation and status code must
/// be documented, required headers present (and matching a `pattern`), and the JSON body valid
/// for the schema (`$ref`, `type` incl. lists and `null`, `enum`, `required`, `properties`,
/// `items`, `minimum`, `maximum`, `oneOf`).
struct OpenAPIValidator {
    let document: [String: Any]

    /// Loads `openapi.yaml` from the repository root.
    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        guard let document = try Yams.load(yaml: text) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        self.document = document
    }

    /// The documented paths and their methods, e.g. `["/jobs": ["post"], …]`.
    var operations: [String: [String]] {
        let paths = document["paths"] as? [String: Any] ?? [:]
        return paths.mapValues { (($0 as? [String: Any]) ?? [:]).keys.sorted() }
    }

    /// Problems with one real response (empty when it conforms).
    /// - Parameters:
    ///   - method: Lowercase method, e.g. `get`.
    ///   - template: The documented path, e.g. `/jobs/{id}`.
    ///   - status: The HTTP status code.
    ///   - headers: Response header fields by lowercase name.
    ///   - body: The response body.
    func check(method: String, template: String, status: Int, headers: [String: String], body: Data) -> [String] {
        guard let operation = ((document["paths"] as? [String: Any])?[template] as? [String: Any])?[method] as? [String: Any] else {
            return ["\(method) \(template) is not documented"]
        }
        guard var response = (operation["responses"] as? [String: Any])?["\(status)"] as? [String: Any] else {
            return ["\(method) \(template): status \(status) is not documented"]
        }
        response = resolve(response)
        var problems: [String] = []
        for (name, spec) in response["headers"] as? [String: Any] ?? [:] {
            let spec = spec as? [String: Any] ?? [:]
            let value = headers[name.lowercased()]
            if spec["required"] as? Bool == true, value == nil { problems.append("\(status): header \(name) missing") }
            if let value, let pattern = (spec["schema"] as? [String: Any])?["pattern"] as? String,
               value.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(status): header \(name) '\(value)' does not match \(pattern)")
            }
        }
        guard let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            return problems
        }
        guard headers["content-type"]?.hasPrefix("application/json") == true else {
            return problems + ["\(status): content-type is \(headers["content-type"] ?? "missing")"]
        }
        guard let value = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            return problems + ["\(status): body is not JSON"]
        }
        return problems + validate(value, schema, at: "body")
    }

    private func resolve(_ object: [String: Any]) -> [String: Any] {
        guard let ref = object["$ref"] as? String else { return object }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return resolve(node as? [String: Any] ?? [:])
    }

    /// Problems of `value` against `schema` at `path`.
    func validate(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        let schema = resolve(schema)
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matches = options.filter { validate(value, $0, at: path).isEmpty }.count
            return matches == 1 ? [] : ["\(path): matches \(matches) of oneOf"]
        }
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: { Self.has(value, type: $0) }) else {
                return ["\(path): \(value) is not of type \(types)"]
            }
        }
        if value is NSNull { return [] }
        var problems: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) not in \(allowed)")
        }
        if let number = (value as? NSNumber)?.doubleValue, !(value is String) {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue ?? (schema["minimum"] as? Double), number < minimum {
                problems.append("\(path): \(number) < minimum \(minimum)")
            }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue ?? (schema["maximum"] as? Double), number > maximum {
                problems.append("\(path): \(number) > maximum \(maximum)")
            }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path).\(key): required property missing")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, child) in object {
                guard let childSchema = properties[key] as? [String: Any] else {
                    problems.append("\(path).\(key): undocumented property")
                    continue
                }
                problems += validate(child, childSchema, at: "\(path).\(key)")
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { problems += validate(item, items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    private static func has(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "boolean": return value is Bool && !(value is String)
        case "number": return !(value is String) && value is NSNumber
        case "integer":
            guard !(value is String), let number = value as? NSNumber else { return false }
            return number.doubleValue.rounded() == number.doubleValue
        default: return false
        }
    }
}
