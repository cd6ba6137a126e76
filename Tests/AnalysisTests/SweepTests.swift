import Analysis
import Testing

@Suite struct SweepTests {
    /// late: one late poll (HR 1, ER 0.25); eager: HR 0.5, ER 0; slow: never best.
    /// late beats eager while 1 − 0.25 r > 0.5, i.e. r = wj / wi < 2.
    static func sweep() throws -> SweepReport {
        SweepReport(
            run: RunHeader(runID: 7, experiment: "toy", mode: "simulated", status: "finished", seed: "1",
                           startedAt: "2025-06-01T12:00:00Z", trialsPerArm: 4),
            runIDs: [7], scoreKind: .perTrial,
            arms: [
                .init(name: "late", strategy: "constant", trials: 4, hitRate: 1, meanER: 0.25),
                .init(name: "eager", strategy: "constant", trials: 4, hitRate: 0.5, meanER: 0),
                .init(name: "slow", strategy: "exponential", trials: 4, hitRate: 0.2, meanER: 0.1),
            ],
            wi: try WeightGrid.parse("0:2:0.5", field: "--wi"), wj: try WeightGrid.parse("0:2:0.5", field: "--wj"))
    }

    @Test func gridParsing() throws {
        #expect(try WeightGrid.parse("0:3:0.25", field: "--wi").values.count == 13)
        #expect(try WeightGrid.parse("0:3:0.25", field: "--wi").values.last == 3)
        #expect(try WeightGrid.parse("1", field: "--wi").values == [1])
        for bad in ["3:0:1", "0:1:0", "0:1", "a:b:c", "0:1000:1"] {
            #expect(throws: AnalysisError.self) { try WeightGrid.parse(bad, field: "--wj") }
        }
    }

    @Test func boundaryIsTheExactRatio() throws {
        let s = try Self.sweep()
        #expect(s.boundaries.count == 2)
        #expect(s.boundaries[0].winner == 0 && s.boundaries[0].to == 2)
        #expect(s.boundaries[1].winner == 1 && s.boundaries[1].from == 2 && s.boundaries[1].to == nil)
        // Cell (wi 1, wj 1): late 0.75, eager 0.5.
        #expect(s.cells[2][2].winner == 0 && s.cells[2][2].score == 0.75)
        // Cell (wi 0.5, wj 1): r = 2, a tie at 0.25.
        #expect(s.cells[2][1].tie && s.cells[2][1].score == 0.25)
    }

    @Test func seedBoundaryOfTheTheoryTable() throws {
        // Theory (DESIGN.md): one poll at 2.4 s on U[1.5, 2.4] has ER 0.15/2.4 = 0.0625 … the
        // switch ratio is (HR1 − HR2) / (ER1 − ER2); with HR 1 vs 0.5 and ERs 0.0625 and
        // 0.0625 − 0.5/1.64, the boundary is 1.64.
        let arms: [SweepReport.Arm] = [
            .init(name: "one-poll", strategy: "optimal", trials: 1, hitRate: 1, meanER: 0.0625 + 0.5 / 1.64),
            .init(name: "two-polls", strategy: "optimal", trials: 1, hitRate: 0.5, meanER: 0.0625),
        ]
        let grid = try WeightGrid.parse("1", field: "--wi")
        let s = SweepReport(run: try Self.sweep().run, runIDs: [7], scoreKind: .perTrial, arms: arms, wi: grid, wj: grid)
        #expect(abs((s.boundaries[0].to ?? 0) - 1.64) < 1e-12)
        #expect(SweepRenderer.ratioText(s) == "A (one-poll) for r < 1.6400; B (two-polls) for r > 1.6400")
    }

    @Test func mapGolden() throws {
        let expected = """
            weight sweep | run 7 | experiment toy | score per-trial kind: mean over trials of wi*HR - wj*ER
            winning arm per cell: rows wj 0:2:0.5 (top = largest), columns wi 0:2:0.5 (left = smallest)

              2 | B B = A A
            1.5 | B B A A A
              1 | B = A A A
            0.5 | B A A A A
              0 | = A A A A
                +----------
                  0   1   2  (wi)

            legend: A = late (constant), B = eager (constant), C = slow (exponential), '=' = tie
            winner by ratio wj/wi (any wi > 0): A (late) for r < 2.0000; B (eager) for r > 2.0000

            """
        let actual = SweepRenderer.map(try Self.sweep())
        #expect(actual.split(separator: "\n", omittingEmptySubsequences: false) == expected.split(separator: "\n", omittingEmptySubsequences: false))
    }

    @Test func tableGolden() throws {
        let table = SweepRenderer.table(try Self.sweep())
        let lines = table.split(separator: "\n")
        #expect(lines.count == 2 + 25)
        #expect(lines[0] == " wi   wj  winner   score  tie")
        #expect(lines[2] == "  0    0  late    0.0000  tie")
        #expect(lines[3] == "0.5    0  late    0.5000")
        #expect(lines[2 + 5 * 4 + 1] == "0.5    2  eager   0.2500")   // late 0.5 − 0.5 = 0 < eager 0.25
    }
}
