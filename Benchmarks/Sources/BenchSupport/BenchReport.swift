import Foundation

/// Small helpers shared by the benchmark executables: labelled output lines, machine load,
/// resident memory and timing.
public enum BenchReport {
    /// Writes one line to standard output at once (unbuffered, so a parent script sees it).
    /// - Parameter line: the text, without the trailing newline.
    public static func print(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes one line to standard error.
    /// - Parameter line: the text, without the trailing newline.
    public static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The 1-minute load average from `/proc/loadavg`, e.g. `"1.23"`, or `"?"` when unreadable.
    public static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }

    /// A field of `/proc/self/status` in kibibytes, e.g. `VmHWM` (peak resident set) or `VmRSS`.
    /// - Parameter field: the field name without the colon.
    /// - Returns: the value in KiB, or nil when unreadable (not Linux).
    public static func statusKiB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            return Int(digits)
        }
        return nil
    }

    /// Seconds of `duration` as a Double.
    public static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// Times `body` on the continuous clock, in the caller's isolation.
    /// - Parameters:
    ///   - isolation: the caller's actor (inferred).
    ///   - body: the work to time.
    /// - Returns: the body's result and the elapsed seconds.
    /// - Throws: what `body` throws.
    public static func time<T>(isolation: isolated (any Actor)? = #isolation,
                               _ body: () async throws -> T) async rethrows -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        return (value, seconds(start.duration(to: clock.now)))
    }

    /// `1234567.8` → `"1 234 568"` (thin groups of three, for readable rates).
    public static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0, c != "-" { out.append(" ") }
            out.append(c)
        }
        return String(out.reversed())
    }
}
