import Analysis
import Foundation
import Testing
import TraceStore

/// `analyze load` (issue 12 item 7) on the database of `FleetReportTests` (status calls of arm
/// `a` sent at 20, 50, 60, 120, 150 ms; of arm `b` at 30 ms; capacity rate 20/s), hand-counted.
@Suite struct LoadReportTests {
    @Test func bucketsCountedByHand() async throws {
        let path = FleetReportTests.temporaryPath()
        defer { FleetReportTests.remove(path) }
        let database = try await FleetReportTests.database(path)
        // 100 ms buckets: a → [0, 0.1): 20, 50, 60 = 3; [0.1, 0.2): 120, 150 = 2. b → [1].
        let report = try LoadReport.load(from: database.reader)
        #expect(report.series.map(\.name) == ["a", "b"])
        #expect(report.series.map(\.counts) == [[3, 2], [1]])
        #expect(abs((report.capacity ?? -1) - 2) < 1e-12)          // 20/s × 0.1 s
        // 50 ms buckets: a → 20 | 50, 60 | 120 | 150 = [1, 2, 1, 1]; capacity 1 per bucket.
        let fine = try LoadReport.load(from: database.reader, bucket: 0.05)
        #expect(fine.series.map(\.counts) == [[1, 2, 1, 1], [1]])
        #expect(abs((fine.capacity ?? -1) - 1) < 1e-12)
    }

    /// Width 60, ASCII: labels 10 wide, counts 5, bars 41 columns scaled to max(peak 3,
    /// capacity 2) = 3; the capacity line at column ⌊2/3 · 41⌋ = 27.
    @Test func renderedRowsAndCapacityLine() async throws {
        let path = FleetReportTests.temporaryPath()
        defer { FleetReportTests.remove(path) }
        let database = try await FleetReportTests.database(path)
        let text = LoadRenderer.render(try LoadReport.load(from: database.reader),
                                       style: HistogramStyle(width: 60, unicode: false, color: false))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("server capacity: 2.00 calls per bucket (rate × bucket), drawn as |"))
        #expect(lines.contains("[0.0, 0.1)      3 " + String(repeating: "#", count: 41)))
        #expect(lines.contains("[0.1, 0.2)      2 " + String(repeating: "#", count: 27) + "|"))
        #expect(lines.contains("[0.0, 0.1)      1 " + String(repeating: "#", count: 14) + String(repeating: " ", count: 13) + "|"))
        #expect(lines.contains("buckets 2 | total 5 | peak 3 | over capacity 1"))
        #expect(lines.contains("buckets 1 | total 1 | peak 1 | over capacity 0"))
    }

    /// Bad input: a bucket ≤ 0 and an unknown run are refused with a message naming them.
    @Test func badBucketAndUnknownRun() async throws {
        let path = FleetReportTests.temporaryPath()
        defer { FleetReportTests.remove(path) }
        let database = try await FleetReportTests.database(path)
        for bad in [0.0, -0.1, Double.nan] {
            #expect { _ = try LoadReport.load(from: database.reader, bucket: bad) } throws: { error in
                guard case .invalidField("bucket", let message) = error as? AnalysisError else { return false }
                return message.contains("> 0")
            }
        }
        #expect { _ = try LoadReport.load(from: database.reader, selector: .run(99)) } throws: { error in
            guard case .unknownRun(id: 99, _) = error as? AnalysisError else { return false }
            return true
        }
    }
}
