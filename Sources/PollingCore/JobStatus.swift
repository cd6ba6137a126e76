/// The status of a job as the server reports it.
///
/// `completed` and `error` are *final*: once a job reports one of them it never changes
/// (seed behaviour; see DESIGN.md "What the seed's code actually does").
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case completed
    case error

    /// `true` for `completed` and `error`.
    public var isFinal: Bool { self != .pending }
}
