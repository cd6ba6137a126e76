import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite("Schema and connections")
struct SchemaTests {
    @Test("migrations create every table and the three views")
    func migrationsCreateSchema() async throws {
        try await withTemporaryDatabase { database in
            let (tables, views, migrations) = try await database.reader.read { db in
                (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name"),
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
            }
            #expect(tables == ["api_call", "arm", "experiment", "grdb_migrations", "run", "run_note", "run_tag", "server_load", "server_push", "trial", "tuning", "tuning_family"])
            #expect(views == ["arm_summary", "trial_calls", "trial_metrics"])
            #expect(migrations == ["v1-core-tables", "v1-metric-views", "v2-clustered-calls", "v3-cancel-calls", "v4-run-tags-and-notes",
                                   "v5-server-load",
                                   "v6-ground-truth-metrics", "v7-tuning-tables", "v8-asked-instant", "v9-trial-wait", "v10-server-push",
                                   "v11-run-shards", "v12-stale-retries"])
        }
    }

    @Test("reopening a migrated database keeps its data and runs no migration twice")
    func reopenIsIdempotent() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("re.sqlite").path
            let first = try TraceDatabase.open(path: path)
            _ = try first.beginRun(provenance(), arms: twoArms)
            try first.close()
            let second = try TraceDatabase.open(path: path)
            defer { try? second.close() }
            let runs = try await second.reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run") }
            #expect(runs == 1)
        }
    }

    @Test("every connection has WAL, synchronous=NORMAL, foreign keys and a 10 000-page auto-checkpoint")
    func pragmas() async throws {
        try await withTemporaryDatabase { database in
            let query = "SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT foreign_keys FROM pragma_foreign_keys), "
                + "(SELECT synchronous FROM pragma_synchronous)"
            for row in [try await database.reader.read { db in try Row.fetchOne(db, sql: query)! },
                        try await database.writer.write { db in try Row.fetchOne(db, sql: query)! }] {
                #expect(row[0] as String == "wal")
                #expect(row[1] as Int == 1)
                #expect(row[2] as Int == 1)  // NORMAL
            }
            // Not a table-valued pragma: it has to be asked on its own.
            let checkpoints = [try await database.reader.read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") },
                               try await database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }]
            #expect(checkpoints == [10_000, 10_000])
        }
    }

    @Test("foreign keys are enforced: a trial of a missing arm is refused")
    func foreignKeysEnforced() async throws {
        try await withTemporaryDatabase { database in
            #expect(throws: DatabaseError.self) {
                try database.writer.write { db in
                    try db.execute(sql: """
                        INSERT INTO trial (arm_id, trial_index, job_seed, planned_duration_ns, start_ns, end_ns, outcome, tries)
                        VALUES (999, 0, '1', 0, 0, 0, 'completed', 1)
                        """)
                }
            }
        }
    }

    @Test("v2-clustered-calls keeps every v1 row and id, and the views answer as before")
    func migrationFromV1KeepsRows() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("v1.sqlite").path
            // A database migrated to v1 only, with rows written by the v1 schema (api_call.id).
            let fresh = try DatabaseQueue(path: path, configuration: TraceDatabase.configuration())
            try Schema.migrator.migrate(fresh, upTo: "v1-metric-views")
            try await fresh.write { db in
                try db.execute(sql: """
                    INSERT INTO experiment (id, name) VALUES (1, 'e');
                    INSERT INTO run (id, experiment_id, status, mode, seed, trials_per_arm, concurrency, started_at, host,
                                     toolchain, config_text, config_hash)
                    VALUES (1, 1, 'finished', 'simulated', '1', 2, 1, '2026-01-01T00:00:00Z', 'h', 't', 'c', 'x');
                    INSERT INTO arm (id, run_id, arm_index, name, strategy, parameters) VALUES (1, 1, 0, 'a', 'seed', '{}');
                    INSERT INTO trial (id, arm_id, trial_index, job_seed, planned_duration_ns, start_ns, done_ns, detect_ns,
                                       end_ns, outcome, tries)
                    VALUES (7, 1, 0, '5', 1000, 0, 1000, 1500, 1500, 'completed', 2),
                           (9, 1, 1, '6', 1000, 0, NULL, NULL, 3000, 'timed_out', 1);
                    INSERT INTO api_call (id, trial_id, seq, kind, sent_ns, received_ns, http_status, result)
                    VALUES (1, 7, 0, 'create', 0, 0, 202, NULL), (2, 7, 1, 'status', 500, 500, 200, 'pending'),
                           (3, 7, 2, 'status', 1500, 1500, 200, 'completed'), (4, 9, 0, 'create', 0, 0, 202, NULL),
                           (5, 9, 1, 'status', 2000, 2000, 200, 'pending');
                    """)
            }
            try fresh.close()
            let database = try TraceDatabase.open(path: path)  // runs v2-clustered-calls
            defer { try? database.close() }
            let (trials, calls, metrics, columns) = try await database.reader.read { db in
                (try String.fetchAll(db, sql: "SELECT id || ':' || outcome || ':' || tries FROM trial ORDER BY id"),
                 try String.fetchAll(db, sql: "SELECT trial_id || '/' || seq || ':' || coalesce(result, kind) FROM api_call"),
                 try Row.fetchAll(db, sql: "SELECT trial_id, er, hr FROM trial_metrics ORDER BY trial_id"),
                 try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('api_call') ORDER BY cid"))
            }
            #expect(trials == ["7:completed:2", "9:timed_out:1"])
            // Stored in key order (trial_id, seq) without an ORDER BY: the table is clustered.
            #expect(calls == ["7/0:create", "7/1:pending", "7/2:completed", "9/0:create", "9/1:pending"])
            #expect(columns == ["trial_id", "seq", "kind", "sent_ns", "received_ns", "http_status", "result",
                                "error_code", "retry_after_ns", "asked_ns", "stale_retries"])
            // Trial 7: delay 1500 - 1000 = 500 of 1500 ns → ER 1/3, HR 1/2; trial 9 timed out.
            #expect(abs(metrics[0]["er"] as Double - 1.0 / 3) < 1e-12)
            #expect(metrics[0]["hr"] as Double == 0.5)
            #expect(metrics[1]["er"] as Double == 1)
        }
    }

    @Test("the v2 tables keep their rules: bad outcome, result or kind, duplicate (trial_id, seq) and unknown trial refused")
    func v2ConstraintsHold() async throws {
        try await withTemporaryDatabase { database in
            _ = try database.beginRun(provenance(), arms: twoArms)
            try await database.writer.write { db in
                try db.execute(sql: """
                    INSERT INTO trial (id, arm_id, trial_index, job_seed, planned_duration_ns, start_ns, end_ns, outcome, tries)
                    VALUES (1, (SELECT min(id) FROM arm), 0, '1', 0, 0, 0, 'completed', 1);
                    INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (1, 0, 'create', 0, 0);
                    """)
            }
            let refused = [
                "INSERT INTO trial (arm_id, trial_index, job_seed, planned_duration_ns, start_ns, end_ns, outcome, tries) "
                    + "VALUES ((SELECT min(id) FROM arm), 1, '1', 0, 0, 0, 'done', 1)",
                "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, result) VALUES (1, 1, 'status', 0, 0, 'done')",
                "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (1, 1, 'delete', 0, 0)",
                "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (1, 0, 'status', 0, 0)",
                "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (99, 0, 'create', 0, 0)",
            ]
            for sql in refused {
                #expect(throws: DatabaseError.self, "\(sql)") { try database.writer.write { db in try db.execute(sql: sql) } }
            }
        }
    }

    @Test("inserts compile without a per-row ephemeral index (the CHECKs are comparisons, not IN lists)")
    func insertPlansHaveNoEphemeralTables() async throws {
        try await withTemporaryDatabase { database in
            let opcodes = try await database.reader.read { db in
                try [TrialInserter.trialSQL, TrialInserter.trialChunkSQL, TrialInserter.callSQL, TrialInserter.callChunkSQL].map { sql in
                    let explain = try db.makeStatement(sql: "EXPLAIN " + sql)
                    explain.setUncheckedArguments([])  // EXPLAIN compiles; parameters stay unbound
                    return try Row.fetchAll(explain).map { $0["opcode"] as String }
                }
            }
            for plan in opcodes {
                #expect(!plan.isEmpty)
                #expect(!plan.contains("OpenEphemeral"))
            }
        }
    }

    @Test("FNV-1a 64 matches the published test vectors")
    func fnv1a() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
        #expect(FNV1a.hash64("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
