import ArgumentParser
import Logging

/// `--log-level LEVEL` parsed by ArgumentParser from swift-log's level names (trace, debug, info,
/// notice, warning, error, critical), which `--help` lists.
extension Logger.Level: @retroactive ExpressibleByArgument {}
