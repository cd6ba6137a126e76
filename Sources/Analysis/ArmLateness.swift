import GRDB
import PollingCore

/// The lateness percentiles of an arm's status calls (issue 12 item 6), as `analyze summary`
/// shows them: per call as `PollingCore.CallLateness` defines it (`sent − max(asked, previous
/// receive)`), over every status call of the arm's trials that has an asked instant;
/// percentiles by linear interpolation (Hyndman–Fan type 7, `Statistics.percentile`).
struct ArmLateness: Sendable, Hashable {
    /// Median lateness, milliseconds.
    var p50Milliseconds: Double
    /// 99th percentile of the lateness, milliseconds.
    var p99Milliseconds: Double

    /// Reads the status calls of the arms' trials, each with the previous call's receive (the
    /// call at `seq − 1` of the same trial, found by primary key: `seq` counts a trial's calls
    /// from 0 without gaps, the create call included), and computes the
    /// percentiles with `CallLateness`: one pass over the arms' calls, in the table's key order.
    /// - Parameters:
    ///   - db: an open connection.
    ///   - armIDs: `arm.id` of the arms (several for a report over runs).
    /// - Returns: the percentiles, or `nil` when no status call has an asked instant (rows
    ///   written before `v8-asked-instant`, or an arm without trials).
    /// - Throws: GRDB's `DatabaseError`.
    static func fetch(_ db: Database, armIDs: [Int64]) throws -> ArmLateness? {
        let rows = try SQLRequest<Row>(literal: """
            SELECT c.sent_ns, c.asked_ns, p.received_ns AS previous_received_ns
            FROM api_call c LEFT JOIN api_call p ON p.trial_id = c.trial_id AND p.seq = c.seq - 1
            WHERE c.trial_id IN (SELECT id FROM trial WHERE arm_id IN \(armIDs))
              AND c.kind = 'status' AND c.asked_ns IS NOT NULL
            """).fetchAll(db)
        var lateness = rows.map { row in
            Double(CallLateness.nanoseconds(sent: row.sent, asked: row.asked, previousReceive: row.previousReceived)) / 1e9
        }
        lateness.sort()
        guard let p50 = Statistics.percentile(sorted: lateness, 0.5),
              let p99 = Statistics.percentile(sorted: lateness, 0.99) else { return nil }
        return ArmLateness(p50Milliseconds: p50 * 1000, p99Milliseconds: p99 * 1000)
    }

    /// One status call as the lateness needs it.
    private struct Row: Decodable, FetchableRecord {
        var sent: Int64
        var asked: Int64
        var previousReceived: Int64?
        enum CodingKeys: String, CodingKey {
            case sent = "sent_ns", asked = "asked_ns", previousReceived = "previous_received_ns"
        }
    }
}
