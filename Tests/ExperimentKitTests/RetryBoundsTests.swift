import ExperimentKit
import PollingCore
import Testing

/// Issue 10, item 4, in experiment files: `retry: {max_attempts, max_delay}` for the experiment,
/// overridable per arm, reaching every trial's retry layer.
@Suite struct RetryBoundsTests {
    static let yaml = """
        name: bounds
        trials: 1
        seed: 1
        retry: {max_attempts: 3, max_delay: 30}
        job: {base_delay: 1, var_delay: 0}
        arms:
          - {name: inherits, strategy: constant}
          - name: custom
            strategy: constant
            retry: {max_delay: 0.5}
        """

    @Test func experimentBlockAndArmOverride() throws {
        let experiment = try Experiment.parse(yaml: Self.yaml, file: "bounds.yaml")
        #expect(experiment.arms[0].retry == RetrySettings(maxAttempts: 3, maxDelay: 30))
        #expect(experiment.arms[1].retry == RetrySettings(maxAttempts: 3, maxDelay: 0.5))
        // max_attempts 3 = the first attempt and 2 retries: a budget of 2 consecutive failures.
        let policy = experiment.arms[1].retry.policy()
        #expect(policy.budget == 2)
        #expect(policy.maxDelay == .milliseconds(500))
        #expect(RetrySettings().policy() == RetryPolicy())
        #expect(RetryPolicy().maxDelay == .seconds(120) && RetryPolicy().budget == 5)
    }

    @Test func badBoundsNameFileLineAndKey() {
        let cases: [(String, String, String)] = [
            ("max_attempts: 3", "max_attempts: 0", "retry.max_attempts"),
            ("max_delay: 30", "max_delay: -1", "retry.max_delay"),
            ("retry: {max_delay: 0.5}", "retry: {max_delay: 0}", "arms[1].retry.max_delay"),
        ]
        for (original, replacement, key) in cases {
            let text = Self.yaml.replacingOccurrences(of: original, with: replacement)
            #expect {
                _ = try Experiment.parse(yaml: text, file: "bounds.yaml")
            } throws: { error in
                guard case .invalidField("bounds.yaml", _?, let field, _) = error as? ExperimentError else { return false }
                return field == key
            }
        }
    }
}
