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
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
            }
            #expect(tables == ["api_call", "arm", "experiment", "grdb_migrations", "run", "trial"])
            #expect(views == ["arm_summary", "trial_calls", "trial_metrics"])
            #expect(migrations == ["v1-core-tables", "v1-metric-views"])
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

    @Test("every connection has WAL, synchronous=NORMAL, foreign keys and a 5 s busy timeout")
    func pragmas() async throws {
        try await withTemporaryDatabase { database in
            let query = "SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT foreign_keys FROM pragma_foreign_keys), "
                + "(SELECT synchronous FROM pragma_synchronous), (SELECT timeout FROM pragma_busy_timeout)"
            for row in [try await database.reader.read { db in try Row.fetchOne(db, sql: query)! },
                        try await database.writer.write { db in try Row.fetchOne(db, sql: query)! }] {
                #expect(row[0] as String == "wal")
                #expect(row[1] as Int == 1)
                #expect(row[2] as Int == 1)  // NORMAL
                #expect(row[3] as Int == 5000)
            }
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

    @Test("FNV-1a 64 matches the published test vectors")
    func fnv1a() {
        #expect(FNV1a.hex64("") == "cbf29ce484222325")
        #expect(FNV1a.hex64("a") == "af63dc4c8601ec8c")
        #expect(FNV1a.hex64("foobar") == "85944171f73967e8")
        #expect(FNV1a.hash64("a") == 0xaf63_dc4c_8601_ec8c)
    }
}
