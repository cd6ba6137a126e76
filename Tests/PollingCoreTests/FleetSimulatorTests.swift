import Foundation
import PollingCore
import Testing

/// The discrete-event simulation of an arm's trials against one server (`FleetSimulator`), on
/// small cases computed by hand.
@Suite struct FleetSimulatorTests {
    /// Jobs that take 100 s (none finishes during these tests).
    static let longJob = JobParameters(baseDelay: 100, varDelay: 0, successRate: 1)

    func run(trials: Int, concurrency: Int, capacity: ServerCapacity, arrivals: ArrivalPattern? = .herd,
             deadline: Double, interval: Double, job: JobParameters = longJob) throws -> ([TrialRecord], LoadCounts) {
        let setup = FleetSimulator<ConstantStrategy>.Setup(
            arm: "a", armIndex: 0, trials: trials, runSeed: 7, parameters: job,
            simulator: TrialSimulator(configuration: PollLoopConfiguration(deadline: .clampedSeconds(deadline))),
            capacity: capacity, concurrency: concurrency, arrivals: arrivals)
        var fleet = FleetSimulator(setup) { _ in ConstantStrategy(interval: interval) }
        var records: [TrialRecord] = []
        while let record = try fleet.next() { records.append(record) }
        return (records.sorted { $0.trialIndex < $1.trialIndex }, fleet.limiter.counts)
    }

    func statusCalls(_ record: TrialRecord) -> [(sent: Int64, http: Int?, retryAfter: Int64?)] {
        record.calls.filter { $0.kind == .status }.map { ($0.sentNanos, $0.httpStatus, $0.retryAfterNanos) }
    }

    /// Burst 2, rate 1/s, 4 trials polling at once at 0 (zero latency): trials 0 and 1 take the
    /// two tokens; trials 2 and 3 get 429 with Retry-After (1 − 0)/1 = 1 s. At 1 s one token has
    /// come back: trial 2 (lower index first at the same instant) is served, trial 3 gets 429
    /// with Retry-After 1 s again and is served at 2 s. Trials 0 and 1 poll next at 10 s, after
    /// the 3 s deadline.
    @Test func tokenBucketByHand() throws {
        let (records, counts) = try run(trials: 4, concurrency: 4, capacity: ServerCapacity(rate: 1, burst: 2),
                                        deadline: 3, interval: 10)
        let s = Int64(1_000_000_000)
        #expect(statusCalls(records[0]).map(\.http) == [200])
        #expect(statusCalls(records[1]).map(\.http) == [200])
        #expect(statusCalls(records[2]).map { [$0.sent, Int64($0.http ?? 0), $0.retryAfter ?? -1] }
                == [[0, 429, s], [s, 200, -1]])
        #expect(statusCalls(records[3]).map { [$0.sent, Int64($0.http ?? 0), $0.retryAfter ?? -1] }
                == [[0, 429, s], [s, 429, s], [2 * s, 200, -1]])
        #expect(counts.total == LoadCounts.Bucket(served: 4, queued: 0, rateLimited: 3, overloaded: 0))
        #expect(records.allSatisfy { $0.outcome == .timedOut && $0.waitNanos == 0 })
    }

    /// One slot, 0.1 s service time, a queue of 1: three polls at 0. Trial 0 is served 0–0.1 s,
    /// trial 1 queues and is served 0.1–0.2 s (its answer arrives at 0.2 s), trial 2 finds the
    /// queue full: 503 (no Retry-After), then retries after the retry layer's full-jitter backoff.
    @Test func queueAndOverloadByHand() throws {
        let (records, counts) = try run(trials: 3, concurrency: 3,
                                        capacity: ServerCapacity(concurrency: 1, serviceTime: .milliseconds(100), maxQueue: 1),
                                        deadline: 0.15, interval: 10)
        let first = records.map { $0.calls.first { $0.kind == .status } }
        #expect(first[0]?.httpStatus == 200 && first[0]?.receivedNanos == 100_000_000)
        // Trial 1's answer would arrive at 0.2 s, after its deadline (0.15 s): the client gives
        // up at the deadline, although the server served it.
        #expect(first[1]?.errorCode == "timeout" && first[1]?.receivedNanos == 150_000_000)
        #expect(first[2]?.httpStatus == 503 && first[2]?.retryAfterNanos == nil)
        #expect(counts.buckets[0].served >= 2 && counts.buckets[0].queued >= 1 && counts.buckets[0].overloaded >= 1)
    }

    /// Concurrency 2, four trials arriving at 0, jobs of exactly 1 s polled every 0.3 s from 0:
    /// trials 0 and 1 detect at 1.2 s (polls at 0, 0.3, 0.6, 0.9, 1.2) and end; trials 2 and 3
    /// start then, having waited 1.2 s, and start their own clocks (create sent at 1.2 s).
    @Test func concurrencyWaitIsRecorded() throws {
        let job = JobParameters(baseDelay: 1, varDelay: 0, successRate: 1)
        let (records, _) = try run(trials: 4, concurrency: 2, capacity: ServerCapacity(), deadline: 10, interval: 0.3, job: job)
        #expect(records.map(\.waitNanos) == [0, 0, 1_200_000_000, 1_200_000_000])
        #expect(records.map { $0.calls[0].sentNanos } == [0, 0, 1_200_000_000, 1_200_000_000])
        #expect(records.map(\.detectNanos) == [1_200_000_000, 1_200_000_000, 2_400_000_000, 2_400_000_000])
        // Without an arrival pattern nothing is recorded as a wait.
        let (plain, _) = try run(trials: 4, concurrency: 2, capacity: ServerCapacity(), arrivals: nil, deadline: 10,
                                 interval: 0.3, job: job)
        #expect(plain.allSatisfy { $0.waitNanos == nil })
        #expect(plain.map { $0.calls[0].sentNanos } == [0, 0, 1_200_000_000, 1_200_000_000])
    }

    /// Bursts of 2 every 0.5 s, no cap reached: each trial's create call leaves at its arrival.
    @Test func burstsSetTheStartInstants() throws {
        let (records, _) = try run(trials: 5, concurrency: 10, capacity: ServerCapacity(),
                                   arrivals: .bursts(size: 2, every: 0.5), deadline: 0.2, interval: 10)
        #expect(records.map { $0.calls[0].sentNanos } == [0, 0, 500_000_000, 500_000_000, 1_000_000_000])
        #expect(records.allSatisfy { $0.waitNanos == 0 })
    }

    /// Memory stays bounded: 5 000 trials arriving at once with a cap of 8 never have more than
    /// 8 events on the agenda (arrivals are drawn one at a time as slots free), and every trial
    /// is recorded once.
    @Test func agendaHoldsOnlyTrialsInFlight() throws {
        let setup = FleetSimulator<ConstantStrategy>.Setup(
            arm: "a", armIndex: 0, trials: 5_000, runSeed: 3, parameters: JobParameters(baseDelay: 0.01, varDelay: 0.02),
            simulator: TrialSimulator(), capacity: ServerCapacity(rate: 1_000, burst: 10), concurrency: 8, arrivals: .herd)
        var fleet = FleetSimulator(setup) { _ in ConstantStrategy(interval: 0.005) }
        var most = fleet.eventsPending, seen = Set<Int>()
        while let record = try fleet.next() {
            most = max(most, fleet.eventsPending)
            seen.insert(record.trialIndex)
        }
        #expect(most <= 8)
        #expect(seen.count == 5_000)
    }
}
