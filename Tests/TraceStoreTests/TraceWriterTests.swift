import Foundation
import GRDB
import PollingCore
import Testing
@testable import TraceStore

@Suite("TraceWriter")
struct TraceWriterTests {
    private func count(_ table: String, _ database: TraceDatabase) async throws -> Int {
        try await database.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test("round trip: trials and calls come back through the metric views with hand-computed values")
    func roundTrip() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let writer = try TraceWriter(database: database, run: handle)
            for trial in [detectedTrial, timedOutTrial, errorTrial, failedTrial] {
                try await writer.record(trial)
            }
            try await writer.close()
            #expect(await writer.trialsWritten == 4)

            #expect(try await count("trial", database) == 4)
            #expect(try await count("api_call", database) == 4 + 4 + 2 + 1)

            let stored = try await database.reader.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM trial WHERE trial_index = 0 AND arm_id = ?",
                                 arguments: [handle.armIDs["a"]])!
            }
            #expect(stored["job_seed"] as String == "18446744073709551615")
            #expect(stored["job_id"] as String == "job-1")
            #expect(stored["planned_duration_ns"] as Int64 == second)
            #expect(stored["outcome"] as String == "completed")
            #expect(stored["tries"] as Int == 3)

            let metrics = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM trial_metrics ORDER BY arm, trial_index")
            }
            #expect(metrics.count == 4)
            // a/0: delay 1.5 - 1.0 = 0.5 s, ER 0.5 / 1.5, HR 1/3.
            #expect(abs(metrics[0]["delay_s"] as Double - 0.5) < 1e-12)
            #expect(abs(metrics[0]["er"] as Double - 1.0 / 3) < 1e-12)
            #expect(abs(metrics[0]["hr"] as Double - 1.0 / 3) < 1e-12)
            #expect(metrics[0]["detected"] as Int == 1)
            // a/1 timed out: no delay, ER 1, HR 0.
            #expect(metrics[1]["delay_s"] as Double? == nil)
            #expect(metrics[1]["er"] as Double == 1)
            #expect(metrics[1]["hr"] as Double == 0)
            #expect(metrics[1]["outcome"] as String == "timed_out")
            // b/0: delay 0.6 - 0.2 = 0.4, ER 0.4 / 0.6, HR 1.
            #expect(abs(metrics[2]["delay_s"] as Double - 0.4) < 1e-12)
            #expect(abs(metrics[2]["er"] as Double - 2.0 / 3) < 1e-12)
            #expect(metrics[2]["hr"] as Double == 1)
            // b/1 failed with no poll: ER 1, HR 0, tries 0.
            #expect(metrics[3]["er"] as Double == 1)
            #expect(metrics[3]["hr"] as Double == 0)
            #expect(metrics[3]["tries"] as Int == 0)

            // The views agree with the Swift metrics of PollingCore.
            for (row, trial) in zip(metrics, [detectedTrial, timedOutTrial, errorTrial, failedTrial]) {
                #expect(abs(row["er"] as Double - trial.metrics.efficiencyRatio!) < 1e-12)
                #expect(abs(row["hr"] as Double - trial.metrics.hitRate) < 1e-12)
            }

            let consistency = try await database.reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT t.tries, c.status_calls, t.detect_ns, c.first_final_ns, c.delay_upper_s
                    FROM trial t JOIN trial_calls c ON c.trial_id = t.id
                    JOIN arm a ON a.id = t.arm_id ORDER BY a.name, t.trial_index
                    """)
            }
            #expect(consistency.count == 4)
            for row in consistency {
                #expect(row["tries"] as Int == row["status_calls"] as Int)
                #expect(row["detect_ns"] as Int64? == row["first_final_ns"] as Int64?)
            }
            // Upper bound: first final receive - last pending send (1.5 - 0.7), or - start (0.6 - 0).
            #expect(abs(consistency[0]["delay_upper_s"] as Double - 0.8) < 1e-12)
            #expect(abs(consistency[2]["delay_upper_s"] as Double - 0.6) < 1e-12)

            let summary = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM arm_summary WHERE run_id = ? ORDER BY arm",
                                 arguments: [handle.runID])
            }
            #expect(summary.count == 2)
            // a: 1 detected / 6 status calls; per-trial HR (1/3 + 0) / 2; ER (1/3 + 1) / 2.
            #expect(summary[0]["trials"] as Int == 2)
            #expect(summary[0]["timed_out"] as Int == 1)
            #expect(abs(summary[0]["aggregate_hr"] as Double - 1.0 / 6) < 1e-12)
            #expect(abs(summary[0]["per_trial_hr"] as Double - 1.0 / 6) < 1e-12)
            #expect(abs(summary[0]["mean_er"] as Double - 2.0 / 3) < 1e-12)
            #expect(abs(summary[0]["mean_delay_s"] as Double - 0.5) < 1e-12)
            #expect(summary[0]["mean_tries"] as Double == 3)
            // b: 1 detected / 1 status call; per-trial HR (1 + 0) / 2; ER (2/3 + 1) / 2.
            #expect(summary[1]["errored"] as Int == 1)
            #expect(summary[1]["failed"] as Int == 1)
            #expect(summary[1]["aggregate_hr"] as Double == 1)
            #expect(summary[1]["per_trial_hr"] as Double == 0.5)
            #expect(abs(summary[1]["mean_er"] as Double - 5.0 / 6) < 1e-12)

            #expect(try database.completedTrialIndexes(runID: handle.runID) == ["a": [0, 1], "b": [0, 1]])
        }
    }

    @Test("a full buffer is written at batchSize trials")
    func flushesAtBatchSize() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let clock = ManualClock()
            let writer = try TraceWriter(database: database, run: handle, batchSize: 2, writeBehind: 0, clock: clock)
            try await writer.record(detectedTrial)
            #expect(try await count("trial", database) == 0)
            try await writer.record(timedOutTrial)
            #expect(try await count("trial", database) == 2)
            #expect(try await count("api_call", database) == 8)
            try await writer.record(errorTrial)
            #expect(try await count("trial", database) == 2)
            try await writer.flush()
            #expect(try await count("trial", database) == 3)
            #expect(try database.completedTrialIndexes(runID: handle.runID) == ["a": [0, 1], "b": [0]])
        }
    }

    /// Issue 10 item 10: a finished trial does not wait for the next `record` call; `flushIfDue`
    /// (called by runners on each heartbeat) writes it once the flush interval has passed.
    @Test("flushIfDue writes a lone trial once the flush interval has passed, and not before")
    func flushesOnIdle() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let clock = ManualClock()
            let writer = try TraceWriter(database: database, run: handle, batchSize: 100,
                                         flushInterval: .milliseconds(250), writeBehind: 0, clock: clock)
            try await writer.record(detectedTrial)
            clock.advance(by: .milliseconds(200))
            try await writer.flushIfDue()
            #expect(try await count("trial", database) == 0)
            clock.advance(by: .milliseconds(100))
            try await writer.flushIfDue()
            #expect(try await count("trial", database) == 1)
            try await writer.flushIfDue()   // nothing buffered: nothing to do
            #expect(try await count("trial", database) == 1)
            try await writer.close()
        }
    }

    @Test("a record call flushes once more than flushInterval passed on the monotonic clock; heartbeat follows")
    func flushesAfterInterval() async throws {
        let wall = WallClock()
        try await withTemporaryDatabase(wallClock: wall) { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let clock = ManualClock()
            let writer = try TraceWriter(database: database, run: handle, batchSize: 100,
                                         flushInterval: .milliseconds(250), writeBehind: 0, clock: clock)
            try await writer.record(detectedTrial)
            clock.advance(by: .milliseconds(200))
            try await writer.record(timedOutTrial)
            #expect(try await count("trial", database) == 0)
            clock.advance(by: .milliseconds(100))  // 300 ms since the writer started
            wall.advance(by: 42)
            try await writer.record(errorTrial)
            #expect(try await count("trial", database) == 3)
            let heartbeat = try await database.reader.read { db in
                try String.fetchOne(db, sql: "SELECT heartbeat_at FROM run WHERE id = ?", arguments: [handle.runID])
            }
            #expect(heartbeat == Timestamp.format(wall.now))
            clock.advance(by: .milliseconds(250))  // exactly the interval: not more than it
            try await writer.record(failedTrial)
            #expect(try await count("trial", database) == 3)
            try await writer.close()
            #expect(try await count("trial", database) == 4)
        }
    }

    @Test("unknown arms are refused at record time; a closed writer refuses records")
    func refusals() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let writer = try TraceWriter(database: database, run: handle)
            var stray = detectedTrial
            stray.arm = "zzz"
            await #expect(throws: TraceStoreError.unknownArm("zzz", known: ["a", "b"])) {
                try await writer.record(stray)
            }
            try await writer.close()
            try await writer.close()
            await #expect(throws: TraceStoreError.writerClosed) { try await writer.record(detectedTrial) }
            #expect(try await count("trial", database) == 0)
        }
    }

    @Test("a failed batch fails the writer: later calls throw the same error")
    func failedBatchIsSticky() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let writer = try TraceWriter(database: database, run: handle, batchSize: 1, writeBehind: 0)
            try await writer.record(detectedTrial)
            // The same (arm, trial_index) again violates UNIQUE (arm_id, trial_index).
            var firstError: TraceStoreError?
            do {
                try await writer.record(detectedTrial)
            } catch let error as TraceStoreError {
                firstError = error
            }
            #expect(firstError?.code == "db_failed")
            await #expect(throws: firstError!) { try await writer.record(errorTrial) }
            await #expect(throws: firstError!) { try await writer.close() }
            #expect(try await count("trial", database) == 1)
        }
    }

    @Test("write-behind: record returns with one batch still committing; flush confirms every trial")
    func writeBehindFlush() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let writer = try TraceWriter(database: database, run: handle, batchSize: 1, writeBehind: 1)
            try await writer.record(detectedTrial)
            // The first batch may still be committing: nothing is confirmed yet.
            #expect(await writer.trialsWritten == 0)
            try await writer.record(timedOutTrial)
            // Starting the second batch waited for the first.
            #expect(await writer.trialsWritten == 1)
            try await writer.record(errorTrial)
            try await writer.flush()
            #expect(await writer.trialsWritten == 3)
            #expect(try await count("trial", database) == 3)
            #expect(try await count("api_call", database) == 4 + 4 + 2)
        }
    }

    @Test("write-behind: a failed batch surfaces on the next call and no later batch is written")
    func writeBehindFailure() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            let writer = try TraceWriter(database: database, run: handle, batchSize: 1, writeBehind: 1)
            try await writer.record(detectedTrial)
            // A duplicate (arm, trial_index): this batch fails in the background; the call only
            // waited for the first batch, which committed.
            try await writer.record(detectedTrial)
            var observed: TraceStoreError?
            do {
                try await writer.record(errorTrial)
            } catch let error as TraceStoreError {
                observed = error
            }
            #expect(observed?.code == "db_failed")
            await #expect(throws: observed!) { try await writer.close() }
            #expect(try await count("trial", database) == 1)
            #expect(await writer.trialsWritten == 1)
        }
    }

    @Test("a negative write-behind depth is refused, naming the field")
    func negativeWriteBehind() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            #expect(throws: TraceStoreError.invalidArgument(field: "writeBehind", message: "must be ≥ 0, got -1")) {
                _ = try TraceWriter(database: database, run: handle, writeBehind: -1)
            }
        }
    }

    @Test("a batch larger than a multi-row statement: every row lands on its own trial, ids count up after existing rows")
    func multiRowBatches() async throws {
        try await withTemporaryDatabase { database in
            let handle = try database.beginRun(provenance(), arms: twoArms)
            // Trial ids 1 and 2 first, in a batch of their own.
            let first = try TraceWriter(database: database, run: handle, batchSize: 1_000)
            try await first.record(detectedTrial)
            try await first.record(timedOutTrial)
            try await first.close()
            // 70 trials of arm b (2 statements of 32 + 6 single rows), trial k with k % 4 + 1
            // calls (173 call rows: 5 statements of 32 + 13 single rows), in one batch.
            let trials = (0..<70).map { index in
                let polls = (0..<(index % 4)).map { poll in
                    (sent: Int64(index * 1_000 + poll), received: Int64(index * 1_000 + poll + 1),
                     result: poll == index % 4 - 1 ? JobStatus.completed : .pending)
                }
                return TrialRecord(arm: "b", trialIndex: index, jobID: "j\(index)", jobSeed: UInt64(index),
                                   plannedDurationNanos: 0, startNanos: 0, doneNanos: nil,
                                   detectNanos: nil, endNanos: Int64(index * 1_000 + 999),
                                   outcome: index % 4 == 0 ? .failed : .completed,
                                   calls: calls(createSent: Int64(index * 1_000), createReceived: Int64(index * 1_000), polls))
            }
            let writer = try TraceWriter(database: database, run: handle, batchSize: 1_000)
            for trial in trials { try await writer.record(trial) }
            try await writer.close()
            let rows = try await database.reader.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT t.id, t.trial_index, t.job_seed, t.outcome, count(c.seq) AS calls, max(c.seq) AS last_seq,
                           min(c.sent_ns) AS first_sent,
                           (SELECT result FROM api_call WHERE trial_id = t.id ORDER BY seq DESC LIMIT 1) AS result
                    FROM trial t JOIN api_call c ON c.trial_id = t.id
                    WHERE t.arm_id = ? GROUP BY t.id ORDER BY t.id
                    """, arguments: [handle.armIDs["b"]])
            }
            #expect(rows.count == 70)
            for (index, row) in rows.enumerated() {
                #expect(row["id"] as Int64 == Int64(index) + 3)
                #expect(row["trial_index"] as Int == index)
                #expect(row["job_seed"] as String == "\(index)")
                #expect(row["outcome"] as String == (index % 4 == 0 ? "failed" : "completed"))
                #expect(row["calls"] as Int == index % 4 + 1)
                #expect(row["last_seq"] as Int == index % 4)
                #expect(row["first_sent"] as Int64 == Int64(index * 1_000))
                #expect(row["result"] as String? == (index % 4 == 0 ? nil : "completed"))
            }
            #expect(try await count("api_call", database) == 4 + 4 + 173)
        }
    }
}
