import Foundation
import OmbudCore
import OmbudRuntime

/// Composes the customer's reply from the templates: the message for `ombud.replies` and the row the stage records
/// in `ombud.replies` (with the rest of its batch's, `StageRecords.insertReplies`). Used by resolve (answers) and
/// escalate (holding replies).
enum ReplySender {
    static func reply(to ticket: CaseStore.Ticket, decision: Decision, executed: [ActionExecutor.Executed],
                      from stage: PipelineStage, config: PolicyConfig,
                      names: TopologyNames) throws -> (message: OutboundMessage, row: StageRecords.ReplyRow) {
        let composed = ReplyComposer.compose(decision, languageTag: replyLanguageTag(ticket), config: config)
        let reply = ReplyV1(
            caseId: ticket.caseId, channel: ticket.channel, externalId: ticket.externalId, threadId: ticket.threadId,
            language: composed.language.rawValue, outcome: ReplyV1.Outcome(rawValue: decision.outcome.rawValue) ?? .escalated,
            text: composed.text,
            actions: executed.filter { $0.status == "executed" || $0.status == "already_applied" }.map {
                ReplyV1.Action(kind: $0.action.kind.rawValue, target: $0.action.target,
                               idempotencyKey: $0.action.idempotencyKey)
            })
        let message = try PipelineHop.reply(reply, ticketId: ticket.ticketId, from: stage, names: names)
        return (message, StageRecords.ReplyRow(messageId: message.messageId, caseId: ticket.caseId, ticketId: ticket.ticketId,
                                               stage: stage, outcome: decision.outcome.rawValue, composed: composed))
    }

    /// The language the customer wrote in when a template exists for it, else their locale's, else English.
    static func replyLanguageTag(_ ticket: CaseStore.Ticket) -> String? {
        if let written = ticket.language, ReplyLanguage(tag: written).rawValue == written.lowercased() {
            return written
        }
        return ticket.locale ?? ticket.language
    }
}
