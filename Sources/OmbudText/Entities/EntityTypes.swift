import Foundation

/// A money amount mentioned in a text. `amount` is exact (Decimal, never floating point).
public struct MoneyAmount: Sendable, Codable, Equatable {
    public var amount: Decimal
    /// ISO 4217 code; nil for a bare decimal such as "89.90" with no currency nearby.
    public var currency: String?
    /// The matched text, e.g. "1 234,50 kr".
    public var text: String
    /// Where `text` is in the input, in UTF-16 code units (see `range(in:)`).
    public var utf16Range: Range<Int>

    private enum CodingKeys: String, CodingKey { case amount, currency, text, utf16Range }

    public init(amount: Decimal, currency: String?, text: String, utf16Range: Range<Int>) {
        self.amount = amount
        self.currency = currency
        self.text = text
        self.utf16Range = utf16Range
    }

    // The amount travels as a decimal string ("89.90" → "89.9"), never as a JSON float.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .amount)
        guard let amount = Decimal(string: raw, locale: Locale(identifier: "en_US_POSIX")) else {
            throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "not a decimal: \(raw)")
        }
        self.amount = amount
        currency = try c.decodeIfPresent(String.self, forKey: .currency)
        text = try c.decode(String.self, forKey: .text)
        utf16Range = try c.decode(Range<Int>.self, forKey: .utf16Range)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(amount.description, forKey: .amount)
        try c.encodeIfPresent(currency, forKey: .currency)
        try c.encode(text, forKey: .text)
        try c.encode(utf16Range, forKey: .utf16Range)
    }
}

/// A date mentioned in a text, absolute or resolved against the ticket's `received_at`.
public struct MentionedDate: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case absolute, relative
    }
    public var day: CalendarDay
    public var kind: Kind
    /// True for vague mentions ("last week": the day a week before), and for
    /// day-month dates whose year was inferred.
    public var approximate: Bool
    public var text: String
    public var utf16Range: Range<Int>
}

/// A matched reference (order number, tracking number, merchant candidate).
public struct EntityMention: Sendable, Codable, Equatable {
    /// The normalised value ("A-99812" for "#A-99812", "1Z999AA10123456784").
    public var value: String
    public var text: String
    public var utf16Range: Range<Int>
}

public struct ExtractedEntities: Sendable, Codable, Equatable {
    public var amounts: [MoneyAmount] = []
    public var dates: [MentionedDate] = []
    public var orderRefMentions: [EntityMention] = []
    public var trackingMentions: [EntityMention] = []
    public var merchantMentions: [EntityMention] = []

    public var orderRefs: [String] { orderRefMentions.map(\.value) }
    public var trackingNumbers: [String] { trackingMentions.map(\.value) }
    public var merchantCandidates: [String] { merchantMentions.map(\.value) }

    public init() {}
}

extension MoneyAmount {
    /// The range of the mention in the string it was extracted from.
    public func range(in source: String) -> Range<String.Index>? { utf16Range.stringRange(in: source) }
}

extension MentionedDate {
    public func range(in source: String) -> Range<String.Index>? { utf16Range.stringRange(in: source) }
}

extension EntityMention {
    public func range(in source: String) -> Range<String.Index>? { utf16Range.stringRange(in: source) }
}

extension Range where Bound == Int {
    fileprivate func stringRange(in source: String) -> Range<String.Index>? {
        Range<String.Index>(NSRange(location: lowerBound, length: count), in: source)
    }
}

/// Small regex conveniences for the rule-based parts (NSRegularExpression over UTF-16).
enum RulesRegex {
    static func make(_ pattern: String, caseInsensitive: Bool = true) -> NSRegularExpression {
        // Patterns are literals in this module; a bad one is a programming error.
        try! NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
    }

    static func matches(_ regex: NSRegularExpression, in text: String) -> [NSTextCheckingResult] {
        regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
    }

    static func group(_ m: NSTextCheckingResult, _ name: String, in ns: NSString) -> String? {
        let r = m.range(withName: name)
        return r.location == NSNotFound ? nil : ns.substring(with: r)
    }
}

extension NSRange {
    var rulesRange: Range<Int> { location..<(location + length) }
}
