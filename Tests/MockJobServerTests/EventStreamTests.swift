import Foundation
import Hummingbird
import HummingbirdTesting
import MockJobServer
import PollingCore
import Testing

/// `GET /jobs/{id}/events` (issue 12 item 4) on manual time: the stream's sleeps are the signals.
@Suite struct EventStreamTests {
    static let pendingEvent = "event: status\nid: 1\ndata: {\"id\":\"j1\",\"status\":\"pending\"}\n\n"

    /// A 2.5 s job with heartbeats every 1 s: the pending event at once, heartbeats at 1 s and
    /// 2 s, the final event at 2.5 s (the sleep's deadline is the earlier of finish and the next
    /// heartbeat), then the stream ends; the server counts one stream open for exactly 2.5 s.
    @Test func pendingHeartbeatsThenTheFinalEvent() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, timeSource: time.source, sseHeartbeat: .seconds(1))
        try await withServer(configuration) { client in
            _ = try await postJob(client, #"{"base_delay": 2.5, "var_delay": 0, "success_rate": 1}"#)
            async let stream = get(client, "/jobs/j1/events")
            for deadline in [Duration.seconds(1), .seconds(2), .milliseconds(2500)] {
                await time.waitForSleepers(1)
                #expect(time.sleeperDeadlines == [deadline])
                time.advance(by: deadline - time.elapsed)
            }
            let response = try await stream
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let text = String(buffer: response.body)
            let head = Self.pendingEvent + ": heartbeat\n\n: heartbeat\n\nevent: status\nid: 2\ndata: "
            #expect(text.hasPrefix(head))
            #expect(text.hasSuffix("\n\n"))
            let data = text.dropFirst(head.count).dropLast(2)
            let final = try JSONDecoder().decode(JobStatusResponse.self, from: Data(data.utf8))
            #expect(final.status == .completed)
            #expect(final.runTime == 2.5)
            #expect(!data.contains("\n"))  // one data line

            let stats = try JSONDecoder().decode(StatsResponse.self, from: Data(try await get(client, "/stats").body.readableBytesView))
            #expect(stats.push.total.sseOpened == 1)
            #expect(stats.push.total.sseResumed == 0)
            #expect(stats.push.total.sseOpenPeak == 1)
            #expect(stats.push.total.sseConnectionNanos == 2_500_000_000)
            #expect(stats.push.sseOpen == 0)
        }
    }

    /// `Last-Event-ID: 1` resumes after the pending event: only the final event is sent.
    @Test func resumingSkipsThePendingEvent() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source)) { client in
            _ = try await postJob(client, #"{"base_delay": 2, "var_delay": 0, "success_rate": 0}"#)
            async let stream = client.execute(uri: "/jobs/j1/events", method: .get, headers: [.init("Last-Event-ID")!: "1"])
            await time.waitForSleepers(1)
            #expect(time.sleeperDeadlines == [.seconds(2)])
            time.advance(by: .seconds(2))
            let text = String(buffer: try await stream.body)
            #expect(text.hasPrefix("event: status\nid: 2\ndata: {"))
            #expect(text.contains("\"status\":\"error\""))
            #expect(!text.contains("pending"))
            let stats = try JSONDecoder().decode(StatsResponse.self, from: Data(try await get(client, "/stats").body.readableBytesView))
            #expect(stats.push.total.sseResumed == 1)
        }
    }

    /// A finished job's stream is its final event alone; `Last-Event-ID: 2` gets an empty stream.
    @Test func aFinishedJobSendsOnlyItsFinalEvent() async throws {
        try await withServer { client in
            _ = try await postJob(client, #"{"base_delay": 0, "var_delay": 0, "success_rate": 1}"#)
            let text = String(buffer: try await get(client, "/jobs/j1/events").body)
            #expect(text.hasPrefix("event: status\nid: 2\ndata: {"))
            #expect(text.components(separatedBy: "event: status").count == 2)
            let resumed = try await client.execute(uri: "/jobs/j1/events", method: .get, headers: [.init("Last-Event-ID")!: "2"])
            #expect(resumed.status == .ok)
            #expect(resumed.body.readableBytes == 0)
        }
    }

    /// Unknown and expired ids get JSON errors before any stream starts.
    @Test func unknownAndExpiredJobsGetJSONErrors() async throws {
        let time = ManualTime()
        try await withServer(.init(port: 0, timeSource: time.source, finishedJobTTL: .seconds(1))) { client in
            let unknown = try await get(client, "/jobs/j9/events")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/json") == true)
            let error = try decode(ErrorResponse.self, unknown)
            #expect(error.error.code == "not_found")
            #expect(error.error.message.contains("j9"))
            #expect(try await get(client, "/jobs/nope/events").status == .notFound)
            _ = try await postJob(client, #"{"base_delay": 0, "var_delay": 0}"#)
            time.advance(by: .seconds(2))
            let expired = try await get(client, "/jobs/j1/events")
            #expect(expired.status == .gone)
            #expect(try decode(ErrorResponse.self, expired).error.code == "job_expired")
        }
    }

    /// A cancelled job's open stream ends with `cancelled` at the next heartbeat.
    @Test func aCancellationReachesTheStreamAtTheNextHeartbeat() async throws {
        let time = ManualTime()
        let configuration = MockJobServer.Configuration(port: 0, timeSource: time.source, sseHeartbeat: .seconds(1))
        try await withServer(configuration) { client in
            _ = try await postJob(client, #"{"base_delay": 100, "var_delay": 0}"#)
            async let stream = get(client, "/jobs/j1/events")
            await time.waitForSleepers(1)
            #expect(try await client.execute(uri: "/jobs/j1", method: .delete).status == .ok)
            time.advance(by: .seconds(1))
            let text = String(buffer: try await stream.body)
            #expect(text.hasPrefix(Self.pendingEvent + "event: status\nid: 2\ndata: {"))
            #expect(text.contains("\"status\":\"cancelled\""))
        }
    }

    /// `callback_url` must be an absolute http(s) URL: 400 naming it, and no job is created.
    @Test(arguments: ["not a url", "ftp://host/x", "/relative", "http://"])
    func badCallbackURLsAreRefused(_ url: String) async throws {
        try await withServer { client in
            let body = #"{"base_delay": 1, "var_delay": 0, "callback_url": "\#(url)"}"#
            let response = try await client.execute(uri: "/jobs", method: .post, body: json(body))
            #expect(response.status == .badRequest)
            let error = try decode(ErrorResponse.self, response)
            #expect(error.error.field == "callback_url")
            #expect(try await get(client, "/jobs/j1").status == .notFound)
        }
    }
}
