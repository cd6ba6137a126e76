import Foundation

/// Wall-clock timestamps as stored in the database: RFC 3339, UTC, millisecond precision
/// (`2025-01-31T12:00:00.123Z`), so that stored values also sort as text.
enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// Formats a date for storage.
    static func format(_ date: Date) -> String {
        style.format(date)
    }

    /// Parses a stored timestamp; `nil` when it is not in the stored format.
    static func parse(_ text: String) -> Date? {
        try? style.parse(text)
    }
}
