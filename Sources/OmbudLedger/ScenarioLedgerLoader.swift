import Foundation
import OmbudCore
import Postgres

/// Loads a scenario's `ledger` object (POLICY.md) into the ledger tables. Every id is prefixed with the namespace,
/// so the same file loads any number of times side by side (POLICY.md: "the runner namespaces them").
public enum ScenarioLedgerLoader {
    /// Inserts `facts` with ids prefixed by `namespace`, in one transaction (or a savepoint of the caller's), and
    /// returns the facts as the ledger now holds them (namespaced ids, filled-in fields) — what
    /// `PostgresLedger.facts` reads back. Fills what the format lacks: plan ids (`<order id>/plan`), merchant ids
    /// (`<namespace>m:<name>`), payment currencies (the customer's first order's, else the market's),
    /// return registration times (the order's creation), generated shipment and return ids. A capture, refund or fee
    /// id that several orders of the scenario share (scenario ids are sometimes local to their order) becomes
    /// `<namespace><order id>/<id>`; a unique one is `<namespace><id>`.
    @discardableResult
    public static func load(_ facts: LedgerFacts, namespace: String, database: PostgresConnection) throws -> LedgerFacts {
        let (rows, loaded) = rows(for: facts, namespace: namespace)
        do {
            try database.savepoint("scenario_ledger") { try rows.insert(into: $0) }
        } catch let error as PostgresError where error.sqlState == "25P01" {   // not in a transaction: use one
            try database.transaction { try rows.insert(into: $0) }
        }
        return loaded
    }

    /// The rows `load` inserts and the facts they read back as; pure, for tests and dry runs.
    public static func rows(for facts: LedgerFacts, namespace ns: String) -> (LedgerRows, LedgerFacts) {
        var rows = LedgerRows()
        var loaded = facts
        let customer = facts.customer
        let customerId = ns + customer.id
        loaded.customer.id = customerId
        rows.customers.append(.init(id: customerId, name: customer.name ?? "", email: customer.email, locale: customer.locale,
                                    status: customer.status.rawValue, createdAt: nil))   // now(): the newest load wins an e-mail lookup
        var merchants: Set<String> = []
        let shared = sharedIds(facts)
        func childId(_ id: String, _ order: Order) -> String { shared.contains(id) ? ns + order.id + "/" + id : ns + id }
        for (position, order) in facts.orders.enumerated() {
            let orderId = ns + order.id
            // By exact name: the ledger returns the name as the scenario wrote it (matching ignores case itself).
            let merchantId = ns + "m:" + order.merchant
            if merchants.insert(merchantId).inserted { rows.merchants.append(.init(id: merchantId, name: order.merchant)) }
            rows.orders.append(.init(id: orderId, customerId: customerId, merchantId: merchantId, total: order.total.value,
                                     currency: order.currency, createdAt: order.createdAt, isSubscription: order.subscription != nil,
                                     subscriptionCancelledAt: order.subscription?.cancelledAt))
            var out = order
            out.id = orderId
            for (i, capture) in order.captures.enumerated() {
                rows.captures.append(.init(id: childId(capture.id, order), orderId: orderId, amount: capture.amount.value, at: capture.at))
                out.captures[i].id = childId(capture.id, order)
            }
            for (i, refund) in order.refunds.enumerated() {
                rows.refunds.append(.init(id: childId(refund.id, order), orderId: orderId, captureId: refund.captureId.map { childId($0, order) },
                                          amount: refund.amount.value, at: refund.at))
                out.refunds[i].id = childId(refund.id, order)
                out.refunds[i].captureId = refund.captureId.map { childId($0, order) }
            }
            if let plan = order.plan {
                let planId = orderId + "/plan"
                rows.plans.append(.init(id: planId, orderId: orderId, kind: plan.kind))
                for instalment in plan.installments {
                    rows.instalments.append(.init(planId: planId, n: instalment.n, amount: instalment.amount.value, due: instalment.due,
                                                  status: instalment.status.rawValue, pausedUntil: instalment.pausedUntil,
                                                  extended: instalment.extended, paidAt: nil))
                }
            }
            for shipment in order.shipments {
                rows.shipments.append(.init(orderId: orderId, carrier: shipment.carrier, tracking: shipment.tracking,
                                            status: shipment.status.rawValue, expectedDelivery: shipment.expectedDelivery,
                                            deliveredAt: shipment.deliveredAt))
            }
            for (i, ret) in order.returns.enumerated() {
                let registered = ret.registeredAt ?? order.createdAt
                rows.returns.append(.init(orderId: orderId, registeredAt: registered, status: ret.status.rawValue, deliveredAt: ret.deliveredAt))
                out.returns[i].registeredAt = registered
            }
            for (i, fee) in order.fees.enumerated() {
                rows.fees.append(.init(id: childId(fee.id, order), customerId: customerId, orderId: orderId, kind: fee.kind.rawValue,
                                       amount: fee.amount.value, currency: order.currency, at: fee.at, waived: fee.waived,
                                       waivedAt: fee.waivedAt))
                out.fees[i].id = childId(fee.id, order)
            }
            for dispute in order.disputes {
                rows.disputes.append(.init(orderId: orderId, openedAt: dispute.openedAt, closedAt: dispute.closedAt))
            }
            loaded.orders[position] = out
        }
        let currency = facts.orders.first?.currency ?? currency(market: customer.market)
        for (i, payment) in facts.payments.enumerated() {
            rows.payments.append(.init(id: ns + payment.id, customerId: customerId, amount: payment.amount.value, currency: currency,
                                       reference: payment.reference, status: payment.status.rawValue, at: payment.at,
                                       planId: nil, instalmentN: nil))
            loaded.payments[i].id = ns + payment.id
        }
        return (rows, loaded)
    }

    /// Capture, refund and fee ids that appear on more than one order of the scenario.
    static func sharedIds(_ facts: LedgerFacts) -> Set<String> {
        var owner: [String: String] = [:]
        var shared: Set<String> = []
        for order in facts.orders {
            for id in order.captures.map(\.id) + order.refunds.map(\.id) + order.fees.map(\.id) {
                if let first = owner[id], first != order.id { shared.insert(id) } else { owner[id] = order.id }
            }
        }
        return shared
    }

    /// The currency of a market, for customers without orders.
    public static func currency(market: String?) -> String {
        switch market {
        case "SE": "SEK"
        case "NO": "NOK"
        case "DK": "DKK"
        case "GB": "GBP"
        case "CH": "CHF"
        case "PL": "PLN"
        default: "EUR"
        }
    }
}
