import Foundation
import Synchronization

/// A one-line progress display on standard error, shown only when it is a terminal.
final class ProgressLine: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastShown = Mutex<Int>(-1)

    init(label: String) {
        self.label = label
        self.enabled = isatty(STDERR_FILENO) != 0
    }

    /// Shows `done/total`, redrawing at most once per percent.
    func update(_ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        let show = lastShown.withLock { last in
            guard percent != last else { return false }
            last = percent
            return true
        }
        if show {
            FileHandle.standardError.write(Data("\r\(label): \(done)/\(total) trials (\(percent)%)".utf8))
        }
    }

    /// Shows a free-form status after the label (e.g. the tuner's family and candidates so far).
    func message(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label): \(text)".utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
