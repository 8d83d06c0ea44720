import Testing
@testable import OmbudCore

@Suite struct PolicyMatchingTests {
    let shoes = sampleOrder(id: "o1", total: "89.90", createdAt: "2026-11-01T10:00:00Z")
    var lamp: Order {
        var order = sampleOrder(id: "o2", total: "75.00", createdAt: "2026-11-10T10:00:00Z")
        order.merchant = "HomeDeco"
        return order
    }

    @Test func explicitReferenceWins() {
        let entities = EntitySummary(merchants: ["HomeDeco"])
        #expect(OrderMatcher.match(orderRef: "o1", entities: entities, orders: [shoes, lamp]) == .matched(orderId: "o1"))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(orderRefs: ["O-1"]), orders: [shoes, lamp])
            == .matched(orderId: "o1"))
        #expect(OrderMatcher.match(orderRef: "o9", entities: EntitySummary(), orders: [shoes, lamp]) == .none)
    }

    /// Issue 13: "my parcel from Lego, about 150" against a customer whose only order is from Boots.
    @Test func anOnlyOrderIsNotTakenAgainstTheTextsEvidence() {
        var boots = sampleOrder(id: "o1", total: "12.50")
        boots.merchant = "Boots"
        let noEvidence = EntitySummary()
        #expect(OrderMatcher.match(orderRef: nil, entities: noEvidence, orders: [boots]) == .matched(orderId: "o1"))
        let anotherShop = EntitySummary(otherMerchants: ["Lego"])
        #expect(OrderMatcher.match(orderRef: nil, entities: anotherShop, orders: [boots]) == .none)
        let anotherSum = EntitySummary(amounts: [Money("150.00", "EUR")])
        #expect(OrderMatcher.match(orderRef: nil, entities: anotherSum, orders: [boots]) == .none)
        let roughlyAnotherSum = EntitySummary(approximateAmounts: [Money("150", "")])
        #expect(OrderMatcher.match(orderRef: nil, entities: roughlyAnotherSum, orders: [boots]) == .none)
        let roughlyItsSum = EntitySummary(approximateAmounts: [Money("12", "")])
        #expect(OrderMatcher.match(orderRef: nil, entities: roughlyItsSum, orders: [boots]) == .matched(orderId: "o1"))
        let roughlyItsSumInAnotherCurrency = EntitySummary(approximateAmounts: [Money("12", "SEK")])
        #expect(OrderMatcher.match(orderRef: nil, entities: roughlyItsSumInAnotherCurrency, orders: [boots]) == .none)
        // Evidence that does point at the order still wins over a shop the text also names.
        let itsAmount = EntitySummary(amounts: [Money("12.50", "EUR")], otherMerchants: ["Lego"])
        #expect(OrderMatcher.match(orderRef: nil, entities: itsAmount, orders: [boots]) == .matched(orderId: "o1"))
        // With several orders and nothing pointing at one, it stays ambiguous.
        #expect(OrderMatcher.match(orderRef: nil, entities: anotherShop, orders: [boots, lamp])
            == .ambiguous(candidates: ["o1", "o2"]))
    }

    @Test func merchantAmountAndDateRank() {
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(merchants: ["homedeco"]), orders: [shoes, lamp])
            == .matched(orderId: "o2"))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(amounts: [Money("89.91", "EUR")]), orders: [shoes, lamp])
            == .matched(orderId: "o1"))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(amounts: [Money("89.92", "EUR")]), orders: [shoes, lamp])
            == .ambiguous(candidates: ["o1", "o2"]))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(dates: [day("2026-11-13")]), orders: [shoes, lamp])
            == .matched(orderId: "o2"))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(dates: [day("2026-11-14")]), orders: [shoes, lamp])
            == .ambiguous(candidates: ["o1", "o2"]))
    }

    @Test func tiesAreAmbiguous() {
        var sameShop = lamp
        sameShop.merchant = "Nordic Shoes"
        let result = OrderMatcher.match(orderRef: nil, entities: EntitySummary(merchants: ["Nordic Shoes"]),
                                        orders: [shoes, sameShop])
        #expect(result == .ambiguous(candidates: ["o1", "o2"]))
        // One more matching criterion puts an order clearly ahead.
        let ahead = OrderMatcher.match(orderRef: nil,
                                       entities: EntitySummary(amounts: [Money("75.00", "EUR")], merchants: ["Nordic Shoes"]),
                                       orders: [shoes, sameShop])
        #expect(ahead == .matched(orderId: "o2"))
    }

    @Test func onlyOrderAndNoOrders() {
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(), orders: [shoes]) == .matched(orderId: "o1"))
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(merchants: ["Zalando"]), orders: [shoes]) == .none)
        #expect(OrderMatcher.match(orderRef: nil, entities: EntitySummary(), orders: []) == .none)
    }

    /// Names and references are compared lowercased, letters and numbers only; ASCII takes a byte path that must give
    /// what the character path gives.
    @Test func normalisingAndContainmentAgreeWithTheCharacterPath() {
        let samples = ["Nordic Shoes AB", "H&M", "ORD-2026-0042", "#A1b2", "home_deco.com", " \t\r\n", "", "Zalando SE",
                       "Zalándo", "Müller GmbH", "e\u{301}toile", "étoile", "ÅÄÖ-123", "nordicshoes", "shoes", "x\u{0}y", "~^`"]
        for text in samples {
            #expect(OrderMatcher.normalized(text) == text.lowercased().filter { $0.isLetter || $0.isNumber }, "\(text)")
        }
        for a in samples.map(OrderMatcher.normalized) {
            for b in samples.map(OrderMatcher.normalized) where !b.isEmpty {
                #expect(OrderMatcher.contains(a, b) == a.contains(b), "\(a) ⊇ \(b)")
            }
        }
        #expect(OrderMatcher.contains("nordicshoesab", "shoes"))
        #expect(!OrderMatcher.contains("shoes", "nordicshoes"))
    }
}
