/// A user's label on a run: `key=value` (e.g. `baseline=true`, `ticket=PL-42`).
///
/// Keys are 1 … 64 characters of letters, digits, `_`, `-`, `.`, `/` and `:` (so they stay
/// easy to type in `--tag K=V` filters and never need quoting); values are any text of at most
/// 1 000 characters without control characters, possibly empty.
public struct RunTag: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The tag's key.
    public var key: String
    /// The tag's value (possibly empty).
    public var value: String

    /// Creates a tag after checking the key and the value.
    /// - Throws: `TraceStoreError.invalidArgument` naming the key or value and the rule.
    public init(key: String, value: String) throws {
        try Self.validate(key: key)
        guard value.count <= 1_000, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw TraceStoreError.invalidArgument(
                field: "tag \(key)", message: "the value must be at most 1000 characters without control characters")
        }
        self.key = key
        self.value = value
    }

    /// Parses `K=V` (split at the first `=`; `V` may be empty, `K` may not).
    /// - Parameter text: the argument as typed.
    /// - Returns: the tag.
    /// - Throws: `TraceStoreError.invalidArgument` when there is no `=` or the key or value
    ///   breaks the rules above, naming the text and the fix.
    public static func parse(_ text: String) throws -> RunTag {
        guard let equals = text.firstIndex(of: "=") else {
            throw TraceStoreError.invalidArgument(
                field: "tag '\(text)'", message: "expected KEY=VALUE, e.g. baseline=true")
        }
        return try RunTag(key: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    /// Checks a tag key (also used by `untag`, which takes keys alone).
    /// - Throws: `TraceStoreError.invalidArgument` naming the key and the rule.
    public static func validate(key: String) throws {
        let allowed = { (c: Character) in
            c.isASCII && (c.isLetter || c.isNumber || "_-./:".contains(c))
        }
        guard !key.isEmpty else {
            throw TraceStoreError.invalidArgument(
                field: "tag key", message: "is empty; write KEY=VALUE with a non-empty KEY, e.g. baseline=true")
        }
        guard key.count <= 64, key.allSatisfy(allowed) else {
            throw TraceStoreError.invalidArgument(
                field: "tag key '\(key)'",
                message: "use 1 to 64 characters of ASCII letters, digits, '_', '-', '.', '/' or ':'")
        }
    }

    /// `key=value`.
    public var description: String { "\(key)=\(value)" }

    /// Orders by key, then value.
    public static func < (lhs: RunTag, rhs: RunTag) -> Bool {
        (lhs.key, lhs.value) < (rhs.key, rhs.value)
    }
}
