import Foundation
import Hummingbird
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// The server's real responses, one or more per documented operation and status, checked
/// against `openapi.yaml` (status documented, required headers, body schema).
@Suite struct OpenAPITests {
    struct Call: Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var template: String
        var body: String?
        var expected: Int
    }

    @Test func everyDocumentedOperationIsCovered() throws {
        let validator = try OpenAPIValidator()
        #expect(validator.operations == ["/jobs": ["post"], "/jobs/{id}": ["delete", "get"], "/jobs/{id}/events": ["get"], "/request": ["post"],
                                         "/status": ["get"], "/health": ["get"], "/stats": ["get"]])
    }

    @Test func realResponsesMatchTheDocument() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, hints: .init(retryAfter: 1, eta: true),
                                                        maxBodySize: 512, timeSource: time.source, maxJobs: 6,
                                                        finishedJobTTL: .seconds(10))
        let script = #"["429", {"status": 500, "retry_after": 2}, "502", "503", "504"]"#
        let calls: [Call] = [
            Call(method: .get, uri: "/status", template: "/status", expected: 404),
            Call(method: .get, uri: "/health", template: "/health", expected: 200),
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 5, "var_delay": 0}"#, expected: 202),  // j1
            Call(method: .get, uri: "/jobs/j1", template: "/jobs/{id}", expected: 200),  // pending + Retry-After + eta
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 0, "var_delay": 0, "seed": 3}"#, expected: 202),  // j2
            Call(method: .get, uri: "/jobs/j2?wait=3", template: "/jobs/{id}", expected: 200),  // final
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 0, "var_delay": 0, "faults": \#(script)}"#, expected: 202),  // j3
            Call(method: .get, uri: "/jobs/j3", template: "/jobs/{id}", expected: 429),
            Call(method: .get, uri: "/jobs/j3", template: "/jobs/{id}", expected: 500),
            Call(method: .get, uri: "/jobs/j3", template: "/jobs/{id}", expected: 502),
            Call(method: .get, uri: "/jobs/j3", template: "/jobs/{id}", expected: 503),
            Call(method: .get, uri: "/jobs/j3", template: "/jobs/{id}", expected: 504),
            Call(method: .get, uri: "/jobs/j3?wait=-1", template: "/jobs/{id}", expected: 400),
            Call(method: .get, uri: "/jobs/j77", template: "/jobs/{id}", expected: 404),
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": -1, "var_delay": 0}"#, expected: 400),
            Call(method: .post, uri: "/jobs", template: "/jobs", body: String(repeating: " ", count: 600), expected: 413),
            Call(method: .post, uri: "/request", template: "/request", body: #"{"success_rate": null}"#, expected: 200),  // j4
            Call(method: .post, uri: "/request", template: "/request", body: #"{"var_delay": "x"}"#, expected: 400),
            Call(method: .post, uri: "/request", template: "/request", body: String(repeating: " ", count: 600), expected: 413),
            Call(method: .get, uri: "/status", template: "/status", expected: 200),
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 100, "var_delay": 0}"#, expected: 202),  // j5
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 100, "var_delay": 0}"#, expected: 202),  // j6
            // Full: the finished j2 and j3 make room for j7 and j8, then only pending jobs are held.
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 100, "var_delay": 0}"#, expected: 202),  // j7
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 100, "var_delay": 0}"#, expected: 202),  // j8
            Call(method: .get, uri: "/jobs/j2", template: "/jobs/{id}", expected: 410),
            Call(method: .post, uri: "/jobs", template: "/jobs", body: #"{"base_delay": 0, "var_delay": 0}"#, expected: 503),
            Call(method: .post, uri: "/request", template: "/request", body: "{}", expected: 503),
            Call(method: .delete, uri: "/jobs/j5", template: "/jobs/{id}", expected: 200),  // cancelled
            Call(method: .delete, uri: "/jobs/j5", template: "/jobs/{id}", expected: 200),  // unchanged
            Call(method: .delete, uri: "/jobs/j77", template: "/jobs/{id}", expected: 404),
            Call(method: .get, uri: "/jobs/j5/events", template: "/jobs/{id}/events", expected: 200),  // cancelled: final at once
            Call(method: .get, uri: "/jobs/j77/events", template: "/jobs/{id}/events", expected: 404),
            Call(method: .get, uri: "/stats", template: "/stats", expected: 200),
        ]
        try await withServer(configuration) { client in
            let validator = try OpenAPIValidator()
            for call in calls {
                let response = try await client.execute(uri: call.uri, method: call.method, body: call.body.map { ByteBuffer(string: $0) })
                #expect(Int(response.status.code) == call.expected, "\(call.method) \(call.uri)")
                var headers: [String: String] = [:]
                for field in response.headers { headers[field.name.canonicalName] = field.value }
                let problems = validator.check(method: call.method.rawValue.lowercased(), template: call.template,
                                               status: Int(response.status.code), headers: headers,
                                               body: Data(response.body.readableBytesView))
                #expect(problems.isEmpty, "\(call.method) \(call.uri): \(problems)")
            }
            time.advance(by: .seconds(11))  // j2, j3, j5, j6 expire
            let gone = try await get(client, "/jobs/j2")
            var headers: [String: String] = [:]
            for field in gone.headers { headers[field.name.canonicalName] = field.value }
            #expect(gone.status == .gone)
            #expect(validator.check(method: "get", template: "/jobs/{id}", status: 410, headers: headers,
                                    body: Data(gone.body.readableBytesView)).isEmpty)
        }
    }

    /// The checker itself catches a wrong body (so that an empty problem list means something).
    @Test func validatorRejectsNonConformingBodies() throws {
        let validator = try OpenAPIValidator()
        let json = ["content-type": "application/json"]
        #expect(!validator.check(method: "get", template: "/jobs/{id}", status: 200, headers: json,
                                 body: Data(#"{"id": "j1", "status": "paused"}"#.utf8)).isEmpty)
        #expect(!validator.check(method: "get", template: "/jobs/{id}", status: 200, headers: json,
                                 body: Data(#"{"status": "pending"}"#.utf8)).isEmpty)
        #expect(!validator.check(method: "get", template: "/jobs/{id}", status: 418, headers: json, body: Data("{}".utf8)).isEmpty)
        #expect(!validator.check(method: "post", template: "/jobs", status: 202, headers: json,
                                 body: Data(#"{"id": "j1", "status": "pending"}"#.utf8)).isEmpty)  // no Location
        #expect(validator.check(method: "get", template: "/jobs/{id}", status: 200, headers: json,
                                body: Data(#"{"id": "j1", "status": "completed", "run_time": 1.5}"#.utf8)).isEmpty)
    }
}
