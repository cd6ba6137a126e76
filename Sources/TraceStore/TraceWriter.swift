import Foundation
import GRDB
import PollingCore

/// Writes trial records of one run to the database in batched transactions (a `TraceSink`).
///
/// `record(_:)` buffers a trial; the buffer is written in one transaction (each trial's row
/// with all its call rows, plus `run.heartbeat_at` = now) when it holds `batchSize` trials, or
/// when more than `flushInterval` has passed on the monotonic clock since the last flush (checked
/// on each `record` call, and by `flushIfDue()`, which runners call on each heartbeat so that a
/// finished trial never waits for the next one). `flush()` and `close()` write the rest.
///
/// Batches go to GRDB's serial writer queue in the order they were taken and are written one at
/// a time while the caller goes on (write-behind): `record` returns once at most `writeBehind`
/// batches are unconfirmed (default 1, so a simulation fills the next batch on one core while
/// SQLite commits the last on the other, and the queue never idles waiting for the caller; 0
/// makes every flushing `record` wait for its commit). `flush()` and `close()` wait for every
/// commit. After a write fails the writer is failed: the call that observes the failure (the
/// next `record`, `flush` or `close`) and every later one throw the same error, and later
/// batches are not written. A crash loses only trials not yet committed: those buffered and
/// those of the batches in flight.
public actor TraceWriter: TraceSink {
    /// The database written to.
    public nonisolated let database: TraceDatabase
    /// The run the trials belong to (arm names map to ids through it).
    public nonisolated let run: RunHandle
    /// Trials per transaction (default 1 024: in a simulated run at full speed, fewer and larger
    /// commits wrote about 15 % more polls per second than 256; median of 9 interleaved runs each).
    public nonisolated let batchSize: Int
    /// Longest time a trial waits in the buffer before a `record` call flushes it (default 0.25 s).
    public nonisolated let flushInterval: Duration
    /// Batches that may still be committing when `record` returns (default 1).
    public nonisolated let writeBehind: Int

    /// Monotonic time since the writer was created.
    private let elapsed: @Sendable () -> Duration
    private var buffer: [TrialRecord] = []
    private var lastFlush: Duration = .zero
    /// Batches on GRDB's writer queue not yet confirmed, oldest first.
    private var writes: [(commit: BatchCommit, trials: Int)] = []
    /// The batch enqueued last; the next one writes only if it committed.
    private var lastEnqueued: BatchCommit?
    private var failure: TraceStoreError?
    private var closed = false
    /// Trials whose commit the writer has confirmed so far (all of them after `flush()`).
    public private(set) var trialsWritten = 0

    /// Creates a writer for one run.
    /// - Parameters:
    ///   - database: a database opened read-write.
    ///   - run: the handle `beginRun` returned.
    ///   - batchSize: trials per transaction, ≥ 1 (default 1 024).
    ///   - flushInterval: flush on the next `record` once this much monotonic time has passed
    ///     since the last flush (default 250 ms).
    ///   - writeBehind: batches that may still be committing when `record` returns, ≥ 0
    ///     (default 1; 0 = wait for each commit).
    ///   - clock: the monotonic clock (default `ContinuousClock()`; tests pass a manual clock).
    /// - Throws: `TraceStoreError.invalidArgument` for a bad batch size, interval or write-behind
    ///   depth, `.readOnly` for a read-only database.
    public init(database: TraceDatabase, run: RunHandle, batchSize: Int = 1_024,
                flushInterval: Duration = .milliseconds(250), writeBehind: Int = 1,
                clock: some Clock<Duration> = ContinuousClock()) throws {
        guard batchSize >= 1 else {
            throw TraceStoreError.invalidArgument(field: "batchSize", message: "must be ≥ 1, got \(batchSize)")
        }
        guard writeBehind >= 0 else {
            throw TraceStoreError.invalidArgument(field: "writeBehind", message: "must be ≥ 0, got \(writeBehind)")
        }
        guard flushInterval >= .zero else {
            throw TraceStoreError.invalidArgument(field: "flushInterval", message: "must be ≥ 0, got \(flushInterval)")
        }
        guard !database.isReadOnly else { throw TraceStoreError.readOnly(path: database.path) }
        self.database = database
        self.run = run
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.writeBehind = writeBehind
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.buffer.reserveCapacity(batchSize)
    }

    /// Buffers one trial; writes the buffer when it is full or the flush interval has passed.
    /// - Parameter trial: the trial with all its calls; its arm must belong to the run.
    /// - Throws: `TraceStoreError.unknownArm` (the trial is not buffered), `.writerClosed`, or the
    ///   error of a failed batch write (this one's or an earlier one's).
    public func record(_ trial: TrialRecord) async throws {
        try checkUsable()
        guard run.armIDs[trial.arm] != nil else {
            throw TraceStoreError.unknownArm(trial.arm, known: run.armIDs.keys.sorted())
        }
        buffer.append(trial)
        if buffer.count >= batchSize || elapsed() - lastFlush > flushInterval {
            try await writeBuffer(keepingInFlight: writeBehind)
        }
    }

    /// Writes every buffered trial and waits until all earlier batches are committed.
    /// - Throws: `.writerClosed`, or the error of a failed batch write.
    public func flush() async throws {
        try checkUsable()
        try await writeBuffer(keepingInFlight: 0)
    }

    /// Writes the buffered trials if the oldest has waited more than `flushInterval` since the
    /// last flush (on the writer's clock), so that a finished trial is not kept unwritten while
    /// no other trial arrives (`record` checks the interval only when called). Runners call it on
    /// every heartbeat, which bounds the time a finished trial stays unwritten to `flushInterval`
    /// plus the heartbeat interval. Does not wait for the commit.
    /// - Throws: `.writerClosed`, or the error of a failed batch write.
    public func flushIfDue() async throws {
        try checkUsable()
        guard !buffer.isEmpty, elapsed() - lastFlush > flushInterval else { return }
        try await writeBuffer(keepingInFlight: writeBehind)
    }

    /// Writes every buffered trial, then refuses further records. Closing twice is harmless.
    /// The database stays open.
    /// - Throws: the error of a failed batch write.
    public func close() async throws {
        if closed {
            if let failure { throw failure }
            return
        }
        closed = true
        try await writeBuffer(keepingInFlight: 0)
    }

    private func checkUsable() throws {
        if let failure { throw failure }
        if closed { throw TraceStoreError.writerClosed }
    }

    /// Takes the buffer and enqueues it on GRDB's writer queue behind the batches in flight, then
    /// waits until at most `keepingInFlight` batches are still unconfirmed.
    private func writeBuffer(keepingInFlight: Int) async throws {
        if let failure { throw failure }
        lastFlush = elapsed()
        if !buffer.isEmpty {
            let batch = buffer
            buffer.removeAll(keepingCapacity: true)
            let commit = BatchCommit()
            Self.enqueue(batch, of: run, to: database, after: lastEnqueued, resolving: commit)
            lastEnqueued = commit
            writes.append((commit, batch.count))
        }
        while writes.count > keepingInFlight {
            // Taken before the await, so concurrent callers each confirm a different batch.
            let (commit, trials) = writes.removeFirst()
            if let error = await commit.outcome {
                failure = failure ?? error
                throw error
            }
            trialsWritten += trials
        }
    }

    /// Writes one batch and the run's heartbeat in one `IMMEDIATE` transaction on GRDB's serial
    /// writer queue (not a thread of the concurrency pool), unless `previous` failed: then it
    /// fails with the same error without writing.
    private static func enqueue(_ batch: [TrialRecord], of run: RunHandle, to database: TraceDatabase,
                                after previous: BatchCommit?, resolving commit: BatchCommit) {
        database.writer.asyncWriteWithoutTransaction { db in
            do {
                if let earlier = previous?.error { throw earlier }
                let heartbeat = Timestamp.format(database.wallClock())
                try db.inTransaction(.immediate) {
                    try TrialInserter.insert(batch, armIDs: run.armIDs, in: db)
                    try db.execute(sql: "UPDATE run SET heartbeat_at = ? WHERE id = ?", arguments: [heartbeat, run.runID])
                    return .commit
                }
                commit.resolve(nil)
            } catch let error as TraceStoreError {
                commit.resolve(error)
            } catch {
                commit.resolve(.databaseFailed(operation: "writing \(batch.count) trials of run \(run.runID)",
                                               reason: TraceDatabase.reason(error)))
            }
        }
    }
}
