import GRDB

/// A score-weight sweep: for every `(wi, wj)` of a grid, the arm with the highest score.
///
/// Both score kinds are linear in the weights (per-trial: wi · mean(HR) − wj · mean(ER), since
/// the mean of per-trial scores is the score of the means; seed: wi · aggregate HR − wj · mean
/// ER), so one SQL aggregate per arm gives every cell, and for wi > 0 the winner depends on the
/// ratio r = wj / wi only: `boundaries` gives the exact ratios where it changes (the upper
/// envelope of the lines HR − r · ER).
public struct SweepReport: Sendable, Hashable {
    /// One arm's inputs to the score.
    public struct Arm: Sendable, Hashable {
        /// The arm name.
        public var name: String
        /// The strategy kind.
        public var strategy: String
        /// Trials recorded.
        public var trials: Int
        /// The HR the score kind uses (per-trial or aggregate).
        public var hitRate: Double
        /// Mean ER over the trials that have one (all but detected trials without ground truth).
        public var meanER: Double

        /// Creates an arm (tests).
        public init(name: String, strategy: String, trials: Int, hitRate: Double, meanER: Double) {
            self.name = name
            self.strategy = strategy
            self.trials = trials
            self.hitRate = hitRate
            self.meanER = meanER
        }

        /// The score at `(wi, wj)`.
        public func score(wi: Double, wj: Double) -> Double { wi * hitRate - wj * meanER }
    }

    /// One grid cell.
    public struct Cell: Sendable, Hashable {
        /// Index into `arms` of the winner (the lowest index among exact ties).
        public var winner: Int
        /// The winner's score.
        public var score: Double
        /// `true` when another arm has the same score (within 1e-12).
        public var tie: Bool
    }

    /// A stretch of the ratio r = wj / wi (wi > 0) over which one arm wins.
    public struct Segment: Sendable, Hashable {
        /// Where it starts (0 for the first).
        public var from: Double
        /// Where it ends (`nil` = for every larger ratio).
        public var to: Double?
        /// Index into `arms`.
        public var winner: Int
    }

    /// The run(s) covered.
    public var run: RunHeader
    /// Every run covered, ascending.
    public var runIDs: [Int64]
    /// The score kind.
    public var scoreKind: ScoreKind
    /// Arms with at least one trial, in arm order.
    public var arms: [Arm]
    /// The wi values (columns).
    public var wi: WeightGrid
    /// The wj values (rows).
    public var wj: WeightGrid
    /// `cells[row][column]`: row = index into `wj.values`, column = index into `wi.values`.
    public var cells: [[Cell]]
    /// Winner by ratio wj / wi, in increasing ratio.
    public var boundaries: [Segment]

    /// Computes a sweep from arm inputs (pure; tests and renderers).
    /// - Parameters:
    ///   - run: the header.
    ///   - runIDs: the runs covered.
    ///   - scoreKind: the score kind the arms' `hitRate` belongs to.
    ///   - arms: the arms (at least one).
    ///   - wi: the wi grid.
    ///   - wj: the wj grid.
    public init(run: RunHeader, runIDs: [Int64], scoreKind: ScoreKind, arms: [Arm], wi: WeightGrid, wj: WeightGrid) {
        self.run = run
        self.runIDs = runIDs
        self.scoreKind = scoreKind
        self.arms = arms
        self.wi = wi
        self.wj = wj
        cells = wj.values.map { b in
            wi.values.map { a in Self.cell(arms: arms, wi: a, wj: b) }
        }
        boundaries = Self.envelope(arms)
    }

    static func cell(arms: [Arm], wi: Double, wj: Double) -> Cell {
        var best = 0
        var bestScore = -Double.infinity
        var tie = false
        for (i, arm) in arms.enumerated() {
            let s = arm.score(wi: wi, wj: wj)
            if s > bestScore + 1e-12 {
                best = i
                bestScore = s
                tie = false
            } else if abs(s - bestScore) <= 1e-12 {
                tie = true
            }
        }
        return Cell(winner: best, score: bestScore, tie: tie)
    }

