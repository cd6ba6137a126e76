import ExperimentKit
import Foundation
import PollingCore
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

let validYAML = """
    name: demo
    trials: 3
    seed: 1
    job:
      base_delay: 0.2
      var_delay: 0.1
    arms:
      - name: c
        strategy: constant
        interval: 0.05
    """

/// The error message for `yaml`, or nil if it parses.
func parseError(_ yaml: String) -> String? {
    do {
        _ = try Experiment.parse(yaml: yaml, file: "bad.yaml")
        return nil
    } catch {
        return "\(error)"
    }
}

@Suite struct ExperimentFileTests {
    @Test func shippedExperimentsParse() throws {
        let catalog = ExperimentCatalog(directory: repositoryRoot + "/experiments")
        #expect(catalog.names().contains("seed-headline"))
        #expect(catalog.names().contains("baseline-comparison"))
        let (headline, _) = try catalog.load("seed-headline")
        #expect(headline.trials == 100 && headline.concurrency == 100 && headline.timeout == nil && headline.rampUp == 0.5)
        #expect(headline.job == JobParameters(baseDelay: 1.5, varDelay: 0.9, successRate: 0.8))
        #expect(headline.arms == [.init(name: "seed", strategy: .seed(
            SeedStrategy(initialInterval: 0.1, maxInterval: 3, jitter: 1...1, durationHint: 1.5)))])
        let (baseline, _) = try catalog.load("baseline-comparison")
        #expect(baseline.arms.map(\.strategy.kind) == ["seed", "constant", "exponential"])
    }

    @Test func serverSectionConfiguresTheEmbeddedServer() throws {
        let yaml = validYAML.replacingOccurrences(of: "seed: 1\n", with: """
            seed: 1
            mode: simulated
            latency: [0.001, 0.003]
            server:
              retry_after: 2
              retry_after_format: http-date
              eta: true
              max_wait: 10
              faults:
                error_503: 0.25

            """)
        let e = try Experiment.parse(yaml: yaml, file: "demo.yaml")
        #expect(e.mode == .simulated && e.latency == .uniform(0.001, 0.003))
        #expect(e.server.hints == .init(retryAfter: 2, eta: true, retryAfterFormat: .httpDate))
        #expect(e.server.maxWait == 10)
        #expect(e.server.faults.isActive)
    }

    @Test func defaultsApplyWhereTheFileIsSilent() throws {
        let e = try Experiment.parse(yaml: validYAML, file: "demo.yaml")
        #expect(e.concurrency == 100 && e.requestTimeout == 5 && e.timeout == nil && e.rampUp == 0 && e.mode == .live)
        #expect(e.job.successRate == 0.8 && e.job.durationModel == .seed)
        #expect(e.arms[0].strategy == .constant(ConstantStrategy(interval: 0.05)))
    }

    @Test func parametersAreStoredAsSortedJSON() throws {
        let s = StrategyConfiguration.exponential(try ExponentialStrategy(initial: 0.1, multiplier: 2, maxInterval: 3, jitter: .full))
        #expect(s.parametersJSON == #"{"initial":0.1,"initial_delay":0,"jitter":"full","max_interval":3,"multiplier":2}"#)
    }

    @Test(arguments: [
        ("trials: 3\n", "trials: 3\ntrials_typo: 1\n", "bad.yaml:3: trials_typo: unknown key"),
        ("trials: 3\n", "", "bad.yaml:1: trials: is missing"),
        ("trials: 3\n", "trials: many\n", "bad.yaml:2: trials: must be a whole number, got 'many'"),
        ("trials: 3\n", "trials: 0\n", "trials: must be between 1 and 10000000, got 0"),
        ("strategy: constant", "strategy: poll-harder", "bad.yaml:9: arms[0].strategy: unknown strategy 'poll-harder' (use one of: constant, exponential, seed, grpc, aws, google-lro, smithy, kubernetes, azure, hinted, long-poll, sse, webhook, progress, optimal, learned)"),
        ("interval: 0.05", "intervall: 0.05", "bad.yaml:10: arms[0].intervall: unknown key"),
        ("interval: 0.05", "interval: -1", "arms[0].interval: must be a number of seconds > 0, got -1.0"),
        ("  var_delay: 0.1\n", "  var_delay: 0.1\n  success_rate: 2\n", "job.success_rate: must be a number in [0, 1], got 2.0"),
        ("  var_delay: 0.1\n", "", "job.var_delay: is missing"),
        ("seed: 1\n", "seed: -4\n", "seed: must be an unsigned 64-bit integer, got '-4'"),
        ("name: demo", "name: demo\nmode: quantum", "mode: unknown mode 'quantum'"),
        ("seed: 1\n", "seed: 1\nserver:\n  faults:\n    error_5O3: 0.1\n", "server.faults.error_5O3: unknown fault setting 'error_5O3'"),
        ("seed: 1\n", "seed: 1\nserver:\n  retry_after: soon\n", "server.retry_after: must be a whole number"),
        ("seed: 1\n", "seed: 1\nlatency: [0.02, 0.01]\n", "latency: must be [min, max] seconds with 0 <= min <= max"),
    ])
    func invalidFilesNameTheFieldAndTheFix(original: String, replacement: String, expected: String) {
        let yaml = validYAML.replacingOccurrences(of: original, with: replacement)
        let message = parseError(yaml)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test func malformedYAMLIsReportedWithTheFileName() {
        let message = parseError("name: [unclosed\n")
        #expect(message?.hasPrefix("bad.yaml") == true && message?.contains("malformed YAML") == true, "\(message ?? "")")
        #expect(parseError("")?.contains("the file is empty") == true)
        #expect(parseError(validYAML + "\n  - name: c\n    strategy: constant\n")?.contains("arms[1].name: arm names must be unique") == true)
    }

    /// Names reach text, Markdown, HTML and CSV output: one printable line, at most 64 characters
    /// (issue 10 item 19). Each error names the file, the line and the key.
    @Test(arguments: [
        ("name: c\n", "name: \"two\\nlines\"\n", "bad.yaml:8: arms[0].name: must be one line of printable characters; remove the U+A character"),
        ("name: c\n", "name: \"bell\\a\"\n", "bad.yaml:8: arms[0].name: must be one line of printable characters; remove the U+7 character"),
        ("name: c\n", "name: \"" + String(repeating: "x", count: 65) + "\"\n", "bad.yaml:8: arms[0].name: must be 1 to 64 characters, got 65"),
        ("name: c\n", "name: \" padded\"\n", "bad.yaml:8: arms[0].name: must not start or end with white space"),
        ("name: c\n", "name: \"\"\n", "bad.yaml:8: arms[0].name: must be 1 to 64 characters, got 0"),
    ])
    func namesAreOnePrintableLine(original: String, replacement: String, expected: String) {
        let message = parseError(validYAML.replacingOccurrences(of: original, with: replacement))
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test func printableNamesAreAccepted() throws {
        let yaml = validYAML.replacingOccurrences(of: "name: c\n", with: "name: \"=1+1 <b>é</b> `x`\"\n")
        let experiment = try Experiment.parse(yaml: yaml, file: "ok.yaml")
        #expect(experiment.arms.map(\.name) == ["=1+1 <b>é</b> `x`"])
    }

    @Test func nameMustMatchTheFileName() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try validYAML.write(toFile: directory + "/other.yaml", atomically: true, encoding: .utf8)
        let catalog = ExperimentCatalog(directory: directory)
        #expect(throws: ExperimentError.self) { _ = try catalog.load("other") }
        #expect(throws: ExperimentError.notFound("nothing", ["other"])) { _ = try catalog.load("nothing") }
    }
}
