/// Output formats of the run summary.
public enum SummaryFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned text columns with a provenance header and an explanatory footer.
    case table
    /// A header row and one row per arm, RFC 4180 quoting.
    case csv
    /// One JSON object with sorted keys; numbers at full precision, `null` when undefined.
    case json
}
