import Foundation

/// A reply ready for the channel: the text in `language`, and which template produced it.
public struct ComposedReply: Sendable, Hashable {
    public var language: ReplyLanguage
    public var templateId: String
    public var text: String
}

public enum ReplyComposer {
    /// The template a decision is answered with. Escalations get a holding reply; complaints,
    /// fraud and care get their own because they promise something specific.
    public static func templateId(for decision: Decision) -> String {
        guard decision.outcome == .escalated else { return decision.rule }
        switch decision.rule {
        case "guardrail.formal_complaint": return "escalation.complaint"
        case "guardrail.unauthorized_purchase": return "escalation.fraud"
        case "guardrail.vulnerability": return "escalation.care"
        default: return "escalation.holding"
        }
    }

    /// Composes the reply in the requested language, falling back to English.
    public static func compose(_ decision: Decision, languageTag: String?,
                               config: PolicyConfig = PolicyConfig()) -> ComposedReply {
        let requested = ReplyLanguage(tag: languageTag)
        let id = templateId(for: decision)
        let variants = ReplyTemplates.texts[id] ?? ReplyTemplates.texts["escalation.holding"]!
        let language = variants[requested] != nil ? requested : .en
        let template = variants[language] ?? variants[.en]!
        return ComposedReply(language: language, templateId: id,
                             text: fill(template, decision: decision, language: language, config: config))
    }

    /// Whether a template exists for this decision (an unknown rule falls back to the holding reply).
    public static func hasTemplate(for decision: Decision) -> Bool {
        ReplyTemplates.texts[templateId(for: decision)] != nil
    }

    /// Replaces each `{name}` in the template with the decision's fact, in one pass over the template: a value is
    /// never read again as a placeholder, and a name the composer does not know is left as written.
    static func fill(_ template: String, decision: Decision, language: ReplyLanguage,
                     config: PolicyConfig) -> String {
        let facts = decision.replyFacts
        func value(_ name: Substring) -> String? {
            switch name {
            case "order": return facts.orderId ?? ""
            case "merchant": return facts.merchant ?? ""
            case "amount": return facts.amount?.description ?? ""
            case "date": return facts.date.map { localized($0, language) } ?? ""
            case "carrier": return facts.carrier ?? ""
            case "tracking": return facts.tracking ?? ""
            case "days": return facts.days.map(String.init) ?? ""
            case "article": return facts.articleId ?? ""
            case "response_time":
                return decision.escalation.map { responseTime(config.slaHours.hours(for: $0.priority), language) }
            case "due":
                return decision.escalation.map { $0.regulatoryDue.map { localized(Day($0), language) } ?? "" }
            default: return nil
            }
        }
        var text = ""
        text.reserveCapacity(template.utf8.count + 64)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            text += rest[..<open]
            let name = rest[rest.index(after: open)..<close]
            if let filled = value(name) { text += filled } else { text += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        text += rest
        return text
    }

    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]

    /// Dates as customers in each language write them: 24 November 2026, 24.11.2026, 2026-11-24.
    static func localized(_ day: Day, _ language: ReplyLanguage) -> String {
        switch language {
        case .en: return "\(day.day) \(englishMonths[day.month - 1]) \(day.year)"
        case .de: return "\(twoDigits(day.day)).\(twoDigits(day.month)).\(day.year)"
        case .sv: return day.description
        }
    }

    static func responseTime(_ hours: Int, _ language: ReplyLanguage) -> String {
        let words = ReplyTemplates.hours[language] ?? ReplyTemplates.hours[.en]!
        return hours == 1 ? words.one : words.many.replacingOccurrences(of: "%d", with: String(hours))
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
