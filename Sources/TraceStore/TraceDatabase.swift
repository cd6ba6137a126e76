import Foundation
import GRDB
import PollingCore

/// A PollLab trace database: one SQLite file with the schema of `Schema`.
///
/// Open it with `open(path:)` (read-write: a GRDB `DatabasePool`, migrated on open) or
/// `openReadOnly(path:)` (a read-only GRDB `DatabaseQueue`). Every connection uses WAL,
/// `synchronous=NORMAL`, `foreign_keys=ON`, a busy timeout (default 5 s, retried every 0.2 ms
/// by `BusyHandler`) and a WAL auto-checkpoint every `walAutoCheckpointPages` pages.
///
/// Run lifecycle (`beginRun`, `finishRun`, `markStaleRunsInterrupted`) is in
/// `TraceDatabase+Runs.swift`; trials are written by `TraceWriter`.
public final class TraceDatabase: Sendable {
    /// The file path the database was opened with.
    public let path: String
    /// `true` when opened with `openReadOnly(path:)`: every write throws.
    public let isReadOnly: Bool
    /// The GRDB writer (a `DatabasePool`; for a read-only database, a read-only `DatabaseQueue`
    /// whose writes fail).
    public let writer: any DatabaseWriter
    /// The wall clock used for `heartbeat_at` and `ended_at` (injected; default `Date()`).
    public let wallClock: @Sendable () -> Date
    /// Something the user should know about how the file was opened, for stderr: set when a
    /// read-only open fell back to SQLite's immutable mode (see `openReadOnly`); `nil` otherwise.
    public let note: String?

    /// The GRDB reader for SQL queries (e.g. by the `Analysis` module).
    public var reader: any DatabaseReader { writer }

    private init(path: String, isReadOnly: Bool, writer: any DatabaseWriter,
                 wallClock: @escaping @Sendable () -> Date, note: String? = nil) {
        self.path = path
        self.isReadOnly = isReadOnly
        self.writer = writer
        self.wallClock = wallClock
        self.note = note
    }

    /// Pages (4 KiB) the WAL may grow to before a commit copies it back into the database file
    /// (SQLite's default is 1 000). Each checkpoint waits for two `fsync`s; on the 2-core bench
    /// machine those cost ~50 ms each, so at the default a simulation writing 1.6 M rows spent a
    /// third of its wall time in checkpoints (C insert loop: 3.38 s wall, 1.91 s CPU at 1 000
    /// pages; 2.41 s wall, 1.82 s CPU at 10 000). The WAL (≤ ~40 MB) goes away when the last
    /// connection closes.
    public static let walAutoCheckpointPages = 10_000

