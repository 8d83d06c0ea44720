/// The automatic-resolution table of POLICY.md, one function per intent; the rows are tried
/// top to bottom. `order` is non-nil for every intent that needs one.
extension PolicyEngine {
    func resolve(_ intent: Intent, order: Order?, _ input: DecisionInput) -> Draft {
        switch intent {
        case .duplicateCharge: return duplicateCharge(order!, input)
        case .itemNotReceived: return itemNotReceived(order!, input)
        case .returnNotRefunded: return returnNotRefunded(order!, input)
        case .refundNotReceived: return refundNotReceived(order!, input)
        case .faultyOrNotAsDescribed: return faulty(order!, input)
        case .incorrectAmount: return incorrectAmount(order!, input)
        case .subscriptionCancelled: return subscriptionCancelled(order!, input)
        case .alreadyPaid: return alreadyPaid(order, input)
        case .feeDispute: return feeDispute(order, input)
        case .paymentChange: return paymentChange(order, input)
        case .paymentDeclined: return Draft(rule: "resolution.payment_declined.explain", outcome: .autoResolved)
        case .generalInquiry: return generalInquiry(input)
        // Guardrails 1 and 2 always decide these; kept total so the switch stays exhaustive.
        case .unauthorizedPurchase: return escalation("guardrail.unauthorized_purchase", .fraud, .p1)
        case .financialDifficulty: return escalation("guardrail.vulnerability", .care, .p1)
        }
    }

    private func orderFacts(_ order: Order) -> ReplyFacts {
        ReplyFacts(orderId: order.id, merchant: order.merchant)
    }

    private func money(_ amount: Amount, _ order: Order) -> Money { Money(amount, order.currency) }

    /// A capture counts as refunded when a refund names it, or when an unattributed refund has
    /// its amount (the scenario format's refunds carry no capture id).
    private func isRefunded(_ capture: Capture, in order: Order) -> Bool {
        order.refunds.contains { refund in
            if let captureId = refund.captureId { return captureId == capture.id }
            return refund.amount.isClose(to: capture.amount, tolerance: config.amountTolerance)
        }
    }

    private func escalateDisputes(_ rule: String, _ order: Order) -> Draft {
        var draft = escalation(rule, .disputes, .p3)
        draft.facts = orderFacts(order)
        draft.amountAtStake = money(order.total, order)
        return draft
    }

    // MARK: Rows

    func duplicateCharge(_ order: Order, _ input: DecisionInput) -> Draft {
        let captures = order.captures.sorted { $0.at < $1.at }
        let window = Double(config.duplicateCaptureWindowHours) * 3600
        for (i, first) in captures.enumerated() {
            for later in captures[(i + 1)...]
            where later.amount == first.amount && first.at.seconds(until: later.at) <= window
                && !isRefunded(first, in: order) && !isRefunded(later, in: order)
            {
                var draft = Draft(rule: "resolution.duplicate_charge.refund_later_capture", outcome: .autoResolved)
                let amount = money(later.amount, order)
                draft.actions = [action(input, .refundCapture, target: later.id, amount: amount)]
                draft.facts = orderFacts(order)
                draft.facts.amount = amount
                draft.amountAtStake = amount
                draft.explanation = ["first_capture": first.id, "refunded_capture": later.id]
                return draft
            }
        }
        return escalateDisputes("resolution.duplicate_charge.no_duplicate_found", order)
    }

