import Foundation
import Hummingbird
@testable import MockJobServer
import NIOCore
import PollingCore
import Testing

/// The hand-written `GET /jobs/{id}` body encoder: exact bytes (written out by hand), RFC 8259
/// escaping, and agreement with `JSONEncoder` (`.sortedKeys`), which it replaces on the hot path.
@Suite struct StatusBodyTests {
    private func text(_ body: JobStatusResponse) -> String? {
        StatusBody.encode(body).map { String(buffer: $0) }
    }

    private func viaJSONEncoder(_ body: JobStatusResponse) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }

    @Test func pendingBody() {
        #expect(text(JobStatusResponse(id: "j1", status: .pending)) == #"{"id":"j1","status":"pending"}"#)
    }

    @Test func pendingBodyWithETA() {
        #expect(text(JobStatusResponse(id: "j7", status: .pending, eta: 12.5)) == #"{"eta":12.5,"id":"j7","status":"pending"}"#)
        #expect(text(JobStatusResponse(id: "j7", status: .pending, eta: 3600)) == #"{"eta":3600,"id":"j7","status":"pending"}"#)
    }

    @Test func finalBodies() {
        let completed = JobStatusResponse(id: "j2", status: .completed, createdAt: "2026-11-29T15:30:43.123456Z",
                                          finishedAt: "2026-11-29T15:30:45.623456Z", runTime: 2.5)
        #expect(text(completed) == #"{"created_at":"2026-11-29T15:30:43.123456Z","finished_at":"2026-11-29T15:30:45.623456Z","id":"j2","run_time":2.5,"status":"completed"}"#)
        let failed = JobStatusResponse(id: "j3", status: .error, createdAt: "1970-01-01T00:00:00.000000Z",
                                       finishedAt: "1970-01-01T00:00:00.000000Z", runTime: 0)
        #expect(text(failed) == #"{"created_at":"1970-01-01T00:00:00.000000Z","finished_at":"1970-01-01T00:00:00.000000Z","id":"j3","run_time":0,"status":"error"}"#)
    }

    @Test(arguments: [
        (0.1, "0.1"), (2.0, "2"), (-0.0, "-0"), (1e-05, "1e-05"), (1e16, "1e+16"),
        (123_456_789.125, "123456789.125"), (1.25e-7, "1.25e-07"),
    ])
    func numbersAsJSONEncoderWritesThem(value: Double, expected: String) throws {
        #expect(text(JobStatusResponse(id: "j1", status: .error, runTime: value))
            == #"{"id":"j1","run_time":\#(expected),"status":"error"}"#)
    }

    @Test func escapesStringsPerRFC8259() {
        // Quote, backslash, solidus (escaped as JSONEncoder does), the named control escapes,
        // two unnamed control characters, and a non-ASCII character left as UTF-8.
        let id = "a\"b\\c/d\u{08}\u{0C}\n\r\t\u{00}\u{1F}é"
        #expect(text(JobStatusResponse(id: id, status: .pending))
            == #"{"id":"a\"b\\c\/d\b\f\n\r\t\u0000\u001fé","status":"pending"}"#)
        #expect(text(JobStatusResponse(id: "", status: .pending)) == #"{"id":"","status":"pending"}"#)
        #expect(text(JobStatusResponse(id: "\"", status: .pending)) == #"{"id":"\"","status":"pending"}"#)
    }

    @Test func nonFiniteNumbersAreRefused() {
        #expect(StatusBody.encode(JobStatusResponse(id: "j1", status: .pending, eta: .nan)) == nil)
        #expect(StatusBody.encode(JobStatusResponse(id: "j1", status: .completed, runTime: .infinity)) == nil)
        let response = JSONResponse.make(status: .ok, body: JobStatusResponse(id: "j1", status: .pending, eta: -.infinity))
        #expect(response.status == .internalServerError)
    }

    @Test func sameBytesAsJSONEncoderAndDecodesBack() throws {
        let ids = ["j1", "j10000", "x/y", "tab\there", "quote\"back\\slash", "\u{01}\u{7F}ü€😀", ""]
        let numbers: [Double?] = [nil, 0, 0.5, 1, 3599.999_999, 1e-9, 4.4e21, 1.0 / 3.0]
        var checked = 0
        for id in ids {
            for status in JobStatus.allCases {
                for (index, number) in numbers.enumerated() {
                    let stamps = index % 2 == 0 ? ("2026-01-02T03:04:05.000006Z", "2026-01-02T03:04:06.000006Z") : nil
                    let body = JobStatusResponse(id: id, status: status, createdAt: stamps?.0, finishedAt: stamps?.1,
                                                 runTime: number, eta: numbers[(index + 3) % numbers.count])
                    let mine = try #require(text(body))
                    #expect(mine == (try viaJSONEncoder(body)))
                    #expect(try JSONDecoder().decode(JobStatusResponse.self, from: Data(mine.utf8)) == body)
                    checked += 1
                }
            }
        }
        #expect(checked == 7 * 4 * 8)  // ids × statuses (pending, completed, error, cancelled) × numbers
        for progress in [JobProgress(done: 0, total: 1), JobProgress(done: 3, total: 64)] {
            let body = JobStatusResponse(id: "j1", status: .pending, eta: 0.3, progress: progress)
            let mine = try #require(text(body))
            #expect(mine == (try viaJSONEncoder(body)))
            #expect(try JSONDecoder().decode(JobStatusResponse.self, from: Data(mine.utf8)) == body)
        }
    }

    /// The same fields in the same order as the generic path: extra headers, then the content type
    /// (the length of `{"id":"j1","status":"pending"}` is 30 bytes).
    @Test func responseHeadersAsBefore() {
        let plain = JSONResponse.make(status: .ok, body: JobStatusResponse(id: "j1", status: .pending))
        #expect(plain.headers.map { "\($0.name): \($0.value)" } == ["Content-Type: application/json; charset=utf-8", "Content-Length: 30"])
        let hinted = JSONResponse.make(status: .ok, headers: [.retryAfter: "2"], body: JobStatusResponse(id: "j1", status: .pending))
        #expect(hinted.headers.map { "\($0.name): \($0.value)" }
            == ["Retry-After: 2", "Content-Type: application/json; charset=utf-8", "Content-Length: 30"])
    }
}
