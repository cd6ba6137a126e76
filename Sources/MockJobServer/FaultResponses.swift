import Foundation
import Hummingbird
import NIOCore
import PollingCore

/// The wire forms of injected faults (see `ScriptedFault.Kind`).
enum FaultResponses {
    /// `200` with `Content-Type: application/json` and no body.
    static func emptyBody(headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: fields, body: ResponseBody())
    }

    /// `200` with the first half of a JSON body, cut inside a string: `{"id":"j1","sta`.
    static func malformedBody(id: String, headers: HTTPFields) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)","sta"#)))
    }

    /// A status body whose `status` is `paused`, outside `pending|completed|error`.
    struct UnknownStatus: Encodable {
        var id: String
        var status = "paused"
    }

    /// `200` `{"id": …, "status": "paused"}`.
    static func unknownStatus(id: String, headers: HTTPFields) -> Response {
        JSONResponse.make(status: .ok, headers: headers, body: UnknownStatus(id: id))
    }

    /// `200` with `body` encoded as JSON and sent in up to 32 chunks spread evenly over
    /// `total` (first chunk at once, last at `total`), sleeping on `time` between chunks (`Content-Length` is sent, so the client waits
    /// for every byte).
    static func trickle(_ body: some Encodable, headers: HTTPFields, over total: Duration,
                        time: MockJobServer.TimeSource) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = Array((try? encoder.encode(body)) ?? Data("{}".utf8))
        let chunkSize = max(1, (bytes.count + 31) / 32)
        let chunkCount = max(1, (bytes.count + chunkSize - 1) / chunkSize)
        let pause = chunkCount > 1 ? total / (chunkCount - 1) : .zero  // first byte at 0, last at `total`
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: fields, body: ResponseBody(contentLength: bytes.count) { writer in
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + chunkSize)
                try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
                if offset < bytes.count { try await time.sleep(for: pause) }
            }
            try await writer.finish(nil)
        })
    }

    /// Closes `channel` at once with `SO_LINGER` 0, so the peer sees a TCP reset (RST) rather
    /// than a polite close; on a channel without socket options it simply closes.
    static func reset(_ channel: any Channel) async {
        if let provider = channel as? any SocketOptionProvider {
            _ = try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        _ = try? await channel.close(mode: .all).get()
    }
}

