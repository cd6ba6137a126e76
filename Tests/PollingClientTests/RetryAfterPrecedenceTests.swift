import NIOHTTP1
import PollingClient
import Testing

/// Issue 10, item 4: which `Retry-After` wins when a response carries two (documented on
/// `JobClient.retryAfter(_:)`): the first field line, and an invalid first line means no hint.
@Suite struct RetryAfterPrecedenceTests {
    @Test func theFirstFieldLineWins() {
        #expect(JobClient.retryAfter(HTTPHeaders([("Retry-After", "1"), ("Retry-After", "7")])) == .seconds(1))
        #expect(JobClient.retryAfter(HTTPHeaders([("Retry-After", "soon"), ("Retry-After", "7")])) == nil)
        #expect(JobClient.retryAfter(HTTPHeaders([("Retry-After", "1, 7")])) == nil)
        #expect(JobClient.retryAfter(HTTPHeaders([("Retry-After", "99999999999")])) == .seconds(99_999_999_999))
        #expect(JobClient.retryAfter(HTTPHeaders()) == nil)
    }
}
