import Foundation
import Testing
@testable import OmbudCore

@Suite struct PolicyResolutionTests {
    func captures(_ first: String, _ second: String, amounts: (Amount, Amount) = ("89.90", "89.90")) -> [Capture] {
        [Capture(id: "k1", amount: amounts.0, at: ts(first)), Capture(id: "k2", amount: amounts.1, at: ts(second))]
    }

    // MARK: duplicate_charge

    @Test func duplicateWithin48HoursRefundsTheLaterCapture() throws {
        let order = sampleOrder(captures: captures("2026-11-01T10:00:05Z", "2026-11-03T10:00:05Z"))
        let d = decide(makeInput(.duplicateCharge, orders: [order], now: "2026-11-04T08:00:00Z"))
        #expect(d.rule == "resolution.duplicate_charge.refund_later_capture")
        let refund = try #require(d.actions.first)
        #expect(refund.kind == .refundCapture && refund.target == "k2")
        #expect(refund.amount == Money("89.90", "EUR"))
        #expect(refund.idempotencyKey == "case1:refund_capture:k2")
    }

    @Test func duplicateJustOver48HoursEscalates() {
        let order = sampleOrder(captures: captures("2026-11-01T10:00:05Z", "2026-11-03T10:00:06Z"))
        let d = decide(makeInput(.duplicateCharge, orders: [order], now: "2026-11-04T08:00:00Z"))
        #expect(d.rule == "resolution.duplicate_charge.no_duplicate_found")
        #expect(d.team == .disputes && d.priority == .p3)
    }

    @Test func duplicateWithDifferentAmountsEscalates() {
        let order = sampleOrder(captures: captures("2026-11-01T10:00:05Z", "2026-11-01T10:01:05Z", amounts: ("89.90", "89.91")))
        #expect(decide(makeInput(.duplicateCharge, orders: [order])).outcome == .escalated)
    }

    @Test func duplicateAlreadyRefundedEscalates() {
        let order = sampleOrder(captures: captures("2026-11-01T10:00:05Z", "2026-11-01T10:01:05Z"),
                                refunds: [Refund(id: "r1", amount: "89.90", at: ts("2026-11-02T10:00:00Z"))])
        #expect(decide(makeInput(.duplicateCharge, orders: [order])).rule == "resolution.duplicate_charge.no_duplicate_found")
    }

    // MARK: item_not_received

    @Test func deliveredShipmentEscalatesForEvidence() {
        let order = sampleOrder(shipments: [Shipment(carrier: "PostNord", tracking: "PN1", status: .delivered)])
        let d = decide(makeInput(.itemNotReceived, orders: [order]))
        #expect(d.rule == "resolution.item_not_received.delivered")
        #expect(d.team == .disputes && d.priority == .p3)
    }

    @Test func notShippedOpensDispute() {
        let order = sampleOrder(shipments: [Shipment(status: .notShipped)])
        let d = decide(makeInput(.itemNotReceived, orders: [order]))
        #expect(d.rule == "resolution.item_not_received.merchant_dispute")
        #expect(d.actionKinds == [.pausePayments, .openMerchantDispute])
        #expect(d.actions[0].days == 21)
    }

    @Test func inTransitBoundaryOnExpectedDay() {
        let order = sampleOrder(shipments: [Shipment(carrier: "DHL", tracking: "JD1", status: .inTransit,
                                                     expectedDelivery: day("2026-11-05"))])
        let onTheDay = decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-05T23:59:59Z"))
        #expect(onTheDay.rule == "resolution.item_not_received.in_transit")
        #expect(onTheDay.actions.isEmpty)
        #expect(onTheDay.replyFacts.carrier == "DHL" && onTheDay.replyFacts.tracking == "JD1")
        #expect(onTheDay.replyFacts.date == day("2026-11-05"))
        let dayAfter = decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-06T00:00:00Z"))
        #expect(dayAfter.rule == "resolution.item_not_received.merchant_dispute")
    }

