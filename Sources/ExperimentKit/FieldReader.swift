import Yams

/// Typed, path-aware reading of one YAML mapping of an experiment file, so that every error
/// names the file, the line and the key path (e.g. `experiments/x.yaml:14: arms[1].jitter: …`).
struct FieldReader {
    let file: String
    let path: String
    let mapping: Node.Mapping
    let line: Int?

    init(file: String, path: String, node: Node) throws {
        guard let mapping = node.mapping else {
            throw ExperimentError.invalidField(file: file, line: node.mark?.line, field: path.isEmpty ? "(top level)" : path,
                                               message: "must be a mapping of keys to values")
        }
        self.file = file
        self.path = path
        self.mapping = mapping
        self.line = node.mark?.line
    }

    /// The full key path of `key`.
    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func invalid(_ key: String, _ message: String) -> ExperimentError {
        .invalidField(file: file, line: mapping[key]?.mark?.line ?? line, field: fieldPath(key), message: message)
    }

    /// Rejects keys outside `known`, naming the first unknown one and the known ones.
    func allow(_ known: [String]) throws {
        let allowed = Set(known)
        for keyNode in mapping.keys {
            let key = keyNode.string ?? "?"
            if !allowed.contains(key) {
                throw ExperimentError.invalidField(
                    file: file, line: keyNode.mark?.line ?? line, field: fieldPath(key),
                    message: "unknown key (known keys here: \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// The value node of `key` unless absent or YAML null.
    func value(_ key: String) -> Node? {
        guard let node = mapping[key] else { return nil }
        if node.scalar != nil, node.tag.rawValue == Tag.Name.null.rawValue { return nil }
        return node
    }

    func node(_ key: String) throws -> Node {
        guard let node = value(key) else { throw invalid(key, "is missing") }
        return node
    }

    func string(_ key: String) throws -> String {
        guard let value = try optionalString(key) else { throw invalid(key, "is missing") }
        return value
    }

    /// The longest arm or experiment name, in characters.
    static let maxNameLength = 64

    /// A name that reaches text, Markdown, HTML and CSV output: non-empty, at most
    /// `maxNameLength` characters, one line of printable characters (no control, format or
    /// line-separator characters), no leading or trailing white space.
    func name(_ key: String) throws -> String {
        let name = try string(key)
        guard !name.isEmpty, name.count <= Self.maxNameLength else {
            throw invalid(key, "must be 1 to \(Self.maxNameLength) characters, got \(name.count)")
        }
        if let bad = name.unicodeScalars.first(where: { scalar in
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return true
            default: return false
            }
        }) {
            let code = "U+" + String(bad.value, radix: 16, uppercase: true)
            throw invalid(key, "must be one line of printable characters; remove the \(code) character")
        }
        guard name.first?.isWhitespace == false, name.last?.isWhitespace == false else {
            throw invalid(key, "must not start or end with white space, got '\(name)'")
        }
        return name
    }

    func optionalString(_ key: String) throws -> String? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar else { throw invalid(key, "must be a text value") }
        return scalar.string
    }

    func number(_ key: String, default fallback: Double? = nil) throws -> Double {
        guard let node = value(key) else {
            if let fallback { return fallback }
            throw invalid(key, "is missing")
        }
        return try number(node, key)
    }

    private func number(_ node: Node, _ key: String) throws -> Double {
        guard node.scalar != nil, let value = node.float else {
            throw invalid(key, "must be a number, got '\(node.string ?? "a collection")'")
        }
        guard value.isFinite else { throw invalid(key, "must be a finite number, got \(value)") }
        return value
    }

    /// A duration in seconds (finite, ≥ 0; > 0 when `positive`).
    func seconds(_ key: String, default fallback: Double? = nil, positive: Bool = false) throws -> Double {
        let value = try number(key, default: fallback)
        if positive ? value <= 0 : value < 0 {
            throw invalid(key, "must be a number of seconds \(positive ? "> 0" : ">= 0"), got \(value)")
        }
        return value
    }

    func optionalSeconds(_ key: String) throws -> Double? {
        value(key) == nil ? nil : try seconds(key, positive: true)
    }

    func integer(_ key: String, default fallback: Int? = nil, range: ClosedRange<Int>) throws -> Int {
        guard let node = value(key) else {
            if let fallback { return fallback }
            throw invalid(key, "is missing")
        }
        guard node.scalar != nil, let value = node.int else {
            throw invalid(key, "must be a whole number, got '\(node.string ?? "a collection")'")
        }
        guard range.contains(value) else {
            throw invalid(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    func unsigned(_ key: String) throws -> UInt64 {
        let node = try node(key)
        guard let text = node.scalar?.string, let value = UInt64(text) else {
            throw invalid(key, "must be an unsigned 64-bit integer, got '\(node.string ?? "a collection")'")
        }
        return value
    }

    func numberPair(_ key: String, default fallback: (Double, Double)) throws -> (Double, Double) {
        guard let node = value(key) else { return fallback }
        let items = node.array()
        guard node.sequence != nil, items.count == 2 else { throw invalid(key, "must be a list of two numbers like [0.8, 1.2]") }
        return (try number(items[0], key), try number(items[1], key))
    }

    func mapping(_ key: String) throws -> FieldReader {
        try FieldReader(file: file, path: fieldPath(key), node: try node(key))
    }
}
