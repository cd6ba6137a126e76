import PollingClient
import Testing

/// Issue 10, item 21: a job id is escaped as exactly one path segment.
@Suite struct PathSegmentTests {
    @Test func idsWithSlashesOrDotSegmentsStayOneSegment() {
        #expect(JobClient.pathSegment("j1") == "j1")
        #expect(JobClient.pathSegment("a/b") == "a%2Fb")          // was "a/b": another path
        #expect(JobClient.pathSegment("..") == "%2E%2E")           // was "..": the parent path
        #expect(JobClient.pathSegment(".") == "%2E")
        #expect(JobClient.pathSegment("../health") == "..%2Fhealth")
        #expect(JobClient.pathSegment("x?wait=1#f") == "x%3Fwait%3D1%23f")
        #expect(JobClient.pathSegment("50%") == "50%25")
        #expect(JobClient.pathSegment("é") == "%C3%A9")
    }
}
