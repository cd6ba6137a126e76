/// The legacy duration models of `base_delay` / `var_delay` (`duration_model` key); the general
/// models, these two included, are `DurationSpec` (which draws them).
///
/// - `seed`: `base + U(0, var)`, uniform on `[base, base + var]`. This is what the seed's code
///   does (its README says "x ± rand(y)", the code only adds). Default.
/// - `symmetric`: `base + U(-var, var)`, clamped at 0: uniform on `[max(0, base - var), base + var]`.
public enum DurationModel: String, Codable, Sendable, CaseIterable {
    case seed
    case symmetric

    /// The support `[lower, upper]` of the duration in seconds.
    public func bounds(base: Double, variation: Double) -> ClosedRange<Double> {
        switch self {
        case .seed: return base...(base + variation)
        case .symmetric: return max(0, base - variation)...(base + variation)
        }
    }
}
