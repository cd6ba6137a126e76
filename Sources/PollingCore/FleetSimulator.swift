/// A discrete-event simulation of all the trials of one arm on one virtual clock, against one
/// shared server whose admission rules are `ServerLimiter`'s, the state machine the live mock
/// server applies: the simulator's counterpart of a live run against a server of finite capacity.
///
/// Every trial follows `PollLoop` (as `TrialSimulator` and the live `Poller` do) and draws its
/// job, strategy jitter and round trips from the same seeds as `TrialSimulator`, so with an
/// unlimited server, arrivals at 0 and a cap above the trial count each trial's rows equal
/// `TrialSimulator`'s (a test holds it to that).
///
/// Timeline of one trial (instants on the arm's clock, from 0):
/// - trial `k` arrives at the `k`-th instant of the arrival stream (or, without `arrivals`, at its
///   ramp-up offset, `rampUp · k / concurrency` for the first `concurrency` trials and 0 after);
///   it starts (sends its create call) at once if fewer than `concurrency` trials are in flight,
///   otherwise when a slot frees, first come first served; the wait is recorded
///   (`TrialRecord.waitNanos`, only with an arrival pattern);
/// - the create call is not limited (as live): the job is created half a round trip after it is
///   sent, and polling starts when its answer arrives;
/// - a status call sent at `s` with round trip `rtt` reaches the server at `s + rtt/2`, where the
///   limiter decides: 429 with `Retry-After` (the limiter's wait rounded up to whole seconds, as
///   the live server's header), 503, or served from `start` to `finish` (queueing and service
///   time); the status is read when the answer leaves (`finish`, after any long-poll hold) and
///   the answer arrives `rtt − rtt/2` later. A response later than the call's bound (request
///   timeout plus long-poll wait, cut at the deadline, as `Poller`) is a `timeout` failure at the
///   bound; the server still counts it served;
/// - a trial releases its slot when it ends (after its cancel call, with `cancel_at_deadline`).
///   Create and cancel calls are not limited, as live.
///
/// Tie-break: events at the same instant are processed in increasing trial index; a trial has at
/// most one event pending, so the order is total and the same seed gives the same rows, bit for
/// bit (`EventQueue`). The agenda holds only trials in flight (at most `concurrency`); arrivals
/// are drawn one at a time, so memory does not grow with the trial count.
///
/// Use: call `next()` until it returns `nil`; each call returns the next trial to finish (in
/// order of the instant it ended). `makeStrategy` is called when a trial starts, so a learning
/// arm may learn from the records returned so far (deterministic).
public struct FleetSimulator<S: PollingStrategy> {
    /// What to simulate.
    public struct Setup: Sendable {
        /// The arm's name and position (for the strategy and network seeds).
        public var arm: String
        public var armIndex: Int
        /// Trials of the arm (indices `0..<trials`).
        public var trials: Int
        /// The run seed every draw derives from (`SeedDerivation`).
        public var runSeed: UInt64
        /// The job model.
        public var parameters: JobParameters
        /// Round trips, deadline, request timeout, retry policy (as `TrialSimulator`).
        public var simulator: TrialSimulator
        /// The server's capacity (unlimited: every request served on arrival).
        public var capacity: ServerCapacity
        /// Trials in flight at once (≥ 1).
        public var concurrency: Int
        /// When trials want to start; `nil` = the ramp-up rule.
        public var arrivals: ArrivalPattern?
        /// Seconds over which the first `concurrency` trials start (without `arrivals`).
        public var rampUp: Double
        /// Cancel a timed-out trial's job at its deadline.
        public var cancelAtDeadline: Bool
        /// The arm's shared retry budget, if any.
        public var budget: RetryBudget?

        public init(arm: String, armIndex: Int, trials: Int, runSeed: UInt64, parameters: JobParameters,
                    simulator: TrialSimulator, capacity: ServerCapacity = ServerCapacity(), concurrency: Int,
                    arrivals: ArrivalPattern? = nil, rampUp: Double = 0, cancelAtDeadline: Bool = false,
                    budget: RetryBudget? = nil) {
            self.arm = arm
            self.armIndex = armIndex
            self.trials = trials
            self.runSeed = runSeed
            self.parameters = parameters
            self.simulator = simulator
            self.capacity = capacity
            self.concurrency = concurrency
            self.arrivals = arrivals
            self.rampUp = rampUp
            self.cancelAtDeadline = cancelAtDeadline
            self.budget = budget
        }
    }

