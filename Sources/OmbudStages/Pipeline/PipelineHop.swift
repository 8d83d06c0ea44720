import Foundation
import OmbudCore
import OmbudRuntime

/// The messages between stages and to the channels: an `ombud.stage.v1` envelope to the next stage, or an
/// `ombud.reply.v1` to `ombud.replies`. Ids are deterministic, so a re-run stage emits byte-identical messages.
enum PipelineHop {
    /// Reads the envelope a stage was sent; a message that is not one is bad input and is parked.
    static func envelope(_ message: StageMessage, expecting stage: PipelineStage) throws -> StageEnvelopeV1 {
        let envelope: StageEnvelopeV1
        do {
            envelope = try MessageCoding.decode(StageEnvelopeV1.self, from: message.body)
        } catch {
            throw StageFailure.permanent("not an ombud.stage.v1 message: \(error)")
        }
        guard envelope.stage == stage else {
            throw StageFailure.permanent("message addressed to stage \(envelope.stage.rawValue), not \(stage.rawValue)")
        }
        guard UUID(uuidString: envelope.ticketId) != nil else {
            throw StageFailure.permanent("ticket_id \(envelope.ticketId) is not a UUID")
        }
        return envelope
    }

    /// The ticket id of an envelope as the database stores it.
    static func ticketId(_ envelope: StageEnvelopeV1) -> UUID { UUID(uuidString: envelope.ticketId)! }

    /// Hands the ticket of `envelope` (or of a new case) on to `stage`.
    static func forward(caseId: UUID, ticketId: UUID, trace: String, to stage: PipelineStage,
                        names: TopologyNames) throws -> OutboundMessage {
        let next = StageEnvelopeV1(caseId: caseId, ticketId: MessageIds.canonical(ticketId), stage: stage, trace: trace)
        return OutboundMessage(
            exchange: names.pipeline, routingKey: names.pipelineKey(stage: stage.rawValue), messageId: next.messageId,
            correlationId: MessageIds.canonical(caseId),
            body: String(decoding: try MessageCoding.encode(next), as: UTF8.self))
    }

    /// A reply to the customer on their channel, `reply.<channel>` on the replies exchange.
    static func reply(_ reply: ReplyV1, ticketId: UUID, from stage: PipelineStage,
                      names: TopologyNames) throws -> OutboundMessage {
        OutboundMessage(
            exchange: names.replies, routingKey: reply.routingKey,
            messageId: MessageIds.reply(caseId: reply.caseId, ticketId: MessageIds.canonical(ticketId), from: stage),
            correlationId: MessageIds.canonical(reply.caseId),
            body: String(decoding: try MessageCoding.encode(reply), as: UTF8.self))
    }
}
