import Foundation

/// Where and with what a run was made: git revision, host and toolchain.
public struct Provenance: Sendable, Hashable {
    /// `git rev-parse HEAD` of the current directory's repository, `nil` outside one.
    public var gitSHA: String?
    /// Whether the work tree had uncommitted changes to tracked files.
    public var gitDirty: Bool?
    public var host: String
    /// The Swift compiler the binary was built with, e.g. `Swift 6.3.1` (`CompilerVersion`).
    public var toolchain: String

    public init(gitSHA: String?, gitDirty: Bool?, host: String, toolchain: String) {
        self.gitSHA = gitSHA
        self.gitDirty = gitDirty
        self.host = host
        self.toolchain = toolchain
    }

    /// Reads the provenance of the current process (runs `git` twice; a missing `git` or a
    /// directory outside a repository gives `nil` fields, never an error).
    public static func current() -> Provenance {
        let sha = run("git", "rev-parse", "HEAD")?.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = sha == nil ? nil : run("git", "status", "--porcelain", "--untracked-files=no")
        return Provenance(gitSHA: sha.flatMap { $0.isEmpty ? nil : $0 },
                          gitDirty: status.map { !$0.isEmpty },
                          host: ProcessInfo.processInfo.hostName,
                          toolchain: CompilerVersion.description)
    }

    private static func run(_ arguments: String...) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
