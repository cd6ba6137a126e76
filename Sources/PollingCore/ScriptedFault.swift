/// One step of a job's scripted fault sequence (`"faults"` in the `POST /jobs` body): how the
/// mock server answers one `GET /jobs/{id}` of that job. Step `k` (counted from 0) applies to
/// the job's `k`-th status request; once the script is used up the job answers normally.
///
/// JSON: a string shorthand or an object.
/// - Strings (or bare integers for statuses): `"ok"`, `"429"`, `"500"`, `"502"`, `"503"`, `"504"` (that error status, no
///   `Retry-After`), `"hang"`, `"reset"`, `"slow_body"`, `"empty_body"`, `"malformed_body"`,
///   `"unknown_status"`, `"backwards"`.
/// - Objects: `{"status": 429, "retry_after": 1}` (an error status with `Retry-After` seconds),
///   `{"fault": "slow_body", "delay_ms": 250}`; keys `fault` (a kind name as above, default
///   `status` when `status` is given), `status`, `retry_after` (integer seconds >= 0, only with
///   a status), `delay_ms` (latency added before answering, 0...600000 ms).
///
/// Encodes always as an object with `fault` set.
public struct ScriptedFault: Codable, Sendable, Hashable {
    /// What the server does with the request.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The normal answer.
        case ok
        /// An error status (`status`) with a JSON error body and optional `Retry-After`.
        case status
        /// No answer until the client gives up (the server drops the connection after its cap).
        case hang
        /// The connection is closed without a response.
        case reset
        /// The normal answer, its body trickled out slowly.
        case slowBody = "slow_body"
        /// `200` with an empty body.
        case emptyBody = "empty_body"
        /// `200` with a truncated JSON body.
        case malformedBody = "malformed_body"
        /// `200` with a status value outside `pending|completed|error`.
        case unknownStatus = "unknown_status"
        /// `200` `pending` even when the job is final (a status that goes backwards).
        case backwards
    }

    /// Error statuses a fault may answer with.
    public static let allowedStatuses: Set<Int> = [429, 500, 502, 503, 504]
    /// Largest `delay_ms`: 600 000 ms (10 minutes).
    public static let maxDelayMs: Double = 600_000

    /// What the server does.
    public var kind: Kind
    /// The error status when `kind == .status` (one of `allowedStatuses`), else `nil`.
    public var status: Int?
    /// `Retry-After` seconds for a `.status` answer, or `nil` for none.
    public var retryAfter: Int?
    /// Milliseconds of latency added before the answer, or `nil` for none.
    public var delayMs: Double?

    /// Creates a step. Not validated here; `validate()` checks it.
    public init(kind: Kind, status: Int? = nil, retryAfter: Int? = nil, delayMs: Double? = nil) {
        self.kind = kind
        self.status = status
        self.retryAfter = retryAfter
        self.delayMs = delayMs
    }

    /// An error-status step, e.g. `.error(503, retryAfter: 1)`.
    public static func error(_ status: Int, retryAfter: Int? = nil) -> ScriptedFault {
        ScriptedFault(kind: .status, status: status, retryAfter: retryAfter)
    }

    enum CodingKeys: String, CodingKey {
        case fault, status, retryAfter = "retry_after", delayMs = "delay_ms"
    }

    /// Decodes the string or object form.
    /// - Throws: `DecodingError.dataCorrupted` naming the bad key (unknown kind or status,
    ///   negative `retry_after`, `delay_ms` out of range), `.typeMismatch` for wrong types.
    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let number = try? single.decode(Int.self) {
            self = .error(number)
        } else if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            if let code = Int(text) {
                self = .error(code)
            } else if let kind = Kind(rawValue: text), kind != .status {
                self.init(kind: kind)
            } else {
                let names = Kind.allCases.filter { $0 != .status }.map(\.rawValue)
                    + Self.allowedStatuses.sorted().map(String.init)
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath,
                    debugDescription: "unknown fault '\(text)'; use one of \(names.joined(separator: ", ")) or an object"))
            }
        } else {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let status = try c.decodeIfPresent(Int.self, forKey: .status)
            let kind = try c.decodeIfPresent(Kind.self, forKey: .fault) ?? (status == nil ? .ok : .status)
            self.init(kind: kind, status: status,
                      retryAfter: try c.decodeIfPresent(Int.self, forKey: .retryAfter),
                      delayMs: try c.decodeIfPresent(Double.self, forKey: .delayMs))
        }
        if let (key, message) = problem() {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [key], debugDescription: message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .fault)
        try c.encodeIfPresent(status, forKey: .status)
        try c.encodeIfPresent(retryAfter, forKey: .retryAfter)
        try c.encodeIfPresent(delayMs, forKey: .delayMs)
    }

    /// Checks the step.
    /// - Throws: `PollingCoreError.invalidField` naming `status`, `retry_after` or `delay_ms`.
    public func validate() throws {
        if let (key, message) = problem() { throw PollingCoreError.invalidField(key.stringValue, message) }
    }

    private func problem() -> (CodingKeys, String)? {
        let allowed = Self.allowedStatuses.sorted().map(String.init).joined(separator: ", ")
        if kind == .status {
            guard let status, Self.allowedStatuses.contains(status) else {
                return (.status, "must be one of \(allowed) for an error-status fault, got \(status.map(String.init) ?? "none")")
            }
        } else if status != nil {
            return (.status, "only allowed with fault 'status' (or without 'fault'), not with '\(kind.rawValue)'")
        }
        if let retryAfter {
            guard kind == .status else { return (.retryAfter, "only allowed with an error status") }
            guard retryAfter >= 0 else { return (.retryAfter, "must be an integer number of seconds >= 0, got \(retryAfter)") }
        }
        if let delayMs, !(delayMs.isFinite && (0...Self.maxDelayMs).contains(delayMs)) {
            return (.delayMs, "must be a number of milliseconds in 0...\(Int(Self.maxDelayMs)), got \(delayMs)")
        }
        return nil
    }
}
