import Foundation
import Postgres

/// What an agent (or an agent's tool) does with the queue: read it, claim a case, read the case, close it.
///
/// Uses only the agent views (`ombud.agent_queue`, `ombud.agent_case_overview`, `ombud.agent_case_timeline`) and the
/// agent functions (`ombud.claim_next_case`, `ombud.claim_case`, `ombud.close_case`), so it works for a login role that
/// is only a member of `ombud_agent`.
public struct AgentDesk: @unchecked Sendable {
    public let database: PostgresConnection

    public init(database: PostgresConnection) {
        self.database = database
    }

    /// The outcomes `close` accepts (`ombud.close_case` checks them too).
    public static let outcomes = ["resolved", "refunded", "rejected", "duplicate", "no_response", "referred"]

    // MARK: Reading

    /// Open escalations (waiting or claimed), most urgent first: priority, then first-response due time.
    public func queue(team: String? = nil, limit: Int = 50) throws -> [QueueEntry] {
        let rows = try run {
            try database.query("""
                SELECT case_id, team, priority, language, first_response_due, regulatory_due, status, assignee,
                       claimed_at, intent, customer_ref, order_id, contacts, created_at, reason, customer_wants
                FROM ombud.agent_queue
                WHERE $1::text IS NULL OR team = $1::text
                ORDER BY priority NULLS LAST, first_response_due NULLS LAST, created_at, case_id
                LIMIT $2
                """, [team.map(PostgresValue.text) ?? .null, .int(Int64(max(0, limit)))])
        }
        return try rows.map { row in
            QueueEntry(caseId: try row.decode(UUID.self, "case_id"), team: try row.decode(String?.self, "team"),
                       priority: try row.decode(Int?.self, "priority"), language: try row.decode(String?.self, "language"),
                       firstResponseDue: try row.decode(Date?.self, "first_response_due"),
                       regulatoryDue: try row.decode(Date?.self, "regulatory_due"), status: try row.decode(String.self, "status"),
                       assignee: try row.decode(String?.self, "assignee"), claimedAt: try row.decode(Date?.self, "claimed_at"),
                       intent: try row.decode(String?.self, "intent"), customerRef: try row.decode(String.self, "customer_ref"),
                       orderId: try row.decode(String?.self, "order_id"), contacts: try row.decode(Int.self, "contacts"),
                       createdAt: try row.decode(Date.self, "created_at"), reason: try row.decode(String?.self, "reason"),
                       customerWants: try row.decode(String?.self, "customer_wants"))
        }
    }

    /// The case's overview, or nil when there is no such case.
    public func overview(caseId: UUID) throws -> CaseOverview? {
        let rows = try run {
            try database.query("""
                SELECT case_id, status, stage, channel, customer_ref, customer_id, order_id, thread_id, intent,
                       intent_confidence::float8 AS intent_confidence, language, outcome, rule, team, priority,
                       first_response_due, regulatory_due, assignee, claimed_at, closed_at, close_outcome, close_note,
                       contacts, created_at, updated_at, handoff_summary, actions
                FROM ombud.agent_case_overview WHERE case_id = $1
                """, [.uuid(caseId)])
        }
        guard let row = rows.first else { return nil }
        let actions = try AgentJSON.parse(try row.decode(PostgresJSON.self, "actions").text)
        return CaseOverview(
            caseId: try row.decode(UUID.self, "case_id"), status: try row.decode(String.self, "status"),
            stage: try row.decode(String.self, "stage"), channel: try row.decode(String.self, "channel"),
            customerRef: try row.decode(String.self, "customer_ref"), customerId: try row.decode(String?.self, "customer_id"),
            orderId: try row.decode(String?.self, "order_id"), threadId: try row.decode(String?.self, "thread_id"),
            intent: try row.decode(String?.self, "intent"), intentConfidence: try row.decode(Double?.self, "intent_confidence"),
            language: try row.decode(String?.self, "language"), outcome: try row.decode(String?.self, "outcome"),
            rule: try row.decode(String?.self, "rule"), team: try row.decode(String?.self, "team"),
            priority: try row.decode(Int?.self, "priority"), firstResponseDue: try row.decode(Date?.self, "first_response_due"),
            regulatoryDue: try row.decode(Date?.self, "regulatory_due"), assignee: try row.decode(String?.self, "assignee"),
            claimedAt: try row.decode(Date?.self, "claimed_at"), closedAt: try row.decode(Date?.self, "closed_at"),
            closeOutcome: try row.decode(String?.self, "close_outcome"), closeNote: try row.decode(String?.self, "close_note"),
            contacts: try row.decode(Int.self, "contacts"), createdAt: try row.decode(Date.self, "created_at"),
            updatedAt: try row.decode(Date.self, "updated_at"), handoffSummary: try row.decode(String?.self, "handoff_summary"),
            actions: (actions.array ?? []).map { action in
                CaseOverview.Action(kind: action["kind"]?.string ?? "", target: action["target"]?.string ?? "",
                                    status: action["status"]?.string ?? "", result: action["result"]?.string ?? "")
            })
    }

