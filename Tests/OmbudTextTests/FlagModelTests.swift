import Foundation
import Testing
@testable import OmbudText

@Suite struct FlagModelTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func flags(_ text: String) -> Set<TicketFlag> {
        Set(FlagDetector.detect(text).map(\.flag))
    }

    @Test func bundledModelLoads() throws {
        let m = try FlagModel.bundled()
        #expect(m.model.labels == TicketFlag.allCases.map(\.rawValue))
        #expect(m.thresholds.count == 4 && m.thresholds.allSatisfy { $0 > 0 })
        // Above 1 = the model never raises that flag alone; vulnerability must be on.
        #expect(m.threshold(for: .vulnerability) <= 1)
        #expect(m.temperatures.allSatisfy { $0 > 0 })
        #expect(m.modelVersion.hasPrefix("flags-"))
        #expect(FlagModel.shared != nil)
        let size = try #require(Bundle.module.url(forResource: "flags", withExtension: "ombudmodel", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "flags", withExtension: "ombudmodel"))
        let bytes = try Data(contentsOf: size).count
        #expect(bytes < 2_000_000)
    }

    @Test func rejectsOtherModels() throws {
        let meta = ModelMetadata(name: "x", labels: ["a", "b"], dataHash: "0", trainingExamples: 1, training: TrainingSettings(),
                                 features: FeatureSettings(bucketBits: 8))
        let other = LinearTextClassifier(metadata: meta, vectorizer: TfIdfVectorizer(settings: meta.features, idf: [Float](repeating: 1, count: 256)),
                                         weights: [Float](repeating: 0, count: 512), bias: [0, 0])
        #expect(throws: (any Error).self) { try FlagModel(model: other) }
    }

    /// Hardship told without any of the rules' phrases: only the model can see it.
    @Test(arguments: [
        "My hours got slashed at work and I have nothing left after rent this month",
        "Ich habe seit Wochen kein Einkommen mehr und weiß nicht, wie ich die Miete zahlen soll",
        "Jag har blivit av med inkomsten och pengarna tar slut innan månaden är slut",
    ])
    func modelRecognisesHardship(text: String) throws {
        let m = try FlagModel.bundled()
        let found = FlagDetector.detect(text, language: nil, model: m).first { $0.flag == .vulnerability }
        #expect(found != nil, "\(text): p=\(m.probability(of: .vulnerability, in: text))")
    }

    @Test(arguments: [
        "I lost my job and can't pay",
        "My husband passed away",
        "Ich bin arbeitslos",
        "Jag är sjukskriven",
    ])
    func clearHardshipStillFlagged(text: String) {
        #expect(flags(text).contains(.vulnerability))
    }

    @Test func evidenceNamesTheModelWhenOnlyItFires() throws {
        let m = try FlagModel.bundled()
        let text = "My hours got slashed at work and I have nothing left after rent this month"
        #expect(FlagDetector.detectRules(text).isEmpty)
        let f = try #require(FlagDetector.detect(text, language: nil, model: m).first { $0.flag == .vulnerability })
        #expect(f.evidence.hasPrefix("model p="))
        #expect(f.score >= m.threshold(for: .vulnerability))
        // A rule's phrase wins as evidence when both fire.
        let both = try #require(FlagDetector.detect("I lost my job in May.", language: nil, model: m).first)
        #expect(both.evidence == "lost my job")
    }

    @Test(arguments: [
        "The payment was hard to find in the app",
        "I lost my receipt, can you send the invoice again?",
        "I lost my password and can't log in",
        "My parcel got lost in the post",
        "I'm sick of waiting for my refund",
        "Please move my due date to the 25th, that's payday",
        "I was charged twice for the same order",
        "Ich habe meinen Kassenbon verloren",
        "Jag har tappat bort kvittot",
        "The battery died after two days",
    ])
    func hardNegatives(text: String) {
        #expect(!flags(text).contains(.vulnerability), "\(text) → \(FlagDetector.detect(text))")
    }

    @Test func rulesOnlyIsTheOldDetector() {
        let text = "My hours got slashed at work and I have nothing left after rent this month"
        #expect(FlagDetector.detect(text, language: nil, model: nil).isEmpty)
    }

    /// The honest figure: the 150 blind CFPB narratives were never trained on, nor used to
    /// choose thresholds. Floors sit a little under the measured values (data/flags/README.md).
    @Test func blindRecallFloor() throws {
        let table = try CSVTable(data: Data(contentsOf: Self.repo.appendingPathComponent("data/flags/flags_labelled.csv")))
        let text = try table.columnIndex("text"), source = try table.columnIndex("source"), gold = try table.columnIndex("vulnerability")
        let m = try FlagModel.bundled()
        var tp = 0, fp = 0, fn = 0, rulesTP = 0
        for row in table.rows where row[source].hasPrefix("cfpb_blind") {
            let hit = FlagDetector.detect(row[text], language: nil, model: m).contains { $0.flag == .vulnerability }
            let ruleHit = FlagDetector.detectRules(row[text]).contains { $0.flag == .vulnerability }
            let g = row[gold] == "1"
            if hit && g { tp += 1 } else if hit { fp += 1 } else if g { fn += 1 }
            if ruleHit && g { rulesTP += 1 }
        }
        #expect(tp + fn == 29)
        let recall = Double(tp) / Double(tp + fn), precision = Double(tp) / Double(tp + fp)
        #expect(recall >= 0.55, "blind vulnerability recall \(recall)")
        #expect(precision >= 0.60, "blind vulnerability precision \(precision)")
        #expect(tp > rulesTP, "the model adds nothing over the rules on the blind sample")
    }

    @Test func trainingIsDeterministic() throws {
        let rows = [
            FlagExample(text: "I lost my job and cannot pay", flags: [.vulnerability], source: "t"),
            FlagExample(text: "my husband died last month", flags: [.vulnerability], source: "t"),
            FlagExample(text: "where is my parcel", flags: [], source: "t"),
            FlagExample(text: "I want to talk to a person", flags: [.humanRequested], source: "t"),
            FlagExample(text: "I will sue you", flags: [.legalThreat], source: "t"),
            FlagExample(text: "complaint to the ombudsman", flags: [.formalComplaint], source: "t"),
        ]
        let features = FeatureSettings(bucketBits: 10)
        let settings = TrainingSettings(epochs: 3, seed: 7, holdoutFraction: 0)
        let a = try FlagModelTrainer.train(rows, features: features, settings: settings).modelData(encoding: .int8)
        let b = try FlagModelTrainer.train(rows, features: features, settings: settings).modelData(encoding: .int8)
        #expect(a == b)
        let m = try FlagModel(model: LinearTextClassifier(modelData: a))
        #expect(m.probability(of: .vulnerability, in: "I lost my job") > m.probability(of: .vulnerability, in: "where is my parcel"))
    }

    @Test func thresholdChoiceRespectsThePrecisionFloor() {
        let p = [0.9, 0.8, 0.7, 0.6, 0.3]
        let gold = [true, true, false, true, false]
        let c = FlagModelTrainer.chooseThreshold(probabilities: p, gold: gold, minPrecision: 0.9)
        #expect(c.threshold > 0.7 && c.threshold <= 0.8)
        #expect(c.precision == 1 && abs(c.recall - 2.0 / 3) < 1e-9)
        let none = FlagModelTrainer.chooseThreshold(probabilities: [0.9], gold: [false], minPrecision: 0.5)
        #expect(none.threshold > 1)
    }
}
