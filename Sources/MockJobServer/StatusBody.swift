import Hummingbird
import NIOCore
import PollingCore

/// The `GET /jobs/{id}` body (`JobStatusResponse`) written straight into a `ByteBuffer`: the
/// server's hot path, without Foundation's `JSONEncoder` (which cost about 9 % of the mock
/// server's CPU under `scripts/bench.sh server`).
///
/// The output is byte for byte what `JSONEncoder` with `.sortedKeys` produces for the same value:
/// keys in UTF-8 order (`created_at`, `eta`, `finished_at`, `id`, `progress` (`done`, `total`),
/// `run_time`, `status`), absent
/// optionals left out, no whitespace; strings escaped as RFC 8259 §7 requires (`"`, `\`, and the
/// control characters U+0000–U+001F: `\b \f \n \r \t` by name, the others as `\u00xx` with
/// lower-case hex) plus `/` as `\/`, as `JSONEncoder` does by default; other characters as their
/// UTF-8 bytes; numbers as Swift's shortest round-trip `description` with a trailing `.0` cut
/// (`3600.0` → `3600`, `0.25` → `0.25`, `1e-05` stays `1e-05`), as `JSONEncoder` does.
enum StatusBody {
    /// `body` as JSON, or `nil` when a number in it is not finite (JSON has no NaN or infinity;
    /// `JSONEncoder` refuses those too).
    /// - Parameter body: The status body.
    /// - Returns: The encoded bytes.
    static func encode(_ body: JobStatusResponse) -> ByteBuffer? {
        if let eta = body.eta, !eta.isFinite { return nil }
        if let runTime = body.runTime, !runTime.isFinite { return nil }
        var buffer = allocator.buffer(capacity: 64 + (body.createdAt == nil ? 0 : 128) + body.id.utf8.count)
        buffer.writeStaticString("{")
        if let createdAt = body.createdAt {
            buffer.writeStaticString(#""created_at":"#)
            writeString(createdAt, into: &buffer)
            buffer.writeStaticString(",")
        }
        if let eta = body.eta {
            buffer.writeStaticString(#""eta":"#)
            writeNumber(eta, into: &buffer)
            buffer.writeStaticString(",")
        }
        if let finishedAt = body.finishedAt {
            buffer.writeStaticString(#""finished_at":"#)
            writeString(finishedAt, into: &buffer)
            buffer.writeStaticString(",")
        }
        buffer.writeStaticString(#""id":"#)
        writeString(body.id, into: &buffer)
        if let progress = body.progress {
            buffer.writeStaticString(#","progress":{"done":"#)
            buffer.writeString(String(progress.done))
            buffer.writeStaticString(#","total":"#)
            buffer.writeString(String(progress.total))
            buffer.writeStaticString("}")
        }
        if let runTime = body.runTime {
            buffer.writeStaticString(#","run_time":"#)
            writeNumber(runTime, into: &buffer)
        }
        switch body.status {
        case .pending: buffer.writeStaticString(#","status":"pending"}"#)
        case .completed: buffer.writeStaticString(#","status":"completed"}"#)
        case .error: buffer.writeStaticString(#","status":"error"}"#)
        case .cancelled: buffer.writeStaticString(#","status":"cancelled"}"#)
        }
        return buffer
    }

    private static let allocator = ByteBufferAllocator()

    /// Writes `value` as a JSON string literal (quotes included), escaped as described above.
    static func writeString(_ value: String, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("\"")
        var text = value
        text.withUTF8 { bytes in
            var start = 0  // first byte not yet written
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x2F {
                if index > start { buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index]))) }
                writeEscape(byte, into: &buffer)
                start = index + 1
            }
            if bytes.count > start { buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...]))) }
        }
        buffer.writeStaticString("\"")
    }

    /// The escape sequence of one byte that may not appear raw (or, for `/`, that `JSONEncoder`
    /// escapes).
    private static func writeEscape(_ byte: UInt8, into buffer: inout ByteBuffer) {
        switch byte {
        case 0x22: buffer.writeStaticString(#"\""#)
        case 0x5C: buffer.writeStaticString(#"\\"#)
        case 0x2F: buffer.writeStaticString(#"\/"#)
        case 0x08: buffer.writeStaticString(#"\b"#)
        case 0x0C: buffer.writeStaticString(#"\f"#)
        case 0x0A: buffer.writeStaticString(#"\n"#)
        case 0x0D: buffer.writeStaticString(#"\r"#)
        case 0x09: buffer.writeStaticString(#"\t"#)
        default:
            let hex: StaticString = "0123456789abcdef"
            buffer.writeStaticString(#"\u00"#)
            buffer.writeInteger(hex.utf8Start[Int(byte >> 4)])
            buffer.writeInteger(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Writes a finite `value` as `JSONEncoder` does: `description` without a trailing `.0`.
    static func writeNumber(_ value: Double, into buffer: inout ByteBuffer) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        buffer.writeString(text)
    }
}
