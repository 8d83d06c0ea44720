import Foundation

/// POLICY.md "Matching": an explicit order reference wins; otherwise the customer's orders are
/// ranked by merchant, amount (± tolerance) and date (± 3 days), and the best is taken only when
/// it is clearly ahead, i.e. it meets strictly more of those criteria than any other order. A customer's only
/// order is taken without evidence, but not against it: when the text's merchant, amount or date point at no
/// order (another shop, another sum), there is no clear match and the customer is asked.
public enum OrderMatcher {
    /// How far from an order's amount a sum the customer gives as approximate ("about 150") may be: a tenth of it.
    public static let approximateTolerance: Decimal = Decimal(string: "0.10")!

    public static func match(orderRef: String?, entities: EntitySummary, orders: [Order],
                             config: PolicyConfig = PolicyConfig(), dateToleranceDays: Int = 3) -> OrderMatch {
        let references = ([orderRef].compactMap { $0 } + entities.orderRefs)
            .map(normalized).filter { !$0.isEmpty }
        if !references.isEmpty {
            // A reference that is not one of this customer's orders is not guessed around: ask.
            let found = orders.filter { references.contains(normalized($0.id)) }
            if found.count == 1 { return .matched(orderId: found[0].id) }
            return found.isEmpty ? .none : .ambiguous(candidates: found.map(\.id))
        }
        guard !orders.isEmpty else { return .none }
        if entities.isEmpty {
            return orders.count == 1 ? .matched(orderId: orders[0].id) : .ambiguous(candidates: orders.map(\.id))
        }
        let scored = orders.map { ($0, score($0, entities, config: config, dateToleranceDays: dateToleranceDays)) }
            .sorted { $0.1 > $1.1 }
        let best = scored[0].1
        if best == 0 {
            return orders.count == 1 ? .none : .ambiguous(candidates: orders.map(\.id))
        }
        let leaders = scored.filter { $0.1 == best }.map(\.0.id)
        return leaders.count == 1 ? .matched(orderId: leaders[0]) : .ambiguous(candidates: leaders)
    }

    /// How many of merchant, amount and date point at this order (0–3).
    static func score(_ order: Order, _ entities: EntitySummary, config: PolicyConfig,
                      dateToleranceDays: Int) -> Int {
        criteria(order, entities, config: config, dateToleranceDays: dateToleranceDays).count
    }

    /// Which of `merchant`, `amount` and `date` point at this order: the reasons lookup records.
    public static func criteria(_ order: Order, _ entities: EntitySummary, config: PolicyConfig = PolicyConfig(),
                                dateToleranceDays: Int = 3) -> [String] {
        let merchant = normalized(order.merchant)
        let merchantMatches = entities.merchants.map(normalized).contains {
            !$0.isEmpty && (contains(merchant, $0) || contains($0, merchant))
        }
        let orderAmounts = [order.total] + order.captures.map(\.amount) + order.installments.map(\.amount)
        func inOrderCurrency(_ money: Money) -> Bool {
            money.currency.isEmpty || money.currency.uppercased() == order.currency.uppercased()
        }
        let amountMatches = entities.amounts.contains { money in
            inOrderCurrency(money) && orderAmounts.contains { $0.isClose(to: money.amount, tolerance: config.amountTolerance) }
        } || entities.approximateAmounts.contains { money in
            inOrderCurrency(money) && orderAmounts.contains {
                $0.isClose(to: money.amount, tolerance: Amount(($0.value * approximateTolerance).magnitude))
            }
        }
        let created = Day(order.createdAt).daysSinceEpoch
        let dateMatches = entities.dates.contains { abs($0.daysSinceEpoch - created) <= dateToleranceDays }
        return zip(["merchant", "amount", "date"], [merchantMatches, amountMatches, dateMatches])
            .filter { $0.1 }.map { $0.0 }
    }

    /// Lowercased letters and numbers. An ASCII text is read from its bytes (the same result: its letters and
    /// numbers are A–Z, a–z, 0–9); `lowercased()` and `Character` properties were much of lookup's own time.
    static func normalized(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                if byte >= 0x41 && byte <= 0x5A { bytes.append(byte | 0x20) } else if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    bytes.append(byte)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return text.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    /// Substring test: bytes for ASCII (where bytes and characters agree), characters otherwise (and for an empty part).
    static func contains(_ text: String, _ part: String) -> Bool {
        if !part.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }), part.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.firstRange(of: part.utf8) != nil
        }
        return text.contains(part)
    }
}
