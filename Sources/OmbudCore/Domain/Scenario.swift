/// One line of a conformance scenario file (POLICY.md "Scenarios").
public struct Scenario: Codable, Sendable {
    public var name: String
    public var ledger: LedgerFacts
    public var tickets: [ScenarioTicketInput]
    public var expect: ScenarioExpectation
}

/// A ticket as written in a scenario; only the fields the policy core needs are typed.
public struct ScenarioTicketInput: Codable, Sendable {
    public struct CustomerRef: Codable, Sendable {
        public var id: String?
        public var email: String?
        public var locale: String?
    }

    public struct Attachment: Codable, Sendable {
        public var name: String
        public var contentType: String?
        public var size: Int?

        enum CodingKeys: String, CodingKey {
            case name, size
            case contentType = "content_type"
        }
    }

    public var channel: String
    public var externalId: String
    public var threadId: String?
    public var customer: CustomerRef
    public var subject: String?
    public var body: String
    public var orderRef: String?
    public var receivedAt: Timestamp
    public var attachments: [Attachment]?

    enum CodingKeys: String, CodingKey {
        case channel, customer, subject, body, attachments
        case externalId = "external_id"
        case threadId = "thread_id"
        case orderRef = "order_ref"
        case receivedAt = "received_at"
    }
}

public struct ScenarioExpectation: Codable, Sendable {
    public var intent: Intent
    public var outcome: Outcome
    public var actions: [ActionKind]
    public var team: Team?
    public var priority: Priority?
    public var flags: [Flag]?
    public var language: String?
    public var statusAfter: [Outcome]?

    enum CodingKeys: String, CodingKey {
        case intent, outcome, actions, team, priority, flags, language
        case statusAfter = "status_after"
    }
}
