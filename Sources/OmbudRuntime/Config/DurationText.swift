/// Durations as options write them: a whole number and a unit ("30s", "7d"). `units` go from the smallest, each
/// with its size in the caller's base unit (milliseconds for `Timeout`, seconds for `ReceiptRetention`).
enum DurationText {
    typealias Unit = (suffix: String, size: Int)

    /// The amount in base units, or nil unless `text` is a count above 0 with one of `units`, at most `maximum` in all.
    static func parse(_ text: String, units: [Unit], maximum: Int = Int.max) -> Int? {
        // Longest suffixes first, so "500ms" is milliseconds and not a malformed minute.
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where text.hasSuffix(unit.suffix) {
            guard let count = Int(text.dropLast(unit.suffix.count)) else { continue }
            return count > 0 && count <= maximum / unit.size ? count * unit.size : nil
        }
        return nil
    }

    /// `amount` in the largest unit that divides it ("90m", not "5400s"); the smallest unit otherwise.
    static func format(_ amount: Int, units: [Unit]) -> String {
        let unit = units.last { amount % $0.size == 0 } ?? units[0]
        return "\(amount / unit.size)\(unit.suffix)"
    }
}
