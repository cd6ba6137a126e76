import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite("v3-cancel-calls migration")
struct CancelCallsMigrationTests {
    @Test("v3 keeps every v2 call row and the views' text, and admits cancel calls answered cancelled")
    func migrationKeepsRowsAndAdmitsCancel() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v2.sqlite").path
            let fresh = try DatabaseQueue(path: path, configuration: TraceDatabase.configuration())
            try Schema.migrator.migrate(fresh, upTo: "v2-clustered-calls")
            try await fresh.write { db in
                try db.execute(sql: """
                    INSERT INTO experiment (id, name) VALUES (1, 'e');
                    INSERT INTO run (id, experiment_id, status, mode, seed, trials_per_arm, concurrency, started_at, host,
                                     toolchain, config_text, config_hash)
                    VALUES (1, 1, 'finished', 'simulated', '1', 1, 1, '2026-01-01T00:00:00Z', 'h', 't', 'c', 'x');
                    INSERT INTO arm (id, run_id, arm_index, name, strategy, parameters) VALUES (1, 1, 0, 'a', 'seed', '{}');
                    INSERT INTO trial (id, arm_id, trial_index, job_seed, planned_duration_ns, start_ns, done_ns, detect_ns,
                                       end_ns, outcome, tries)
                    VALUES (9, 1, 0, '6', 1000, 0, NULL, NULL, 3000, 'timed_out', 1);
                    INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, http_status, result)
                    VALUES (9, 0, 'create', 0, 0, 202, NULL), (9, 1, 'status', 2000, 2000, 200, 'pending');
                    """)
            }
            let viewsBefore = try await fresh.read { db in
                try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' ORDER BY name")
            }
            // v2 refuses the new values.
            #expect(throws: DatabaseError.self) {
                try fresh.write { db in
                    try db.execute(sql: "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, result) VALUES (9, 2, 'cancel', 3000, 3100, 'cancelled')")
                }
            }
            try fresh.close()
            let database = try TraceDatabase.open(path: path)  // runs v3-cancel-calls
            defer { try? database.close() }
            try await database.writer.write { db in
                try db.execute(sql: "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, http_status, result) VALUES (9, 2, 'cancel', 3000, 3100, 200, 'cancelled')")
            }
            let (calls, views, tries, tableSQL) = try await database.reader.read { db in
                (try String.fetchAll(db, sql: "SELECT trial_id || '/' || seq || ':' || kind || ':' || coalesce(result, '-') FROM api_call"),
                 try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'view' ORDER BY name"),
                 try Row.fetchOne(db, sql: "SELECT status_calls, first_final_ns FROM trial_calls WHERE trial_id = 9"),
                 try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'api_call'") ?? "")
            }
            #expect(calls == ["9/0:create:-", "9/1:status:pending", "9/2:cancel:cancelled"])
            // v3 kept every view's text; opening also runs v6-ground-truth-metrics, which re-creates
            // trial_metrics and arm_summary, so the view v3 alone leaves as it found is trial_calls.
            let callsView: ([String]) -> [String] = { $0.filter { $0.hasPrefix("CREATE VIEW trial_calls") } }
            #expect(callsView(views) == callsView(viewsBefore) && callsView(views).count == 1)
            // The cancel call is not a status call and not a detection.
            #expect(tries?["status_calls"] as Int? == 1)
            #expect(tries?["first_final_ns"] as Int64? == nil)
            #expect(tableSQL.contains("WITHOUT ROWID"))
            for sql in ["INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (9, 3, 'delete', 0, 0)",
                        "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, result) VALUES (9, 3, 'status', 0, 0, 'done')"] {
                #expect(throws: DatabaseError.self, "\(sql)") { try database.writer.write { db in try db.execute(sql: sql) } }
            }
        }
    }
}
