import Foundation
import OmbudCore
import OmbudLedger
import OmbudRuntime
import OmbudText

/// `ombud-lookup`: finds the customer in the ledger (by id, else by e-mail), reads what the ledger holds for them,
/// and matches the order the ticket is about as POLICY.md says — an explicit reference wins, else merchant, amount
/// (± 0.01) and date (± 3 days), taking the best only when it is clearly ahead. Records the result with its reasons
/// (which criteria each order met, what was ambiguous) and the ledger snapshot the decision will be made on.
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
        let envelope = try PipelineHop.envelope(message, expecting: .lookup)
        let db = context.database
        let ticket = try CaseStore.ticket(PipelineHop.ticketId(envelope), in: db)
        let classification = try StageRecords.classification(ticketId: ticket.ticketId, in: db)
        let ledger = PostgresLedger(database: db)

        var customer: Customer?
        if let id = ticket.customerId { customer = try ledger.customer(id: id) }
        if customer == nil, let email = ticket.customerEmail { customer = try ledger.customer(email: email) }

        let match: StageRecords.StoredMatch
        var reasons: [String: [String]] = [:]
        if let customer, let facts = try ledger.facts(customerId: customer.id) {
            let merchants = Array(Set(facts.orders.map(\.merchant))).sorted()
            // The customer's own merchants are the reliable names; the text's capitalised words are only candidates.
            let recognised = MerchantMatcher.bestMatch(text: ticket.text, merchants: merchants,
                                                       threshold: merchantThreshold).map { [$0.name] } ?? []
            let entities = classification.entities.summary(merchants: recognised)
            var result = OrderMatcher.match(orderRef: ticket.orderRef, entities: entities, orders: facts.orders,
                                            config: config)
            // A follow-up that names no order ("here are the photos") is about the order its case is about.
            if case .matched = result {} else if ticket.orderRef == nil, entities.orderRefs.isEmpty,
               let caseOrder = try CaseStore.caseOrder(ticket.caseId, in: db), facts.order(id: caseOrder) != nil {
                result = .matched(orderId: caseOrder)
                reasons["case_order"] = [caseOrder]
            }
            for order in facts.orders {
                var met = OrderMatcher.criteria(order, entities, config: config)
                let references = [ticket.orderRef].compactMap { $0 } + entities.orderRefs
                if references.contains(where: { $0.caseInsensitiveCompare(order.id) == .orderedSame }) {
                    met.insert("order_ref", at: 0)
                }
                if !met.isEmpty { reasons[order.id] = met }
            }
            if !recognised.isEmpty { reasons["merchant_recognised"] = recognised }
            switch result {
            case .matched(let orderId):
                match = .init(customerId: customer.id, result: "matched", orderId: orderId, candidates: [orderId], ledger: facts)
            case .ambiguous(let candidates):
                match = .init(customerId: customer.id, result: "ambiguous", orderId: nil, candidates: candidates, ledger: facts)
            case .none:
                match = .init(customerId: customer.id, result: "none", orderId: nil, candidates: [], ledger: facts)
            }
        } else {
            match = .init(customerId: nil, result: "unknown_customer", orderId: nil, candidates: [], ledger: nil)
            reasons["customer"] = [ticket.customerId.map { "no customer with id \($0)" }
                ?? "no customer with e-mail \(ticket.customerEmail ?? "")"]
        }
        try StageRecords.insertMatch(ticketId: ticket.ticketId, caseId: ticket.caseId, match: match,
                                     reasons: try JSONText.encode(reasons), in: db)
        try CaseStore.recordMatch(caseId: ticket.caseId, customerId: match.customerId, orderId: match.orderId, in: db)
        return StageResult(
            outputs: [try PipelineHop.forward(caseId: ticket.caseId, ticketId: ticket.ticketId, trace: envelope.trace,
                                              to: .resolve, names: context.names)],
            caseId: MessageIds.canonical(ticket.caseId))
    }
}
