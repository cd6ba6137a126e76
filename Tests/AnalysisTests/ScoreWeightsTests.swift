import Analysis
import Testing

@Suite struct ScoreWeightsTests {
    @Test func parsesTwoNumbers() throws {
        #expect(try ScoreWeights.parse("1,2") == ScoreWeights(wi: 1, wj: 2))
        #expect(try ScoreWeights.parse(" 1 , 0.5 ") == ScoreWeights(wi: 1, wj: 0.5))
        #expect(try ScoreWeights.parse("2,1").description == "2,1")
        #expect(try ScoreWeights.parse("1,0.5").description == "1,0.5")
        #expect(ScoreWeights.unit.wi == 1 && ScoreWeights.unit.wj == 1)
    }

    @Test(arguments: ["", "1", "1,2,3", "a,b", "1,", ",1", "nan,1", "1,inf", "1;2"])
    func rejectsEverythingElse(_ text: String) {
        #expect(throws: AnalysisError.invalidWeights(text)) { try ScoreWeights.parse(text) }
    }

    @Test func errorMessageShowsTheExpectedForm() {
        let error = AnalysisError.invalidWeights("x")
        #expect(error.code == "invalid_weights")
        #expect(error.description.hasPrefix("--weights expects WI,WJ like 1,2"))
    }
}
