/// POLICY.md as code: guardrails 1–8 in order (the first that fires decides), then order
/// matching, then the automatic-resolution table. Pure: the same input always gives the same
/// decision, because the only clock is `input.now`.
public struct PolicyEngine: Sendable {
    public let config: PolicyConfig

    public init(config: PolicyConfig = PolicyConfig()) {
        self.config = config
    }

    /// A decision before the escalation clock and idempotency keys are attached.
    struct Draft {
        var rule: String
        var outcome: Outcome
        var actions: [PlannedAction] = []
        var escalateTo: (team: Team, priority: Priority)? = nil
        var regulatoryDue: Timestamp? = nil
        var recommendation: [PlannedAction] = []
        var suspendFees = false
        var acknowledge = false
        var explanation: [String: String] = [:]
        var facts = ReplyFacts()
        /// The money the resolution would move or forgive; guardrail 7 compares it to the limit.
        var amountAtStake: Money? = nil
    }

    public func decide(_ input: DecisionInput) -> Decision {
        let draft = guardrailBeforeResolution(input) ?? resolveAfterMatching(input)
        var explanation = draft.explanation
        explanation["intent"] = input.classification.intent.rawValue
        explanation["confidence"] = String(input.classification.confidence)
        if !input.classification.flags.isEmpty {
            explanation["flags"] = input.classification.flags.map(\.rawValue).sorted().joined(separator: ",")
        }
        return Decision(
            caseId: input.caseId,
            intent: input.classification.intent,
            rule: draft.rule,
            policyVersion: config.version,
            outcome: draft.outcome,
            actions: draft.actions,
            escalation: draft.escalateTo.map {
                EscalationClock.plan(team: $0.team, priority: $0.priority, now: input.now,
                                     config: config, regulatoryDue: draft.regulatoryDue)
            },
            recommendation: draft.recommendation,
            suspendFees: draft.suspendFees,
            acknowledge: draft.acknowledge,
            explanation: explanation,
            replyFacts: draft.facts)
    }

    /// The ticket's customer is not in the ledger: nothing can be checked or done automatically, so a person
    /// identifies the customer (general, P3).
    public func decideWithoutCustomer(caseId: String, classification: Classification, now: Timestamp) -> Decision {
        var explanation = ["intent": classification.intent.rawValue, "confidence": String(classification.confidence)]
        if !classification.flags.isEmpty {
            explanation["flags"] = classification.flags.map(\.rawValue).sorted().joined(separator: ",")
        }
        return Decision(
            caseId: caseId, intent: classification.intent, rule: "matching.unknown_customer",
            policyVersion: config.version, outcome: .escalated, actions: [],
            escalation: EscalationClock.plan(team: .general, priority: .p3, now: now, config: config,
                                             regulatoryDue: nil),
            recommendation: [], suspendFees: false, acknowledge: false, explanation: explanation,
            replyFacts: ReplyFacts())
    }

    // MARK: Guardrails 1–6 (they need no resolution result)

