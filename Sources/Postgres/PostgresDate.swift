/// A calendar date without time or time zone (PostgreSQL `date`), proleptic Gregorian.
///
/// `year` is astronomical: 0 is 1 BC, -1 is 2 BC (PostgreSQL prints those with a " BC" suffix).
public struct PostgresDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the ISO form PostgreSQL prints: "2026-11-20", optionally "0044-03-15 BC".
    /// Returns nil for anything else, including impossible dates such as "2026-02-30".
    public init?(_ iso: String) {
        var scanner = TextScanner(iso)
        guard let date = scanner.scanDate(), scanner.isAtEnd else { return nil }
        self = date
    }

    public static func < (lhs: PostgresDate, rhs: PostgresDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// "2026-11-20"; years before 1 AD as "0001-01-01 BC", like the server.
    public var description: String {
        let (printedYear, suffix) = year > 0 ? (year, "") : (1 - year, " BC")
        return "\(zeroPadded(printedYear, 4))-\(zeroPadded(month, 2))-\(zeroPadded(day, 2))\(suffix)"
    }

    /// Whether the month exists and the day exists in that month.
    var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilCalendar.daysInMonth(year: year, month: month)
    }

    /// Days since 1970-01-01.
    var daysSinceEpoch: Int { CivilCalendar.days(year: year, month: month, day: day) }
}

/// Gregorian calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days), so that
/// timestamps are formatted and parsed without DateFormatter, locales or time zone databases.
enum CivilCalendar {
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// A tiny cursor over ASCII text, for the fixed formats the server prints.
struct TextScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func scan(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    mutating func scan(_ literal: String) -> Bool {
        let literalBytes = Array(literal.utf8)
        guard bytes.count - index >= literalBytes.count,
              Array(bytes[index..<index + literalBytes.count]) == literalBytes else { return false }
        index += literalBytes.count
        return true
    }

    /// Scans `minDigits...maxDigits` decimal digits; returns the value and how many were read.
    mutating func scanDigits(min minDigits: Int, max maxDigits: Int) -> (value: Int, count: Int)? {
        var value = 0
        var count = 0
        while count < maxDigits, let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            count += 1
            index += 1
        }
        return count >= minDigits ? (value, count) : nil
    }

    mutating func scanNumber(digits: Int) -> Int? {
        scanDigits(min: digits, max: digits)?.value
    }

    /// "YYYY-MM-DD" (the year may have more than four digits), then an optional " BC" unless
    /// `timeFollows` (the server puts " BC" after the time then). Validates the day of month.
    mutating func scanDate(timeFollows: Bool = false) -> PostgresDate? {
        guard let printedYear = scanDigits(min: 4, max: 9)?.value, printedYear > 0, scan(UInt8(ascii: "-")),
              let month = scanNumber(digits: 2), scan(UInt8(ascii: "-")),
              let day = scanNumber(digits: 2)
        else { return nil }
        let year = !timeFollows && scan(" BC") ? 1 - printedYear : printedYear
        let date = PostgresDate(year: year, month: month, day: day)
        return date.isValid ? date : nil
    }
}
