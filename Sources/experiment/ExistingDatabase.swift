import Foundation
import TraceStore

/// Opens an existing results database read-write for the commands that change runs (tag,
/// untag, note, delete); unlike `experiment run`, they never create a file.
enum ExistingDatabase {
    /// - Parameter path: the `--db` path.
    /// - Returns: the open database.
    /// - Throws: `CommandFailure` naming the path when there is no file or it cannot be opened.
    static func open(_ path: String) throws -> TraceDatabase {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw CommandFailure("no database at \(path) (run an experiment first, or pass --db with an existing file)")
        }
        do {
            return try TraceDatabase.open(path: path)
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Runs `body`, turning store errors into one-line failures.
    static func perform<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TraceStoreError {
            throw CommandFailure(error.description)
        }
    }
}
