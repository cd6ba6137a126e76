import Foundation
import Hummingbird

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
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        do {
            let data = try encoder.encode(body)
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            let text = #"{"error":{"code":"internal","message":"could not encode the response"}}"#
            return Response(status: .internalServerError, headers: fields,
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}
