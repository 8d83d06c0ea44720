import Foundation

/// Outbound reply, `ombud.reply.v1`, published to `ombud.replies` with routing key `reply.<channel>`.
public struct ReplyV1: Codable, Sendable, Equatable {
    /// What happened to the case; mirrors the case statuses a customer can see.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case autoResolved = "auto_resolved"
        case needsInfo = "needs_info"
        case escalated
    }

    /// An action executed on the customer's account, reported so the channel can show it.
    public struct Action: Codable, Sendable, Equatable {
        /// The action's kind as the policy names it (`refund_capture`, `pause_payments`, …).
        public var kind: String
        /// The ledger row acted on (capture, plan, fee, …), when there is one.
        public var target: String?
        /// The action's idempotency key (case, kind, target), so a channel can dedupe too.
        public var idempotencyKey: String?

        public init(kind: String, target: String? = nil, idempotencyKey: String? = nil) {
            self.kind = kind
            self.target = target
            self.idempotencyKey = idempotencyKey
        }

        enum CodingKeys: String, CodingKey {
            case kind, target
            case idempotencyKey = "idempotency_key"
        }
    }

    public var schema: String
    public var caseId: UUID
    public var channel: String
    public var externalId: String
    public var threadId: String?
    /// BCP 47 language of `text` (`en`, `de`, `sv`, …).
    public var language: String
    public var outcome: Outcome
    public var text: String
    public var actions: [Action]

    public init(caseId: UUID, channel: String, externalId: String, threadId: String? = nil, language: String,
                outcome: Outcome, text: String, actions: [Action] = [], schema: String = MessageSchema.replyV1) {
        self.schema = schema
        self.caseId = caseId
        self.channel = channel
        self.externalId = externalId
        self.threadId = threadId
        self.language = language
        self.outcome = outcome
        self.text = text
        self.actions = actions
    }

    /// `reply.<channel>`: channels bind to their own replies.
    public var routingKey: String { "reply." + channel }

    enum CodingKeys: String, CodingKey {
        case schema
        case caseId = "case_id"
        case channel
        case externalId = "external_id"
        case threadId = "thread_id"
        case language, outcome, text, actions
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try SchemaCoding.decode(c, .schema, expected: MessageSchema.replyV1)
        caseId = try UUIDCoding.decode(c, .caseId)
        channel = try c.decode(String.self, forKey: .channel)
        externalId = try c.decode(String.self, forKey: .externalId)
        threadId = try c.decodeIfPresent(String.self, forKey: .threadId)
        language = try c.decode(String.self, forKey: .language)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        text = try c.decode(String.self, forKey: .text)
        actions = try c.decodeIfPresent([Action].self, forKey: .actions) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(MessageIds.canonical(caseId), forKey: .caseId)
        try c.encode(channel, forKey: .channel)
        try c.encode(externalId, forKey: .externalId)
        try c.encodeIfPresent(threadId, forKey: .threadId)
        try c.encode(language, forKey: .language)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(text, forKey: .text)
        try c.encode(actions, forKey: .actions)
    }
}
