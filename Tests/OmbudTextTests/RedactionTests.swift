import Testing
@testable import OmbudText

@Suite struct RedactionTests {
    @Test(arguments: [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5555 5555 5555 4444",
        "3782 822463 10005",          // Amex 15 digits, 4-6-5 grouping
        "6011 0009 9013 9424",
    ])
    func cardNumbersAreMasked(pan: String) {
        let r = Redactor.redact("my card is \(pan), please check")
        let digits = pan.filter(\.isNumber)
        #expect(r.text == "my card is [card ****\(digits.suffix(4))], please check")
        #expect(r.findings == [RedactionFinding(kind: .cardNumber, count: 1)])
    }

    @Test func panFollowedByCvvIsSplit() {
        let r = Redactor.redact("4111 1111 1111 1111 123")
        #expect(r.text.hasPrefix("[card ****1111]"))
        #expect(!r.text.contains("4111"))
    }

    @Test(arguments: [
        ("CVV 123", "CVV [cvv]"),
        ("cvc: 4567", "cvc: [cvv]"),
        ("the security code is 321", "the security code is [cvv]"),
        ("Prüfnummer 987", "Prüfnummer [cvv]"),
        ("säkerhetskod: 555", "säkerhetskod: [cvv]"),
        ("123 is my CVV", "[cvv] is my CVV"),
    ])
    func cvvNextToCardWords(input: String, expected: String) {
        let r = Redactor.redact(input)
        #expect(r.text == expected)
        #expect(r.findings == [RedactionFinding(kind: .cvv, count: 1)])
    }

    @Test(arguments: [
        ("DE89 3704 0044 0532 0130 00", "[iban DE ****3000]"),
        ("DE89370400440532013000", "[iban DE ****3000]"),
        ("SE45 5000 0000 0583 9825 7466", "[iban SE ****7466]"),
        ("GB82 WEST 1234 5698 7654 32", "[iban GB ****5432]"),
        ("NO93 8601 1117 947", "[iban NO ****7947]"),
        ("fi2112345600000785", "[iban FI ****0785]"),
    ])
    func ibansAreMasked(iban: String, mask: String) {
        let r = Redactor.redact("IBAN: \(iban) thanks")
        #expect(r.text == "IBAN: \(mask) thanks")
        #expect(r.findings == [RedactionFinding(kind: .iban, count: 1)])
    }

    @Test func ibanDoesNotSwallowFollowingWords() {
        let r = Redactor.redact("pay to DE89 3704 0044 0532 0130 00 AND 12 more")
        #expect(r.text == "pay to [iban DE ****3000] AND 12 more")
    }

    @Test(arguments: [
        "order 4111 1111 1111 1112",           // fails Luhn
        "Bestellnummer 1234567890123456",      // fails Luhn
        "call me on +46 70 123 45 67",         // phone
        "+49 151 23456789",                     // phone
        "I paid 1 234,50 kr on 2026-11-03",     // amount and date
        "89.90 EUR on 03.11.2026",
        "tracking 00370730253234567890",        // SSCC starts with 0, not a card
        "1Z999AA10123456784",                   // UPS
        "IBAN DE89 3704 0044 0532 0130 01",     // bad checksum
        "SE45 5000 0000 0583 9825 7467",        // bad checksum
        "my code is 123 for the door",          // no card word
        "order #A-99812 and 4711-22",
    ])
    func trickyNegativesStayUntouched(text: String) {
        let r = Redactor.redact(text)
        #expect(r.text == text)
        #expect(r.findings.isEmpty)
    }

    @Test func severalFindingsAreCountedNeverEchoed() {
        let r = Redactor.redact("card 4111111111111111 cvv 123, also 5555555555554444; IBAN SE4550000000058398257466")
        #expect(r.findings.contains(RedactionFinding(kind: .cardNumber, count: 2)))
        #expect(r.findings.contains(RedactionFinding(kind: .cvv, count: 1)))
        #expect(r.findings.contains(RedactionFinding(kind: .iban, count: 1)))
        #expect(!r.text.contains("411111"))
        #expect(!r.text.contains("555555"))
        #expect(!r.text.contains("5839"))
    }

    @Test func luhnAndMod97() {
        #expect(Redactor.luhnValid("79927398713"))
        #expect(!Redactor.luhnValid("79927398710"))
        #expect(Redactor.ibanChecksumValid("GB82WEST12345698765432"))
        #expect(!Redactor.ibanChecksumValid("GB82WEST12345698765433"))
    }
}
