import GRDB

extension Schema {
    /// Migration `v8-asked-instant`: `api_call.asked_ns`, the instant the poll loop asked a status
    /// call to be sent (ns from the run's start; NULL for create and cancel calls and for rows
    /// written before this migration). A call's lateness is `sent_ns − max(asked_ns, the
    /// previous call's received_ns)`; the poll loop never asks before the previous receive, so it
    /// is `sent_ns − asked_ns`. Zero in simulation; live, how late the runner sent it.
    static func addAskedInstant(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE api_call ADD COLUMN asked_ns INTEGER")
    }
}
