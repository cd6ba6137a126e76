import Foundation
import Testing
@testable import PollingCore

/// Expected values computed independently with mpmath 1.3 at 30 digits (quadrature of `u·f(u)`
/// for partial moments, `gammainc` and `ncdf` for the special functions), or by hand where noted.
@Suite struct SpecialFunctionsTests {
    func close(_ a: Double, _ b: Double, _ rel: Double = 1e-12) -> Bool { abs(a - b) <= rel * abs(b) }

    @Test func regularizedIncompleteGammaMatchesReferenceValues() {
        #expect(close(SpecialFunctions.regularizedGammaP(0.5, 1), 0.842700792949714869))     // erf(1)
        #expect(close(SpecialFunctions.regularizedGammaP(10, 5), 0.0318280573062048117))      // Poisson tail
        #expect(close(SpecialFunctions.regularizedGammaP(10, 20), 0.995004587691692413))
        #expect(close(SpecialFunctions.regularizedGammaQ(10, 30), 7.12175086281557709e-6))
        #expect(close(SpecialFunctions.regularizedGammaP(2.5, 0.001), 9.50853459860794932e-9))
        #expect(close(SpecialFunctions.regularizedGammaP(100, 90), 0.158220989186430168, 1e-11))
        // By hand: P(3, 2) = 1 − e^−2 (1 + 2 + 2).
        #expect(close(SpecialFunctions.regularizedGammaP(3, 2), 1 - 5 * 0.1353352832366127))
        #expect(SpecialFunctions.regularizedGammaP(3, 0) == 0)
        #expect(SpecialFunctions.regularizedGammaP(-1, 2).isNaN)
    }

    @Test func normalCDFIsAccurateInTheFarTail() {
        #expect(close(SpecialFunctions.normalCDF(1), 0.8413447460685429))
        #expect(close(SpecialFunctions.normalCDF(-10), 7.61985302416052607e-24, 1e-11))
        #expect(SpecialFunctions.normalCDF(0) == 0.5)
    }

    @Test func quadratureIsExactForPolynomialsAndAccurateForSmoothFunctions() {
        // ∫_0^2 u^7 du = 2^8/8 = 32 (degree 7 ≤ 19: exact on one panel).
        #expect(close(SpecialFunctions.integrate({ u in u * u * u * u * u * u * u }, from: 0, to: 2), 32))
        // ∫_0^π sin = 2.
        #expect(close(SpecialFunctions.integrate({ sin($0) }, from: 0, to: Double.pi), 2, 1e-12))
    }
}

