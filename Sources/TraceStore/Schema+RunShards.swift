import GRDB

extension Schema {
    /// Migration `v11-run-shards`: three columns of `run` for sharded runs and their merge.
    ///
    /// - `resolved_config_hash`: FNV-1a 64 (hex) of the configuration the run actually ran: the
    ///   experiment file's text together with the overrides that change which trials run and how
    ///   (mode, seed, trials per arm), excluding `--shard` (`RunProvenance.resolvedConfigHash`).
    ///   Shards of one run share it; `experiment merge` refuses shards whose hashes differ. Set
    ///   for every run begun from this migration on; NULL for older runs.
    /// - `shard_index`, `shard_count`: `K` and `N` of `experiment run --shard K/N` (the run holds
    ///   the trials whose index ≡ K mod N); both NULL for an unsharded or merged run.
    static func addRunShards(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE run ADD COLUMN resolved_config_hash TEXT;
            ALTER TABLE run ADD COLUMN shard_index INTEGER CHECK (shard_index >= 0);
            ALTER TABLE run ADD COLUMN shard_count INTEGER CHECK (shard_count >= 1);
            """)
    }
}
