import GRDB

extension Schema {
    /// Migration `v9-trial-wait`: `trial.wait_ns`, how long the trial waited for a concurrency
    /// slot between its arrival instant (the experiment's `arrivals:` pattern) and its create
    /// call, in ns; NULL when the experiment has no arrival pattern and for rows written before
    /// this migration. The arrival instant is `start_ns − wait_ns` minus the create round trip,
    /// i.e. the create call's `sent_ns − wait_ns`.
    static func addTrialWait(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE trial ADD COLUMN wait_ns INTEGER")
    }
}
