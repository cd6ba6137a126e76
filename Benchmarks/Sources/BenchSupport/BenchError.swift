/// A benchmark that could not run (the executables exit non-zero with its message).
public struct BenchError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String

    /// - Parameter description: what went wrong, naming the step.
    public init(_ description: String) { self.description = description }
}
