import Foundation
import Postgres

/// The SQL for `ombud.parked_messages`, in one place: parking (inside a lane's batch transaction),
/// listing and replaying (`ombudctl parked`), counting (`ombudctl status`).
public struct ParkedStore {
    public struct Row: Sendable {
        public var id: Int64
        public var stage: String
        public var messageId: String
        public var caseId: UUID?
        public var reason: String
        public var failure: String
        public var attempts: Int
        public var routingKey: String
        public var headers: [String: String]
        public var body: [UInt8]
        public var parkedAt: Date
        public var replayedAt: Date?
    }

    let database: PostgresConnection

    public init(database: PostgresConnection) { self.database = database }

    /// Records a parked message and, when it belongs to a known case, a `parked` event on the case timeline.
    /// Parking a message again (after a replay, or a resubmission with another body) updates its row: the row holds
    /// what was parked last, so a replay sends that.
    func park(stage: String, message: StageMessage, caseId: String?, failure: String, reason: String) throws {
        try insert(stage: stage, message: message, caseId: caseId, failure: failure, reason: reason, replacing: true)
    }

    /// A resubmission with another body was handled: the row of the body parked before stops waiting for a replay
    /// (it is marked replayed) and stays as the record of what was parked.
    func supersede(stage: String, messageId: String) throws {
        try database.query("""
            UPDATE ombud.parked_messages SET replayed_at = now() WHERE stage = $1 AND message_id = $2 AND replayed_at IS NULL
            """, [.text(stage), .text(messageId)])
    }

    /// Records parked-queue messages that have no row yet (`ParkedReconcile`); an existing row, replayed or not, is left
    /// as it is. A `parked` event goes on the timeline of each new row's case. Returns how many rows were written.
    func recordIfMissing(stage: String, _ records: [ParkedReconcile.Record]) throws -> Int {
        try records.filter {
            try insert(stage: stage, message: $0.message, caseId: $0.message.correlationId, failure: $0.failure,
                       reason: $0.reason, replacing: false)
        }.count
    }

    /// The row and its case event. `replacing`: an existing row takes the new reason and is un-replayed; otherwise it
    /// is left alone. Returns whether a row was written.
    @discardableResult
    private func insert(stage: String, message: StageMessage, caseId: String?, failure: String, reason: String,
                        replacing: Bool) throws -> Bool {
        let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
        let caseUUID: PostgresValue = caseId.flatMap(UUID.init(uuidString:)).map { .uuid($0) } ?? .null
        let onConflict = replacing
            ? """
              DO UPDATE SET case_id = EXCLUDED.case_id, reason = EXCLUDED.reason, failure = EXCLUDED.failure,
                  attempts = EXCLUDED.attempts, routing_key = EXCLUDED.routing_key, headers = EXCLUDED.headers,
                  body = EXCLUDED.body, parked_at = now(), replayed_at = NULL
              """
            : "DO NOTHING"
        let written = try database.query("""
            INSERT INTO ombud.parked_messages (stage, message_id, case_id, reason, failure, attempts, routing_key, headers, body)
            VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, $8::jsonb, $9)
            ON CONFLICT (stage, message_id) \(onConflict) RETURNING id
            """,
            [.text(stage), .text(message.messageId), caseUUID, .text(reason), .text(failure),
             .int(Int64(message.attempt)), .text(message.routingKey), .jsonb(headers), .bytea(message.body)])
        guard !written.isEmpty else { return false }
        if case .uuid = caseUUID {
            let detail = String(decoding: try JSONEncoder().encode(["reason": reason, "failure": failure, "message_id": message.messageId]),
                                as: UTF8.self)
            try database.query("""
                INSERT INTO ombud.case_events (case_id, stage, kind, detail)
                SELECT $1::uuid, $2, 'parked', $3::jsonb WHERE EXISTS (SELECT 1 FROM ombud.cases WHERE id = $1::uuid)
                """, [caseUUID, .text(stage), .jsonb(detail)])
        }
        return true
    }

    /// Parked messages, newest first. `stage` is the stage's queue name (`ombud.intake`); nil for all.
    public func list(stage: String? = nil, includeReplayed: Bool = false, limit: Int = 100) throws -> [Row] {
        try database.query("""
            SELECT id, stage, message_id, case_id, reason, failure, attempts, routing_key, headers::text, body, parked_at, replayed_at
            FROM ombud.parked_messages
            WHERE ($1::text IS NULL OR stage = $1) AND ($2 OR replayed_at IS NULL)
            ORDER BY parked_at DESC, id DESC LIMIT $3
            """, [stage.map { .text($0) } ?? .null, .bool(includeReplayed), .int(Int64(limit))]).map(Self.row)
    }

    /// Per stage (queue name), how many messages are parked and not yet replayed; stages with none are absent.
    public func unreplayedCountByStage(stages: [String]) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try database.query("""
            SELECT stage, count(*) FROM ombud.parked_messages WHERE replayed_at IS NULL AND stage = ANY($1::text[]) GROUP BY stage
            """, [.textArray(stages)]) {
            counts[try row.decode(String.self, column: 0)] = try row.decode(Int.self, column: 1)
        }
        return counts
    }

    /// Locks the given parked rows (or all not yet replayed of a stage) for replay, marks them replayed and
    /// removes their parked receipts; the caller publishes them and commits only once the broker confirms.
    func claimForReplay(stage: String, ids: [Int64]?) throws -> [Row] {
        let rows = try database.query("""
            SELECT id, stage, message_id, case_id, reason, failure, attempts, routing_key, headers::text, body, parked_at, replayed_at
            FROM ombud.parked_messages
            WHERE stage = $1 AND replayed_at IS NULL AND ($2::text[] IS NULL OR id::text = ANY($2::text[]))
            ORDER BY id FOR UPDATE
            """, [.text(stage), ids.map { .textArray($0.map(String.init)) } ?? .null]).map(Self.row)
        let receipts = ReceiptStore(database: database)
        for row in rows {
            try receipts.removeParkedReceipt(stage: row.stage, messageId: row.messageId)
            try database.query("UPDATE ombud.parked_messages SET replayed_at = now() WHERE id = $1", [.int(row.id)])
        }
        return rows
    }

    private static func row(_ row: PostgresRow) throws -> Row {
        let headersText = try row.decode(String.self, column: 8)
        let headers = (try? JSONDecoder().decode([String: String].self, from: Data(headersText.utf8))) ?? [:]
        return Row(id: try row.decode(Int64.self, column: 0), stage: try row.decode(String.self, column: 1),
                   messageId: try row.decode(String.self, column: 2), caseId: try row.decode(UUID?.self, column: 3),
                   reason: try row.decode(String.self, column: 4), failure: try row.decode(String.self, column: 5),
                   attempts: try row.decode(Int.self, column: 6), routingKey: try row.decode(String.self, column: 7),
                   headers: headers, body: try row.decode([UInt8].self, column: 9),
                   parkedAt: try row.decode(Date.self, column: 10), replayedAt: try row.decode(Date?.self, column: 11))
    }
}
