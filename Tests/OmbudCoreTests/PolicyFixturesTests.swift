import Foundation
import Testing
@testable import OmbudCore

// Shared builders for the policy tests (kept in a Policy*Tests.swift file so it travels with them).

func ts(_ text: String) -> Timestamp {
    guard let value = Timestamp(parsing: text) else { fatalError("bad timestamp \(text)") }
    return value
}

func day(_ text: String) -> Day {
    guard let value = Day(parsing: text) else { fatalError("bad day \(text)") }
    return value
}

func sampleOrder(id: String = "o1", total: Amount = "89.90", currency: String = "EUR",
                 createdAt: String = "2026-11-01T10:00:00Z", captures: [Capture]? = nil,
                 plan: PaymentPlan? = nil, shipments: [Shipment] = [], returns: [ReturnShipment] = [],
                 refunds: [Refund] = [], fees: [Fee] = [], subscription: Subscription? = nil,
                 disputes: [MerchantDispute] = []) -> Order {
    Order(id: id, merchant: "Nordic Shoes", total: total, currency: currency, createdAt: ts(createdAt),
          subscription: subscription,
          captures: captures ?? [Capture(id: "k1", amount: total, at: ts(createdAt).adding(seconds: 5))],
          plan: plan, shipments: shipments, returns: returns, refunds: refunds, fees: fees,
          disputes: disputes)
}

func threeInstalments(_ statuses: [InstallmentStatus] = [.paid, .pending, .pending],
                      amount: Amount = "30.00",
                      dues: [String] = ["2026-11-01", "2026-12-01", "2027-01-01"],
                      extended: Bool = false) -> PaymentPlan {
    PaymentPlan(kind: "pay_in_3", installments: (0..<3).map {
        Installment(n: $0 + 1, amount: amount, due: day(dues[$0]), status: statuses[$0],
                    extended: $0 == 1 ? extended : false)
    })
}

func makeInput(_ intent: Intent, orders: [Order] = [sampleOrder()], match: OrderMatch? = nil,
               now: String = "2026-11-03T08:00:00Z", confidence: Double = 0.9, flags: Set<Flag> = [],
               status: CustomerStatus = .active, locale: String = "en-GB", payments: [IncomingPayment] = [],
               contacts: Int = 1, orderRequestsSent: Int = 0, evidence: Bool = false,
               article: HelpArticleMatch? = nil) -> DecisionInput {
    let resolvedMatch = match ?? (orders.count == 1 ? .matched(orderId: orders[0].id) : .none)
    return DecisionInput(
        caseId: "case1",
        classification: Classification(intent: intent, confidence: confidence, flags: flags),
        orderMatch: resolvedMatch, orderRequestsSent: orderRequestsSent,
        ledger: LedgerFacts(customer: Customer(id: "c1", locale: locale, status: status),
                            orders: orders, payments: payments),
        contactsInWindow: contacts, evidenceArrived: evidence, helpArticle: article, now: ts(now))
}

func decide(_ input: DecisionInput, config: PolicyConfig = PolicyConfig()) -> Decision {
    PolicyEngine(config: config).decide(input)
}

extension Decision {
    var actionKinds: [ActionKind] { actions.map(\.kind) }
}

@Test func policyFixturesBuildAValidInput() {
    let input = makeInput(.generalInquiry)
    #expect(input.ledger.orders.count == 1)
    #expect(input.orderMatch == .matched(orderId: "o1"))
}
