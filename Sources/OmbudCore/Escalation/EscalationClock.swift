/// Due times for escalated cases. Business days skip Saturdays and Sundays; public holidays
/// are not modelled (POLICY.md names weekends only).
public enum EscalationClock {
    /// First response: P1 1 hour, P2 4 hours, P3 24 hours (per the policy file).
    public static func firstResponseDue(priority: Priority, from now: Timestamp,
                                        config: PolicyConfig = PolicyConfig()) -> Timestamp {
        now.adding(hours: config.slaHours.hours(for: priority))
    }

    /// `now` moved forward by `businessDays` weekdays, keeping the time of day.
    /// From a weekend, the first business day counted is the Monday.
    public static func addingBusinessDays(_ businessDays: Int, to now: Timestamp) -> Timestamp {
        var day = Day(now)
        var remaining = businessDays
        while remaining > 0 {
            day = day.adding(days: 1)
            if !day.isWeekend { remaining -= 1 }
        }
        let dayShift = day.daysSinceEpoch - Day(now).daysSinceEpoch
        return now.adding(days: dayShift)
    }

    /// The regulatory final-response deadline for a complaint in `market`.
    public static func complaintFinalResponseDue(from now: Timestamp, market: String?,
                                                 config: PolicyConfig = PolicyConfig()) -> Timestamp {
        addingBusinessDays(config.complaintBusinessDays(market: market), to: now)
    }

    public static func plan(team: Team, priority: Priority, now: Timestamp, config: PolicyConfig,
                            regulatoryDue: Timestamp? = nil) -> EscalationPlan {
        EscalationPlan(team: team, priority: priority,
                       firstResponseDue: firstResponseDue(priority: priority, from: now, config: config),
                       regulatoryDue: regulatoryDue)
    }

    /// Counts the contacts that fall inside the repeat-contact window ending at `now`.
    public static func contactsInWindow(_ contacts: [Timestamp], now: Timestamp,
                                        config: PolicyConfig = PolicyConfig()) -> Int {
        let windowStart = now.adding(days: -config.repeatContactWindowDays)
        return contacts.filter { $0 >= windowStart && $0 <= now }.count
    }
}
