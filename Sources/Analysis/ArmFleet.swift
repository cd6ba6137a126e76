/// The fleet figures of one arm (issue 12 item 7): what the arm's trials cost the server and how
/// long the whole fleet took. Shown by `analyze summary --fleet` (`FleetReport`).
public struct ArmFleet: Sendable, Hashable, Encodable {
    /// `arm.arm_index`.
    public var armIndex: Int
    /// `arm.name`.
    public var name: String
    /// `arm.strategy`.
    public var strategy: String
    /// Trials recorded.
    public var trials: Int
    /// The work: every request the arm's trials sent (create, status and cancel calls, refused
    /// ones included), i.e. its `api_call` rows.
    public var calls: Int
    /// Responses `429 Too Many Requests` received (`api_call.http_status = 429`).
    public var tooManyRequests: Int
    /// Responses `503 Service Unavailable` received (`api_call.http_status = 503`).
    public var unavailable: Int
    /// Makespan in seconds: the last detection minus the first trial start (`max(detect_ns) −
    /// min(start_ns)` over the arm's trials); over several runs, the mean of the runs' makespans;
    /// `nil` when nothing was detected.
    public var makespan: Double?
    /// 99th percentile of the detection delay, seconds (the summary's `p99Delay`).
    public var p99Delay: Double?
    /// The arm's peak load: the most status calls it sent in one 100 ms bucket of `sent_ns`
    /// (`LoadSeries` buckets); `nil` without status calls.
    public var peakCalls: Int?

    /// Creates an arm's figures (tests and renderers; `FleetReport.fetch` reads them from SQL).
    public init(armIndex: Int, name: String, strategy: String, trials: Int, calls: Int, tooManyRequests: Int,
                unavailable: Int, makespan: Double?, p99Delay: Double?, peakCalls: Int?) {
        self.armIndex = armIndex
        self.name = name
        self.strategy = strategy
        self.trials = trials
        self.calls = calls
        self.tooManyRequests = tooManyRequests
        self.unavailable = unavailable
        self.makespan = makespan
        self.p99Delay = p99Delay
        self.peakCalls = peakCalls
    }

    enum CodingKeys: String, CodingKey {
        case armIndex = "arm_index", name = "arm", strategy, trials, calls
        case tooManyRequests = "http_429", unavailable = "http_503", makespan = "makespan_s"
        case p99Delay = "p99_delay_s", peakCalls = "peak_calls_per_100ms"
    }

    /// Encodes every key, `null` for undefined values.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(armIndex, forKey: .armIndex)
        try c.encode(name, forKey: .name)
        try c.encode(strategy, forKey: .strategy)
        try c.encode(trials, forKey: .trials)
        try c.encode(calls, forKey: .calls)
        try c.encode(tooManyRequests, forKey: .tooManyRequests)
        try c.encode(unavailable, forKey: .unavailable)
        try c.encode(makespan, forKey: .makespan)
        try c.encode(p99Delay, forKey: .p99Delay)
        try c.encode(peakCalls, forKey: .peakCalls)
    }
}
