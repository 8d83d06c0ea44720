import Foundation
import Testing
@testable import OmbudText

@Test func bundledIntentModelLoadsQuickly() throws {
    let start = ContinuousClock.now
    let classifier = try IntentClassifier.bundled()
    #expect(ContinuousClock.now - start < .seconds(2))  // well under a second in release
    #expect(Set(classifier.labels) == Set(IntentClassifier.policyIntents))
    #expect(classifier.modelVersion.hasPrefix("intents-"))
}

@Test(arguments: [
    ("I was charged twice for my shoes from Nordic Shoes, 89.90 each time.", "duplicate_charge"),
    ("My order never arrived and I still have to pay.", "item_not_received"),
    ("There is a purchase on my account that I did not make.", "unauthorized_purchase"),
    ("Can I postpone my next payment by two weeks?", "payment_change"),
    ("I lost my job and I can't pay my instalments.", "financial_difficulty"),
    ("Ich wurde für meine Bestellung doppelt belastet.", "duplicate_charge"),
    ("Mein Paket ist nie angekommen.", "item_not_received"),
    ("Ich habe die Ware zurückgeschickt, muss aber trotzdem zahlen.", "return_not_refunded"),
    ("Warum muss ich eine Mahngebühr bezahlen? Ich habe pünktlich gezahlt.", "fee_dispute"),
    ("Jag har blivit debiterad två gånger för samma köp.", "duplicate_charge"),
    ("Mitt paket har aldrig kommit.", "item_not_received"),
    ("Jag har redan betalat fakturan men den står som obetald.", "already_paid"),
    ("Jag sa upp min prenumeration men blev debiterad igen.", "subscription_cancelled"),
])
func bundledIntentModelClassifiesSamples(text: String, intent: String) throws {
    let c = try IntentClassifier.bundled().classify(text)
    #expect(c.label == intent, "\(text) → \(c.label) (\(c.confidence))")
}