    private enum Event: Sendable {
        /// Trial starts (sends its create call); it arrived at the given instant.
        case begin(arrived: Duration)
        /// The trial's status request reaches the server.
        case atServer
        /// The trial's response (or timeout) arrives.
        case response
        /// The trial ends (its cancel answer arrived): its slot frees.
        case release
    }

    /// One trial in flight. Instants are offsets from the trial's origin (its create call).
    private struct Trial {
        var index: Int
        var jobSeed: UInt64
        var job: PlannedJob
        var origin: Duration
        var wait: Duration?
        var createRTT: Duration
        var loop: PollLoop<S>
        var rng: SeededGenerator
        var network: SeededGenerator
        /// The call in flight: when sent (from start), its round trip, its bound and long-poll wait.
        var sent = Duration.zero
        var rtt = Duration.zero
        var bound = Duration.zero
        var longPoll: Duration?
        /// Its result, once the server decided, and when it arrives (from start).
        var result: PollLoop<S>.CallResult?
        var received = Duration.zero
        var final: JobStatusResponse?

        var start: Duration { createRTT }
        var anchor: Duration { createRTT / 2 }
    }

    public let setup: Setup
    /// The server's state and counts per 100 ms bucket (on the arm's clock).
    public private(set) var limiter: ServerLimiter
    private let makeStrategy: (Int) throws -> S
    private var agenda = EventQueue<Event>()
    private var inFlight: [Int: Trial] = [:]
    private var arrivals: ArrivalStream?
    private var nextToBegin = 0
    /// Records finished by the last event, waiting to be handed out.
    private var ready: [TrialRecord] = []

    /// - Parameters:
    ///   - setup: what to simulate.
    ///   - makeStrategy: the strategy of trial `index`, called when it starts.
    public init(_ setup: Setup, makeStrategy: @escaping (Int) throws -> S) {
        self.setup = setup
        self.makeStrategy = makeStrategy
        self.limiter = ServerLimiter(capacity: setup.capacity)
        self.arrivals = setup.arrivals?.stream(seed: SeedDerivation.arrivalSeed(runSeed: setup.runSeed))
        for _ in 0..<min(max(1, setup.concurrency), setup.trials) { admitNext(now: .zero) }
    }

    /// Events waiting on the agenda: at most one per trial in flight, so at most `concurrency`.
    public var eventsPending: Int { agenda.count }

    /// Runs events until the next trial ends.
    /// - Returns: that trial's record, or `nil` when every trial has ended.
    /// - Throws: what `makeStrategy` throws.
    public mutating func next() throws -> TrialRecord? {
        while ready.isEmpty {
            guard let event = agenda.pop() else { return nil }
            try handle(event)
        }
        return ready.removeFirst()
    }

    /// Gives the next trial in order a slot freed at `now`: it begins at its arrival, or now if
    /// it arrived earlier.
    private mutating func admitNext(now: Duration) {
        guard nextToBegin < setup.trials else { return }
        let index = nextToBegin
        nextToBegin += 1
        let arrived = arrivals?.next() ?? rampUpOffset(index)
        agenda.push(at: max(now, arrived), trial: index, .begin(arrived: arrived))
    }

    private func rampUpOffset(_ index: Int) -> Duration {
        guard setup.rampUp > 0, index < setup.concurrency else { return .zero }
        return .clampedSeconds(setup.rampUp * Double(index) / Double(setup.concurrency))
    }

    private mutating func handle(_ entry: EventQueue<Event>.Entry) throws {
        let now = entry.at
        switch entry.payload {
        case .begin(let arrived):
            try begin(entry.trial, now: now, arrived: arrived)
        case .atServer:
            serve(entry.trial, now: now)
        case .response:
            guard var trial = inFlight[entry.trial], let result = trial.result else { return }
            let action = trial.loop.received(result, sent: trial.sent, received: trial.received,
                                             finalResponse: trial.final, using: &trial.rng)
            proceed(trial, action, now: now)
        case .release:
            admitNext(now: now)
        }
    }

