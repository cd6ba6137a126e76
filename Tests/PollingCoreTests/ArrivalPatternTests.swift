import Foundation
import PollingCore
import Testing

@Suite struct ArrivalPatternTests {
    /// Bursts of K every S: trial k at ⌊k / K⌋ · S (hand-computed); herd: all at 0.
    @Test func burstsAndHerdInstants() {
        var bursts = ArrivalPattern.bursts(size: 3, every: 0.5).stream(seed: 1)
        let instants = (0..<7).map { _ in bursts.next() }
        #expect(instants == [0, 0, 0, 0.5, 0.5, 0.5, 1.0].map { Duration.seconds($0) })
        var herd = ArrivalPattern.herd.stream(seed: 1)
        #expect((0..<5).map { _ in herd.next() } == Array(repeating: .zero, count: 5))
    }

    /// A Poisson process of rate R: n arrivals span a time whose mean gap is 1/R. Over n = 20 000
    /// gaps the sample mean has standard error (1/R)/√n = 0.7 % of 1/R: four standard errors is
    /// 2.8 %. Its gaps are exponential: the fraction shorter than the mean is 1 − e⁻¹ = 0.632
    /// (standard error √(p(1−p)/n) = 0.34 %, allowed 1.4 %). Same seed → same instants.
    @Test func poissonMeanRateWithinSamplingError() {
        let rate = 50.0, n = 20_000
        var stream = ArrivalPattern.poisson(rate: rate).stream(seed: 42)
        var previous = 0.0, short = 0
        var instants: [Duration] = []
        for _ in 0..<n {
            let t = stream.next()
            instants.append(t)
            if t.seconds - previous < 1 / rate { short += 1 }
            #expect(t.seconds >= previous)
            previous = t.seconds
        }
        let meanGap = previous / Double(n)
        #expect(abs(meanGap * rate - 1) < 4 * 1 / Double(n).squareRoot(), "mean gap \(meanGap) s vs \(1 / rate) s")
        #expect(abs(Double(short) / Double(n) - (1 - exp(-1))) < 0.014)
        var again = ArrivalPattern.poisson(rate: rate).stream(seed: 42)
        #expect((0..<100).map { _ in again.next() } == Array(instants.prefix(100)))
    }

    @Test func validationNamesTheField() {
        #expect(throws: PollingCoreError.self) { try ArrivalPattern.poisson(rate: 0).validate() }
        #expect(throws: PollingCoreError.self) { try ArrivalPattern.bursts(size: 0, every: 1).validate() }
        do {
            try ArrivalPattern.bursts(size: 2, every: -1).validate()
            Issue.record("negative every accepted")
        } catch {
            #expect(error.field == "every")
        }
    }
}
