import Foundation
import OmbudCore
import OmbudLedger
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
        try handle(batch: [message], in: context)[0]
    }

    /// Set-based: the batch's tickets, decisions, matches, classifications and its cases' earlier actions are read with
    /// a fixed handful of queries, and escalations, case updates and holding replies written with one statement each.
    /// Two tickets of one case in a batch each get their escalation and holding reply; the case is updated once, as
    /// the later ticket leaves it (`CaseStore.recordEscalations`).
    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        let envelopes = try messages.map { try PipelineHop.envelope($0, expecting: .escalate) }
        let db = context.database
        let ids = envelopes.map(PipelineHop.ticketId)
        let tickets = try CaseStore.tickets(ids, in: db)
        let caseIds = ids.compactMap { tickets[$0]?.caseId }
        // Every case this batch will update, locked now in one order (see `CaseStore.lockCases`).
        try CaseStore.lockCases(caseIds, in: db)
        let decisions = try StageRecords.decisions(ticketIds: ids, in: db)
        let matches = try StageRecords.matches(ticketIds: ids, in: db)
        let classifications = try StageRecords.classifications(ticketIds: ids, in: db)
        let actions = try StageRecords.actions(caseIds: Array(Set(caseIds)), in: db)
        // What the ledger shows now, after resolve's actions: what the agent will find. The hand-off describes only the
        // order a case is about (and the customer's unmatched payments), so only matched orders are read.
        let facts = try PostgresLedger(database: db).facts(
            customerIds: Array(Set(ids.compactMap { matches[$0]?.customerId })),
            onlyOrders: Array(Set(ids.compactMap { matches[$0]?.orderId })))

        var escalations: [(ticketId: UUID, caseId: UUID, summary: HandoffSummary, language: String)] = []
        var cases: [(caseId: UUID, plan: EscalationPlan, language: String)] = []
        var replies: [StageRecords.ReplyRow] = []
        var results: [StageResult] = []
        for (envelope, ticketId) in zip(envelopes, ids) {
            guard let ticket = tickets[ticketId] else {
                throw StoreError.missing("ticket \(envelope.ticketId)")
            }
            guard let decision = decisions[ticketId] else {
                throw StoreError.missing("decision on ticket \(envelope.ticketId)")
            }
            guard let plan = decision.escalation else {
                throw StageFailure.permanent("decision \(decision.rule) on this ticket is not an escalation")
            }
            guard let match = matches[ticketId] else {
                throw StoreError.missing("match of ticket \(envelope.ticketId)")
            }
            guard let classification = classifications[ticketId] else {
                throw StoreError.missing("classification of ticket \(envelope.ticketId)")
            }
            let earlier = (actions[ticket.caseId] ?? []).filter { $0.ticketId != ticketId }.map(\.action)
            let summary = try handoff(ticket, decision, match, match.customerId.flatMap { facts[$0] }, classification, earlier)
            let language = ticket.language
                ?? ReplySender.replyLanguageTag(ticket).map { ReplyLanguage(tag: $0).rawValue } ?? "en"
            escalations.append((ticket.ticketId, ticket.caseId, summary, language))
            cases.append((ticket.caseId, plan, language))
            let reply = try ReplySender.reply(to: ticket, decision: decision, executed: [], from: .escalate, config: config,
                                              names: context.names)
            replies.append(reply.row)
            results.append(StageResult(outputs: [reply.message], caseId: MessageIds.canonical(ticket.caseId)))
        }
        try StageRecords.insertEscalations(escalations, in: db)
        try CaseStore.recordEscalations(cases, in: db)
        try StageRecords.insertReplies(replies, in: db)
        return results
    }

    /// What the agent reads: the hand-off summary of the ticket's escalation.
    func handoff(_ ticket: CaseStore.Ticket, _ decision: Decision, _ match: StageRecords.StoredMatch,
                 _ ledgerFacts: LedgerFacts?, _ classification: StageRecords.StoredClassification,
                 _ earlier: [StageRecords.StoredAction]) throws -> HandoffSummary {
        let facts = ledgerFacts ?? LedgerFacts(customer: Customer(id: ticket.customerId ?? ticket.customerEmail ?? "unknown"))
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
        if ledgerFacts == nil {
            summary.ledgerShows = ["no ledger customer for \(ticket.customerId.map { "id \($0)" } ?? "e-mail \(ticket.customerEmail ?? "?")")"]
        }
        return summary
    }
}
