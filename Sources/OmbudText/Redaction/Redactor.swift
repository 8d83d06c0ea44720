import Foundation

/// What the redactor found; never carries the secret itself.
public struct RedactionFinding: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case cardNumber = "card_number"
        case cvv
        case iban
    }
    public var kind: Kind
    public var count: Int
    public init(kind: Kind, count: Int) {
        self.kind = kind
        self.count = count
    }
}

public struct Redaction: Sendable, Codable, Equatable {
    /// The text with secrets replaced by masks such as `[card ****1234]`, `[cvv]`, `[iban SE ****1234]`.
    public var text: String
    /// One entry per kind found, with its count; empty when nothing was masked.
    public var findings: [RedactionFinding]
}

/// Masks payment secrets before text is stored or logged: Luhn-valid card numbers,
/// CVV-like codes next to card words, and checksum-valid IBANs.
public enum Redactor {
    public static func redact(_ text: String) -> Redaction {
        let ns = text as NSString
        var spans: [(range: NSRange, mask: String, kind: RedactionFinding.Kind)] = []
        func overlaps(_ r: NSRange) -> Bool { spans.contains { NSIntersectionRange($0.range, r).length > 0 } }

        // IBANs first: their digit groups could otherwise be taken for a card number. An
        // IBAN-shaped string with a bad checksum is a mistyped IBAN, not a card either.
        var ibanShaped: [NSRange] = []
        for m in ibanPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if let (range, compact) = validIBAN(in: ns, candidate: m.range), !overlaps(range) {
                spans.append((range, "[iban \(compact.prefix(2)) ****\(compact.suffix(4))]", .iban))
            } else if ns.substring(with: m.range).filter({ $0.isNumber }).count >= 12 {
                ibanShaped.append(m.range)
            }
        }
        for (range, digits) in cardNumbers(in: ns)
        where !overlaps(range) && !ibanShaped.contains(where: { NSIntersectionRange($0, range).length > 0 }) {
            spans.append((range, "[card ****\(digits.suffix(4))]", .cardNumber))
        }
        for pattern in cvvPatterns {
            for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let r = m.range(withName: "code")
                if r.location != NSNotFound, !overlaps(r) { spans.append((r, "[cvv]", .cvv)) }
            }
        }
        guard !spans.isEmpty else { return Redaction(text: text, findings: []) }
        let out = NSMutableString(string: text)
        for span in spans.sorted(by: { $0.range.location > $1.range.location }) {
            out.replaceCharacters(in: span.range, with: span.mask)
        }
        let findings = RedactionFinding.Kind.allCases.compactMap { kind -> RedactionFinding? in
            let n = spans.filter { $0.kind == kind }.count
            return n == 0 ? nil : RedactionFinding(kind: kind, count: n)
        }
        return Redaction(text: out as String, findings: findings)
    }

    // MARK: Cards

    /// Digit groups separated by single spaces or dashes. Within a run, the longest
    /// Luhn-valid stretch of whole groups with 13–19 digits is a card number, so a PAN
    /// followed by its CVV ("4111 1111 1111 1111 123") is still found.
    private static func cardNumbers(in ns: NSString) -> [(NSRange, String)] {
        var found: [(NSRange, String)] = []
        for m in digitRunPattern.matches(in: ns as String, range: NSRange(location: 0, length: ns.length)) {
            let run = ns.substring(with: m.range)
            // Groups with their UTF-16 offsets inside the run.
            var groups: [(start: Int, end: Int, digits: String)] = []
            var current = "", start = 0
            for (i, unit) in run.utf16.enumerated() {
                if unit >= 48 && unit <= 57 {
                    if current.isEmpty { start = i }
                    current.append(Character(Unicode.Scalar(unit)!))
                } else if !current.isEmpty {
                    groups.append((start, i, current))
                    current = ""
                }
            }
            if !current.isEmpty { groups.append((start, run.utf16.count, current)) }
            var i = 0
            while i < groups.count {
                var best: (j: Int, digits: String)?
                var digits = ""
                for j in i..<groups.count {
                    digits += groups[j].digits
                    if digits.count > 19 { break }
                    if digits.count >= 13, isPlausiblePAN(digits) { best = (j, digits) }
                }
                if let best {
                    let range = NSRange(location: m.range.location + groups[i].start,
                                        length: groups[best.j].end - groups[i].start)
                    found.append((range, best.digits))
                    i = best.j + 1
                } else {
                    i += 1
                }
            }
        }
        return found
    }

    /// Payment cards start with 2–6 (Mastercard 2/5, Amex 3, Visa 4, Maestro/Discover 5/6);
    /// requiring that keeps Luhn-valid parcel ids (SSCC "00…") and similar out.
    static func isPlausiblePAN(_ digits: String) -> Bool {
        guard let first = digits.first, ("2"..."6").contains(first) else { return false }
        return luhnValid(digits)
    }

    static func luhnValid(_ digits: String) -> Bool {
        var sum = 0
        for (i, ch) in digits.reversed().enumerated() {
            guard var d = ch.wholeNumberValue else { return false }
            if i % 2 == 1 {
                d *= 2
                if d > 9 { d -= 9 }
            }
            sum += d
        }
        return sum % 10 == 0
    }

    // MARK: IBAN

    /// Country → IBAN length, for the countries the lender serves and their neighbours.
    private static let ibanLengths: [String: Int] = [
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
        "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28,
        "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
        "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26,
    ]

    /// Checks a candidate; returns the exact range of the IBAN (its length fixed by the
    /// country, so trailing words or numbers are not swallowed) and its compact form.
    private static func validIBAN(in ns: NSString, candidate: NSRange) -> (NSRange, String)? {
        let raw = ns.substring(with: candidate)
        let country = String(raw.prefix(2)).uppercased()
        var compact = ""
        var offsets: [Int] = []  // UTF-16 offset after each kept character
        var offset = 0
        for ch in raw {
            offset += ch.utf16.count
            if ch.isLetter || ch.isNumber {
                compact.append(Character(ch.uppercased()))
                offsets.append(offset)
            }
        }
        let lengths: [Int] = ibanLengths[country].map { [$0] } ?? Array((15...min(34, compact.count)).reversed())
        for length in lengths where compact.count >= length {
            let candidateIBAN = String(compact.prefix(length))
            if ibanChecksumValid(candidateIBAN) {
                return (NSRange(location: candidate.location, length: offsets[length - 1]), candidateIBAN)
            }
        }
        return nil
    }

    static func ibanChecksumValid(_ iban: String) -> Bool {
        guard iban.count >= 15 else { return false }
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for ch in rearranged {
            if let d = ch.wholeNumberValue, ch.isASCII {
                remainder = (remainder * 10 + d) % 97
            } else if let a = ch.asciiValue, (65...90).contains(a) {
                remainder = (remainder * 100 + Int(a) - 55) % 97
            } else {
                return false
            }
        }
        return remainder == 1
    }

    // MARK: Patterns

    private static let ibanPattern = try! NSRegularExpression(
        pattern: #"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}(?:[ ]?[A-Za-z0-9]){11,30}"#)
    private static let digitRunPattern = try! NSRegularExpression(
        pattern: #"(?<![0-9A-Za-z])[0-9]+(?:[ -][0-9]+)*(?![0-9A-Za-z])"#)
    /// Card words in en/de/sv/nb/da/fi/nl/fr/es, then a short gap, then 3–4 digits.
    private static let cvvPatterns: [NSRegularExpression] = [
        try! NSRegularExpression(
            pattern: #"(?i)(?:\b(?:cvv2?|cvc2?|cv2|cid|csc)\b|security\s+code|card\s+verification(?:\s+(?:code|value|number))?|verification\s+code|(?:karten)?prüf(?:nummer|ziffer|code)|sicherheits(?:code|nummer)|säkerhetskod|cvv-kod|cvc-kod|kontrollsiffr(?:a|or)|sikkerhedskode|sikkerhetskode|kontrollnummer|turvakoodi|tarkistusnumero|beveiligingscode|cryptogramme|code\s+de\s+sécurité|código\s+de\s+seguridad|codice\s+di\s+sicurezza)[^0-9\n]{0,20}?(?<![0-9])(?<code>[0-9]{3,4})(?![0-9])"#),
        // "123 is my CVV" / "123 är min CVC"
        try! NSRegularExpression(
            pattern: #"(?i)(?<![0-9])(?<code>[0-9]{3,4})(?![0-9])\s*(?:is|är|er|ist|on)?\s*(?:my|the|min|mein|meine)?\s*(?:cvv2?|cvc2?|security\s+code|säkerhetskod|prüfnummer)\b"#),
    ]
}
