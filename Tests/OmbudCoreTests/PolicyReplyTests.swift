import Testing
@testable import OmbudCore

@Suite struct PolicyReplyTests {
    let duplicate = sampleOrder(captures: [Capture(id: "k1", amount: "89.9", at: ts("2026-11-01T10:00:05Z")),
                                           Capture(id: "k2", amount: "89.9", at: ts("2026-11-01T10:02:11Z"))])

    @Test(arguments: [("en-GB", ReplyLanguage.en, "refunded the duplicate charge of 89.90 EUR"),
                      ("de-DE", .de, "doppelte Belastung von 89.90 EUR erstattet"),
                      ("sv-SE", .sv, "dubbla debiteringen på 89.90 EUR")])
    func duplicateRefundInEachLanguage(tag: String, language: ReplyLanguage, fragment: String) {
        let reply = ReplyComposer.compose(decide(makeInput(.duplicateCharge, orders: [duplicate])), languageTag: tag)
        #expect(reply.language == language)
        #expect(reply.text.contains(fragment))
        #expect(!reply.text.contains("{"))
    }

    /// Placeholders are filled in one pass: a name the composer does not know, and an unclosed brace, stay as written;
    /// a filled value is not read again.
    @Test func placeholdersAreFilledOnceAndUnknownOnesKept() {
        let d = decide(makeInput(.duplicateCharge, orders: [duplicate]))
        let facts = d.replyFacts
        let order = try! #require(facts.orderId)
        let amount = try! #require(facts.amount?.description)
        #expect(ReplyComposer.fill("{order}/{amount} {nope} {response_time} {order", decision: d, language: .en,
                                   config: PolicyConfig()) == "\(order)/\(amount) {nope} {response_time} {order")
        #expect(ReplyComposer.fill("{order}{order}", decision: d, language: .en, config: PolicyConfig()) == order + order)
    }

    @Test func unknownLanguageFallsBackToEnglish() {
        let reply = ReplyComposer.compose(decide(makeInput(.paymentDeclined)), languageTag: "fi-FI")
        #expect(reply.language == .en)
        #expect(reply.text.hasPrefix("Sorry that your purchase was declined"))
    }

    @Test func inTransitReplyNamesCarrierTrackingAndDate() {
        let order = sampleOrder(shipments: [Shipment(carrier: "PostNord", tracking: "PN555", status: .inTransit,
                                                     expectedDelivery: day("2026-11-21"))])
        let text = ReplyComposer.compose(decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-19T10:00:00Z")),
                                         languageTag: "sv").text
        #expect(text.contains("PostNord") && text.contains("PN555") && text.contains("2026-11-21"))
    }

    @Test(arguments: [("en", "within 24 hours"), ("de", "innerhalb von 24 Stunden"), ("sv", "inom 24 timmar")])
    func holdingReplyStatesResponseTime(tag: String, fragment: String) {
        let d = decide(makeInput(.generalInquiry, orders: []))
        let reply = ReplyComposer.compose(d, languageTag: tag)
        #expect(reply.templateId == "escalation.holding")
        #expect(reply.text.contains(fragment))
    }

    @Test func complaintAcknowledgementStatesTheFinalResponseDate() {
        let d = decide(makeInput(.feeDispute, flags: [.formalComplaint], locale: "de-DE"))
        let reply = ReplyComposer.compose(d, languageTag: "de-DE")
        #expect(reply.templateId == "escalation.complaint")
        #expect(reply.text.contains("4 Stunden") && reply.text.contains("24.11.2026"))
    }

    @Test func fraudHoldingReplyIsOneHour() {
        let reply = ReplyComposer.compose(decide(makeInput(.unauthorizedPurchase)), languageTag: "en")
        #expect(reply.text.contains("within 1 hour"))
    }

    /// Every rule the engine can produce has a template in all three languages with no
    /// placeholder left unfilled.
    @Test func everyTemplateExistsInAllLanguages() {
        for (id, variants) in ReplyTemplates.texts {
            for language in ReplyLanguage.allCases {
                #expect(variants[language] != nil, "missing \(language) for \(id)")
            }
        }
        let nonEscalatedRules = [
            "matching.order_missing.ask_order", "resolution.duplicate_charge.refund_later_capture",
            "resolution.item_not_received.merchant_dispute", "resolution.item_not_received.in_transit",
            "resolution.item_not_received.awaiting_shipment", "resolution.return_not_refunded.notify_merchant",
            "resolution.return_not_refunded.merchant_dispute", "resolution.refund_not_received.refund_recorded",
            "resolution.refund_not_received.notify_merchant", "resolution.faulty_or_not_as_described.request_evidence",
            "resolution.incorrect_amount.refund_difference", "resolution.already_paid.apply_payment",
            "resolution.already_paid.ask_receipt", "resolution.subscription_cancelled.refund_capture",
            "resolution.fee_dispute.waive_paused_or_disputed", "resolution.fee_dispute.waive_goodwill",
            "resolution.fee_dispute.explain_fee", "resolution.fee_dispute.no_open_fee",
            "resolution.payment_change.extend_due_date", "resolution.payment_declined.explain",
            "resolution.general_inquiry.answer",
        ]
        for rule in nonEscalatedRules {
            #expect(ReplyTemplates.texts[rule] != nil, "no template for \(rule)")
        }
    }

    @Test(arguments: [("en", "expected on 21 November 2026"), ("de", "am 21.11.2026 erwartet"), ("sv", "väntas fram 2026-11-21")])
    func datesAreWrittenTheLocalWay(tag: String, fragment: String) {
        let order = sampleOrder(shipments: [Shipment(carrier: "DHL", tracking: "JD1", status: .inTransit,
                                                     expectedDelivery: day("2026-11-21"))])
        let reply = ReplyComposer.compose(decide(makeInput(.itemNotReceived, orders: [order], now: "2026-11-19T10:00:00Z")),
                                          languageTag: tag)
        #expect(reply.text.contains(fragment))
    }

    @Test func languageTags() {
        #expect(ReplyLanguage(tag: "SV_se") == .sv)
        #expect(ReplyLanguage(tag: "de") == .de)
        #expect(ReplyLanguage(tag: nil) == .en)
    }
}
