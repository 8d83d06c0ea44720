import Foundation
import Testing
@testable import OmbudText

@Suite struct EntityDateTests {
    // Tuesday 3 November 2026
    let received = ISO8601DateFormatter().date(from: "2026-11-03T08:00:00Z")!

    func days(_ text: String, language: String? = nil) -> [String] {
        EntityExtractor.extract(from: text, receivedAt: received, language: language).dates.map(\.day.description)
    }

    @Test func receivedDayIsTuesday() {
        #expect(CalendarDay(received).isoWeekday == 2)
    }

    @Test(arguments: [
        ("2026-11-03", "2026-11-03"),
        ("03.11.2026", "2026-11-03"),
        ("3.11.2026", "2026-11-03"),
        ("03/11/2026", "2026-11-03"),
        ("3/11", "2026-11-03"),
        ("3.11.", "2026-11-03"),
        ("3 November", "2026-11-03"),
        ("3. November 2026", "2026-11-03"),
        ("3 november", "2026-11-03"),
        ("November 3", "2026-11-03"),
        ("Nov 3rd, 2026", "2026-11-03"),
        ("3rd of November", "2026-11-03"),
        ("den 28 oktober", "2026-10-28"),
        ("28. Oktober", "2026-10-28"),
        ("15 décembre 2025", "2025-12-15"),
        ("25 January", "2026-01-25"),    // would be far in the future: last year
        ("20 December", "2026-12-20"),   // up to 60 days ahead stays this year (due dates)
        ("12/24/2025", "2025-12-24"),    // month first only when day-first is impossible
    ])
    func absoluteDates(text: String, expected: String) {
        #expect(days("It was on \(text) that I ordered") == [expected], "\(text)")
    }

    @Test(arguments: [
        ("yesterday", "2026-11-02"),
        ("the day before yesterday", "2026-11-01"),
        ("today", "2026-11-03"),
        ("last Tuesday", "2026-10-27"),
        ("last Monday", "2026-11-02"),
        ("last Sunday", "2026-11-01"),
        ("3 days ago", "2026-10-31"),
        ("two weeks ago", "2026-10-20"),
        ("last week", "2026-10-27"),
        ("gestern", "2026-11-02"),
        ("vorgestern", "2026-11-01"),
        ("letzten Dienstag", "2026-10-27"),
        ("vor 3 Tagen", "2026-10-31"),
        ("vor zwei Wochen", "2026-10-20"),
        ("igår", "2026-11-02"),
        ("i går", "2026-11-02"),
        ("i förrgår", "2026-11-01"),
        ("i tisdags", "2026-10-27"),
        ("i fredags", "2026-10-30"),
        ("för 3 dagar sedan", "2026-10-31"),
        ("förra veckan", "2026-10-27"),
        ("for 3 dager siden", "2026-10-31"),
        ("hace 3 días", "2026-10-31"),
        ("il y a 3 jours", "2026-10-31"),
    ])
    func relativeDates(text: String, expected: String) throws {
        let e = EntityExtractor.extract(from: "Betalt \(text), thanks", receivedAt: received)
        try #require(e.dates.count == 1, "\(text): \(e.dates)")
        #expect(e.dates[0].day.description == expected, "\(text)")
        #expect(e.dates[0].kind == .relative)
        #expect(e.dates[0].text == text)
    }

    @Test(arguments: [
        "I paid 89.90 EUR",
        "order 12345678",
        "it costs 3.11 euro",
        "on Tuesday",                 // ambiguous (next or last): not guessed
        "i tisdag",                   // Swedish for "on Tuesday" (coming): not "i tisdags"
        "May I get a refund?",
        "Version 2.5 of the app",
    ])
    func notDates(text: String) {
        #expect(days(text).isEmpty, "\(text): \(days(text))")
    }

    @Test func invalidDatesAreSkipped() {
        #expect(days("31.02.2026").isEmpty)
        #expect(days("2026-13-01").isEmpty)
    }

    @Test func calendarDayBasics() throws {
        let d = try #require(CalendarDay(year: 2028, month: 2, day: 29))
        #expect(d.adding(days: 1).description == "2028-03-01")
        #expect(CalendarDay(year: 2027, month: 2, day: 29) == nil)
        #expect(CalendarDay(iso: "2026-11-03")! < CalendarDay(iso: "2026-11-04")!)
        let json = try JSONEncoder().encode(d)
        #expect(String(decoding: json, as: UTF8.self) == "\"2028-02-29\"")
        #expect(try JSONDecoder().decode(CalendarDay.self, from: json) == d)
    }
}
