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
        try handle(batch: [message], in: context)[0]
    }

    /// Set-based: the batch's tickets, classifications, matches, case histories and ledger are read with a fixed
    /// handful of queries, and decisions, case updates and replies written with one statement each (actions stay one
    /// by one, with their ledger calls). A later ticket of a case or customer must see an earlier one's decision and
    /// actions: the case histories are kept up to date in memory, and such tickets wait for a later round
    /// (`BatchRounds`), before which the ledger is read again for the customers whose ledger an earlier round changed.
    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        let envelopes = try messages.map { try PipelineHop.envelope($0, expecting: .resolve) }
        let db = context.database
        let ids = envelopes.map(PipelineHop.ticketId)
        let tickets = try CaseStore.tickets(ids, in: db)
        let matches = try StageRecords.matches(ticketIds: ids, in: db)
        let classifications = try StageRecords.classifications(ticketIds: ids, in: db)
        let caseIds = ids.compactMap { tickets[$0]?.caseId }
        // Every case this batch will update, locked now in one order (see `CaseStore.lockCases`).
        try CaseStore.lockCases(caseIds, in: db)
        var records = try CaseHistory.Records.load(caseIds: caseIds, in: db)
        // The ledger as it is now, not as lookup saw it: the decision must see every action already taken.
        let ledger = PostgresLedger(database: db)
        var facts = try ledger.facts(customerIds: Array(Set(ids.compactMap { matches[$0]?.customerId })))
        var changedCustomers: Set<String> = []

        let rounds = BatchRounds.rounds(keys: ids.map { id in
            [tickets[id].map { "case:" + MessageIds.canonical($0.caseId) }, matches[id]?.customerId.map { "customer:" + $0 }]
                .compactMap { $0 }
        })
        var decided = Decided()
        var results = [StageResult?](repeating: nil, count: messages.count)
        for round in rounds {
            let stale = changedCustomers.intersection(round.compactMap { matches[ids[$0]]?.customerId })
            if !stale.isEmpty {
                facts.merge(try ledger.facts(customerIds: Array(stale))) { $1 }
                changedCustomers.subtract(stale)
            }
            for index in round {
                let (result, changedLedger) = try resolve(envelopes[index], ids[index], tickets: tickets, matches: matches,
                                                          classifications: classifications, records: &records,
                                                          facts: facts, ledger: ledger, into: &decided, context: context)
                results[index] = result
                if changedLedger, let customer = matches[ids[index]]?.customerId { changedCustomers.insert(customer) }
            }
        }
        try StageRecords.insertDecisions(decided.decisions.map { ($0.ticketId, $0.caseId, $0.decision) }, in: db)
        try CaseStore.recordDecisions(decided.decisions.map { ($0.caseId, $0.decision, $0.confidence, $0.match.customerId,
                                                               $0.match.orderId) }, in: db)
        if !decided.replies.isEmpty { try StageRecords.insertReplies(decided.replies, in: db) }
        return results.map { $0! }
    }

    /// What a batch decided, written at its end with one statement per table.
    struct Decided {
        var decisions: [(ticketId: UUID, caseId: UUID, decision: Decision, confidence: Double, match: StageRecords.StoredMatch)] = []
        var replies: [StageRecords.ReplyRow] = []
    }

    /// One ticket: decided on its case's history and its customer's ledger as they are now; its actions executed,
    /// and the history updated with its decision and actions. Returns its output and whether the ledger changed.
    func resolve(_ envelope: StageEnvelopeV1, _ ticketId: UUID, tickets: [UUID: CaseStore.Ticket],
                 matches: [UUID: StageRecords.StoredMatch], classifications: [UUID: StageRecords.StoredClassification],
                 records: inout CaseHistory.Records, facts: [String: LedgerFacts], ledger: PostgresLedger,
                 into decided: inout Decided, context: StageContext) throws -> (StageResult, changedLedger: Bool) {
        guard let ticket = tickets[ticketId] else {
            throw StoreError.missing("ticket \(envelope.ticketId)")
        }
        guard let own = classifications[ticketId] else {
            throw StoreError.missing("classification of ticket \(envelope.ticketId)")
        }
        guard let match = matches[ticketId] else {
            throw StoreError.missing("match of ticket \(envelope.ticketId)")
        }
        let history = CaseHistory(ticket: ticket, own: own, records: records, config: engine.config)
        let decision = decide(ticket, history, match, match.customerId.flatMap { facts[$0] })
        let executor = ActionExecutor(ledger: ledger, caseId: ticket.caseId,
                                      ticketId: ticket.ticketId, now: Timestamp(ticket.receivedAt))
        let executed = try executor.execute(decision.actions)
        records.add(decision, executed: executed, for: ticket)
        decided.decisions.append((ticket.ticketId, ticket.caseId, decision, history.classification.confidence, match))
        let caseKey = MessageIds.canonical(ticket.caseId)
        let changedLedger = executed.contains(where: \.changedLedger)
        if decision.outcome == .escalated {
            // Escalate sends the holding reply, with the due time it sets.
            return (StageResult(
                outputs: [try PipelineHop.forward(caseId: ticket.caseId, ticketId: ticket.ticketId, trace: envelope.trace,
                                                  to: .escalate, names: context.names)],
                caseId: caseKey), changedLedger)
        }
        let reply = try ReplySender.reply(to: ticket, decision: decision, executed: executed, from: .resolve,
                                          config: engine.config, names: context.names)
        decided.replies.append(reply.row)
        return (StageResult(outputs: [reply.message], caseId: caseKey), changedLedger)
    }

    /// The policy's decision on one ticket.
    func decide(_ ticket: CaseStore.Ticket, _ history: CaseHistory, _ match: StageRecords.StoredMatch,
                _ facts: LedgerFacts?) -> Decision {
        let now = Timestamp(ticket.receivedAt)
        let caseKey = MessageIds.canonical(ticket.caseId)
        guard let facts else {
            return engine.decideWithoutCustomer(caseId: caseKey, classification: history.classification, now: now)
        }
        var article: HelpArticleMatch?
        if history.classification.intent == .generalInquiry, let hit = help?.bestArticle(for: ticket.text, language: ticket.language) {
            article = hit
        }
        return engine.decide(DecisionInput(
            caseId: caseKey, classification: history.classification, orderMatch: match.orderMatch,
            orderRequestsSent: history.orderRequestsSent, ledger: facts, contactsInWindow: history.contactsInWindow,
            evidenceArrived: history.evidenceRequested && ticket.attachmentCount > 0, helpArticle: article, now: now))
    }
}

