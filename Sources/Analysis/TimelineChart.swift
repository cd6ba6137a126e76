/// Chart: the poll timeline of a sample of trials. Each trial is a row: a thin line from the
/// start of polling to its last response, a mark at the instant each status response arrived
/// (filled when it was final), and a black bar at the job's true completion instant.
///
/// The sample is fixed and documented: the first `perArm` trials by `trial_index` of each arm.
enum TimelineChart {
    /// One sampled trial: arm, trial index, poll receive offsets (s from start), which were
    /// final, the true completion offset (s, nil when unknown).
    struct Trial {
        var arm: String
        var armIndex: Int
        var trialIndex: Int
        var polls: [Double]
        var final: [Bool]
        var done: Double?
    }

    static let perArm = 3

    static func render(_ trials: [Trial], armNames: [String]) -> String {
        let ends = trials.flatMap { $0.polls + [$0.done].compactMap { $0 } }
        let rows = Double(max(trials.count, 1))
        var plot = SVGPlot(
            title: "Poll timeline of a sample of trials", xLabel: "time since polling started (s)", yLabel: "trial (arm #index)",
            note: "n = \(trials.count) trials: the first \(perArm) by trial index of each of \(armNames.count) arms; | = true completion",
            xDomain: LinearScale.padded(ends), yDomain: -0.5...(rows - 0.5),
            height: max(380, 90 + 16 * rows))
        plot.left = 130  // room for the row labels
        plot.x = LinearScale(domain: plot.x.domain, range: plot.left...(plot.width - plot.right))
        plot.yCategories = trials.enumerated().map { (Double(trials.count - 1 - $0), "\(String($1.arm.prefix(14))) #\($1.trialIndex)") }
        for (row, trial) in trials.enumerated() {
            let y = plot.y(Double(trials.count - 1 - row))
            let color = SVGPlot.color(trial.armIndex)
            var marks = "<line x1=\"\(SVGPlot.number(plot.x(0)))\" y1=\"\(SVGPlot.number(y))\" x2=\"\(SVGPlot.number(plot.x(trial.polls.last ?? 0)))\" y2=\"\(SVGPlot.number(y))\" stroke=\"\(color)\" stroke-width=\"1\"/>"
            for (poll, final) in zip(trial.polls, trial.final) {
                marks += "<circle cx=\"\(SVGPlot.number(plot.x(poll)))\" cy=\"\(SVGPlot.number(y))\" r=\"3.5\" stroke=\"\(color)\" fill=\"\(final ? color : "#ffffff")\"/>"
            }
            if let done = trial.done {
                let x = SVGPlot.number(plot.x(done))
                marks += "<line class=\"done\" x1=\"\(x)\" y1=\"\(SVGPlot.number(y - 6))\" x2=\"\(x)\" y2=\"\(SVGPlot.number(y + 6))\" stroke=\"#000000\" stroke-width=\"2\"/>"
            }
            plot.marks.append("<g class=\"trial\" data-arm=\"\(TextEscaping.html(trial.arm))\" data-trial=\"\(trial.trialIndex)\">" + marks + "</g>")
        }
        plot.legend = armNames.enumerated().map { (TextEscaping.oneLine($1), SVGPlot.color($0)) }
        return plot.render()
    }
}