    func itemNotReceived(_ order: Order, _ input: DecisionInput) -> Draft {
        let today = Day(input.now)
        let orderAgeLimitReached = input.now >= order.createdAt.adding(days: config.noShipmentDays)
        if order.shipments.contains(where: { $0.status == .delivered }) {
            var draft = escalateDisputes("resolution.item_not_received.delivered", order)
            draft.explanation["evidence_needed"] = "true"
            return draft
        }
        // Without an expected date, an in-transit parcel is late once the no-shipment period is over.
        func isLate(_ shipment: Shipment) -> Bool {
            shipment.expectedDelivery.map { today > $0 } ?? orderAgeLimitReached
        }
        let notShipped = order.shipments.contains { $0.status == .notShipped }
        let lateInTransit = order.shipments.contains { $0.status == .inTransit && isLate($0) }
        let noShipmentYet = order.shipments.isEmpty && orderAgeLimitReached
        if notShipped || lateInTransit || noShipmentYet {
            var draft = Draft(rule: "resolution.item_not_received.merchant_dispute", outcome: .autoResolved)
            draft.actions = [
                action(input, .pausePayments, target: order.id, days: config.resolutionPauseDays),
                action(input, .openMerchantDispute, target: order.id),
            ]
            draft.explanation["reason"] = notShipped ? "not_shipped" : lateInTransit ? "in_transit_late" : "no_shipment"
            draft.facts = orderFacts(order)
            draft.facts.days = config.resolutionPauseDays
            draft.amountAtStake = money(order.total, order)
            return draft
        }
        if let parcel = order.shipments.first(where: { $0.status == .inTransit }) {
            var draft = Draft(rule: "resolution.item_not_received.in_transit", outcome: .autoResolved)
            draft.facts = orderFacts(order)
            draft.facts.carrier = parcel.carrier
            draft.facts.tracking = parcel.tracking
            draft.facts.date = parcel.expectedDelivery
            draft.amountAtStake = money(order.total, order)
            return draft
        }
        // Not covered by the table: no shipment record yet and the order is younger than the
        // no-shipment period. Tell the customer when we act instead of disputing early.
        var draft = Draft(rule: "resolution.item_not_received.awaiting_shipment", outcome: .autoResolved)
        draft.facts = orderFacts(order)
        draft.facts.date = Day(order.createdAt.adding(days: config.noShipmentDays))
        draft.amountAtStake = money(order.total, order)
        return draft
    }

    func returnNotRefunded(_ order: Order, _ input: DecisionInput) -> Draft {
        var draft = Draft(rule: "resolution.return_not_refunded.notify_merchant", outcome: .autoResolved)
        draft.actions = [
            action(input, .pausePayments, target: order.id, days: config.resolutionPauseDays),
            action(input, .notifyMerchant, target: order.id),
        ]
        let waitLimit = Double(config.returnRefundWaitDays) * 86_400
        let returnedLongAgo = order.returns.contains { parcel in
            guard parcel.status == .deliveredToMerchant, let delivered = parcel.deliveredAt else { return false }
            return delivered.seconds(until: input.now) > waitLimit
        }
        if returnedLongAgo && order.refunds.isEmpty {
            draft.rule = "resolution.return_not_refunded.merchant_dispute"
            draft.actions.append(action(input, .openMerchantDispute, target: order.id))
        }
        draft.facts = orderFacts(order)
        draft.facts.days = config.resolutionPauseDays
        draft.amountAtStake = money(order.total, order)
        return draft
    }

    func refundNotReceived(_ order: Order, _ input: DecisionInput) -> Draft {
        if let refund = order.refunds.max(by: { $0.at < $1.at }) {
            var draft = Draft(rule: "resolution.refund_not_received.refund_recorded", outcome: .autoResolved)
            draft.facts = orderFacts(order)
            draft.facts.amount = money(refund.amount, order)
            draft.facts.date = Day(refund.at)
            draft.explanation["refund"] = refund.id
            draft.amountAtStake = money(refund.amount, order)
            return draft
        }
        var draft = Draft(rule: "resolution.refund_not_received.notify_merchant", outcome: .autoResolved)
        draft.actions = [
            action(input, .pausePayments, target: order.id, days: config.resolutionPauseDays),
            action(input, .notifyMerchant, target: order.id),
        ]
        draft.facts = orderFacts(order)
        draft.facts.days = config.resolutionPauseDays
        draft.amountAtStake = money(order.total, order)
        return draft
    }

    func faulty(_ order: Order, _ input: DecisionInput) -> Draft {
        if input.evidenceArrived {
            return escalateDisputes("resolution.faulty_or_not_as_described.evidence_received", order)
        }
        var draft = Draft(rule: "resolution.faulty_or_not_as_described.request_evidence", outcome: .needsInfo)
        draft.actions = [
            action(input, .pausePayments, target: order.id, days: config.resolutionPauseDays),
            action(input, .requestEvidence, target: order.id),
        ]
        draft.facts = orderFacts(order)
        draft.facts.days = config.resolutionPauseDays
        draft.amountAtStake = money(order.total, order)
        return draft
    }

