import Foundation
import GRDB
import Testing
@testable import TraceStore

/// `--shard K/N` values and what a sharded run records.
@Suite struct RunShardTests {
    @Test func parsesKOverNAndRefusesEverythingElse() throws {
        #expect(try RunShard.parse("0/4") == RunShard(index: 0, count: 4))
        #expect(try RunShard.parse("3/4").description == "3/4")
        #expect(try RunShard.parse("0/1") == RunShard(index: 0, count: 1))
        for bad in ["3/2", "2/2", "0/0", "-1/2", "1/-2", "x", "", "1/", "/4", "1/4/2", " 1/4", "1 /4", "+1/4", "0/1000001",
                    "99999999999/99999999999"] {
            #expect(throws: TraceStoreError.self, "\(bad)") { try RunShard.parse(bad) }
        }
        let (outOfRange, zero, negative, word) = try ("\(refusal("3/2"))", "\(refusal("0/0"))", "\(refusal("-1/2"))", "\(refusal("x"))")
        #expect(outOfRange.contains("0 ≤ K < N") && outOfRange.contains("0/2 … 1/2"), "\(outOfRange)")
        #expect(zero.contains("between 1 and 1000000"), "\(zero)")
        #expect(negative.contains("expected K/N") && word.contains("got 'x'"), "\(negative) \(word)")
    }

    func refusal(_ text: String) throws -> TraceStoreError {
        do {
            _ = try RunShard.parse(text)
        } catch let error as TraceStoreError {
            return error
        }
        throw TraceStoreError.invalidArgument(field: "test", message: "\(text) was accepted")
    }

    @Test func shardsPartitionTheTrials() throws {
        // 10 trials in 4 shards: 0, 4, 8 | 1, 5, 9 | 2, 6 | 3, 7.
        let shards = try (0..<4).map { try RunShard(index: $0, count: 4) }
        #expect(shards.map { $0.trialCount(of: 10) } == [3, 3, 2, 2])
        #expect(shards.map { shard in (0..<10).filter { shard.contains($0) } } == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]])
        #expect(shards.map { $0.trialIndex(ordinal: 2) } == [8, 9, 10, 11])
        #expect(try RunShard(index: 5, count: 8).trialCount(of: 3) == 0)
        #expect(try RunShard(index: 0, count: 1).trialCount(of: 7) == 7)
    }

    static func provenance(seed: UInt64 = 1, trials: Int = 10, mode: RunMode = .simulated, text: String = "name: x\n",
                           shard: RunShard? = nil) -> RunProvenance {
        RunProvenance(experimentName: "x", mode: mode, seed: seed, trialsPerArm: trials, concurrency: 1,
                      startedAt: Date(timeIntervalSince1970: 0), host: "h", toolchain: "t", configText: text, shard: shard)
    }

    @Test func theResolvedHashCoversTextModeSeedAndTrialsButNotTheShard() throws {
        let base = Self.provenance().resolvedConfigHash
        // By hand: FNV-1a 64 of the documented text.
        #expect(base == FNV1a.hex64("polllab-resolved-config 1\nmode: simulated\nseed: 1\ntrials_per_arm: 10\n\nname: x\n"))
        #expect(Self.provenance(shard: try RunShard(index: 2, count: 3)).resolvedConfigHash == base)
        let others = [Self.provenance(seed: 2), Self.provenance(trials: 11), Self.provenance(mode: .live),
                      Self.provenance(text: "name: x\n# changed\n")].map(\.resolvedConfigHash)
        #expect(Set(others + [base]).count == 5)
    }

    @Test func beginRunStoresTheShardAndTheResolvedHash() async throws {
        try await withTemporaryDatabase { database in
            let shard = try RunShard(index: 2, count: 3)
            let sharded = try database.beginRun(Self.provenance(shard: shard), arms: [ArmSpec(name: "a", strategy: "seed")])
            let whole = try database.beginRun(Self.provenance(), arms: [ArmSpec(name: "a", strategy: "seed")])
            let rows = try await database.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT shard_index, shard_count, resolved_config_hash FROM run ORDER BY id")
            }
            #expect(rows[0]["shard_index"] as Int? == 2 && rows[0]["shard_count"] as Int? == 3)
            #expect(rows[1]["shard_index"] as Int? == nil && rows[1]["shard_count"] as Int? == nil)
            #expect(rows.map { $0["resolved_config_hash"] as String } == Array(repeating: Self.provenance().resolvedConfigHash, count: 2))
            #expect(try database.storedRun(sharded.runID).shard == shard)
            #expect(try database.storedRun(sharded.runID).expectedTrialsPerArm == 3)  // 2, 5, 8 of 10
            #expect(try database.storedRun(whole.runID).shard == nil)
        }
    }
}
