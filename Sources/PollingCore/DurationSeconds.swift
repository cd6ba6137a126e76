extension Duration {
    /// This duration in seconds as a `Double` (attosecond precision is rounded to the nearest
    /// representable value).
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    /// This duration in whole nanoseconds (truncated toward zero, saturating at `Int64` bounds).
    public var nanoseconds: Int64 {
        let c = components
        let (whole, overflow) = c.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return c.seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(c.attoseconds / 1_000_000_000).partialValue
    }

    /// A duration of `seconds`, clamped to ±1e12 s (about 31 700 years) so that any finite or
    /// infinite input gives a valid value; NaN gives zero.
    public static func clampedSeconds(_ seconds: Double) -> Duration {
        guard !seconds.isNaN else { return .zero }
        return .seconds(min(max(seconds, -1e12), 1e12))
    }
}

extension Int64 {
    /// The instant `offset` after this one, both in nanoseconds, saturating at `Int64` bounds
    /// instead of wrapping: the one conversion from an offset (`Duration`) to a recorded instant
    /// (ns from the run's start), used by `TrialRecord`, `TrialSimulator` and `TrialDriver`.
    public func advanced(by offset: Duration) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(offset.nanoseconds)
        return overflow ? (offset > .zero ? .max : .min) : sum
    }
}
