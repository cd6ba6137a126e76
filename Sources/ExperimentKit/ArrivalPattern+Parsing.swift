import PollingCore

extension ArrivalPattern {
    /// The keys each pattern takes.
    static let keys: [String: [String]] = ["herd": ["pattern"], "poisson": ["pattern", "rate"],
                                           "bursts": ["pattern", "size", "every"]]

    /// Parses the `arrivals:` mapping of an experiment file: `{pattern: herd}`,
    /// `{pattern: poisson, rate: R}` (arrivals per second) or `{pattern: bursts, size: K, every: S}`
    /// (K trials every S seconds).
    /// - Throws: `ExperimentError.invalidField` naming the file, line and key
    ///   (`arrivals.pattern`, `arrivals.rate`, …) and what to write instead.
    static func parse(_ fields: FieldReader) throws -> ArrivalPattern {
        let name = try fields.string("pattern")
        guard let allowed = keys[name] else {
            throw fields.invalid("pattern", "unknown arrival pattern '\(name)' (use: herd, poisson, bursts)")
        }
        try fields.allow(allowed)
        let pattern: ArrivalPattern
        switch name {
        case "poisson": pattern = .poisson(rate: try fields.number("rate"))
        case "bursts": pattern = .bursts(size: try fields.integer("size", range: 1...Int(Int32.max)),
                                         every: try fields.seconds("every"))
        default: pattern = .herd
        }
        do {
            try pattern.validate()
        } catch {
            throw fields.invalid(error.field, error.description.replacingOccurrences(of: "\(error.field): ", with: ""))
        }
        return pattern
    }
}
