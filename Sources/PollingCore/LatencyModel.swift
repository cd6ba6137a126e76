/// The round-trip time of a simulated request, in seconds.
///
/// The server sees a request half a round trip after it was sent; the response arrives one
/// round trip after it was sent (a symmetric network).
public enum LatencyModel: Sendable, Hashable {
    /// Every request takes exactly this many seconds (≥ 0). `.constant(0)` is the default.
    case constant(Double)
    /// Each request draws its round trip from U[lower, upper) seconds (0 ≤ lower ≤ upper).
    case uniform(Double, Double)

    /// One round trip; consumes one draw from `rng` for `.uniform`, none for `.constant`.
    public func draw<R: RandomNumberGenerator>(using rng: inout R) -> Duration {
        switch self {
        case .constant(let seconds): return .clampedSeconds(seconds)
        case .uniform(let lower, let upper): return .clampedSeconds(rng.uniform(lower, upper))
        }
    }

    /// The mean round trip in seconds.
    public var mean: Double {
        switch self {
        case .constant(let seconds): return seconds
        case .uniform(let lower, let upper): return (lower + upper) / 2
        }
    }
}