    @Test func noShipmentBoundaryAt14Days() {
        let order = sampleOrder(createdAt: "2026-11-01T10:00:00Z")
        let early = decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-15T09:59:59Z"))
        #expect(early.rule == "resolution.item_not_received.awaiting_shipment")
        #expect(early.outcome == .autoResolved && early.actions.isEmpty)
        #expect(early.replyFacts.date == day("2026-11-15"))
        let due = decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-15T10:00:00Z"))
        #expect(due.rule == "resolution.item_not_received.merchant_dispute")
    }

    // MARK: return_not_refunded

    func returned(_ deliveredAt: String) -> [ReturnShipment] {
        [ReturnShipment(registeredAt: ts("2026-11-01T10:00:00Z"), status: .deliveredToMerchant,
                        deliveredAt: ts(deliveredAt))]
    }

    @Test func returnAlwaysPausesAndNotifies() {
        let d = decide(makeInput(.returnNotRefunded, orders: [sampleOrder()]))
        #expect(d.rule == "resolution.return_not_refunded.notify_merchant")
        #expect(d.actionKinds == [.pausePayments, .notifyMerchant])
    }

    @Test func returnDeliveredMoreThan14DaysAgoAlsoDisputes() {
        let exactly = decide(makeInput(.returnNotRefunded, orders: [sampleOrder(returns: returned("2026-11-05T10:00:00Z"))],
                                       now: "2026-11-19T10:00:00Z"))
        #expect(exactly.actionKinds == [.pausePayments, .notifyMerchant])
        let over = decide(makeInput(.returnNotRefunded, orders: [sampleOrder(returns: returned("2026-11-05T10:00:00Z"))],
                                    now: "2026-11-19T10:00:01Z"))
        #expect(over.rule == "resolution.return_not_refunded.merchant_dispute")
        #expect(over.actionKinds == [.pausePayments, .notifyMerchant, .openMerchantDispute])
        let refunded = sampleOrder(returns: returned("2026-11-01T10:00:00Z"),
                                   refunds: [Refund(id: "r1", amount: "10.00", at: ts("2026-11-10T10:00:00Z"))])
        #expect(decide(makeInput(.returnNotRefunded, orders: [refunded], now: "2026-11-30T10:00:00Z")).actions.count == 2)
    }

    // MARK: refund_not_received

    @Test func recordedRefundIsExplained() {
        let order = sampleOrder(refunds: [Refund(id: "r1", amount: "89.9", at: ts("2026-11-10T12:00:00Z"))])
        let d = decide(makeInput(.refundNotReceived, orders: [order], now: "2026-11-12T08:00:00Z"))
        #expect(d.rule == "resolution.refund_not_received.refund_recorded")
        #expect(d.actions.isEmpty)
        #expect(d.replyFacts.amount?.description == "89.90 EUR")
        #expect(d.replyFacts.date == day("2026-11-10"))
    }

    @Test func missingRefundPausesAndNotifies() {
        let d = decide(makeInput(.refundNotReceived))
        #expect(d.rule == "resolution.refund_not_received.notify_merchant")
        #expect(d.actionKinds == [.pausePayments, .notifyMerchant])
    }

    // MARK: faulty_or_not_as_described

    @Test func faultyAsksForEvidenceThenEscalates() {
        let first = decide(makeInput(.faultyOrNotAsDescribed))
        #expect(first.outcome == .needsInfo)
        #expect(first.actionKinds == [.pausePayments, .requestEvidence])
        let second = decide(makeInput(.faultyOrNotAsDescribed, contacts: 2, evidence: true))
        #expect(second.rule == "resolution.faulty_or_not_as_described.evidence_received")
        #expect(second.team == .disputes && second.priority == .p3)
        #expect(second.actions.isEmpty)
    }

    // MARK: incorrect_amount

    @Test func overchargeRefundsTheDifference() {
        let order = sampleOrder(total: "70.00", captures: [Capture(id: "k1", amount: "79.90", at: ts("2026-11-01T10:00:05Z"))])
        let d = decide(makeInput(.incorrectAmount, orders: [order]))
        #expect(d.rule == "resolution.incorrect_amount.refund_difference")
        #expect(d.actions.first?.amount == Money("9.90", "EUR"))
        #expect(d.actions.first?.target == "k1")
    }

