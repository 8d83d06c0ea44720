/// What an agent reads when the case reaches the queue: what the customer wants, what the
/// ledger shows, what was already done, and why it was escalated, so nobody asks the
/// customer again. Written in English for the agents.
public struct HandoffSummary: Sendable, Hashable, Codable {
    public var customerWants: String
    public var ledgerShows: [String]
    public var actionsTaken: [String]
    public var recommended: [String]
    public var reason: String
    public var team: Team
    public var priority: Priority
    public var firstResponseDue: Timestamp
    public var regulatoryDue: Timestamp?

    /// nil when the decision is not an escalation.
    public init?(decision: Decision, input: DecisionInput, previousActions: [PlannedAction] = []) {
        guard let escalation = decision.escalation else { return nil }
        let flags = input.classification.flags.map(\.rawValue).sorted()
        customerWants = HandoffSummary.wants[decision.intent, default: decision.intent.rawValue]
            + (flags.isEmpty ? "" : " (flags: \(flags.joined(separator: ", ")))")
        var ledger = ["customer \(input.ledger.customer.id), account \(input.ledger.customer.status.rawValue)"]
        switch input.orderMatch {
        case let .matched(orderId):
            if let order = input.ledger.order(id: orderId) {
                ledger += HandoffSummary.describe(order)
            } else {
                ledger.append("order \(orderId) not found in the ledger")
            }
        case let .ambiguous(candidates):
            ledger.append("order unclear, candidates: \(candidates.joined(separator: ", "))")
        case .none:
            ledger.append("no order matched")
        }
        let unmatched = input.ledger.payments.filter { $0.status == .unmatched }
        if !unmatched.isEmpty {
            ledger.append("unmatched payments: " + unmatched.map { "\($0.id) \($0.amount) at \($0.at)" }.joined(separator: ", "))
        }
        ledgerShows = ledger
        actionsTaken = (previousActions + decision.actions).map(HandoffSummary.describe)
        recommended = decision.recommendation.map(HandoffSummary.describe)
        let details = decision.explanation.filter { !["intent", "confidence", "flags"].contains($0.key) }
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        reason = decision.rule + (details.isEmpty ? "" : " (" + details.joined(separator: ", ") + ")")
        team = escalation.team
        priority = escalation.priority
        firstResponseDue = escalation.firstResponseDue
        regulatoryDue = escalation.regulatoryDue
    }

    public var text: String {
        var lines = ["Customer wants: \(customerWants)", "Ledger shows:"]
        lines += ledgerShows.map { "  - \($0)" }
        lines.append("Already done: " + (actionsTaken.isEmpty ? "nothing" : actionsTaken.joined(separator: "; ")))
        if !recommended.isEmpty { lines.append("Recommended: " + recommended.joined(separator: "; ")) }
        lines.append("Escalated because: \(reason)")
        lines.append("Team \(team.rawValue), \(priority.rawValue), first response by \(firstResponseDue)"
            + (regulatoryDue.map { ", final response by \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }

    static func describe(_ action: PlannedAction) -> String {
        var text = "\(action.kind.rawValue) \(action.target)"
        if let amount = action.amount { text += " \(amount)" }
        if let days = action.days { text += " \(days) days" }
        if let related = action.relatedTo { text += " → \(related)" }
        return text
    }

    static func describe(_ order: Order) -> [String] {
        func money(_ amount: Amount) -> String { Money(amount, order.currency).description }
        var lines = ["order \(order.id) at \(order.merchant), \(money(order.total)), created \(order.createdAt)"]
        if !order.captures.isEmpty {
            lines.append("captures: " + order.captures.map { "\($0.id) \(money($0.amount)) at \($0.at)" }.joined(separator: ", "))
        }
        if !order.installments.isEmpty {
            lines.append("instalments: " + order.installments.map { i in
                "#\(i.n) \(money(i.amount)) due \(i.due) \(i.status.rawValue)"
                    + (i.pausedUntil.map { " until \($0)" } ?? "") + (i.extended ? " extended" : "")
            }.joined(separator: ", "))
        }
        if !order.shipments.isEmpty {
            lines.append("shipments: " + order.shipments.map { s in
                [s.carrier, s.tracking, s.status.rawValue, s.expectedDelivery.map { "expected \($0)" },
                 s.deliveredAt.map { "delivered \($0)" }].compactMap { $0 }.joined(separator: " ")
            }.joined(separator: ", "))
        }
        if !order.returns.isEmpty {
            lines.append("returns: " + order.returns.map { r in
                r.status.rawValue + (r.deliveredAt.map { " \($0)" } ?? "")
            }.joined(separator: ", "))
        }
        if !order.refunds.isEmpty {
            lines.append("refunds: " + order.refunds.map { "\($0.id) \(money($0.amount)) at \($0.at)" }.joined(separator: ", "))
        }
        if !order.fees.isEmpty {
            lines.append("fees: " + order.fees.map { "\($0.id) \($0.kind.rawValue) \(money($0.amount)) at \($0.at)\($0.waived ? " waived" : "")" }
                .joined(separator: ", "))
        }
        if let cancelled = order.subscription?.cancelledAt { lines.append("subscription cancelled \(cancelled)") }
        return lines
    }

    static let wants: [Intent: String] = [
        .itemNotReceived: "the order (or part of it) never arrived",
        .returnNotRefunded: "sent the goods back but is still asked to pay",
        .refundNotReceived: "the merchant says it refunded, but the refund does not show",
        .faultyOrNotAsDescribed: "the item is damaged, wrong, not as described or counterfeit",
        .incorrectAmount: "was charged the wrong amount",
        .duplicateCharge: "was charged twice for one purchase",
        .alreadyPaid: "paid, but the payment shows as unpaid",
        .subscriptionCancelled: "cancelled a subscription and was still charged",
        .feeDispute: "thinks a late or reminder fee is unfair",
        .unauthorizedPurchase: "did not make this purchase; account or card misused",
        .paymentChange: "wants to postpone or change a payment date",
        .paymentDeclined: "a purchase or card was declined at checkout",
        .financialDifficulty: "cannot pay (hardship)",
        .generalInquiry: "a general question",
    ]
}
