import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import Postgres

/// `ombud-resolve`: applies the resolution policy (POLICY.md, from a versioned policy file) to what classify and
/// lookup recorded, executes the decision's actions against the ledger exactly once, records the decision, and
/// either answers the customer (`auto_resolved`, `needs_info`) or hands the case to escalate.
public struct ResolveStage: Stage {
    public let name = "resolve"
    let engine: PolicyEngine
    let help: (any HelpArticleSearch)?

    public init(config: PolicyConfig = PolicyConfig(), help: (any HelpArticleSearch)?) {
        self.engine = PolicyEngine(config: config)
        self.help = help
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        let envelope = try PipelineHop.envelope(message, expecting: .resolve)
        let db = context.database
        let ticket = try CaseStore.ticket(PipelineHop.ticketId(envelope), in: db)
        let history = try CaseHistory.load(ticket: ticket, config: engine.config, in: db)
        let match = try StageRecords.match(ticketId: ticket.ticketId, in: db)
        let now = Timestamp(ticket.receivedAt)
        let caseKey = MessageIds.canonical(ticket.caseId)

        let decision: Decision
        if let facts = match.ledger {
            var article: HelpArticleMatch?
            if history.classification.intent == .generalInquiry, let hit = help?.bestArticle(for: ticket.text, language: ticket.language) {
                article = hit
            }
            decision = engine.decide(DecisionInput(
                caseId: caseKey, classification: history.classification, orderMatch: match.orderMatch,
                orderRequestsSent: history.orderRequestsSent, ledger: facts, contactsInWindow: history.contactsInWindow,
                evidenceArrived: history.evidenceRequested && ticket.attachmentCount > 0, helpArticle: article, now: now))
        } else {
            decision = engine.decideWithoutCustomer(caseId: caseKey, classification: history.classification, now: now)
        }

        let executor = ActionExecutor(ledger: PostgresLedger(database: db), caseId: ticket.caseId,
                                      ticketId: ticket.ticketId, now: now)
        let executed = try executor.execute(decision.actions)
        try StageRecords.insertDecision(ticketId: ticket.ticketId, caseId: ticket.caseId, decision: decision, in: db)
        try CaseStore.recordDecision(caseId: ticket.caseId, decision: decision, in: db)

        if decision.outcome == .escalated {
            // Escalate sends the holding reply, with the due time it sets.
            return StageResult(
                outputs: [try PipelineHop.forward(caseId: ticket.caseId, ticketId: ticket.ticketId, trace: envelope.trace,
                                                  to: .escalate, names: context.names)],
                caseId: caseKey)
        }
        let reply = try ReplySender.reply(to: ticket, decision: decision, executed: executed, from: .resolve,
                                          config: engine.config, in: db, names: context.names)
        return StageResult(outputs: [reply], caseId: caseKey)
    }
}

/// What the policy needs to know about the case beyond this ticket.
struct CaseHistory {
    /// This ticket's classification, or the case's when this one is a vague follow-up ("here are the photos").
    var classification: OmbudCore.Classification
    var orderRequestsSent: Int
    var contactsInWindow: Int
    var evidenceRequested: Bool

    static func load(ticket: CaseStore.Ticket, config: PolicyConfig, in db: PostgresConnection) throws -> CaseHistory {
        let own = try StageRecords.classification(ticketId: ticket.ticketId, in: db)
        let earlier = try StageRecords.earlierClassifications(caseId: ticket.caseId, before: ticket.receivedAt, in: db)
        var intent = own.intent
        var confidence = own.confidence
        // A follow-up the model cannot place keeps the intent the case was confidently classified with.
        if confidence < config.lowConfidenceThreshold,
           let confident = earlier.last(where: { $0.confidence >= config.lowConfidenceThreshold }) {
            intent = confident.intent
            confidence = confident.confidence
        }
        // Flags raised earlier in the case still hold (a customer who asked for a person still wants one).
        let flags = earlier.reduce(own.flags) { $0.union($1.flags) }
        let rules = try StageRecords.earlierRules(caseId: ticket.caseId, before: ticket.receivedAt, in: db)
        let contacts = try CaseStore.contactTimes(caseId: ticket.caseId, until: ticket.receivedAt, in: db)
        let actions = try StageRecords.actions(caseId: ticket.caseId, excludingTicket: ticket.ticketId, in: db)
        return CaseHistory(
            classification: OmbudCore.Classification(intent: intent, confidence: confidence, flags: flags,
                                           entities: own.entities.summary()),
            orderRequestsSent: rules.filter { $0 == "matching.order_missing.ask_order" }.count,
            contactsInWindow: EscalationClock.contactsInWindow(contacts.map(Timestamp.init), now: Timestamp(ticket.receivedAt),
                                                               config: config),
            evidenceRequested: actions.contains { $0.kind == ActionKind.requestEvidence.rawValue })
    }
}

/// The help-centre search a general inquiry is answered from.
public protocol HelpArticleSearch: Sendable {
    /// The best article for the text, with a score the policy compares with `help_article_min_score`.
    func bestArticle(for text: String, language: String?) -> HelpArticleMatch?
}
