import PollingClient
import Testing

/// Issue 10, item 20 (its first part): the create response's `Location` names the status
/// monitor, relative or absolute, resolved against the request URI `baseURL/jobs`.
@Suite struct LocationTests {
    @Test func locationsResolveAgainstTheCreateRequest() {
        let base = "http://127.0.0.1:8080"
        #expect(JobClient.statusURL(location: "/jobs/j1", baseURL: base) == "http://127.0.0.1:8080/jobs/j1")
        #expect(JobClient.statusURL(location: "/v2/operations/abc?x=1", baseURL: base) == "http://127.0.0.1:8080/v2/operations/abc?x=1")
        #expect(JobClient.statusURL(location: "ops/7", baseURL: base) == "http://127.0.0.1:8080/ops/7")
        #expect(JobClient.statusURL(location: "http://other:9/op/1", baseURL: base) == "http://other:9/op/1")
        #expect(JobClient.statusURL(location: "ftp://other/op", baseURL: base) == nil)
    }
}
