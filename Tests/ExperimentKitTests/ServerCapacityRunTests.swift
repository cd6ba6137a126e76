import ExperimentKit
import Foundation
import GRDB
import PollingCore
import Testing
import TraceStore

/// `server.capacity` in a live run: the embedded server's counts land in `server_load` and agree
/// with the client's own call rows.
@Suite struct ServerCapacityRunTests {
    static let yaml = """
        name: capacity
        trials: 10
        seed: 5
        concurrency: 20
        timeout: 5
        server:
          capacity: {rate: 40, burst: 5}
        job: {base_delay: 0.3, var_delay: 0}
        arms:
          - {name: constant, strategy: constant, interval: 0.02}
          - {name: fast, strategy: constant, interval: 0.01}
        """

    /// 20 trials polling every 10–20 ms want about 1 000+ polls per second from a server that
    /// allows 40 per second: many 429s. Every status call the client recorded is one the server
    /// counted: 200s = served, 429s = rate limited, nothing else; and the server served no more
    /// than its bucket allows: burst + rate × (last bucket's end).
    @Test func serverCountsMatchTheCallRows() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let experiment = try Experiment.parse(yaml: Self.yaml, file: "capacity.yaml")
        let result = try await ExperimentRunner().run(experiment, configText: Self.yaml, database: database)
        try await database.reader.read { db in
            let server = try #require(try Row.fetchOne(db, sql: """
                SELECT sum(served) AS served, sum(queued) AS queued, sum(rate_limited) AS limited, sum(overloaded) AS overloaded,
                       max(bucket) AS last FROM server_load WHERE run_id = ?
                """, arguments: [result.runID]))
            let ok = try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status' AND http_status = 200") ?? -1
            let limited = try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status' AND http_status = 429") ?? -1
            let other = try Int.fetchOne(db, sql: "SELECT count(*) FROM api_call WHERE kind = 'status' AND http_status NOT IN (200, 429)") ?? -1
            #expect(server["served"] as Int == ok)
            #expect(server["limited"] as Int == limited)
            #expect(server["queued"] as Int == 0 && server["overloaded"] as Int == 0)
            #expect(other == 0)
            #expect(limited > 0)
            let last = server["last"] as Int
            #expect(Double(ok) <= 5 + 40 * Double(last + 1) / 10)
        }
    }

    @Test func badCapacityNamesFileLineAndKey() throws {
        let cases: [(String, String)] = [
            ("{rate: 40, burst: 5}", "server.capacity.rate"),
            ("{rate: 40, burst: 5, concurency: 2}", "server.capacity.concurency"),
        ]
        for (index, (replacement, field)) in cases.enumerated() {
            let text = Self.yaml.replacingOccurrences(of: "{rate: 40, burst: 5}", with: index == 0 ? "{rate: -1}" : replacement)
            #expect {
                _ = try Experiment.parse(yaml: text, file: "capacity.yaml")
            } throws: { error in
                guard case .invalidField("capacity.yaml", let line?, let key, _) = error as? ExperimentError else { return false }
                return key == field && line >= 7
            }
        }
    }
}

/// The AWS retry quota live, shared by an arm's concurrent trials against a rate-limited server.
@Suite struct RetryQuotaRunTests {
    /// Quota of 10 tokens, 5 per retry, +1 per success without retry, +5 back for a successful
    /// retry (the cap of 10 only loses tokens): since the bucket never goes below zero,
    /// 5 × retries granted ≤ 10 + plain successes + 5 × successful retries. Without the quota the
    /// client would retry every 429 (hundreds); with it, some trials end `retry_quota_exhausted`.
    @Test func quotaBoundsTheRetriesOfAllTrials() async throws {
        let yaml = ServerCapacityRunTests.yaml.replacingOccurrences(of: "job:", with: "retry: {quota: {capacity: 10}}\njob:")
            .replacingOccurrences(of: "  - {name: fast, strategy: constant, interval: 0.01}\n", with: "")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("polllab-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try TraceDatabase.open(path: path)
        let experiment = try Experiment.parse(yaml: yaml, file: "capacity.yaml")
        _ = try await ExperimentRunner().run(experiment, configText: yaml, database: database)
        try await database.reader.read { db in
            let row = try #require(try Row.fetchOne(db, sql: """
                WITH c AS (SELECT http_status, lag(http_status) OVER (PARTITION BY trial_id ORDER BY seq) AS previous
                           FROM api_call WHERE kind = 'status')
                SELECT sum(previous = 429) AS granted,
                       sum(http_status = 200 AND previous IS NOT 429) AS plain,
                       sum(http_status = 200 AND previous = 429) AS retried
                FROM c
                """))
            let granted: Int = row["granted"], plain: Int = row["plain"], retried: Int = row["retried"]
            #expect(5 * granted <= 10 + plain + 5 * retried)
            let refused = try Int.fetchOne(db, sql: "SELECT count(*) FROM trial WHERE error_code = 'retry_quota_exhausted'") ?? 0
            #expect(refused > 0)
        }
    }
}
