import ArgumentParser
import Foundation
import OmbudText

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print language, entities, flags and the redacted text of one message as JSON.",
        discussion: """
        The text is redacted first; entities and flags are read from the redacted text, so no card number or IBAN appears in the output.

        Example:
          ombudctl text analyze "Ich habe gestern 89,90 € bei Nordic Shoes bezahlt" --received-at 2026-11-03T08:00:00Z
        """
    )

    @Argument(help: "The message text.")
    var text: String

    @Option(help: "The ticket's received_at (ISO 8601, e.g. 2026-11-03T08:00:00Z); relative dates resolve against it. Default: now.")
    var receivedAt: String?

    @Option(parsing: .upToNextOption, help: "The customer's merchants, to report the best match.")
    var merchant: [String] = []

    func run() throws {
        var received = Date()
        if let receivedAt {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            let g = ISO8601DateFormatter()
            g.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let d = f.date(from: receivedAt) ?? g.date(from: receivedAt) else {
                throw ValidationError("--received-at must be ISO 8601 like 2026-11-03T08:00:00Z")
            }
            received = d
        }
        let redaction = Redactor.redact(text)
        let guess = try LanguageIdentifier.shared().identify(redaction.text)
        let language = guess.language == "und" ? nil : guess.language
        let entities = EntityExtractor.extract(from: redaction.text, receivedAt: received, language: language)
        let flags = FlagDetector.detect(redaction.text, language: language)
        let match = merchant.isEmpty ? nil : MerchantMatcher.bestMatch(text: redaction.text, merchants: merchant)

        struct Output: Encodable {
            var language: LanguageGuess
            var receivedDay: CalendarDay
            var redactedText: String
            var redactions: [RedactionFinding]
            var entities: ExtractedEntities
            var orderRefs: [String]
            var trackingNumbers: [String]
            var merchantCandidates: [String]
            var merchantMatch: MerchantMatchOutput?
            var flags: [DetectedFlag]
        }
        struct MerchantMatchOutput: Encodable {
            var name: String
            var score: Double
        }
        let output = Output(
            language: guess, receivedDay: CalendarDay(received), redactedText: redaction.text,
            redactions: redaction.findings, entities: entities, orderRefs: entities.orderRefs,
            trackingNumbers: entities.trackingNumbers, merchantCandidates: entities.merchantCandidates,
            merchantMatch: match.map { MerchantMatchOutput(name: $0.name, score: $0.score) }, flags: flags)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(output), as: UTF8.self))
    }
}

struct RedactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Mask card numbers, CVV codes and IBANs: standard input to standard output.",
        discussion: "A summary of what was masked (kinds and counts, never the values) goes to standard error with --summary."
    )

    @Flag(help: "Print the kinds and counts of masked secrets to standard error.")
    var summary = false

    func run() throws {
        var input = Data()
        while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 16), !chunk.isEmpty { input.append(chunk) }
        let redaction = Redactor.redact(String(decoding: input, as: UTF8.self))
        FileHandle.standardOutput.write(Data(redaction.text.utf8))
        if summary {
            let line = redaction.findings.map { "\($0.kind.rawValue)=\($0.count)" }.joined(separator: " ")
            FileHandle.standardError.write(Data(((line.isEmpty ? "nothing masked" : line) + "\n").utf8))
        }
    }
}
