import Hummingbird
import PollingClient
import PollingCore
import Synchronization
import Testing

/// Issue 10, item 20 (its second part): a redirect on a status call is a response the server
/// served, so the trace records it as a status call of its own (its 30x status, no job status)
/// and `tries` (hence HR) counts it. A real Hummingbird server on an ephemeral loopback port.
@Suite struct RedirectHopTests {
    /// `POST /jobs` creates `r1`; `GET /jobs/r1` answers 302 to `/moved/r1` (relative); that
    /// answers `completed`. `GET /loop/r2` redirects to itself forever.
    /// The requests the server answered, in order ("status path").
    final class ServedLog: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static func withServer(_ body: @Sendable (_ baseURL: String, _ served: ServedLog) async throws -> Void) async throws {
        let served = ServedLog()
        let router = Router()
        router.post("/jobs") { _, _ in
            Response(status: .accepted, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: #"{"id":"r1","status":"pending"}"#)))
        }
        router.get("/jobs/r1") { _, _ in
            served.append("302 /jobs/r1")
            return Response(status: .found, headers: [.location: "/moved/r1"])
        }
        router.get("/moved/r1") { _, _ in
            served.append("200 /moved/r1")
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"id":"r1","status":"completed","run_time":0}"#)))
        }
        router.get("/jobs/r2") { _, _ in
            served.append("307 /jobs/r2")
            return Response(status: .temporaryRedirect, headers: [.location: "/jobs/r2"])
        }
        try await withRouterServer(router) { baseURL in try await body(baseURL, served) }
    }

    @Test func aRedirectedStatusCallIsRecordedAsTwoCalls() async throws {
        try await Self.withServer { baseURL, served in
            let client = try JobClient(baseURL: baseURL)
            let poller = Poller(transport: client, clock: ContinuousClock(), configuration: PollLoopConfiguration(deadline: .seconds(5)))
            let sink = InMemoryTraceSink()
            var strategy = ConstantStrategy(interval: 0.01)
            var rng = SeededGenerator(seed: 1)
            let result: Result<TrialRecord, any Error>
            do {
                result = .success(try await TrialDriver(poller: poller, runStart: ContinuousClock.now).run(
                    .init(arm: "a", index: 0, parameters: JobParameters(), jobSeed: 1), strategy: &strategy, using: &rng, sink: sink))
            } catch { result = .failure(error) }
            try await client.shutdown()
            let record = try result.get()
            // The server served two status responses: the 302 and the 200.
            #expect(served.all == ["302 /jobs/r1", "200 /moved/r1"])
            let status = record.calls.filter { $0.kind == .status }
            #expect(status.map(\.httpStatus) == [302, 200])
            #expect(status.map(\.result) == [nil, .completed])
            #expect(status.map(\.errorCode) == [nil, nil])
            #expect(status.map(\.sequence) == [1, 2])
            #expect(record.tries == 2)
            #expect(record.outcome == .completed)
            // The hop was sent first and answered before the request it led to was sent.
            #expect(status[0].sentNanos <= status[0].receivedNanos && status[0].receivedNanos <= status[1].sentNanos)
            #expect(status[1].sentNanos <= status[1].receivedNanos)
            // The asked instant belongs to the request sent when the loop asked: the first.
            #expect(status[0].askedNanos != nil && status[1].askedNanos == nil)
        }
    }

    /// A redirect loop ends after `JobClient.maximumRedirects` (5) followed redirects: the sixth
    /// 30x is not followed and the call fails `too_many_redirects` (permanent: the trial ends
    /// `failed` at once); all six served responses are recorded.
    @Test func aRedirectLoopFailsAfterFiveHops() async throws {
        try await Self.withServer { baseURL, served in
            let client = try JobClient(baseURL: baseURL)
            let poller = Poller(transport: client, clock: ContinuousClock(), configuration: PollLoopConfiguration(deadline: .seconds(5)))
            var strategy = ConstantStrategy(interval: 0.01)
            var rng = SeededGenerator(seed: 1)
            let result: Result<PollTrace, any Error>
            do {
                result = .success(try await poller.poll(id: "r2", start: ContinuousClock.now, strategy: &strategy, using: &rng))
            } catch { result = .failure(error) }
            try await client.shutdown()
            let trace = try result.get()
            #expect(JobClient.maximumRedirects == 5)
            #expect(served.all.count == 6)
            #expect(trace.calls.map(\.httpStatus) == [307, 307, 307, 307, 307, nil])
            #expect(trace.calls.last?.errorCode == "too_many_redirects")
            #expect(trace.outcome == .failed && trace.errorCode == "too_many_redirects")
        }
    }
}
