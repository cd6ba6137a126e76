import Foundation
import GRDB
import Testing
import TraceStore
@testable import Analysis

@Suite struct TuningTableRenderTests {
    /// A recorded tuning shows in `analyze tune`, in the Markdown section and in the HTML section
    /// (escaped), and an experiment without one gets no section.
    @Test func sections() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tuning-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let database = try TraceDatabase.open(path: dir.appendingPathComponent("t.sqlite").path)
        let provenance = TuningProvenance(
            experimentName: "a<b", workloadHash: "abc", workload: "job", objective: "score", wi: 1, wj: 1, sloP99Delay: nil,
            budget: 100, seed: 7, optimalScore: 0.8125, createdAt: Date(timeIntervalSince1970: 0), gitSHA: nil, gitDirty: nil,
            host: "h", toolchain: "t")
        let record = TuningFamilyRecord(rank: 1, family: "constant", strategy: "constant", parametersJSON: "{}", score: 0.8125,
                                        scoreExact: true, scoreCILow: nil, scoreCIHigh: nil, meanCalls: 1, p99Delay: 0.89,
                                        p99DelayUpperBound: nil, gapToOptimal: 0, tiedWithBest: true, evaluations: 10)
        _ = try database.recordTuning(provenance, families: [record])
        let text = try TuningTable.render(reader: database.reader)
        #expect(text.contains("tuning 1 of a<b") && text.contains("constant") && text.contains("0.8125") && text.contains("exact"))
        try database.reader.read { db in
            let html = try TuningTable.htmlSection(db, experiment: "a<b")
            #expect(html.contains("tuning 1 of a&lt;b") && html.contains("<pre>") && html.contains("constant"))
            let markdown = try TuningTable.markdownSection(db, experiment: "a<b")
            #expect(markdown.hasPrefix("## Tuning") && markdown.contains("a\\<b"))
            #expect(try TuningTable.htmlSection(db, experiment: "other").isEmpty)
        }
    }
}
