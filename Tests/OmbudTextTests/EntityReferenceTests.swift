import Foundation
import Testing
@testable import OmbudText

@Suite struct EntityReferenceTests {
    let received = ISO8601DateFormatter().date(from: "2026-11-03T08:00:00Z")!

    func extract(_ text: String) -> ExtractedEntities {
        EntityExtractor.extract(from: text, receivedAt: received)
    }

    @Test(arguments: [
        ("my order 12345678 never came", "12345678"),
        ("order number: 55512345", "55512345"),
        ("Order #A-99812", "A-99812"),
        ("see #A-99812", "A-99812"),
        ("Bestellnummer 4711-22", "4711-22"),
        ("Bestellung Nr. 4711-22", "4711-22"),
        ("ordernummer 998877", "998877"),
        ("beställning 123456", "123456"),
        ("ordrenummer: NO-55443", "NO-55443"),
        ("commande n° 778899", "778899"),
    ])
    func orderRefs(text: String, expected: String) {
        #expect(extract(text).orderRefs == [expected], "\(text): \(extract(text).orderRefs)")
    }

    @Test(arguments: [
        "I ordered 2 pairs",
        "order for 3 items",
        "my order from Nordic Shoes",
        "I paid €89.90 for the order",
    ])
    func notOrderRefs(text: String) {
        #expect(extract(text).orderRefs.isEmpty, "\(text): \(extract(text).orderRefs)")
    }

    @Test(arguments: [
        ("tracking 1Z999AA10123456784", "1Z999AA10123456784"),
        ("UPS: 1Z 999 AA1 01 2345 6784", "1Z999AA10123456784"),
        ("PostNord RR123456789SE", "RR123456789SE"),
        ("kolli-id 00370730253234567890", "00370730253234567890"),
        ("Sendungsnummer JJD000390007827431", "JJD000390007827431"),
        ("tracking number 1234567890", "1234567890"),
        ("spårningsnummer: 84167309225", "84167309225"),
    ])
    func trackingNumbers(text: String, expected: String) {
        let e = extract(text)
        #expect(e.trackingNumbers == [expected], "\(text): \(e.trackingNumbers)")
        #expect(e.orderRefs.isEmpty)
    }

    @Test func plainLongNumberIsNoTrackingWithoutContext() {
        #expect(extract("my customer number is 1234567890").trackingNumbers.isEmpty)
    }

    @Test func everythingTogether() {
        let text = "Hi, I was charged twice for my shoes from Nordic Shoes, 89.90 each time. Order 12345678, parcel RR123456789SE, paid yesterday."
        let e = extract(text)
        #expect(e.orderRefs == ["12345678"])
        #expect(e.trackingNumbers == ["RR123456789SE"])
        #expect(e.amounts.map(\.amount) == [Decimal(string: "89.90")!])
        #expect(e.dates.map(\.day.description) == ["2026-11-02"])
        #expect(e.merchantCandidates.contains("Nordic Shoes"))
    }

    /// Intake reads only the references; they must be exactly what the full extraction reports.
    @Test func orderReferencesAloneAgreeWithTheFullExtraction() {
        let texts = [
            "Order #A1B2C3 from Nordic Shoes, tracking PN123456789SE, charged 89.90 EUR on 3 November",
            "Bestellung 40012345 ist nicht angekommen, Sendungsnummer JJD000390007123456789",
            "Jag har inget ordernummer", "order o2 and order o3, tracking 1Z999AA10123456784",
        ]
        for text in texts {
            let full = EntityExtractor.extract(from: text, receivedAt: Date(timeIntervalSince1970: 1_790_000_000)).orderRefs
            #expect(EntityExtractor.orderReferences(in: text) == full, "\(text)")
        }
    }
}
