import Foundation
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

@Suite struct ValidationTests {
    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: String
        var code: String
        var field: String?
        var testDescription: String { body }
    }

    static let postJobsCases: [BadBody] = [
        BadBody(body: #"{"base_delay": 1,"#, code: "bad_json", field: nil),
        BadBody(body: "", code: "bad_json", field: nil),
        BadBody(body: "[1, 2]", code: "bad_json", field: nil),
        BadBody(body: "null", code: "bad_json", field: nil),
        BadBody(body: #"{"var_delay": 1}"#, code: "missing_field", field: "base_delay"),
        BadBody(body: #"{"base_delay": 1}"#, code: "missing_field", field: "var_delay"),
        BadBody(body: #"{"base_delay": "1", "var_delay": 1}"#, code: "invalid_field", field: "base_delay"),
        BadBody(body: #"{"base_delay": null, "var_delay": 1}"#, code: "invalid_field", field: "base_delay"),
        BadBody(body: #"{"base_delay": -0.5, "var_delay": 1}"#, code: "invalid_field", field: "base_delay"),
        BadBody(body: #"{"base_delay": 1, "var_delay": -1}"#, code: "invalid_field", field: "var_delay"),
        BadBody(body: #"{"base_delay": 1e999, "var_delay": 1}"#, code: "invalid_field", field: "base_delay"),
        BadBody(body: #"{"base_delay": 1, "var_delay": -1e999}"#, code: "invalid_field", field: "var_delay"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "success_rate": 1.01}"#, code: "invalid_field", field: "success_rate"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "success_rate": -0.1}"#, code: "invalid_field", field: "success_rate"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "success_rate": true}"#, code: "invalid_field", field: "success_rate"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "duration_model": "gaussian"}"#, code: "invalid_field", field: "duration_model"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "seed": -1}"#, code: "invalid_field", field: "seed"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "seed": 0.5}"#, code: "invalid_field", field: "seed"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "seed": 18446744073709551616}"#, code: "invalid_field", field: "seed"),
        BadBody(body: #"{"base_delay": 1, "var_delay": 1, "seed": "7"}"#, code: "invalid_field", field: "seed"),
    ]

    @Test(arguments: postJobsCases)
    func postJobsRejectsWith400NamingTheField(_ bad: BadBody) async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/jobs", method: .post, body: json(bad.body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.code == bad.code)
            #expect(error.field == bad.field)
            if let field = bad.field { #expect(error.message.contains(field)) }
            // Nothing was created.
            let status = try await client.execute(uri: "/jobs/j1", method: .get)
            #expect(status.status == .notFound)
        }
    }

    static let seedRequestCases: [BadBody] = [
        BadBody(body: "{", code: "bad_json", field: nil),
        BadBody(body: #"{"base_delay": "x"}"#, code: "invalid_field", field: "base_delay"),
        BadBody(body: #"{"var_delay": -2}"#, code: "invalid_field", field: "var_delay"),
        BadBody(body: #"{"success_rate": 2}"#, code: "invalid_field", field: "success_rate"),
        BadBody(body: #"{"success_rate": 1e999}"#, code: "invalid_field", field: "success_rate"),
    ]

    @Test(arguments: seedRequestCases)
    func seedRequestRejectsWith400NamingTheField(_ bad: BadBody) async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/request", method: .post, body: json(bad.body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response).error
            #expect(error.code == bad.code)
            #expect(error.field == bad.field)
        }
    }

    @Test func oversizedBodyGets413() async throws {
        try await withServer(.init(port: 0, maxBodySize: 16)) { client in
            let response = try await client.execute(uri: "/jobs", method: .post,
                                                    body: json(#"{"base_delay": 1, "var_delay": 1}"#))
            #expect(response.status == .contentTooLarge)
            #expect(try decode(ErrorResponse.self, response).error.code == "body_too_large")
        }
    }

    @Test func configurationValidationNamesTheField() {
        #expect(throws: MockJobServerError.invalidConfiguration("port", "must be in 0...65535 (0 = ephemeral), got 70000")) {
            try MockJobServer.Configuration(port: 70000).validate()
        }
        do {
            _ = try MockJobServer(configuration: .init(defaultParameters: JobParameters(successRate: 2)))
            Issue.record("expected invalid_configuration")
        } catch {
            #expect(error.code == "invalid_configuration")
            #expect(error.field == "default_parameters.success_rate")
        }
    }
}
