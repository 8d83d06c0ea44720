import Foundation

/// Text forms of `timestamptz` / `timestamp` values, done with integer calendar arithmetic
/// so results never depend on the process locale or time zone.
enum TimestampText {
    /// "2026-11-20 12:00:00.123456+00": UTC, always six fraction digits. nil for non-finite dates.
    static func format(_ date: Date) -> String? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else { return nil }
        let wholeSeconds = interval.rounded(.down)
        var seconds = Int64(wholeSeconds)
        var micros = Int(((interval - wholeSeconds) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let (days, secondOfDay) = floorDivision(seconds, 86_400)
        let civil = CivilCalendar.civil(days: Int(days))
        let date = PostgresDate(year: civil.year, month: civil.month, day: civil.day)
        let hour = Int(secondOfDay / 3600), minute = Int(secondOfDay / 60 % 60), second = Int(secondOfDay % 60)
        let time = "\(zeroPadded(hour, 2)):\(zeroPadded(minute, 2)):\(zeroPadded(second, 2)).\(zeroPadded(micros, 6))"
        let (printedYear, era) = date.year > 0 ? (date.year, "") : (1 - date.year, " BC")
        return "\(zeroPadded(printedYear, 4))-\(zeroPadded(date.month, 2))-\(zeroPadded(date.day, 2)) \(time)+00\(era)"
    }

    /// Parses what the server prints with DateStyle ISO: "2026-11-20 12:00:00", an optional
    /// fraction (up to microseconds), an optional offset ("+05:30", "-08", "+00:53:28", "Z"),
    /// an optional " BC". A missing offset means UTC (plain `timestamp`).
    static func parse(_ text: String) -> Date? {
        var scanner = TextScanner(text)
        guard let printedDate = scanner.scanDate(timeFollows: true),
              scanner.scan(UInt8(ascii: " ")) || scanner.scan(UInt8(ascii: "T")),
              let hour = scanner.scanNumber(digits: 2), scanner.scan(UInt8(ascii: ":")),
              let minute = scanner.scanNumber(digits: 2), scanner.scan(UInt8(ascii: ":")),
              let second = scanner.scanNumber(digits: 2),
              hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var micros = 0
        if scanner.scan(UInt8(ascii: ".")) {
            guard let fraction = scanner.scanDigits(min: 1, max: 6) else { return nil }
            micros = fraction.value
            for _ in fraction.count..<6 { micros *= 10 }
            // The server never prints more than six digits; tolerate (and truncate) extra ones.
            _ = scanner.scanDigits(min: 0, max: Int.max)
        }

        var offsetSeconds = 0
        if scanner.scan(UInt8(ascii: "Z")) {
            offsetSeconds = 0
        } else if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            _ = scanner.scan(sign)
            guard let offsetHours = scanner.scanNumber(digits: 2) else { return nil }
            var offset = offsetHours * 3600
            if scanner.scan(UInt8(ascii: ":")) {
                guard let offsetMinutes = scanner.scanNumber(digits: 2) else { return nil }
                offset += offsetMinutes * 60
                if scanner.scan(UInt8(ascii: ":")) {
                    guard let offsetSecondsPart = scanner.scanNumber(digits: 2) else { return nil }
                    offset += offsetSecondsPart
                }
            }
            offsetSeconds = sign == UInt8(ascii: "-") ? -offset : offset
        }

        var date = printedDate
        if scanner.scan(" BC") {
            date.year = 1 - date.year
            guard date.isValid else { return nil }
        }
        guard scanner.isAtEnd else { return nil }

        let seconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
        return (quotient, value - quotient * divisor)
    }
}
