import Foundation

/// Rule-based entity extraction for tickets: amounts, dates, order references,
/// tracking numbers and merchant candidates. Deterministic; no I/O.
public enum EntityExtractor {
    /// - Parameters:
    ///   - receivedAt: the ticket's `received_at`; relative dates ("yesterday") resolve against its UTC day.
    ///   - language: ISO 639-1 if known; decides "kr" (SEK/NOK/DKK).
    public static func extract(from text: String, receivedAt: Date, language: String? = nil) -> ExtractedEntities {
        var result = ExtractedEntities()
        result.dates = DateRules.extract(from: text, today: CalendarDay(receivedAt))
        let gate = TextGate(text)
        result.trackingMentions = ReferenceRules.trackingNumbers(in: text, gate: gate)
        result.orderRefMentions = ReferenceRules.orderRefs(in: text, excluding: result.trackingMentions.map(\.utf16Range), gate: gate)
        // Amounts must not re-read a date ("03.11") or a reference as money.
        let taken = result.dates.map(\.utf16Range) + result.trackingMentions.map(\.utf16Range) + result.orderRefMentions.map(\.utf16Range)
        result.amounts = AmountRules.extract(from: text, language: language)
            .filter { a in !taken.contains { $0.overlaps(a.utf16Range) } }
        result.merchantMentions = MerchantRules.candidates(in: text, gate: gate)
        return result
    }

    /// Sums the customer gives as approximate ("about 150", "around €150"): not amounts to act on, but evidence for or
    /// against an order when matching (lookup).
    public static func approximateAmounts(in text: String, language: String? = nil) -> [(amount: Decimal, currency: String?)] {
        AmountRules.approximateAmounts(in: text, language: language)
    }

    /// Only the order references (what `extract` reports as `orderRefs`), without the other rules' cost: what
    /// intake needs to thread a follow-up onto its case.
    public static func orderReferences(in text: String) -> [String] {
        let gate = TextGate(text)
        return ReferenceRules.orderRefs(in: text, excluding: ReferenceRules.trackingNumbers(in: text, gate: gate).map(\.utf16Range),
                                        gate: gate).map(\.value)
    }
}
