/// One part of a run split over several processes or machines: shard `index` of `count` runs
/// the trials whose index `i` satisfies `i mod count == index` (`experiment run --shard K/N`),
/// so shards never overlap and together cover every trial, whatever the number of trials.
///
/// Stored with the run (`run.shard_index`, `run.shard_count`, migration `v11-run-shards`);
/// `experiment merge` puts the shards of one run back together.
public struct RunShard: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `K`, in `0 ..< count`.
    public let index: Int
    /// `N`, ≥ 1.
    public let count: Int

    /// The most shards a run may be split into: 1 000 000.
    public static let maximumCount = 1_000_000

    /// - Throws: `TraceStoreError.invalidArgument` (field `shard`) unless
    ///   `1 ≤ count ≤ maximumCount` and `0 ≤ index < count`, naming the fix.
    public init(index: Int, count: Int) throws {
        guard count >= 1, count <= Self.maximumCount else {
            throw TraceStoreError.invalidArgument(
                field: "shard", message: "the shard count N of K/N must be between 1 and \(Self.maximumCount), got \(count)")
        }
        guard index >= 0, index < count else {
            throw TraceStoreError.invalidArgument(
                field: "shard", message: "K/N needs 0 ≤ K < N (shards are numbered from 0), got \(index)/\(count); "
                    + "the shards of \(count) are 0/\(count) … \(count - 1)/\(count)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `K/N`, e.g. `0/4` (decimal digits only, no spaces or signs).
    /// - Throws: `TraceStoreError.invalidArgument` (field `shard`) naming the text and the form.
    public static func parse(_ text: String) throws -> RunShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCIIDigit) }),
              let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw TraceStoreError.invalidArgument(
                field: "shard", message: "expected K/N with whole numbers 0 ≤ K < N, e.g. 0/4 for the first of 4 shards, got '\(text)'")
        }
        return try RunShard(index: index, count: count)
    }

    /// Whether trial `trialIndex` belongs to this shard (`trialIndex mod count == index`).
    public func contains(_ trialIndex: Int) -> Bool {
        trialIndex >= 0 && trialIndex % count == index
    }

    /// How many of the trials `0 ..< trials` belong to this shard: `⌈(trials − index) / count⌉`,
    /// 0 when `trials ≤ index`.
    public func trialCount(of trials: Int) -> Int {
        trials > index ? (trials - index - 1) / count + 1 : 0
    }

    /// The `ordinal`-th trial index of this shard (0 → `index`, 1 → `index + count`, …).
    public func trialIndex(ordinal: Int) -> Int {
        index + ordinal * count
    }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }

    public static func < (a: RunShard, b: RunShard) -> Bool {
        (a.count, a.index) < (b.count, b.index)
    }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
