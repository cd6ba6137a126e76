/// Errors of the `PollingCore` module, each with a stable short code.
public enum PollingCoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field is missing or out of range: (field name, what is wrong and how to fix it).
    case invalidField(String, String)

    /// A stable short code, stored in the database and used in JSON errors.
    public var code: String {
        switch self {
        case .invalidField: return "invalid_field"
        }
    }

    /// The field that is wrong.
    public var field: String {
        switch self {
        case .invalidField(let field, _): return field
        }
    }

    public var description: String {
        switch self {
        case .invalidField(let field, let message): return "\(field): \(message)"
        }
    }
}
