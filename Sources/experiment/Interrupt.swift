import Dispatch
import Foundation

/// Runs `operation` in a task that SIGINT (Ctrl-C) and SIGTERM cancel, so that a run stops
/// cleanly: trials in flight are recorded as cancelled and the run is marked `interrupted`,
/// ready for `experiment resume`.
func cancellingOnSignals<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await operation() }
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { task.cancel() }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
    return try await task.value
}
