import Foundation
import GRDB
import Testing

/// Two `experiment resume` processes of one interrupted run, released at the same instant
/// (issue 10 item 16): exactly one takes the run, the other is refused; the run ends finished
/// with every trial once.
@Suite(.serialized) struct ConcurrentResumeTests {
    static let experiment = """
        name: racing
        description: simulated trials for the concurrent-resume test
        mode: simulated
        trials: 300
        seed: 41
        latency: [0.001, 0.003]
        timeout: 30
        job: {base_delay: 1.5, var_delay: 0.9}
        arms:
          - {name: seed, strategy: seed, duration_hint: 1.5}
          - {name: jitter, strategy: exponential, jitter: full}
        """

    /// Every trial of the run with its calls, in a fixed order.
    static let rowsSQL = """
        SELECT a.name, t.trial_index, t.job_seed, t.start_ns, t.done_ns, t.detect_ns, t.end_ns, t.outcome, t.tries,
               (SELECT group_concat(c.seq || ':' || c.sent_ns || ':' || c.received_ns) FROM api_call c WHERE c.trial_id = t.id)
        FROM trial t JOIN arm a ON a.id = t.arm_id ORDER BY a.arm_index, t.trial_index
        """

    /// The barrier: the test holds the database's write lock (an open `IMMEDIATE` transaction)
    /// while both processes start; each says on standard error (`--verbose`) that it is about to
    /// claim the run and then waits on that lock (PollLab's busy handler retries every 0.2 ms).
    /// Once both have said so, the test commits, and both claim within the same instant. The old
    /// claim (check the status, then reopen the run in separate statements) let both take the run
    /// here and fail on the trial table's UNIQUE constraint.
    @Test(arguments: 0..<3) func twoResumeProcessesReleasedTogetherResumeTheRunOnce(round: Int) throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("experiments/racing.yaml", Self.experiment)
        let db = workspace.path + "/race.sqlite"
        let first = try ProcessRunner.run("experiment", ["run", "racing", "--db", db], in: workspace.path)
        try #require(first.status == 0, "\(first.stderr)")

        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the barrier's transaction spans two accesses
        configuration.busyMode = .timeout(30)
        let queue = try DatabaseQueue(path: db, configuration: configuration)
        let complete = try queue.read { try Row.fetchAll($0, sql: Self.rowsSQL) }
        #expect(complete.count == 600)
        // A crash lost the last 200 trials of each arm and left the run interrupted.
        try queue.write { db in
            try db.execute(sql: "DELETE FROM api_call WHERE trial_id IN (SELECT id FROM trial WHERE trial_index >= 100)")
            try db.execute(sql: "DELETE FROM trial WHERE trial_index >= 100")
            try db.execute(sql: "UPDATE run SET status = 'interrupted', ended_at = NULL")
        }

        try queue.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        var released = false
        defer { if !released { try? queue.inDatabase { try $0.execute(sql: "ROLLBACK") } } }
        let resumes = try (0..<2).map { _ in
            try ChildProcess(product: "experiment", ["resume", "1", "--db", db, "--verbose"], in: workspace.path)
        }
        for resume in resumes {
            let said = resume.readStandardError(until: "claiming run 1")
            try #require(said.contains("claiming run 1"), "a resume exited before claiming: \(said)")
        }
        try queue.inDatabase { try $0.execute(sql: "COMMIT") }
        released = true
        let outputs = resumes.map { $0.wait() }

        let succeeded = outputs.filter { $0.status == 0 }
        let refused = outputs.filter { $0.status != 0 }
        #expect(succeeded.count == 1 && refused.count == 1, "round \(round): \(outputs)")
        #expect(succeeded.first?.stdout.contains("resumed 400 missing trials") == true, "\(outputs)")
        #expect(refused.first?.stderr.contains("still being written by another runner") == true, "\(outputs)")
        for output in outputs {
            #expect(!output.stderr.contains("UNIQUE"), "\(output.stderr)")
        }
        let status = try queue.read { try String.fetchOne($0, sql: "SELECT status FROM run WHERE id = 1") }
        #expect(status == "finished")
        let after = try queue.read { try Row.fetchAll($0, sql: Self.rowsSQL) }
        #expect(after.count == 600)
        #expect(after == complete)
        try queue.close()
    }
}

/// A child process whose standard error the test reads as it is written (a pipe) and whose
/// standard output goes to a file.
final class ChildProcess {
    struct Output: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status), stdout: \(stdout), stderr: \(stderr)" }
    }

    private let process = Process()
    private let errorPipe = Pipe()
    private let outPath: String
    private var stderrSoFar = Data()

    init(product: String, _ arguments: [String], in directory: String) throws {
        outPath = directory + "/.stdout-\(UUID())"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        process.executableURL = ProcessRunner.productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Blocks until standard error holds `text` or is closed; returns what was read so far.
    func readStandardError(until text: String) -> String {
        while !String(decoding: stderrSoFar, as: UTF8.self).contains(text) {
            let chunk = errorPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // closed: the process exited
            stderrSoFar.append(chunk)
        }
        return String(decoding: stderrSoFar, as: UTF8.self)
    }

    /// Reads the rest of standard error, waits for the exit, and returns the output.
    func wait() -> Output {
        stderrSoFar.append(errorPipe.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: String(decoding: stderrSoFar, as: UTF8.self))
    }
}
