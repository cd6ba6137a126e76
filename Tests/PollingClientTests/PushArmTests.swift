import Hummingbird
import Logging
import MockJobServer
import PollingClient
import PollingCore
import Synchronization
import Testing

/// The `sse` and `webhook` arms over real loopback HTTP (issue 12 item 4): one status call per
/// job, detection at completion plus about one network hop, and the webhook's retries and
/// fallback when the receiver is down or slow. Waits are explicit signals (the server's
/// `PushMonitor.wait(until:)`, a gate the test opens), never sleeps.
@Suite struct PushArmTests {
    static let logger = Logger(label: "push-tests", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Jobs of 0.2 s + U(0, 0.2) s that always complete.
    static let job = JobParameters(baseDelay: 0.2, varDelay: 0.2, successRate: 1)

    /// Runs `trials` trials concurrently with fresh copies of `strategy` and returns their records.
    static func run<S: PollingStrategy>(_ strategy: S, trials: Int, client: JobClient) async throws -> [TrialRecord] {
        let clock = ContinuousClock()
        let driver = TrialDriver(poller: Poller(transport: client, clock: clock, configuration: .init(deadline: .seconds(10))),
                                 runStart: clock.now)
        return try await withThrowingTaskGroup(of: TrialRecord.self) { group in
            for index in 0..<trials {
                group.addTask {
                    var strategy = strategy
                    var rng = SeededGenerator(seed: UInt64(index))
                    return try await driver.run(.init(arm: "push", index: index, parameters: job, jobSeed: UInt64(100 + index)),
                                                strategy: &strategy, using: &rng, sink: InMemoryTraceSink())
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.trialIndex < $1.trialIndex }
        }
    }

    static func withServer<T: Sendable>(_ configuration: MockJobServer.Configuration = .init(port: 0, seed: 1),
                                        webhook: WebhookReceiver? = nil,
                                        _ body: (RunningJobServer, JobClient) async throws -> T) async throws -> T {
        try await withRunningJobServer(configuration: configuration, logger: logger) { server in
            let client = try JobClient(baseURL: server.baseURL, configuration: .init(maximumConnections: 32, webhook: webhook))
            let result: Result<T, any Error>
            do { result = .success(try await body(server, client)) } catch { result = .failure(error) }
            try await client.shutdown()
            return try result.get()
        }
    }

    /// Every job is detected by its one subscription, soon after its true completion (a polling
    /// arm would need its interval); the server counts one stream per job.
    @Test func sseDetectsEveryJobWithOneCall() async throws {
        try await Self.withServer { server, client in
            let records = try await Self.run(SSEStrategy(wait: 60), trials: 12, client: client)
            for record in records {
                #expect(record.outcome == .completed)
                #expect(record.tries == 1)
                let status = record.calls.filter { $0.kind == .status }
                #expect(status.count == 1)
                #expect(status.first?.httpStatus == 200)
                #expect(status.first?.result == .completed)
                let delay = try #require(record.metrics.delay)
                // About one hop on an idle machine (README); 0.5 s allows a loaded 2-core machine.
                #expect(delay >= 0 && delay < 0.5, "delay \(delay) s")
            }
            await server.server.push.wait { $0.open == 0 }  // the server closes each stream after its final event
            let push = server.server.push.counts.total
            #expect(push.sseOpened == 12)
            #expect(push.sseResumed == 0)
            #expect(push.sseOpenPeak >= 1 && push.sseOpenPeak <= 12)
            #expect(push.callbackAttempts == 0)
            // Each stream stayed open from its subscription to its job's end, within the client's call.
            let callNanos = records.flatMap { $0.calls.filter { $0.kind == .status } }.reduce(Int64(0)) { $0 + $1.receivedNanos - $1.sentNanos }
            #expect(push.sseConnectionNanos > 0 && push.sseConnectionNanos <= callNanos, "\(push.sseConnectionNanos) of \(callNanos) ns")
        }
    }

    /// Every job is detected by its callback (one status call, answered by the receiver), one
    /// delivery attempt each.
    @Test func webhookDetectsEveryJobWithOneCall() async throws {
        try await WebhookReceiver.withReceiver(logger: Self.logger) { receiver in
            try await Self.withServer(webhook: receiver) { server, client in
                let records = try await Self.run(WebhookStrategy(wait: 5, fallbackInterval: 0.5), trials: 12, client: client)
                for record in records {
                    #expect(record.outcome == .completed)
                    #expect(record.tries == 1)
                    #expect(record.calls.last?.httpStatus == 200)
                    let delay = try #require(record.metrics.delay)
                    #expect(delay >= 0 && delay < 0.5, "delay \(delay) s")
                }
                await server.server.push.wait { $0.total.callbackAttempts >= 12 }
                let push = server.server.push.counts.total
                #expect(push.callbackAttempts == 12)
                #expect(push.callbackFailures == 0)
                #expect(push.callbacksAbandoned == 0)
                #expect(receiver.inbox.received == 12)
            }
        }
    }

    /// The receiver is down (its port closed): the server makes its 5 attempts, all failed, and
    /// gives the callback up; the arm falls back to polling after `wait` and detects the job
    /// within the documented bound `max(wait, completion) + fallback_interval` (+ slack).
    @Test func aDownReceiverMakesTheServerRetryAndTheArmFallBack() async throws {
        let deadURL = try await WebhookReceiver.withReceiver(logger: Self.logger) { $0.url }
        try await checkFallback(webhook: WebhookReceiver(url: deadURL, inbox: CallbackInbox()))
    }

    /// The receiver is slow (it answers only when the test ends): every attempt times out after
    /// the policy's attempt timeout, the server gives up after 5, the arm falls back.
    @Test func aSlowReceiverMakesTheServerRetryAndTheArmFallBack() async throws {
        let gate = AsyncStream.makeStream(of: Void.self)
        let arrivals = Mutex(0)
        let router = Router()
        router.post("slow") { _, _ -> Response in
            arrivals.withLock { $0 += 1 }
            for await _ in gate.stream {}
            return Response(status: .noContent)
        }
        try await withRouterServer(router) { baseURL in
            defer { gate.continuation.finish() }  // let the held deliveries answer before the server shuts down
            let receiver = WebhookReceiver(url: "\(baseURL)/slow", inbox: CallbackInbox())
            try await checkFallback(webhook: receiver)
            #expect(arrivals.withLock { $0 } == 5)
        }
    }

    /// One trial of a webhook arm (wait 1 s, fallback every 0.1 s) whose callbacks cannot be
    /// delivered; attempts time out after 0.2 s.
    private func checkFallback(webhook: WebhookReceiver) async throws {
        var configuration = MockJobServer.Configuration(port: 0, seed: 1)
        configuration.callbacks.attemptTimeout = .milliseconds(200)
        try await Self.withServer(configuration, webhook: webhook) { server, client in
            let wait = 1.0, interval = 0.1
            let record = try #require(try await Self.run(WebhookStrategy(wait: wait, fallbackInterval: interval), trials: 1,
                                                         client: client).first)
            #expect(record.outcome == .completed)
            let status = record.calls.filter { $0.kind == .status }
            // The callback wait ends pending (202: nothing delivered) after `wait`, then polls.
            #expect(status.first?.httpStatus == 202)
            #expect(status.first?.result == .pending)
            let waited = Double(status[0].receivedNanos - status[0].sentNanos) / 1e9
            #expect(waited >= wait - 0.001 && waited < wait + 0.5, "waited \(waited) s")
            #expect(status.count >= 2)
            #expect(status.last?.result == .completed)
            let start = Double(record.startNanos) / 1e9, done = Double(try #require(record.doneNanos)) / 1e9
            let detect = Double(try #require(record.detectNanos)) / 1e9
            let bound = max(start + wait, done) + interval
            #expect(detect <= bound + 0.5, "detected \(detect - bound) s after the bound")
            await server.server.push.wait { $0.total.callbacksAbandoned >= 1 }
            let push = server.server.push.counts.total
            #expect(push.callbackAttempts == 5)
            #expect(push.callbackFailures == 5)
            #expect(push.callbacksAbandoned == 1)
        }
    }

    /// A stream dropped after the pending event is a transient failure; the poll loop reconnects
    /// with `Last-Event-ID: 1` and the second subscription delivers the final status.
    @Test func aDroppedStreamReconnectsWithLastEventID() async throws {
        let seen = Mutex<[String?]>([])
        let router = Router()
        router.get("jobs/:id/events") { request, _ -> Response in
            let last = request.headers[.init("Last-Event-ID")!]
            let first = seen.withLock { $0.append(last); return $0.count == 1 }
            let body = first
                ? "event: status\nid: 1\ndata: {\"id\":\"j1\",\"status\":\"pending\"}\n\n"
                : "event: status\nid: 2\ndata: {\"id\":\"j1\",\"status\":\"completed\",\"run_time\":0.5}\n\n"
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: .init(byteBuffer: .init(string: body)))
        }
        try await withRouterServer(router) { baseURL in
            let client = try JobClient(baseURL: baseURL)
            let clock = ContinuousClock()
            var strategy = SSEStrategy(wait: 60)
            var rng = SeededGenerator(seed: 1)
            let trace = try await Poller(transport: client, clock: clock, configuration: .init(deadline: .seconds(10)))
                .poll(id: "j1", start: clock.now, strategy: &strategy, using: &rng)
            try await client.shutdown()
            #expect(trace.outcome == .completed)
            #expect(trace.calls.count == 2)
            #expect(trace.calls.first?.errorCode == "transport")
            #expect(seen.withLock { $0 } == [nil, "1"])
        }
    }

    /// Unknown job: the subscription gets the JSON 404 and the trial fails at once (`http_404`).
    @Test func anUnknownJobFailsTheSubscriptionWith404() async throws {
        try await Self.withServer { _, client in
            do {
                _ = try await client.jobEvents(id: "j404", wait: nil, timeout: .seconds(2))
                Issue.record("an unknown job's subscription succeeded")
            } catch let error as PollingClientError {
                #expect(error.code == "http_404")
                #expect(!error.isTransient)
                #expect(error.description.contains("no job with id 'j404'"))
            }
        }
    }
}
