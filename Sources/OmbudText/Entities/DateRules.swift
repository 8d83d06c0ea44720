import Foundation

/// Absolute dates ("2026-11-03", "03.11.2026", "3/11", "3 November", "3. November 2026",
/// "November 3") and dates relative to the ticket's `received_at` ("yesterday",
/// "last Tuesday", "3 days ago", "gestern", "vor 3 Tagen", "i tisdags", "för 3 dagar sedan", …).
enum DateRules {
    static func extract(from text: String, today: CalendarDay) -> [MentionedDate] {
        let ns = text as NSString
        // Cheap necessary conditions first: every absolute form has a digit, every relative rule one of its
        // keywords. Most tickets then run only a few of the regular expressions (they were most of intake's time).
        let hasDigit = text.utf8.contains { $0 >= 0x30 && $0 <= 0x39 }
        let prepared = RegexPrefilter.prepared(text)
        let lower = prepared ?? Array(text.lowercased().utf8)
        var out: [MentionedDate] = []
        func add(_ day: CalendarDay?, _ kind: MentionedDate.Kind, _ approximate: Bool, _ range: NSRange) {
            guard let day, !out.contains(where: { $0.utf16Range.overlaps(range.rulesRange) }) else { return }
            out.append(MentionedDate(day: day, kind: kind, approximate: approximate,
                                     text: ns.substring(with: range), utf16Range: range.rulesRange))
        }

        for m in hasDigit ? RulesRegex.matches(iso, in: text) : [] {
            add(CalendarDay(year: int(m, "y", ns), month: int(m, "m", ns), day: int(m, "d", ns)), .absolute, false, m.range)
        }
        for m in hasDigit ? RulesRegex.matches(numeric, in: text) : [] {
            let a = int(m, "a", ns), b = int(m, "b", ns)
            // Day first (Europe) unless that is impossible and month-first is not.
            var (d, mo) = (a, b)
            if b > 12 && a <= 12 { (d, mo) = (b, a) }
            if let yRaw = RulesRegex.group(m, "y", in: ns), let y = Int(yRaw) {
                add(CalendarDay(year: y < 100 ? 2000 + y : y, month: mo, day: d), .absolute, false, m.range)
            } else {
                // "3/11" and "3.11." need an unambiguous separator context: skip "3.11" (could be an amount).
                let s = ns.substring(with: m.range)
                if s.contains(".") && !s.hasSuffix(".") { continue }
                add(inferYear(month: mo, day: d, today: today), .absolute, true, m.range)
            }
        }
        // The month-name forms also need a month name in the text (checked on the lower-cased text; a text whose
        // case folding is not its lower case always runs them).
        let mayNameMonth = hasDigit && (prepared.map(mayNameMonth) ?? true)
        for regex in mayNameMonth ? [dayMonthName, monthNameDay] : [] {
            for m in RulesRegex.matches(regex, in: text) {
                guard let monthName = RulesRegex.group(m, "mon", in: ns),
                      let mo = monthNumber(monthName) else { continue }
                let d = int(m, "d", ns)
                if let yRaw = RulesRegex.group(m, "y", in: ns), let y = Int(yRaw) {
                    add(CalendarDay(year: y, month: mo, day: d), .absolute, false, m.range)
                } else {
                    add(inferYear(month: mo, day: d, today: today), .absolute, true, m.range)
                }
            }
        }
        for rule in relativeRules where rule.keywords.contains(where: { ByteSearch.contains(lower, $0) }) {
            for m in RulesRegex.matches(rule.regex, in: text) {
                let captured = RulesRegex.group(m, "n", in: ns) ?? RulesRegex.group(m, "wd", in: ns)
                if let (day, approx) = rule.resolve(captured, today) {
                    add(day, .relative, approx, m.range)
                }
            }
        }
        return out.sorted { $0.utf16Range.lowerBound < $1.utf16Range.lowerBound }
    }

    /// A day-month date without a year is taken in the year that puts it closest before
    /// (or at most 60 days after) the ticket: customers mostly talk about past orders.
    static func inferYear(month: Int, day: Int, today: CalendarDay) -> CalendarDay? {
        guard let thisYear = CalendarDay(year: today.year, month: month, day: day)
                ?? CalendarDay(year: today.year - 1, month: month, day: day) else { return nil }
        if thisYear > today.adding(days: 60) {
            return CalendarDay(year: today.year - 1, month: month, day: day)
        }
        return thisYear
    }

    private static func int(_ m: NSTextCheckingResult, _ name: String, _ ns: NSString) -> Int {
        RulesRegex.group(m, name, in: ns).flatMap { Int($0) } ?? 0
    }

    // MARK: Absolute

