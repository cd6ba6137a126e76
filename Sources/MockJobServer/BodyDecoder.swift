import Foundation
import Hummingbird
import NIOCore
import PollingCore

/// Reads and decodes request bodies, turning every failure into a `MockJobServerError` that
/// names the offending field (never a 500 for bad input).
enum BodyDecoder {
    /// Collects the body of `request` (at most `limit` bytes) and decodes it as `T`.
    /// - Throws: `MockJobServerError.bodyTooLarge`, `.badJSON`, `.missingField` or `.invalidField`.
    /// - Parameters:
    ///   - numericFields: The numeric top-level keys of `T` and their types, used to name the
    ///     field when `JSONDecoder` rejects a number it cannot represent (see `NumberProbe`).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int,
                                     numericFields: [String: NumberProbe.Kind]) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw MockJobServerError.bodyTooLarge(limit)
        }
        return try decode(type, from: Data(buffer.readableBytesView), numericFields: numericFields)
    }

    /// Decodes `data` as `T` with `JSONDecoder`, mapping `DecodingError` by its coding path.
    /// - Throws: `MockJobServerError.badJSON` (syntax, empty body, not an object),
    ///   `.missingField(key)`, `.invalidField(key, …)` (wrong type, null, unrepresentable value).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data,
                                     numericFields: [String: NumberProbe.Kind]) throws(MockJobServerError) -> T {
        guard !data.isEmpty else { throw .badJSON("the body is empty; send a JSON object") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            // On Linux, JSONDecoder reports a number it cannot represent (1e999 as a Double, -1
            // as a UInt64) as "not valid JSON" with an empty coding path: find the field.
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let culprit = NumberProbe.locate(in: data, fields: numericFields) {
                throw culprit
            }
            throw map(error)
        } catch {
            throw .badJSON("\(error)")
        }
    }

    /// The field path of a coding path, e.g. `base_delay` or `faults[2].status`.
    static func fieldName(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { name, key in
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }

    /// Maps a decoding error to a request error naming its field.
    static func map(_ error: DecodingError) -> MockJobServerError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(fieldName(context.codingPath + [key]))
        case .typeMismatch(let expected, let context):
            guard !context.codingPath.isEmpty else { return .badJSON("expected a JSON object") }
            return .invalidField(fieldName(context.codingPath), "expected \(describe(expected)); \(context.debugDescription)")
        case .valueNotFound(let expected, let context):
            guard !context.codingPath.isEmpty else { return .badJSON("expected a JSON object, got null") }
            return .invalidField(fieldName(context.codingPath), "must not be null; expected \(describe(expected))")
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else {
                return .badJSON(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
            }
            return .invalidField(fieldName(context.codingPath), invalidValueHint(context))
        @unknown default:
            return .badJSON("\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is UInt64.Type: return "an unsigned 64-bit integer"
        case is Int.Type: return "an integer"
        case is String.Type: return "a string"
        default: return "\(type)"
        }
    }

    private static func invalidValueHint(_ context: DecodingError.Context) -> String {
        // A duration object's parser (DurationSpec.parse) writes complete messages.
        if context.codingPath.first?.stringValue == "duration" { return context.debugDescription }
        let key = context.codingPath.last?.stringValue
        switch key {
        case "duration_model":
            let allowed = DurationModel.allCases.map(\.rawValue).joined(separator: ", ")
            return "must be one of \(allowed); \(context.debugDescription)"
        case "seed":
            return "must be an unsigned 64-bit integer (0...\(UInt64.max)); \(context.debugDescription)"
        default:
            return "invalid value (must be a finite number in range); \(context.debugDescription)"
        }
    }
}
