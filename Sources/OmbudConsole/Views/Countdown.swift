import Foundation

/// A due time as the agent reads it: text ("due in 3h 12m", "overdue by 20m") and a CSS class for its colour, so the
/// state never depends on colour alone. Pure: `now` is passed in.
public struct Countdown: Sendable, Equatable {
    public enum State: String, Sendable { case ok, warning, overdue, none }

    public var text: String
    public var state: State

    /// `warningWithin`: how close to the due time the countdown turns to `warning` (default 1 hour).
    public init(due: Date?, now: Date, warningWithin: TimeInterval = 3600) {
        guard let due else {
            text = "no due time"
            state = .none
            return
        }
        let seconds = due.timeIntervalSince(now)
        if seconds < 0 {
            text = "overdue by " + Countdown.span(-seconds)
            state = .overdue
        } else {
            text = "due in " + Countdown.span(seconds)
            state = seconds <= warningWithin ? .warning : .ok
        }
    }

    /// The CSS class: `due-ok`, `due-warning`, `due-overdue`, `due-none`.
    public var cssClass: String { "due-" + state.rawValue }

    /// `2d 4h`, `3h 12m`, `20m`, `under 1m`: the two largest units, minutes rounded down.
    public static func span(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        if minutes < 1 { return "under 1m" }
        let days = minutes / 1440, hours = (minutes % 1440) / 60, mins = minutes % 60
        if days > 0 { return hours > 0 ? "\(days)d \(hours)h" : "\(days)d" }
        if hours > 0 { return mins > 0 ? "\(hours)h \(mins)m" : "\(hours)h" }
        return "\(mins)m"
    }
}
