import Foundation

/// Order references and parcel tracking numbers.
enum ReferenceRules {
    // MARK: Order references

    /// Order words in the lender's markets, then an optional "number/no./nr/#/:" and the reference.
    private static let orderKeyword = RulesRegex.make(
        #"(?<![\p{L}])(?:order(?:\s*(?:number|no\.?|nr\.?|id|ref(?:erence)?))?|ordernumm?er|ordernr\.?|orderid|ordre(?:nummer|nr\.?)?|beställning(?:snummer|snr\.?)?|bestellung|bestell(?:nummer|nr\.?)|auftrag(?:snummer|snr\.?)?|bestelling|bestelnummer|commande|numéro\s+de\s+commande|pedido|número\s+de\s+pedido|ordine|zamówienie|numer\s+zamówienia|tilaus(?:numero)?|purchase(?:\s+(?:number|no\.?))?|reference(?:\s+number)?|ref\.?|referens(?:nummer)?|kaufnummer)(?:\s*(?:number|no\.?|nr\.?|nummer|numéro|número|numero|id|n[°º]))?\s*(?:is|är|er|ist|lautet|was|:|#|-|=)?\s*(?:#\s*)?(?<ref>[A-Za-z]{0,4}[-]?[0-9][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*)"#)
    /// "#A-99812", "#12345678"
    private static let hashRef = RulesRegex.make(#"(?<![\p{L}0-9])#\s?(?<ref>[A-Za-z]{0,4}-?[0-9]{3,}[A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)"#)

    /// Necessary conditions, so most texts skip the regular expressions (each took about 20 µs a ticket): a
    /// reference has three digits, the keyword form needs one of its order words, the hash form a "#".
    static let orderKeywordFilter = RegexPrefilter(pattern: orderKeyword.pattern)

    /// `gate`: what the gates read off the text (nil: read it here; `.open` runs every regular expression).
    static func orderRefs(in text: String, excluding taken: [Range<Int>], gate: TextGate? = nil) -> [EntityMention] {
        let gate = gate ?? TextGate(text)
        guard gate.digits >= 3 else { return [] }
        let ns = text as NSString
        var out: [EntityMention] = []
        for regex in [orderKeyword, hashRef] {
            if regex === orderKeyword ? !gate.mayMatch(orderKeywordFilter) : !gate.hasHash { continue }
            for m in RulesRegex.matches(regex, in: text) {
                let r = m.range(withName: "ref")
                guard r.location != NSNotFound else { continue }
                let value = ns.substring(with: r)
                // At least 3 digits, so "order 2" or "order for 3 items" is not a reference.
                guard value.filter(\.isNumber).count >= 3,
                      !taken.contains(where: { $0.overlaps(r.rulesRange) }),
                      !out.contains(where: { $0.utf16Range.overlaps(r.rulesRange) }) else { continue }
                out.append(EntityMention(value: value.uppercased(), text: value, utf16Range: r.rulesRange))
            }
        }
        return out.sorted { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }
    }

    // MARK: Tracking numbers

    /// Formats distinctive enough to be taken anywhere in the text.
    private static let strongTracking: [NSRegularExpression] = [
        RulesRegex.make(#"(?<![A-Za-z0-9])1Z\s?[0-9A-Z]{3}\s?[0-9A-Z]{3}\s?[0-9A-Z]{2}\s?[0-9A-Z]{4}\s?[0-9A-Z]{4}(?![A-Za-z0-9])"#, caseInsensitive: false), // UPS
        RulesRegex.make(#"(?<![A-Za-z0-9])[A-Z]{2}\s?[0-9]{3}\s?[0-9]{3}\s?[0-9]{3}\s?(?:SE|NO|DK|FI|DE|NL|FR|ES|IT|PL|GB|CN|US|AT|BE|CH)(?![A-Za-z0-9])"#, caseInsensitive: false), // UPU S10 (PostNord, Posten, …)
        RulesRegex.make(#"(?<![A-Za-z0-9])JJD[0-9]{10,20}(?![A-Za-z0-9])"#, caseInsensitive: false), // DHL Paket / Express
        RulesRegex.make(#"(?<![A-Za-z0-9])JVGL[0-9]{8,20}(?![A-Za-z0-9])"#, caseInsensitive: false), // DHL Global Mail
        RulesRegex.make(#"(?<![A-Za-z0-9])00[0-9]{16}(?:[0-9]{2})?(?![A-Za-z0-9])"#, caseInsensitive: false), // SSCC parcel ids (PostNord, DHL, Bring)
    ]
    /// Digit-only carrier numbers (DHL 10/12/20, FedEx 12/15, GLS 11, DPD 14, Budbee/Instabox alphanumerics)
    /// are taken only after a tracking word.
    private static let keywordTracking = RulesRegex.make(
        #"(?<![\p{L}])(?:tracking(?:\s*(?:number|no\.?|id|code|nr\.?))?|track(?:\s*&\s*trace)?|trackingnummer|tracking-nummer|sendungsnummer|sendungs-?id|paketnummer|kolli-?id|kollinummer|spårningsnummer|spårnings-?id|sporingsnummer|forsendelsesnummer|zendingnummer|numéro\s+de\s+suivi|número\s+de\s+seguimiento|numero\s+di\s+tracciamento|numer\s+przesyłki|lähetystunnus|seurantakoodi|shipment(?:\s*(?:number|no\.?|id))?|parcel(?:\s*(?:number|no\.?|id))?|waybill|awb)\s*(?:is|är|er|ist|lautet|:|#|-)?\s*(?<ref>[A-Z0-9]{8,30})(?![A-Za-z0-9])"#)

    /// The keyword form needs one of its tracking words (a text without one skips its regular expression).
    static let keywordTrackingFilter = RegexPrefilter(pattern: keywordTracking.pattern)

    static func trackingNumbers(in text: String, gate: TextGate? = nil) -> [EntityMention] {
        let gate = gate ?? TextGate(text)
        let ns = text as NSString
        var out: [EntityMention] = []
        // Digits each form needs (a UPS number needs only its "1Z"): a text short of them skips the expression.
        for (index, regex) in strongTracking.enumerated() {
            if index == 0 ? !gate.hasUPSPrefix : gate.digits < 8 { continue }
            for m in RulesRegex.matches(regex, in: text) where !out.contains(where: { $0.utf16Range.overlaps(m.range.rulesRange) }) {
                let raw = ns.substring(with: m.range)
                out.append(EntityMention(value: raw.filter { !$0.isWhitespace }, text: raw, utf16Range: m.range.rulesRange))
            }
        }
        let keywordMayMatch = gate.digits >= 6 && gate.mayMatch(keywordTrackingFilter)
        for m in keywordMayMatch ? RulesRegex.matches(keywordTracking, in: text) : [] {
            let r = m.range(withName: "ref")
            let value = ns.substring(with: r)
            guard value.filter(\.isNumber).count >= 6,
                  !out.contains(where: { $0.utf16Range.overlaps(r.rulesRange) }) else { continue }
            out.append(EntityMention(value: value.uppercased(), text: value, utf16Range: r.rulesRange))
        }
        return out.sorted { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }
    }
}
