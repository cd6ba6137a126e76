import Foundation
import GRDB
import Testing
@testable import TraceStore

@Suite struct TuningTableTests {
    static let provenance = TuningProvenance(
        experimentName: "seed-headline", workloadHash: "abc", workload: "job", objective: "score", wi: 1, wj: 1,
        sloP99Delay: nil, budget: 100, seed: 7, optimalScore: 0.8125, createdAt: Date(timeIntervalSince1970: 0),
        gitSHA: nil, gitDirty: nil, host: "h", toolchain: "t")

    static func record(_ family: String, rank: Int) -> TuningFamilyRecord {
        TuningFamilyRecord(rank: rank, family: family, strategy: family, parametersJSON: "{}", score: 0.8, scoreExact: true,
                           scoreCILow: nil, scoreCIHigh: nil, meanCalls: 1, p99Delay: .infinity, p99DelayUpperBound: nil,
                           gapToOptimal: -0.0125, tiedWithBest: rank == 1, evaluations: 10)
    }

    @Test func recordsAndRejects() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tuning-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try TraceDatabase.open(path: dir.appendingPathComponent("t.sqlite").path)
        let id = try database.recordTuning(Self.provenance, families: [Self.record("constant", rank: 1), Self.record("aws", rank: 2)])
        #expect(id == 1)
        var bad = Self.provenance
        bad.budget = 0
        #expect(throws: TraceStoreError.self) { try database.recordTuning(bad, families: []) }
        #expect(throws: TraceStoreError.self) {
            try database.recordTuning(Self.provenance, families: [Self.record("aws", rank: 1), Self.record("aws", rank: 2)])
        }
        let rows = try database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT family, rank, p99_delay_s, gap_to_optimal FROM tuning_family ORDER BY rank")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["family"] as String == "constant")
        #expect((rows[0]["p99_delay_s"] as Double?) == nil)     // infinite → NULL
        #expect(try database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tuning") } == 1)
    }
}