/// What the policy needs to know about the case beyond this ticket.
struct CaseHistory {
    /// This ticket's classification, or the case's when this one is a vague follow-up ("here are the photos").
    var classification: OmbudCore.Classification
    var orderRequestsSent: Int
    var contactsInWindow: Int
    var evidenceRequested: Bool

    /// The records of a batch's cases, read once (one query each) and narrowed to each ticket in Swift.
    struct Records {
        var classifications: [UUID: [StageRecords.CaseClassification]]
        var rules: [UUID: [(receivedAt: Date, rule: String)]]
        var contacts: [UUID: [Date]]
        var actions: [UUID: [(ticketId: UUID, action: StageRecords.StoredAction)]]

        static func load(caseIds: [UUID], in db: PostgresConnection) throws -> Records {
            let caseIds = Array(Set(caseIds))
            return Records(classifications: try StageRecords.caseClassifications(caseIds: caseIds, in: db),
                           rules: try StageRecords.caseRules(caseIds: caseIds, in: db),
                           contacts: try CaseStore.contactTimes(caseIds: caseIds, in: db),
                           actions: try StageRecords.actions(caseIds: caseIds, in: db))
        }

        /// What the database would show after this ticket's decision and actions are written.
        mutating func add(_ decision: Decision, executed: [ActionExecutor.Executed], for ticket: CaseStore.Ticket) {
            rules[ticket.caseId, default: []].append((ticket.receivedAt, decision.rule))
            for done in executed where done.recorded {
                actions[ticket.caseId, default: []].append((ticket.ticketId, StageRecords.StoredAction(
                    kind: done.action.kind.rawValue, target: done.action.target,
                    idempotencyKey: done.action.idempotencyKey, status: done.status)))
            }
        }
    }

    /// The history as the ticket sees it: classifications and decisions of tickets received before it, contacts up
    /// to it, and actions taken for the case's other tickets.
    init(ticket: CaseStore.Ticket, own: StageRecords.StoredClassification, records: Records, config: PolicyConfig) {
        let before = ticket.receivedAt
        let earlier = (records.classifications[ticket.caseId] ?? []).filter { $0.receivedAt < before }
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
        let rules = (records.rules[ticket.caseId] ?? []).filter { $0.receivedAt < before }.map(\.rule)
        let contacts = (records.contacts[ticket.caseId] ?? []).filter { $0 <= before }
        let actions = (records.actions[ticket.caseId] ?? []).filter { $0.ticketId != ticket.ticketId }.map(\.action)
        self.init(
            classification: OmbudCore.Classification(intent: intent, confidence: confidence, flags: flags,
                                                      entities: own.entities.summary()),
            orderRequestsSent: rules.filter { $0 == "matching.order_missing.ask_order" }.count,
            contactsInWindow: EscalationClock.contactsInWindow(contacts.map(Timestamp.init), now: Timestamp(ticket.receivedAt),
                                                               config: config),
            evidenceRequested: actions.contains { $0.kind == ActionKind.requestEvidence.rawValue })
    }

    init(classification: OmbudCore.Classification, orderRequestsSent: Int, contactsInWindow: Int, evidenceRequested: Bool) {
        self.classification = classification
        self.orderRequestsSent = orderRequestsSent
        self.contactsInWindow = contactsInWindow
        self.evidenceRequested = evidenceRequested
    }
}

/// The help-centre search a general inquiry is answered from.
public protocol HelpArticleSearch: Sendable {
    /// The best article for the text, with a score the policy compares with `help_article_min_score`.
    func bestArticle(for text: String, language: String?) -> HelpArticleMatch?
}
