import Foundation
import OmbudCore
import OmbudRuntime
import OmbudText

/// `ombud-classify`: intent and calibrated confidence from the shipped model, sentiment, the four flags and the
/// entities (amounts, dates, order references, merchants, tracking numbers), stored with the model versions.
/// Reads the redacted ticket intake stored; the message carries only ids. Set-based: a batch is one read, one
/// insert and one case update.
public struct ClassifyStage: Stage {
    public let name = "classify"
    let intents: IntentClassifier
    let sentiment: SentimentAnalyzer

    public init(intents: IntentClassifier, sentiment: SentimentAnalyzer) {
        self.intents = intents
        self.sentiment = sentiment
    }

    /// The bundled models (`Sources/OmbudText/Resources`).
    public static func bundled() throws -> ClassifyStage {
        ClassifyStage(intents: try IntentClassifier.bundled(), sentiment: try SentimentAnalyzer.bundled())
    }

    public func handle(_ message: StageMessage, in context: StageContext) throws -> StageResult {
        try handle(batch: [message], in: context)[0]
    }

    public func handle(batch messages: [StageMessage], in context: StageContext) throws -> [StageResult] {
        let envelopes = try messages.map { try PipelineHop.envelope($0, expecting: .classify) }
        let db = context.database
        let tickets = try CaseStore.tickets(envelopes.map(PipelineHop.ticketId), in: db)
        var rows: [StageRecords.ClassificationRow] = []
        var results: [StageResult] = []
        for envelope in envelopes {
            guard let ticket = tickets[PipelineHop.ticketId(envelope)] else {
                throw StoreError.missing("ticket \(envelope.ticketId)")
            }
            rows.append(try classify(ticket))
            results.append(StageResult(
                outputs: [try PipelineHop.forward(caseId: ticket.caseId, ticketId: ticket.ticketId, trace: envelope.trace,
                                                  to: .lookup, names: context.names)],
                caseId: MessageIds.canonical(ticket.caseId)))
        }
        try StageRecords.insertClassifications(rows, in: db)
        return results
    }

    /// What the models say about one ticket.
    func classify(_ ticket: CaseStore.Ticket) throws -> StageRecords.ClassificationRow {
        let text = ticket.text
        let intent = intents.classify(text)
        guard Intent(rawValue: intent.label) != nil else {
            throw StageFailure.permanent("the intent model answered \(intent.label), which is not a POLICY.md intent")
        }
        let ranked = intent.ranked.prefix(3).map { ["intent": $0.label, "p": String(format: "%.4f", $0.probability)] }
        let mood = sentiment.analyze(text)
        let flags = FlagDetector.detect(text, language: ticket.language)
        let entities = EntityRecord(EntityExtractor.extract(from: text, receivedAt: ticket.receivedAt, language: ticket.language))
        return StageRecords.ClassificationRow(
            ticketId: ticket.ticketId, caseId: ticket.caseId, intent: intent.label, confidence: intent.confidence,
            ranked: try JSONText.encode(ranked), sentiment: mood.polarity.rawValue, sentimentScore: mood.score,
            flags: Array(Set(flags.map(\.flag.rawValue))).sorted(),
            flagEvidence: try JSONText.encode(flags.map { ["flag": $0.flag.rawValue, "evidence": $0.evidence,
                                                          "score": String(format: "%.2f", $0.score)] }),
            entities: try JSONText.encode(entities), language: ticket.language,
            modelVersion: "intent:\(intent.modelVersion) sentiment:\(mood.modelVersion)")
    }
}
