import PollingCore

extension StrategyConfiguration {
    /// Parses the industry presets and the server-assisted kinds; `nil` for other kinds.
    /// - Throws: `ExperimentError.invalidField` naming the key path.
    static func parsePreset(_ kind: String, _ fields: FieldReader) throws -> StrategyConfiguration? {
        switch kind {
        case "grpc":
            try fields.allow(armKeys + ["initial", "multiplier", "jitter", "max_backoff", "initial_delay"])
            let jitter = try fields.number("jitter", default: 0.2)
            guard jitter >= 0, jitter < 1 else { throw fields.invalid("jitter", "must be in [0, 1), got \(jitter)") }
            return .grpc(try fields.checked { try GRPCBackoffStrategy(initial: try fields.seconds("initial", default: 1, positive: true),
                                             multiplier: try fields.multiplier("multiplier", default: 1.6), jitter: jitter,
                                             maxBackoff: try fields.seconds("max_backoff", default: 120, positive: true),
                                             initialDelay: try fields.seconds("initial_delay", default: 0)) })
        case "aws":
            try fields.allow(armKeys + ["base", "cap", "max_attempts", "initial_delay"])
            let attempts = fields.value("max_attempts") == nil ? nil : try fields.integer("max_attempts", range: 1...Int.max)
            return .aws(try fields.checked { try AWSStandardRetryStrategy(base: try fields.seconds("base", default: 1, positive: true),
                                                 cap: try fields.seconds("cap", default: 20, positive: true),
                                                 maxAttempts: attempts,
                                                 initialDelay: try fields.seconds("initial_delay", default: 0)) })
        case "google-lro":
            try fields.allow(armKeys + ["initial", "multiplier", "max_delay", "timeout"])
            return .googleLRO(try fields.checked { try GoogleLROStrategy(initial: try fields.seconds("initial", default: 1, positive: true),
                                                multiplier: try fields.multiplier("multiplier", default: 1.5),
                                                maxDelay: try fields.seconds("max_delay", default: 20, positive: true),
                                                timeout: try fields.seconds("timeout", default: 900, positive: true)) })
        case "smithy":
            try fields.allow(armKeys + ["min_delay", "max_delay"])
            let minDelay = try fields.seconds("min_delay", default: 2, positive: true)
            let maxDelay = try fields.seconds("max_delay", default: 120, positive: true)
            guard maxDelay >= minDelay else { throw fields.invalid("max_delay", "must be >= min_delay (\(minDelay)), got \(maxDelay)") }
            return .smithy(try fields.checked { try SmithyWaiterStrategy(minDelay: minDelay, maxDelay: maxDelay) })
        case "kubernetes":
            try fields.allow(armKeys + ["duration", "factor", "jitter", "steps", "cap", "initial_delay"])
            let steps = fields.value("steps") == nil ? nil : try fields.integer("steps", range: 1...Int.max)
            return .kubernetes(try fields.checked { try KubernetesBackoffStrategy(duration: try fields.seconds("duration", default: 1, positive: true),
                                                         factor: try fields.multiplier("factor", default: 2),
                                                         jitter: try fields.seconds("jitter", default: 0.1),
                                                         steps: steps,
                                                         cap: try fields.seconds("cap", default: 60, positive: true),
                                                         initialDelay: try fields.seconds("initial_delay", default: 0)) })
        case "azure":
            try fields.allow(armKeys + ["interval", "initial_delay"])
            let initialDelay = fields.value("initial_delay") == nil ? nil : try fields.seconds("initial_delay")
            return .azure(AzureLROStrategy(interval: try fields.seconds("interval", default: 30, positive: true),
                                           initialDelay: initialDelay))
        case "hinted":
            try fields.allow(armKeys + ["interval", "min_interval", "max_interval", "initial_delay"])
            let minInterval = try fields.seconds("min_interval", default: 0.05)
            let maxInterval = try fields.seconds("max_interval", default: 30, positive: true)
            guard maxInterval >= minInterval else {
                throw fields.invalid("max_interval", "must be >= min_interval (\(minInterval)), got \(maxInterval)")
            }
            return .hinted(HintedStrategy(interval: try fields.seconds("interval", default: 1, positive: true),
                                          minInterval: minInterval, maxInterval: maxInterval,
                                          initialDelay: try fields.seconds("initial_delay", default: 0)))
        case "long-poll":
            try fields.allow(armKeys + ["wait", "error_delay"])
            return .longPoll(LongPollStrategy(wait: try fields.seconds("wait", default: 20, positive: true),
                                              errorDelay: try fields.seconds("error_delay", default: 1)))
        case "sse":
            try fields.allow(armKeys + ["wait"])
            return .sse(SSEStrategy(wait: try fields.seconds("wait", default: 60, positive: true)))
        case "webhook":
            try fields.allow(armKeys + ["wait", "fallback_interval"])
            return .webhook(WebhookStrategy(wait: try fields.seconds("wait", default: 30, positive: true),
                                            fallbackInterval: try fields.seconds("fallback_interval", default: 0.5, positive: true)))
        case "progress":
            try fields.allow(armKeys + ["initial", "multiplier", "min_interval", "max_interval"])
            let initial = try fields.seconds("initial", default: 1, positive: true)
            let multiplier = try fields.multiplier("multiplier", default: 2)
            let minInterval = try fields.seconds("min_interval", default: 0.05)
            let maxInterval = try fields.seconds("max_interval", default: 30, positive: true)
            return .progress(try fields.checked {
                try ProgressStrategy(initial: initial, multiplier: multiplier, minInterval: minInterval, maxInterval: maxInterval)
            })
        default:
            return nil
        }
    }

