import ExperimentKit
import Foundation
import PollingCore
import Testing

@Suite struct WorkloadParsingTests {
    func yaml(job: String) -> String {
        validYAML.replacingOccurrences(of: "job:\n  base_delay: 0.2\n  var_delay: 0.1\n", with: "job:\n" + job)
    }

    @Test func durationObjectsParseIntoModels() throws {
        let e = try Experiment.parse(yaml: yaml(job: """
              duration: {model: lognormal, median: 20, sigma: 1.0}
              success_rate: 0.9

            """), file: "x.yaml")
        #expect(e.job.durationSpec == .lognormal(median: 20, sigma: 1))
        #expect(e.job.successRate == 0.9)
        let nested = try Experiment.parse(yaml: yaml(job: """
              duration:
                model: mixture
                components:
                  - {weight: 3, model: exponential, mean: 2}
                  - {weight: 1, model: parts, count: 4, combine: max, part: {model: seed, base: 1.5, var: 0.9}}

            """), file: "x.yaml")
        #expect(nested.job.durationSpec == .mixture([
            .init(weight: 3, model: .exponential(mean: 2)),
            .init(weight: 1, model: .parts(.init(count: 4, combine: .max, part: .seed(base: 1.5, variation: 0.9)))),
        ]))
        // The old keys keep their meaning.
        #expect(try Experiment.parse(yaml: validYAML, file: "x.yaml").job.durationSpec == .seed(base: 0.2, variation: 0.1))
    }

    @Test(arguments: [
        ("  duration: {model: gaussian, mean: 1}\n", "bad.yaml:5: job.duration.model", "unknown duration model"),
        ("  duration: {model: lognormal, median: 20}\n", "bad.yaml:5: job.duration.sigma", "is missing"),
        ("  duration: {model: lognormal, median: 20, sigma: .nan}\n", "bad.yaml:5: job.duration.sigma", "finite"),
        ("  duration: {model: gamma, shape: 0, scale: 1}\n", "bad.yaml:5: job.duration.shape", "> 0"),
        ("  duration:\n    model: mixture\n    components:\n      - {weight: 0, model: fixed, seconds: 1}\n", "job.duration.components", "positive"),
        ("  duration:\n    model: mixture\n    components:\n      - {weight: 1, model: exponential, mean: -2}\n", "bad.yaml:8: job.duration.components[0].mean", "> 0"),
        ("  duration: {model: fixed, seconds: 1}\n  base_delay: 1\n", "bad.yaml:6: job.base_delay", "not both"),
        ("  duration: {model: empirical, file: missing.csv}\n", "bad.yaml:5: job.duration.file", "cannot read"),
    ])
    func badDurationsNameFileLineAndKey(_ job: String, _ location: String, _ words: String) {
        let message = parseError(yaml(job: job)) ?? "parsed"
        #expect(message.contains(location) && message.contains(words), "\(message)")
    }

    @Test func empiricalFilesAreReadRelativeToTheExperimentFileAndChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wl-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent("data/\(name)"), atomically: true, encoding: .utf8)
        }
        try write("ok.csv", "# source: a test\nid,seconds\na,2\nb,4\nc,0\n")
        try write("empty.csv", "# nothing\nseconds\n")
        try write("text.csv", "seconds\n1\nfast\n")
        try write("negative.csv", "seconds\n1\n-3\n")
        let file = dir.appendingPathComponent("exp.yaml").path
        func parse(_ csv: String, column: String = "seconds") throws -> Experiment {
            try Experiment.parse(yaml: yaml(job: "  duration: {model: empirical, file: data/\(csv), column: \(column), scale: 0.5}\n"), file: file)
        }
        let e = try parse("ok.csv")
        guard case .empirical(let sample) = e.job.durationSpec else { Issue.record("not empirical"); return }
        #expect(sample.values == [0, 1, 2])      // 0, 2, 4 × scale 0.5, sorted
        for (csv, column, words) in [("empty.csv", "seconds", "holds no values"), ("text.csv", "seconds", "text.csv:3: 'fast'"),
                                     ("negative.csv", "seconds", "negative.csv:3: '-3'"), ("ok.csv", "minutes", "not a column")] {
            do {
                _ = try parse(csv, column: column)
                Issue.record("\(csv) parsed")
            } catch {
                #expect("\(error)".contains(words) && "\(error)".contains("job.duration."), "\(error)")
            }
        }
    }
}
