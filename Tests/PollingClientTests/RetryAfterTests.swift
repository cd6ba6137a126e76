import Foundation
import PollingClient
import Testing

@Suite struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT

    @Test func delaySecondsAreAccepted() {
        #expect(RetryAfter.seconds(from: "120", now: now) == 120)
        #expect(RetryAfter.seconds(from: " 0 ", now: now) == 0)
    }

    @Test func httpDateIsRelativeToNowAndNeverNegative() {
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:49:47 GMT", now: now) == 10)
        #expect(RetryAfter.seconds(from: "Sun, 06 Nov 1994 08:49:27 GMT", now: now) == 0)
    }

    @Test(arguments: ["-1", "1.5", "abc", "", "Sunday, 06-Nov-94 08:49:37 GMT", "06 Nov 1994"])
    func invalidValuesAreIgnored(value: String) {
        #expect(RetryAfter.seconds(from: value, now: now) == nil)
    }
}
