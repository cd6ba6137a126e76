import Foundation
import Hummingbird
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// 12 000 seeded random or malformed requests: never a 5xx, every rejection a 4xx with a JSON
/// `ErrorResponse` body.
@Suite struct FuzzTests {
    static let fragments = [
        #"{"#, #"}"#, #"["#, #"]"#, #"""#, ":", ",", "null", "true", "-", "1e999", "-1", "0", "0.5", "NaN",
        #""base_delay""#, #""var_delay""#, #""success_rate""#, #""seed""#, #""faults""#, #""duration_model""#,
        #""503""#, #""hang""#, #""status""#, #""retry_after""#, #""delay_ms""#, "18446744073709551616", "\u{0}", "é",
        #"{"status": 700}"#, #"["ok", "reset"]"#, " ", "\n",
    ]

    static let paths = [
        "/jobs", "/jobs/", "/jobs/j1", "/jobs/j0", "/jobs/j01", "/jobs/j-1", "/jobs/jj", "/jobs/%00", "/jobs/j1?wait=",
        "/jobs/j1?wait=-3", "/jobs/j1?wait=nan", "/jobs/j1?wait=0&wait=x", "/jobs/j99999999999999999999999",
        "/request", "/status", "/health", "/", "/jobs/j1/extra", "/%zz", "/jobs?x=1",
    ]

    @Test func randomRequestsNeverGiveA5xx() async throws {
        try await withServer(.init(port: 0, maxBodySize: 4096, maxWait: .zero, maxJobs: 5000)) { client in
            // A valid job first, so that some GETs find it.
            _ = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#)
            var rng = SeededGenerator(seed: 2024)
            for round in 0..<12_000 {
                let (method, uri, body) = Self.request(round, using: &rng)
                let response = try await client.execute(uri: uri, method: method, body: body.map { ByteBuffer(string: $0) })
                let code = response.status.code
                #expect(code < 500, "\(method) \(uri) \(body ?? "") → \(code)")
                if code >= 400 {
                    let error = try? decode(ErrorResponse.self, response)
                    #expect(error != nil && !(error?.error.code.isEmpty ?? true), "\(method) \(uri) \(body ?? "") → \(code) \(String(buffer: response.body))")
                }
                if code >= 500 { break }
            }
        }
    }

    private static func request(_ round: Int, using rng: inout SeededGenerator) -> (HTTPRequest.Method, String, String?) {
        let methods: [HTTPRequest.Method] = [.get, .post, .post, .put, .delete]
        let method = methods[Int(rng.next() % UInt64(methods.count))]
        let path = paths[Int(rng.next() % UInt64(paths.count))]
        guard method != .get else { return (method, path, nil) }
        switch rng.next() % 4 {
        case 0:  // random fragments
            let count = Int(rng.next() % 12)
            return (method, path, (0..<count).map { _ in fragments[Int(rng.next() % UInt64(fragments.count))] }.joined())
        case 1:  // random bytes
            let count = Int(rng.next() % 64)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return (method, path, String(decoding: bytes, as: UTF8.self))
        case 2:  // a valid body with one mutated value
            let values = ["-1", "1e999", "null", #""x""#, "0.5", "2", "[]", "{}", #"["503"]"#, #"[{"delay_ms": -1}]"#, "18446744073709551615"]
            let keys = ["base_delay", "var_delay", "success_rate", "seed", "faults", "duration_model"]
            let key = keys[Int(rng.next() % UInt64(keys.count))]
            let value = values[Int(rng.next() % UInt64(values.count))]
            var fields = [#""base_delay": 0"#, #""var_delay": 0"#]
            fields.append(#""\#(key)": \#(value)"#)
            return (method, "/jobs", "{" + fields.joined(separator: ", ") + "}")
        default:  // an oversized body
            return (method, path, String(repeating: "x", count: 4097 + Int(rng.next() % 100)))
        }
    }
}
