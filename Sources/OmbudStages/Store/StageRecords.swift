import Foundation
import OmbudCore
import Postgres

/// SQL for the per-ticket records the stages write after intake: `classifications`, `matches`, `decisions`,
/// `actions`, `replies` and `escalations`. Each has the ticket id as its key and is written once, in the same
/// transaction as the stage's receipt.
enum StageRecords {
    // MARK: classifications

    struct StoredClassification {
        var intent: Intent
        var confidence: Double
        var flags: Set<Flag>
        var entities: EntityRecord
        var language: String?
        var modelVersion: String
    }

    /// One classification as written (JSON columns already encoded).
    struct ClassificationRow {
        var ticketId: UUID
        var caseId: UUID
        var intent: String
        var confidence: Double
        var ranked: String
        var sentiment: String
        var sentimentScore: Double
        var flags: [String]
        var flagEvidence: String
        var entities: String
        var language: String?
        var modelVersion: String
    }

    /// A batch's classifications in one statement.
    static func insertClassifications(_ rows: [ClassificationRow], in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.classifications (ticket_id, case_id, intent, confidence, ranked, sentiment, sentiment_score,
                flags, flag_evidence, entities, language, model_version)
            SELECT t::uuid, c::uuid, i, p::numeric, r::jsonb, s, ss::numeric, f::text[], fe::jsonb, e::jsonb, l, v
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[], $12::text[]) AS u(t, c, i, p, r, s, ss, f, fe, e, l, v)
            """, [.textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map(\.intent)), .textArray(rows.map { "\(Decimal4.rounded($0.confidence))" }),
                  .textArray(rows.map(\.ranked)), .textArray(rows.map(\.sentiment)),
                  .textArray(rows.map { "\(Decimal4.rounded($0.sentimentScore))" }),
                  // Flag names are plain identifiers: the array literal needs no quoting.
                  .textArray(rows.map { "{" + $0.flags.joined(separator: ",") + "}" }),
                  .textArray(rows.map(\.flagEvidence)), .textArray(rows.map(\.entities)), .textArray(rows.map(\.language)),
                  .textArray(rows.map(\.modelVersion))])
    }

    static func classification(ticketId: UUID, in db: PostgresConnection) throws -> StoredClassification {
        guard let found = try classifications(ticketIds: [ticketId], in: db)[ticketId] else {
            throw StoreError.missing("classification of ticket \(MessageIds.canonical(ticketId))")
        }
        return found
    }

    static func classifications(ticketIds: [UUID], in db: PostgresConnection) throws -> [UUID: StoredClassification] {
        var found: [UUID: StoredClassification] = [:]
        for row in try db.query("""
            SELECT intent, confidence::text, flags, entities, language, model_version, ticket_id
            FROM ombud.classifications WHERE ticket_id = ANY($1::uuid[])
            """, [.textArray(ticketIds.map(MessageIds.canonical))]) {
            found[try row.decode(UUID.self, column: 6)] = try storedClassification(row)
        }
        return found
    }

    /// The case's earlier classifications (before `receivedAt`), oldest first: a vague follow-up keeps the case's
    /// intent, and flags raised earlier in the case still count.
    static func earlierClassifications(caseId: UUID, before receivedAt: Date,
                                       in db: PostgresConnection) throws -> [StoredClassification] {
        try db.query("""
            SELECT c.intent, c.confidence::text, c.flags, c.entities, c.language, c.model_version
            FROM ombud.classifications c JOIN ombud.case_messages m ON m.ticket_id = c.ticket_id
            WHERE c.case_id = $1 AND m.received_at < $2 ORDER BY m.received_at
            """, [.uuid(caseId), .timestamp(receivedAt)]).map(storedClassification)
    }

    private static func storedClassification(_ row: PostgresRow) throws -> StoredClassification {
        let intentText = try row.decode(String.self, column: 0)
        guard let intent = Intent(rawValue: intentText) else { throw StoreError.missing("intent \(intentText)") }
        return StoredClassification(
            intent: intent, confidence: Double(try row.decode(String.self, column: 1)) ?? 0,
            flags: Set(try row.decode([String].self, column: 2).compactMap(Flag.init(rawValue:))),
            entities: try JSONText.decode(EntityRecord.self, try row.decode(PostgresJSON.self, column: 3).text),
            language: try row.decode(String?.self, column: 4), modelVersion: try row.decode(String.self, column: 5))
    }

    // MARK: matches

    struct StoredMatch {
        var customerId: String?
        var result: String
        var orderId: String?
        var candidates: [String]
        var ledger: LedgerFacts?

        var orderMatch: OrderMatch {
            switch result {
            case "matched": orderId.map { .matched(orderId: $0) } ?? .none
            case "ambiguous": .ambiguous(candidates: candidates)
            default: .none
            }
        }
    }

    /// A batch's matches in one statement (the ledger snapshot as JSON).
    static func insertMatches(_ rows: [(ticketId: UUID, caseId: UUID, match: StoredMatch, reasons: String)],
                              in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.matches (ticket_id, case_id, customer_id, result, order_id, candidates, reasons, ledger)
            SELECT t::uuid, c::uuid, cu, r, o, ca::text[], re::jsonb, l::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 AS u(t, c, cu, r, o, ca, re, l)
            """, [.textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map(\.match.customerId)), .textArray(rows.map(\.match.result)),
                  .textArray(rows.map(\.match.orderId)),
                  .textArray(try rows.map { try PostgresValue.textArray($0.match.candidates).textRepresentation() }),
                  .textArray(rows.map(\.reasons)),
                  .textArray(try rows.map { try $0.match.ledger.map(JSONText.encode) })])
    }

    static func match(ticketId: UUID, in db: PostgresConnection) throws -> StoredMatch {
        guard let row = try db.query("""
            SELECT customer_id, result, order_id, candidates, ledger FROM ombud.matches WHERE ticket_id = $1
            """, [.uuid(ticketId)]).first else {
            throw StoreError.missing("match of ticket \(MessageIds.canonical(ticketId))")
        }
        return StoredMatch(
            customerId: try row.decode(String?.self, column: 0), result: try row.decode(String.self, column: 1),
            orderId: try row.decode(String?.self, column: 2), candidates: try row.decode([String].self, column: 3),
            ledger: try row.decode(PostgresJSON?.self, column: 4).map { try JSONText.decode(LedgerFacts.self, $0.text) })
    }

    // MARK: decisions

    static func insertDecision(ticketId: UUID, caseId: UUID, decision: Decision, in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.decisions (ticket_id, case_id, intent, rule, outcome, policy_version, team, priority, decision)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, [.uuid(ticketId), .uuid(caseId), .text(decision.intent.rawValue), .text(decision.rule),
                  .text(decision.outcome.rawValue), .text(decision.policyVersion),
                  decision.team.map { .text($0.rawValue) } ?? .null,
                  decision.priority.map { .int(Int64($0.level)) } ?? .null, .jsonb(try JSONText.encode(decision))])
    }

    static func decision(ticketId: UUID, in db: PostgresConnection) throws -> Decision {
        guard let row = try db.query("SELECT decision FROM ombud.decisions WHERE ticket_id = $1", [.uuid(ticketId)]).first else {
            throw StoreError.missing("decision on ticket \(MessageIds.canonical(ticketId))")
        }
        return try JSONText.decode(Decision.self, try row.decode(PostgresJSON.self, column: 0).text)
    }

    /// The rules of the case's earlier decisions, oldest first.
    static func earlierRules(caseId: UUID, before receivedAt: Date, in db: PostgresConnection) throws -> [String] {
        try db.query("""
            SELECT d.rule FROM ombud.decisions d JOIN ombud.case_messages m ON m.ticket_id = d.ticket_id
            WHERE d.case_id = $1 AND m.received_at < $2 ORDER BY m.received_at
            """, [.uuid(caseId), .timestamp(receivedAt)]).map { try $0.decode(String.self, column: 0) }
    }

    // MARK: actions

    struct StoredAction {
        var kind: String
        var target: String
        var idempotencyKey: String
        var status: String
    }

    /// Records an executed action; a second record with the same key changes nothing. Returns whether it was new.
    @discardableResult
    static func insertAction(_ action: PlannedAction, caseId: UUID, ticketId: UUID, status: String, result: String,
                             in db: PostgresConnection) throws -> Bool {
        try db.query("""
            INSERT INTO ombud.actions (idempotency_key, case_id, ticket_id, kind, target, amount, currency, days, status, result)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (idempotency_key) DO NOTHING
            """, [.text(action.idempotencyKey), .uuid(caseId), .uuid(ticketId), .text(action.kind.rawValue),
                  .text(action.target), action.amount.map { .decimal($0.amount.value) } ?? .null,
                  action.amount.map { .text($0.currency) } ?? .null, action.days.map { .int(Int64($0)) } ?? .null,
                  .text(status), .text(result)]).affectedRows == 1
    }

    static func actions(caseId: UUID, excludingTicket ticketId: UUID? = nil, in db: PostgresConnection) throws -> [StoredAction] {
        try db.query("""
            SELECT kind, target, idempotency_key, status FROM ombud.actions
            WHERE case_id = $1 AND ($2::uuid IS NULL OR ticket_id <> $2) ORDER BY executed_at, idempotency_key
            """, [.uuid(caseId), ticketId.map(PostgresValue.uuid) ?? .null]).map {
            StoredAction(kind: try $0.decode(String.self, column: 0), target: try $0.decode(String.self, column: 1),
                         idempotencyKey: try $0.decode(String.self, column: 2), status: try $0.decode(String.self, column: 3))
        }
    }

    // MARK: replies and escalations

    static func insertReply(messageId: String, caseId: UUID, ticketId: UUID, stage: PipelineStage, outcome: String,
                            composed: ComposedReply, in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.replies (message_id, case_id, ticket_id, stage, outcome, language, template_id, text)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [.text(messageId), .uuid(caseId), .uuid(ticketId), .text(stage.rawValue), .text(outcome),
                  .text(composed.language.rawValue), .text(composed.templateId), .text(composed.text)])
    }

    static func insertEscalation(ticketId: UUID, caseId: UUID, summary: HandoffSummary, language: String,
                                 in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.escalations (ticket_id, case_id, team, priority, language, first_response_due, regulatory_due,
                                           reason, summary, summary_text)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """, [.uuid(ticketId), .uuid(caseId), .text(summary.team.rawValue), .int(Int64(summary.priority.level)),
                  .text(language), .timestamp(summary.firstResponseDue.date),
                  summary.regulatoryDue.map { .timestamp($0.date) } ?? .null, .text(summary.reason),
                  .jsonb(try JSONText.encode(summary)), .text(summary.text)])
    }
}

/// JSON columns: sorted keys, so the same record is always the same text.
enum JSONText {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try MessageCoding.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try MessageCoding.decode(type, from: Array(text.utf8))
    }
}
