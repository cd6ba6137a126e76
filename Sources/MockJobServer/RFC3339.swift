import Foundation

/// RFC 3339 timestamps in UTC with microsecond precision, e.g. `2026-11-29T15:20:43.123456Z`.
///
/// Formatted by hand (days-from-civil algorithm of Howard Hinnant, "chrono-Compatible Low-Level
/// Date Algorithms") so that it is thread-safe, locale-free and exact to the microsecond.
public enum RFC3339 {
    /// Formats `date` in UTC, rounded to the nearest microsecond.
    /// - Parameter date: The instant to format.
    /// - Returns: A string of the form `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public static func string(from date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (secs, frac) = floorDivMod(micros, 1_000_000)
        let (days, secOfDay) = floorDivMod(secs, 86_400)
        let (year, month, day) = civil(fromDays: days)
        let hour = secOfDay / 3600, minute = secOfDay % 3600 / 60, second = secOfDay % 60
        if (0...9999).contains(year) {
            // One allocation (27 ASCII bytes) instead of a chain of concatenations.
            return String(unsafeUninitializedCapacity: 27) { out in
                var at = 0
                func put(_ value: Int64, _ width: Int) {
                    var rest = value
                    for place in stride(from: at + width - 1, through: at, by: -1) {
                        out[place] = UInt8(ascii: "0") + UInt8(rest % 10)
                        rest /= 10
                    }
                    at += width
                }
                func put(_ ascii: Unicode.Scalar) { out[at] = UInt8(ascii: ascii); at += 1 }
                put(year, 4); put("-"); put(month, 2); put("-"); put(day, 2); put("T")
                put(hour, 2); put(":"); put(minute, 2); put(":"); put(second, 2); put("."); put(frac, 6); put("Z")
                return at
            }
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(hour, 2) + ":"
            + pad(minute, 2) + ":" + pad(second, 2) + "." + pad(frac, 6) + "Z"
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    /// (year, month 1–12, day 1–31) of the day `days` after 1970-01-01 (proleptic Gregorian).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