    /// The upper envelope of the lines hr − r · er for r ≥ 0.
    static func envelope(_ arms: [Arm]) -> [Segment] {
        guard !arms.isEmpty else { return [] }
        func better(_ a: Int, _ b: Int) -> Bool {   // at r = 0⁺: higher hr, then lower er, then lower index
            let x = arms[a], y = arms[b]
            if abs(x.hitRate - y.hitRate) > 1e-12 { return x.hitRate > y.hitRate }
            if abs(x.meanER - y.meanER) > 1e-12 { return x.meanER < y.meanER }
            return a < b
        }
        var current = arms.indices.reduce(0) { better($1, $0) ? $1 : $0 }
        var r = 0.0
        var segments: [Segment] = []
        while true {
            // The next arm to overtake: a lower ER slope, crossing at the smallest ratio > r.
            var next: (ratio: Double, arm: Int)?
            for i in arms.indices where arms[i].meanER < arms[current].meanER - 1e-12 {
                let crossing = (arms[current].hitRate - arms[i].hitRate) / (arms[current].meanER - arms[i].meanER)
                let ratio = max(crossing, r)
                if next == nil || ratio < next!.ratio - 1e-12
                    || (abs(ratio - next!.ratio) <= 1e-12 && arms[i].meanER < arms[next!.arm].meanER) {
                    next = (ratio, i)
                }
            }
            guard let found = next else {
                segments.append(Segment(from: r, to: nil, winner: current))
                return segments
            }
            if found.ratio > r { segments.append(Segment(from: r, to: found.ratio, winner: current)) }
            r = found.ratio
            current = found.arm
        }
    }

    /// Loads the arms of the selected run(s) and computes the sweep.
    /// - Parameters:
    ///   - reader: a reader of a results database.
    ///   - selector: which run; default `.latest`.
    ///   - allRuns: group the arms of every run of the experiment; default `false`.
    ///   - scoreKind: per-trial (default) or seed (aggregate HR).
    ///   - wi: the wi grid.
    ///   - wj: the wj grid.
    /// - Returns: the sweep.
    /// - Throws: `AnalysisError` (selection, `.invalidField` when no arm has trials, `.database`).
    public static func load(from reader: any DatabaseReader, selector: RunSelector = .latest, allRuns: Bool = false,
                            scoreKind: ScoreKind = .perTrial, wi: WeightGrid, wj: WeightGrid) throws -> SweepReport {
        try RunScope.read(reader, selector: selector, allRuns: allRuns) { db, runIDs in
            try fetch(db, runIDs: runIDs, scoreKind: scoreKind, wi: wi, wj: wj)
        }
    }

    /// Computes the sweep on an open connection.
    /// - Throws: as `load`.
    public static func fetch(_ db: Database, runIDs: [Int64], scoreKind: ScoreKind,
                             wi: WeightGrid, wj: WeightGrid) throws -> SweepReport {
        let ids = runIDs.sorted()
        guard let last = ids.last else { throw AnalysisError.invalidField("runs", "no run selected") }
        let run = try RunHeader.fetch(db, runID: last)
        var arms: [Arm] = []
        for group in try ArmGroup.fetchAll(db, runIDs: ids) {
            guard let totals = try ArmTotals.fetch(db, armIDs: group.armIDs) else { continue }
            // Scores are over the trials that have an ER, as in the summary: a detected trial
            // without ground truth has none.
            guard totals.trialsWithER > 0 else { continue }
            let n = Double(totals.trialsWithER)
            let hr = scoreKind == .perTrial ? totals.sumHRWithER / n : totals.aggregateHitRate
            arms.append(Arm(name: group.name, strategy: group.strategy, trials: totals.trials,
                            hitRate: hr ?? 0, meanER: totals.sumER / n))
        }
        guard !arms.isEmpty else {
            throw AnalysisError.invalidField("run", "run \(last) has no trials yet: nothing to sweep")
        }
        return SweepReport(run: run, runIDs: ids, scoreKind: scoreKind, arms: arms, wi: wi, wj: wj)
    }
}
