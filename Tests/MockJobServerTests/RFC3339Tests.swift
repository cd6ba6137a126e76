import Foundation
import MockJobServer
import Testing

@Suite struct RFC3339Tests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000000Z"),
        (951_825_600.5, "2000-02-29T12:00:00.500000Z"),
        (1_795_966_243.123456, "2026-11-29T15:30:43.123456Z"),
        (-1.25, "1969-12-31T23:59:58.750000Z"),
        (253_402_300_799.5, "9999-12-31T23:59:59.500000Z"),
        (253_402_300_800, "10000-01-01T00:00:00.000000Z"),  // five-digit year: the slow path
    ])
    func formatsUTCWithMicroseconds(seconds: Double, expected: String) {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: seconds)) == expected)
    }
}
