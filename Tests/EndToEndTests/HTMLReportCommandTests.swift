import Foundation
import Testing

/// `analyze report --format html` as a user runs it: real processes, a real file.
@Suite(.serialized) struct HTMLReportCommandTests {
    @Test func htmlReportIsByteIdenticalAndAnUnwritablePathFailsClearly() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/short.yaml", CommandLineTests.shortJobs)
        let run = try ProcessRunner.run("experiment", ["run", "short", "--simulate", "--trials", "300"], in: workspace.path)
        #expect(run.status == 0, "\(run.stderr)")
        var files: [Data] = []
        for name in ["a.html", "b.html"] {
            let report = try ProcessRunner.run(
                "analyze", ["report", "--experiment", "short", "--format", "html", "--out", name], in: workspace.path)
            #expect(report.status == 0, "\(report.stderr)")
            files.append(FileManager.default.contents(atPath: workspace.path + "/" + name) ?? Data())
        }
        #expect(!files[0].isEmpty && files[0] == files[1])
        #expect(files[0].count < 2_000_000)
        let html = String(decoding: files[0], as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.components(separatedBy: "<svg ").count - 1 == 6)

        let unwritable = try ProcessRunner.run(
            "analyze", ["report", "--experiment", "short", "--format", "html", "--out", "/nonexistent-dir/r.html"],
            in: workspace.path)
        #expect(unwritable.status != 0 && unwritable.stderr.contains("--out: cannot write /nonexistent-dir/r.html"), "\(unwritable.stderr)")
    }
}
