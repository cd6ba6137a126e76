import Foundation
import Hummingbird
import PollingCore

/// Builds JSON responses with an explicit status and headers.
enum JSONResponse {
    /// One encoder for every response: swift-foundation's `JSONEncoder` is `Sendable` and encodes
    /// concurrently; building one per request cost a measurable share of a status call.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A response whose body is `body` encoded as JSON (keys sorted, so output is stable) with
    /// `Content-Type: application/json`.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - headers: Extra header fields (e.g. `Location`, `Retry-After`).
    ///   - body: The value to encode.
    /// - Returns: The response; a fixed `internal` error body if encoding fails (it cannot for
    ///   the wire types used here, which hold only strings, finite numbers and enums).
    static func make(status: HTTPResponse.Status, headers: HTTPFields = [:], body: some Encodable) -> Response {
        encoded(status: status, headers: headers, body: body)
    }

    /// A status body response: the same bytes as the generic `make` (see `StatusBody`), written
    /// without `JSONEncoder` (the `GET /jobs/{id}` hot path).
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - headers: Extra header fields (e.g. `Retry-After`).
    ///   - body: The status body.
    /// - Returns: The response; the generic `make`'s (a 500 `internal` body) if a number in `body`
    ///   is not finite.
    static func make(status: HTTPResponse.Status, headers: HTTPFields = [:], body: JobStatusResponse) -> Response {
        guard let bytes = StatusBody.encode(body) else { return encoded(status: status, headers: headers, body: body) }
        return Response(status: status, headers: withContentType(headers), body: ResponseBody(byteBuffer: bytes))
    }

    /// `body` through `JSONEncoder`; a fixed 500 `internal` body if encoding fails.
    private static func encoded(status: HTTPResponse.Status, headers: HTTPFields, body: some Encodable) -> Response {
        let fields = withContentType(headers)
        do {
            let data = try encoder.encode(body)
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            let text = #"{"error":{"code":"internal","message":"could not encode the response"}}"#
            return Response(status: .internalServerError, headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// `Content-Type: application/json; charset=utf-8` alone, built once (most responses have no
    /// other header).
    private static let jsonFields: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    /// `headers` with `Content-Type: application/json; charset=utf-8` set (last, as before).
    static func withContentType(_ headers: HTTPFields) -> HTTPFields {
        guard !headers.isEmpty else { return jsonFields }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return fields
    }
}
