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
        for text in try Self.corpus() + ["3rd of November", "am 3. MÄRZ 2026", "le 3 décembre", "5 de mayo de 2026"] {
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
