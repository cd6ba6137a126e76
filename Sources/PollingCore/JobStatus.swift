/// The status of a job as the server reports it.
///
/// `completed`, `error` and `cancelled` are *final*: once a job reports one of them it never
/// changes (seed behaviour; see DESIGN.md "What the seed's code actually does"). `cancelled`
/// means a client cancelled the job with `DELETE /jobs/{id}` before it finished (as Google's
/// `CancelOperation` does); it is not a job outcome, and it is a different thing from the trial
/// error code `cancelled` (the runner was interrupted). The seed's own client knows only
/// `pending`, `completed` and `error`: see `seedCompatible`.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case completed
    case error
    case cancelled

    /// `true` for `completed`, `error` and `cancelled`.
    public var isFinal: Bool { self != .pending }

    /// The status as the seed-compatible `GET /status` reports it: `cancelled` becomes `error`
    /// (a value the seed's client knows; a cancelled job did not complete), the others as they are.
    public var seedCompatible: JobStatus { self == .cancelled ? .error : self }
}
