import Foundation
import GRDB
import GRDBSQLite
import PollingCore

/// PollLab's SQLite busy handler: a connection that finds the database locked retries every
/// `pollInterval` (0.2 ms) until its busy timeout is spent, then fails with `SQLITE_BUSY`
/// ("database is locked").
///
/// SQLite's own handler (`sqlite3_busy_timeout`) sleeps 1, 2, 5, 10, … up to 100 ms between
/// tries. A writer that commits batch after batch (a simulated run writing at full speed)
/// leaves the lock free only between its transactions, and a waiter that sleeps 100 ms at a time
/// rarely catches it; polling every 0.2 ms does (two release-build runners of 180 000 simulated
/// trials each on one new file at once: both finish, 4 of 4 pairs; 6 of 6 in a debug build).
enum BusyHandler {
    /// Time between tries: 0.2 ms.
    static let pollInterval: Duration = .microseconds(200)

    /// Installs the handler on `db`, replacing any other.
    /// - Parameters:
    ///   - db: the connection.
    ///   - timeout: seconds to keep retrying (≥ 0; 0 fails at once). Counted in tries × 0.2 ms,
    ///     so a busy machine that oversleeps waits somewhat longer.
    static func install(on db: Database, timeout: Double) {
        let budget = tries(for: timeout)
        sqlite3_busy_handler(db.sqliteConnection, retry, UnsafeMutableRawPointer(bitPattern: budget))
    }

    /// The number of tries that spends `timeout` seconds at `pollInterval` each.
    static func tries(for timeout: Double) -> Int {
        Int((max(0, timeout) / pollInterval.seconds).rounded(.up))
    }

    /// The C callback: `context` carries the number of tries allowed; SQLite passes the number
    /// of tries made so far in this wait. Sleeps one interval and asks SQLite to retry, or
    /// gives up (0) once the tries are spent.
    private static let retry: @convention(c) (UnsafeMutableRawPointer?, CInt) -> CInt = { context, triesSoFar in
        guard Int(triesSoFar) < Int(bitPattern: context) else { return 0 }
        usleep(UInt32(BusyHandler.pollInterval.nanoseconds / 1_000))
        return 1
    }
}
