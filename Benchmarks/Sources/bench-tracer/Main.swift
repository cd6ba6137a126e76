import BenchSupport
import Foundation
import GRDBSQLite
import PollingCore
import TraceStore

/// `bench-tracer [CALLS] [ROUNDS]`: rows per second written to SQLite by PollLab's tracer
/// (`TraceWriter`, default batch of 256 trials per transaction) against a raw prepared-statement
/// insert loop (the sqlite3 C API, no GRDB) writing the same rows into the same schema with the
/// same pragmas (WAL, `synchronous=NORMAL`, `foreign_keys=ON`) and the same transactions, in the
/// same process. CALLS call rows (default 1 000 000) in trials of 1 create + 9 status calls;
/// each side runs ROUNDS times (default 3), alternating, on a fresh file; the best round counts.
/// A third loop binds each trial's calls into one multi-row INSERT: the technique `TraceWriter`
/// itself uses (32 call rows per statement across trials), so its ratio to the single-row loop
/// can exceed 100 %.
/// Prints `tracer …` lines; exits non-zero only if a write fails.
@main
struct BenchTracer {
    static let callsPerTrial = 10
    static let batchTrials = 256

    static func main() async {
        do { try await run() } catch {
            BenchReport.printError("\(CommandLine.arguments[0]): \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let calls = arguments.first.flatMap(Int.init) ?? 1_000_000
        let rounds = arguments.dropFirst().first.flatMap(Int.init) ?? 3
        let trials = makeTrials(count: max(1, calls / callsPerTrial))
        let callRows = trials.count * callsPerTrial
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-bench-tracer-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var writerBest = 0.0
        var rawBest = 0.0
        var multiBest = 0.0
        for round in 0..<rounds {
            let rawSeconds = try raw(trials, path: directory.appendingPathComponent("raw-\(round).sqlite").path)
            let writerSeconds = try await writer(trials, path: directory.appendingPathComponent("writer-\(round).sqlite").path)
            let multiSeconds = try raw(trials, path: directory.appendingPathComponent("multi-\(round).sqlite").path,
                                       multiRow: true)
            rawBest = max(rawBest, Double(callRows) / rawSeconds)
            writerBest = max(writerBest, Double(callRows) / writerSeconds)
            multiBest = max(multiBest, Double(callRows) / multiSeconds)
            BenchReport.printError("bench-tracer: round \(round + 1): raw \(String(format: "%.3f", rawSeconds)) s, TraceWriter \(String(format: "%.3f", writerSeconds)) s, raw multi-row \(String(format: "%.3f", multiSeconds)) s")
        }
        let load = BenchReport.loadAverage()
        BenchReport.print("tracer raw insert loop (limit): \(BenchReport.grouped(rawBest)) call rows/s (\(callRows) call rows + \(trials.count) trial rows, \(batchTrials) trials per transaction, best of \(rounds); load \(load))")
        BenchReport.print("tracer raw multi-row insert (\(callsPerTrial) call rows per INSERT statement, for comparison): \(BenchReport.grouped(multiBest)) call rows/s = \(String(format: "%.0f", 100 * multiBest / rawBest)) % of raw (load \(load))")
        BenchReport.print("tracer TraceWriter: \(BenchReport.grouped(writerBest)) call rows/s = \(String(format: "%.0f", 100 * writerBest / rawBest)) % of raw (goal >= 70 %; load \(load))")
    }

    /// Deterministic trials of one arm, 1 create + 9 status calls each (the last one final).
    static func makeTrials(count: Int) -> [TrialRecord] {
        (0..<count).map { index in
            let start = Int64(index) * 1_000
            var calls = [CallRecord(sequence: 0, kind: .create, sentNanos: start, receivedNanos: start + 300_000,
                                    httpStatus: 202)]
            for seq in 1..<callsPerTrial {
                let sent = start + Int64(seq) * 200_000_000
                calls.append(CallRecord(sequence: seq, kind: .status, sentNanos: sent, receivedNanos: sent + 300_000,
                                        httpStatus: 200, result: seq == callsPerTrial - 1 ? .completed : .pending))
            }
            let end = calls[callsPerTrial - 1].receivedNanos
            return TrialRecord(arm: "a", trialIndex: index, jobID: "j\(index + 1)", jobSeed: UInt64(index) &* 0x9E37_79B9,
                               plannedDurationNanos: 1_700_000_000, startNanos: start + 300_000,
                               doneNanos: start + 1_700_300_000, detectNanos: end, endNanos: end,
                               outcome: .completed, calls: calls)
        }
    }

    /// A fresh database with PollLab's schema and one run with arm `a`.
    static func prepare(path: String) throws -> (TraceDatabase, RunHandle) {
        let database = try TraceDatabase.open(path: path)
        let handle = try database.beginRun(
            RunProvenance(experimentName: "bench-tracer", mode: .simulated, seed: 1, trialsPerArm: 1, concurrency: 1,
                          startedAt: Date(), host: "bench", toolchain: "bench", configText: "name: bench-tracer"),
            arms: [ArmSpec(name: "a", strategy: "constant")])
        return (database, handle)
    }

    /// Writes `trials` through `TraceWriter`; returns the seconds from the first record to the
    /// last commit.
    static func writer(_ trials: [TrialRecord], path: String) async throws -> Double {
        let (database, handle) = try prepare(path: path)
        defer { try? database.close() }
        let writer = try TraceWriter(database: database, run: handle, batchSize: batchTrials)
        let ((), seconds) = try await BenchReport.time {
            for trial in trials { try await writer.record(trial) }
            try await writer.close()
        }
        return seconds
    }

    /// Writes `trials` with the sqlite3 C API: two prepared statements reused for every row,
    /// `batchTrials` trials per transaction. Returns the seconds of the loop.
    /// With `multiRow`, each trial's calls go in one `INSERT … VALUES (…), (…), …` of
    /// `callsPerTrial` rows (one statement step per trial instead of one per call).
    static func raw(_ trials: [TrialRecord], path: String, multiRow: Bool = false) throws -> Double {
        let (database, handle) = try prepare(path: path)
        try database.close()
        let armID = handle.armIDs["a"]!
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db = connection else {
            throw BenchError("cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        let trialSQL = """
            INSERT INTO trial (arm_id, trial_index, job_id, job_seed, planned_duration_ns, start_ns, done_ns,
                               detect_ns, end_ns, outcome, tries, error_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        let callSQL = """
            INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, http_status, result, error_code,
                                  retry_after_ns)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        var trialStatement: OpaquePointer?
        var callStatement: OpaquePointer?
        guard sqlite3_prepare_v2(db, trialSQL, -1, &trialStatement, nil) == SQLITE_OK,
              sqlite3_prepare_v2(db, callSQL, -1, &callStatement, nil) == SQLITE_OK,
              let t = trialStatement, let c = callStatement else {
            throw BenchError("prepare: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(t); sqlite3_finalize(c) }
        var multiStatement: OpaquePointer?
        let multiSQL = callSQL.replacingOccurrences(of: "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", with: "VALUES " + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?)", count: callsPerTrial).joined(separator: ", "))
        guard sqlite3_prepare_v2(db, multiSQL, -1, &multiStatement, nil) == SQLITE_OK, let m = multiStatement else {
            throw BenchError("prepare: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(m) }
        let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
        func text(_ s: OpaquePointer, _ i: Int32, _ value: String?) {
            if let value { sqlite3_bind_text(s, i, value, -1, transient) } else { sqlite3_bind_null(s, i) }
        }
        func int(_ s: OpaquePointer, _ i: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(s, i, value) } else { sqlite3_bind_null(s, i) }
        }
        func step(_ s: OpaquePointer) throws {
            guard sqlite3_step(s) == SQLITE_DONE else { throw BenchError("insert: \(String(cString: sqlite3_errmsg(db)))") }
            sqlite3_reset(s)
        }
        let clock = ContinuousClock()
        let start = clock.now
        var next = 0
        while next < trials.count {
            let end = min(trials.count, next + batchTrials)
            try exec(db, "BEGIN IMMEDIATE")
            for trial in trials[next..<end] {
                int(t, 1, armID)
                int(t, 2, Int64(trial.trialIndex))
                text(t, 3, trial.jobID)
                text(t, 4, String(trial.jobSeed))
                int(t, 5, trial.plannedDurationNanos)
                int(t, 6, trial.startNanos)
                int(t, 7, trial.doneNanos)
                int(t, 8, trial.detectNanos)
                int(t, 9, trial.endNanos)
                text(t, 10, trial.outcome.rawValue)
                int(t, 11, Int64(trial.tries))
                text(t, 12, trial.errorCode)
                try step(t)
                let trialID = sqlite3_last_insert_rowid(db)
                if multiRow && trial.calls.count == callsPerTrial {
                    for (k, call) in trial.calls.enumerated() {
                        let o = Int32(k * 9)
                        int(m, o + 1, trialID)
                        int(m, o + 2, Int64(call.sequence))
                        text(m, o + 3, call.kind.rawValue)
                        int(m, o + 4, call.sentNanos)
                        int(m, o + 5, call.receivedNanos)
                        int(m, o + 6, call.httpStatus.map(Int64.init))
                        text(m, o + 7, call.result?.rawValue)
                        text(m, o + 8, call.errorCode)
                        int(m, o + 9, call.retryAfterNanos)
                    }
                    try step(m)
                    continue
                }
                for call in trial.calls {
                    int(c, 1, trialID)
                    int(c, 2, Int64(call.sequence))
                    text(c, 3, call.kind.rawValue)
                    int(c, 4, call.sentNanos)
                    int(c, 5, call.receivedNanos)
                    int(c, 6, call.httpStatus.map(Int64.init))
                    text(c, 7, call.result?.rawValue)
                    text(c, 8, call.errorCode)
                    int(c, 9, call.retryAfterNanos)
                    try step(c)
                }
            }
            try exec(db, "COMMIT")
            next = end
        }
        return BenchReport.seconds(start.duration(to: clock.now))
    }

    static func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchError("\(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }
}