    /// Everything that happened on the case, oldest first.
    public func timeline(caseId: UUID) throws -> [TimelineEntry] {
        try timeline(caseId: caseId, limit: nil, offset: 0).entries
    }

    /// `limit` events of the case's timeline from `offset` (nil: all), oldest first, and how many it has in all.
    public func timeline(caseId: UUID, limit: Int?, offset: Int) throws -> (entries: [TimelineEntry], total: Int) {
        let rows = try run {
            try database.query("""
                SELECT at, stage, kind, detail, count(*) OVER () FROM ombud.agent_case_timeline WHERE case_id = $1
                ORDER BY at, CASE stage WHEN 'intake' THEN 0 WHEN 'classify' THEN 1 WHEN 'lookup' THEN 2
                                        WHEN 'resolve' THEN 3 WHEN 'escalate' THEN 4 ELSE 5 END, kind
                LIMIT $2 OFFSET $3
                """, [.uuid(caseId), limit.map { .int(Int64($0)) } ?? .null, .int(Int64(max(0, offset)))])
        }
        let entries = try rows.map { row in
            TimelineEntry(at: try row.decode(Date.self, column: 0), stage: try row.decode(String.self, column: 1),
                          kind: try row.decode(String.self, column: 2),
                          detail: try AgentJSON.parse(try row.decode(PostgresJSON?.self, column: 3)?.text ?? "{}"))
        }
        // A page past the end has no rows to carry the count.
        if let first = rows.first { return (entries, try first.decode(Int.self, column: 4)) }
        guard offset > 0 else { return ([], 0) }
        return ([], try timeline(caseId: caseId, limit: 1, offset: 0).total)
    }

    // MARK: Changing

    /// Claims the most urgent waiting case (of `team`, when given) for `agent`; nil when there is none.
    /// Agents claiming at the same time get different cases (`FOR UPDATE SKIP LOCKED`).
    public func claimNext(agent: String, team: String? = nil) throws -> UUID? {
        try run {
            try database.query("SELECT ombud.claim_next_case($1, $2)", [.text(agent), team.map(PostgresValue.text) ?? .null])[0]
                .decode(UUID?.self, column: 0)
        }
    }

    /// Claims one named case; false when it is not waiting for an agent (claimed already, closed, not escalated).
    public func claim(caseId: UUID, agent: String) throws -> Bool {
        try run {
            try database.query("SELECT ombud.claim_case($1, $2)", [.uuid(caseId), .text(agent)])[0].decode(Bool.self, column: 0)
        }
    }

    /// Closes a case `agent` holds with one of `AgentDesk.outcomes`; false when the agent does not hold it.
    /// An unknown outcome throws `AgentDeskError.invalidArgument`.
    public func close(caseId: UUID, agent: String, outcome: String, note: String? = nil) throws -> Bool {
        try run {
            try database.query("SELECT ombud.close_case($1, $2, $3, $4)",
                               [.uuid(caseId), .text(agent), .text(outcome), note.map(PostgresValue.text) ?? .null])[0]
                .decode(Bool.self, column: 0)
        }
    }

