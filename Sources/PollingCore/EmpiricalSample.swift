/// A sample of measured durations for the `empirical` duration model: each job's duration is one
/// value drawn uniformly (the empirical CDF), already multiplied by the model's `scale`.
///
/// Built by the experiment-file reader from a CSV column (`empirical {file, column, scale}`,
/// path relative to the experiment file); `source` records where the values came from.
public struct EmpiricalSample: Sendable, Hashable {
    /// The durations in seconds, ascending (each already multiplied by `scale`).
    public let values: [Double]
    /// `prefix[i]` = sum of the `i` smallest values (for `E[T; T ≤ t]`).
    let prefix: [Double]
    /// Where the values came from, e.g. `data/azure-functions-2019.csv#seconds` (for messages).
    public let source: String
    /// The factor the raw values were multiplied by.
    public let scale: Double

    /// - Parameters:
    ///   - values: raw durations (finite, ≥ 0); sorted here.
    ///   - scale: factor applied to every value (finite, > 0), default 1.
    ///   - source: a description of the origin.
    /// - Throws: `PollingCoreError.invalidField("duration.file", …)` when the sample is empty or
    ///   holds a negative or non-finite value (naming its position), or `("duration.scale", …)`.
    public init(values: [Double], scale: Double = 1, source: String) throws {
        guard scale.isFinite, scale > 0 else {
            throw PollingCoreError.invalidField("duration.scale", "must be a finite number > 0, got \(scale)")
        }
        guard !values.isEmpty else {
            throw PollingCoreError.invalidField("duration.file", "\(source) holds no values")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw PollingCoreError.invalidField("duration.file", "\(source): value \(bad + 1) is \(values[bad]), durations must be finite and >= 0")
        }
        let sorted = values.map { $0 * scale }.sorted()
        var sums = [0.0]
        sums.reserveCapacity(sorted.count + 1)
        for v in sorted { sums.append(sums[sums.count - 1] + v) }
        self.values = sorted
        self.prefix = sums
        self.source = source
        self.scale = scale
    }

    private init(values: [Double], prefix: [Double], source: String, scale: Double) {
        self.values = values
        self.prefix = prefix
        self.source = source
        self.scale = scale
    }

    /// The same sample with every value multiplied by `factor` (> 0).
    public func scaled(by factor: Double) -> EmpiricalSample {
        EmpiricalSample(values: values.map { $0 * factor }, prefix: prefix.map { $0 * factor },
                        source: source, scale: scale * factor)
    }

    /// The number of values ≤ `t` (binary search).
    func count(atMost t: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// `P(T ≤ t)`.
    func cdf(_ t: Double) -> Double { Double(count(atMost: t)) / Double(values.count) }

    /// `E[T; T ≤ t]`.
    func partialMoment(_ t: Double) -> Double { prefix[count(atMost: t)] / Double(values.count) }

    /// The sample mean in seconds.
    public var mean: Double { prefix[values.count] / Double(values.count) }

    /// One value, drawn uniformly from one 64-bit draw `u ∈ [0, 1)`.
    func value(at u: Double) -> Double { values[min(values.count - 1, Int(u * Double(values.count)))] }
}
