import Foundation

/// Finds which of a customer's merchants a text talks about, tolerant to case,
/// diacritics, spacing and small typos ("nordic shoe", "Zalándo", "H & M").
public enum MerchantMatcher {
    /// The best merchant with its score (0…1; 1 = exact normalised mention), or nil
    /// when none scores at least `threshold`. Ties go to the longer, then alphabetically first name.
    public static func bestMatch(text: String, merchants: [String], threshold: Double = 0.8) -> (name: String, score: Double)? {
        let textTokens = tokens(text).map { Array($0.unicodeScalars) }
        guard !textTokens.isEmpty else { return nil }
        // The text's windows (runs of `width` tokens, glued), built once and shared by every merchant.
        var windowsOfWidth: [Int: [[Unicode.Scalar]]] = [:]
        func windows(_ width: Int) -> [[Unicode.Scalar]] {
            if let built = windowsOfWidth[width] { return built }
            let built = (0...(textTokens.count - width)).map { start in Array(textTokens[start..<(start + width)].joined()) }
            windowsOfWidth[width] = built
            return built
        }
        var best: (name: String, score: Double)?
        for merchant in merchants {
            let m = tokens(merchant)
            guard !m.isEmpty else { continue }
            let target = Array(m.joined().unicodeScalars)
            var score = 0.0
            // Compare against windows of the text with one token fewer/more than the name,
            // glued together, so "nordicshoes" and "Nordic Shoes" meet.
            for width in max(1, m.count - 1)...(m.count + 1) where width <= textTokens.count {
                for window in windows(width) {
                    score = max(score, similarity(window, target))
                    if score == 1 { break }
                }
            }
            if score >= threshold {
                if best == nil || score > best!.score
                    || (score == best!.score && (merchant.count > best!.name.count
                        || (merchant.count == best!.name.count && merchant < best!.name))) {
                    best = (merchant, score)
                }
            }
        }
        return best
    }

    /// Shops the text says something was bought from ("my parcel from Lego") that are none of `merchants`
    /// (the customer's own): evidence that the ticket is about an order this customer's ledger does not show.
    public static func otherShops(text: String, merchants: [String], threshold: Double = 0.8) -> [String] {
        let known = merchants.map { tokens($0).joined() }.filter { !$0.isEmpty }
        return MerchantRules.boughtFromNames(in: text).filter { name in
            // Part of a name counts as the name ("from Lego" for "LEGO Shop"), as in the order matcher.
            let glued = tokens(name).joined()
            guard !glued.isEmpty else { return false }
            return !known.contains { $0.contains(glued) || glued.contains($0) }
                && bestMatch(text: name, merchants: merchants, threshold: threshold) == nil
        }
    }

