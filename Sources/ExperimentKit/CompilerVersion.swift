/// The version of the Swift compiler that built this binary (the run's `toolchain` column),
/// from `#if compiler(>=…)` checks, which see the compiler's full version (`swift --version`):
/// exact from Swift 6.0.0 to 6.5.4, "Swift >= 6.6" beyond (add lines here for newer compilers).
enum CompilerVersion {
    /// E.g. `Swift 6.3.1`.
    static var description: String {
        #if compiler(>=6.6)
        return "Swift >= 6.6"
        #elseif compiler(>=6.5.4)
        return "Swift 6.5.4"
        #elseif compiler(>=6.5.3)
        return "Swift 6.5.3"
        #elseif compiler(>=6.5.2)
        return "Swift 6.5.2"
        #elseif compiler(>=6.5.1)
        return "Swift 6.5.1"
        #elseif compiler(>=6.5.0)
        return "Swift 6.5.0"
        #elseif compiler(>=6.4.4)
        return "Swift 6.4.4"
        #elseif compiler(>=6.4.3)
        return "Swift 6.4.3"
        #elseif compiler(>=6.4.2)
        return "Swift 6.4.2"
        #elseif compiler(>=6.4.1)
        return "Swift 6.4.1"
        #elseif compiler(>=6.4.0)
        return "Swift 6.4.0"
        #elseif compiler(>=6.3.4)
        return "Swift 6.3.4"
        #elseif compiler(>=6.3.3)
        return "Swift 6.3.3"
        #elseif compiler(>=6.3.2)
        return "Swift 6.3.2"
        #elseif compiler(>=6.3.1)
        return "Swift 6.3.1"
        #elseif compiler(>=6.3.0)
        return "Swift 6.3.0"
        #elseif compiler(>=6.2.4)
        return "Swift 6.2.4"
        #elseif compiler(>=6.2.3)
        return "Swift 6.2.3"
        #elseif compiler(>=6.2.2)
        return "Swift 6.2.2"
        #elseif compiler(>=6.2.1)
        return "Swift 6.2.1"
        #elseif compiler(>=6.2.0)
        return "Swift 6.2.0"
        #elseif compiler(>=6.1.4)
        return "Swift 6.1.4"
        #elseif compiler(>=6.1.3)
        return "Swift 6.1.3"
        #elseif compiler(>=6.1.2)
        return "Swift 6.1.2"
        #elseif compiler(>=6.1.1)
        return "Swift 6.1.1"
        #elseif compiler(>=6.1.0)
        return "Swift 6.1.0"
        #elseif compiler(>=6.0.4)
        return "Swift 6.0.4"
        #elseif compiler(>=6.0.3)
        return "Swift 6.0.3"
        #elseif compiler(>=6.0.2)
        return "Swift 6.0.2"
        #elseif compiler(>=6.0.1)
        return "Swift 6.0.1"
        #elseif compiler(>=6.0.0)
        return "Swift 6.0.0"
        #else
        return "Swift < 6.0"
        #endif
    }
}
