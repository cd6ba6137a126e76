import GRDB

extension Schema {
    /// Migration `v4-run-tags-and-notes`: user annotations of runs, kept apart from the facts a
    /// run recorded (so tagging or noting a run never touches `run`).
    ///
    /// - `run_tag`: one row per (run, key); `value` may be empty. Written by `experiment tag` /
    ///   `experiment untag`; keys follow `RunTag.parse`.
    /// - `run_note`: at most one free-text note per run, with the wall-clock instant it was
    ///   written (RFC 3339 UTC). Written by `experiment note`.
    ///
    /// Both reference `run(id)`; `experiment delete` removes them with the run.
    static func createRunTags(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE run_tag (
                run_id INTEGER NOT NULL REFERENCES run(id),
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            ) STRICT, WITHOUT ROWID;

            CREATE TABLE run_note (
                run_id INTEGER PRIMARY KEY REFERENCES run(id),
                note TEXT NOT NULL,
                noted_at TEXT NOT NULL
            ) STRICT;
            """)
    }
}
