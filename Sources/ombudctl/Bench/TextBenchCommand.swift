import ArgumentParser
import Foundation
import OmbudCore
import OmbudText

/// Times each text step the intake and classify stages run on a ticket, one step at a time over the same tickets,
/// so a change to one model or rule set shows in its own line (the pipeline benchmark only shows each process).
struct TextBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Time the text steps of intake and classify (redaction, language, intent, sentiment, flags, entities) per ticket.",
        discussion: """
        Reads tickets (ombud.ticket.v1, one JSON object per line; malformed lines are skipped), prepares each text as \
        intake does (redacted subject and body), then runs each step over all tickets --rounds times on one thread \
        and prints, per step, the median of the rounds in microseconds per ticket and the tickets/s one core would do. \
        No broker or database is needed.

        Example:
          swift build -c release && .build/release/ombudctl bench text --file deploy/local/sample-tickets.jsonl
        """)

    @Option(help: "Tickets, one JSON object per line.")
    var file: String = "deploy/local/sample-tickets.jsonl"

    @Option(help: "Timed rounds over all tickets; the median round is reported.")
    var rounds: Int = 9

    @Option(help: "Run only the steps whose name contains this (e.g. entities), for a profiler.")
    var only: String?

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file): give a JSONL file of tickets with --file")
        }
        let tickets = data.split(separator: UInt8(ascii: "\n")).compactMap { try? JSONDecoder().decode(TicketText.self, from: Data($0)) }
        guard !tickets.isEmpty else { throw ValidationError("\(file) holds no readable tickets") }
        let languages = try LanguageIdentifier.shared()
        let intents = try IntentClassifier.bundled()
        let sentiment = try SentimentAnalyzer.bundled()
        let received = Date()

        let texts = tickets.map { ticket in
            let body = Redactor.redact(ticket.body).text
            return ticket.subject.map { Redactor.redact($0).text + "\n" + body } ?? body
        }
        let guessed = texts.map { languages.identify($0).language }
        let language = guessed.map { $0 == "und" ? nil : $0 }

        // Each step returns something derived from its result, summed into a sink, so the optimiser keeps the work.
        let steps: [(name: String, run: (Int) -> Int)] = [
            ("redaction", { i in Redactor.redact(tickets[i].body).text.utf8.count }),
            ("language", { i in languages.identify(texts[i]).language.utf8.count }),
            ("intent", { i in intents.classify(texts[i]).label.utf8.count }),
            ("sentiment", { i in sentiment.analyze(texts[i]).polarity.rawValue.utf8.count }),
            ("flag rules", { i in FlagDetector.detectRules(texts[i]).count }),
            ("flags (rules + model)", { i in FlagDetector.detect(texts[i], language: language[i]).count }),
            ("entities", { i in EntityExtractor.extract(from: texts[i], receivedAt: received, language: language[i]).amounts.count }),
            ("order references", { i in EntityExtractor.orderReferences(in: texts[i]).count }),
        ]
        print("text benchmark: \(tickets.count) tickets from \(file), \(rounds) rounds, one thread")
        print("step".padding(toLength: 24, withPad: " ", startingAt: 0) + "µs/ticket (median)   tickets/s per core")
        var sink = 0
        for step in steps where only.map({ step.name.contains($0) }) ?? true {
            for i in tickets.indices { sink &+= step.run(i) }  // warm-up: lazy models and regex caches
            var perTicket: [Double] = []
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                for i in tickets.indices { sink &+= step.run(i) }
                perTicket.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000 / Double(tickets.count))
            }
            let median = perTicket.sorted()[perTicket.count / 2]
            print(step.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                  + String(format: "%10.1f", median) + String(format: "%21.0f", 1_000_000 / median))
        }
        if sink == Int.min { print(sink) }
    }

    /// The fields of a ticket the text steps read.
    private struct TicketText: Decodable {
        var subject: String?
        var body: String
    }
}
