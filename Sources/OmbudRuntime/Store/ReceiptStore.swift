import Foundation
import Postgres

/// The runtime's SQL for `ombud.stage_receipts` and `ombud.parked_messages`, in one place.
/// Every call runs on the lane's connection inside the batch transaction.
struct ReceiptStore {
    struct Receipt {
        var messageId: String
        var outputs: [OutboundMessage]
    }

    let database: PostgresConnection

    /// The receipts that already exist for these messages (redeliveries, duplicates).
    func existing(stage: String, messageIds: [String]) throws -> [String: Receipt] {
        let rows = try database.query(
            "SELECT message_id, outputs::text FROM ombud.stage_receipts WHERE stage = $1 AND message_id = ANY($2::text[])",
            [.text(stage), .textArray(messageIds)])
        var receipts: [String: Receipt] = [:]
        for row in rows {
            let id = try row.decode(String.self, column: 0)
            let outputs = try ReceiptJSON.decode(try row.decode(String.self, column: 1))
            receipts[id] = Receipt(messageId: id, outputs: outputs)
        }
        return receipts
    }

    /// Records that a message is done. Throws a unique violation if another lane recorded it first:
    /// the caller rolls the message's savepoint back and treats it as a duplicate.
    func record(stage: String, messageId: String, caseId: String?, outcome: String, outputs: [OutboundMessage]) throws {
        let json = try ReceiptJSON.encode(outputs)
        try database.query(
            "INSERT INTO ombud.stage_receipts (stage, message_id, case_id, outcome, outputs) VALUES ($1, $2, $3::uuid, $4, $5::jsonb)",
            [.text(stage), .text(messageId), caseId.flatMap(UUID.init(uuidString:)).map { .uuid($0) } ?? .null,
             .text(outcome), .jsonb(json)])
    }

    /// Records many processed messages with one statement (the batch's fast path). A unique violation
    /// means one of them was recorded meanwhile; the caller then re-runs the batch message by message.
    func recordProcessed(stage: String, _ entries: [(messageId: String, caseId: String?, outputs: [OutboundMessage])]) throws {
        var ids: [String] = [], cases: [String] = [], outputs: [String] = []
        ids.reserveCapacity(entries.count); cases.reserveCapacity(entries.count); outputs.reserveCapacity(entries.count)
        for entry in entries {
            ids.append(entry.messageId)
            cases.append(entry.caseId.flatMap(UUID.init(uuidString:))?.uuidString ?? "")
            outputs.append(try ReceiptJSON.encode(entry.outputs))
        }
        try database.query("""
            INSERT INTO ombud.stage_receipts (stage, message_id, case_id, outcome, outputs)
            SELECT $1, id, NULLIF(case_id, '')::uuid, 'processed', outputs::jsonb
            FROM unnest($2::text[], $3::text[], $4::text[]) AS r(id, case_id, outputs)
            """, [.text(stage), .textArray(ids), .textArray(cases), .textArray(outputs)])
    }

    /// A parked message also gets a receipt, so a redelivery does not park it twice; replaying removes it.
    func removeParkedReceipt(stage: String, messageId: String) throws {
        try database.query("DELETE FROM ombud.stage_receipts WHERE stage = $1 AND message_id = $2 AND outcome = 'parked'",
                           [.text(stage), .text(messageId)])
    }
}