    func incorrectAmount(_ order: Order, _ input: DecisionInput) -> Draft {
        // Refunds already made reduce what was effectively captured.
        let captured = order.captures.reduce(Amount.zero) { $0 + $1.amount }
        let refunded = order.refunds.reduce(Amount.zero) { $0 + $1.amount }
        let overcharge = captured - refunded - order.total
        if overcharge > .zero, let latest = order.captures.max(by: { $0.at < $1.at }) {
            var draft = Draft(rule: "resolution.incorrect_amount.refund_difference", outcome: .autoResolved)
            let amount = money(overcharge, order)
            draft.actions = [action(input, .refundCapture, target: latest.id, amount: amount)]
            draft.facts = orderFacts(order)
            draft.facts.amount = amount
            draft.explanation = ["captured": captured.description, "order_total": order.total.description]
            draft.amountAtStake = amount
            return draft
        }
        return escalateDisputes("resolution.incorrect_amount.no_overcharge_found", order)
    }

    func subscriptionCancelled(_ order: Order, _ input: DecisionInput) -> Draft {
        if let cancelledAt = order.subscription?.cancelledAt {
            let chargedAfter = order.captures
                .filter { $0.at > cancelledAt && !isRefunded($0, in: order) }
                .sorted { $0.at < $1.at }
            if !chargedAfter.isEmpty {
                var draft = Draft(rule: "resolution.subscription_cancelled.refund_capture", outcome: .autoResolved)
                draft.actions = chargedAfter.map {
                    action(input, .refundCapture, target: $0.id, amount: money($0.amount, order))
                }
                let total = money(chargedAfter.reduce(Amount.zero) { $0 + $1.amount }, order)
                draft.facts = orderFacts(order)
                draft.facts.amount = total
                draft.facts.date = Day(cancelledAt)
                draft.amountAtStake = total
                return draft
            }
        }
        return escalateDisputes("resolution.subscription_cancelled.not_cancelled_before_capture", order)
    }

    func alreadyPaid(_ matched: Order?, _ input: DecisionInput) -> Draft {
        // Prefer the matched order's instalments, then the rest, earliest due first.
        let orders = (matched.map { [$0] } ?? []) + input.ledger.orders.filter { $0.id != matched?.id }
        for payment in input.ledger.payments.sorted(by: { $0.at < $1.at }) where payment.status == .unmatched {
            for order in orders {
                let candidates = order.installments
                    .filter { $0.isOpen && $0.amount.isClose(to: payment.amount, tolerance: config.amountTolerance) }
                    .sorted { $0.due < $1.due }
                guard let installment = candidates.first else { continue }
                var draft = Draft(rule: "resolution.already_paid.apply_payment", outcome: .autoResolved)
                let instalmentId = "\(order.id)#\(installment.n)"
                draft.actions = [action(input, .applyPayment, target: payment.id,
                                        amount: money(payment.amount, order), relatedTo: instalmentId)]
                for fee in order.fees where !fee.waived && fee.at > payment.at {
                    draft.actions.append(action(input, .waiveFee, target: fee.id, amount: money(fee.amount, order)))
                }
                draft.facts = orderFacts(order)
                draft.facts.amount = money(payment.amount, order)
                draft.facts.date = Day(payment.at)
                draft.explanation = ["payment": payment.id, "installment": instalmentId]
                draft.amountAtStake = money(payment.amount, order)
                return draft
            }
        }
        return Draft(rule: "resolution.already_paid.ask_receipt", outcome: .needsInfo)
    }

