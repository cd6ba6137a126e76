import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// The arm option `cancel_at_deadline` (issue 12, item 5): a trial that times out cancels its job
/// with `DELETE /jobs/{id}`, recorded as a `cancel` call, and the server's place is freed.
@Suite struct CancelAtDeadlineTests {
    /// One trial in flight at a time against a server that holds one job: each trial's 1 000 s
    /// job times out after 0.2 s. With `cancel_at_deadline` the second trial gets a job (both time
    /// out, each with a `cancel` call answered `cancelled`); without it the first job still holds
    /// the only place and the second create fails with 503.
    static func yaml(cancel: Bool) -> String {
        """
        name: cancel
        trials: 2
        seed: 3
        concurrency: 1
        timeout: 0.2
        server: {max_jobs: 1}
        job: {base_delay: 1000, var_delay: 0}
        arms:
          - {name: constant, strategy: constant, interval: 0.05, cancel_at_deadline: \(cancel)}
        """
    }

    func outcomes(_ yaml: String) async throws -> [String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let experiment = try Experiment.parse(yaml: yaml, file: "cancel.yaml")
        _ = try await ExperimentRunner().run(experiment, configText: yaml, database: database)
        return try await database.reader.read { db in
            try String.fetchAll(db, sql: """
                SELECT t.outcome || ':' || coalesce(t.error_code, '') || ':' || t.tries || ':'
                       || coalesce((SELECT group_concat(c.http_status || '/' || coalesce(c.result, ''))
                                    FROM api_call c WHERE c.trial_id = t.id AND c.kind = 'cancel'), '-')
                FROM trial t ORDER BY t.trial_index
                """)
        }
    }

    @Test func cancellingAtTheDeadlineFreesTheServerForTheNextTrial() async throws {
        let cancelled = try await outcomes(Self.yaml(cancel: true))
        #expect(cancelled.count == 2)
        for row in cancelled {
            #expect(row.hasPrefix("timed_out:deadline:"))
            #expect(row.hasSuffix(":200/cancelled"))
        }
        let kept = try await outcomes(Self.yaml(cancel: false))
        #expect(kept.count == 2)
        #expect(kept.first?.hasPrefix("timed_out:deadline:") == true && kept.first?.hasSuffix(":-") == true)
        #expect(kept.last == "failed:http_503:0:-")
    }

    /// Simulated: the cancel call is sent at the deadline (0.5 s after start) and takes one round
    /// trip (latency 0.01 s); it is not a try.
    @Test func simulatedCancelCallAtTheDeadline() async throws {
        let yaml = Self.yaml(cancel: true).replacingOccurrences(of: "trials: 2", with: "trials: 1\nmode: simulated\nlatency: 0.01")
            .replacingOccurrences(of: "timeout: 0.2", with: "timeout: 0.5")
        let experiment = try Experiment.parse(yaml: yaml, file: "cancel.yaml")
        let sink = InMemoryTraceSink()
        _ = try await ExperimentRunner.simulate(experiment, sink: sink)
        let trial = try #require(await sink.trials.first)
        let cancel = try #require(trial.calls.last)
        #expect(cancel.kind == .cancel && cancel.result == .cancelled)
        #expect(cancel.sentNanos == trial.startNanos + 500_000_000)
        #expect(cancel.receivedNanos == cancel.sentNanos + 10_000_000)
        #expect(trial.tries == trial.calls.count - 2)
    }

    @Test func badOptionNamesFileLineAndKey() throws {
        let noDeadline = Self.yaml(cancel: true).replacingOccurrences(of: "timeout: 0.2\n", with: "")
        #expect {
            _ = try Experiment.parse(yaml: noDeadline, file: "cancel.yaml")
        } throws: { error in
            guard case .invalidField("cancel.yaml", 8?, "arms[0].cancel_at_deadline", let message) = error as? ExperimentError else { return false }
            return message.contains("timeout")
        }
        let notBool = Self.yaml(cancel: true).replacingOccurrences(of: "cancel_at_deadline: true", with: "cancel_at_deadline: 3")
        #expect {
            _ = try Experiment.parse(yaml: notBool, file: "cancel.yaml")
        } throws: { error in
            guard case .invalidField(_, _, "arms[0].cancel_at_deadline", _) = error as? ExperimentError else { return false }
            return true
        }
    }
}

/// The `retry:` block: experiment-wide, overridden per arm, errors naming file, line and key.
@Suite struct RetryBlockParsingTests {
    static let yaml = """
        name: budgets
        trials: 1
        seed: 1
        retry:
          quota: aws
        job: {base_delay: 1, var_delay: 0}
        arms:
          - {name: inherits, strategy: constant}
          - name: custom
            strategy: constant
            retry: {quota: {capacity: 50, retry_cost: 2}}
          - name: grpc
            strategy: constant
            retry: {quota: none, throttling: {max_tokens: 10, token_ratio: 0.1}}
        """

    @Test func experimentBlockAndArmOverrides() throws {
        let experiment = try Experiment.parse(yaml: Self.yaml, file: "budgets.yaml")
        #expect(experiment.arms[0].retry == RetrySettings(quota: try AWSRetryQuota()))
        #expect(experiment.arms[1].retry == RetrySettings(quota: try AWSRetryQuota(capacity: 50, retryCost: 2)))
        #expect(experiment.arms[2].retry == RetrySettings(throttling: try GRPCRetryThrottle(maxTokens: 10, tokenRatio: 0.1)))
    }

    @Test func badBudgetsNameFileLineAndKey() {
        let cases: [(String, String, String)] = [
            ("retry: {quota: {capacity: 50, retry_cost: 2}}", "retry: {quota: {capacity: 0}}", "arms[1].retry.quota.capacity"),
            ("token_ratio: 0.1}", "token_ratio: 0.0001}", "arms[2].retry.throttling.token_ratio"),
            ("quota: none, throttling", "throttling", "arms[2].retry.throttling"),
            ("  quota: aws", "  quota: azure", "retry.quota"),
            ("  quota: aws", "  quota: aws\n  budget: 3", "retry.budget"),
        ]
        for (original, replacement, key) in cases {
            let text = Self.yaml.replacingOccurrences(of: original, with: replacement)
            #expect {
                _ = try Experiment.parse(yaml: text, file: "budgets.yaml")
            } throws: { error in
                guard case .invalidField("budgets.yaml", _?, let field, _) = error as? ExperimentError else { return false }
                return field == key
            }
        }
    }
}
