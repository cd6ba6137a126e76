import GRDB

extension Comparison {
    /// One side of a comparison: an arm name, in a given run or in the selected run.
    public struct Side: Sendable, Hashable {
        /// `run.id`, or `nil` for the selected run.
        public var run: Int64?
        /// The arm name.
        public var arm: String

        /// Parses `ARM` or `RUN:ARM` (e.g. `seed`, `3:seed`).
        public init(_ spec: String) {
            if let colon = spec.firstIndex(of: ":"), let run = Int64(spec[..<colon]) {
                self.run = run
                self.arm = String(spec[spec.index(after: colon)...])
            } else {
                self.run = nil
                self.arm = spec
            }
        }
    }

    /// Loads and compares two sides: paired when both are in the same run, Welch otherwise.
    /// - Parameters:
    ///   - reader: a reader of a results database.
    ///   - selector: the run of sides without a run id; default `.latest`.
    ///   - a: the reference side.
    ///   - b: the other side.
    ///   - weights: weights of the score line.
    ///   - minEffect: minimum relative effect for a verdict.
    /// - Returns: the comparison.
    /// - Throws: `AnalysisError` (`.unknownRun`, `.unknownArm`, `.database`).
    public static func load(from reader: any DatabaseReader, selector: RunSelector = .latest, a: Side, b: Side,
                            weights: ScoreWeights = .unit, minEffect: Double = 0.05) throws -> Comparison {
        let name = reader.path
        do {
            return try reader.read { db in
                let base = try selector.resolve(db, databaseName: name)
                let ra = a.run ?? base, rb = b.run ?? base
                for run in [ra, rb] { _ = try RunSelector.run(run).resolve(db, databaseName: name) }
                func group(_ run: Int64, _ arm: String) throws -> ArmGroup {
                    try ArmGroup.named(arm, in: try ArmGroup.fetchAll(db, runIDs: [run]), runs: [run])
                }
                let paired = ra == rb
                let labels = paired ? (a.arm, b.arm) : ("run \(ra) \(a.arm)", "run \(rb) \(b.arm)")
                return try fetch(db, a: try group(ra, a.arm), b: try group(rb, b.arm), labels: labels,
                                 paired: paired, weights: weights, minEffect: minEffect)
            }
        } catch let error as DatabaseError {
            throw AnalysisError.database(error.message ?? error.description)
        }
    }
}
