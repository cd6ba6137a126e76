import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite struct RunAnnotationTests {
    /// Two runs of two arms with the four fixture trials each (4 trials and 11 calls per run: 4 + 4 + 2 + 1, creates included).
    func twoRuns(_ database: TraceDatabase) async throws -> (Int64, Int64) {
        var ids: [Int64] = []
        for seed in [1, 2] as [UInt64] {
            let run = try database.beginRun(provenance(seed: seed), arms: twoArms)
            let writer = try TraceWriter(database: database, run: run)
            for trial in [detectedTrial, timedOutTrial, errorTrial, failedTrial] { try await writer.record(trial) }
            try await writer.close()
            ids.append(run.runID)
        }
        return (ids[0], ids[1])
    }

    func count(_ database: TraceDatabase, _ sql: String) throws -> Int {
        try database.reader.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func tagsParseAndRejectBadKeys() throws {
        #expect(try RunTag.parse("baseline=true") == RunTag(key: "baseline", value: "true"))
        #expect(try RunTag.parse("ticket=a=b").value == "a=b")
        #expect(try RunTag.parse("empty=").value == "")
        #expect(throws: TraceStoreError.self) { try RunTag.parse("=x") }
        #expect(throws: TraceStoreError.self) { try RunTag.parse("novalue") }
        #expect(throws: TraceStoreError.self) { try RunTag.parse("has space=x") }
        #expect(throws: TraceStoreError.self) { try RunTag.parse("k=line\nbreak") }
    }

    @Test func tagUntagAndNoteAreStoredAndUnknownRunsChangeNothing() async throws {
        try await withTemporaryDatabase { database in
            let (first, _) = try await twoRuns(database)
            try database.tagRun(first, [RunTag(key: "a", value: "1"), RunTag(key: "b", value: "2")])
            try database.tagRun(first, [RunTag(key: "a", value: "3")])
            try database.noteRun(first, "hello")
            let tags = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT key, value FROM run_tag ORDER BY key").map { "\($0[0] as String)=\($0[1] as String)" }
            }
            #expect(tags == ["a=3", "b=2"])
            #expect(throws: TraceStoreError.invalidArgument(field: "tag key 'zz'", message: "run \(first) has no such tag (its tags: a, b)")) {
                try database.untagRun(first, keys: ["a", "zz"])
            }
            #expect(try count(database, "SELECT count(*) FROM run_tag") == 2)  // 'a' kept: one transaction
            try database.untagRun(first, keys: ["a"])
            #expect(try count(database, "SELECT count(*) FROM run_tag") == 1)
            #expect(throws: TraceStoreError.unknownRun(99)) { try database.tagRun(99, [RunTag(key: "a", value: "1")]) }
            #expect(throws: TraceStoreError.unknownRun(99)) { try database.noteRun(99, "x") }
            try database.noteRun(first, "")
            #expect(try count(database, "SELECT count(*) FROM run_note") == 0)
        }
    }

    @Test func deleteRemovesEveryDependentRowIncludingLaterTables() async throws {
        try await withTemporaryDatabase { database in
            let (first, second) = try await twoRuns(database)
            // A table a later migration might add: found through its foreign key.
            try await database.writer.write { db in
                try db.execute(sql: "CREATE TABLE later (id INTEGER PRIMARY KEY, trial_id INTEGER NOT NULL REFERENCES trial(id)) STRICT")
                try db.execute(sql: "INSERT INTO later (trial_id) SELECT id FROM trial")
            }
            try database.tagRun(second, [RunTag(key: "k", value: "v")])
            try database.noteRun(second, "to go")
            #expect(throws: TraceStoreError.unknownRun(7)) { try database.deleteRuns([second, 7]) }
            #expect(try count(database, "SELECT count(*) FROM trial") == 8)

            let deleted = try database.deleteRuns([second])
            #expect(deleted == ["run": 1, "arm": 2, "trial": 4, "api_call": 11, "later": 4, "run_tag": 1, "run_note": 1])
            #expect(try count(database, "SELECT count(*) FROM run") == 1)
            #expect(try count(database, "SELECT count(*) FROM trial t JOIN arm a ON a.id = t.arm_id WHERE a.run_id = \(first)") == 4)
            #expect(try count(database, "SELECT count(*) FROM api_call") == 11)
            #expect(try count(database, "SELECT count(*) FROM later") == 4)
            try database.vacuum()
            let integrity = try await database.reader.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            #expect(integrity == "ok")
        }
    }
}
