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

    static func fill(_ template: String, decision: Decision, language: ReplyLanguage,
                     config: PolicyConfig) -> String {
        let facts = decision.replyFacts
        var values: [String: String] = [
            "order": facts.orderId ?? "",
            "merchant": facts.merchant ?? "",
            "amount": facts.amount?.description ?? "",
            "date": facts.date.map { localized($0, language) } ?? "",
            "carrier": facts.carrier ?? "",
            "tracking": facts.tracking ?? "",
            "days": facts.days.map(String.init) ?? "",
            "article": facts.articleId ?? "",
        ]
        if let escalation = decision.escalation {
            values["response_time"] = responseTime(config.slaHours.hours(for: escalation.priority), language)
            values["due"] = escalation.regulatoryDue.map { localized(Day($0), language) } ?? ""
        }
        var text = template
        for (key, value) in values {
            text = text.replacingOccurrences(of: "{\(key)}", with: value)
        }
        return text
    }

    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]

    /// Dates as customers in each language write them: 24 November 2026, 24.11.2026, 2026-11-24.
    static func localized(_ day: Day, _ language: ReplyLanguage) -> String {
        switch language {
        case .en: return "\(day.day) \(englishMonths[day.month - 1]) \(day.year)"
        case .de: return String(format: "%02d.%02d.%04d", day.day, day.month, day.year)
        case .sv: return day.description
        }
    }

    static func responseTime(_ hours: Int, _ language: ReplyLanguage) -> String {
        let words = ReplyTemplates.hours[language] ?? ReplyTemplates.hours[.en]!
        return hours == 1 ? words.one : String(format: words.many, hours)
    }
}
