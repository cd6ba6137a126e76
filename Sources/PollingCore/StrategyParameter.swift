/// Checks of strategy parameters, shared by the public initialisers of the strategies: each
/// throws `PollingCoreError.invalidField` naming the parameter as experiment files spell it
/// (e.g. `max_interval`), so a parser can point at the offending key.
enum StrategyParameter {
    /// A finite number of seconds > 0.
    static func positive(_ value: Double, _ field: String) throws {
        guard value.isFinite, value > 0 else {
            throw PollingCoreError.invalidField(field, "must be a finite number of seconds > 0, got \(value)")
        }
    }

    /// A finite number ≥ 0.
    static func nonNegative(_ value: Double, _ field: String) throws {
        guard value.isFinite, value >= 0 else {
            throw PollingCoreError.invalidField(field, "must be a finite number >= 0, got \(value)")
        }
    }

    /// A finite growth factor ≥ 1.
    static func multiplier(_ value: Double, _ field: String) throws {
        guard value.isFinite, value >= 1 else {
            throw PollingCoreError.invalidField(field, "must be a finite number >= 1, got \(value)")
        }
    }

    /// `upper ≥ lower`.
    static func ordered(_ lower: Double, _ upper: Double, lowerField: String, upperField: String) throws {
        guard upper >= lower else {
            throw PollingCoreError.invalidField(upperField, "must be >= \(lowerField) (\(lower)), got \(upper)")
        }
    }
}