    private static let iso = RulesRegex.make(#"(?<![0-9])(?<y>20[0-9]{2})-(?<m>[0-9]{1,2})-(?<d>[0-9]{1,2})(?![0-9])"#)
    /// 03.11.2026, 3/11/26, 3-11-2026, 3/11, 3.11.
    private static let numeric = RulesRegex.make(
        #"(?<![0-9.,/-])(?<a>[0-9]{1,2})([./-])(?<b>[0-9]{1,2})(?:\2(?<y>(?:20)?[0-9]{2})(?![0-9])|\.(?![0-9])|(?![0-9.,/-]))"#)

    private static let monthNames: [String: Int] = {
        var map: [String: Int] = [:]
        let lists: [[String]] = [
            // en, de, sv, nb/da, nl, fr, es, it, pl (genitive), fi (partitive), and short forms
            ["january", "januar", "januari", "janvier", "enero", "gennaio", "stycznia", "tammikuuta", "jan", "jänner"],
            ["february", "februar", "februari", "février", "fevrier", "febrero", "febbraio", "lutego", "helmikuuta", "feb"],
            ["march", "märz", "maerz", "mars", "marts", "maart", "marzo", "marca", "maaliskuuta", "mar", "mär"],
            ["april", "avril", "abril", "aprile", "kwietnia", "huhtikuuta", "apr"],
            ["may", "mai", "maj", "mei", "mayo", "maggio", "maja", "toukokuuta"],
            ["june", "juni", "juin", "junio", "giugno", "czerwca", "kesäkuuta", "jun"],
            ["july", "juli", "juillet", "julio", "luglio", "lipca", "heinäkuuta", "jul"],
            ["august", "augusti", "augustus", "août", "aout", "agosto", "sierpnia", "elokuuta", "aug"],
            ["september", "septembre", "septiembre", "settembre", "września", "syyskuuta", "sep", "sept"],
            ["october", "oktober", "octobre", "octubre", "ottobre", "października", "lokakuuta", "oct", "okt"],
            ["november", "novembre", "noviembre", "listopada", "marraskuuta", "nov"],
            ["december", "dezember", "desember", "décembre", "decembre", "diciembre", "dicembre", "grudnia", "joulukuuta", "dec", "dez", "des"],
        ]
        for (i, names) in lists.enumerated() { for n in names { map[n] = i + 1 } }
        return map
    }()

    /// The month names as lower-case UTF-8, shortest forms only where a longer one contains them ("jan" covers
    /// "january"): one of them is in every text the month-name patterns match.
    private static let monthKeywords: [[UInt8]] = {
        let names = monthNames.keys.sorted { $0.count < $1.count }
        var kept: [String] = []
        for name in names where !kept.contains(where: { name.contains($0) }) { kept.append(name) }
        return kept.map { Array($0.utf8) }
    }()

    /// False only when a text (lower-cased UTF-8) names no month, so neither month-name pattern can match it.
    /// First a substring check ("mar" is in "market" too), then the patterns' own condition: the name is a whole
    /// word, or ends one that starts with a day suffix ("3rdnov", "3:enovember"). The month-name patterns were a
    /// third of the entity rules' time, on texts that only had "mar" or "des" somewhere.
    static func mayNameMonth(_ lowercased: [UInt8]) -> Bool {
        guard monthKeywords.contains(where: { ByteSearch.contains(lowercased, $0) }) else { return false }
        var word = String.UnicodeScalarView(), length = 0
        for scalar in String(decoding: lowercased, as: UTF8.self).unicodeScalars + [" "] {
            if isLetter(scalar) {
                word.append(scalar)
                length += 1
                continue
            }
            // Only words as long as a month's name with a suffix are looked up (no string for every word).
            if (3...monthWordMaxLength).contains(length), namesMonth(String(word)) { return true }
            word.removeAll(keepingCapacity: true)
            length = 0
        }
        return false
    }

    /// The longest month name plus the longest day suffix ("er"), in scalars.
    private static let monthWordMaxLength = (monthNames.keys.map(\.unicodeScalars.count).max() ?? 0) + 2

    /// A word of the month-name patterns: a month's name, or one after a day's suffix written without a space.
    private static func namesMonth(_ word: String) -> Bool {
        if monthNames[word] != nil { return true }
        return ["st", "nd", "rd", "th", "e", "er", "a"].contains { word.hasPrefix($0) && monthNames[String(word.dropFirst($0.count))] != nil }
    }

    /// `\p{L}`, as the patterns' word boundaries read it.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }

    static var monthNamePatterns: [NSRegularExpression] { [dayMonthName, monthNameDay] }

    private static func monthNumber(_ raw: String) -> Int? {
        monthNames[raw.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))]
    }

    private static let monthAlternation: String = {
        monthNames.keys.sorted { $0.count > $1.count }.joined(separator: "|")
    }()

