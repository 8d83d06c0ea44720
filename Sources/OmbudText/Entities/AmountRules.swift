import Foundation

/// Money amounts in the forms customers write: "€89.90", "89,90 EUR", "1 234,50 kr",
/// "$1,234.50", "89.90€", "SEK 1.234,50", "12 euro", "199:-".
enum AmountRules {
    // A number with optional thousands grouping (space, NBSP, thin space, dot, comma, apostrophe) and decimals.
    private static let number = #"(?<num>[0-9]{1,3}(?:[ \u00A0\u202F.,'][0-9]{3})+(?:[.,][0-9]{1,2})?|[0-9]+(?:[.,][0-9]{1,2})?)"#
    private static let before = #"(?<cur1>€|\$|£|EUR|USD|GBP|SEK|NOK|DKK|PLN|CHF|kr\.?|zł)"#
    private static let after = #"(?<cur2>€|\$|£|EUR|USD|GBP|SEK|NOK|DKK|PLN|CHF|euros?|dollars?|pounds?|kronor|kronur|kroner|krona|krone|kr\.?|zł|złotych|zloty|:-)"#

    private static let currencyFirst = RulesRegex.make(#"(?<![\p{L}0-9])"# + before + #"[ \u00A0]?"# + number + #"(?![0-9]|[.,][0-9])"#)
    private static let currencyLast = RulesRegex.make(#"(?<![\p{L}0-9.,])"# + number + #"[ \u00A0]?"# + after + #"(?![\p{L}0-9])"#)
    /// Bare amounts with exactly two decimals ("89.90 each time"): currency unknown.
    private static let bare = RulesRegex.make(#"(?<![\p{L}0-9.,:/-])(?<num>[0-9]{1,3}(?:[ \u00A0.,][0-9]{3})*[.,][0-9]{2})(?![0-9]|[.,/-][0-9])"#)

    /// "about 150", "around €150", "ca. 1 200 kr", "ungefär 300:-": a sum the customer only roughly remembers. A number
    /// followed by another word ("about 3 weeks") or by a time or date ("about 12:30") is not a sum unless that word is a
    /// currency.
    private static let approximate = RulesRegex.make(
        #"(?<![\p{L}])(?i:about|around|approx\.?|approximately|roughly|circa|ca\.?|ungefär|cirka|omkring|runt|etwa|ungefähr|rund|environ|ongeveer|około)[ \u00A0]+"#
            + #"(?:"# + before + #"[ \u00A0]?)?"# + number
            + #"(?:[ \u00A0]?"# + after + #"(?![\p{L}0-9])|(?![0-9]|[.,:/-][0-9]|[ \u00A0]*\p{L}))"#)

    /// Approximate sums in the text, in its order; the currency when the text gives one.
    static func approximateAmounts(in text: String, language: String?) -> [(amount: Decimal, currency: String?)] {
        let ns = text as NSString
        return RulesRegex.matches(approximate, in: text).compactMap { m in
            guard let num = RulesRegex.group(m, "num", in: ns), let amount = parse(num) else { return nil }
            let currency = (RulesRegex.group(m, "cur1", in: ns) ?? RulesRegex.group(m, "cur2", in: ns))
                .map { currencyCode($0, language: language) }
            return (amount, currency)
        }
    }

    static func extract(from text: String, language: String?) -> [MoneyAmount] {
        let ns = text as NSString
        var out: [MoneyAmount] = []
        func taken(_ r: NSRange) -> Bool {
            out.contains { $0.utf16Range.overlaps(r.rulesRange) }
        }
        for (regex, curGroup) in [(currencyFirst, "cur1"), (currencyLast, "cur2")] {
            for m in RulesRegex.matches(regex, in: text) where !taken(m.range) {
                guard let num = RulesRegex.group(m, "num", in: ns), let amount = parse(num),
                      let cur = RulesRegex.group(m, curGroup, in: ns) else { continue }
                out.append(MoneyAmount(amount: amount, currency: currencyCode(cur, language: language),
                                       text: ns.substring(with: m.range), utf16Range: m.range.rulesRange))
            }
        }
        for m in RulesRegex.matches(bare, in: text) where !taken(m.range) {
            guard let num = RulesRegex.group(m, "num", in: ns), let amount = parse(num) else { continue }
            out.append(MoneyAmount(amount: amount, currency: nil, text: ns.substring(with: m.range), utf16Range: m.range.rulesRange))
        }
        return out.sorted { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }
    }

    /// "kr" is the krona/krone of the customer's market: SEK unless the text is Norwegian or Danish.
    static func currencyCode(_ raw: String, language: String?) -> String {
        switch raw.lowercased() {
        case "€", "eur", "euro", "euros": return "EUR"
        case "$", "usd", "dollar", "dollars": return "USD"
        case "£", "gbp", "pound", "pounds": return "GBP"
        case "sek", "kronor", "krona", ":-": return "SEK"
        case "nok": return "NOK"
        case "dkk": return "DKK"
        case "pln", "zł", "złotych", "zloty": return "PLN"
        case "chf": return "CHF"
        case "kroner", "krone":
            return language == "da" ? "DKK" : "NOK"
        default: // "kr", "kr."
            switch language {
            case "nb", "no", "nn": return "NOK"
            case "da": return "DKK"
            default: return "SEK"
            }
        }
    }

    /// Parses a written number into an exact Decimal. The last '.' or ',' followed by
    /// one or two digits is the decimal separator; any other separator groups thousands.
    static func parse(_ raw: String) -> Decimal? {
        var digits = ""
        let chars = Array(raw)
        var decimalIndex: Int?
        if let last = chars.lastIndex(where: { $0 == "." || $0 == "," }) {
            let tail = chars.count - last - 1
            if tail == 1 || tail == 2 { decimalIndex = last }
        }
        for (i, ch) in chars.enumerated() {
            if ch.isASCII, ch.isNumber { digits.append(ch) } else if i == decimalIndex { digits.append(".") }
        }
        guard !digits.isEmpty else { return nil }
        return Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX"))
    }
}
