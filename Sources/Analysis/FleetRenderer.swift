import Foundation

/// Renders a `FleetReport` (`analyze summary --fleet`): a pure function of the report.
///
/// Table and CSV: makespan and p99 delay with 3 decimals (seconds); counts as integers; an
/// undefined value is `-` in the table, an empty field in CSV. JSON keeps full precision.
public enum FleetRenderer {
    /// Renders the report in the given format.
    /// - Parameters:
    ///   - report: the report.
    ///   - format: table, CSV or JSON.
    /// - Returns: the text, ending with a newline.
    public static func render(_ report: FleetReport, format: SummaryFormat) -> String {
        switch format {
        case .table: return table(report)
        case .csv: return csv(report)
        case .json: return json(report)
        }
    }

    /// The CSV header row's fields.
    public static let csvHeader = [
        "run_id", "experiment", "arm_index", "arm", "strategy", "trials", "calls", "http_429", "http_503",
        "makespan_s", "p99_delay_s", "peak_calls_per_100ms", "server_peak_per_100ms",
    ]

    /// The figures as an aligned table under the run line, with a footer defining each column
    /// and the server's peak load.
    public static func table(_ report: FleetReport) -> String {
        let runs = report.runIDs.count > 1
            ? "runs \(report.runIDs.map(String.init).joined(separator: ", ")) (arms grouped by name)"
            : "run \(report.run.runID)"
        var lines = ["\(runs) | experiment \(report.run.experiment) | mode \(report.run.mode) | fleet figures", ""]
        var table = TextTable(columns: [
            .init("arm", .left), .init("strategy", .left), .init("trials"), .init("calls"), .init("429"),
            .init("503"), .init("makespan s"), .init("p99 delay s"), .init("peak /100ms"),
        ])
        table.rows = report.arms.map { arm in
            [arm.name, arm.strategy, String(arm.trials), String(arm.calls), String(arm.tooManyRequests),
             String(arm.unavailable), SummaryRenderer.fixed(arm.makespan, 3) ?? "-",
             SummaryRenderer.fixed(arm.p99Delay, 3) ?? "-", arm.peakCalls.map(String.init) ?? "-"]
        }
        lines.append(table.render())
        if report.arms.isEmpty { lines.append("(no arms recorded)") }
        lines += [
            "",
            "calls = every request of the arm (create, status, cancel; refused ones included); 429/503 = those responses received",
            "makespan = last detection - first trial start (mean over runs); p99 delay as in the summary",
            "peak /100ms = most status calls the arm sent in one 100 ms bucket of sent_ns (analyze load)",
            report.serverPeak.map { "server peak load: \($0) status requests in one 100 ms bucket (server_load: served + 429 + 503)" }
                ?? "server peak load: - (no server_load rows: a simulated run, or an external server)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The figures as CSV, one row per arm (RFC 4180 quoting); columns `csvHeader`.
    public static func csv(_ report: FleetReport) -> String {
        var text = CSV.record(csvHeader)
        for arm in report.arms {
            text += CSV.record([
                String(report.run.runID), report.run.experiment, String(arm.armIndex), arm.name, arm.strategy,
                String(arm.trials), String(arm.calls), String(arm.tooManyRequests), String(arm.unavailable),
                SummaryRenderer.fixed(arm.makespan, 3) ?? "", SummaryRenderer.fixed(arm.p99Delay, 3) ?? "",
                arm.peakCalls.map(String.init) ?? "", report.serverPeak.map(String.init) ?? "",
            ])
        }
        return text
    }

    /// The report as pretty-printed JSON with sorted keys, `null` for undefined values.
    public static func json(_ report: FleetReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else {
            preconditionFailure("FleetReport is always encodable")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
