import Foundation

/// A calendar day (`YYYY-MM-DD`), as used for due dates and expected deliveries.
/// All day arithmetic is in UTC so a decision never depends on the server's time zone.
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let candidate = Day(uncheckedDaysSinceEpoch: RFC3339Timestamp.daysFromCivil(year: year, month: month, day: day))
        // Round-tripping through the day count rejects 2026-02-30 and friends.
        guard candidate.year == year, candidate.month == month, candidate.day == day else {
            return nil
        }
        self = candidate
    }

    public init(daysSinceEpoch: Int) { self.init(uncheckedDaysSinceEpoch: daysSinceEpoch) }

    private init(uncheckedDaysSinceEpoch days: Int) {
        (year, month, day) = RFC3339Timestamp.civilFromDays(days)
    }

    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The UTC day a moment falls on.
    public init(_ timestamp: Timestamp) {
        let seconds = Int(timestamp.date.timeIntervalSince1970.rounded(.down))
        self.init(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let day = Day(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a YYYY-MM-DD day: \(text)")
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var daysSinceEpoch: Int { RFC3339Timestamp.daysFromCivil(year: year, month: month, day: day) }
    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }
    /// Midnight UTC at the start of this day.
    public var start: Timestamp {
        Timestamp(Date(timeIntervalSince1970: TimeInterval(daysSinceEpoch) * 86_400))
    }
    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    public var weekday: Int { ((daysSinceEpoch + 4) % 7 + 7) % 7 }
    public var isWeekend: Bool { weekday == 0 || weekday == 6 }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}

/// A moment, written as ISO-8601 (`2026-11-01T10:00:05Z`, optional fraction, `Z` or `±HH:MM`).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let date: Date

    public init(_ date: Date) { self.date = date }

    /// RFC 3339 (`2026-11-20T12:00:00Z`, offsets and fractions allowed), by the same parser as the messages.
    public init?(parsing text: String) {
        guard let date = RFC3339Timestamp.parse(text) else { return nil }
        self.date = date
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let timestamp = Timestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an ISO-8601 timestamp: \(text)")
        }
        self = timestamp
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public func adding(seconds: TimeInterval) -> Timestamp { Timestamp(date.addingTimeInterval(seconds)) }
    public func adding(hours: Int) -> Timestamp { adding(seconds: TimeInterval(hours) * 3600) }
    public func adding(days: Int) -> Timestamp { adding(seconds: TimeInterval(days) * 86_400) }
    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> TimeInterval {
        later.date.timeIntervalSince(date)
    }

    public var description: String {
        let total = date.timeIntervalSince1970
        let whole = Int(total.rounded(.down))
        let secondsOfDay = ((whole % 86_400) + 86_400) % 86_400
        let day = Day(self)
        let millis = Int(((total - Double(whole)) * 1000).rounded())
        let base = "\(day)T" + String(
            format: "%02d:%02d:%02d", secondsOfDay / 3600, secondsOfDay / 60 % 60, secondsOfDay % 60)
        return millis > 0 && millis < 1000 ? base + String(format: ".%03dZ", millis) : base + "Z"
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.date < rhs.date }
}
