import ArgumentParser
import Foundation
import OmbudText

/// Trains and ships Ombud's own intent model.
struct ModelBuildIntents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-intents",
        abstract: "Train Ombud's 14-intent model from data/intents and mapped public rows, and write the bundled resource.",
        discussion: """
        Reads data/intents/ombud_intents.csv and the BANKING77 / bitext rows mapped in \
        data/intents/MAPPING.md, holds out --test-fraction (stratified) to report accuracy, ECE and the \
        reliability table, trains on the rest (temperature fitted on a further held-out part) and writes \
        the model. Run from the repository root:
          ombudctl model build-intents --shared ../shared/data
        """
    )
    @Option(help: "Folder with the public data sets.") var shared = "../shared/data"
    @Option(name: .customLong("intents-dir"), help: "Folder with ombud_intents.csv and MAPPING.md.") var intentsDir = "data/intents"
    @Option(help: "Where to write the model.") var out = "Sources/OmbudText/Resources/intents.ombudmodel"
    @Option(name: .customLong("general-cap"), help: "Rows taken from each public label mapped to general_inquiry.") var generalCap = 25
    @Option(name: .customLong("test-fraction"), help: "Fraction held out for the report (not trained on).") var testFraction = 0.1
    @Option(help: "Seed (split, training).") var seed: UInt64 = 1
    @Option(help: "Passes over the training data.") var epochs = 12
    @Option(name: .customLong("bucket-bits"), help: "Hash buckets = 2^bits.") var bucketBits = 18
    @Option(help: "Weight storage: float32 or int8.") var encoding = "int8"
    @Option(name: .customLong("show-errors"), help: "Print this many misclassified held-out Ombud rows.") var showErrors = 0

    func run() async throws {
        guard let enc = ModelFile.WeightEncoding(rawValue: encoding) else { throw ValidationError("bad --encoding") }
        let ombud = try ModelCLI.readCSV("\(intentsDir)/ombud_intents.csv")
        let ti = try ombud.columnIndex("text"), ii = try ombud.columnIndex("intent"), li = try ombud.columnIndex("language")
        let gi = ombud.header.firstIndex(of: "template")
        var ombudRows: [(example: LabeledText, language: String, template: String)] = []
        for (n, row) in ombud.rows.enumerated() where row.count > max(ti, ii, li) {
            let template = gi.flatMap { row.count > $0 ? row[$0] : nil } ?? "row\(n)"
            ombudRows.append((LabeledText(text: row[ti], label: row[ii]), row[li], template))
        }
        let mapping = try ModelIntentMapping.parse(String(contentsOfFile: "\(intentsDir)/MAPPING.md", encoding: .utf8))
        let publicRows = try ModelIntentMapping.publicExamples(mapping: mapping, shared: shared, generalCap: generalCap, seed: seed)
        ModelCLI.log("\(ombudRows.count) Ombud rows + \(publicRows.count) mapped public rows")
        for intent in IntentClassifier.policyIntents {
            let n = ombudRows.filter { $0.example.label == intent }.count + publicRows.filter { $0.label == intent }.count
            ModelCLI.log("  \(intent): \(n)")
        }

        // Variants of one template are near-copies, so Ombud rows are split by template: the
        // calibration and test parts hold phrasings the model never saw. Public rows split by row.
        var templatesByIntent: [String: [String]] = [:]
        for r in ombudRows where templatesByIntent[r.example.label]?.last != r.template {
            if !(templatesByIntent[r.example.label]?.contains(r.template) ?? false) { templatesByIntent[r.example.label, default: []].append(r.template) }
        }
        var part: [String: Int] = [:]  // template → 0 train, 1 calibration, 2 test
        var rng = TextModelRNG(seed: seed &+ 11)
        for intent in templatesByIntent.keys.sorted() {
            var templates = templatesByIntent[intent]!
            rng.shuffle(&templates)
            let k = max(1, Int((Double(templates.count) * testFraction).rounded()))
            for (i, t) in templates.enumerated() { part[t] = i < k ? 2 : i < 2 * k ? 1 : 0 }
        }
        let (publicRest, publicTest) = LabeledText.stratifiedSplit(publicRows, testFraction: testFraction, seed: seed &+ 7)
        let (publicTrain, publicCalibration) = LabeledText.stratifiedSplit(publicRest, testFraction: testFraction / (1 - testFraction), seed: seed &+ 9)
        let ombudTest = ombudRows.filter { part[$0.template] == 2 }
        let train = ombudRows.filter { part[$0.template] == 0 }.map(\.example) + publicTrain
        let calibration = ombudRows.filter { part[$0.template] == 1 }.map(\.example) + publicCalibration
        let test = ombudTest.map(\.example) + publicTest
        ModelCLI.log("split: train \(train.count), calibration \(calibration.count), test \(test.count) (\(ombudTest.count) Ombud rows of unseen templates)")

        let features = FeatureSettings(bucketBits: bucketBits)
        let settings = TrainingSettings(epochs: epochs, seed: seed, holdoutFraction: 0)
        let labels = IntentClassifier.policyIntents.sorted()
        let notes = ["sources": "data/intents/ombud_intents.csv; BANKING77 (CC BY 4.0); bitext customer support (CDLA-Sharing-1.0); see data/intents/MAPPING.md"]
        let evaluated = LinearTrainer.train(name: "intents", train: train, calibration: calibration, labels: labels,
                                            features: features, settings: settings, notes: notes, progress: ModelCLI.progressPrinter)
        // Measure as shipped (after quantisation), not the in-memory float model.
        let evaluatedShipped = try LinearTextClassifier(modelData: evaluated.modelData(encoding: enc))
        let (predictions, rate) = ModelCLI.classifyTimed(evaluatedShipped, test.map(\.text))
        let report = EvaluationReport(labels: labels, gold: test.map(\.label), predictions: predictions)
        ModelCLI.printReport(report, title: "intents, held-out \(test.count) rows (Ombud unseen templates + public)")
        let ombudPredictions = Array(predictions.prefix(ombudTest.count))
        let ombudReport = EvaluationReport(labels: labels, gold: ombudTest.map(\.example.label), predictions: ombudPredictions)
        ModelCLI.printReport(ombudReport, title: "intents, held-out Ombud rows only (unseen templates)", perClass: false, confused: 8)
        var byLanguage: [String: (Int, Int)] = [:]
        for (r, p) in zip(ombudTest, ombudPredictions) {
            byLanguage[r.language, default: (0, 0)].1 += 1
            if p.label == r.example.label { byLanguage[r.language, default: (0, 0)].0 += 1 }
        }
        for (r, p) in zip(ombudTest, ombudPredictions).filter({ $0.1.label != $0.0.example.label }).prefix(showErrors) {
            print(String(format: "  [%@] %@ → %@ (%.2f): ", r.language, r.example.label, p.label, p.confidence) + r.example.text.replacingOccurrences(of: "\n", with: " ").prefix(120))
        }
        print("held-out Ombud accuracy by language: " + byLanguage.sorted { $0.key < $1.key }
            .map { String(format: "%@ %.1f%% (%d)", $0.key, 100 * Double($0.value.0) / Double($0.value.1), $0.value.1) }.joined(separator: ", "))
        let low = predictions.filter { $0.confidence < 0.55 }
        let lowRight = zip(predictions, test).filter { $0.0.confidence < 0.55 && $0.0.label == $0.1.label }.count
        let high = zip(predictions, test).filter { $0.0.confidence >= 0.55 }
        print(String(format: "policy threshold 0.55: %d of %d below (%.1f%%, %d of them right); accuracy at or above: %.2f%%",
                     low.count, predictions.count, 100 * Double(low.count) / Double(max(1, predictions.count)), lowRight,
                     100 * Double(high.filter { $0.0.label == $0.1.label }.count) / Double(max(1, high.count))))

        // The shipped model: the same recipe on every row, keeping the temperature fitted above.
        var final = LinearTrainer.train(name: "intents", train: train + calibration + test, labels: labels, features: features,
                                        settings: settings, notes: notes, progress: ModelCLI.progressPrinter)
        final.metadata.temperature = evaluated.metadata.temperature
        final.metadata.calibrationExamples = calibration.count
        final.metadata.notes["calibration"] = "temperature fitted on \(calibration.count) held-out rows (unseen templates + public), then refit on all rows"
        let data = try final.modelData(encoding: enc)
        try ModelCLI.write(data, to: out)
        let shipped = try LinearTextClassifier(modelData: data)
        print(String(format: "throughput %.0f texts/s; wrote %@ (%d bytes, %@, temperature %.3f, version %@)",
                     rate, out, data.count, encoding, shipped.temperature, shipped.modelVersion))
    }
}

