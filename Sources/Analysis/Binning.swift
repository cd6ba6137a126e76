import Foundation

/// Bin edges shared by every series of a histogram: bins are `[lo, hi)`, the last one `[lo, hi]`.
public struct Binning: Sendable, Hashable {
    /// The edges, ascending; bin k is `[edges[k], edges[k + 1])`.
    public var edges: [Double]
    /// Logarithmic (geometric) edges.
    public var isLog: Bool
    /// Values below `edges.first` or above `edges.last` go to under/overflow rows.
    public var isClipped: Bool

    /// Creates a binning from edges (tests).
    public init(edges: [Double], isLog: Bool = false, isClipped: Bool = false) {
        self.edges = edges
        self.isLog = isLog
        self.isClipped = isClipped
    }

    /// The number of bins.
    public var count: Int { edges.count - 1 }

    /// Chooses edges for some samples.
    /// - Parameters:
    ///   - values: every sample shown (the edges cover all of them unless `range` clips).
    ///   - bins: number of bins; default `nil` = one per integer for discrete data (at most 40),
    ///     else 20. Without `range`, linear bins get a "nice" width (1, 2, 2.5 or 5 × 10^k) with
    ///     edges on its multiples, so there may be fewer bins than asked.
    ///   - log: geometric edges from the smallest positive value (or `range.lo`).
    ///   - discrete: integer data: edges on whole numbers.
    ///   - range: `(lo, hi)` to clip to; values outside are counted in under/overflow rows.
    /// - Returns: the binning.
    /// - Throws: `AnalysisError.invalidField` for `--bins` < 1 or > 500, a bad `--range`, or
    ///   `--log` without positive values.
    public static func make(values: [Double], bins: Int?, log: Bool, discrete: Bool,
                            range: (Double, Double)?) throws -> Binning {
        if let bins, !(1...500).contains(bins) {
            throw AnalysisError.invalidField("--bins", "expects a whole number from 1 to 500, got \(bins)")
        }
        if let range, !(range.0 < range.1) || !range.0.isFinite || !range.1.isFinite {
            throw AnalysisError.invalidField("--range", "expects LO:HI with LO < HI, got \(range.0):\(range.1)")
        }
        let candidates = log ? values.filter { $0 > 0 } : values
        var lo = range?.0 ?? candidates.min() ?? 0
        var hi = range?.1 ?? candidates.max() ?? 1
        if log {
            guard lo > 0 else {
                throw AnalysisError.invalidField("--log", "needs positive values (and a positive --range LO); there are none")
            }
            if hi <= lo { hi = lo * 10 }
            let n = bins ?? 20
            let ratio = hi / lo
            let edges = (0...n).map { k in k == n ? hi : lo * Foundation.pow(ratio, Double(k) / Double(n)) }
            return Binning(edges: edges, isLog: true, isClipped: range != nil || candidates.count < values.count)
        }
        if discrete {
            lo = lo.rounded(.down)
            hi = max(hi.rounded(.down) + 1, lo + 1)   // the last integer gets its own bin [k, k + 1)
            let span = Int(hi - lo)
            let n = bins ?? min(span, 40)
            let width = max(1, Int((Double(span) / Double(n)).rounded(.up)))
            let count = Int((Double(span) / Double(width)).rounded(.up))
            let edges = (0...count).map { lo + Double($0 * width) }
            return Binning(edges: edges, isLog: false, isClipped: range != nil)
        }
        if hi <= lo { hi = lo + 1 }
        let n = bins ?? 20
        if range != nil {
            // The user's range, split evenly.
            let width = (hi - lo) / Double(n)
            let edges = (0...n).map { k in k == n ? hi : lo + Double(k) * width }
            return Binning(edges: edges, isLog: false, isClipped: true)
        }
        // A "nice" width (1, 2, 2.5 or 5 × 10^k) at least (max − min) / n, edges on its multiples:
        // at most n bins, and short exact edge labels.
        let width = niceWidth((hi - lo) / Double(n))
        let start = (lo / width).rounded(.down)
        var count = max(1, Int(((hi / width) - start).rounded(.up)))
        if start + Double(count) < hi / width { count += 1 }
        let edges = (0...count).map { (start + Double($0)) * width }
        return Binning(edges: edges, isLog: false, isClipped: false)
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ `raw` (raw > 0).
    static func niceWidth(_ raw: Double) -> Double {
        let magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        for factor in [1, 2, 2.5, 5, 10] where factor * magnitude >= raw * (1 - 1e-12) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// Where a value goes.
    public enum Slot: Sendable, Hashable {
        case underflow, bin(Int), overflow
    }

    /// The slot of `x`: bins are `[lo, hi)`, the last one closed; a discrete last bin
    /// `[k, k + 1)` stays half-open.
    public func slot(of x: Double) -> Slot {
        guard let first = edges.first, let last = edges.last else { return .overflow }
        if x < first || x.isNaN { return .underflow }
        if x > last { return .overflow }
        if x == last { return .bin(count - 1) }
        // Binary search for the last edge ≤ x.
        var low = 0, high = edges.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if edges[mid] <= x { low = mid } else { high = mid }
        }
        return .bin(low)
    }

    /// Counts per bin plus under/overflow.
    public func counts(_ values: [Double]) -> (bins: [Int], underflow: Int, overflow: Int) {
        var bins = Array(repeating: 0, count: count)
        var under = 0, over = 0
        for x in values {
            switch slot(of: x) {
            case .underflow: under += 1
            case .overflow: over += 1
            case .bin(let k): bins[k] += 1
            }
        }
        return (bins, under, over)
    }
}
