import Foundation
import GRDB
import PollingCore

/// Writes trial records of one run to the database in batched transactions (a `TraceSink`).
///
/// `record(_:)` buffers a trial; the buffer is written in one transaction (each trial's row
/// with all its call rows, plus `run.heartbeat_at` = now) when it holds `batchSize` trials, or
/// when more than `flushInterval` has passed on the monotonic clock since the last flush (checked
/// on each `record` call; there is no timer). `flush()` and `close()` write the rest.
///
/// Batches are written in the order they were taken, one at a time. After a write fails the
/// writer is failed: that call and every later `record`, `flush` or `close` throw the same error,
/// and trials still buffered are not written (a crash likewise loses only unflushed trials).
public actor TraceWriter: TraceSink {
    /// The database written to.
    public nonisolated let database: TraceDatabase
    /// The run the trials belong to (arm names map to ids through it).
    public nonisolated let run: RunHandle
    /// Trials per transaction (default 256).
    public nonisolated let batchSize: Int
    /// Longest time a trial waits in the buffer before a `record` call flushes it (default 0.25 s).
    public nonisolated let flushInterval: Duration

    /// Monotonic time since the writer was created.
    private let elapsed: @Sendable () -> Duration
    private var buffer: [TrialRecord] = []
    private var lastFlush: Duration = .zero
    /// The last batch write; each write waits for the one before it.
    private var tail: Task<TraceStoreError?, Never>?
    private var failure: TraceStoreError?
    private var closed = false
    /// Trials committed so far.
    public private(set) var trialsWritten = 0

    /// Creates a writer for one run.
    /// - Parameters:
    ///   - database: a database opened read-write.
    ///   - run: the handle `beginRun` returned.
    ///   - batchSize: trials per transaction, ≥ 1 (default 256).
    ///   - flushInterval: flush on the next `record` once this much monotonic time has passed
    ///     since the last flush (default 250 ms).
    ///   - clock: the monotonic clock (default `ContinuousClock()`; tests pass a manual clock).
    /// - Throws: `TraceStoreError.invalidArgument` for a bad batch size or interval, `.readOnly`
    ///   for a read-only database.
    public init(database: TraceDatabase, run: RunHandle, batchSize: Int = 256,
                flushInterval: Duration = .milliseconds(250),
                clock: some Clock<Duration> = ContinuousClock()) throws {
        guard batchSize >= 1 else {
            throw TraceStoreError.invalidArgument(field: "batchSize", message: "must be ≥ 1, got \(batchSize)")
        }
        guard flushInterval >= .zero else {
            throw TraceStoreError.invalidArgument(field: "flushInterval", message: "must be ≥ 0, got \(flushInterval)")
        }
        guard !database.isReadOnly else { throw TraceStoreError.readOnly(path: database.path) }
        self.database = database
        self.run = run
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        let origin = clock.now
        self.elapsed = { origin.duration(to: clock.now) }
        self.buffer.reserveCapacity(batchSize)
    }

    /// Buffers one trial; writes the buffer when it is full or the flush interval has passed.
    /// - Parameter trial: the trial with all its calls; its arm must belong to the run.
    /// - Throws: `TraceStoreError.unknownArm` (the trial is not buffered), `.writerClosed`, or the
    ///   error of a failed batch write.
    public func record(_ trial: TrialRecord) async throws {
        try checkUsable()
        guard run.armIDs[trial.arm] != nil else {
            throw TraceStoreError.unknownArm(trial.arm, known: run.armIDs.keys.sorted())
        }
        buffer.append(trial)
        if buffer.count >= batchSize || elapsed() - lastFlush > flushInterval {
            try await writeBuffer()
        }
    }

    /// Writes every buffered trial and waits until all earlier batches are committed.
    /// - Throws: `.writerClosed`, or the error of a failed batch write.
    public func flush() async throws {
        try checkUsable()
        try await writeBuffer()
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
        try await writeBuffer()
    }

    private func checkUsable() throws {
        if let failure { throw failure }
        if closed { throw TraceStoreError.writerClosed }
    }

    /// Takes the buffer and writes it after the previous batch; waits for the commit.
    private func writeBuffer() async throws {
        lastFlush = elapsed()
        let batch = buffer
        buffer.removeAll(keepingCapacity: true)
        let previous = tail
        let database = self.database
        let run = self.run
        let job = Task<TraceStoreError?, Never> {
            if let earlier = await previous?.value { return earlier }
            if batch.isEmpty { return nil }
            let heartbeat = Timestamp.format(database.wallClock())
            do {
                try await database.writer.write { db in
                    try TrialInserter.insert(batch, armIDs: run.armIDs, in: db)
                    try db.execute(sql: "UPDATE run SET heartbeat_at = ? WHERE id = ?",
                                   arguments: [heartbeat, run.runID])
                }
                return nil
            } catch let error as TraceStoreError {
                return error
            } catch {
                return .databaseFailed(operation: "writing \(batch.count) trials of run \(run.runID)",
                                       reason: TraceDatabase.reason(error))
            }
        }
        tail = job
        if let error = await job.value {
            failure = failure ?? error
            throw error
        }
        trialsWritten += batch.count
    }
}
