import ExperimentKit
import Foundation
import Testing

@Suite struct ProvenanceTests {
    /// The run's `toolchain` is the compiler that built the binary (issue 10 item 13), e.g.
    /// "Swift 6.3.1", not a range such as "Swift 6.3+": it equals what `swift --version` of the
    /// toolchain running the tests prints (the same toolchain built them).
    @Test func toolchainIsTheCompilersFullVersion() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // "Swift version 6.3.1 (swift-6.3.1-RELEASE)"
        let words = output.split(whereSeparator: \.isWhitespace)
        let index = try #require(words.firstIndex(of: "version"))
        let version = words[words.index(after: index)]
        #expect(Provenance.current().toolchain == "Swift \(version)")
    }
}
