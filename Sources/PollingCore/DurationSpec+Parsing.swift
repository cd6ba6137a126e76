/// Where `DurationSpec.parse` reads a duration object from: one mapping of an experiment file
/// (YAML, errors with file and line) or of a JSON body (`POST /jobs`, errors naming the field).
/// One parser serves both, so the two formats cannot drift apart.
public protocol DurationSpecFields {
    /// The keys present in this mapping.
    var keys: [String] { get }
    /// A text value, `nil` when absent.
    func text(_ key: String) throws -> String?
    /// A finite number, `nil` when absent.
    func number(_ key: String) throws -> Double?
    /// A nested mapping, `nil` when absent.
    func mapping(_ key: String) throws -> Self?
    /// A list of mappings, `nil` when absent.
    func mappings(_ key: String) throws -> [Self]?
    /// An error naming `key` (with this mapping's path, file and line where known).
    func invalid(_ key: String, _ message: String) -> any Error
}

extension DurationSpec {
    /// The keys each model takes (besides `model`).
    public static let parameterKeys: [String: [String]] = [
        "seed": ["base", "var"], "symmetric": ["base", "var"], "lognormal": ["median", "sigma"],
        "gamma": ["shape", "scale"], "weibull": ["shape", "scale"], "exponential": ["mean"],
        "lomax": ["shape", "scale"], "mixture": ["components"], "parts": ["count", "combine", "part", "part_size"],
        "empirical": ["file", "column", "scale"], "fixed": ["seconds"],
    ]

    /// Parses `{model: NAME, parameters…}` and validates it.
    /// - Parameters:
    ///   - fields: the mapping.
    ///   - extraKeys: keys the enclosing object may also hold here (a mixture component's `weight`).
    ///   - empirical: loads an `empirical` model's sample from `(file, column, scale)`; `nil` =
    ///     the format cannot carry one (JSON: the client resolves the draw, see
    ///     `JobParameters.resolvedForServer`).
    /// - Throws: `fields.invalid(key, …)` naming the key: unknown model or key, missing or
    ///   non-finite parameter, a mixture whose weights do not sum to a positive number, …
    public static func parse<F: DurationSpecFields>(
        _ fields: F, extraKeys: [String] = [],
        empirical: ((_ file: String, _ column: String?, _ scale: Double) throws -> EmpiricalSample)? = nil
    ) throws -> DurationSpec {
        guard let name = try fields.text("model") else {
            throw fields.invalid("model", "is missing (use one of: \(modelNames.joined(separator: ", ")))")
        }
        guard let known = parameterKeys[name] else {
            throw fields.invalid("model", "unknown duration model '\(name)' (use one of: \(modelNames.joined(separator: ", ")))")
        }
        let allowed = Set(known + extraKeys + ["model"])
        if let stray = fields.keys.first(where: { !allowed.contains($0) }) {
            throw fields.invalid(stray, "unknown key for model \(name) (known keys: \(allowed.sorted().joined(separator: ", ")))")
        }
        func required(_ key: String) throws -> Double {
            guard let v = try fields.number(key) else { throw fields.invalid(key, "is missing (model \(name) takes \(known.joined(separator: ", ")))") }
            return v
        }
        let spec: DurationSpec
        switch name {
        case "seed": spec = .seed(base: try required("base"), variation: try required("var"))
        case "symmetric": spec = .symmetric(base: try required("base"), variation: try required("var"))
        case "lognormal": spec = .lognormal(median: try required("median"), sigma: try required("sigma"))
        case "gamma": spec = .gamma(shape: try required("shape"), scale: try required("scale"))
        case "weibull": spec = .weibull(shape: try required("shape"), scale: try required("scale"))
        case "lomax": spec = .lomax(shape: try required("shape"), scale: try required("scale"))
        case "exponential": spec = .exponential(mean: try required("mean"))
        case "fixed": spec = .fixed(seconds: try required("seconds"))
        case "mixture":
            guard let items = try fields.mappings("components"), !items.isEmpty else {
                throw fields.invalid("components", "must be a non-empty list of {weight, model, …}")
            }
            spec = .mixture(try items.map { item in
                guard let weight = try item.number("weight") else { throw item.invalid("weight", "is missing") }
                return Component(weight: weight, model: try parse(item, extraKeys: ["weight"], empirical: empirical))
            })
        case "parts":
            let partSize = try fields.number("part_size")
            let count = partSize != nil && fields.keys.contains("count") == false ? 1 : try required("count")
            guard count == count.rounded(), count >= 1, count <= Double(Parts.maximumCount) else {
                throw fields.invalid("count", "must be a whole number in 1...\(Parts.maximumCount), got \(count)")
            }
            let combineName = try fields.text("combine") ?? "sum"
            guard let combine = Parts.Combine(rawValue: combineName) else {
                throw fields.invalid("combine", "must be sum or max, got '\(combineName)'")
            }
            guard let part = try fields.mapping("part") else { throw fields.invalid("part", "is missing (a duration object {model: …})") }
            spec = .parts(Parts(count: Int(count), combine: combine, part: try parse(part, empirical: empirical), partSize: partSize))
        case "empirical":
            guard let empirical else {
                throw fields.invalid("model", "empirical durations do not travel in requests: draw the duration on the client and send {\"model\": \"fixed\", \"seconds\": …}")
            }
            guard let file = try fields.text("file") else { throw fields.invalid("file", "is missing (a CSV file of durations in seconds)") }
            spec = .empirical(try empirical(file, try fields.text("column"), try fields.number("scale") ?? 1))
        default:
            preconditionFailure("parameterKeys and the switch list the same models")
        }
        do {
            try spec.validate(field: "")
        } catch let PollingCoreError.invalidField(field, message) {
            // validate(field: "") names ".key" or ".components[i].key": report the first key here.
            let path = String(field.drop { $0 == "." })
            let key = path.split(separator: ".").first.map(String.init) ?? "model"
            if key.hasPrefix("components") { throw fields.invalid("components", "\(path): \(message)") }
            throw fields.invalid(key, message)
        }
        return spec
    }
}
