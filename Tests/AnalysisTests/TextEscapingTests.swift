import Analysis
import Foundation
import Testing
import TraceStore

/// Names with newlines, code fences, HTML and formula-leading characters (issue 10 item 19).
@Suite struct TextEscapingTests {
    @Test func escapesByFormat() {
        #expect(TextEscaping.oneLine("a\nb\tc\u{1B}d") == "a\\nb\\tc\\u{1B}d")
        #expect(TextEscaping.oneLine("plain é") == "plain é")
        #expect(TextEscaping.html("<b>\"x\" & 'y'</b>") == "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;")
        #expect(TextEscaping.markdown("**a|b** <i>") == "\\*\\*a\\|b\\*\\* \\<i\\>")
        #expect(TextEscaping.markdownFence(for: "no ticks") == "```")
        #expect(TextEscaping.markdownFence(for: "x ```` y ` z") == "`````")
    }

    /// OWASP "CSV Injection": a leading `'` before `=`, `+`, `-`, `@`, tab, CR; numbers untouched.
    @Test func csvNeutralisesFormulas() {
        #expect(CSV.field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSV.field("+1+2") == "'+1+2")
        #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.field("-cmd") == "'-cmd")
        #expect(CSV.field("\tx") == "'\tx")
        #expect(CSV.field("-0.5") == "-0.5")
        #expect(CSV.field("+1e-3") == "+1e-3")
        #expect(CSV.field("seed") == "seed")
    }

    /// A database (written by anything, not only through a validated file) with hostile arm names.
    static func database() throws -> Fixture {
        let f = try Fixture()
        let run = try f.run(experimentID: try f.experiment("toy"), trialsPerArm: 4)
        // Equal trials: the first arm is the report's best arm, named in its text.
        try f.referenceArm(runID: run, index: 0, name: "x\n```\n# injected <b>bold</b>")
        try f.referenceArm(runID: run, index: 1, name: "two\nlines")
        try f.referenceArm(runID: run, index: 2, name: "=1+1")
        return f
    }

    @Test func summaryTableKeepsOneLinePerArm() throws {
        let f = try Self.database()
        let db = try TraceDatabase.openReadOnly(path: f.path)
        let report = try db.reader.read { try SummaryReport.fetch($0, runIDs: [1], weights: .unit, scoreKind: .perTrial) }
        let lines = SummaryRenderer.table(report).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("two\\nlines ") }.count == 1)
        #expect(!lines.contains { $0.hasPrefix("lines") })
        let csv = SummaryRenderer.csv(report)
        #expect(csv.contains(",'=1+1,"))
        #expect(!csv.contains(",=1+1,"))
    }

    @Test func markdownReportCannotBeInjected() throws {
        let f = try Self.database()
        let db = try TraceDatabase.openReadOnly(path: f.path)
        let text = try ExperimentReport.render(reader: db.reader, experiment: "toy")
        // Outside code blocks (CommonMark fences: closed by a line of at least as many backticks)
        // there is no heading but the report's own and no raw HTML.
        var fence: Int?
        var outside: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let ticks = line.prefix { $0 == "`" }.count
            if let open = fence {
                if ticks >= open, line.allSatisfy({ $0 == "`" }) { fence = nil }
            } else if ticks >= 3 {
                fence = ticks
            } else {
                outside.append(line)
            }
        }
        #expect(fence == nil)
        #expect(outside.filter { $0.hasPrefix("#") }.allSatisfy { !$0.contains("injected") }, "\(outside)")
        #expect(!outside.contains { $0.contains("<b>") }, "\(outside)")
        #expect(outside.contains { $0.contains("**x\\\\n\\`\\`\\`\\\\n\\# injected \\<b\\>bold\\</b\\>**") }, "\(outside)")
    }
}
