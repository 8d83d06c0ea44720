import Foundation
import Testing
@testable import Postgres

@Suite struct IntegerAndBoolDecodingTests {
    @Test func integers() throws {
        #expect(try Int64.decode(text: "-9223372036854775808", type: .int8) == Int64.min)
        #expect(try Int.decode(text: "42", type: .int4) == 42)
        #expect(try Int32.decode(text: "-7", type: .int2) == -7)
        #expect(try Int.decode(text: "12", type: .numeric) == 12)
        #expect(throws: PostgresError.self) { try Int32.decode(text: "2147483648", type: .int8) }
        #expect(throws: PostgresError.self) { try Int.decode(text: "5.5", type: .numeric) }
        #expect(throws: PostgresError.self) { try Int.decode(text: "12", type: .text) }
    }

    @Test func bools() throws {
        #expect(try Bool.decode(text: "t", type: .bool))
        #expect(try !Bool.decode(text: "f", type: .bool))
        #expect(throws: PostgresError.self) { try Bool.decode(text: "yes", type: .bool) }
        #expect(throws: PostgresError.self) { try Bool.decode(text: "t", type: .text) }
    }

    @Test func stringsUUIDsAndJSON() throws {
        #expect(try String.decode(text: "héllo", type: .varchar) == "héllo")
        let uuid = UUID()
        #expect(try UUID.decode(text: uuid.uuidString.lowercased(), type: .uuid) == uuid)
        #expect(throws: PostgresError.self) { try UUID.decode(text: "not-a-uuid", type: .uuid) }
        #expect(try PostgresJSON.decode(text: #"{"a": 1}"#, type: .jsonb) == PostgresJSON(#"{"a": 1}"#))
    }
}

@Suite struct DecimalDecodingTests {
    @Test(arguments: [
        "0", "-12.345", "0.1", "123456789012345678901234567890", "-123456789012345678901234567890",
        "0.000000000000000000000000000001", "1000000000000000000000000000000000000000000000",
        "12345678901234567890123456789012345678", "340282366920938463463374607431768211455", "-0.0", "007.50",
    ])
    func exactValues(_ text: String) throws {
        let value = try Decimal.decode(text: text, type: .numeric)
        #expect(value == Decimal(string: text, locale: posix)!)
        #expect(value.description == (Decimal(string: text, locale: posix)!).description)
    }

    /// The fast path for money-sized numbers gives exactly what `Decimal(string:)` gives: value, text and hash.
    @Test func fastPathAgreesWithDecimalString() throws {
        var generator = SystemRandomNumberGenerator()
        var texts = ["0", "0.00", "-0.00", "100.00", "1.50", "999999999999999999", "-99999999999.9999999", "0.00000000000000001"]
        for _ in 0..<20_000 {
            let integer = String(UInt64.random(in: 0...999_999_999, using: &generator))
            let fraction = String(String(UInt64.random(in: 0...999_999, using: &generator)).prefix(Int.random(in: 0...6)))
            let sign = Bool.random() ? "-" : ""
            texts.append(sign + integer + (fraction.isEmpty ? "" : "." + fraction + (Bool.random() ? "0" : "")))
        }
        for text in texts {
            let fast = try #require(fastDecimal(text), "\(text)")
            let slow = try #require(Decimal(string: text, locale: posix))
            #expect(fast == slow && fast.description == slow.description && fast.hashValue == slow.hashValue, "\(text)")
        }
        for text in ["1e5", ".5", "5.", "+5", "", "-", "1.2.3", "1234567890123456789", "١٢"] {
            #expect(fastDecimal(text) == nil, "\(text)")
        }
    }

    @Test func negativeAndThirtyDigits() throws {
        #expect(try Decimal.decode(text: "-0.5", type: .numeric) < 0)
        #expect(try Decimal.decode(text: "123456789012345678901234567890", type: .numeric).description == "123456789012345678901234567890")
        #expect(try Decimal.decode(text: "1.50", type: .numeric) == decimal("1.5"))
    }

    @Test(arguments: ["NaN", "Infinity", "-Infinity", "1e5", "", "-", "1.2.3", ".5", "5.", "+5", "1 2",
                       "12345678901234567890123456789012345678901", "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"])
    func rejected(_ text: String) {
        #expect(throws: PostgresError.self) { try Decimal.decode(text: text, type: .numeric) }
    }

    @Test func canonicalText() {
        #expect(canonicalDecimalText("-00012.3400") == "-12.34")
        #expect(canonicalDecimalText("-0.000") == "0")
        #expect(canonicalDecimalText("100") == "100")
        #expect(canonicalDecimalText("0.5") == "0.5")
        #expect(canonicalDecimalText("1e5") == nil)
    }

    @Test func rejectionSaysWhy() {
        let error = #expect(throws: PostgresError.self) { try Decimal.decode(text: "NaN", type: .numeric) }
        #expect(error?.category == .decoding)
        #expect(error?.message.contains("NaN") == true)
    }

    @Test func encodesWithoutDouble() throws {
        #expect(try PostgresValue.decimal(decimal("0.1")).textRepresentation() == "0.1")
        #expect(try PostgresValue.decimal(decimal("-123456789012345678901234567890.5")).textRepresentation() == "-123456789012345678901234567890.5")
        #expect(throws: PostgresError.self) { try PostgresValue.decimal(.nan).textRepresentation() }
    }
}

