import Analysis
import Foundation
import GRDB
import Testing

@Suite struct LoaderTests {
    @Test func compareIsPairedInOneRunAndWelchAcrossRuns() throws {
        let f = try ExperimentReportTests.database()
        // Same run: paired by trial_index; tries differences 3, 4, 5 → mean 4 ± 4.30265 / √3.
        let paired = try Comparison.load(from: f.queue, a: .init("late"), b: .init("eager"))
        #expect(paired.paired && paired.labelA == "late")
        let tries = try #require(paired.lines.first { $0.metric == .tries })
        #expect(tries.n == 3 && tries.difference == 4)
        #expect(abs((tries.upper ?? 0) - (4 + 4.30265 / 3.0.squareRoot())) < 1e-4)
        // A second run of the same arm: Welch, labelled by run.
        let run2 = try f.run(experimentID: 1)
        let arm = try f.arm(runID: run2, index: 0, name: "late", strategy: "constant")
        try f.trial(armID: arm, index: 0, start: 0, done: 1, detect: 1.2, outcome: "completed", tries: 2)
        try f.trial(armID: arm, index: 1, start: 0, done: 1, detect: 1.2, outcome: "completed", tries: 3)
        let welch = try Comparison.load(from: f.queue, a: .init("1:late"), b: .init("\(run2):late"))
        #expect(!welch.paired && welch.labelB == "run \(run2) late")
        let w = try #require(welch.lines.first { $0.metric == .tries })
        #expect(w.meanA == 1 && w.meanB == 2.5 && w.n == 2)
        #expect(throws: AnalysisError.unknownArm(name: "nope", runs: [run2], known: ["late"])) {
            try Comparison.load(from: f.queue, a: .init("late"), b: .init("nope"))
        }
    }

    @Test func intervalAndLatencyComeFromTheCallRows() throws {
        let f = try ExperimentReportTests.database()
        // Trial 1 of "late": create, then status calls sent at 0.1, 0.4, 1.0 s, each taking 2 ms.
        try f.queue.write { db in
            try db.execute(sql: "INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns) VALUES (1, 0, 'create', 0, 1000000)")
            for (seq, sent) in [(1, 100_000_000), (2, 400_000_000), (3, 1_000_000_000)] {
                try db.execute(sql: """
                    INSERT INTO api_call (trial_id, seq, kind, sent_ns, received_ns, result) VALUES (1, ?, 'status', ?, ?, 'pending')
                    """, arguments: [seq, sent, sent + 2_000_000])
            }
        }
        let interval = try HistogramReport.load(from: f.queue, metric: .interval, arms: ["late"])
        #expect(interval.series.count == 1)
        let gaps = interval.series[0].values
        #expect(gaps.count == 2 && abs(gaps[0] - 0.3) < 1e-12 && abs(gaps[1] - 0.6) < 1e-12)
        let latency = try HistogramReport.load(from: f.queue, metric: .latency)
        #expect(latency.series.map(\.name) == ["late", "eager"])
        #expect(latency.series[0].values == [2, 2, 2])          // ms; the create call is not counted
        #expect(latency.series[1].values.isEmpty)
        let delay = try HistogramReport.load(from: f.queue, metric: .delay, arms: ["eager"])
        #expect(delay.series[0].values.map { ($0 * 1000).rounded() } == [0, 100, 200])
    }
}
