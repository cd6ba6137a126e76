import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// Server limits: max jobs, finished-job expiry, new-field validation, HTTP-date hints.
@Suite struct LimitsTests {
    /// With max_jobs 3 the 4th create gets 503 too_many_jobs (JSON, Retry-After 1); once the
    /// finished jobs pass their TTL (10 s) they are swept on the next create and read as 410.
    @Test func maxJobsAndExpiry() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, timeSource: time.source, maxJobs: 3,
                                                        finishedJobTTL: .seconds(10))
        try await withServer(configuration) { client in
            for _ in 0..<2 { _ = try await postJob(client, #"{"base_delay": 1, "var_delay": 0}"#) }
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            for (uri, body) in [("/jobs", #"{"base_delay": 0, "var_delay": 0}"#), ("/request", "{}")] {
                let full = try await client.execute(uri: uri, method: .post, body: json(body))
                #expect(full.status == .serviceUnavailable)
                #expect(full.headers[.retryAfter] == "1")
                #expect(try decode(ErrorResponse.self, full).error.code == "too_many_jobs")
            }
            time.advance(by: .milliseconds(10_999))  // j1, j2 finished at 1 s: expire at 11 s
            #expect(try await getJob(client, "j1").status == .completed)  // at 10.999 s: still held
            time.advance(by: .milliseconds(1))
            let gone = try await get(client, "/jobs/j1")
            #expect(gone.status == .gone)
            #expect(try decode(ErrorResponse.self, gone).error.code == "job_expired")
            #expect(try await get(client, "/jobs/j99").status == .notFound)
            #expect(try await getJob(client, "j3").status == .pending)  // 100 s job still held
            _ = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#)  // j4, finished at once
            _ = try await postJob(client, #"{"base_delay": 5, "var_delay": 0}"#)  // j5, pending
            // Full again (j3, j4, j5): the finished j4 makes room for j6 and is gone (410).
            #expect(try await postJob(client, #"{"base_delay": 5, "var_delay": 0}"#).id == "j6")
            #expect(try await get(client, "/jobs/j4").status == .gone)
            // Full of pending jobs only: 503.
            let full = try await client.execute(uri: "/jobs", method: .post, body: json(#"{"base_delay": 0, "var_delay": 0}"#))
            #expect(full.status == .serviceUnavailable)
        }
    }

    /// The table sweeps expired jobs on create, so the held count stays at the live jobs.
    @Test func expirySweepKeepsTheTableSmall() throws {
        let time = ManualTime()
        let table = JobTable(seed: 1, timeSource: time.source, maxJobs: 1000, finishedJobTTL: .seconds(1))
        for k in 0..<10_000 {
            _ = try table.create(parameters: .init(baseDelay: Double(k % 3), varDelay: 0), seed: nil)
            time.advance(by: .milliseconds(10))
        }
        // Held: jobs created in the last (duration + TTL) seconds; a third each of 100 jobs/s
        // with durations 0, 1, 2 s: 100/3 · (1 + 2 + 3) = 200, give or take one per class.
        #expect((197...203).contains(table.count), "\(table.count)")
        #expect(table.created == 10_000)
        #expect(table.job(id: "j1") == nil)
        #expect(table.beginRequest(id: "j1") == .expired)
        #expect(table.beginRequest(id: "j10001") == .unknown)
        #expect(table.beginRequest(id: "j01") == .unknown)
    }

    static let badFaults: [(String, String)] = [
        (#""faults": "503""#, "faults"),
        (#""faults": ["600"]"#, "faults[0].status"),
        (#""faults": ["ok", "explode"]"#, "faults[1]"),
        (#""faults": [{"status": 503, "retry_after": -1}]"#, "faults[0].retry_after"),
        (#""faults": [{"fault": "hang", "retry_after": 1}]"#, "faults[0].retry_after"),
        (#""faults": [{"fault": "ok", "delay_ms": -5}]"#, "faults[0].delay_ms"),
        (#""faults": [{"fault": "ok", "delay_ms": 1e999}]"#, "faults[0].delay_ms"),
        (#""faults": [{"fault": "reset", "status": 500}]"#, "faults[0].status"),
        (#""faults": [null]"#, "faults[0]"),
    ]

    @Test(arguments: badFaults)
    func faultScriptValidationNamesTheField(fragment: String, field: String) async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs", method: .post,
                                                    body: json(#"{"base_delay": 1, "var_delay": 1, \#(fragment)}"#))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.field?.hasPrefix(field) == true, "\(error)")
            #expect(try await get(client, "/jobs/j1").status == .notFound)
        }
    }

    @Test func faultConfigurationDecodesSnakeCaseKeysAndRejectsBadOnes() throws {
        let text = #"{"error_503": 0.1, "error_429": 0.05, "retry_after": 2, "latency": {"min_ms": 5, "max_ms": 50}, "latency_rate": 0.5, "hang_cap_s": 10, "slow_body_ms": 200, "backwards": 0.01}"#
        let decoded = try JSONDecoder().decode(MockJobServer.FaultConfiguration.self, from: Data(text.utf8))
        var expected = MockJobServer.FaultConfiguration()
        expected.error503 = 0.1
        expected.error429 = 0.05
        expected.retryAfter = 2
        expected.latency = .init(minMs: 5, maxMs: 50)
        expected.latencyRate = 0.5
        expected.hangCapSeconds = 10
        expected.slowBodyMs = 200
        expected.backwards = 0.01
        #expect(decoded == expected)
        let roundTrip = try JSONDecoder().decode(MockJobServer.FaultConfiguration.self, from: JSONEncoder().encode(decoded))
        #expect(roundTrip == decoded)
        for (bad, key) in [(#"{"eror_503": 0.1}"#, "eror_503"), (#"{"error_503": 1.5}"#, "error_503"),
                           (#"{"error_500": 0.6, "error_503": 0.6}"#, "rates"), (#"{"latency": {"fixed_ms": -1}}"#, "fixed_ms"),
                           (#"{"latency": {"min_ms": 9, "max_ms": 2}}"#, "max_ms"), (#"{"hang_cap_s": 0}"#, "hang_cap_s")] {
            do {
                _ = try JSONDecoder().decode(MockJobServer.FaultConfiguration.self, from: Data(bad.utf8))
                Issue.record("accepted \(bad)")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.codingPath.last?.stringValue == key, "\(bad): \(context.codingPath)")
            }
        }
    }

    @Test func configurationValidatesNewFields() {
        var faults = MockJobServer.FaultConfiguration()
        faults.error503 = .nan
        let cases: [(MockJobServer.Configuration, String)] = [
            (.init(maxWait: .seconds(-1)), "max_wait"),
            (.init(faults: faults), "faults.error_503"),
            (.init(maxJobs: 0), "max_jobs"),
            (.init(finishedJobTTL: .seconds(-1)), "finished_job_ttl"),
        ]
        for (configuration, field) in cases {
            #expect(throws: MockJobServerError.self) { try configuration.validate() }
            do { try configuration.validate() } catch { #expect(error.field == field) }
        }
    }

    @Test(arguments: [(784_111_777.0, "Sun, 06 Nov 1994 08:49:37 GMT"), (784_111_776.2, "Sun, 06 Nov 1994 08:49:37 GMT"),
                      (-1.0, "Wed, 31 Dec 1969 23:59:59 GMT"), (1_795_966_247.0, "Sun, 29 Nov 2026 15:30:47 GMT")])
    func httpDateIsIMFFixdateRoundedUp(seconds: Double, expected: String) {
        #expect(HTTPDate.string(from: Date(timeIntervalSince1970: seconds)) == expected)
    }

    /// Retry-After as an HTTP-date: wall clock (…:43.123456) + 3 s, rounded up to :47.
    @Test func retryAfterAsHTTPDate() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(retryAfter: 3, retryAfterFormat: .httpDate),
                                                        timeSource: time.source)
        try await withServer(configuration) { client in
            let id = try await postJob(client, #"{"base_delay": 5, "var_delay": 0}"#).id
            #expect(try await get(client, "/jobs/\(id)").headers[.retryAfter] == "Sun, 29 Nov 2026 15:30:47 GMT")
        }
    }
}
