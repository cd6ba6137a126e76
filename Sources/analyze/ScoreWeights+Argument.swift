import Analysis
import ArgumentParser

/// `--weights WI,WJ` parsed by ArgumentParser (`ScoreWeights.parse`: two finite numbers ≥ 0,
/// not both 0); a bad value gets ArgumentParser's error naming the option and the value.
extension ScoreWeights: ExpressibleByArgument {
    public init?(argument: String) {
        guard let weights = try? ScoreWeights.parse(argument) else { return nil }
        self = weights
    }

    public var defaultValueDescription: String { "\(self)" }
}
