/// The lateness of status calls (issue 12 item 6): how long after the poll loop could and
/// wanted to send a call the runner actually sent it.
///
/// The one definition, used by the live runner's warning (`LatenessLog`) and by
/// `analyze summary` (lateness p50 / p99 per arm). For a status call with an asked instant:
///
///     lateness = sent − max(asked, previous call's receive)
///
/// where the previous call is the one just before it in its trial's sequence (the create call
/// for the first poll). The poll loop never asks before the previous receive, so for rows it
/// writes this is `sent − asked`; the `max` keeps a call that could not go earlier (the previous
/// response had not arrived) from counting as late. Zero in simulation. Create and cancel calls,
/// and status calls without an asked instant (rows written before `v8-asked-instant`), have none.
public enum CallLateness {
    /// The lateness of each status call of one trial that has an asked instant, in sequence order.
    /// - Parameter calls: the trial's calls in sequence order (as `TrialRecord.calls`).
    /// - Returns: lateness in nanoseconds, one per qualifying status call.
    public static func nanoseconds(_ calls: [CallRecord]) -> [Int64] {
        var result: [Int64] = []
        var previousReceive: Int64?
        for call in calls {
            if call.kind == .status, let asked = call.askedNanos {
                result.append(nanoseconds(sent: call.sentNanos, asked: asked, previousReceive: previousReceive))
            }
            previousReceive = call.receivedNanos
        }
        return result
    }

    /// The lateness of one status call: `sent − max(asked, previousReceive)`.
    /// - Parameters:
    ///   - sent: when it was sent, ns from the run's start.
    ///   - asked: when the poll loop asked for it, ns.
    ///   - previousReceive: when the previous call of its trial ended, ns; `nil` when it is the first.
    /// - Returns: the lateness in nanoseconds.
    public static func nanoseconds(sent: Int64, asked: Int64, previousReceive: Int64?) -> Int64 {
        sent - max(asked, previousReceive ?? asked)
    }

    /// The same lateness in seconds (`nanoseconds / 1e9`).
    /// - Parameter calls: the trial's calls in sequence order.
    /// - Returns: lateness in seconds, one per qualifying status call.
    public static func seconds(_ calls: [CallRecord]) -> [Double] {
        nanoseconds(calls).map { Double($0) / 1e9 }
    }
}
