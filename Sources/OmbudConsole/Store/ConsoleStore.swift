import Foundation
import OmbudOperations
import Postgres

/// The console's SQL, one place: the scoped queue, the scope check every case page and action starts with, the paged
/// timeline, notes, the audit, search and recording a reply. Every read takes the agent's team scope (`nil` for a
/// supervisor), so another team's case is invisible in SQL, not only in the page.
public enum ConsoleStore {
    /// What the queue shows: one team (of the agent's), one priority, the agent's own cases, or the waiting ones.
    public struct QueueFilter: Sendable, Equatable {
        public enum View: String, Sendable, CaseIterable { case all, mine, unassigned }
        public var team: String?
        public var priority: Int?
        public var view: View

        public init(team: String? = nil, priority: Int? = nil, view: View = .all) {
            self.team = team
            self.priority = priority
            self.view = view
        }
    }

    public struct QueueRow: Sendable, Equatable {
        public var caseId: UUID
        public var team: String?
        public var priority: Int?
        public var status: String
        public var assignee: String?
        public var firstResponseDue: Date?
        public var regulatoryDue: Date?
        public var intent: String?
        public var customerRef: String
        public var customerWants: String?
    }

    private static func scope(_ teams: [String]?) -> PostgresValue { teams.map { .textArray($0) } ?? .null }

    public static func queue(_ filter: QueueFilter, agent: Agent, limit: Int = 200,
                             in db: PostgresConnection) throws -> [QueueRow] {
        try db.query("""
            SELECT case_id, team, priority, status, assignee, first_response_due, regulatory_due, intent, customer_ref,
                   customer_wants
            FROM ombud.agent_queue
            WHERE ($1::text[] IS NULL OR team = ANY($1::text[]))
              AND ($2::text IS NULL OR team = $2::text)
              AND ($3::int IS NULL OR priority = $3::int)
              AND ($4::text <> 'mine' OR assignee = $5::text)
              AND ($4::text <> 'unassigned' OR status = 'escalated')
            ORDER BY priority NULLS LAST, first_response_due NULLS LAST, created_at, case_id
            LIMIT $6
            """, [scope(agent.teamScope), filter.team.map(PostgresValue.text) ?? .null,
                  filter.priority.map { .int(Int64($0)) } ?? .null, .text(filter.view.rawValue), .text(agent.name),
                  .int(Int64(limit))]).map { row in
            QueueRow(caseId: try row.decode(UUID.self, "case_id"), team: try row.decode(String?.self, "team"),
                     priority: try row.decode(Int?.self, "priority"), status: try row.decode(String.self, "status"),
                     assignee: try row.decode(String?.self, "assignee"),
                     firstResponseDue: try row.decode(Date?.self, "first_response_due"),
                     regulatoryDue: try row.decode(Date?.self, "regulatory_due"), intent: try row.decode(String?.self, "intent"),
                     customerRef: try row.decode(String.self, "customer_ref"),
                     customerWants: try row.decode(String?.self, "customer_wants"))
        }
    }

    /// The case's team when the agent may see the case, nil when there is no such case or it is another team's.
    /// `lock`: FOR UPDATE, so an action's check and its change see the same row.
    public static func scopedCase(_ caseId: UUID, agent: Agent, lock: Bool = false,
                                  in db: PostgresConnection) throws -> (team: String?, status: String, assignee: String?)? {
        let rows = try db.query("SELECT team, status, assignee FROM ombud.agent_case_scope($1, $2, $3)",
                                [.uuid(caseId), scope(agent.teamScope), .bool(lock)])
        guard let row = rows.first else { return nil }
        return (try row.decode(String?.self, "team"), try row.decode(String.self, "status"), try row.decode(String?.self, "assignee"))
    }

    public struct TimelinePage: Sendable {
        public var entries: [AgentDesk.TimelineEntry]
        public var total: Int
    }

    /// One page of the case's timeline, oldest first (the case must have passed `scopedCase`).
    public static func timeline(_ caseId: UUID, page: Int, pageSize: Int, in db: PostgresConnection) throws -> TimelinePage {
        let (entries, total) = try AgentDesk(database: db).timeline(caseId: caseId, limit: pageSize, offset: max(0, page) * pageSize)
        return TimelinePage(entries: entries, total: total)
    }

    public struct Note: Sendable, Equatable {
        public var author: String
        public var body: String
        public var at: Date
    }

    public static func notes(_ caseId: UUID, in db: PostgresConnection) throws -> [Note] {
        try db.query("SELECT author, body, created_at FROM ombud.agent_notes WHERE case_id = $1 ORDER BY id", [.uuid(caseId)])
            .map { Note(author: try $0.decode(String.self, column: 0), body: try $0.decode(String.self, column: 1),
                        at: try $0.decode(Date.self, column: 2)) }
    }

    public static func addNote(_ caseId: UUID, author: String, body: String, in db: PostgresConnection) throws {
        try db.query("INSERT INTO ombud.agent_notes (case_id, author, body) VALUES ($1, $2, $3)",
                     [.uuid(caseId), .text(author), .text(body)])
    }

    public struct AuditEntry: Sendable, Equatable {
        public var at: Date
        public var agent: String
        public var action: String
        public var outcome: String
        public var detail: String
    }

