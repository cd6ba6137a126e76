import PollingCore
import Testing

@Suite struct CoreModelTests {
    @Test func splitMixMatchesTheReferenceOutput() {
        // SplitMix64 from state 0: the reference implementation's first output.
        var sm = SplitMix64(state: 0)
        #expect(sm.next() == 0xE220_A839_7B1D_CDAF)
    }

    @Test func seededGeneratorIsReproducibleAndSeedSensitive() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }

    @Test func unitIntervalMeanIsOneHalf() {
        // Mean of U(0,1) is 1/2 with standard error sqrt(1/12/n).
        var rng = SeededGenerator(seed: 7)
        let n = 100_000
        let mean = (0..<n).reduce(0.0) { acc, _ in acc + rng.unitInterval() } / Double(n)
        #expect(abs(mean - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
    }

    @Test func jobSeedsAreSharedAcrossArmsAndDistinctAcrossTrials() {
        let a = SeedDerivation.jobSeed(runSeed: 1, trialIndex: 0)
        #expect(a == SeedDerivation.jobSeed(runSeed: 1, trialIndex: 0))
        #expect(a != SeedDerivation.jobSeed(runSeed: 1, trialIndex: 1))
        #expect(a != SeedDerivation.jobSeed(runSeed: 2, trialIndex: 0))
        #expect(SeedDerivation.strategySeed(runSeed: 1, armIndex: 0, trialIndex: 0)
                != SeedDerivation.strategySeed(runSeed: 1, armIndex: 1, trialIndex: 0))
    }

    @Test func plannedJobsFollowTheSeedModel() {
        // Seed model: duration U[1.5, 2.4] (mean 1.95, sd 0.9/sqrt(12)); outcome completed w.p. 0.8.
        let parameters = JobParameters(baseDelay: 1.5, varDelay: 0.9, successRate: 0.8)
        let n = 20_000
        let jobs = (0..<n).map { PlannedJob.draw(parameters, seed: SeedDerivation.jobSeed(runSeed: 5, trialIndex: $0)) }
        #expect(jobs.allSatisfy { (1.5...2.4).contains($0.duration) })
        let mean = jobs.reduce(0) { $0 + $1.duration } / Double(n)
        #expect(abs(mean - 1.95) < 4 * (0.9 / 12.0.squareRoot()) / Double(n).squareRoot())
        let completed = Double(jobs.filter { $0.outcome == .completed }.count) / Double(n)
        #expect(abs(completed - 0.8) < 4 * (0.8 * 0.2 / Double(n)).squareRoot())
        #expect(PlannedJob.draw(parameters, seed: 99) == PlannedJob.draw(parameters, seed: 99))
    }

    @Test func symmetricModelCoversBothSidesAndClampsAtZero() {
        let parameters = JobParameters(baseDelay: 1.5, varDelay: 0.9, durationModel: .symmetric)
        #expect(parameters.durationBounds == 0.6...2.4)
        let durations = (0..<5_000).map { PlannedJob.draw(parameters, seed: UInt64($0)).duration }
        #expect(durations.allSatisfy { (0.6...2.4).contains($0) })
        #expect(durations.contains { $0 < 1.5 } && durations.contains { $0 > 1.5 })
        let clamped = JobParameters(baseDelay: 0.1, varDelay: 1, durationModel: .symmetric)
        #expect((0..<1_000).allSatisfy { PlannedJob.draw(clamped, seed: UInt64($0)).duration >= 0 })
    }

    @Test func validationNamesTheOffendingField() {
        #expect(throws: PollingCoreError.self) { try JobParameters(baseDelay: -1, varDelay: 0).validate() }
        func field(_ p: JobParameters) -> String? {
            do { try p.validate(); return nil } catch let e as PollingCoreError { return e.field } catch { return "?" }
        }
        #expect(field(JobParameters(baseDelay: -1, varDelay: 0)) == "base_delay")
        #expect(field(JobParameters(baseDelay: 1, varDelay: .infinity)) == "var_delay")
        #expect(field(JobParameters(baseDelay: 1, varDelay: 0, successRate: 1.5)) == "success_rate")
        #expect(field(JobParameters(baseDelay: 1, varDelay: 0, successRate: .nan)) == "success_rate")
        #expect(field(JobParameters()) == nil)
    }

    @Test func durationConversions() {
        #expect(Duration.milliseconds(1500).seconds == 1.5)
        #expect(Duration.milliseconds(1500).nanoseconds == 1_500_000_000)
        #expect(Duration.clampedSeconds(.infinity) == .seconds(1_000_000_000_000))
        #expect(Duration.clampedSeconds(.nan) == .zero)
    }

    @Test func virtualClockJumpsForwardOnSleep() async throws {
        let clock = VirtualClock()
        let start = clock.now
        try await clock.sleep(until: start.advanced(by: .seconds(2)))
        #expect(start.duration(to: clock.now) == .seconds(2))
        try await clock.sleep(until: start.advanced(by: .seconds(1)))
        #expect(start.duration(to: clock.now) == .seconds(2))
        clock.advance(by: .milliseconds(5))
        #expect(start.duration(to: clock.now) == .milliseconds(2005))
    }
}
