import Foundation

/// Between stages, `ombud.stage.v1`: ids, not copies — the case's state lives in PostgreSQL, so a message can
/// never carry a stale view of it.
public struct StageEnvelopeV1: Codable, Sendable, Equatable {
    public var schema: String
    public var caseId: UUID
    /// The ticket (case message) this hop is about; a case collects several tickets over its life.
    public var ticketId: String
    /// The stage this message is addressed to.
    public var stage: PipelineStage
    /// Correlation id for logs and traces, set by intake and passed on unchanged.
    public var trace: String

    public init(caseId: UUID, ticketId: String, stage: PipelineStage, trace: String,
                schema: String = MessageSchema.stageV1) {
        self.schema = schema
        self.caseId = caseId
        self.ticketId = ticketId
        self.stage = stage
        self.trace = trace
    }

    /// The deterministic AMQP `message_id` of this envelope (see `MessageIds.stage`).
    public var messageId: String { MessageIds.stage(caseId: caseId, stage: stage, ticketId: ticketId) }

    enum CodingKeys: String, CodingKey {
        case schema
        case caseId = "case_id"
        case ticketId = "ticket_id"
        case stage, trace
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try SchemaCoding.decode(c, .schema, expected: MessageSchema.stageV1)
        caseId = try UUIDCoding.decode(c, .caseId)
        ticketId = try c.decode(String.self, forKey: .ticketId)
        stage = try c.decode(PipelineStage.self, forKey: .stage)
        trace = try c.decodeIfPresent(String.self, forKey: .trace) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(MessageIds.canonical(caseId), forKey: .caseId)
        try c.encode(ticketId, forKey: .ticketId)
        try c.encode(stage, forKey: .stage)
        try c.encode(trace, forKey: .trace)
    }
}

/// Case ids are lower-case UUID strings on the wire, as PostgreSQL prints them, so ids compare as text too.
enum UUIDCoding {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> UUID {
        let text = try c.decode(String.self, forKey: key)
        guard let id = UUID(uuidString: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "not a UUID")
        }
        return id
    }
}
