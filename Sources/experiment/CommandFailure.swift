/// A command failure with a message that names the problem and the fix; swift-argument-parser
/// prints it as `Error: …` on standard error and exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
