import Foundation
import Hummingbird
import NIOCore
import PollingCore

extension JobRoutes {
    /// `Last-Event-ID` (the WHATWG HTML standard, "Server-sent events" §9.2).
    static let lastEventIDHeader = HTTPFields.Element.Name("Last-Event-ID")!

    /// The event id of the `pending` event of a job's stream; the final status is `finalEventID`.
    static let pendingEventID = 1
    /// The event id of the final `status` event.
    static let finalEventID = 2

    /// `GET /jobs/{id}/events` → `200 text/event-stream`: the job's status changes as server-sent
    /// events, then the stream ends. Each event is `event: status`, `id: N` and `data:` the
    /// `GET /jobs/{id}` body on one line; `id` 1 is the `pending` status (sent when the job is
    /// pending at subscription), `id` 2 the final one (`completed`, `error` or `cancelled`). A
    /// client resuming with `Last-Event-ID: 1` gets only the final event. While the job is
    /// pending the server writes a comment line (`: heartbeat`) every `sseHeartbeat`; a
    /// cancellation reaches an open stream at the next heartbeat or at the job's planned end,
    /// whichever is first.
    ///
    /// The subscription is a status request: it passes the server's capacity like
    /// `GET /jobs/{id}` (429 / 503 before the stream starts) and is counted in `LoadCounts`;
    /// the stream's open time is counted in `PushCounts`. Before the stream starts: 404
    /// `not_found` (JSON) for an unknown id, 410 `job_expired`. Faults are not injected here.
    func jobEvents(_ id: String, request: Request) async throws -> Response {
        try await admitStatusRequest(request)
        let first: JobRecord
        switch jobs.lookup(id: id) {
        case .found(let record, _): first = record
        case .expired: throw MockJobServerError.expired(id)
        case .unknown: throw MockJobServerError.notFound(id)
        }
        let lastID = request.headers[Self.lastEventIDHeader].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        let resumed = request.headers[Self.lastEventIDHeader] != nil
        let (jobs, time, push, heartbeat) = (self.jobs, configuration.timeSource, self.push, configuration.sseHeartbeat)
        let body = ResponseBody { writer in
            let opened = push.streamOpened(resumed: resumed)
            defer { push.streamClosed(opened: opened) }
            var sent = lastID
            var record = first
            while true {
                let now = time.monotonic()
                let status = record.statusResponse(at: now)
                if !status.status.isFinal, sent < Self.pendingEventID {
                    try await writer.write(Self.event(status, id: Self.pendingEventID))
                    sent = Self.pendingEventID
                }
                if status.status.isFinal {
                    if sent < Self.finalEventID { try await writer.write(Self.event(status, id: Self.finalEventID)) }
                    break
                }
                let wake = min(record.finishInstant, now + heartbeat)
                try await time.sleepUntil(wake)
                record = jobs.job(id: id) ?? record
                if time.monotonic() < record.finishInstant, record.status(at: time.monotonic()) == .pending {
                    try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// One `status` event: `event: status\nid: N\ndata: {…}\n\n`.
    static func event(_ status: JobStatusResponse, id: Int) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: status\nid: \(id)\ndata: ")
        var json = StatusBody.encode(status) ?? ByteBuffer(string: #"{"id":"\#(status.id)","status":"\#(status.status.rawValue)"}"#)
        buffer.writeBuffer(&json)
        buffer.writeString("\n\n")
        return buffer
    }
}
