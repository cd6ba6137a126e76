import PollingClient
import Testing

/// `ServerSentEventParser` on hand-written streams, each expectation from the WHATWG rules
/// ("Server-sent events" §9.2.6 "Interpreting an event stream").
@Suite struct ServerSentEventParserTests {
    typealias Event = ServerSentEventParser.Event

    func parse(_ chunks: [String]) -> [Event] {
        var parser = ServerSentEventParser()
        return chunks.flatMap { parser.feed(Array($0.utf8)) }
    }

    @Test func theServersStatusEvents() {
        let stream = "event: status\nid: 1\ndata: {\"id\":\"j1\",\"status\":\"pending\"}\n\n: heartbeat\n\n"
            + "event: status\nid: 2\ndata: {\"id\":\"j1\",\"status\":\"completed\"}\n\n"
        #expect(parse([stream]) == [
            Event(type: "status", data: #"{"id":"j1","status":"pending"}"#, id: "1"),
            Event(type: "status", data: #"{"id":"j1","status":"completed"}"#, id: "2"),
        ])
    }

    /// Every split of the stream into two chunks gives the same events (incremental parsing),
    /// including a CR LF split between its CR and its LF.
    @Test func chunkBoundariesDoNotMatter() {
        let stream = "event: status\r\nid: 7\r\ndata: a\r\n\r\ndata: b\r\rdata:c\n\n"
        let whole = parse([stream])
        #expect(whole == [Event(type: "status", data: "a", id: "7"), Event(type: "message", data: "b", id: "7"),
                          Event(type: "message", data: "c", id: "7")])
        let bytes = Array(stream.utf8)
        for cut in 1..<bytes.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(events == whole, "cut at \(cut)")
        }
    }

    @Test func dataLinesJoinAndEmptyDataDispatchesNothing() {
        #expect(parse(["data: one\ndata: two\ndata\n\n"]) == [Event(type: "message", data: "one\ntwo\n", id: nil)])
        #expect(parse(["event: status\n\n", "id: 3\n\n", "data: x\n\n"]) == [Event(type: "message", data: "x", id: "3")])
        #expect(parse(["data: unterminated"]).isEmpty)  // no blank line yet: not dispatched
    }

    @Test func onlyOneLeadingSpaceIsDroppedAndUnknownFieldsAreIgnored() {
        #expect(parse(["data:  two spaces\nretry: 100\nfoo: bar\n\n"]) == [Event(type: "message", data: " two spaces", id: nil)])
    }

    @Test func anIDWithNULIsIgnored() {
        var parser = ServerSentEventParser()
        _ = parser.feed(Array("id: 1\ndata: a\n\nid: 2\u{0}x\ndata: b\n\n".utf8))
        #expect(parser.lastEventID == "1")
    }
}
