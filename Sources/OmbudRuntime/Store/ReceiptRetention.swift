import Foundation
import Postgres

/// How long processed receipts are kept (`--receipt-retention`, `OMBUD_RECEIPT_RETENTION`): a whole number with a unit,
/// `7d`, `36h` or `90m`, or `off`. A receipt only answers redeliveries, which come within minutes (the longest retry
/// tier is ten), so an hour is the least allowed; parked receipts are never pruned (replay removes them).
public struct ReceiptRetention: Sendable, Equatable, CustomStringConvertible {
    /// Seconds to keep a processed receipt; nil keeps them for ever.
    public let seconds: Int?

    public static let off = ReceiptRetention(seconds: nil)
    public static let standard = ReceiptRetention(seconds: 7 * 86_400)
    /// The database function refuses anything younger, too.
    public static let minimumSeconds = 3_600

    private init(seconds: Int?) { self.seconds = seconds }

    public init(parsing text: String) throws {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "off" || text == "0" { self = .off; return }
        guard let seconds = DurationText.parse(text, units: Self.units) else {
            throw ReceiptRetentionError("a receipt retention is a whole number with d, h or m (7d, 36h, 90m) or off, got '\(text)'")
        }
        guard seconds >= Self.minimumSeconds else {
            throw ReceiptRetentionError("a receipt retention must be at least an hour (redeliveries and retries need their receipts), got '\(text)'")
        }
        self.seconds = seconds
    }

    private static let units: [DurationText.Unit] = [("m", 60), ("h", 3_600), ("d", 86_400)]

    /// Receipts processed before this are pruned; nil when retention is off.
    public func cutoff(now: Date) -> Date? { seconds.map { now.addingTimeInterval(-Double($0)) } }

    public var description: String {
        seconds.map { DurationText.format($0, units: Self.units) } ?? "off"
    }

    /// The half-open block ranges a pass walks, `chunk` blocks each.
    static func blockRanges(blocks: Int, chunk: Int) -> [Range<Int>] {
        precondition(chunk > 0)
        return stride(from: 0, to: max(0, blocks), by: chunk).map { $0..<min($0 + chunk, blocks) }
    }
}

public struct ReceiptRetentionError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One pass over `ombud.stage_receipts` deleting processed receipts older than a cutoff, a block range per
/// statement (each its own short transaction), under an advisory lock so that only one process of the fleet
/// prunes at a time. Runs on a connection of its own, outside any batch.
public struct ReceiptPruner {
    public struct Pass: Sendable, Equatable {
        /// Receipts deleted.
        public var deleted: Int
        /// Heap blocks walked (the table's size when the pass began).
        public var blocks: Int
        /// The pass stopped early because a stop was requested.
        public var interrupted: Bool
    }

    /// Any fleet process may prune; the lock makes the others skip their turn.
    static let advisoryLock: Int64 = 0x6F6D_6275_6401   // "ombud" + 1

    public let database: PostgresConnection
    /// Blocks per statement: 1,024 blocks are 8 MiB, about ten thousand receipts.
    public var chunkBlocks: Int

    public init(database: PostgresConnection, chunkBlocks: Int = 1_024) {
        self.database = database
        self.chunkBlocks = chunkBlocks
    }

    /// Runs one pass; nil when another process holds the lock (it is pruning now).
    /// `progress(blocksDone, blocksTotal, deletedSoFar)` is called after each range.
    public func prune(olderThan cutoff: Date, shouldStop: () -> Bool = { false },
                      progress: (Int, Int, Int) -> Void = { _, _, _ in }) throws -> Pass? {
        let locked = try database.query("SELECT pg_try_advisory_lock($1)", [.int(Self.advisoryLock)])
        guard try locked.first?.decode(Bool.self, column: 0) == true else { return nil }
        defer { _ = try? database.query("SELECT pg_advisory_unlock($1)", [.int(Self.advisoryLock)]) }

        let blocks = try database.query("SELECT ombud.stage_receipt_blocks()").first?.decode(Int.self, column: 0) ?? 0
        var pass = Pass(deleted: 0, blocks: blocks, interrupted: false)
        for range in ReceiptRetention.blockRanges(blocks: blocks, chunk: chunkBlocks) {
            if shouldStop() { pass.interrupted = true; break }
            let rows = try database.query("SELECT ombud.prune_stage_receipts($1, $2, $3)",
                                          [.int(Int64(range.lowerBound)), .int(Int64(range.upperBound)), .timestamp(cutoff)])
            pass.deleted += try rows.first?.decode(Int.self, column: 0) ?? 0
            progress(range.upperBound, blocks, pass.deleted)
        }
        return pass
    }

    /// How many processed receipts a pass would delete now (`ombudctl receipts prune --dry-run`).
    public func count(olderThan cutoff: Date) throws -> Int {
        try database.query("SELECT count(*) FROM ombud.stage_receipts WHERE outcome = 'processed' AND processed_at < $1",
                           [.timestamp(cutoff)]).first?.decode(Int.self, column: 0) ?? 0
    }
}