    @Test func overchargeByOneCentIsRefunded() {
        let order = sampleOrder(total: "70.00", captures: [Capture(id: "k1", amount: "70.01", at: ts("2026-11-01T10:00:05Z"))])
        #expect(decide(makeInput(.incorrectAmount, orders: [order])).actions.first?.amount == Money("0.01", "EUR"))
    }

    @Test func noOverchargeEscalates() {
        let d = decide(makeInput(.incorrectAmount))
        #expect(d.rule == "resolution.incorrect_amount.no_overcharge_found")
        #expect(d.team == .disputes && d.priority == .p3)
    }

    // MARK: already_paid

    func feeAt(_ at: String, id: String = "f1", waived: Bool = false) -> Fee {
        Fee(id: id, kind: .reminder, amount: "5.00", at: ts(at), waived: waived)
    }

    @Test func unmatchedPaymentIsAppliedAndLaterFeesWaived() {
        let order = sampleOrder(plan: threeInstalments([.paid, .overdue, .pending]),
                                fees: [feeAt("2026-10-30T00:00:00Z", id: "f0"), feeAt("2026-11-08T00:00:00Z", id: "f1")])
        let payment = IncomingPayment(id: "p1", amount: "29.99", status: .unmatched, at: ts("2026-11-01T00:00:00Z"))
        let d = decide(makeInput(.alreadyPaid, orders: [order], now: "2026-11-10T08:00:00Z", payments: [payment]))
        #expect(d.rule == "resolution.already_paid.apply_payment")
        #expect(d.actionKinds == [.applyPayment, .waiveFee])
        #expect(d.actions[0].target == "p1" && d.actions[0].relatedTo == "o1#2")
        #expect(d.actions[1].target == "f1")
    }

    @Test func paymentOffByMoreThanACentAsksForReceipt() {
        let order = sampleOrder(plan: threeInstalments([.paid, .overdue, .pending]))
        let payment = IncomingPayment(id: "p1", amount: "29.98", status: .unmatched, at: ts("2026-11-01T00:00:00Z"))
        let matchedPayment = IncomingPayment(id: "p2", amount: "30.00", status: .matched, at: ts("2026-11-01T00:00:00Z"))
        let d = decide(makeInput(.alreadyPaid, orders: [order], payments: [payment, matchedPayment]))
        #expect(d.rule == "resolution.already_paid.ask_receipt")
        #expect(d.outcome == .needsInfo)
    }

    // MARK: subscription_cancelled

    @Test func captureAfterCancellationIsRefunded() {
        let order = sampleOrder(total: "12.99", captures: captures("2026-10-01T10:00:00Z", "2026-11-01T10:00:00Z", amounts: ("12.99", "12.99")),
                                subscription: Subscription(cancelledAt: ts("2026-10-20T10:00:00Z")))
        let d = decide(makeInput(.subscriptionCancelled, orders: [order]))
        #expect(d.rule == "resolution.subscription_cancelled.refund_capture")
        #expect(d.actions.map(\.target) == ["k2"])
    }

    @Test func cancellationAfterCaptureEscalates() {
        let order = sampleOrder(subscription: Subscription(cancelledAt: ts("2026-11-02T10:00:00Z")))
        #expect(decide(makeInput(.subscriptionCancelled, orders: [order])).team == .disputes)
        #expect(decide(makeInput(.subscriptionCancelled)).outcome == .escalated)
    }

    // MARK: fee_dispute

    @Test func feeDuringPauseIsWaived() {
        var plan = threeInstalments([.paid, .paused, .pending])
        plan.installments[1].pausedUntil = day("2026-11-21")
        let order = sampleOrder(plan: plan, fees: [feeAt("2026-11-08T00:00:00Z")])
        let d = decide(makeInput(.feeDispute, orders: [order], now: "2026-11-10T08:00:00Z"))
        #expect(d.rule == "resolution.fee_dispute.waive_paused_or_disputed")
        #expect(d.actions.first?.target == "f1")
    }

