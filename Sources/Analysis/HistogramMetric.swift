import GRDB

/// What `analyze histogram` can plot, with its unit and the SQL that reads it.
public enum HistogramMetric: String, Sendable, Hashable, CaseIterable {
    /// Detection delay of detected trials, seconds (`trial_metrics.delay_s`).
    case delay
    /// Status calls per trial (`trial.tries`), a count.
    case tries
    /// Efficiency ratio per trial (`trial_metrics.er`; 1 for undetected trials).
    case er
    /// Gap between consecutive status-call sends of a trial, seconds.
    case interval
    /// Status-call latency, received − sent, milliseconds.
    case latency

    /// The unit shown in headers and footers.
    public var unit: String {
        switch self {
        case .delay, .interval: return "s"
        case .tries: return "calls"
        case .er: return "ratio"
        case .latency: return "ms"
        }
    }

    /// Integer-valued (bins on whole numbers).
    public var isDiscrete: Bool { self == .tries }

    /// What the values are, for the header.
    public var meaning: String {
        switch self {
        case .delay: return "detection delay of detected trials"
        case .tries: return "status calls per trial"
        case .er: return "efficiency ratio per trial (1 if not detected)"
        case .interval: return "gap between consecutive status-call sends of a trial"
        case .latency: return "status-call latency (received - sent)"
        }
    }

    /// The query returning one value per row for the arms `ids` (bound as arguments).
    func valuesSQL(armIDs list: [Int64]) -> SQL {
        switch self {
        case .delay:
            return "SELECT delay_s FROM trial_metrics WHERE arm_id IN \(list) AND delay_s IS NOT NULL"
        case .tries:
            return "SELECT tries FROM trial WHERE arm_id IN \(list)"
        case .er:
            return "SELECT er FROM trial_metrics WHERE arm_id IN \(list)"
        case .interval:
            return """
                SELECT v FROM (
                    SELECT (c.sent_ns - lag(c.sent_ns) OVER (PARTITION BY c.trial_id ORDER BY c.seq)) / 1e9 AS v
                    FROM api_call c JOIN trial t ON t.id = c.trial_id
                    WHERE c.kind = 'status' AND t.arm_id IN \(list))
                WHERE v IS NOT NULL
                """
        case .latency:
            return """
                SELECT (c.received_ns - c.sent_ns) / 1e6 FROM api_call c JOIN trial t ON t.id = c.trial_id
                WHERE c.kind = 'status' AND t.arm_id IN \(list)
                """
        }
    }

    /// The query counting the rows left out (only delay leaves out undetected trials).
    func excludedSQL(armIDs list: [Int64]) -> SQL? {
        self == .delay ? "SELECT count(*) FROM trial_metrics WHERE arm_id IN \(list) AND delay_s IS NULL" : nil
    }
}
