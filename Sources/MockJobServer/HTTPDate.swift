import Foundation

/// HTTP-dates in the preferred IMF-fixdate form of RFC 9110 §5.6.7, e.g.
/// `Sun, 06 Nov 1994 08:49:37 GMT` (always GMT, whole seconds).
///
/// Formatted by hand with `RFC3339`'s civil-date arithmetic: thread-safe and locale-free.
public enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats `date`, rounded *up* to the next whole second (so that a `Retry-After` date is
    /// never earlier than intended).
    /// - Parameter date: The instant to format.
    /// - Returns: A string like `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func string(from date: Date) -> String {
        let secs = Int64(date.timeIntervalSince1970.rounded(.up))
        let (days, secOfDay) = RFC3339.floorDivMod(secs, 86_400)
        let (year, month, day) = RFC3339.civil(fromDays: days)
        let weekday = weekdays[Int(RFC3339.floorDivMod(days, 7).1)]
        let hour = secOfDay / 3600, minute = secOfDay % 3600 / 60, second = secOfDay % 60
        return "\(weekday), \(RFC3339.pad(day, 2)) \(months[Int(month) - 1]) \(RFC3339.pad(year, 4)) "
            + "\(RFC3339.pad(hour, 2)):\(RFC3339.pad(minute, 2)):\(RFC3339.pad(second, 2)) GMT"
    }
}
