import Foundation
import PollingCore

/// NUL-terminated C copies of the enum values the hot insert path writes (`api_call.kind`,
/// `api_call.result`, `trial.outcome`), made once from their raw values and kept for the life of
/// the process. `TrialInserter` binds them with `SQLITE_STATIC`, where binding a Swift string
/// costs two allocations and two copies per value (the C-string conversion and SQLite's
/// `SQLITE_TRANSIENT` copy).
enum SQLiteText {
    // nonisolated(unsafe): each pointer is written once, by the thread-safe lazy initialisation
    // of a static `let`, and the bytes behind it are never written or freed afterwards.
    private nonisolated(unsafe) static let create = copy(CallKind.create.rawValue)
    private nonisolated(unsafe) static let status = copy(CallKind.status.rawValue)
    private nonisolated(unsafe) static let cancel = copy(CallKind.cancel.rawValue)
    private nonisolated(unsafe) static let pending = copy(JobStatus.pending.rawValue)
    private nonisolated(unsafe) static let completed = copy(JobStatus.completed.rawValue)
    private nonisolated(unsafe) static let error = copy(JobStatus.error.rawValue)
    private nonisolated(unsafe) static let cancelled = copy(JobStatus.cancelled.rawValue)
    private nonisolated(unsafe) static let timedOut = copy(TrialOutcome.timedOut.rawValue)
    private nonisolated(unsafe) static let failed = copy(TrialOutcome.failed.rawValue)

    private static func copy(_ text: String) -> UnsafePointer<CChar> {
        UnsafePointer(strdup(text)!)  // never freed: lives as long as the process
    }

    /// The C string of `kind.rawValue`.
    static func text(_ kind: CallKind) -> UnsafePointer<CChar> {
        switch kind {
        case .create: create
        case .status: status
        case .cancel: cancel
        }
    }

    /// The C string of `status.rawValue`.
    static func text(_ status: JobStatus) -> UnsafePointer<CChar> {
        switch status {
        case .pending: pending
        case .completed: completed
        case .error: error
        case .cancelled: cancelled
        }
    }

    /// The C string of `outcome.rawValue` (`completed` and `error` share `JobStatus`'s copies).
    static func text(_ outcome: TrialOutcome) -> UnsafePointer<CChar> {
        switch outcome {
        case .completed: completed
        case .error: error
        case .timedOut: timedOut
        case .failed: failed
        }
    }
}
