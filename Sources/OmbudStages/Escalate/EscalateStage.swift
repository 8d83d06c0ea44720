import Foundation
import OmbudCore
import OmbudRuntime
import Postgres

/// `ombud-escalate`: puts the case in the agent queue with its team, priority, first-response due time and (for
/// complaints) the regulatory deadline in business days, routed by language; writes the hand-off summary — what the
/// customer wants, what the ledger shows, what was already done, why a person is needed — and sends the customer a
/// holding reply with the expected response time.
public struct EscalateStage: Stage {
    public let name = "escalate"
    let config: PolicyConfig

    public init(config: PolicyConfig = PolicyConfig()) {
        self.config = config
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        let envelope = try PipelineHop.envelope(message, expecting: .escalate)
        let db = context.database
        let ticket = try CaseStore.ticket(PipelineHop.ticketId(envelope), in: db)
        let decision = try StageRecords.decision(ticketId: ticket.ticketId, in: db)
        guard let plan = decision.escalation else {
            throw StageFailure.permanent("decision \(decision.rule) on this ticket is not an escalation")
        }
        let match = try StageRecords.match(ticketId: ticket.ticketId, in: db)
        let classification = try StageRecords.classification(ticketId: ticket.ticketId, in: db)
        let earlier = try StageRecords.actions(caseId: ticket.caseId, excludingTicket: ticket.ticketId, in: db)
        let facts = match.ledger ?? LedgerFacts(customer: Customer(id: ticket.customerId ?? ticket.customerEmail ?? "unknown"))
        let input = DecisionInput(
            caseId: decision.caseId,
            classification: OmbudCore.Classification(intent: decision.intent, confidence: classification.confidence,
                                           flags: classification.flags, entities: classification.entities.summary()),
            orderMatch: match.orderMatch, ledger: facts, now: Timestamp(ticket.receivedAt))
        let previous = earlier.compactMap { stored in
            ActionKind(rawValue: stored.kind).map { PlannedAction(caseId: decision.caseId, kind: $0, target: stored.target) }
        }
        guard var summary = HandoffSummary(decision: decision, input: input, previousActions: previous) else {
            throw StageFailure.permanent("no hand-off summary for decision \(decision.rule)")
        }
        if match.ledger == nil {
            summary.ledgerShows = ["no ledger customer for \(ticket.customerId.map { "id \($0)" } ?? "e-mail \(ticket.customerEmail ?? "?")")"]
        }
        let language = ReplySender.replyLanguageTag(ticket).map { ReplyLanguage(tag: $0).rawValue } ?? "en"
        try StageRecords.insertEscalation(ticketId: ticket.ticketId, caseId: ticket.caseId, summary: summary,
                                          language: ticket.language ?? language, in: db)
        try CaseStore.recordEscalation(caseId: ticket.caseId, plan: plan, language: ticket.language ?? language, in: db)
        let reply = try ReplySender.reply(to: ticket, decision: decision, executed: [], from: .escalate, config: config,
                                          in: db, names: context.names)
        return StageResult(outputs: [reply], caseId: MessageIds.canonical(ticket.caseId))
    }
}