/// The machine-readable table in data/intents/MAPPING.md.
enum ModelIntentMapping {
    struct Entry { var source: String; var label: String; var intent: String }

    static func parse(_ markdown: String) throws -> [Entry] {
        var entries: [Entry] = []
        for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, ["banking77", "bitext"].contains(cells[1]) else { continue }
            guard IntentClassifier.policyIntents.contains(cells[3]) else { throw ValidationError("MAPPING.md: unknown intent '\(cells[3])'") }
            entries.append(Entry(source: cells[1], label: cells[2], intent: cells[3]))
        }
        return entries
    }

    static func publicExamples(mapping: [Entry], shared: String, generalCap: Int, seed: UInt64) throws -> [LabeledText] {
        let banking = try ModelCLI.readCSV("\(shared)/banking77/train.csv").labeledTexts(textColumn: "text", labelColumn: "category")
        let bitext = try ModelCLI.readCSV("\(shared)/bitext-customer-support/Bitext_Sample_Customer_Support_Training_Dataset.csv")
            .labeledTexts(textColumn: "instruction", labelColumn: "intent")
        var out: [LabeledText] = []
        var rng = TextModelRNG(seed: seed &+ 3)
        for (source, rows) in [("banking77", banking), ("bitext", bitext)] {
            for entry in mapping where entry.source == source {
                var matching = rows.filter { $0.label == entry.label }.map { LabeledText(text: $0.text, label: entry.intent) }
                if matching.isEmpty { throw ValidationError("MAPPING.md: no \(source) rows labelled '\(entry.label)'") }
                if entry.intent == "general_inquiry" {
                    rng.shuffle(&matching)
                    matching = Array(matching.prefix(generalCap))
                }
                out += matching
            }
        }
        return out
    }
}