    /// 1 − edit distance / length of the longer, with short names held to exact matches
    /// (a one-letter typo in a 3-letter name is another name).
    static func similarity(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Double {
        if a == b { return 1 }
        let longer = max(a.count, b.count)
        guard min(a.count, b.count) >= 4 else { return 0 }
        // Typos allowed grow with length; names of up to 6 letters must match exactly.
        let allowed = longer >= 16 ? 3 : longer >= 10 ? 2 : longer >= 7 ? 1 : 0
        // The distance is at least the difference in length: most windows end here, before the table.
        guard allowed > 0, abs(a.count - b.count) <= allowed else { return 0 }
        let d = editDistance(a, b, limit: 3)
        guard d <= allowed else { return 0 }
        return 1 - Double(d) / Double(longer)
    }

    private static let posix = Locale(identifier: "en_US_POSIX")
    private static let legalForms: Set<String> = ["ab", "gmbh", "ag", "ltd", "limited", "inc", "llc", "as", "asa", "aps", "oy",
                                                  "oyj", "bv", "nv", "sa", "sas", "srl", "spa", "plc", "co", "kg", "se"]

    /// Lowercased, diacritics folded, legal-form suffixes dropped, split on non-alphanumerics.
    static func tokens(_ s: String) -> [String] {
        var parts = asciiWords(s) ?? foldedWords(s)
        if parts.count > 1, let last = parts.last, legalForms.contains(last) { parts.removeLast() }
        return parts
    }

    /// Any text: Foundation's folding, then letters and numbers by `Character`.
    static func foldedWords(_ s: String) -> [String] {
        let folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: posix)
        var parts: [String] = []
        var current = ""
        for ch in folded {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if !current.isEmpty {
                parts.append(current)
                current = ""
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// The same words for an ASCII text, from its bytes (nil otherwise): folding ASCII only lowercases it, and its
    /// letters and numbers are A–Z, a–z and 0–9. Most ticket texts and merchant names take this path; Foundation's
    /// folding was most of the lookup stage's own time.
    static func asciiWords(_ s: String) -> [String]? {
        var s = s
        return s.withUTF8 { bytes -> [String]? in
            var parts: [String] = []
            var start = -1
            var word: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                guard byte < 0x80 else { return nil }
                let isAlphanumeric = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                if isAlphanumeric {
                    if start < 0 { start = index; word.removeAll(keepingCapacity: true) }
                    word.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                } else if start >= 0 {
                    parts.append(String(decoding: word, as: UTF8.self))
                    start = -1
                }
            }
            if start >= 0 { parts.append(String(decoding: word, as: UTF8.self)) }
            return parts
        }
    }

    /// Damerau-free Levenshtein with an early exit once every cell exceeds `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}

/// Merchant-name candidates in free text: capitalised names after "from/at/bei/hos/…",
/// shop domains, and runs of capitalised words inside a sentence.
enum MerchantRules {
    private static let afterPreposition = RulesRegex.make(
        #"(?<![\p{L}])(?:from|at|with|by|bei|von|über|hos|från|via|fra|van|chez|de|en|da|presso|w|z|od)\s+(?<name>(?:[\p{Lu}0-9][\p{L}0-9&'’.+-]*)(?:\s+(?:&\s+)?[\p{Lu}0-9][\p{L}0-9&'’.+-]*){0,2})"#,
        caseInsensitive: false)
    private static let domain = RulesRegex.make(
        #"(?<![\p{L}0-9.@])(?<name>[a-z0-9][a-z0-9-]{1,40}\.(?:com|de|se|no|dk|fi|nl|fr|es|it|pl|at|ch|eu|co\.uk|net|shop|store))(?![\p{L}0-9])"#)
    private static let capitalisedRun = RulesRegex.make(
        #"(?<=[\p{Ll}0-9,;:] )(?<name>[\p{Lu}][\p{L}0-9&'’+-]*(?:\s+(?:&\s+)?[\p{Lu}][\p{L}0-9&'’+-]*){0,2})"#,
        caseInsensitive: false)

    /// Capitalised words that are not names: pronouns, greetings, months, weekdays, carriers' generic words.
    private static let stopWords: Set<String> = [
        "i", "im", "i'm", "hi", "hello", "hej", "hallo", "dear", "thanks", "thank", "please", "bitte", "danke", "tack",
        "the", "a", "an", "my", "it", "this", "that", "der", "die", "das", "ich", "mein", "meine", "jag", "min", "mitt",
        "sie", "ihr", "ihnen", "du", "ni", "you", "we", "they", "he", "she", "mr", "mrs", "ms",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
        "eur", "sek", "nok", "dkk", "usd", "gbp", "pln", "chf", "iban", "cvv", "cvc", "ok", "okay",
        "order", "bestellung", "beställning", "ordernummer", "bestellnummer", "rechnung", "faktura", "invoice",
        "customer", "service", "support", "kundenservice", "kundtjänst", "klarna", "ombud",
    ]

    /// A capitalised name right after a word that says where something was bought ("from Lego", "bei Zalando",
    /// "hos Elgiganten"): narrower than `afterPreposition` ("with", "by", "via" name carriers and payment methods).
    private static let boughtFrom = RulesRegex.make(
        #"(?<![\p{L}])(?i:from|at|bei|von|hos|från|fra|chez|van)\s+(?<name>\p{Lu}[\p{L}0-9&'’.+-]*(?:\s+(?:&\s+)?[\p{Lu}0-9][\p{L}0-9&'’.+-]*){0,2})"#,
        caseInsensitive: false)

    /// Names that follow "from"/"at" but are not shops: carriers, payment methods and places a parcel comes from.
    private static let notSellers: Set<String> = [
        "dhl", "ups", "dpd", "gls", "hermes", "fedex", "postnord", "posten", "post", "bring", "budbee", "instabox",
        "inpost", "usps", "royal", "evri", "schenker", "paypal", "visa", "mastercard", "amex", "swish", "vipps",
        "mobilepay", "christmas", "easter",
    ]

    /// Where the text says something was bought, as written ("Lego"): the names lookup checks against the
    /// customer's own merchants, so a ticket about another shop is not matched to the customer's only order.
    static func boughtFromNames(in text: String) -> [String] {
        let ns = text as NSString
        var out: [String] = []
        for m in RulesRegex.matches(boughtFrom, in: text) {
            var words = ns.substring(with: m.range(withName: "name"))
                .trimmingCharacters(in: CharacterSet(charactersIn: ".,'’-+&")).split(separator: " ").map(String.init)
            while let last = words.last, stopWords.contains(last.lowercased()) || last == "&" { words.removeLast() }
            guard let first = words.first, !stopWords.contains(first.lowercased()),
                  !notSellers.contains(first.lowercased()) else { continue }
            let name = words.joined(separator: " ")
            if name.count >= 2, !out.contains(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) { out.append(name) }
        }
        return out
    }

    /// A domain needs one of its top-level domains (".com", ".de", …): most texts skip that regular expression.
    static let domainFilter = RegexPrefilter(pattern: domain.pattern)

    /// `gate`: what the gates read off the text (nil: read it here; `.open` runs every regular expression).
    static func candidates(in text: String, gate: TextGate? = nil) -> [EntityMention] {
        let gate = gate ?? TextGate(text)
        let ns = text as NSString
        var out: [EntityMention] = []
        for regex in [domain, afterPreposition, capitalisedRun] {
            if regex === domain, !gate.mayMatch(domainFilter) { continue }
            for m in RulesRegex.matches(regex, in: text) {
                let r = m.range(withName: "name")
                var name = ns.substring(with: r)
                // Trim trailing punctuation and stop words at either end.
                name = name.trimmingCharacters(in: CharacterSet(charactersIn: ".,'’-+&"))
                var words = name.split(separator: " ").map(String.init)
                while let first = words.first, stopWords.contains(first.lowercased()) { words.removeFirst() }
                while let last = words.last, stopWords.contains(last.lowercased()) || last == "&" { words.removeLast() }
                guard !words.isEmpty else { continue }
                let candidate = words.joined(separator: " ")
                guard candidate.count >= 2, candidate.contains(where: \.isLetter),
                      !out.contains(where: { $0.value.caseInsensitiveCompare(candidate) == .orderedSame }) else { continue }
                let start = ns.range(of: candidate, options: [], range: r)
                out.append(EntityMention(value: candidate, text: candidate,
                                         utf16Range: (start.location == NSNotFound ? r : start).rulesRange))
            }
        }
        return out.sorted { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }
    }
}