@Suite struct DurationSpecTests {
    func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * abs(b) }

    @Test func partialMomentsMatchIndependentQuadrature() {
        let cases: [(DurationSpec, Double, Double)] = [
            (.lognormal(median: 30, sigma: 0.5), 40, 18.0183354291110249887),
            (.lognormal(median: 20, sigma: 1), 5, 0.280597892944790440667),
            (.lognormal(median: 20, sigma: 1), 200, 29.7970683146140843841),
            (.gamma(shape: 2.5, scale: 4), 7, 1.64774517389657863714),
            (.gamma(shape: 0.5, scale: 10), 3, 0.517838133290442897936),
            (.weibull(shape: 1.5, scale: 20), 15, 3.94923053360328968548),
            (.weibull(shape: 0.7, scale: 10), 50, 9.18562400786849735403),
            (.exponential(mean: 10), 3, 0.369363131137667741131),
            (.exponential(mean: 10), 0.001, 4.99966667916633334028e-8),
            (.lomax(shape: 1.5, scale: 10), 25, 5.49153258189696177104),
            (.lomax(shape: 1, scale: 10), 25, 5.38477254209653739865),
            (.lomax(shape: 3, scale: 2), 0.01, 7.40093005431494540860e-5),
            (.parts(.init(count: 4, combine: .sum, part: .seed(base: 1.5, variation: 0.9))), 8.4, 6.67962962962962962963),
            (.parts(.init(count: 4, combine: .max, part: .seed(base: 1.5, variation: 0.9))), 2.2, 0.753857643651883152226),
            (.parts(.init(count: 3, combine: .max, part: .lognormal(median: 10, sigma: 0.8))), 12, 1.86630084678165026303),
            (.parts(.init(count: 3, combine: .sum, part: .exponential(mean: 10))), 25, 7.27271600600802108744),
        ]
        for (model, t, expected) in cases {
            #expect(close(model.partialMoment(t), expected), "\(model) at \(t): \(model.partialMoment(t)) vs \(expected)")
        }
    }

    @Test func cdfsMatchReferenceValues() {
        #expect(close(DurationSpec.lognormal(median: 30, sigma: 0.5).cdf(40), 0.717477476014055700))
        #expect(close(DurationSpec.gamma(shape: 2.5, scale: 4).cdf(7), 0.376612372250417965))
        // Irwin–Hall by hand: 4 parts U[1.5, 2.4], t = 8.4 → y = 8/3, F = 1 − (4/3)^4/24 = 0.870370…
        let sum = DurationSpec.parts(.init(count: 4, combine: .sum, part: .seed(base: 1.5, variation: 0.9)))
        #expect(close(sum.cdf(8.4), 0.870370370370370370))
        // Max of 4 parts: F(2.2) = (0.7/0.9)^4.
        let max = DurationSpec.parts(.init(count: 4, combine: .max, part: .seed(base: 1.5, variation: 0.9)))
        #expect(close(max.cdf(2.2), 0.365950312452370066))
        #expect(close(max.mean, 2.22))     // DESIGN.md: 1.5 + 0.9 · 4/5
        #expect(close(DurationSpec.weibull(shape: 2, scale: 10).cdf(10), 1 - 0.36787944117144233))
        #expect(close(DurationSpec.lomax(shape: 2, scale: 5).cdf(5), 0.75))                     // 1 − 2^−2
        #expect(close(DurationSpec.symmetric(base: 0.6, variation: 0.9).cdf(0), 0.3 / 1.8))        // clamp mass
    }

    @Test func partialMomentTendsToTheMeanAndQuantileInvertsTheCDF() {
        let models: [DurationSpec] = [
            .lognormal(median: 30, sigma: 0.5), .gamma(shape: 2.5, scale: 4), .weibull(shape: 0.7, scale: 10),
            .exponential(mean: 10), .lomax(shape: 2.5, scale: 10), .seed(base: 1.5, variation: 0.9),
            .mixture([.init(weight: 3, model: .exponential(mean: 2)), .init(weight: 1, model: .lognormal(median: 60, sigma: 0.3))]),
        ]
        for m in models {
            let q = m.quantile(0.999_999_999_999)
            #expect(close(m.partialMoment(q), m.mean, 1e-6), "\(m)")
            for p in [0.01, 0.5, 0.9] {
                #expect(abs(m.cdf(m.quantile(p)) - p) < 1e-10, "\(m) at \(p)")
            }
        }
        // Mixture mean by hand: (3·2 + 60·e^0.045)/4.
        #expect(close(models[6].mean, (6 + 60 * 1.0460278599087169) / 4, 1e-12))
    }

    @Test func everyModelConsumesExactlyOneDrawAndMatchesItsMean() {
        let models: [DurationSpec] = [
            .seed(base: 1.5, variation: 0.9), .symmetric(base: 1.5, variation: 0.9), .lognormal(median: 20, sigma: 0.5),
            .gamma(shape: 0.6, scale: 5), .gamma(shape: 3, scale: 5), .weibull(shape: 1.5, scale: 20),
            .exponential(mean: 10), .lomax(shape: 3, scale: 10), .fixed(seconds: 4),
            .mixture([.init(weight: 1, model: .exponential(mean: 2)), .init(weight: 1, model: .fixed(seconds: 30))]),
            .parts(.init(count: 4, combine: .sum, part: .seed(base: 1.5, variation: 0.9))),
            .parts(.init(count: 4, combine: .max, part: .lognormal(median: 10, sigma: 0.8))),
        ]
        for model in models {
            var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
            _ = model.draw(using: &a)
            _ = b.next()
            #expect(a.next() == b.next(), "\(model) must consume one draw")
            // Sample mean within 4 standard errors of the exact mean (n = 4 000).
            var rng = SeededGenerator(seed: 11)
            let xs = (0..<4_000).map { _ in model.draw(using: &rng) }
            let mean = xs.reduce(0, +) / 4_000
            let sd = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3_999).squareRoot()
            #expect(abs(mean - model.mean) <= 4 * sd / 4_000.0.squareRoot() + 1e-12, "\(model): \(mean) vs \(model.mean)")
        }
    }

    @Test func legacyModelsDrawExactlyAsBefore() {
        // The seed model is `base + U(0, var)` from one draw: old runs keep their jobs.
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let model = DurationSpec.seed(base: 1.5, variation: 0.9)
        #expect(model.draw(using: &a) == 1.5 + 0.9 * b.unitInterval())
    }

    @Test func validationNamesTheField() {
        func field(_ m: DurationSpec) -> String? {
            do { try m.validate(); return nil } catch let e as PollingCoreError { return e.field } catch { return "?" }
        }
        #expect(field(.lognormal(median: 20, sigma: .nan)) == "duration.sigma")
        #expect(field(.gamma(shape: 0, scale: 1)) == "duration.shape")
        #expect(field(.mixture([.init(weight: 0, model: .exponential(mean: 1))])) == "duration.components")
        #expect(field(.mixture([.init(weight: -1, model: .exponential(mean: 1))])) == "duration.components[0].weight")
        #expect(field(.mixture([.init(weight: 1, model: .exponential(mean: -1))])) == "duration.components[0].mean")
        #expect(field(.parts(.init(count: 2, combine: .sum, part: .lognormal(median: 1, sigma: 1)))) == "duration.combine")
        #expect(field(.parts(.init(count: 0, combine: .max, part: .exponential(mean: 1)))) == "duration.count")
        #expect(field(.lomax(shape: 1.5, scale: 2)) == nil)
    }
}
