import Foundation
import Logging
@testable import OmbudRuntime
import Postgres
import Testing

@Suite("Receipt retention (no I/O)")
struct ReceiptRetentionUnitTests {
    @Test func durationsParse() throws {
        #expect(try ReceiptRetention(parsing: "7d").seconds == 7 * 86_400)
        #expect(try ReceiptRetention(parsing: "36h").seconds == 36 * 3_600)
        #expect(try ReceiptRetention(parsing: "90M").seconds == 90 * 60)
        #expect(try ReceiptRetention(parsing: "off") == .off)
        #expect(try ReceiptRetention(parsing: "0") == .off)
        #expect(try ReceiptRetention(parsing: "36h").description == "36h")
        #expect(try ReceiptRetention(parsing: "120m").description == "2h")
        for bad in ["30m", "59m", "7", "d", "-1d", "1.5d", "7w", "", "99999999999999999999d"] {
            #expect(throws: ReceiptRetentionError.self, "\(bad)") { try ReceiptRetention(parsing: bad) }
        }
    }

    @Test func cutoffIsRetentionBeforeNow() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try ReceiptRetention(parsing: "2h").cutoff(now: now) == now.addingTimeInterval(-7_200))
        #expect(ReceiptRetention.off.cutoff(now: now) == nil)
    }

    @Test func blockRangesCoverTheTableOnce() {
        #expect(ReceiptRetention.blockRanges(blocks: 0, chunk: 1_024).isEmpty)
        #expect(ReceiptRetention.blockRanges(blocks: 1_024, chunk: 1_024) == [0..<1_024])
        let ranges = ReceiptRetention.blockRanges(blocks: 2_500, chunk: 1_024)
        #expect(ranges == [0..<1_024, 1_024..<2_048, 2_048..<2_500])
    }

    @Test func workersDefaultToAWeekAndRefuseLessThanAnHour() throws {
        #expect(try WorkerOptions.parse([]).resolve(environment: [:]).receiptRetention == .standard)
        #expect(try WorkerOptions.parse([]).resolve(environment: ["OMBUD_RECEIPT_RETENTION": "off"]).receiptRetention == .off)
        #expect(try WorkerOptions.parse(["--receipt-retention", "2d"]).resolve(environment: ["OMBUD_RECEIPT_RETENTION": "off"])
            .receiptRetention.seconds == 2 * 86_400)
        #expect(throws: (any Error).self) { try WorkerOptions.parse([]).resolve(environment: ["OMBUD_RECEIPT_RETENTION": "10m"]) }
    }
}

/// One suite, run in order: every pass takes the fleet-wide advisory lock.
@Suite("Receipt retention", .serialized)
final class ReceiptRetentionTests {
    let database: PostgresConnection
    /// This test's receipts live under a stage name of their own.
    let stage = "t-retention-" + UUID().uuidString.prefix(8).lowercased()

    init() throws {
        try TestEnvironment.migrated.get()
        database = try PostgresConnection(TestEnvironment.databaseURL)
    }

    deinit {
        _ = try? database.query("DELETE FROM ombud.stage_receipts WHERE stage = $1", [.text(stage)])
        database.close()
    }

    /// `count` receipts processed `ageDays` ago with this outcome; their ids start with `prefix`.
    func insert(_ count: Int, prefix: String, ageDays: Double, outcome: String = "processed") throws {
        try database.query("""
            INSERT INTO ombud.stage_receipts (stage, message_id, outcome, outputs, processed_at)
            SELECT $1, $2 || n, $3, '[]', now() - make_interval(secs => $4::float8 * 86400) FROM generate_series(1, $5) AS n
            """, [.text(stage), .text(prefix), .text(outcome), .text(String(ageDays)), .int(Int64(count))])
    }

