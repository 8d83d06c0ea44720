import Foundation
import Testing
@testable import OmbudText

@Suite struct EntityAmountTests {
    let received = ISO8601DateFormatter().date(from: "2026-11-03T08:00:00Z")!

    @Test(arguments: [
        ("€89.90", "89.90", "EUR"),
        ("89,90 EUR", "89.90", "EUR"),
        ("1 234,50 kr", "1234.50", "SEK"),
        ("$1,234.50", "1234.50", "USD"),
        ("89.90€", "89.90", "EUR"),
        ("SEK 1.234,50", "1234.50", "SEK"),
        ("12 euro", "12", "EUR"),
        ("12 euros", "12", "EUR"),
        ("EUR 1.234", "1234", "EUR"),
        ("£5", "5", "GBP"),
        ("199:-", "199", "SEK"),
        ("1.499,00 €", "1499", "EUR"),
        ("250 zł", "250", "PLN"),
        ("CHF 12.5", "12.5", "CHF"),
        ("1\u{00A0}234,50\u{00A0}kr", "1234.50", "SEK"),
    ])
    func formsCustomersWrite(text: String, amount: String, currency: String) throws {
        let e = EntityExtractor.extract(from: "I paid \(text) for it", receivedAt: received, language: "en")
        try #require(e.amounts.count == 1, "\(e.amounts)")
        #expect(e.amounts[0].amount == Decimal(string: amount)!)
        #expect(e.amounts[0].currency == currency)
        #expect(e.amounts[0].text == text)
    }

    @Test func amountsAreExactDecimals() {
        let e = EntityExtractor.extract(from: "0,10 € + 0,20 €", receivedAt: received)
        #expect(e.amounts.map(\.amount).reduce(0, +) == Decimal(string: "0.30")!)
    }

    @Test func kronaFollowsTheLanguage() {
        #expect(EntityExtractor.extract(from: "499 kr", receivedAt: received, language: "sv").amounts.first?.currency == "SEK")
        #expect(EntityExtractor.extract(from: "499 kr", receivedAt: received, language: "nb").amounts.first?.currency == "NOK")
        #expect(EntityExtractor.extract(from: "499 kr", receivedAt: received, language: "da").amounts.first?.currency == "DKK")
    }

    @Test func bareDecimalHasNoCurrency() {
        let e = EntityExtractor.extract(from: "charged twice, 89.90 each time", receivedAt: received)
        #expect(e.amounts.count == 1)
        #expect(e.amounts.first?.amount == Decimal(string: "89.90")!)
        #expect(e.amounts.first?.currency == nil)
    }

    @Test func rangeMapsBackToTheText() throws {
        let text = "Hej! Jag betalade 1 234,50 kr igår."
        let amount = try #require(EntityExtractor.extract(from: text, receivedAt: received, language: "sv").amounts.first)
        let range = try #require(amount.range(in: text))
        #expect(String(text[range]) == "1 234,50 kr")
    }

    @Test(arguments: [
        "order 12345678 arrived broken",
        "on 03.11.2026 I ordered",
        "3 items, 2 returned",
        "call +46 70 123 45 67",
        "tracking 1Z999AA10123456784",
    ])
    func notAmounts(text: String) {
        #expect(EntityExtractor.extract(from: text, receivedAt: received).amounts.isEmpty, "\(text)")
    }

    @Test func encodesAmountAsString() throws {
        let a = MoneyAmount(amount: Decimal(string: "89.90")!, currency: "EUR", text: "€89.90", utf16Range: 0..<6)
        let json = String(decoding: try JSONEncoder().encode(a), as: UTF8.self)
        #expect(json.contains("\"amount\":\"89.9\""))
        #expect(try JSONDecoder().decode(MoneyAmount.self, from: Data(json.utf8)) == a)
    }
}
