import GRDB

extension Schema {
    /// Migration `v12-stale-retries`: `api_call.stale_retries` (0 or 1, default 0), how many times
    /// the call's request was sent again on a fresh connection because the pooled keep-alive
    /// connection it went out on was found closed before any response byte
    /// (`PolledCall.staleRetries`). The resend is not a call of its own: `tries` and the hit rates
    /// do not count it, the server never answered the first send. 0 for rows written before.
    static func addStaleRetries(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE api_call ADD COLUMN stale_retries INTEGER NOT NULL DEFAULT 0")
    }
}
