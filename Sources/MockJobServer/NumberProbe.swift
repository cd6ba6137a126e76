import Foundation

/// Finds which top-level key holds a number that `JSONDecoder` cannot represent.
///
/// swift-foundation's `JSONDecoder` on Linux turns an unrepresentable number (e.g. `1e999` for a
/// `Double`, `-1` or `1.5` for a `UInt64`) into `DecodingError.dataCorrupted` with an empty
/// coding path and no underlying error, indistinguishable from a syntax error. Decoding the
/// same body again key by key isolates the offending field.
struct NumberProbe: Decodable {
    /// The type a numeric field must decode to.
    enum Kind: Sendable {
        /// A finite `Double` (seconds, probabilities).
        case double
        /// An unsigned 64-bit integer (seeds).
        case uint64
        /// An array of objects whose `delay_ms` is a finite `Double` (fault scripts).
        case faultScript
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private static let fieldsKey = CodingUserInfoKey(rawValue: "pollLab.numberProbe.fields")!

    /// The first field (in key order) whose number does not decode, as an `invalidField` error.
    let culprit: MockJobServerError?

    init(from decoder: any Decoder) throws {
        let fields = decoder.userInfo[Self.fieldsKey] as? [String: Kind] ?? [:]
        let container = try decoder.container(keyedBy: AnyKey.self)
        var found: MockJobServerError?
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            guard let kind = fields[key.stringValue], found == nil else { continue }
            do {
                switch kind {
                case .double: _ = try container.decodeIfPresent(Double.self, forKey: key)
                case .uint64: _ = try container.decodeIfPresent(UInt64.self, forKey: key)
                case .faultScript:
                    var items = try container.nestedUnkeyedContainer(forKey: key)
                    while !items.isAtEnd {
                        let index = items.currentIndex
                        guard let step = try? items.nestedContainer(keyedBy: AnyKey.self) else {
                            _ = try? items.decodeNil()
                            if items.currentIndex == index { break }
                            continue
                        }
                        for name in ["delay_ms", "status", "retry_after"] {
                            do {
                                _ = try step.decodeIfPresent(Double.self, forKey: AnyKey(stringValue: name))
                            } catch is DecodingError {
                                continue
                            } catch {
                                found = .invalidField("\(key.stringValue)[\(index)].\(name)", Self.message(for: .double))
                            }
                        }
                        if found != nil { break }
                    }
                }
            } catch is DecodingError {
                continue  // a type mismatch or null is reported well by the main decode
            } catch {
                // Foundation's internal `JSONError.numberIsNotRepresentableInSwift`.
                found = .invalidField(key.stringValue, Self.message(for: kind))
            }
        }
        culprit = found
    }

    /// The offending field of `data`, or `nil` when the body is not JSON at all or no listed
    /// field is at fault.
    static func locate(in data: Data, fields: [String: Kind]) -> MockJobServerError? {
        let decoder = JSONDecoder()
        decoder.userInfo[fieldsKey] = fields
        return (try? decoder.decode(NumberProbe.self, from: data))?.culprit
    }

    private static func message(for kind: Kind) -> String {
        switch kind {
        case .double, .faultScript: return "number out of range; must be a finite number"
        case .uint64: return "must be an unsigned 64-bit integer in 0...\(UInt64.max)"
        }
    }
}
