import Foundation
import Testing
@testable import OmbudText

@Suite struct RegexPrefilterTests {
    func literals(_ pattern: String) -> Set<String>? {
        RegexPrefilter(pattern: pattern).literals.map { Set($0.map { String(decoding: $0, as: UTF8.self) }) }
    }

    @Test func alternativesUnionTheirLiterals() {
        #expect(literals(#"(?:speak|talk)\s+to"#) == ["speak", "talk"])
        #expect(literals(#"(?<![\p{L}])(?:sue|Anwalt)(?![\p{L}])"#) == ["sue", "anwalt"])
    }

    @Test func aSequenceKeepsItsMostSelectivePart() {
        #expect(literals(#"no\s+supervisor"#) == ["supervisor"])
        #expect(literals(#"(?:a\s+)?human\s+please"#) == ["please"])
        #expect(literals(#"escalat(?:e|ed|ing)"#) == ["escalate", "escalated", "escalating"])
        #expect(literals(#"\p{L}+foo"#) == ["foo"])
        #expect(literals(#"(?:one|two){1,3}x"#) == ["one", "two"])
    }

    @Test func optionalPartsAndClassesGiveNoCondition() {
        #expect(literals(#"(?:x|y*)"#) == nil)
        #expect(literals(#"[abc]+\d{2}"#) == nil)
        #expect(literals(#"a|\w+"#) == nil)
        // Syntax the reader does not know: no filter rather than a wrong one.
        #expect(literals(#"(?i)sue"#) == nil)
        // Characters whose case folding is not their lower case are never literals.
        #expect(literals(#"Straße"#) == ["stra"])
    }

    @Test func textsWithFoldingSurprisesAlwaysRun() {
        #expect(RegexPrefilter.prepared("Ich möchte KLAGEN") == Array("ich möchte klagen".utf8))
        #expect(RegexPrefilter.prepared("die Straße") == nil)
        #expect(RegexPrefilter(pattern: "sue").mayMatch(Array("i will sue".utf8)))
        // A necessary condition only: the regular expression still decides ("issue" is no "sue").
        #expect(RegexPrefilter(pattern: "sue").mayMatch(Array("an issue".utf8)))
        #expect(!RegexPrefilter(pattern: "lawyer").mayMatch(Array("nothing here".utf8)))
    }

    /// Soundness on every text the project has: wherever a flag rule's regular expression matches, its filter lets
    /// the text through. (A filter that skipped a matching text would silently lose a flag.)
    @Test func flagRuleFiltersNeverSkipAMatch() throws {
        let texts = try Self.corpus()
        #expect(texts.count > 10_000)
        var skipped = 0, checked = 0
        for rule in FlagRules.rules.values.flatMap({ $0 }) {
            for text in texts {
                guard let lowered = RegexPrefilter.prepared(text) else { continue }
                let passes = rule.prefilter.mayMatch(lowered)
                if !passes { skipped += 1 }
                let matches = rule.regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
                if matches { checked += 1 }
                #expect(passes || !matches, "filter \(rule.prefilter.literals?.count ?? 0) literals skipped a match in: \(text)")
            }
        }
        #expect(checked > 500)
        // The filters are worth having: most rule-text pairs are skipped.
        #expect(skipped > texts.count * FlagRules.rules.values.map(\.count).reduce(0, +) / 2)
    }

    /// The same for the date rules' month-name check: wherever a month-name pattern matches, the text names a month.
    /// The corpus is rich in dates ("3 November", "Nov 3rd", "den 3. März"), so a name missing from the keywords fails.
    @Test func monthNameCheckNeverSkipsADate() throws {
        var checked = 0, skipped = 0
        for text in try Self.corpus() + ["3rd of November", "am 3. MÄRZ 2026", "le 3 décembre", "5 de mayo de 2026",
                                       "3rdnovember", "den 3:enovember", "Nov.3", "paid 3 nov.ember", "(Dec 24)"] {
            guard let lowered = RegexPrefilter.prepared(text) else { continue }
            let passes = DateRules.mayNameMonth(lowered)
            if !passes { skipped += 1 }
            for pattern in DateRules.monthNamePatterns
            where pattern.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil {
                checked += 1
                #expect(passes, "the month-name check skipped a date in: \(text)")
            }
        }
        #expect(checked > 100)
        #expect(skipped > 1_000)
    }

