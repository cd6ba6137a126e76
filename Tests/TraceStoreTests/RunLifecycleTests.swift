import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite("Run lifecycle")
struct RunLifecycleTests {
    @Test("beginRun stores the experiment, the run's provenance and the arms")
    func beginRunStoresProvenance() async throws {
        let wall = WallClock()
        try await withTemporaryDatabase(wallClock: wall) { database in
            let config = "name: exp\ntrials: 2\n"
            let handle = try database.beginRun(provenance(seed: UInt64.max, configText: config), arms: twoArms)
            let row = try await database.reader.read { db in
                try Row.fetchOne(db, sql: "SELECT r.*, e.name AS experiment FROM run r JOIN experiment e ON e.id = r.experiment_id WHERE r.id = ?",
                                 arguments: [handle.runID])!
            }
            #expect(row["experiment"] as String == "exp")
            #expect(row["status"] as String == "running")
            #expect(row["mode"] as String == "simulated")
            #expect(row["seed"] as String == "18446744073709551615")
            #expect(row["trials_per_arm"] as Int == 2)
            #expect(row["concurrency"] as Int == 4)
            #expect(row["timeout_ns"] as Int64 == 2_500_000_000)
            #expect(row["started_at"] as String == "2025-06-15T15:06:40.000Z")
            #expect(row["heartbeat_at"] as String == Timestamp.format(wall.now))
            #expect(row["ended_at"] as String? == nil)
            #expect(row["git_sha"] as String == "abc123")
            #expect(row["git_dirty"] as Int == 1)
            #expect(row["config_text"] as String == config)
            #expect(row["config_hash"] as String == FNV1a.hex64(config))
            #expect((row["config_hash"] as String).count == 16)
            #expect(row["server_url"] as String? == nil)

            let arms = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT id, arm_index, name, strategy, parameters FROM arm WHERE run_id = ? ORDER BY arm_index",
                                 arguments: [handle.runID])
            }
            #expect(arms.map { $0["name"] as String } == ["a", "b"])
            #expect(arms.map { $0["arm_index"] as Int } == [0, 1])
            #expect(arms.map { $0["strategy"] as String } == ["constant", "exponential"])
            #expect(arms[0]["parameters"] as String == #"{"interval":0.7}"#)
            #expect(handle.armIDs == ["a": arms[0]["id"], "b": arms[1]["id"]])
        }
    }

    @Test("a second run of the same experiment reuses its row and updates the description")
    func experimentUpsert() async throws {
        try await withTemporaryDatabase { database in
            let first = try database.beginRun(provenance(description: "old"), arms: twoArms)
            let second = try database.beginRun(provenance(description: "new"), arms: twoArms)
            #expect(first.runID != second.runID)
            #expect(first.armIDs["a"] != second.armIDs["a"])
            let rows = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT name, description FROM experiment")
            }
            #expect(rows.count == 1)
            #expect(rows.first?["description"] as String? == "new")
        }
    }

    @Test("beginRun rejects duplicate arm names and bad counts before writing")
    func beginRunValidates() async throws {
        try await withTemporaryDatabase { database in
            let duplicate = [ArmSpec(name: "a", strategy: "seed"), ArmSpec(name: "a", strategy: "seed")]
            #expect(throws: TraceStoreError.self) { try database.beginRun(provenance(), arms: duplicate) }
            var bad = provenance()
            bad.concurrency = 0
            do {
                _ = try database.beginRun(bad, arms: twoArms)
                Issue.record("concurrency 0 should be refused")
            } catch let error as TraceStoreError {
                #expect(error.code == "invalid_argument")
                #expect(error.description.hasPrefix("concurrency:"))
            }
            let runs = try await database.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run") }
            #expect(runs == 0)
        }
    }

    @Test("finishRun sets status, ended_at, wall_ns and error")
    func finishRun() async throws {
        let wall = WallClock()
        try await withTemporaryDatabase(wallClock: wall) { database in
            let ok = try database.beginRun(provenance(), arms: twoArms)
            let broken = try database.beginRun(provenance(), arms: twoArms)
            wall.advance(by: 12.5)
            try database.finishRun(ok.runID, status: .finished, wallNanos: 12_345)
            try database.finishRun(broken.runID, status: .failed, error: "server unreachable")
            let rows = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT status, ended_at, wall_ns, error FROM run ORDER BY id")
            }
            #expect(rows[0]["status"] as String == "finished")
            #expect(rows[0]["ended_at"] as String == Timestamp.format(wall.now))
            #expect(rows[0]["wall_ns"] as Int64 == 12_345)
            #expect(rows[0]["error"] as String? == nil)
            #expect(rows[1]["status"] as String == "failed")
            #expect(rows[1]["error"] as String == "server unreachable")
            #expect(throws: TraceStoreError.unknownRun(999)) { try database.finishRun(999, status: .finished) }
            #expect(throws: TraceStoreError.self) { try database.finishRun(ok.runID, status: .running) }
        }
    }

    @Test("a running run with a stale heartbeat is marked interrupted; fresh and finished runs are not")
    func staleRuns() async throws {
        let wall = WallClock()
        try await withTemporaryDatabase(wallClock: wall) { database in
            let stale = try database.beginRun(provenance(), arms: twoArms)
            let staleBeat = Timestamp.format(wall.now)
            let done = try database.beginRun(provenance(), arms: twoArms)
            try database.finishRun(done.runID, status: .finished)
            wall.advance(by: 100)
            let fresh = try database.beginRun(provenance(), arms: twoArms)
            wall.advance(by: 30)

            #expect(try database.markStaleRunsInterrupted(olderThan: 60) == [stale.runID])
            #expect(try database.markStaleRunsInterrupted(olderThan: 60) == [])
            let rows = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT id, status, ended_at FROM run ORDER BY id")
            }
            #expect(rows.map { $0["status"] as String } == ["interrupted", "finished", "running"])
            #expect(rows[0]["ended_at"] as String == staleBeat)
            #expect(rows[2]["id"] as Int64 == fresh.runID)
        }
    }

    /// Claiming a run for a resume is one IMMEDIATE transaction (issue 10 item 16): two claims of
    /// the same interrupted run through two separate pools (as two processes would hold), started
    /// together, take it once; the other finds the fresh heartbeat. A stale heartbeat is taken.
    @Test("two claims of one run started together: exactly one takes it")
    func claimIsAtomic() async throws {
        let wall = WallClock()
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("claim.sqlite").path
            let first = try TraceDatabase.open(path: path, wallClock: { wall.now })
            let second = try TraceDatabase.open(path: path, wallClock: { wall.now })
            defer { try? first.close(); try? second.close() }
            for round in 0..<20 {
                let handle = try first.beginRun(provenance(), arms: twoArms)
                try first.finishRun(handle.runID, status: .interrupted)
                let outcomes = await withTaskGroup(of: Result<RunStatus, TraceStoreError>.self) { group in
                    for database in [first, second] {
                        group.addTask {
                            do {
                                return .success(try database.claimRun(handle.runID, staleAfter: 10, rerunErrorCode: "cancelled").status)
                            } catch {
                                return .failure(error as? TraceStoreError ?? .writerClosed)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let taken = outcomes.filter { (try? $0.get()) == .running }.count
                let refused = outcomes.filter {
                    if case .failure(.runInUse(handle.runID, _, 10)) = $0 { return true }
                    return false
                }.count
                #expect(taken == 1 && refused == 1, "round \(round): \(outcomes)")
            }
            // A running run whose heartbeat is 11 s old (its runner died) is taken.
            let dead = try first.beginRun(provenance(), arms: twoArms)
            wall.advance(by: 11)
            #expect(try second.claimRun(dead.runID, staleAfter: 10, rerunErrorCode: "cancelled").status == .running)
            #expect(throws: TraceStoreError.self) { try first.claimRun(dead.runID, staleAfter: 10, rerunErrorCode: "cancelled") }
        }
    }
}