    /// "3 November", "3. November 2026", "3rd of November", "den 3 november", "3 de noviembre de 2026"
    private static let dayMonthName = RulesRegex.make(
        #"(?<![0-9])(?<d>[0-9]{1,2})(?:\.|st|nd|rd|th|e|er|:e|:a)?\s*(?:of\s+|de\s+)?(?<mon>"# + monthAlternation
        + #")\.?(?![\p{L}])(?:,?\s*(?:de\s+)?(?<y>20[0-9]{2})(?![0-9]))?"#)
    /// "November 3", "Nov 3rd, 2026"
    private static let monthNameDay = RulesRegex.make(
        #"(?<![\p{L}])(?<mon>"# + monthAlternation + #")\.?\s+(?<d>[0-9]{1,2})(?:st|nd|rd|th)?(?![0-9])(?:,?\s*(?<y>20[0-9]{2})(?![0-9]))?"#)

    // MARK: Relative

    private struct RelativeRule: Sendable {
        let regex: NSRegularExpression
        /// Lower-case words (UTF-8) of which a match contains at least one: the rule runs only when the text has one.
        let keywords: [[UInt8]]
        let resolve: @Sendable (String?, CalendarDay) -> (CalendarDay, Bool)?
    }

    private static func fixed(_ pattern: String, _ offset: Int, approximate: Bool = false) -> RelativeRule {
        // Each alternative is words joined by \s+; its longest word must be in any text it matches.
        let keywords = pattern.components(separatedBy: "|").map { alternative in
            Array((alternative.components(separatedBy: #"\s+"#).max { $0.count < $1.count } ?? alternative).utf8)
        }
        return RelativeRule(regex: RulesRegex.make(#"(?<![\p{L}])(?:"# + pattern + #")(?![\p{L}])"#),
                            keywords: keywords) { _, today in
            (today.adding(days: offset), approximate)
        }
    }

    private static let numberWords: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "couple of": 2, "ein": 1, "einem": 1, "einer": 1, "eine": 1, "zwei": 2, "drei": 3,
        "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "en": 1, "ett": 1,
        "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
        "to": 2, "fire": 4, "seks": 6, "syv": 7, "otte": 8, "åtte": 8, "ni": 9, "ti": 10,
    ]
    private static let numberPattern = #"(?<n>[0-9]{1,3}|"# + numberWords.keys.sorted { $0.count > $1.count }.joined(separator: "|") + ")"

    private static func ago(_ pattern: String, keyword: String, unitDays: Int, approximate: Bool = false) -> RelativeRule {
        RelativeRule(regex: RulesRegex.make(#"(?<![\p{L}])"# + pattern + #"(?![\p{L}])"#), keywords: [Array(keyword.utf8)]) { n, today in
            guard let n, let count = Int(n) ?? numberWords[n.lowercased()], count <= 400 else { return nil }
            return (today.adding(days: -count * unitDays), approximate || unitDays > 1)
        }
    }

    /// Weekday names → ISO weekday, en/de/sv/nb/da/nl/fr/es/it.
    private static let weekdays: [String: Int] = {
        var map: [String: Int] = [:]
        let lists: [[String]] = [
            ["monday", "montag", "måndag", "mandag", "maandag", "lundi", "lunes", "lunedì", "lunedi"],
            ["tuesday", "dienstag", "tisdag", "tirsdag", "dinsdag", "mardi", "martes", "martedì", "martedi"],
            ["wednesday", "mittwoch", "onsdag", "woensdag", "mercredi", "miércoles", "miercoles", "mercoledì", "mercoledi"],
            ["thursday", "donnerstag", "torsdag", "donderdag", "jeudi", "jueves", "giovedì", "giovedi"],
            ["friday", "freitag", "fredag", "vrijdag", "vendredi", "viernes", "venerdì", "venerdi"],
            ["saturday", "samstag", "sonnabend", "lördag", "lørdag", "zaterdag", "samedi", "sábado", "sabado", "sabato"],
            ["sunday", "sonntag", "söndag", "søndag", "zondag", "dimanche", "domingo", "domenica"],
        ]
        for (i, names) in lists.enumerated() { for n in names { map[n] = i + 1 } }
        // Swedish/Norwegian/Danish "i tisdags" = last Tuesday: stem + "s"
        for (stem, d) in [("måndags", 1), ("tisdags", 2), ("onsdags", 3), ("torsdags", 4), ("fredags", 5), ("lördags", 6), ("söndags", 7),
                          ("mandags", 1), ("tirsdags", 2), ("lørdags", 6), ("søndags", 7)] { map[stem] = d }
        return map
    }()
    private static let weekdayPattern = "(?<wd>" + weekdays.keys.sorted { $0.count > $1.count }.joined(separator: "|") + ")"

    /// The most recent such weekday strictly before today ("last Tuesday" said on a Wednesday is yesterday).
    private static func lastWeekday(_ pattern: String, sStemOnly: Bool = false) -> RelativeRule {
        RelativeRule(regex: RulesRegex.make(#"(?<![\p{L}])"# + pattern + #"(?![\p{L}])"#),
                     keywords: weekdays.keys.map { Array($0.utf8) }) { wd, today in
            guard let wd, let target = weekdays[wd.lowercased()] else { return nil }
            if sStemOnly && !wd.lowercased().hasSuffix("dags") { return nil }
            var back = (today.isoWeekday - target + 7) % 7
            if back == 0 { back = 7 }
            return (today.adding(days: -back), false)
        }
    }

    private static let relativeRules: [RelativeRule] = [
        // day before yesterday first, so "vorgestern" is not read as "gestern"
        fixed(#"the\s+day\s+before\s+yesterday|vorgestern|i\s+förrgår|förrgår|i\s+forgårs|forgårs|i\s+forgaars|eergisteren|avant-hier|anteayer|antes\s+de\s+ayer|l'altro\s+ieri|przedwczoraj"#, -2),
        fixed(#"yesterday|gestern|igår|i\s+går|igår|i\s+gaar|gisteren|hier|ayer|ieri|wczoraj|eilen"#, -1),
        fixed(#"today|heute|idag|i\s+dag|vandaag|aujourd'hui|hoy|oggi|dzisiaj|tänään"#, 0),
        fixed(#"last\s+week|letzte\s+woche|vergangene\s+woche|förra\s+veckan|sist\s+uke|forrige\s+uke|sidste\s+uge|forrige\s+uge|vorige\s+week|la\s+semaine\s+dernière|la\s+semana\s+pasada|la\s+settimana\s+scorsa|w\s+zeszłym\s+tygodniu|viime\s+viikolla"#, -7, approximate: true),
        fixed(#"last\s+month|letzten\s+monat|vergangenen\s+monat|förra\s+månaden|forrige\s+måned|sidste\s+måned|vorige\s+maand|le\s+mois\s+dernier|el\s+mes\s+pasado|il\s+mese\s+scorso"#, -30, approximate: true),
        ago(numberPattern + #"\s+days?\s+ago"#, keyword: "ago", unitDays: 1),
        ago(numberPattern + #"\s+weeks?\s+ago"#, keyword: "ago", unitDays: 7),
        ago(#"vor\s+"# + numberPattern + #"\s+tag(?:en)?"#, keyword: "tag", unitDays: 1),
        ago(#"vor\s+"# + numberPattern + #"\s+woche(?:n)?"#, keyword: "woche", unitDays: 7),
        ago(#"(?:för\s+)?"# + numberPattern + #"\s+dag(?:ar)?\s+sedan"#, keyword: "sedan", unitDays: 1),
        ago(#"(?:för\s+)?"# + numberPattern + #"\s+veck(?:a|or)\s+sedan"#, keyword: "sedan", unitDays: 7),
        ago(#"(?:for\s+)?"# + numberPattern + #"\s+dag(?:er|e)?\s+siden"#, keyword: "siden", unitDays: 1),
        ago(#"(?:for\s+)?"# + numberPattern + #"\s+uke(?:r)?\s+siden"#, keyword: "siden", unitDays: 7),
        ago(numberPattern + #"\s+dag(?:en)?\s+geleden"#, keyword: "geleden", unitDays: 1),
        ago(#"il\s+y\s+a\s+"# + numberPattern + #"\s+jours?"#, keyword: "jour", unitDays: 1),
        ago(#"hace\s+"# + numberPattern + #"\s+días?"#, keyword: "hace", unitDays: 1),
        ago(numberPattern + #"\s+giorni\s+fa"#, keyword: "giorni", unitDays: 1),
        ago(numberPattern + #"\s+päivää\s+sitten"#, keyword: "sitten", unitDays: 1),
        lastWeekday(#"(?:last|past|this\s+past)\s+"# + weekdayPattern),
        lastWeekday(#"(?:letzten|letzter|vergangenen|vorigen)\s+"# + weekdayPattern),
        lastWeekday(#"i\s+"# + weekdayPattern, sStemOnly: true),  // i tisdags / i tirsdags (only the -s stems match below)
        lastWeekday(#"(?:förra|sist|sidste|forrige|afgelopen|vorige)\s+"# + weekdayPattern),
        lastWeekday(weekdayPattern + #"\s+(?:dernier|pasado|scorso)"#),
        lastWeekday(#"(?:el\s+)?"# + weekdayPattern + #"\s+pasado"#),
    ]
}

