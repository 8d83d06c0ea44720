import ArgumentParser
import Foundation
import OmbudCore
import OmbudText

/// `ombudctl text classify`: what the real models read in one text, or in every ticket of a
/// POLICY.md scenario file, compared with the scenario's expectations.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify a text (intent, confidence, flags, language) or check every ticket of a scenario file.",
        discussion: """
        The classify stage's reading: redaction, language, the bundled intent model on subject + "\\n" + body
        (body alone without a subject), flags on the redacted text.

        With --scenarios FILE every ticket of a POLICY.md scenario file (JSON Lines) is classified and
        compared with the scenario's `expect`: a mismatch is an intent other than expected, a confidence
        below the policy's 0.55 (at or above it for a "low confidence" scenario), or a different flag set
        (no `flags` means none). A follow-up ticket (not the first of its scenario) that the model does not
        confidently classify keeps the case's intent, so it counts as "carried", not as a mismatch.
        The expected language is `expect.language`, else the customer's locale; a different language is
        shown but not counted.

        Examples:
          ombudctl text classify "I was charged twice for my order"
          ombudctl text classify --scenarios scenarios/policy.jsonl
        """
    )

    @Argument(help: "The message text (omit with --scenarios).")
    var text: String?

    @Option(help: "A POLICY.md scenario file (JSON Lines) whose tickets to classify and check.")
    var scenarios: String?

    @ArgumentParser.Flag(help: "With --scenarios, print only the tickets with a mismatch.")
    var mismatchesOnly = false

    /// The policy's low-confidence threshold (POLICY.md guardrail 5).
    static let confidenceThreshold = 0.55

    struct Reading {
        var intent: String
        var confidence: Double
        var ranked: [(label: String, probability: Double)]
        var flags: [String]
        var language: String
        var languageConfidence: Double
    }

    static func read(_ text: String, classifier: IntentClassifier) throws -> Reading {
        let redaction = Redactor.redact(text)
        let guess = try LanguageIdentifier.shared().identify(redaction.text)
        let language = guess.language == "und" ? nil : guess.language
        let c = classifier.classify(text)
        let flags = FlagDetector.detect(redaction.text, language: language).map(\.flag.rawValue)
        return Reading(intent: c.label, confidence: c.confidence, ranked: c.ranked, flags: flags,
                       language: guess.language, languageConfidence: guess.confidence)
    }

    static func format(_ r: Reading) -> String {
        let top2 = r.ranked.prefix(2).map { "\($0.label) \(String(format: "%.2f", $0.probability))" }.joined(separator: ", ")
        let flags = r.flags.isEmpty ? "-" : r.flags.joined(separator: ",")
        return "\(r.intent) \(String(format: "%.2f", r.confidence)) [top2: \(top2)] flags=\(flags) lang=\(r.language)"
    }

    func validate() throws {
        if (text == nil) == (scenarios == nil) {
            throw ValidationError("give either a text or --scenarios FILE")
        }
    }

    func run() throws {
        let classifier = try IntentClassifier.bundled()
        let help = try HelpCenter.bundled()
        func helpLine(_ text: String, language: String) -> String {
            guard let hit = help.bestMatch(text, language: language) else { return "help: no article" }
            return "help: \(hit.id) \(String(format: "%.2f", hit.score))\(hit.isGoodMatch ? " (good match)" : " (below \(HelpCenter.goodMatchThreshold))")"
        }
        if let text {
            let r = try Self.read(text, classifier: classifier)
            print(Self.format(r))
            print(helpLine(text, language: r.language))
            return
        }
        guard let scenarios else { return }
        let content = try String(contentsOfFile: scenarios, encoding: .utf8)
        var tickets = 0
        var mismatches = 0
        var carried: [String] = []
        var languageDiffs = 0
        let lines = content.split(separator: "\n", omittingEmptySubsequences: false)
        var number = 0
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            number += 1
            let scenario: Scenario
            do {
                scenario = try JSONDecoder().decode(Scenario.self, from: Data(line.utf8))
            } catch {
                throw ValidationError("\(scenarios) scenario \(number): \(error)")
            }
            let expect = scenario.expect
            let expectedFlags = Set((expect.flags ?? []).map(\.rawValue))
            let lowConfidence = scenario.name.contains("low confidence")
            for (i, ticket) in scenario.tickets.enumerated() {
                tickets += 1
                let locale = ticket.customer.locale ?? scenario.ledger.customer.locale
                let expectedLanguage = expect.language ?? locale.map { String($0.prefix { $0 != "-" && $0 != "_" }) } ?? "?"
                let text = ticket.subject.map { $0 + "\n" + ticket.body } ?? ticket.body
                let r = try Self.read(text, classifier: classifier)
                var problems: [String] = []
                let followUp = i > 0
                if r.intent != expect.intent.rawValue {
                    if followUp && r.confidence < Self.confidenceThreshold {
                        carried.append("\(number).\(i + 1)")
                    } else {
                        problems.append("intent")
                    }
                }
                if lowConfidence {
                    if r.confidence >= Self.confidenceThreshold { problems.append("confidence≥0.55") }
                } else if r.confidence < Self.confidenceThreshold && !(followUp && r.intent != expect.intent.rawValue) {
                    problems.append("confidence<0.55")
                }
                if Set(r.flags) != expectedFlags { problems.append("flags") }
                let languageNote = r.language == expectedLanguage ? "" : " (language≠\(expectedLanguage))"
                if !languageNote.isEmpty { languageDiffs += 1 }
                if !problems.isEmpty { mismatches += 1 }
                if mismatchesOnly && problems.isEmpty { continue }
                let mark = problems.isEmpty ? "ok" : "MISMATCH(\(problems.joined(separator: ",")))"
                let expectedFlagText = expectedFlags.isEmpty ? "-" : expectedFlags.sorted().joined(separator: ",")
                print("#\(number).\(i + 1) \(mark) \(scenario.name)")
                print("    expect: \(expect.intent.rawValue) flags=\(expectedFlagText) lang=\(expectedLanguage)")
                print("    model:  \(Self.format(r))\(languageNote)")
                if expect.intent.rawValue == "general_inquiry" || r.intent == "general_inquiry" {
                    print("    \(helpLine(text, language: r.language))")
                }
            }
        }
        if !carried.isEmpty {
            print("follow-ups relying on the case's intent (confidence < 0.55): \(carried.joined(separator: " "))")
        }
        if languageDiffs > 0 { print("\(languageDiffs) tickets in another language than expected (not counted)") }
        print("\(tickets) tickets, \(mismatches) mismatches")
    }
}
