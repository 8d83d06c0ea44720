import Foundation

/// RFC 3339 timestamps (`2026-11-20T12:00:00Z`, `2026-11-20T13:00:00.250+01:00`), parsed and printed by hand so the
/// result does not depend on the platform's date formatters, locale or time zone database: `received_at` is the
/// clock of every policy decision, and a replay must read it the same way.
public enum RFC3339Timestamp {
    /// The instant, or nil when the text is not a valid RFC 3339 date-time (calendar dates checked, leap years too;
    /// leap second `:60` refused because `Date` cannot represent it).
    public static func parse(_ text: String) -> Date? {
        let s = Array(text.utf8)
        guard s.count >= 20, s.count <= 40 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                guard s[i] >= 0x30, s[i] <= 0x39 else { return nil }
                value = value * 10 + Int(s[i] - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), s[4] == 0x2D, let month = digits(5, 2), s[7] == 0x2D, let day = digits(8, 2),
              s[10] == 0x54 || s[10] == 0x74,  // T or t
              let hour = digits(11, 2), s[13] == 0x3A, let minute = digits(14, 2), s[16] == 0x3A, let second = digits(17, 2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }

        var i = 19
        var fraction = 0.0
        if i < s.count, s[i] == 0x2E {  // '.'
            i += 1
            var scale = 0.1
            let start = i
            while i < s.count, s[i] >= 0x30, s[i] <= 0x39 {
                fraction += Double(s[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < s.count else { return nil }
        var offsetSeconds = 0
        if s[i] == 0x5A || s[i] == 0x7A {  // Z or z
            i += 1
        } else if s[i] == 0x2B || s[i] == 0x2D {  // + or -
            guard let oh = digits(i + 1, 2), i + 3 < s.count, s[i + 3] == 0x3A, let om = digits(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (s[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == s.count else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// UTC, `Z`, with microseconds when the instant has a fraction (trailing zeros trimmed): PostgreSQL keeps
    /// microseconds, so printing more would invent precision and printing less would lose it.
    public static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let totalMicros = Int64(micros)
        var seconds = totalMicros / 1_000_000
        var fractionMicros = totalMicros % 1_000_000
        if fractionMicros < 0 { fractionMicros += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = civilFromDays(Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        out += "\(pad(Int(secondOfDay / 3600), 2)):\(pad(Int(secondOfDay % 3600 / 60), 2)):\(pad(Int(secondOfDay % 60), 2))"
        if fractionMicros > 0 {
            var fraction = pad(Int(fractionMicros), 6)
            while fraction.hasSuffix("0") { fraction.removeLast() }
            out += "." + fraction
        }
        return out + "Z"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic, no tables.
    // `Day` uses them too.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