    func guardrailBeforeResolution(_ input: DecisionInput) -> Draft? {
        let intent = input.classification.intent
        let flags = input.classification.flags
        let customer = input.ledger.customer
        let order = matchedOrder(input)

        if intent == .unauthorizedPurchase {
            var draft = escalation("guardrail.unauthorized_purchase", .fraud, .p1)
            draft.actions.append(action(input, .freezeAccount, target: customer.id))
            if let order {
                draft.actions.append(action(input, .pausePayments, target: order.id,
                                            days: config.guardrailPauseDays))
                draft.facts.orderId = order.id
                draft.facts.merchant = order.merchant
            }
            return draft
        }

        if flags.contains(.vulnerability) || intent == .financialDifficulty {
            var draft = escalation("guardrail.vulnerability", .care, .p1)
            draft.explanation["trigger"] = flags.contains(.vulnerability) ? "vulnerability" : "financial_difficulty"
            for overdueOrder in input.ledger.orders
            where overdueOrder.installments.contains(where: { $0.status == .overdue }) {
                draft.actions.append(action(input, .pausePayments, target: overdueOrder.id,
                                            days: config.guardrailPauseDays))
            }
            draft.suspendFees = true
            draft.facts.days = config.guardrailPauseDays
            return draft
        }

        if flags.contains(.formalComplaint) || flags.contains(.legalThreat) {
            var draft = escalation("guardrail.formal_complaint", .complaints, .p2)
            draft.explanation["trigger"] = flags.contains(.formalComplaint) ? "formal_complaint" : "legal_threat"
            let due = EscalationClock.complaintFinalResponseDue(
                from: input.now, market: customer.market, config: config)
            draft.regulatoryDue = due
            draft.acknowledge = true
            draft.facts.date = Day(due)
            draft.explanation["business_days"] = String(config.complaintBusinessDays(market: customer.market))
            return draft
        }

        if flags.contains(.humanRequested) {
            return escalation("guardrail.human_requested", intent.team, .p3)
        }

        if input.classification.confidence < config.lowConfidenceThreshold {
            var draft = escalation("guardrail.low_confidence", .general, .p3)
            draft.explanation["threshold"] = String(config.lowConfidenceThreshold)
            return draft
        }

        if customer.status != .active {
            var draft = escalation("guardrail.account_restricted", .fraud, .p2)
            draft.explanation["account_status"] = customer.status.rawValue
            return draft
        }
        return nil
    }

    // MARK: Matching, guardrails 7–8, resolution table

    func resolveAfterMatching(_ input: DecisionInput) -> Draft {
        let intent = input.classification.intent
        let order = matchedOrder(input)

        // Guardrail 7 needs the resolution to know the amount at stake; without a matched order
        // an order intent has no resolution yet, so only guardrail 8 can apply.
        var resolution: Draft?
        if let order {
            resolution = resolve(intent, order: order, input)
        } else if !intent.needsOrder {
            resolution = resolve(intent, order: nil, input)
        }

        if let resolution, let stake = resolution.amountAtStake {
            let limit = config.automaticLimit(currency: stake.currency)
            if stake.amount > limit {
                var draft = escalation("guardrail.above_automatic_limit", .disputes, .p2)
                draft.recommendation = resolution.actions
                draft.explanation["amount_at_stake"] = stake.description
                draft.explanation["automatic_limit"] = Money(limit, stake.currency).description
                draft.explanation["recommended_rule"] = resolution.rule
                draft.facts = resolution.facts
                return draft
            }
        }

        if input.contactsInWindow >= config.repeatContactThreshold {
            var draft = escalation("guardrail.repeat_contact", intent.team, .p2)
            draft.explanation["contacts_in_window"] = String(input.contactsInWindow)
            draft.explanation["window_days"] = String(config.repeatContactWindowDays)
            return draft
        }

        if let resolution { return resolution }

        // An order intent without a usable match: ask once, then hand over.
        var explanationMatch = "none"
        if case let .ambiguous(candidates) = input.orderMatch {
            explanationMatch = "ambiguous:" + candidates.joined(separator: ",")
        } else if case let .matched(orderId) = input.orderMatch {
            explanationMatch = "unknown_order:" + orderId
        }
        if input.orderRequestsSent == 0 {
            var draft = Draft(rule: "matching.order_missing.ask_order", outcome: .needsInfo)
            draft.explanation["match"] = explanationMatch
            return draft
        }
        var draft = escalation("matching.order_missing.escalate", .general, .p3)
        draft.explanation["match"] = explanationMatch
        draft.explanation["order_requests_sent"] = String(input.orderRequestsSent)
        return draft
    }

    func matchedOrder(_ input: DecisionInput) -> Order? {
        guard case let .matched(orderId) = input.orderMatch else { return nil }
        return input.ledger.order(id: orderId)
    }

    func escalation(_ rule: String, _ team: Team, _ priority: Priority) -> Draft {
        var draft = Draft(rule: rule, outcome: .escalated)
        draft.escalateTo = (team, priority)
        return draft
    }

    func action(_ input: DecisionInput, _ kind: ActionKind, target: String, amount: Money? = nil,
                days: Int? = nil, relatedTo: String? = nil) -> PlannedAction {
        PlannedAction(caseId: input.caseId, kind: kind, target: target, amount: amount, days: days,
                      relatedTo: relatedTo)
    }
}
