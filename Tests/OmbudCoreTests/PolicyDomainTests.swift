import Foundation
import Testing
@testable import OmbudCore

@Suite struct PolicyDomainTests {
    @Test(arguments: [("89.90", "89.9"), ("0.01", "0.01"), ("-12.5", "-12.5"), ("500", "500"),
                      ("12345678901234567890.12", "12345678901234567890.12")])
    func amountsParseExactly(text: String, expected: String) throws {
        let amount = try #require(Amount(parsing: text))
        #expect(amount.value == Decimal(string: expected, locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test(arguments: ["", "1.", ".5", "1,5", "1e3", " 1.0", "abc", "1.2.3", "--1"])
    func malformedAmountsAreRejected(text: String) {
        #expect(Amount(parsing: text) == nil)
    }

    @Test func decimalSumsHaveNoBinaryRoundingError() {
        let sum: Amount = Amount(parsing: "0.1")! + Amount(parsing: "0.2")!
        #expect(sum == "0.3")
        #expect(("29.97" as Amount) + "29.97" + "29.96" == "89.90")
    }

    @Test func amountsDecodeFromJSONStringsOnly() throws {
        let decoded = try JSONDecoder().decode([Amount].self, from: Data(#"["89.90","0.07"]"#.utf8))
        #expect(decoded == ["89.90", "0.07"])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Amount].self, from: Data("[89.90]".utf8))
        }
    }

    @Test func moneyFormatsWithTheCurrencyScale() {
        #expect(Money("89.9", "EUR").description == "89.90 EUR")
        #expect(Money("1200", "SEK").description == "1200.00 SEK")
        #expect(Money("1500", "JPY").description == "1500 JPY")
        #expect(Money("1.2345", "KWD").description == "1.235 KWD")
        #expect(Money("0.005", "EUR").description == "0.01 EUR")
        #expect(Money("-3.5", "EUR").description == "-3.50 EUR")
    }

    @Test func amountTolerance() {
        let a: Amount = "29.97"
        #expect(a.isClose(to: "29.96", tolerance: "0.01"))
        #expect(a.isClose(to: "29.98", tolerance: "0.01"))
        #expect(!a.isClose(to: "29.95", tolerance: "0.01"))
    }

    @Test func timestampsParse() throws {
        let a = try #require(Timestamp(parsing: "2026-11-01T10:00:05Z"))
        let b = try #require(Timestamp(parsing: "2026-11-01T12:00:05+02:00"))
        let c = try #require(Timestamp(parsing: "2026-11-01T10:00:05.250Z"))
        #expect(a == b)
        #expect(a.seconds(until: c) == 0.25)
        #expect(a.description == "2026-11-01T10:00:05Z")
        #expect(Timestamp(parsing: "2026-11-01 10:00:05Z") == nil)
        #expect(Timestamp(parsing: "2026-11-01T10:00:05") == nil)
        #expect(Timestamp(parsing: "2026-02-30T10:00:05Z") == nil)
    }

    @Test func daysParseAndKnowTheirWeekday() throws {
        let d = try #require(Day(parsing: "2026-11-21"))
        #expect(d.weekday == 6)  // a Saturday
        #expect(d.isWeekend)
        #expect(d.adding(days: 2).description == "2026-11-23")
        #expect(Day(parsing: "2028-02-29") != nil)
        #expect(Day(parsing: "2026-02-29") == nil)
        #expect(Day(parsing: "2026-1-01") == nil)
        #expect(Day(ts("2026-11-21T23:59:59Z")) == d)
    }

    @Test func intentsMatchPolicyNames() {
        #expect(Intent.allCases.count == 14)
        #expect(Intent(rawValue: "faulty_or_not_as_described") == .faultyOrNotAsDescribed)
        #expect(Intent.alreadyPaid.needsOrder == false)
        #expect(Intent.subscriptionCancelled.needsOrder)
        #expect(Intent.unauthorizedPurchase.team == .fraud)
        #expect(Intent.financialDifficulty.team == .care)
        #expect(Intent.paymentDeclined.team == .general)
        #expect(Intent.incorrectAmount.team == .disputes)
    }

    @Test func ledgerDecodesTheScenarioFormat() throws {
        let json = """
        {"customer": {"id": "c1", "locale": "sv-SE", "status": "under_investigation"},
         "orders": [{"id": "o1", "merchant": "M", "total": "10.00", "currency": "EUR",
                     "created_at": "2026-11-01T10:00:00Z", "subscription": null,
                     "captures": [{"id": "k1", "amount": "10.00", "at": "2026-11-01T10:00:05Z"}],
                     "plan": {"kind": "pay_in_3", "installments": [
                        {"n": 1, "amount": "3.34", "due": "2026-11-01", "status": "paused", "paused_until": "2026-12-01"},
                        {"n": 2, "amount": "3.33", "due": "2026-12-01", "status": "pending", "extended": true}]},
                     "returns": [{"registered_at": "2026-11-02T10:00:00Z", "status": "in_transit"}],
                     "fees": [{"id": "f1", "kind": "late", "amount": "5.00", "at": "2026-11-03T00:00:00Z"}]}],
         "payments": [{"id": "p1", "amount": "3.34", "reference": "x", "status": "unmatched", "at": "2026-11-02T00:00:00Z"}]}
        """
        let ledger = try JSONDecoder().decode(LedgerFacts.self, from: Data(json.utf8))
        #expect(ledger.customer.status == .underInvestigation)
        #expect(ledger.customer.market == "SE")
        let order = try #require(ledger.orders.first)
        #expect(order.shipments.isEmpty && order.refunds.isEmpty)
        #expect(order.installments[0].pausedUntil == day("2026-12-01"))
        #expect(order.installments[1].extended)
        #expect(order.fees[0].waived == false)
        #expect(ledger.payments[0].amount == "3.34")
        // Round trip keeps the exact strings.
        let again = try JSONDecoder().decode(LedgerFacts.self, from: JSONEncoder().encode(ledger))
        #expect(again == ledger)
    }
}