    func feeDispute(_ matched: Order?, _ input: DecisionInput) -> Draft {
        let orders = matched.map { [$0] } ?? input.ledger.orders
        let open = orders.flatMap { order in order.fees.filter { !$0.waived }.map { (order, $0) } }
        guard let (order, fee) = open.max(by: { $0.1.at < $1.1.at }) else {
            return Draft(rule: "resolution.fee_dispute.no_open_fee", outcome: .autoResolved)
        }
        var draft = Draft(rule: "resolution.fee_dispute.explain_fee", outcome: .autoResolved)
        draft.facts = orderFacts(order)
        draft.facts.amount = money(fee.amount, order)
        draft.facts.date = Day(fee.at)
        draft.explanation["fee"] = fee.id
        draft.amountAtStake = money(fee.amount, order)

        let feeDay = Day(fee.at)
        let chargedWhilePaused = order.installments.contains { installment in
            guard let until = installment.pausedUntil else { return false }
            return feeDay <= until
        }
        let chargedDuringDispute = order.disputes.contains { dispute in
            dispute.openedAt <= fee.at && (dispute.closedAt.map { fee.at < $0 } ?? true)
        }
        if chargedWhilePaused || chargedDuringDispute {
            draft.rule = "resolution.fee_dispute.waive_paused_or_disputed"
            draft.actions = [action(input, .waiveFee, target: fee.id, amount: money(fee.amount, order))]
            draft.explanation["reason"] = chargedWhilePaused ? "payments_paused" : "dispute_open"
            return draft
        }
        let windowStart = Self.subtractingMonths(config.goodwillWindowMonths, from: input.now)
        let recentWaiver = input.ledger.orders.contains { order in
            order.fees.contains { $0.waived && ($0.waivedAt ?? $0.at) > windowStart }
        }
        if !recentWaiver {
            draft.rule = "resolution.fee_dispute.waive_goodwill"
            draft.actions = [action(input, .waiveFee, target: fee.id, amount: money(fee.amount, order))]
        }
        return draft
    }

    func paymentChange(_ matched: Order?, _ input: DecisionInput) -> Draft {
        let orders = matched.map { [$0] } ?? input.ledger.orders
        let open = orders.flatMap { order in order.installments.filter(\.isOpen).map { (order, $0) } }
        let today = Day(input.now)
        if let (order, next) = open.min(by: { $0.1.due < $1.1.due }) {
            // A pending instalment whose due day has passed is overdue even before the ledger says so.
            let overdue = next.status == .overdue || next.due < today
            if next.status == .pending && !next.extended && !overdue {
                var draft = Draft(rule: "resolution.payment_change.extend_due_date", outcome: .autoResolved)
                draft.actions = [action(input, .extendDueDate, target: "\(order.id)#\(next.n)",
                                        days: config.dueDateExtensionDays)]
                draft.facts = orderFacts(order)
                draft.facts.date = next.due.adding(days: config.dueDateExtensionDays)
                draft.facts.days = config.dueDateExtensionDays
                return draft
            }
            var draft = escalation("resolution.payment_change.not_eligible", .general, .p3)
            draft.explanation["installment"] = "\(order.id)#\(next.n)"
            draft.explanation["reason"] = next.extended ? "already_extended" : overdue ? "overdue" : next.status.rawValue
            return draft
        }
        var draft = escalation("resolution.payment_change.not_eligible", .general, .p3)
        draft.explanation["reason"] = "no_open_installment"
        return draft
    }

    func generalInquiry(_ input: DecisionInput) -> Draft {
        if let article = input.helpArticle, article.score >= config.helpArticleMinScore {
            var draft = Draft(rule: "resolution.general_inquiry.answer", outcome: .autoResolved)
            draft.facts.articleId = article.id
            return draft
        }
        return escalation("resolution.general_inquiry.no_answer", .general, .p3)
    }

    /// The same moment `months` calendar months earlier (day clamped to the month's length).
    static func subtractingMonths(_ months: Int, from now: Timestamp) -> Timestamp {
        let day = Day(now)
        let monthIndex = day.year * 12 + (day.month - 1) - months
        let year = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        let month = monthIndex - year * 12 + 1
        var dayOfMonth = day.day
        var target = Day(year: year, month: month, day: dayOfMonth)
        while target == nil && dayOfMonth > 28 {
            dayOfMonth -= 1
            target = Day(year: year, month: month, day: dayOfMonth)
        }
        return now.adding(days: target!.daysSinceEpoch - day.daysSinceEpoch)
    }
}
