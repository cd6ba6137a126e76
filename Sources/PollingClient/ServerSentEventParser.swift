/// An incremental parser of a `text/event-stream` body (the WHATWG HTML standard,
/// "Server-sent events" §9.2.5–9.2.6): feed it the body's bytes chunk by chunk, in order, and
/// it returns each event as soon as the blank line that ends it arrives.
///
/// Lines end with CR LF, LF or CR (a CR LF split across chunks counts once). A line starting
/// with `:` is a comment (heartbeats) and is ignored; otherwise `field: value` (one space after
/// the colon is dropped; a line without a colon is a field with an empty value). Fields: `event`
/// (the type, default `message`), `data` (lines joined with LF), `id` (the last event id, kept
/// across events, ignored when it contains NUL), `retry` and unknown fields ignored. A blank
/// line dispatches the event unless its data is empty. Text is decoded as UTF-8 (invalid bytes
/// become U+FFFD).
public struct ServerSentEventParser: Sendable {
    /// One dispatched event.
    public struct Event: Sendable, Hashable {
        /// The `event` field, or `message` when absent.
        public var type: String
        /// The `data` lines joined with LF.
        public var data: String
        /// The last event id at dispatch (from this event or an earlier one), if any.
        public var id: String?

        public init(type: String, data: String, id: String?) {
            self.type = type
            self.data = data
            self.id = id
        }
    }

    private var line: [UInt8] = []
    private var afterCR = false
    private var type = ""
    private var data = ""
    private var hasData = false
    /// The last event id seen (`Last-Event-ID` for a reconnection).
    public private(set) var lastEventID: String?

    public init() {}

    /// Parses `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                afterCR = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring, value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            var rest = text[text.index(after: colon)...]
            if rest.first == " " { rest = rest.dropFirst() }
            value = rest
        } else {
            (field, value) = (text[...], "")
        }
        switch field {
        case "event": type = String(value)
        case "data":
            if hasData { data += "\n" }
            data += value
            hasData = true
        case "id" where !value.contains("\0"): lastEventID = String(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> Event? {
        defer {
            type = ""
            data = ""
            hasData = false
        }
        guard hasData else { return nil }
        return Event(type: type.isEmpty ? "message" : type, data: data, id: lastEventID)
    }
}
