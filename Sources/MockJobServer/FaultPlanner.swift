import PollingCore

/// Chooses the fault of one status request.
///
/// A job with a script answers step `sequence` of it (then normally once it is used up); a job
/// without one draws from `FaultConfiguration`'s rates with a generator seeded by
/// (server seed, job number, sequence) alone, so the draw does not depend on how requests of
/// different jobs interleave. Three 64-bit draws per request, always in this order: the fault
/// (cumulative rates in `FaultConfiguration.rateKeys` order), whether latency applies, the
/// latency value.
enum FaultPlanner {
    /// The fault for a job's `sequence`-th status request (0-based).
    /// - Parameters:
    ///   - configuration: The server-wide rates.
    ///   - script: The job's scripted faults, or `nil`.
    ///   - serverSeed: `Configuration.seed`.
    ///   - jobNumber: The job's number (`12` for `j12`).
    ///   - sequence: The request's sequence number for that job, from 0.
    /// - Returns: The fault to apply (`kind == .ok` for a normal answer), with any latency in
    ///   `delayMs`.
    static func fault(configuration: MockJobServer.FaultConfiguration, script: [ScriptedFault]?,
                      serverSeed: UInt64, jobNumber: Int, sequence: Int) -> ScriptedFault {
        if let script {
            return sequence < script.count ? script[sequence] : ScriptedFault(kind: .ok)
        }
        guard configuration.isActive else { return ScriptedFault(kind: .ok) }
        var rng = SeededGenerator(seed: seed(serverSeed: serverSeed, jobNumber: jobNumber, sequence: sequence))
        let uFault = rng.unitInterval(), uApplies = rng.unitInterval(), uLatency = rng.unitInterval()
        var fault = ScriptedFault(kind: .ok)
        var cumulative = 0.0
        for key in MockJobServer.FaultConfiguration.rateKeys {
            cumulative += configuration[rate: key]
            if uFault < cumulative {
                fault = MockJobServer.FaultConfiguration.fault(for: key, retryAfter: configuration.retryAfter)
                break
            }
        }
        if let latency = configuration.latency, uApplies < configuration.latencyRate {
            fault.delayMs = latency.milliseconds(uLatency)
        }
        return fault
    }

    /// The seed of one request's draws: SplitMix64 chained over (server seed, a fault-stream
    /// tag, job number, sequence), independent of the job-drawing stream.
    static func seed(serverSeed: UInt64, jobNumber: Int, sequence: Int) -> UInt64 {
        var sm = SplitMix64(state: serverSeed ^ 0x4641_554C_5453)  // "FAULTS"
        var x = sm.next() ^ UInt64(truncatingIfNeeded: jobNumber)
        sm = SplitMix64(state: x)
        x = sm.next() ^ UInt64(truncatingIfNeeded: sequence)
        sm = SplitMix64(state: x)
        return sm.next()
    }
}
