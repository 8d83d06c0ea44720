import Foundation

/// Flags a ticket can carry independently of its intent (POLICY.md).
public enum TicketFlag: String, CaseIterable, Sendable, Codable {
    case humanRequested = "human_requested"
    case vulnerability
    case formalComplaint = "formal_complaint"
    case legalThreat = "legal_threat"
}

public struct DetectedFlag: Sendable, Codable, Equatable {
    public var flag: TicketFlag
    /// The phrase that fired the rule, as written in the text.
    public var evidence: String
    /// Rule strength, 0…1 (a regulator's name is stronger evidence than "complaint").
    public var score: Double
    public init(flag: TicketFlag, evidence: String, score: Double) {
        self.flag = flag
        self.evidence = evidence
        self.score = score
    }
}

/// Flag detection: phrase rules OR the trained flag model.
///
/// The rules (English, German and Swedish, with the other market languages' most common
/// phrases) run on every text, whatever its language (tickets mix languages); a match is
/// dropped when a negation governs it ("I don't need a lawyer", "this is not a complaint") or
/// when it is a known false friend ("attorney general", "det stämmer", "ich habe gekündigt").
/// The rules are precise but miss the many other ways hardship is told, so a flag is also
/// raised when the bundled `FlagModel` gives it p ≥ its threshold (evidence "model p=0.83").
public enum FlagDetector {
    /// Rules OR the bundled model (rules only if the model resource cannot be loaded).
    public static func detect(_ text: String, language: String? = nil) -> [DetectedFlag] {
        detect(text, language: language, model: FlagModel.shared)
    }

    /// Rules OR `model` (nil = rules only). A rule's evidence wins when both fire.
    public static func detect(_ text: String, language: String?, model: FlagModel?) -> [DetectedFlag] {
        var out = detectRules(text)
        guard let model else { return out }
        let p = model.probabilities(text)
        var added = false
        for (j, flag) in TicketFlag.allCases.enumerated() where p[j] >= model.thresholds[j] && !out.contains(where: { $0.flag == flag }) {
            out.append(DetectedFlag(flag: flag, evidence: String(format: "model p=%.2f", p[j]), score: p[j]))
            added = true
        }
        // Keep the flags in policy order, as the rules alone return them.
        if added { out.sort { TicketFlag.allCases.firstIndex(of: $0.flag)! < TicketFlag.allCases.firstIndex(of: $1.flag)! } }
        return out
    }

    /// The phrase rules alone. `narrowed: false` runs each rule's whole expression (the tests check that
    /// narrowing a rule to the alternatives a text can match changes nothing).
    public static func detectRules(_ text: String, narrowed: Bool = true) -> [DetectedFlag] {
        let ns = text as NSString
        let lowered = RegexPrefilter.prepared(text)
        var out: [DetectedFlag] = []
        for flag in TicketFlag.allCases {
            var best: DetectedFlag?
            for rule in FlagRules.rules[flag] ?? [] {
                // The rule's own filter first: one search over its words rejects most rules without listing which
                // alternatives pass (measured slower when dropped).
                if let lowered, !rule.prefilter.mayMatch(lowered) { continue }
                guard let regex = narrowed ? rule.regex(for: lowered) : rule.regex else { continue }
                for m in RulesRegex.matches(regex, in: text) {
                    if rule.checkNegation, isNegated(ns, before: m.range.location) { continue }
                    if FlagRules.isExcluded(flag, ns, m.range) { continue }
                    if best == nil || rule.weight > best!.score {
                        best = DetectedFlag(flag: flag, evidence: ns.substring(with: m.range), score: rule.weight)
                    }
                    break
                }
            }
            if let best { out.append(best) }
        }
        return out
    }

    /// A negation word among the last few words of the same clause, before the match.
    static func isNegated(_ ns: NSString, before location: Int) -> Bool {
        let start = max(0, location - 60)
        var prefix = ns.substring(with: NSRange(location: start, length: location - start)).lowercased()
        // Only the current clause counts: cut at punctuation and clause-joining words.
        for cut in [".", "!", "?", ";", ",", ":", "\n", " but ", " so ", " and ", " then ", " otherwise ", " or ",
                    " aber ", " sonst ", " und ", " oder ", " sondern ", " men ", " annars ", " och ", " eller ", " så "] {
            if let r = prefix.range(of: cut, options: .backwards) { prefix = String(prefix[r.upperBound...]) }
        }
        let all = prefix.split(whereSeparator: { !$0.isLetter && $0 != "'" && $0 != "’" })
            .map { $0.replacingOccurrences(of: "’", with: "'") }
        let words = all.suffix(6)
        guard let negation = words.lastIndex(where: { FlagRules.negations.contains($0) }) else { return false }
        // A negation inside a condition ("if you don't refund me I will sue") does not negate the threat.
        return !all[..<negation].contains { FlagRules.conditionals.contains($0) }
    }
}