    /// The parameters of every kind as (key, JSON value) pairs.
    var parameterPairs: [(String, String)] {
        let j: (Double) -> String = { Self.json($0) }
        switch self {
        case .constant(let s):
            return [("interval", j(s.interval)), ("initial_delay", j(s.initialDelay))]
        case .exponential(let s):
            return [("initial", j(s.initial)), ("multiplier", j(s.multiplier)), ("max_interval", j(s.maxInterval)),
                    ("jitter", "\"\(s.jitter.rawValue)\""), ("initial_delay", j(s.initialDelay))]
        case .seed(let s):
            return [("initial_interval", j(s.initialInterval)), ("max_interval", j(s.maxInterval)),
                    ("jitter", "[\(j(s.jitter.lowerBound)),\(j(s.jitter.upperBound))]"),
                    ("duration_hint", s.usesJobHint ? "\"job\"" : Self.json(s.durationHint))]
        case .grpc(let s):
            return [("initial", j(s.initial)), ("multiplier", j(s.multiplier)), ("jitter", j(s.jitter)),
                    ("max_backoff", j(s.maxBackoff)), ("initial_delay", j(s.initialDelay))]
        case .aws(let s):
            return [("base", j(s.base)), ("cap", j(s.cap)), ("max_attempts", s.maxAttempts.map(String.init) ?? "null"),
                    ("initial_delay", j(s.initialDelay))]
        case .googleLRO(let s):
            return [("initial", j(s.initial)), ("multiplier", j(s.multiplier)), ("max_delay", j(s.maxDelay)),
                    ("timeout", j(s.timeout))]
        case .smithy(let s):
            return [("min_delay", j(s.minDelay)), ("max_delay", j(s.maxDelay))]
        case .kubernetes(let s):
            return [("duration", j(s.duration)), ("factor", j(s.factor)), ("jitter", j(s.jitter)),
                    ("steps", s.steps.map(String.init) ?? "null"), ("cap", Self.json(s.cap)), ("initial_delay", j(s.initialDelay))]
        case .azure(let s):
            return [("interval", j(s.interval)), ("initial_delay", Self.json(s.initialDelay))]
        case .hinted(let s):
            return [("interval", j(s.interval)), ("min_interval", j(s.minInterval)), ("max_interval", j(s.maxInterval)),
                    ("initial_delay", j(s.initialDelay))]
        case .longPoll(let s):
            return [("wait", j(s.wait)), ("error_delay", j(s.errorDelay))]
        case .sse(let s):
            return [("wait", j(s.wait))]
        case .webhook(let s):
            return [("wait", j(s.wait)), ("fallback_interval", j(s.fallbackInterval))]
        case .progress(let s):
            return [("initial", j(s.initial)), ("multiplier", j(s.multiplier)), ("min_interval", j(s.minInterval)),
                    ("max_interval", j(s.maxInterval))]
        case .optimal(let c):
            let distribution: String
            switch c.distribution {
            case .jobModel: distribution = "\"job\""
            case .fixed(let d):
                distribution = "[" + d.pieces.map { "[\(j($0.lower)),\(j($0.upper)),\(j($0.mass))]" }.joined(separator: ",") + "]"
            }
            return [("weights", "[\(j(c.weights.hit)),\(j(c.weights.efficiency))]"), ("distribution", distribution),
                    ("fallback_interval", Self.json(c.fallbackInterval))] + (c.usesJobHint ? [("hint", "\"job\"")] : [])
        case .learned(let c):
            return [("weights", "[\(j(c.weights.hit)),\(j(c.weights.efficiency))]"),
                    ("min_observations", String(c.minimumObservations))] + (c.usesJobHint ? [("hint", "\"job\"")] : [])
        }
    }
}

extension FieldReader {
    /// The value `make` builds, with a `PollingCoreError.invalidField` it throws (a strategy's or a retry budget's
    /// initialiser rejecting a parameter) turned into an error naming this arm's key.
    func checked<T>(_ make: () throws -> T) throws -> T {
        do {
            return try make()
        } catch let error as PollingCoreError {
            throw invalid(error.field, error.description.replacingOccurrences(of: "\(error.field): ", with: ""))
        }
    }

    /// A growth factor: finite and ≥ 1.
    func multiplier(_ key: String, default fallback: Double) throws -> Double {
        let value = try number(key, default: fallback)
        guard value >= 1 else { throw invalid(key, "must be >= 1, got \(value)") }
        return value
    }
}
