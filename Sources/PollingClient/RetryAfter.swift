import Foundation

/// Parsing of the `Retry-After` header (RFC 9110 §10.2.3).
public enum RetryAfter {
    /// The delay a `Retry-After` value asks for, in seconds from `now`.
    ///
    /// Accepts delay-seconds (`1*DIGIT`) and an HTTP-date in IMF-fixdate form
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`); a date in the past gives 0. Anything else (negative
    /// numbers, fractions, other date forms, garbage) is invalid and gives `nil`: it must be
    /// ignored, not guessed at.
    /// - Parameters:
    ///   - value: the header value.
    ///   - now: the receive instant on the wall clock, for HTTP-dates.
    /// - Returns: seconds ≥ 0, or `nil` when invalid.
    public static func seconds(from value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Double(trimmed) ?? .greatestFiniteMagnitude
        }
        guard let date = imfFixdate(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Parses an IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func imfFixdate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard text.count == 29, let date = formatter.date(from: text) else { return nil }
        return date
    }
}
