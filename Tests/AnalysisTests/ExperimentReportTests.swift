import Analysis
import Foundation
import Testing
import TraceStore

@Suite struct ExperimentReportTests {
    /// One run of "toy": arm "late" (one poll after the job ends) and arm "eager" (more polls,
    /// smaller delays) on the same three jobs (trial indexes 0, 1, 2).
    static func database() throws -> Fixture {
        let f = try Fixture()
        let run = try f.run(experimentID: try f.experiment("toy"), trialsPerArm: 3)
        let late = try f.arm(runID: run, index: 0, name: "late", strategy: "constant")
        try f.trial(armID: late, index: 0, start: 0, done: 1.5, detect: 2.4, outcome: "completed", tries: 1)
        try f.trial(armID: late, index: 1, start: 0, done: 2.0, detect: 2.4, outcome: "completed", tries: 1)
        try f.trial(armID: late, index: 2, start: 0, done: 2.2, detect: 2.4, outcome: "error", tries: 1)
        let eager = try f.arm(runID: run, index: 1, name: "eager", strategy: "constant")
        try f.trial(armID: eager, index: 0, start: 0, done: 1.5, detect: 1.6, outcome: "completed", tries: 4)
        try f.trial(armID: eager, index: 1, start: 0, done: 2.0, detect: 2.0, outcome: "completed", tries: 5)
        try f.trial(armID: eager, index: 2, start: 0, done: 2.2, detect: 2.4, outcome: "error", tries: 6)
        return f
    }

    @Test func sameDatabaseSameBytes() throws {
        let f = try Self.database()
        let db = try TraceDatabase.openReadOnly(path: f.path)
        let first = try ExperimentReport.render(reader: db.reader, experiment: "toy")
        let second = try ExperimentReport.render(reader: db.reader, experiment: "toy")
        #expect(first == second)
        #expect(throws: AnalysisError.unknownExperiment(name: "nope", known: ["toy"])) {
            try ExperimentReport.render(reader: db.reader, experiment: "nope")
        }
    }

    @Test func reportGolden() throws {
        let f = try Self.database()
        let text = try ExperimentReport.render(reader: try TraceDatabase.openReadOnly(path: f.path).reader, experiment: "toy")
        // Re-record after an intended rendering change: POLLLAB_RECORD_GOLDEN=1 swift test …,
        // then review the diff of the golden file.
        if ProcessInfo.processInfo.environment["POLLLAB_RECORD_GOLDEN"] == "1" {
            try text.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false)
            == expected.split(separator: "\n", omittingEmptySubsequences: false))
    }

    /// The golden file sits next to this source file (not a bundle resource).
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden/toy-report.md").path
}
