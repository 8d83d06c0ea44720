import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import OmbudText

/// `ombud-lookup`: finds the customer in the ledger (by id, else by e-mail), reads what the ledger holds for them,
/// and matches the order the ticket is about as POLICY.md says — an explicit reference wins, else merchant, amount
/// (± 0.01) and date (± 3 days), taking the best only when it is clearly ahead. Records the result with its reasons
/// (which criteria each order met, what was ambiguous); resolve then decides on the ledger as it is at that moment.
/// Set-based: a batch's tickets, classifications and customers' ledgers are read with a fixed handful of queries.
public struct LookupStage: Stage {
    public let name = "lookup"
    let config: PolicyConfig
    /// How close a name in the text must be to one of the customer's merchants (MerchantMatcher's 0…1 score).
    let merchantThreshold: Double

    public init(config: PolicyConfig = PolicyConfig(), merchantThreshold: Double = 0.8) {
        self.config = config
        self.merchantThreshold = merchantThreshold
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        try handle(batch: [message], in: context)[0]
    }

    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        let envelopes = try messages.map { try PipelineHop.envelope($0, expecting: .lookup) }
        let db = context.database
        let ids = envelopes.map(PipelineHop.ticketId)
        let tickets = try CaseStore.tickets(ids, in: db)
        let classifications = try StageRecords.classifications(ticketIds: ids, in: db)
        let ledger = PostgresLedger(database: db)

        // Customers by id; those known only by e-mail found with one query for the batch.
        let byEmail = try ledger.customers(emails: tickets.values.compactMap { $0.customerId == nil ? $0.customerEmail : nil })
        var customerIds: [UUID: String] = [:]
        for (id, ticket) in tickets {
            if let customerId = ticket.customerId {
                customerIds[id] = customerId
            } else if let email = ticket.customerEmail, let customer = byEmail[email] {
                customerIds[id] = customer.id
            }
        }
        // Captures and plans matter only for matching an amount the ticket names.
        let namingAmounts = Set(customerIds.compactMap { ticketId, customer in
            classifications[ticketId]?.entities.amounts.isEmpty == false ? customer : nil
        })
        let facts = try ledger.facts(customerIds: Array(Set(customerIds.values)), parts: .forMatching,
                                     detailFor: namingAmounts)
        let caseOrders = try CaseStore.caseOrders(Array(Set(tickets.values.map(\.caseId))), in: db)

        var matches: [(ticket: CaseStore.Ticket, match: StageRecords.StoredMatch, reasons: String)] = []
        var results: [StageResult] = []
        for envelope in envelopes {
            let ticketId = PipelineHop.ticketId(envelope)
            guard let ticket = tickets[ticketId], let classification = classifications[ticketId] else {
                throw StoreError.missing("ticket or classification \(envelope.ticketId)")
            }
            let customerFacts = customerIds[ticketId].flatMap { facts[$0] }
            let (match, reasons) = self.match(ticket, classification.entities, customerFacts,
                                              caseOrder: caseOrders[ticket.caseId])
            matches.append((ticket, match, try JSONText.encode(reasons)))
            results.append(StageResult(
                outputs: [try PipelineHop.forward(caseId: ticket.caseId, ticketId: ticket.ticketId, trace: envelope.trace,
                                                  to: .resolve, names: context.names)],
                caseId: MessageIds.canonical(ticket.caseId)))
        }
        try StageRecords.insertMatches(matches.map { ($0.ticket.ticketId, $0.ticket.caseId, $0.match, $0.reasons) }, in: db)
        return results
    }

    /// Which order of the customer's the ticket is about, and why.
    func match(_ ticket: CaseStore.Ticket, _ extracted: EntityRecord, _ facts: LedgerFacts?,
               caseOrder: String?) -> (StageRecords.StoredMatch, [String: [String]]) {
        guard let facts else {
            let who = ticket.customerId.map { "no customer with id \($0)" } ?? "no customer with e-mail \(ticket.customerEmail ?? "")"
            return (.init(customerId: nil, result: "unknown_customer", orderId: nil, candidates: []),
                    ["customer": [who]])
        }
        var reasons: [String: [String]] = [:]
        let merchants = Array(Set(facts.orders.map(\.merchant))).sorted()
        // The customer's own merchants are the reliable names; the text's capitalised words are only candidates.
        let recognised = MerchantMatcher.bestMatch(text: ticket.text, merchants: merchants, threshold: merchantThreshold)
            .map { [$0.name] } ?? []
        // Without a reference, a shop the text names that is none of the customer's ("from Lego") and a sum it
        // only roughly gives ("about 150") are evidence too: against the customer's only order when neither fits it.
        let referenced = ticket.orderRef != nil || !extracted.orderRefs.isEmpty
        let otherShops = recognised.isEmpty && !referenced
            ? MerchantMatcher.otherShops(text: ticket.text, merchants: merchants, threshold: merchantThreshold) : []
        let approximate = referenced ? [] : EntityExtractor.approximateAmounts(in: ticket.text, language: ticket.language)
            .map { Money(Amount($0.amount), $0.currency ?? "") }
        let entities = extracted.summary(merchants: recognised, otherMerchants: otherShops, approximateAmounts: approximate)
        var result = OrderMatcher.match(orderRef: ticket.orderRef, entities: entities, orders: facts.orders, config: config)
        // A follow-up that names no order ("here are the photos") is about the order its case is about.
        if case .matched = result {} else if ticket.orderRef == nil, entities.orderRefs.isEmpty,
           let caseOrder, facts.order(id: caseOrder) != nil {
            result = .matched(orderId: caseOrder)
            reasons["case_order"] = [caseOrder]
        }
        let references = [ticket.orderRef].compactMap { $0 } + entities.orderRefs
        for order in facts.orders {
            var met = OrderMatcher.criteria(order, entities, config: config)
            if references.contains(where: { $0.caseInsensitiveCompare(order.id) == .orderedSame }) {
                met.insert("order_ref", at: 0)
            }
            if !met.isEmpty { reasons[order.id] = met }
        }
        if !recognised.isEmpty { reasons["merchant_recognised"] = recognised }
        if !otherShops.isEmpty { reasons["merchant_not_theirs"] = otherShops }
        if !approximate.isEmpty { reasons["approximate_amounts"] = approximate.map(\.description) }
        let customerId = facts.customer.id
        switch result {
        case .matched(let orderId):
            return (.init(customerId: customerId, result: "matched", orderId: orderId, candidates: [orderId]), reasons)
        case .ambiguous(let candidates):
            return (.init(customerId: customerId, result: "ambiguous", orderId: nil, candidates: candidates), reasons)
        case .none:
            return (.init(customerId: customerId, result: "none", orderId: nil, candidates: []), reasons)
        }
    }
}
