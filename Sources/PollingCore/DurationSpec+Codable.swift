/// JSON form of a duration model, as `POST /jobs` takes it under `duration`:
/// `{"model": "lognormal", "median": 20, "sigma": 1}`, `{"model": "mixture", "components":
/// [{"weight": 3, "model": "exponential", "mean": 2}, …]}`, `{"model": "parts", "count": 4,
/// "combine": "max", "part": {"model": "seed", "base": 1.5, "var": 0.9}}`, `{"model": "fixed",
/// "seconds": 12.5}`. Same keys as experiment files (one parser, `DurationSpec.parse`).
/// `empirical` does not travel: decoding it fails naming `duration.model`, and encoding it throws
/// (a client sends the `fixed` duration it drew instead, see `JobParameters.resolvedForServer`).
extension DurationSpec: Codable {
    public init(from decoder: any Decoder) throws {
        self = try DurationSpec.parse(JSONDurationFields(container: try decoder.container(keyedBy: AnyKey.self)))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        try c.encode(name, forKey: AnyKey("model"))
        func put(_ pairs: KeyValuePairs<String, Double>) throws {
            for (k, v) in pairs { try c.encode(v, forKey: AnyKey(k)) }
        }
        switch self {
        case .seed(let b, let v), .symmetric(let b, let v): try put(["base": b, "var": v])
        case .lognormal(let m, let s): try put(["median": m, "sigma": s])
        case .gamma(let k, let t), .weibull(let k, let t), .lomax(let k, let t): try put(["shape": k, "scale": t])
        case .exponential(let m): try put(["mean": m])
        case .fixed(let s): try put(["seconds": s])
        case .mixture(let cs):
            var list = c.nestedUnkeyedContainer(forKey: AnyKey("components"))
            for component in cs {
                let nested = list.superEncoder()
                try component.model.encode(to: nested)
                var weight = nested.container(keyedBy: AnyKey.self)
                try weight.encode(component.weight, forKey: AnyKey("weight"))
            }
        case .parts(let p):
            try c.encode(p.count, forKey: AnyKey("count"))
            try c.encodeIfPresent(p.partSize, forKey: AnyKey("part_size"))
            try c.encode(p.combine.rawValue, forKey: AnyKey("combine"))
            try c.encode(p.part, forKey: AnyKey("part"))
        case .empirical(let s):
            throw EncodingError.invalidValue(s.source, .init(codingPath: c.codingPath,
                debugDescription: "an empirical model does not travel in requests: send the drawn duration as a fixed model"))
        }
    }
}

/// A string coding key.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `DurationSpecFields` over a JSON object; errors are `DecodingError.dataCorrupted` at the key's
/// coding path, which the server turns into a 400 naming the field (e.g. `duration.sigma`).
struct JSONDurationFields: DurationSpecFields {
    let container: KeyedDecodingContainer<AnyKey>

    var keys: [String] { container.allKeys.map(\.stringValue) }

    func text(_ key: String) throws -> String? { try container.decodeIfPresent(String.self, forKey: AnyKey(key)) }

    func number(_ key: String) throws -> Double? {
        guard let v = try container.decodeIfPresent(Double.self, forKey: AnyKey(key)) else { return nil }
        guard v.isFinite else { throw invalid(key, "must be a finite number, got \(v)") }
        return v
    }

    func mapping(_ key: String) throws -> JSONDurationFields? {
        guard container.contains(AnyKey(key)), try !container.decodeNil(forKey: AnyKey(key)) else { return nil }
        return JSONDurationFields(container: try container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey(key)))
    }

    func mappings(_ key: String) throws -> [JSONDurationFields]? {
        guard container.contains(AnyKey(key)), try !container.decodeNil(forKey: AnyKey(key)) else { return nil }
        var list = try container.nestedUnkeyedContainer(forKey: AnyKey(key))
        var items: [JSONDurationFields] = []
        while !list.isAtEnd { items.append(JSONDurationFields(container: try list.nestedContainer(keyedBy: AnyKey.self))) }
        return items
    }

    func invalid(_ key: String, _ message: String) -> any Error {
        DecodingError.dataCorruptedError(forKey: AnyKey(key), in: container, debugDescription: message)
    }
}
