import Testing
@testable import OmbudCore

@Suite struct PolicyEscalationTests {
    @Test(arguments: [(Priority.p1, "2026-11-20T13:00:00Z"), (.p2, "2026-11-20T16:00:00Z"), (.p3, "2026-11-21T12:00:00Z")])
    func firstResponseDue(priority: Priority, expected: String) {
        #expect(EscalationClock.firstResponseDue(priority: priority, from: ts("2026-11-20T12:00:00Z")) == ts(expected))
    }

    @Test(arguments: [
        ("2026-11-20T12:00:00Z", 1, "2026-11-23T12:00:00Z"),   // Friday + 1 → Monday
        ("2026-11-21T12:00:00Z", 1, "2026-11-23T12:00:00Z"),   // Saturday + 1 → Monday
        ("2026-11-22T12:00:00Z", 1, "2026-11-23T12:00:00Z"),   // Sunday + 1 → Monday
        ("2026-11-16T09:00:00Z", 5, "2026-11-23T09:00:00Z"),   // Monday + 5 → next Monday
        ("2026-11-20T12:00:00Z", 15, "2026-12-11T12:00:00Z"),  // three weeks of weekdays
        ("2026-11-20T12:00:00Z", 0, "2026-11-20T12:00:00Z"),
    ])
    func businessDaysSkipWeekends(start: String, days: Int, expected: String) {
        #expect(EscalationClock.addingBusinessDays(days, to: ts(start)) == ts(expected))
    }

    @Test func escalatedDecisionsCarryDueTimes() {
        let d = decide(makeInput(.generalInquiry, orders: [], now: "2026-11-20T12:00:00Z"))
        #expect(d.escalation?.firstResponseDue == ts("2026-11-21T12:00:00Z"))
        #expect(d.escalation?.regulatoryDue == nil)
    }

    @Test func slaHoursComeFromConfig() {
        var config = PolicyConfig()
        config.slaHours.p3 = 8
        let d = decide(makeInput(.generalInquiry, orders: [], now: "2026-11-20T12:00:00Z"), config: config)
        #expect(d.escalation?.firstResponseDue == ts("2026-11-20T20:00:00Z"))
    }
}