    /// Appends to `ombud.agent_audit`; `outcome` is `done` or `refused`.
    public static func audit(agent: String, action: String, caseId: UUID?, outcome: String, detail: [String: String] = [:],
                             in db: PostgresConnection) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try db.query("""
            INSERT INTO ombud.agent_audit (agent, action, case_id, outcome, detail) VALUES ($1, $2, $3, $4, $5)
            """, [.text(agent), .text(action), caseId.map(PostgresValue.uuid) ?? .null, .text(outcome), .jsonb(json)])
    }

    public static func auditTrail(_ caseId: UUID, limit: Int = 100, in db: PostgresConnection) throws -> [AuditEntry] {
        try db.query("""
            SELECT at, agent, action, outcome, detail::text FROM ombud.agent_audit WHERE case_id = $1 ORDER BY id DESC LIMIT $2
            """, [.uuid(caseId), .int(Int64(limit))]).map {
            AuditEntry(at: try $0.decode(Date.self, column: 0), agent: try $0.decode(String.self, column: 1),
                       action: try $0.decode(String.self, column: 2), outcome: try $0.decode(String.self, column: 3),
                       detail: try $0.decode(String.self, column: 4))
        }
    }

    public struct SearchHit: Sendable, Equatable {
        public var caseId: UUID
        public var team: String?
        public var status: String
        public var customerRef: String
        public var intent: String?
        public var excerpt: String?
    }

    /// Cases by id, by customer (reference, ledger id or e-mail, exactly) or by words in their tickets.
    public static func search(_ text: String, agent: Agent, limit: Int = 50, in db: PostgresConnection) throws -> [SearchHit] {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else { return [] }
        let pattern = "%" + query.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try db.query("""
            SELECT DISTINCT ON (created_at, case_id) case_id, team, status, customer_ref, intent, created_at,
                   left(coalesce(subject || ': ', '') || coalesce(body, ''), 160) AS excerpt
            FROM ombud.agent_search
            WHERE ($1::text[] IS NULL OR team = ANY($1::text[]))
              AND (case_id::text = lower($2) OR customer_ref = $2 OR customer_id = $2 OR lower(customer_email) = lower($2)
                   OR subject ILIKE $3 OR body ILIKE $3)
            ORDER BY created_at DESC, case_id
            LIMIT $4
            """, [scope(agent.teamScope), .text(query), .text(pattern), .int(Int64(limit))]).map { row in
            SearchHit(caseId: try row.decode(UUID.self, "case_id"), team: try row.decode(String?.self, "team"),
                      status: try row.decode(String.self, "status"), customerRef: try row.decode(String.self, "customer_ref"),
                      intent: try row.decode(String?.self, "intent"), excerpt: try row.decode(String?.self, "excerpt"))
        }
    }

    public struct RecordedReply: Sendable, Equatable {
        public var ticketId: UUID
        public var channel: String
        public var externalId: String
        public var threadId: String?
        /// false when this message id was recorded before (the same form submitted twice).
        public var inserted: Bool
    }

    /// Records an agent's reply on the case's latest ticket (`ombud.record_agent_reply`); nil when the case has no ticket.
    public static func recordReply(_ caseId: UUID, agent: String, messageId: String, text: String, language: String,
                                   in db: PostgresConnection) throws -> RecordedReply? {
        guard let row = try db.query("SELECT * FROM ombud.record_agent_reply($1, $2, $3, $4, $5)",
                                     [.uuid(caseId), .text(agent), .text(messageId), .text(text), .text(language)]).first
        else { return nil }
        return RecordedReply(ticketId: try row.decode(UUID.self, "ticket_id"), channel: try row.decode(String.self, "channel"),
                             externalId: try row.decode(String.self, "external_id"),
                             threadId: try row.decode(String?.self, "thread_id"), inserted: try row.decode(Bool.self, "inserted"))
    }

    public static func reassign(_ caseId: UUID, by: String, to: String, team: String?, in db: PostgresConnection) throws -> Bool {
        try db.query("SELECT ombud.reassign_case($1, $2, $3, $4)",
                     [.uuid(caseId), .text(by), .text(to), team.map(PostgresValue.text) ?? .null])[0].decode(Bool.self, column: 0)
    }

    /// The team of a case (for routing a live-queue notification to the agents who may see it).
    public static func team(of caseId: UUID, in db: PostgresConnection) throws -> String?? {
        guard let row = try db.query("SELECT team FROM ombud.agent_case_overview WHERE case_id = $1", [.uuid(caseId)]).first
        else { return nil }
        return .some(try row.decode(String?.self, column: 0))
    }
}

extension ConsoleStore {
    /// Claims the most urgent waiting case the agent may take (of `team`, when given); agents pulling at the same time
    /// get different cases (SKIP LOCKED). nil when there is none.
    public static func claimNext(agent: Agent, team: String?, in db: PostgresConnection) throws -> UUID? {
        try db.query("SELECT ombud.claim_next_case_in($1, $2, $3)",
                     [.text(agent.name), scope(agent.teamScope), team.map(PostgresValue.text) ?? .null])[0]
            .decode(UUID?.self, column: 0)
    }
}