    /// Turns the agent functions' refusals into `AgentDeskError`s; every other error passes unchanged.
    private func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where error.sqlState == "22023" {
            throw AgentDeskError.invalidArgument(error.message)
        } catch let error as PostgresError where error.sqlState == "42501" {
            throw AgentDeskError.permissionDenied(error.message)
        }
    }
}

public enum AgentDeskError: Error, Equatable, CustomStringConvertible, Sendable {
    /// SQLSTATE 22023 from an agent function: an empty agent name, an unknown outcome.
    case invalidArgument(String)
    /// SQLSTATE 42501: the login role may not do this (is it a member of ombud_agent?).
    case permissionDenied(String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): "invalid request: \(message)"
        case .permissionDenied(let message): "permission denied: \(message) (the login role needs ombud_agent)"
        }
    }
}

extension AgentDesk {
    /// One row of `ombud.agent_queue`.
    public struct QueueEntry: Sendable, Codable, Equatable {
        public var caseId: UUID
        public var team: String?
        public var priority: Int?
        public var language: String?
        public var firstResponseDue: Date?
        public var regulatoryDue: Date?
        /// `escalated` (waiting) or `claimed`.
        public var status: String
        public var assignee: String?
        public var claimedAt: Date?
        public var intent: String?
        public var customerRef: String
        public var orderId: String?
        public var contacts: Int
        public var createdAt: Date
        public var reason: String?
        /// The first line of the hand-off summary.
        public var customerWants: String?

        public func isOverdue(at now: Date = Date()) -> Bool { firstResponseDue.map { $0 < now } ?? false }
    }

    /// One row of `ombud.agent_case_overview`.
    public struct CaseOverview: Sendable, Codable, Equatable {
        public struct Action: Sendable, Codable, Equatable {
            public var kind: String
            public var target: String
            public var status: String
            public var result: String
        }

        public var caseId: UUID
        public var status: String
        public var stage: String
        public var channel: String
        public var customerRef: String
        public var customerId: String?
        public var orderId: String?
        public var threadId: String?
        public var intent: String?
        public var intentConfidence: Double?
        public var language: String?
        public var outcome: String?
        public var rule: String?
        public var team: String?
        public var priority: Int?
        public var firstResponseDue: Date?
        public var regulatoryDue: Date?
        public var assignee: String?
        public var claimedAt: Date?
        public var closedAt: Date?
        public var closeOutcome: String?
        public var closeNote: String?
        public var contacts: Int
        public var createdAt: Date
        public var updatedAt: Date
        public var handoffSummary: String?
        public var actions: [Action]
    }

    /// One row of `ombud.agent_case_timeline`: a ticket, classification, match, decision, action, reply, escalation
    /// or runtime event (`parked`, `claimed`, `closed`, …).
    public struct TimelineEntry: Sendable, Codable, Equatable {
        public var at: Date
        public var stage: String
        public var kind: String
        public var detail: AgentJSON
    }
}

/// A JSON value as the views return it (jsonb), for reading fields and printing them back as JSON.
public enum AgentJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([AgentJSON])
    case object([String: AgentJSON])

    public static func parse(_ text: String) throws -> AgentJSON {
        try JSONDecoder().decode(AgentJSON.self, from: Data(text.utf8))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AgentJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AgentJSON].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public subscript(key: String) -> AgentJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var array: [AgentJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: AgentJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// A short human rendering: strings bare, numbers without trailing zeros, arrays comma-separated,
    /// objects as `key: value` pairs in key order.
    public var plain: String {
        switch self {
        case .null: "—"
        case .bool(let value): value ? "yes" : "no"
        case .number(let value):
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): value
        case .array(let values): values.map(\.inner).joined(separator: ", ")
        case .object(let fields):
            fields.keys.sorted().map { "\($0): \(fields[$0]!.inner)" }.joined(separator: "; ")
        }
    }

    /// Like `plain`, but nested arrays and objects are bracketed so they stay readable inside a parent.
    private var inner: String {
        switch self {
        case .array(let values): "[" + values.map(\.inner).joined(separator: ", ") + "]"
        case .object: "{" + plain + "}"
        default: plain
        }
    }
}
