import Foundation
import Postgres

/// The runtime's SQL for `ombud.stage_receipts` and `ombud.parked_messages`, in one place.
/// Every call runs on the lane's connection inside the batch transaction.
struct ReceiptStore {
    struct Receipt {
        var messageId: String
        var outputs: [OutboundMessage]
        /// A parked receipt for another body under the same message id (a corrected resubmission): it does not
        /// answer this delivery, which is handled afresh and takes the receipt over (`record(…replacingParked:)`).
        var parkedOtherBody: Bool
    }

    let database: PostgresConnection

    /// The receipts that already exist for these messages (redeliveries, duplicates, resubmissions). A parked receipt's
    /// body digest is compared with the delivered body's in the database, one query per such message (rare).
    func existing(stage: String, messages: [StageMessage]) throws -> [String: Receipt] {
        let rows = try database.query("""
            SELECT message_id, outputs::text, outcome = 'parked' AND body_sha256 IS NOT NULL
            FROM ombud.stage_receipts WHERE stage = $1 AND message_id = ANY($2::text[])
            """, [.text(stage), .textArray(messages.map(\.messageId))])
        var receipts: [String: Receipt] = [:]
        var parked: Set<String> = []
        for row in rows {
            let id = try row.decode(String.self, column: 0)
            let outputs = try ReceiptJSON.decode(try row.decode(String.self, column: 1))
            receipts[id] = Receipt(messageId: id, outputs: outputs, parkedOtherBody: false)
            if try row.decode(Bool.self, column: 2) { parked.insert(id) }
        }
        for message in messages where parked.contains(message.messageId) {
            receipts[message.messageId]?.parkedOtherBody = try !database.query("""
                SELECT 1 FROM ombud.stage_receipts
                WHERE stage = $1 AND message_id = $2 AND outcome = 'parked' AND body_sha256 <> sha256($3::bytea)
                """, [.text(stage), .text(message.messageId), .bytea(message.body)]).isEmpty
        }
        return receipts
    }

    /// The receipt of one message, whatever body it was for (after losing a race to record it).
    func existing(stage: String, messageId: String) throws -> Receipt? {
        try database.query("SELECT outputs::text FROM ombud.stage_receipts WHERE stage = $1 AND message_id = $2",
                           [.text(stage), .text(messageId)]).first.map {
            Receipt(messageId: messageId, outputs: try ReceiptJSON.decode(try $0.decode(String.self, column: 0)), parkedOtherBody: false)
        }
    }

    /// Records that a message is done. Throws a unique violation if another lane recorded it first:
    /// the caller rolls the message's savepoint back and treats it as a duplicate. A parked receipt also keeps the
    /// digest of the body it parked. `replacingParked`: the message is a resubmission with another body, and its
    /// parked receipt is taken over; if that receipt is no longer a parked one (another lane got there first) this
    /// throws `ReceiptTaken`.
    func record(stage: String, messageId: String, caseId: String?, outcome: String, outputs: [OutboundMessage],
                body: [UInt8], replacingParked: Bool = false) throws {
        let json = try ReceiptJSON.encode(outputs)
        let upsert = replacingParked ? """
            ON CONFLICT (stage, message_id) DO UPDATE SET case_id = EXCLUDED.case_id, outcome = EXCLUDED.outcome,
                outputs = EXCLUDED.outputs, body_sha256 = EXCLUDED.body_sha256, processed_at = EXCLUDED.processed_at
            WHERE ombud.stage_receipts.outcome = 'parked'
            """ : ""
        let written = try database.query("""
            INSERT INTO ombud.stage_receipts (stage, message_id, case_id, outcome, outputs, body_sha256)
            VALUES ($1, $2, $3::uuid, $4, $5::jsonb, sha256($6::bytea))
            \(upsert) RETURNING 1
            """,
            [.text(stage), .text(messageId), caseId.flatMap(UUID.init(uuidString:)).map { .uuid($0) } ?? .null,
             .text(outcome), .jsonb(json), outcome == "parked" ? .bytea(body) : .null])
        if written.isEmpty { throw ReceiptTaken() }
    }

    /// Another lane recorded a processed receipt for the message first.
    struct ReceiptTaken: Error {}

    /// Whether `error` says another lane recorded the message first: the receipt's primary key on a plain insert,
    /// `ReceiptTaken` when a parked receipt was to be taken over.
    static func isTaken(_ error: any Error) -> Bool {
        if error is ReceiptTaken { return true }
        guard let error = error as? PostgresError else { return false }
        return error.category == .uniqueViolation && error.constraint == "stage_receipts_pkey"
    }

    /// What a message whose receipt another lane recorded first answers: that receipt's outputs (its effects stand).
    func duplicate(stage: String, messageId: String) throws -> Disposition {
        .duplicate(outputs: try existing(stage: stage, messageId: messageId)?.outputs ?? [])
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