    /// The GRDB configuration of every PollLab connection.
    /// - Parameters:
    ///   - readOnly: open with `SQLITE_OPEN_READONLY`.
    ///   - busyTimeout: how long a connection retries a locked database before failing, in
    ///     seconds (default 5; clamped to 0...86 400, a non-finite value means 5), polling every
    ///     0.2 ms (`BusyHandler`).
    /// - Returns: a configuration with WAL (pools), `synchronous=NORMAL`, `foreign_keys=ON`,
    ///   `wal_autocheckpoint = walAutoCheckpointPages` and PollLab's busy handler.
    public static func configuration(readOnly: Bool = false, busyTimeout: Double = 5) -> Configuration {
        let busyTimeout = busyTimeout.isFinite ? min(max(busyTimeout, 0), 86_400) : 5
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .immediateError  // replaced below, on every connection
        config.label = "PollLab.TraceStore"
        config.prepareDatabase { db in
            // GRDB sets NORMAL only on a pool's writer, and gives a pool's readers its own
            // 10 s busy timeout; make both explicit on every connection.
            // The busy handler first, so that nothing below fails at once on a locked file.
            BusyHandler.install(on: db, timeout: busyTimeout)
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walAutoCheckpointPages)")
        }
        return config
    }

    /// Opens (creating it if needed) the database at `path` for reading and writing, and runs
    /// the schema migrations. When another process is creating or migrating the same file at the
    /// same moment, the open is tried again every millisecond for up to `busyTimeout`.
    /// - Parameters:
    ///   - path: the database file; its directory must exist and be writable.
    ///   - busyTimeout: lock wait in seconds before a write fails with "database is locked"
    ///     (default 5).
    ///   - wallClock: the wall clock for heartbeats and end times (default `Date()`).
    /// - Returns: the open database.
    /// - Throws: `TraceStoreError.openFailed` (`db_open_failed`) naming the path when the file
    ///   cannot be opened or created; `.foreignDatabase` when the file already holds tables but is
    ///   not a PollLab database (nothing is changed); `.migrationFailed` when the schema cannot be
    ///   migrated.
    public static func open(path: String, busyTimeout: Double = 5,
                            wallClock: @escaping @Sendable () -> Date = { Date() }) throws -> TraceDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty,
           !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw TraceStoreError.openFailed(path: path, reason: "directory \(directory) does not exist")
        }
        let configuration = configuration(busyTimeout: busyTimeout)
        let giveUp = ContinuousClock.now + .clampedSeconds(busyTimeout)
        while true {
            do {
                let pool = try openAndMigrate(path: path, configuration: configuration)
                return TraceDatabase(path: path, isReadOnly: false, writer: pool, wallClock: wallClock)
            } catch OpenAttempt.contended where ContinuousClock.now < giveUp {
                usleep(1_000)
            } catch OpenAttempt.contended {
                throw TraceStoreError.openFailed(path: path, reason: "database is locked by another process")
            }
        }
    }

    /// Why one attempt to open a database should be repeated.
    private enum OpenAttempt: Error {
        /// Another process held a lock SQLite would not wait for (changing a new file to WAL,
        /// upgrading a read lock), or migrated the schema while this one tried to: GRDB decides
        /// which migrations to run from what it read before holding the write lock, so two
        /// processes opening a new file at once may run the same one; the second's transaction
        /// rolls back.
        case contended
    }

    /// Opens a pool and runs the migrations it lacks, once.
    /// - Throws: `OpenAttempt.contended` to try again; `TraceStoreError.openFailed` or
    ///   `.migrationFailed` otherwise.
    private static func openAndMigrate(path: String, configuration: Configuration) throws -> DatabasePool {
        try refuseForeignDatabase(path: path, configuration: configuration)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw OpenAttempt.contended
        } catch {
            throw TraceStoreError.openFailed(path: path, reason: Self.reason(error))
        }
        let appliedBefore = try? pool.read { db in try Schema.migrator.appliedMigrations(db) }
        do {
            try Schema.migrator.migrate(pool)
            return pool
        } catch {
            let appliedAfter = try? pool.read { db in try Schema.migrator.appliedMigrations(db) }
            try? pool.close()
            if (error as? DatabaseError)?.resultCode == .SQLITE_BUSY || appliedAfter != appliedBefore {
                throw OpenAttempt.contended
            }
            throw TraceStoreError.migrationFailed(path: path, reason: Self.reason(error))
        }
    }

    /// Refuses a non-empty file that is not a PollLab database, before anything writes to it
    /// (opening a pool would switch it to WAL, migrating would add tables). A PollLab database has
    /// applied `v1-core-tables` (GRDB's `grdb_migrations`); a file with no schema object (new or
    /// empty), or only `grdb_migrations` (another process is creating it), is taken.
    /// - Throws: `TraceStoreError.foreignDatabase` naming what was found; `OpenAttempt.contended`
    ///   when the file is locked; `.openFailed` when it is not an SQLite file.
    private static func refuseForeignDatabase(path: String, configuration: Configuration) throws {
        guard let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, size > 0 else { return }
        var readOnly = configuration
        readOnly.readonly = true
        let found: [String]
        do {
            let queue = try DatabaseQueue(path: path, configuration: readOnly)
            defer { try? queue.close() }
            found = try queue.read { db -> [String] in
                let objects = try SQLRequest<SchemaObject>(literal: """
                    SELECT type, name FROM sqlite_master
                    WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view') ORDER BY type, name
                    """).fetchAll(db)
                guard objects.contains(where: { $0.name != "grdb_migrations" }) else { return [] }
                if objects.contains(where: { $0.name == "grdb_migrations" }),
                   try Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = 'v1-core-tables'") == true {
                    return []
                }
                return objects.map { "\($0.type) \($0.name)" }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw OpenAttempt.contended
        } catch {
            throw TraceStoreError.openFailed(path: path, reason: Self.reason(error))
        }
        if !found.isEmpty { throw TraceStoreError.foreignDatabase(path: path, found: found) }
    }

    /// A table or view of `sqlite_master`.
    private struct SchemaObject: Decodable, FetchableRecord {
        var type: String
        var name: String
    }

    /// Opens an existing database read-only (`SQLITE_OPEN_READONLY`); every write through it
    /// throws. Never creates a database file.
    ///
    /// Waits out other processes within `busyTimeout`: a writer checkpointing, or the first
    /// opener recovering the WAL that a killed writer left, holds locks that make an open fail
    /// with "database is locked"; the open is then tried again every millisecond.
    ///
    /// A read-only open of a WAL database needs its `-shm` file, which SQLite cannot create in a
    /// read-only directory ("unable to open database file"). The database is then opened with
    /// SQLite's `immutable=1` URI parameter (no locks, no `-shm`) and `note` says so: results may
    /// then miss transactions still in an uncheckpointed `-wal` file, and must not be trusted while
    /// another process writes.
    /// - Parameters:
    ///   - path: an existing PollLab database file.
    ///   - busyTimeout: lock wait in seconds (default 5).
    ///   - wallClock: the wall clock (unused for reads; default `Date()`).
    /// - Returns: the open database.
    /// - Throws: `TraceStoreError.notFound` (`db_not_found`) when no file exists at `path`;
    ///   `.openFailed` when it cannot be opened; `.migrationFailed` when its schema is not the
    ///   current PollLab schema (open it read-write once to migrate it).
    public static func openReadOnly(path: String, busyTimeout: Double = 5,
                                    wallClock: @escaping @Sendable () -> Date = { Date() }) throws -> TraceDatabase {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw TraceStoreError.notFound(path: path)
        }
        let configuration = configuration(readOnly: true, busyTimeout: busyTimeout)
        let giveUp = ContinuousClock.now + .clampedSeconds(busyTimeout)
        var note: String?
        var attempt: (queue: DatabaseQueue, current: Bool)?
        while attempt == nil {
            do {
                attempt = try openCurrent(path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < giveUp {
                usleep(1_000)
            } catch let error as DatabaseError
                        where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) && note == nil {
                // No -shm and no right to create it: "unable to open database file" or
                // "attempt to write a readonly database", depending on the SQLite version.
                do {
                    attempt = try openCurrent(immutableURI(path), configuration: configuration)
                    note = "note: \(path) is in a directory PollLab cannot write to, so it was opened immutable "
                        + "(SQLite's immutable=1): results may miss the latest transactions if a -wal file "
                        + "was not checkpointed, or if another process is writing"
                } catch {
                    throw TraceStoreError.openFailed(path: path, reason: Self.reason(error))
                }
            } catch {
                throw TraceStoreError.openFailed(path: path, reason: Self.reason(error))
            }
        }
        guard let (queue, current) = attempt else { throw TraceStoreError.openFailed(path: path, reason: "no connection") }
        guard current else {
            throw TraceStoreError.migrationFailed(
                path: path,
                reason: "the schema is missing migrations (not a PollLab database, or an older one: "
                    + "open it read-write once, e.g. with `experiment`, to migrate it)")
        }
        return TraceDatabase(path: path, isReadOnly: true, writer: queue, wallClock: wallClock, note: note)
    }

    /// One read-only open of `path` (a path or a `file:` URI) and whether its schema is current.
    private static func openCurrent(_ path: String, configuration: Configuration) throws -> (DatabaseQueue, Bool) {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        do {
            return (queue, try queue.read { db in try Schema.migrator.hasCompletedMigrations(db) })
        } catch {
            try? queue.close()
            throw error
        }
    }

    /// The `file:` URI (RFC 8089, SQLite's URI filenames) that opens `path` immutable.
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    /// Closes every connection. Further use of the database throws.
    /// - Throws: a GRDB error if a connection is still in use.
    public func close() throws {
        if let pool = writer as? DatabasePool {
            try pool.close()
        } else if let queue = writer as? DatabaseQueue {
            try queue.close()
        }
    }

    /// A short reason for an underlying error (GRDB's message without the SQL).
    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "\(error.resultCode)"
        }
        if let error = error as? TraceStoreError {
            return error.description
        }
        return "\(error)"
    }

    /// Runs a write, mapping errors to `TraceStoreError` and refusing writes when read-only.
    func write<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) throws -> T {
        guard !isReadOnly else { throw TraceStoreError.readOnly(path: path) }
        do {
            return try writer.write(body)
        } catch let error as TraceStoreError {
            throw error
        } catch {
            throw TraceStoreError.databaseFailed(operation: operation, reason: Self.reason(error))
        }
    }
}
