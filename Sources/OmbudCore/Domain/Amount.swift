import Foundation

/// An exact decimal amount, written in JSON as a string ("89.90") so it never passes
/// through a binary floating-point value.
public struct Amount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral
{
    public let value: Decimal

    public init(_ value: Decimal) { self.value = value }

    /// Parses `[+-]digits[.digits]` exactly; anything else (exponents, spaces, commas) is rejected.
    public init?(parsing text: String) {
        guard let value = Amount.parseDecimal(text) else { return nil }
        self.value = value
    }

    public init(stringLiteral text: String) {
        guard let value = Amount.parseDecimal(text) else {
            preconditionFailure("invalid decimal literal \(text)")
        }
        self.value = value
    }

    public init(integerLiteral value: Int) { self.value = Decimal(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Amount.parseDecimal(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a decimal amount string: \(text)")
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String { value.description }

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.value < rhs.value }
    public static func + (lhs: Amount, rhs: Amount) -> Amount { Amount(lhs.value + rhs.value) }
    public static func - (lhs: Amount, rhs: Amount) -> Amount { Amount(lhs.value - rhs.value) }
    public static let zero = Amount(Decimal(0))

    /// Equal within a tolerance (the policy's ± 0.01 comparisons).
    public func isClose(to other: Amount, tolerance: Amount) -> Bool {
        abs((self - other).value) <= tolerance.value
    }

    /// The value rounded half-up (away from zero) to `scale` fraction digits, rendered with exactly
    /// that many digits: `89.9` at scale 2 is "89.90".
    public func formatted(scale: Int) -> String {
        var scaled = value
        for _ in 0..<max(scale, 0) { scaled *= 10 }
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let negative = rounded < 0
        var digits = (negative ? -rounded : rounded).description
        guard scale > 0 else { return (negative ? "-" : "") + digits }
        if digits.count <= scale {
            digits = String(repeating: "0", count: scale - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -scale)
        return (negative ? "-" : "") + digits[..<split] + "." + digits[split...]
    }

    static func parseDecimal(_ text: String) -> Decimal? {
        var chars = Substring(text)
        var negative = false
        if let first = chars.first, first == "+" || first == "-" {
            negative = first == "-"
            chars = chars.dropFirst()
        }
        let parts = chars.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let integerPart = parts.first, !integerPart.isEmpty
        else { return nil }
        let fractionPart = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && fractionPart.isEmpty { return nil }
        let allDigits = integerPart + fractionPart
        // Decimal holds 38 significant digits; refuse more rather than silently rounding.
        guard allDigits.allSatisfy({ $0.isASCII && $0.isNumber }), allDigits.count <= 38 else {
            return nil
        }
        var significand = Decimal(0)
        for digit in allDigits {
            significand = significand * 10 + Decimal(Int(digit.asciiValue! - 48))
        }
        let magnitude = Decimal(
            sign: .plus, exponent: -fractionPart.count, significand: significand)
        return negative ? -magnitude : magnitude
    }
}

/// An amount in a currency; printed with the currency's minor-unit scale ("89.90 EUR").
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    public var amount: Amount
    public var currency: String

    public init(_ amount: Amount, _ currency: String) {
        self.amount = amount
        self.currency = currency
    }

    public var description: String {
        "\(amount.formatted(scale: Money.scale(of: currency))) \(currency)"
    }

    /// ISO 4217 minor units for the currencies that differ from the usual two.
    public static func scale(of currency: String) -> Int {
        switch currency.uppercased() {
        case "JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "UGX", "PYG": return 0
        case "BHD", "KWD", "JOD", "OMR", "TND", "LYD", "IQD": return 3
        default: return 2
        }
    }
}