    @Test func feeDuringOpenDisputeIsWaived() {
        let order = sampleOrder(fees: [feeAt("2026-11-08T00:00:00Z")],
                                disputes: [MerchantDispute(openedAt: ts("2026-11-02T00:00:00Z"))])
        let d = decide(makeInput(.feeDispute, orders: [order], now: "2026-11-10T08:00:00Z"))
        #expect(d.explanation["reason"] == "dispute_open")
    }

    @Test func goodwillWaiverOncePer12Months() {
        let open = feeAt("2026-11-08T00:00:00Z")
        let none = decide(makeInput(.feeDispute, orders: [sampleOrder(fees: [open])], now: "2026-11-10T08:00:00Z"))
        #expect(none.rule == "resolution.fee_dispute.waive_goodwill")
        let recent = decide(makeInput(.feeDispute, orders: [sampleOrder(fees: [open, feeAt("2025-11-10T08:00:01Z", id: "f0", waived: true)])],
                                      now: "2026-11-10T08:00:00Z"))
        #expect(recent.rule == "resolution.fee_dispute.explain_fee")
        #expect(recent.actions.isEmpty && recent.outcome == .autoResolved)
        let old = decide(makeInput(.feeDispute, orders: [sampleOrder(fees: [open, feeAt("2025-11-10T08:00:00Z", id: "f0", waived: true)])],
                                   now: "2026-11-10T08:00:00Z"))
        #expect(old.rule == "resolution.fee_dispute.waive_goodwill")
    }

    @Test func subtractingMonthsClampsTheDay() {
        #expect(PolicyEngine.subtractingMonths(12, from: ts("2028-02-29T10:00:00Z")) == ts("2027-02-28T10:00:00Z"))
        #expect(PolicyEngine.subtractingMonths(1, from: ts("2026-03-31T10:00:00Z")) == ts("2026-02-28T10:00:00Z"))
        #expect(PolicyEngine.subtractingMonths(12, from: ts("2026-01-15T00:00:00Z")) == ts("2025-01-15T00:00:00Z"))
    }

    // MARK: payment_change

    @Test func nextInstalmentIsExtended() {
        let d = decide(makeInput(.paymentChange, orders: [sampleOrder(plan: threeInstalments())], now: "2026-11-20T08:00:00Z"))
        #expect(d.actions.first?.kind == .extendDueDate)
        #expect(d.actions.first?.target == "o1#2" && d.actions.first?.days == 10)
        #expect(d.replyFacts.date == day("2026-12-11"))
    }

    @Test func extendedOrOverdueInstalmentEscalates() {
        let extended = decide(makeInput(.paymentChange, orders: [sampleOrder(plan: threeInstalments(extended: true))], now: "2026-11-20T08:00:00Z"))
        #expect(extended.rule == "resolution.payment_change.not_eligible")
        #expect(extended.team == .general && extended.priority == .p3)
        let overdue = decide(makeInput(.paymentChange, orders: [sampleOrder(plan: threeInstalments([.paid, .overdue, .pending]))], now: "2026-12-03T08:00:00Z"))
        #expect(overdue.explanation["reason"] == "overdue")
        let pastDue = decide(makeInput(.paymentChange, orders: [sampleOrder(plan: threeInstalments())], now: "2026-12-02T08:00:00Z"))
        #expect(pastDue.outcome == .escalated)
    }

    // MARK: payment_declined, general_inquiry

    @Test func declinedIsExplained() {
        let d = decide(makeInput(.paymentDeclined, orders: []))
        #expect(d.outcome == .autoResolved && d.actions.isEmpty)
    }

    @Test func generalInquiryNeedsAGoodArticle() {
        let answered = decide(makeInput(.generalInquiry, orders: [], article: HelpArticleMatch(id: "change-email", score: 0.8)))
        #expect(answered.rule == "resolution.general_inquiry.answer")
        let weak = decide(makeInput(.generalInquiry, orders: [], article: HelpArticleMatch(id: "x", score: 0.2)))
        #expect(weak.team == .general && weak.priority == .p3)
    }
}
