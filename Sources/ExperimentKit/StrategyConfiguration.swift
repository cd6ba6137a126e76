import PollingCore

/// One arm's strategy as written in an experiment file: a `strategy` kind plus its parameters,
/// each with a documented default. Unknown keys are rejected (a typo must not silently fall
/// back to a default).
///
/// Kinds (seconds throughout):
/// - `constant`: `interval` (default 0.5), `initial_delay` (0).
/// - `exponential`: `initial` (0.1), `multiplier` (2), `max_interval` (3),
///   `jitter` (`none` | `full` | `equal` | `decorrelated`, default `none`), `initial_delay` (0).
/// - `seed`: `initial_interval` (0.1), `max_interval` (3), `jitter` ([a, b], default [1, 1]),
///   `duration_hint` (none).
public enum StrategyConfiguration: Sendable, Hashable {
    case constant(ConstantStrategy)
    case exponential(ExponentialStrategy)
    case seed(SeedStrategy)

    /// Keys every arm has besides its strategy parameters.
    static let armKeys = ["name", "strategy"]

    /// Every strategy kind, as spelt in files.
    public static let kinds = ["constant", "exponential", "seed"]

    /// The kind, as spelt in files.
    public var kind: String {
        switch self {
        case .constant: return "constant"
        case .exponential: return "exponential"
        case .seed: return "seed"
        }
    }

    /// A fresh strategy for one trial.
    public func makeStrategy() -> any PollingStrategy {
        switch self {
        case .constant(let s): return s
        case .exponential(let s): return s
        case .seed(let s): return s
        }
    }

    /// The parameters as a JSON object with sorted keys (stored in `arm.parameters`).
    public var parametersJSON: String {
        let pairs: [(String, String)]
        switch self {
        case .constant(let s):
            pairs = [("interval", json(s.interval)), ("initial_delay", json(s.initialDelay))]
        case .exponential(let s):
            pairs = [("initial", json(s.initial)), ("multiplier", json(s.multiplier)),
                     ("max_interval", json(s.maxInterval)), ("jitter", "\"\(s.jitter.rawValue)\""),
                     ("initial_delay", json(s.initialDelay))]
        case .seed(let s):
            pairs = [("initial_interval", json(s.initialInterval)), ("max_interval", json(s.maxInterval)),
                     ("jitter", "[\(json(s.jitter.lowerBound)),\(json(s.jitter.upperBound))]"),
                     ("duration_hint", s.durationHint.map(json) ?? "null")]
        }
        return "{" + pairs.sorted { $0.0 < $1.0 }.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private func json(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

extension StrategyConfiguration {
    /// Builds a configuration from the keys of one arm (the `name` key excluded).
    /// - Throws: `ExperimentError.invalidField` naming the key path (e.g. `arms[1].jitter`).
    static func parse(_ fields: FieldReader) throws -> StrategyConfiguration {
        switch try fields.string("strategy") {
        case "constant":
            try fields.allow(armKeys + ["interval", "initial_delay"])
            let s = ConstantStrategy(interval: try fields.seconds("interval", default: 0.5, positive: true),
                                     initialDelay: try fields.seconds("initial_delay", default: 0))
            return .constant(s)
        case "exponential":
            try fields.allow(armKeys + ["initial", "multiplier", "max_interval", "jitter", "initial_delay"])
            let initial = try fields.seconds("initial", default: 0.1, positive: true)
            let maxInterval = try fields.seconds("max_interval", default: 3, positive: true)
            let multiplier = try fields.number("multiplier", default: 2)
            guard multiplier >= 1 else { throw fields.invalid("multiplier", "must be >= 1, got \(multiplier)") }
            let jitterName = try fields.optionalString("jitter") ?? "none"
            guard let jitter = JitterKind(rawValue: jitterName) else {
                throw fields.invalid("jitter", "unknown jitter '\(jitterName)' (use one of: \(JitterKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return .exponential(ExponentialStrategy(initial: initial, multiplier: multiplier, maxInterval: maxInterval,
                                                    jitter: jitter, initialDelay: try fields.seconds("initial_delay", default: 0)))
        case "seed":
            try fields.allow(armKeys + ["initial_interval", "max_interval", "jitter", "duration_hint"])
            let jitter = try fields.numberPair("jitter", default: (1, 1))
            guard jitter.0 >= 0, jitter.0 <= jitter.1 else {
                throw fields.invalid("jitter", "must be [a, b] with 0 <= a <= b, got [\(jitter.0), \(jitter.1)]")
            }
            let hint = try fields.optionalSeconds("duration_hint")
            return .seed(SeedStrategy(initialInterval: try fields.seconds("initial_interval", default: 0.1, positive: true),
                                      maxInterval: try fields.seconds("max_interval", default: 3, positive: true),
                                      jitter: jitter.0...jitter.1, durationHint: hint))
        case let other:
            throw fields.invalid("strategy", "unknown strategy '\(other)' (use one of: \(kinds.joined(separator: ", ")))")
        }
    }
}
