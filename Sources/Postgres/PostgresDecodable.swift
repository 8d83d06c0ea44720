import Foundation

/// A Swift type that can be built from a non-NULL result value in text format.
/// NULL handling lives in `PostgresRow` (decode as an Optional to accept NULL).
public protocol PostgresDecodable {
    static func decode(text: String, type: PostgresTypeOID) throws -> Self
}

private func cannotDecode(_ text: String, _ type: PostgresTypeOID, as swiftType: Any.Type, _ reason: String = "") -> PostgresError {
    let shown = text.count > 60 ? text.prefix(60) + "…" : Substring(text)
    return .decoding("cannot decode \(type) value '\(shown)' as \(swiftType)\(reason.isEmpty ? "" : ": \(reason)")")
}

private func require(_ type: PostgresTypeOID, in accepted: Set<PostgresTypeOID>, text: String, as swiftType: Any.Type) throws {
    guard accepted.contains(type) else {
        throw cannotDecode(text, type, as: swiftType, "wrong column type")
    }
}

private let integerTypes: Set<PostgresTypeOID> = [.int2, .int4, .int8, .oid, .numeric]

/// Any column type, as the server's text.
extension String: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> String { text }
}

/// int2/int4/int8/oid, and numeric holding an integer (e.g. `sum(bigint)`).
extension Int64: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Int64 {
        try require(type, in: integerTypes, text: text, as: Int64.self)
        guard let value = Int64(text) else { throw cannotDecode(text, type, as: Int64.self, "not an integer in range") }
        return value
    }
}

extension Int: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Int {
        try require(type, in: integerTypes, text: text, as: Int.self)
        guard let value = Int(text) else { throw cannotDecode(text, type, as: Int.self, "not an integer in range") }
        return value
    }
}

extension Int32: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Int32 {
        try require(type, in: integerTypes, text: text, as: Int32.self)
        guard let value = Int32(text) else { throw cannotDecode(text, type, as: Int32.self, "not an integer in range") }
        return value
    }
}

extension Bool: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Bool {
        try require(type, in: [.bool], text: text, as: Bool.self)
        switch text {
        case "t": return true
        case "f": return false
        default: throw cannotDecode(text, type, as: Bool.self)
        }
    }
}

extension Double: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Double {
        try require(type, in: integerTypes.union([.float4, .float8]), text: text, as: Double.self)
        guard let value = Double(text) else { throw cannotDecode(text, type, as: Double.self) }
        return value
    }
}

/// Exact: parsed from the decimal text with a POSIX locale, never via Double.
/// NaN, ±Infinity and values Decimal cannot hold exactly are rejected.
extension Decimal: PostgresDecodable {
    private static let posix = Locale(identifier: "en_US_POSIX")

    public static func decode(text: String, type: PostgresTypeOID) throws -> Decimal {
        try require(type, in: integerTypes, text: text, as: Decimal.self)
        if let value = fastDecimal(text) { return value }
        switch text.lowercased() {
        case "nan", "infinity", "-infinity", "+infinity":
            throw cannotDecode(text, type, as: Decimal.self, "Decimal cannot represent \(text)")
        default: break
        }
        // The server prints numeric as [-]digits[.digits]; accept only that, so nothing is guessed.
        guard let canonical = canonicalDecimalText(text) else {
            throw cannotDecode(text, type, as: Decimal.self, "not a plain decimal number")
        }
        // Decimal holds a 128-bit mantissa and an exponent in -128...127; beyond that
        // Decimal(string:) rounds or fails. Demanding an exact round trip rejects both.
        guard let value = Decimal(string: text, locale: posix), value.description == canonical else {
            throw cannotDecode(text, type, as: Decimal.self, "not exactly representable as Decimal")
        }
        return value
    }
}

