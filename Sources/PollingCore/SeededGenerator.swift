/// A small, fast, seedable pseudo-random generator (xoshiro256**, Blackman and Vigna 2018),
/// seeded through SplitMix64 so that any 64-bit seed, including 0, gives a good state.
///
/// Every random draw in PollLab comes from one of these, passed in explicitly: the same seed
/// gives the same sequence on every platform, bit for bit.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole output is determined by `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64 (Steele, Lea and Flood 2014): used to seed `SeededGenerator` and to derive
/// independent child seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The current state; the next output is a mix of `state + 0x9E3779B97F4A7C15`.
    public var state: UInt64

    /// Creates a generator starting from `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A uniform draw from [0, 1) with 53 random bits (one 64-bit draw).
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform draw from [`lower`, `upper`) in seconds or any unit; returns `lower` when
    /// `upper <= lower`. Always consumes exactly one 64-bit draw, so sequences stay aligned.
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        let u = unitInterval()
        guard upper > lower else { return lower }
        return lower + (upper - lower) * u
    }
}

/// Derivation of child seeds, so that every trial of every arm sees the same job
/// (common random numbers) and a resumed trial gets its original job.
public enum SeedDerivation {
    /// The job seed of trial `trialIndex` in a run seeded with `runSeed`. Independent of the arm,
    /// so all arms of an experiment poll identical jobs.
    public static func jobSeed(runSeed: UInt64, trialIndex: Int) -> UInt64 {
        mix(runSeed, 0x4A4F_4253, UInt64(truncatingIfNeeded: trialIndex))
    }

    /// The seed of the strategy's own generator (jitter draws) for one trial of one arm.
    public static func strategySeed(runSeed: UInt64, armIndex: Int, trialIndex: Int) -> UInt64 {
        mix(runSeed, 0x5354_5241 &+ UInt64(truncatingIfNeeded: armIndex) << 32,
            UInt64(truncatingIfNeeded: trialIndex))
    }

    /// The seed of the simulated network's generator (latency draws) for one trial of one arm,
    /// kept apart from the strategy's so that latency never shifts the strategy's draws.
    public static func networkSeed(runSeed: UInt64, armIndex: Int, trialIndex: Int) -> UInt64 {
        mix(runSeed, 0x4E45_5457 &+ UInt64(truncatingIfNeeded: armIndex) << 32,
            UInt64(truncatingIfNeeded: trialIndex))
    }

    private static func mix(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        var sm = SplitMix64(state: a)
        var x = sm.next() ^ b
        sm = SplitMix64(state: x)
        x = sm.next() ^ c
        sm = SplitMix64(state: x)
        return sm.next()
    }
}
