import ArgumentParser
import TraceStore

/// `--shard K/N` parsed by ArgumentParser (`RunShard.parse`: whole numbers with 0 ≤ K < N ≤
/// 1 000 000); a malformed value (`3/2`, `0/0`, `-1/2`, `x`) gets ArgumentParser's error naming
/// the option and the value, followed by the option's help, which states the rule.
extension RunShard: ExpressibleByArgument {
    public init?(argument: String) {
        guard let shard = try? RunShard.parse(argument) else { return nil }
        self = shard
    }

    public var defaultValueDescription: String { "\(self)" }
}
