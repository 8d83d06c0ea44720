import Foundation
import OmbudJSON
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

    /// What resolve reads of a case's other classifications (their entities are not needed, so not decoded).
    struct CaseClassification {
        var receivedAt: Date
        var intent: Intent
        var confidence: Double
        var flags: Set<Flag>
    }

    /// The classifications of the cases' tickets with when each ticket was received, oldest first: resolve keeps
    /// those received before the ticket it decides on (a vague follow-up keeps the case's intent, and flags raised
    /// earlier in the case still count).
    static func caseClassifications(caseIds: [UUID], in db: PostgresConnection) throws -> [UUID: [CaseClassification]] {
        var found: [UUID: [CaseClassification]] = [:]
        for row in try db.query("""
            SELECT c.case_id, m.received_at, c.intent, c.confidence::text, c.flags
            FROM ombud.classifications c JOIN ombud.case_messages m ON m.ticket_id = c.ticket_id
            WHERE c.case_id = ANY($1::uuid[]) ORDER BY m.received_at
            """, [.textArray(caseIds.map(MessageIds.canonical))]) {
            let intentText = try row.decode(String.self, column: 2)
            guard let intent = Intent(rawValue: intentText) else { throw StoreError.missing("intent \(intentText)") }
            found[try row.decode(UUID.self, column: 0), default: []].append(CaseClassification(
                receivedAt: try row.decode(Date.self, column: 1), intent: intent,
                confidence: Double(try row.decode(String.self, column: 3)) ?? 0,
                flags: Set(try row.decode([String].self, column: 4).compactMap(Flag.init(rawValue:)))))
        }
        return found
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

        var orderMatch: OrderMatch {
            switch result {
            case "matched": orderId.map { .matched(orderId: $0) } ?? .none
            case "ambiguous": .ambiguous(candidates: candidates)
            default: .none
            }
        }
    }

    /// A batch's matches in one statement.
    static func insertMatches(_ rows: [(ticketId: UUID, caseId: UUID, match: StoredMatch, reasons: String)],
                              in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.matches (ticket_id, case_id, customer_id, result, order_id, candidates, reasons)
            SELECT t::uuid, c::uuid, cu, r, o, ca::text[], re::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 AS u(t, c, cu, r, o, ca, re)
            """, [.textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map(\.match.customerId)), .textArray(rows.map(\.match.result)),
                  .textArray(rows.map(\.match.orderId)),
                  .textArray(try rows.map { try PostgresValue.textArray($0.match.candidates).textRepresentation() }),
                  .textArray(rows.map(\.reasons))])
    }

    /// A batch's matches in one query, by ticket id; a missing id is simply absent.
    static func matches(ticketIds: [UUID], in db: PostgresConnection) throws -> [UUID: StoredMatch] {
        var found: [UUID: StoredMatch] = [:]
        for row in try db.query("""
            SELECT customer_id, result, order_id, candidates, ticket_id FROM ombud.matches
            WHERE ticket_id = ANY($1::uuid[])
            """, [.textArray(ticketIds.map(MessageIds.canonical))]) {
            found[try row.decode(UUID.self, column: 4)] = StoredMatch(
                customerId: try row.decode(String?.self, column: 0), result: try row.decode(String.self, column: 1),
                orderId: try row.decode(String?.self, column: 2), candidates: try row.decode([String].self, column: 3))
        }
        return found
    }

    // MARK: decisions

    /// A batch's decisions in one statement.
    static func insertDecisions(_ rows: [(ticketId: UUID, caseId: UUID, decision: Decision)], in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.decisions (ticket_id, case_id, intent, rule, outcome, policy_version, team, priority, decision)
            SELECT t::uuid, c::uuid, i, r, o, v, tm, p::smallint, d::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[]) AS u(t, c, i, r, o, v, tm, p, d)
            """, [.textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map(\.decision.intent.rawValue)), .textArray(rows.map(\.decision.rule)),
                  .textArray(rows.map(\.decision.outcome.rawValue)), .textArray(rows.map(\.decision.policyVersion)),
                  .textArray(rows.map { $0.decision.team?.rawValue }),
                  .textArray(rows.map { $0.decision.priority.map { String($0.level) } }),
                  .textArray(try rows.map { try JSONText.encode($0.decision) })])
    }

    /// A batch's decisions in one query, by ticket id; a missing id is simply absent.
    static func decisions(ticketIds: [UUID], in db: PostgresConnection) throws -> [UUID: Decision] {
        var found: [UUID: Decision] = [:]
        for row in try db.query("SELECT decision, ticket_id FROM ombud.decisions WHERE ticket_id = ANY($1::uuid[])",
                                [.textArray(ticketIds.map(MessageIds.canonical))]) {
            found[try row.decode(UUID.self, column: 1)] =
                try JSONText.decode(Decision.self, try row.decode(PostgresJSON.self, column: 0).text)
        }
        return found
    }

    /// The rules of the cases' decisions with when each decided-on ticket was received, oldest first.
    static func caseRules(caseIds: [UUID], in db: PostgresConnection) throws -> [UUID: [(receivedAt: Date, rule: String)]] {
        var found: [UUID: [(receivedAt: Date, rule: String)]] = [:]
        for row in try db.query("""
            SELECT d.case_id, m.received_at, d.rule FROM ombud.decisions d JOIN ombud.case_messages m ON m.ticket_id = d.ticket_id
            WHERE d.case_id = ANY($1::uuid[]) ORDER BY m.received_at
            """, [.textArray(caseIds.map(MessageIds.canonical))]) {
            found[try row.decode(UUID.self, column: 0), default: []]
                .append((try row.decode(Date.self, column: 1), try row.decode(String.self, column: 2)))
        }
        return found
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

    /// The actions recorded on the cases, with the ticket each was for, in the order they were executed.
    static func actions(caseIds: [UUID], in db: PostgresConnection) throws -> [UUID: [(ticketId: UUID, action: StoredAction)]] {
        var found: [UUID: [(ticketId: UUID, action: StoredAction)]] = [:]
        for row in try db.query("""
            SELECT kind, target, idempotency_key, status, case_id, ticket_id FROM ombud.actions
            WHERE case_id = ANY($1::uuid[]) ORDER BY executed_at, idempotency_key
            """, [.textArray(caseIds.map(MessageIds.canonical))]) {
            found[try row.decode(UUID.self, column: 4), default: []].append((
                try row.decode(UUID.self, column: 5),
                StoredAction(kind: try row.decode(String.self, column: 0), target: try row.decode(String.self, column: 1),
                             idempotencyKey: try row.decode(String.self, column: 2),
                             status: try row.decode(String.self, column: 3))))
        }
        return found
    }

    // MARK: replies and escalations

    /// One reply as written.
    struct ReplyRow {
        var messageId: String
        var caseId: UUID
        var ticketId: UUID
        var stage: PipelineStage
        var outcome: String
        var composed: ComposedReply
    }

    /// A batch's replies in one statement.
    static func insertReplies(_ rows: [ReplyRow], in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.replies (message_id, case_id, ticket_id, stage, outcome, language, template_id, text)
            SELECT mi, c::uuid, t::uuid, s, o, l, tp, tx
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
                 AS u(mi, c, t, s, o, l, tp, tx)
            """, [.textArray(rows.map(\.messageId)), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map(\.stage.rawValue)),
                  .textArray(rows.map(\.outcome)), .textArray(rows.map(\.composed.language.rawValue)),
                  .textArray(rows.map(\.composed.templateId)), .textArray(rows.map(\.composed.text))])
    }

    /// A batch's hand-offs in one statement.
    static func insertEscalations(_ rows: [(ticketId: UUID, caseId: UUID, summary: HandoffSummary, language: String)],
                                  in db: PostgresConnection) throws {
        try db.query("""
            INSERT INTO ombud.escalations (ticket_id, case_id, team, priority, language, first_response_due, regulatory_due,
                                           reason, summary, summary_text)
            SELECT t::uuid, c::uuid, tm, p::smallint, l, f::timestamptz, r::timestamptz, re, s::jsonb, st
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[]) AS u(t, c, tm, p, l, f, r, re, s, st)
            """, [.textArray(rows.map { MessageIds.canonical($0.ticketId) }), .textArray(rows.map { MessageIds.canonical($0.caseId) }),
                  .textArray(rows.map(\.summary.team.rawValue)), .textArray(rows.map { String($0.summary.priority.level) }),
                  .textArray(rows.map(\.language)),
                  .textArray(try rows.map { try CaseStore.timestampText($0.summary.firstResponseDue.date) }),
                  .textArray(try rows.map { try $0.summary.regulatoryDue.flatMap { try CaseStore.timestampText($0.date) } }),
                  .textArray(rows.map(\.summary.reason)), .textArray(try rows.map { try JSONText.encode($0.summary) }),
                  .textArray(rows.map(\.summary.text))])
    }
}

/// JSON columns: sorted keys, so the same record is always the same text.
enum JSONText {
    /// For jsonb columns: the database orders keys itself, so the streaming encoder's declaration order will do.
    static func encode<T: Encodable>(_ value: T) throws -> String {
        try StreamingJSONEncoder().encodeString(value)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try TreeJSONDecoder().decode(type, from: Array(text.utf8))
    }
}
