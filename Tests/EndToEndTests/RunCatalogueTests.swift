import Foundation
import Testing

/// The run catalogue as a user drives it: two experiments run by the real `experiment`
/// process, tagged, listed with filters by the real `analyze`, one deleted with `--vacuum`.
@Suite(.serialized) struct RunCatalogueTests {
    static func experimentFile(named name: String) -> String {
        CommandLineTests.shortJobs.replacingOccurrences(of: "name: short", with: "name: \(name)")
    }

    /// `analyze` with arguments; the test fails on a non-zero exit.
    static func analyze(_ arguments: [String], in workspace: Workspace) throws -> String {
        let result = try ProcessRunner.run("analyze", arguments, in: workspace.path)
        #expect(result.status == 0, "analyze \(arguments): \(result.stderr)")
        return result.stdout
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? 0
    }

    @Test func runTwoTagListDeleteWithVacuum() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/alpha.yaml", Self.experimentFile(named: "alpha"))
        try workspace.write("experiments/beta.yaml", Self.experimentFile(named: "beta"))
        // Simulated, so that the runs are large enough for VACUUM to matter and fast.
        for name in ["alpha", "beta"] {
            let run = try ProcessRunner.run("experiment", ["run", name, "--simulate", "--trials", "400"], in: workspace.path)
            #expect(run.status == 0, "\(run.stderr)")
        }

        let tag = try ProcessRunner.run("experiment", ["tag", "1", "baseline=true", "owner=ci"], in: workspace.path)
        #expect(tag.status == 0 && tag.stdout.contains("run 1: tagged baseline=true owner=ci"), "\(tag)")
        let note = try ProcessRunner.run("experiment", ["note", "1", "before the change, with a comma"], in: workspace.path)
        #expect(note.status == 0, "\(note.stderr)")

        // Filters: by tag, by experiment, by mode; CSV has one record per matching run.
        let tagged = try Self.analyze(["runs", "--tag", "baseline=true", "--format", "csv"], in: workspace)
        let taggedLines = tagged.split(separator: "\n")
        #expect(taggedLines.count == 2, "\(tagged)")
        #expect(taggedLines.first == "run,experiment,status,mode,seed,arms,trials,started,wall_s,git,tags,note")
        #expect(taggedLines.last?.hasPrefix("1,alpha,finished,simulated,3,2,800,") == true, "\(tagged)")
        #expect(taggedLines.last?.hasSuffix(",\"baseline=true, owner=ci\",\"before the change, with a comma\"") == true, "\(tagged)")
        let beta = try Self.analyze(["runs", "--experiment", "beta", "--format", "json"], in: workspace)
        let objects = try JSONSerialization.jsonObject(with: Data(beta.utf8)) as? [[String: Any]]
        #expect(objects?.count == 1 && objects?.first?["run_id"] as? Int == 2, "\(beta)")
        #expect((objects?.first?["tags"] as? [String: String])?.isEmpty == true)
        #expect(try Self.analyze(["runs", "--mode", "live"], in: workspace) == "(no runs match)\n")
        #expect(try Self.analyze(["runs", "--tag", "baseline=false"], in: workspace) == "(no runs match)\n")
        let table = try Self.analyze(["runs"], in: workspace)
        #expect(table.split(separator: "\n").count == 4, "\(table)")

        // Bad input changes nothing: unknown run (even beside a known one), empty tag key.
        let summaryBefore = try Self.analyze(["summary", "--run", "1", "--format", "csv"], in: workspace)
        let unknown = try ProcessRunner.run("experiment", ["delete", "2", "99"], in: workspace.path)
        #expect(unknown.status != 0 && unknown.stderr.contains("no run with id 99"), "\(unknown)")
        let emptyKey = try ProcessRunner.run("experiment", ["tag", "2", "=x"], in: workspace.path)
        #expect(emptyKey.status != 0 && emptyKey.stderr.contains("tag key: is empty"), "\(emptyKey)")
        #expect(try Self.analyze(["runs", "--format", "csv"], in: workspace).split(separator: "\n").count == 3)

        // Delete run 2 with --vacuum: the file shrinks, stays intact, run 1 is unchanged.
        let sizeBefore = Self.fileSize(workspace.path + "/results.sqlite")
        let delete = try ProcessRunner.run("experiment", ["delete", "2", "--vacuum"], in: workspace.path)
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout.contains("deleted run 2 (rows: "), "\(delete.stdout)")
        #expect(delete.stdout.contains("800 trial"), "\(delete.stdout)")
        #expect(delete.stdout.contains("bytes after"), "\(delete.stdout)")
        let sizeAfter = Self.fileSize(workspace.path + "/results.sqlite")
        #expect(Self.fileSize(workspace.path + "/results.sqlite-wal") == 0)
        // Run 2 held half the rows: the file should lose well over a third of its size.
        #expect(sizeAfter * 3 < sizeBefore * 2, "before \(sizeBefore) B, after \(sizeAfter) B")
        let integrity = try Self.analyze(["sql", "PRAGMA integrity_check", "--format", "csv"], in: workspace)
        #expect(integrity == "integrity_check\nok\n", "\(integrity)")
        #expect(try Self.analyze(["summary", "--run", "1", "--format", "csv"], in: workspace) == summaryBefore)
        let remaining = try Self.analyze(["runs", "--format", "csv"], in: workspace).split(separator: "\n")
        #expect(remaining.count == 2 && remaining[1].hasPrefix("1,alpha,"), "\(remaining)")
    }
}