    func remaining(prefix: String) throws -> Int {
        try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE stage = $1 AND message_id LIKE $2 || '%'",
                           [.text(stage), .text(prefix)])[0].decode(Int.self, column: 0)
    }

    @Test func aPassDeletesOnlyOldProcessedReceipts() throws {
        try insert(300, prefix: "old-", ageDays: 8)
        try insert(200, prefix: "new-", ageDays: 6.9)
        try insert(50, prefix: "parked-", ageDays: 30, outcome: "parked")
        let cutoff = Date().addingTimeInterval(-7 * 86_400)
        // About eight ranges whatever the table's size, so the walk is exercised and the test stays quick.
        let blocks = try database.query("SELECT ombud.stage_receipt_blocks()")[0].decode(Int.self, column: 0)
        let pruner = ReceiptPruner(database: database, chunkBlocks: max(1, blocks / 8))
        #expect(try pruner.count(olderThan: cutoff) >= 300)

        var reports: [(done: Int, total: Int, deleted: Int)] = []
        let pass = try #require(try pruner.prune(olderThan: cutoff, progress: { reports.append(($0, $1, $2)) }))
        #expect(pass.deleted >= 300)
        #expect(!pass.interrupted)
        #expect(try remaining(prefix: "old-") == 0)
        #expect(try remaining(prefix: "new-") == 200)
        #expect(try remaining(prefix: "parked-") == 50)
        // Progress walks the table's blocks in order, to the end, and counts what it deleted.
        #expect(reports.count > 1)
        #expect(reports.map(\.done) == reports.map(\.done).sorted())
        #expect(reports.last?.done == pass.blocks)
        #expect(reports.last?.deleted == pass.deleted)
    }

    @Test func aProcessAlreadyPruningMakesThePassSkip() throws {
        try insert(20, prefix: "old-", ageDays: 10)
        let other = try PostgresConnection(TestEnvironment.databaseURL)
        defer { other.close() }
        try other.query("SELECT pg_advisory_lock($1)", [.int(ReceiptPruner.advisoryLock)])
        let cutoff = Date().addingTimeInterval(-7 * 86_400)
        #expect(try ReceiptPruner(database: database).prune(olderThan: cutoff) == nil)
        #expect(try remaining(prefix: "old-") == 20)

        try other.query("SELECT pg_advisory_unlock($1)", [.int(ReceiptPruner.advisoryLock)])
        #expect(try ReceiptPruner(database: database).prune(olderThan: cutoff) != nil)
        #expect(try remaining(prefix: "old-") == 0)
    }

    @Test func aStopRequestEndsThePassBetweenRanges() throws {
        try insert(20, prefix: "old-", ageDays: 10)
        let pass = try #require(try ReceiptPruner(database: database).prune(olderThan: Date().addingTimeInterval(-86_400),
                                                                             shouldStop: { true }))
        #expect(pass.interrupted)
        #expect(pass.deleted == 0)
        #expect(try remaining(prefix: "old-") == 20)
    }

    @Test func theDatabaseRefusesToPruneReceiptsYoungerThanAnHour() throws {
        try insert(5, prefix: "recent-", ageDays: 0.02)   // about half an hour old
        #expect(throws: PostgresError.self) {
            try self.database.query("SELECT ombud.prune_stage_receipts(0, 1000000, now() - interval '10 minutes')")
        }
        #expect(try remaining(prefix: "recent-") == 5)
    }

    @Test func aStageRoleCanPruneOnlyThroughTheFunctions() throws {
        try insert(10, prefix: "old-", ageDays: 10)
        let worker = try PostgresConnection(TestEnvironment.databaseURL)
        defer { worker.close() }
        try worker.query("SET ROLE ombud_lookup")
        #expect(throws: PostgresError.self) {
            try worker.query("DELETE FROM ombud.stage_receipts WHERE stage = $1", [.text(self.stage)])
        }
        #expect(try ReceiptPruner(database: worker).prune(olderThan: Date().addingTimeInterval(-86_400)) != nil)
        #expect(try remaining(prefix: "old-") == 0)
    }

    @Test func theWorkersCleanerRunsAPass() async throws {
        try insert(30, prefix: "old-", ageDays: 3)
        try insert(10, prefix: "new-", ageDays: 1)
        let cleaner = ReceiptCleanerService(databaseURL: TestEnvironment.databaseURL, retention: try ReceiptRetention(parsing: "2d"),
                                            logger: Logger(label: "test"))
        await cleaner.runPass(stop: StopFlag())
        #expect(try remaining(prefix: "old-") == 0)
        #expect(try remaining(prefix: "new-") == 10)
    }
}
