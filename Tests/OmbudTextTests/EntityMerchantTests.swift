import Foundation
import Testing
@testable import OmbudText

@Suite struct EntityMerchantTests {
    let merchants = ["Nordic Shoes", "Zalando SE", "H&M", "Café Åkerblom AB", "Elgiganten", "Apple"]

    @Test(arguments: [
        ("I bought shoes from Nordic Shoes", "Nordic Shoes"),
        ("my order at nordic shoes is late", "Nordic Shoes"),
        ("nordicshoes.com charged me twice", "Nordic Shoes"),
        ("Nordik Shoes never delivered", "Nordic Shoes"),          // typo
        ("bestellt bei Zalando", "Zalando SE"),
        ("zalado order", "Zalando SE"),                            // typo
        ("köpte en jacka på H&M", "H&M"),
        ("kvitto från cafe akerblom", "Café Åkerblom AB"),         // diacritics
        ("ELGIGANTEN TV", "Elgiganten"),
    ])
    func matches(text: String, expected: String) throws {
        let m = try #require(MerchantMatcher.bestMatch(text: text, merchants: merchants), "\(text)")
        #expect(m.name == expected)
        #expect(m.score >= 0.8 && m.score <= 1)
    }

    @Test(arguments: [
        "I want a refund",
        "the shoes are nice",
        "I love apples",            // not Apple: short names need an exact token
        "Zara order",
    ])
    func noMatch(text: String) {
        #expect(MerchantMatcher.bestMatch(text: text, merchants: merchants) == nil, "\(text)")
    }

    @Test func exactBeatsFuzzy() throws {
        let m = try #require(MerchantMatcher.bestMatch(text: "order from Shoe Nordic and Nordic Shoes", merchants: ["Nordic Shoe", "Nordic Shoes"]))
        #expect(m.name == "Nordic Shoes")
        #expect(m.score == 1)
    }

    @Test(arguments: [
        ("I bought a jacket from Nordic Outdoor last week", "Nordic Outdoor"),
        ("Ich habe bei MediaMarkt bestellt", "MediaMarkt"),
        ("Jag handlade hos Elgiganten", "Elgiganten"),
        ("ordered on zalando.se", "zalando.se"),
    ])
    func candidates(text: String, expected: String) {
        let c = EntityExtractor.extract(from: text, receivedAt: Date(timeIntervalSince1970: 0)).merchantCandidates
        #expect(c.contains(expected), "\(text): \(c)")
    }

    @Test func noCandidatesFromGreetingsAndMonths() {
        let c = EntityExtractor.extract(from: "Hi, I paid on 3 November. Thanks", receivedAt: Date(timeIntervalSince1970: 0)).merchantCandidates
        #expect(c.isEmpty, "\(c)")
    }

    /// Issue 13: shops the text says something came from that are none of the customer's merchants.
    @Test func otherShopsAreNamedShopsThatAreNotTheCustomers() {
        #expect(MerchantMatcher.otherShops(text: "Where is my parcel from Lego, about 150?", merchants: ["Boots"]) == ["Lego"])
        #expect(MerchantMatcher.otherShops(text: "Ich habe bei Zalando bestellt", merchants: ["Boots"]) == ["Zalando"])
        // The customer's own merchant, also as part of its name or with a typo, is not another shop.
        #expect(MerchantMatcher.otherShops(text: "my parcel from Lego", merchants: ["LEGO Shop"]).isEmpty)
        #expect(MerchantMatcher.otherShops(text: "I ordered from Nordic Shoe", merchants: ["Nordic Shoes"]).isEmpty)
        #expect(MerchantMatcher.otherShops(text: "my shoes from Nordic", merchants: ["Nordic Shoes"]).isEmpty)
        // Carriers, payment methods, days and lower-case words are not shops.
        #expect(MerchantMatcher.otherShops(text: "a parcel from DHL, paid with PayPal, from Monday on", merchants: ["Boots"]).isEmpty)
        #expect(MerchantMatcher.otherShops(text: "it came from my neighbour at least", merchants: ["Boots"]).isEmpty)
    }

    /// Issue 13: sums given as approximate, for matching; a number followed by another word is not a sum.
    @Test func approximateAmountsAreRoughSumsOnly() {
        func found(_ text: String, _ language: String? = "en") -> [String] {
            EntityExtractor.approximateAmounts(in: text, language: language).map { "\($0.amount) \($0.currency ?? "-")" }
        }
        #expect(found("my parcel from Lego, about 150, never arrived") == ["150 -"])
        #expect(found("it cost around €89.90") == ["89.9 EUR"])
        #expect(found("ungefär 1 200 kr", "sv") == ["1200 SEK"])
        #expect(found("About 40 pounds.") == ["40 GBP"])
        #expect(found("ca. 300:-", "sv") == ["300 SEK"])
        #expect(found("I ordered about 3 weeks ago, around 2 items") == [])
        #expect(found("it cost 150 and arrived about 12:30") == [])
        #expect(found("no amounts here") == [])
    }
}
