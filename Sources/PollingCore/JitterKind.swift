/// The jitter variants of the AWS Architecture Blog, "Exponential Backoff and Jitter" (2015).
///
/// With `v = min(cap, base · multiplier^attempt)`:
/// - `none`: `v`
/// - `full`: `U(0, v)`
/// - `equal`: `v/2 + U(0, v/2)`
/// - `decorrelated`: `min(cap, U(base, 3 · previous))`, starting from `previous = base`
///   (ignores the multiplier).
public enum JitterKind: String, Codable, Sendable, CaseIterable {
    case none
    case full
    case equal
    case decorrelated
}