@Suite struct TimestampTextTests {
    @Test func offsetsAndFractions() throws {
        let base = 1_795_176_000.0 // 2026-11-20 12:00:00 UTC
        #expect(try Date.decode(text: "2026-11-20 12:00:00+00", type: .timestamptz).timeIntervalSince1970 == base)
        #expect(try Date.decode(text: "2026-11-20 17:30:00.25+05:30", type: .timestamptz).timeIntervalSince1970 == base + 0.25)
        #expect(try Date.decode(text: "2026-11-20 04:00:00.123456-08", type: .timestamptz).timeIntervalSince1970 == base + 0.123456)
        #expect(try Date.decode(text: "2026-11-20 12:53:28+00:53:28", type: .timestamptz).timeIntervalSince1970 == base)
        #expect(try Date.decode(text: "2026-11-20 12:00:00", type: .timestamp).timeIntervalSince1970 == base)
        #expect(try Date.decode(text: "2026-11-20T12:00:00Z", type: .timestamptz).timeIntervalSince1970 == base)
        #expect(try Date.decode(text: "1969-12-31 23:59:59.5+00", type: .timestamptz).timeIntervalSince1970 == -0.5)
    }

    @Test func beforeCommonEra() throws {
        let date = try Date.decode(text: "0001-01-01 00:00:00+00 BC", type: .timestamptz)
        #expect(TimestampText.format(date) == "0001-01-01 00:00:00.000000+00 BC")
    }

    @Test(arguments: ["infinity", "-infinity", "2026-11-20", "2026-02-30 00:00:00+00", "2026-11-20 25:00:00+00", "2026-11-20 12:00:00+0", "2026-11-20 12:00:00+00 junk"])
    func rejected(_ text: String) {
        #expect(throws: PostgresError.self) { try Date.decode(text: text, type: .timestamptz) }
    }

    @Test func wrongColumnType() {
        #expect(throws: PostgresError.self) { try Date.decode(text: "2026-11-20 12:00:00+00", type: .text) }
    }

    @Test func formatting() throws {
        #expect(TimestampText.format(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000000+00")
        #expect(TimestampText.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59.500000+00")
        #expect(TimestampText.format(Date(timeIntervalSince1970: 1_795_176_000.123456)) == "2026-11-20 12:00:00.123456+00")
        #expect(TimestampText.format(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29 00:00:00.000000+00")
        #expect(TimestampText.format(Date(timeIntervalSince1970: .infinity)) == nil)
    }

    @Test func formatThenParse() throws {
        for interval in [0, 1.5, -86_400.000001, 1_795_176_000.123456, 4_102_444_800.999999, -62_135_596_800] {
            let text = try #require(TimestampText.format(Date(timeIntervalSince1970: interval)))
            let parsed = try #require(TimestampText.parse(text))
            #expect(abs(parsed.timeIntervalSince1970 - interval) < 0.000_001, "\(text)")
        }
    }
}

@Suite struct PostgresDateTests {
    @Test func parsing() throws {
        #expect(PostgresDate("2026-11-20") == PostgresDate(year: 2026, month: 11, day: 20))
        #expect(PostgresDate("2024-02-29") != nil)
        #expect(PostgresDate("0044-03-15 BC") == PostgresDate(year: -43, month: 3, day: 15))
        #expect(PostgresDate("12026-01-01")?.year == 12026)
        for invalid in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-11-31", "20261120", "2026-1-20", "2026-11-20 ", "", "infinity", "0000-01-01"] {
            #expect(PostgresDate(invalid) == nil, "\(invalid)")
        }
    }

    @Test func descriptionAndOrder() throws {
        #expect(PostgresDate(year: 987, month: 1, day: 2).description == "0987-01-02")
        #expect(PostgresDate(year: -43, month: 3, day: 15).description == "0044-03-15 BC")
        #expect(PostgresDate(year: 2026, month: 1, day: 31) < PostgresDate(year: 2026, month: 2, day: 1))
        #expect(try PostgresDate.decode(text: "2026-11-20", type: .date) == PostgresDate("2026-11-20"))
        #expect(throws: PostgresError.self) { try PostgresDate.decode(text: "infinity", type: .date) }
    }
}

@Suite struct ByteaAndArrayTextTests {
    @Test func bytea() throws {
        #expect(try [UInt8].decode(text: "\\x", type: .bytea) == [])
        #expect(try [UInt8].decode(text: "\\x00fF10", type: .bytea) == [0, 255, 16])
        #expect(ByteaText.format([0, 255, 16]) == "\\x00ff10")
        for invalid in ["\\x0", "\\xzz", "abc", "\\000"] {
            #expect(throws: PostgresError.self) { try [UInt8].decode(text: invalid, type: .bytea) }
        }
    }

    @Test func textArrays() throws {
        #expect(try [String].decode(text: "{}", type: .textArray) == [])
        #expect(try [String].decode(text: "{a,b}", type: .textArray) == ["a", "b"])
        let tricky = #"{"a,b","with \"quote\"","back\\slash",NULL,"NULL","",plain,"{x}"}"#
        #expect(try [String?].decode(text: tricky, type: .textArray) == ["a,b", "with \"quote\"", "back\\slash", nil, "NULL", "", "plain", "{x}"])
        #expect(throws: PostgresError.self) { try [String].decode(text: tricky, type: .textArray) }
        #expect(try [String].decode(text: "[0:1]={x,y}", type: .textArray) == ["x", "y"])
        #expect(throws: PostgresError.self) { try [String].decode(text: "{{a},{b}}", type: .textArray) }
        #expect(throws: PostgresError.self) { try [String].decode(text: "{\"open}", type: .textArray) }
        #expect(throws: PostgresError.self) { try [String].decode(text: "a,b", type: .textArray) }
    }

    @Test func textArrayFormatRoundTrip() throws {
        let elements = ["", "NULL", "a,b", "q\"uote", "back\\slash", "{brace}", " spaced ", "ü"]
        let text = ArrayText.format(elements)
        #expect(try ArrayText.parse(text) == elements)
        #expect(ArrayText.format([]) == "{}")
    }
}
