import Analysis
import GRDB
import Testing

@Suite struct RunSelectorTests {
    /// Experiments: seed-headline (runs 1 and 3), other (run 2), never-run (no runs).
    static func threeRuns() throws -> Fixture {
        let f = try Fixture()
        let headline = try f.experiment("seed-headline")
        let other = try f.experiment("other")
        try f.experiment("never-run")
        try f.run(experimentID: headline)   // 1
        try f.run(experimentID: other)      // 2
        try f.run(experimentID: headline)   // 3
        return f
    }

    func resolve(_ selector: RunSelector, in f: Fixture) throws -> Int64 {
        try f.queue.read { db in try selector.resolve(db, databaseName: "results.sqlite") }
    }

    @Test func latestIsTheHighestRunID() throws {
        #expect(try resolve(.latest, in: Self.threeRuns()) == 3)
    }

    @Test func experimentSelectsItsLatestRun() throws {
        let f = try Self.threeRuns()
        #expect(try resolve(.experiment("seed-headline"), in: f) == 3)
        #expect(try resolve(.experiment("other"), in: f) == 2)
    }

    @Test func runIDSelectsThatRun() throws {
        #expect(try resolve(.run(2), in: Self.threeRuns()) == 2)
    }

    @Test func unknownRunNamesTheLatest() throws {
        let f = try Self.threeRuns()
        #expect(throws: AnalysisError.unknownRun(id: 99, latest: 3)) { try resolve(.run(99), in: f) }
    }

    @Test func unknownExperimentListsKnownOnes() throws {
        let f = try Self.threeRuns()
        let expected = AnalysisError.unknownExperiment(name: "nope", known: ["never-run", "other", "seed-headline"])
        #expect(throws: expected) { try resolve(.experiment("nope"), in: f) }
        #expect(expected.code == "unknown_experiment")
        #expect(expected.description == "--experiment: no experiment named \"nope\" (known experiments: never-run, other, seed-headline)")
    }

    @Test func experimentWithoutRuns() throws {
        let f = try Self.threeRuns()
        #expect(throws: AnalysisError.experimentWithoutRuns(name: "never-run")) {
            try resolve(.experiment("never-run"), in: f)
        }
    }

    @Test func emptyDatabaseSaysHowToMakeARun() throws {
        let f = try Fixture()
        #expect(throws: AnalysisError.noRuns(path: "results.sqlite")) { try resolve(.latest, in: f) }
        #expect(AnalysisError.noRuns(path: "results.sqlite").description
            == "no runs in results.sqlite: run `swift run experiment run seed-headline` first")
        // Through the reader, the database is named by its path.
        #expect(throws: AnalysisError.noRuns(path: f.path)) { try SummaryReport.load(from: f.queue) }
    }

    @Test func aDatabaseWithoutTheSchemaIsRejected() throws {
        let queue = try DatabaseQueue()   // in memory, no tables
        #expect(throws: AnalysisError.notAResultsDatabase(path: "x.sqlite")) {
            try queue.read { db in try RunSelector.latest.resolve(db, databaseName: "x.sqlite") }
        }
    }
}
