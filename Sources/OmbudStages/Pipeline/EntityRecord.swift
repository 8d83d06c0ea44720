import Foundation
import OmbudCore
import OmbudText

/// The entities classify found, as stored in `classifications.entities` and read by lookup: amounts as decimal
/// strings with their currency, dates as calendar days, references and names as written.
struct EntityRecord: Codable, Sendable, Equatable {
    struct MoneyMention: Codable, Sendable, Equatable {
        var amount: Amount
        var currency: String?
        var text: String
    }

    var amounts: [MoneyMention] = []
    var dates: [Day] = []
    var orderRefs: [String] = []
    var trackingNumbers: [String] = []
    var merchants: [String] = []

    enum CodingKeys: String, CodingKey {
        case amounts, dates, merchants
        case orderRefs = "order_refs"
        case trackingNumbers = "tracking_numbers"
    }

    init(amounts: [MoneyMention] = [], dates: [Day] = [], orderRefs: [String] = [], trackingNumbers: [String] = [],
         merchants: [String] = []) {
        self.amounts = amounts
        self.dates = dates
        self.orderRefs = orderRefs
        self.trackingNumbers = trackingNumbers
        self.merchants = merchants
    }

    init(_ extracted: ExtractedEntities) {
        amounts = extracted.amounts.map { MoneyMention(amount: Amount($0.amount), currency: $0.currency, text: $0.text) }
        dates = extracted.dates.compactMap { Day(year: $0.day.year, month: $0.day.month, day: $0.day.day) }
        orderRefs = extracted.orderRefs
        trackingNumbers = extracted.trackingNumbers
        merchants = extracted.merchantCandidates
    }

    /// What the policy's order matcher ranks with; `merchants` replaces the text's merchant candidates with the ones
    /// lookup recognised among the customer's own merchants.
    func summary(merchants recognised: [String]? = nil, otherMerchants: [String] = [],
                 approximateAmounts: [Money] = []) -> EntitySummary {
        EntitySummary(amounts: amounts.map { Money($0.amount, $0.currency ?? "") }, orderRefs: orderRefs,
                      merchants: recognised ?? merchants, trackingNumbers: trackingNumbers, dates: dates,
                      otherMerchants: otherMerchants, approximateAmounts: approximateAmounts)
    }
}
