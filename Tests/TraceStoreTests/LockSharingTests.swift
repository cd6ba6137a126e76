import Foundation
import GRDB
import PollingCore
import Testing
@testable import TraceStore

@Suite("Sharing the write lock")
struct LockSharingTests {
    @Test("a locked database fails a write after the busy timeout, not before and not much later")
    func busyTimeoutTakesEffect() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("locked.sqlite").path
            let database = try TraceDatabase.open(path: path, busyTimeout: 0.3)
            defer { try? database.close() }
            let holder = try DatabaseQueue(path: path)
            let (thrown, waited) = try holder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                defer { try? db.execute(sql: "ROLLBACK") }
                let start = ContinuousClock.now
                var thrown: TraceStoreError?
                do {
                    _ = try database.beginRun(provenance(), arms: twoArms)
                } catch let error as TraceStoreError {
                    thrown = error
                }
                return (thrown, start.duration(to: .now))
            }
            try holder.close()
            #expect(thrown?.code == "db_failed")
            #expect(thrown?.description.contains("database is locked") == true)
            #expect(waited >= .milliseconds(300))
            #expect(waited < .seconds(5))  // tries × 0.2 ms: a loaded machine oversleeps each try
        }
    }

    @Test("the busy handler's try budget covers the timeout at 0.2 ms a try")
    func tryBudget() {
        #expect(BusyHandler.tries(for: 5) == 25_000)
        #expect(BusyHandler.tries(for: 0.3) == 1_500)
        #expect(BusyHandler.tries(for: 0) == 0)
        #expect(BusyHandler.tries(for: -1) == 0)
    }

    @Test("two writers on one file, each writing batch after batch, both finish without \"database is locked\"")
    func twoGreedyWritersBothFinish() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("shared.sqlite").path
            // Two pools stand for two processes; a short timeout makes starvation fail fast.
            let first = try TraceDatabase.open(path: path, busyTimeout: 1)
            let second = try TraceDatabase.open(path: path, busyTimeout: 1)
            defer { try? first.close(); try? second.close() }
            let trials = 64 * 60
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, database) in [first, second].enumerated() {
                    group.addTask {
                        let handle = try database.beginRun(provenance(name: "writer-\(index)"), arms: twoArms)
                        let writer = try TraceWriter(database: database, run: handle, batchSize: 64)
                        for trialIndex in 0..<trials {
                            var trial = detectedTrial
                            trial.trialIndex = trialIndex
                            try await writer.record(trial)
                        }
                        try await writer.close()
                        return await writer.trialsWritten
                    }
                }
                var written: [Int] = []
                for try await count in group { written.append(count) }
                #expect(written == [trials, trials])
            }
            let stored = try await first.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM trial") }
            #expect(stored == 2 * trials)
        }
    }

    @Test("two connections opening one new file at the same moment both get a migrated database")
    func concurrentOpensOfANewFile() async throws {
        try await withTemporaryDirectory { directory in
            for attempt in 0..<10 {
                let path = directory.appendingPathComponent("new-\(attempt).sqlite").path
                let opened = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            let database = try TraceDatabase.open(path: path)
                            defer { try? database.close() }
                            return try await database.reader.read { db in try Schema.migrator.hasCompletedMigrations(db) }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(opened == [true, true])
            }
        }
    }
}
