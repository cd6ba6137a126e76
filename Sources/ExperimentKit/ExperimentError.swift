/// Errors of the `ExperimentKit` module, each with a stable short code.
public enum ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No experiment of that name or path: (what was asked, the known names).
    case notFound(String, [String])
    /// The file could not be read: (path, why).
    case unreadable(String, String)
    /// The YAML itself is malformed: (file, line, problem).
    case malformedYAML(file: String, line: Int?, message: String)
    /// A field is missing, mistyped or out of range.
    case invalidField(file: String, line: Int?, field: String, message: String)
    /// The run could not complete: (why).
    case runFailed(String)
    /// A command-line argument or option is invalid: (option, problem and fix).
    case invalidArgument(String, String)

    /// A stable short code.
    public var code: String {
        switch self {
        case .notFound: return "experiment_not_found"
        case .unreadable: return "experiment_unreadable"
        case .malformedYAML: return "malformed_yaml"
        case .invalidField: return "invalid_field"
        case .runFailed: return "run_failed"
        case .invalidArgument: return "invalid_argument"
        }
    }

    public var description: String {
        switch self {
        case .notFound(let name, let known):
            let list = known.isEmpty ? "none found under experiments/" : known.joined(separator: ", ")
            return "no experiment '\(name)' (known experiments: \(list)); pass a name from `experiment list` or a path to a .yaml file"
        case .unreadable(let path, let why):
            return "cannot read experiment file \(path): \(why)"
        case .malformedYAML(let file, let line, let message):
            return "\(file)\(line.map { ":\($0)" } ?? ""): malformed YAML: \(message)"
        case .invalidField(let file, let line, let field, let message):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(field): \(message)"
        case .runFailed(let why):
            return "run failed: \(why)"
        case .invalidArgument(let option, let message):
            return "\(option): \(message)"
        }
    }
}
