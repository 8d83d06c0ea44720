/// The `schema` value every Ombud message body carries, so a consumer can refuse a message it does not understand.
public enum MessageSchema {
    public static let ticketV1 = "ombud.ticket.v1"
    public static let stageV1 = "ombud.stage.v1"
    public static let replyV1 = "ombud.reply.v1"
}

/// The pipeline's stages, in order; the raw value is the stage's name in queues (`ombud.<stage>`), routing keys
/// (`case.<stage>`) and message ids.
public enum PipelineStage: String, Codable, Sendable, CaseIterable {
    case intake, classify, lookup, resolve, escalate
}