    private mutating func begin(_ index: Int, now: Duration, arrived: Duration) throws {
        let runSeed = setup.runSeed, arm = setup.armIndex
        let jobSeed = SeedDerivation.jobSeed(runSeed: runSeed, trialIndex: index)
        var network = SeededGenerator(seed: SeedDerivation.networkSeed(runSeed: runSeed, armIndex: arm, trialIndex: index))
        let createRTT = setup.simulator.latency.draw(using: &network)
        var strategy = try makeStrategy(index)
        // The hint the server would return in its 202 (as `TrialSimulator`).
        strategy.accepted(AcceptedJob(expectedDuration: CreateJobRequest(job: setup.parameters, seed: jobSeed).answeredExpectedDuration))
        var trial = Trial(
            index: index, jobSeed: jobSeed, job: PlannedJob.draw(setup.parameters, seed: jobSeed), origin: now,
            wait: setup.arrivals == nil ? nil : now - arrived, createRTT: createRTT,
            loop: PollLoop(strategy: strategy, configuration: setup.simulator.configuration, budget: setup.budget),
            rng: SeededGenerator(seed: SeedDerivation.strategySeed(runSeed: runSeed, armIndex: arm, trialIndex: index)),
            network: network)
        let action = trial.loop.start(using: &trial.rng)
        proceed(trial, action, now: now)
    }

    /// Carries out the poll loop's action: sends the next call, or ends the trial.
    private mutating func proceed(_ trial: Trial, _ action: PollLoop<S>.Action, now: Duration) {
        var trial = trial
        switch action {
        case .send(let at, let timeout, let wait):
            trial.sent = at
            trial.rtt = setup.simulator.latency.draw(using: &trial.network)
            trial.longPoll = wait
            var bound = timeout + (wait ?? .zero)  // as `Poller`: the timeout plus the long-poll wait, cut at the deadline
            if let deadline = setup.simulator.configuration.deadline { bound = min(bound, max(.zero, deadline - at)) }
            trial.bound = bound
            trial.result = nil
            inFlight[trial.index] = trial
            agenda.push(at: trial.origin + trial.start + at + trial.rtt / 2, trial: trial.index, .atServer)
        case .finish(let trace):
            inFlight[trial.index] = nil
            var record = setup.simulator.finishedRecord(
                arm: setup.arm, trialIndex: trial.index, jobSeed: trial.jobSeed, job: trial.job,
                origin: trial.origin.nanoseconds, createRTT: trial.createRTT, trace: trace,
                cancelAtDeadline: setup.cancelAtDeadline, network: &trial.network)
            record.waitNanos = trial.wait?.nanoseconds
            ready.append(record)
            let ended = Duration.nanoseconds(record.calls.last.map { max($0.receivedNanos, record.endNanos) } ?? record.endNanos)
            if ended > now {
                agenda.push(at: ended, trial: trial.index, .release)
            } else {
                admitNext(now: now)
            }
        }
    }

    /// The trial's request reaches the server at `now`: the limiter decides, the answer is
    /// scheduled.
    private mutating func serve(_ index: Int, now: Duration) {
        guard var trial = inFlight[index] else { return }
        let base = trial.origin + trial.start  // the trial's `start` on the arm's clock
        let back = trial.rtt - trial.rtt / 2
        var arrives: Duration
        switch limiter.admit(at: now) {  // an unlimited limiter serves at once (and counts)
        case .serve(_, let finish):
            let answer = TrialSimulator.answer(trial.job, servedAt: finish - trial.origin, anchor: trial.anchor,
                                               wait: trial.longPoll, reportsProgress: setup.simulator.reportsProgress)
            trial.result = .status(answer.status, httpStatus: 200, hint: answer.hint)
            trial.final = answer.final
            arrives = trial.origin + answer.leaves + back
        case .rateLimited(let retryAfter):
            // The live server's header carries whole seconds, rounded up (`MockJobServerError`).
            trial.result = .failure(code: "http_429", httpStatus: 429, transient: true,
                                    retryAfter: .seconds(retryAfter.seconds.rounded(.up)))
            trial.final = nil
            arrives = now + back
        case .overloaded:
            trial.result = .failure(code: "http_503", httpStatus: 503, transient: true, retryAfter: nil)
            trial.final = nil
            arrives = now + back
        }
        if arrives - (base + trial.sent) > trial.bound {
            trial.result = .failure(code: "timeout", httpStatus: nil, transient: true, retryAfter: nil)
            trial.final = nil
            arrives = base + trial.sent + trial.bound
        }
        trial.received = arrives - base
        inFlight[index] = trial
        agenda.push(at: max(now, arrives), trial: index, .response)
    }
}