/// Money as the server prints it, `[-]digits[.digits]` with at most 18 digits, built straight from its digits:
/// exact by construction (a 64-bit significand and a power of ten), and far cheaper than `Decimal(string:)`,
/// which the ledger reads paid for on every amount. Anything else (longer, exotic) returns nil and takes the
/// checked path.
func fastDecimal(_ text: String) -> Decimal? {
    var text = text
    return text.withUTF8 { bytes -> Decimal? in
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var significand: UInt64 = 0
        var digits = 0, fractionDigits = 0, trailingZeros = 0
        var seenPoint = false, integerDigits = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, integerDigits > 0 else { return nil }
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenPoint {
                    fractionDigits += 1
                    trailingZeros = byte == UInt8(ascii: "0") ? trailingZeros + 1 : 0
                } else {
                    integerDigits += 1
                }
            } else {
                return nil
            }
            index += 1
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else { return nil }
        // Trailing fraction zeros dropped, so the value and its description are those Decimal(string:) gives.
        for _ in 0..<trailingZeros { significand /= 10 }
        let exponent = -(fractionDigits - trailingZeros)
        if significand == 0 { return Decimal(0) }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }
}

/// `[-]digits[.digits]` without redundant zeros, as `Decimal.description` prints it; nil if malformed.
func canonicalDecimalText(_ text: String) -> String? {
    var rest = Substring(text)
    let negative = rest.first == "-"
    if negative { rest = rest.dropFirst() }
    let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard let integerPart = parts.first, !integerPart.isEmpty,
          parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
          parts.count == 1 || !parts[1].isEmpty
    else { return nil }
    let integer = integerPart.drop { $0 == "0" }
    let fraction = parts.count == 2 ? String(parts[1].reversed().drop { $0 == "0" }.reversed()) : ""
    let magnitude = (integer.isEmpty ? "0" : String(integer)) + (fraction.isEmpty ? "" : "." + fraction)
    return negative && magnitude != "0" ? "-" + magnitude : magnitude
}

/// `timestamptz` (any offset) or `timestamp` (taken as UTC), with fractional seconds.
extension Date: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> Date {
        try require(type, in: [.timestamptz, .timestamp], text: text, as: Date.self)
        guard let date = TimestampText.parse(text) else {
            throw cannotDecode(text, type, as: Date.self, text.hasSuffix("infinity") ? "Date cannot represent infinity" : "")
        }
        return date
    }
}

extension PostgresDate: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> PostgresDate {
        try require(type, in: [.date], text: text, as: PostgresDate.self)
        guard let date = PostgresDate(text) else { throw cannotDecode(text, type, as: PostgresDate.self) }
        return date
    }
}

extension UUID: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> UUID {
        guard let uuid = UUID(uuidString: text) else { throw cannotDecode(text, type, as: UUID.self) }
        return uuid
    }
}

extension PostgresJSON: PostgresDecodable {
    public static func decode(text: String, type: PostgresTypeOID) throws -> PostgresJSON {
        try require(type, in: [.json, .jsonb], text: text, as: PostgresJSON.self)
        return PostgresJSON(text)
    }
}

/// The element type of a Swift array that can be decoded; the element decides how the whole
/// array is read: `[String]` / `[String?]` from a one-dimensional array, `[UInt8]` from `bytea`.
public protocol PostgresArrayElement {
    static func decodeArray(text: String, type: PostgresTypeOID) throws -> [Self]
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(text: String, type: PostgresTypeOID) throws -> [Element] {
        try Element.decodeArray(text: text, type: type)
    }
}

/// NULL elements are an error; decode as `[String?]` to accept them.
extension String: PostgresArrayElement {
    public static func decodeArray(text: String, type: PostgresTypeOID) throws -> [String] {
        try [String?].decode(text: text, type: type).map { element in
            guard let element else { throw cannotDecode(text, type, as: [String].self, "NULL element; decode as [String?]") }
            return element
        }
    }
}

extension Optional: PostgresArrayElement where Wrapped == String {
    public static func decodeArray(text: String, type: PostgresTypeOID) throws -> [String?] {
        do {
            return try ArrayText.parse(text)
        } catch let error as PostgresError {
            throw cannotDecode(text, type, as: [String?].self, error.message)
        }
    }
}

/// `[UInt8]` is `bytea` (hex format).
extension UInt8: PostgresArrayElement {
    public static func decodeArray(text: String, type: PostgresTypeOID) throws -> [UInt8] {
        try require(type, in: [.bytea], text: text, as: [UInt8].self)
        return try ByteaText.parse(text)
    }
}