    /// The entity rules' gates (digits, "#", "1Z", order and tracking words, top-level domains) skip regular
    /// expressions on texts they cannot match: on every text the project has, the gated rules find exactly what the
    /// ungated ones do.
    @Test func entityGatesChangeNothing() throws {
        // The corpus has few tracking numbers: every form, with and without its word, is added.
        let texts = try Self.corpus() + [
            "order 1Z999AA10123456784 #A-99812", "Sendungsnummer: 00340434161234567890", "RR123456785SE kom aldrig",
            "bought at shop.example.de, ref 12-345", "UPS 1Z 999 AA1 01 2345 6784 says delivered", "JJD0001234567890123",
            "JVGL12345678 is stuck", "Tracking number: 123456789012", "spårningsnummer är 9876543210",
            "track & trace 3SABCD1234567", "parcel id 123456", "waybill 12345678901234"]
        var found = (orders: 0, tracking: 0, domains: 0)
        for text in texts {
            let tracking = ReferenceRules.trackingNumbers(in: text)
            #expect(tracking == ReferenceRules.trackingNumbers(in: text, gate: .open), "tracking numbers differ in: \(text)")
            let taken = tracking.map(\.utf16Range)
            let orders = ReferenceRules.orderRefs(in: text, excluding: taken)
            #expect(orders == ReferenceRules.orderRefs(in: text, excluding: taken, gate: .open), "order references differ in: \(text)")
            let merchants = MerchantRules.candidates(in: text)
            #expect(merchants == MerchantRules.candidates(in: text, gate: .open), "merchant candidates differ in: \(text)")
            found.orders += orders.count
            found.tracking += tracking.count
            found.domains += merchants.filter { $0.value.contains(".") }.count
        }
        // The comparison means something only where the rules find things.
        #expect(found.orders > 100 && found.tracking > 15 && found.domains > 100, "found \(found)")
    }

    /// Each flag rule runs only the alternatives whose words a text has: on every text the project has, that finds
    /// the same flags with the same evidence as the whole rules.
    @Test func narrowedFlagRulesChangeNothing() throws {
        var flagged = 0
        for text in try Self.corpus() {
            let narrowed = FlagDetector.detectRules(text)
            #expect(narrowed == FlagDetector.detectRules(text, narrowed: false), "flags differ in: \(text)")
            flagged += narrowed.isEmpty ? 0 : 1
        }
        #expect(flagged > 500)
        // The split is the pattern's own: rejoined, the alternatives are the pattern.
        #expect(FlagRules.topLevelAlternatives(#"a(?:b|c)|[|(]d|e\|f"#) == ["a(?:b|c)", "[|(]d", #"e\|f"#])
        let multi = FlagRules.rules.values.flatMap { $0 }.filter { $0.alternatives.count > 1 }
        #expect(multi.count > 20)
        for rule in multi {
            #expect(FlagRules.whole(rule.alternatives.map(\.pattern).joined(separator: "|")) == rule.regex.pattern)
        }
    }

    /// Merchant matching reads ASCII texts from their bytes: on every ASCII text the project has, and on awkward
    /// hand-written ones, that gives exactly the words Foundation's folding gives.
    @Test func asciiMerchantWordsEqualFoldedWords() throws {
        var ascii = 0
        let awkward = ["H&M", "Tab\tsep\r\nCRLF", "CAPS 123 mixedCase", "a_b x-y z.com", "^~`'\"", "", "   ", "Zalando SE",
                       "\u{7F}del", "x\u{0}y"]
        for text in try Self.corpus() + awkward {
            guard let words = MerchantMatcher.asciiWords(text) else { continue }
            ascii += 1
            #expect(words == MerchantMatcher.foldedWords(text), "words differ in: \(text)")
        }
        #expect(ascii > 5_000)
        #expect(MerchantMatcher.asciiWords("Zalándo") == nil)
        #expect(MerchantMatcher.tokens("Nordic Shoes AB") == ["nordic", "shoes"])
    }

    @Test func everyFlagRuleHasAFilter() {
        for (flag, rules) in FlagRules.rules {
            for (index, rule) in rules.enumerated() {
                #expect(rule.prefilter.literals != nil, "\(flag) rule \(index) has no literal filter")
            }
        }
    }

    static func corpus() throws -> [String] {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        func csv(_ path: String, separator: Character = ",", column: String) throws -> [String] {
            let data = try Data(contentsOf: repo.appendingPathComponent(path))
            let table = try CSVTable(data: data, separator: separator.asciiValue!)
            let index = try table.columnIndex(column)
            return table.rows.compactMap { $0.count > index ? $0[index] : nil }
        }
        var texts = try csv("data/flags/flags_labelled.csv", column: "text")
        texts += try csv("data/flags/flags_train_extra.csv", column: "text")
        texts += try csv("data/intents/ombud_intents.csv", column: "text")
        for file in ["data/flags/written_tickets.tsv", "data/flags/ombud_tickets.tsv"] {
            let lines = try String(contentsOf: repo.appendingPathComponent(file), encoding: .utf8).split(whereSeparator: \.isNewline)
            texts += lines.dropFirst().compactMap { $0.split(separator: "\t", omittingEmptySubsequences: false).last.map(String.init) }
        }
        for line in try String(contentsOf: repo.appendingPathComponent("deploy/local/sample-tickets.jsonl"), encoding: .utf8)
            .split(whereSeparator: \.isNewline) {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let body = object["body"] as? String {
                texts.append(body)
            }
        }
        return texts
    }
}
