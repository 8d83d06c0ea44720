import ArgumentParser
import Foundation
import OmbudText

/// GoEmotions "group" TSV: text<TAB>labels (comma-separated 0..3)<TAB>id.
enum ModelGoEmotionsGroup {
    static func read(_ path: String) throws -> [LabeledText] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [LabeledText] = []
        for line in text.split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count >= 2 else { continue }
            let labels = cols[1].split(separator: ",").compactMap { Int($0) }.filter { (0..<4).contains($0) }
                .map { SentimentAnalyzer.groupLabels[$0] }
            if !labels.isEmpty { out.append(LabeledText(text: String(cols[0]), labels: labels)) }
        }
        return out
    }
}

struct ModelBuildSentiment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-sentiment",
        abstract: "Train the sentiment model on GoEmotions groups (train; dev for temperature and threshold) and write the bundled resource.",
        discussion: "  ombudctl model build-sentiment --shared ../shared/data"
    )
    @Option(help: "Folder with the public data sets.") var shared = "../shared/data"
    @Option(help: "Where to write the model.") var out = "Sources/OmbudText/Resources/sentiment.ombudmodel"
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Passes over the training data.") var epochs = 3
    @Option(name: .customLong("learning-rate"), help: "AdaGrad learning rate.") var learningRate = 0.1
    @Option(help: "L2 penalty.") var l2 = 1e-5
    @Option(name: .customLong("bucket-bits"), help: "Hash buckets = 2^bits.") var bucketBits = 18
    @Option(help: "Weight storage: float32 or int8.") var encoding = "int8"

    func run() async throws {
        guard let enc = ModelFile.WeightEncoding(rawValue: encoding) else { throw ValidationError("bad --encoding") }
        let train = try ModelGoEmotionsGroup.read("\(shared)/goemotions-group/train.tsv")
        let dev = try ModelGoEmotionsGroup.read("\(shared)/goemotions-group/dev.tsv")
        ModelCLI.log("training on \(train.count) rows, calibrating on \(dev.count) dev rows")
        var model = LinearTrainer.train(
            name: "sentiment", train: train, calibration: dev, labels: SentimentAnalyzer.groupLabels,
            features: FeatureSettings(bucketBits: bucketBits),
            settings: TrainingSettings(epochs: epochs, learningRate: learningRate, l2: l2, seed: seed, holdoutFraction: 0),
            notes: ["sources": "GoEmotions (Apache-2.0), sentiment groups via monologg/GoEmotions-pytorch; train split, dev for calibration"],
            progress: ModelCLI.progressPrinter)
        // Thresholds are chosen on dev, never on test: first one shared, then each label's own.
        let probabilities = dev.map { model.probabilities($0.text) }
        let labels = model.labels
        func devF1(_ t: [Double]) -> Double {
            let predicted = probabilities.map { SentimentAnalyzer.groups($0, labels: labels, thresholds: t) }
            return multiLabelMacroF1(labels: SentimentAnalyzer.groupLabels, gold: dev.map(\.labels), predicted: predicted).macroF1
        }
        let grid = Array(stride(from: 0.10, through: 0.70, by: 0.02))
        var shared = (threshold: 0.5, f1: -1.0)
        for t in grid {
            let f1 = devF1(Array(repeating: t, count: labels.count))
            if f1 > shared.f1 { shared = (t, f1) }
        }
        var thresholds = Array(repeating: shared.threshold, count: labels.count)
        var best = shared.f1
        for _ in 0..<2 {
            for i in labels.indices {
                for t in grid {
                    var candidate = thresholds
                    candidate[i] = t
                    let f1 = devF1(candidate)
                    if f1 > best { best = f1; thresholds = candidate }
                }
            }
        }
        model.metadata.notes["multiLabelThreshold"] = String(format: "%.2f", shared.threshold)
        model.metadata.notes["multiLabelThresholds"] = thresholds.map { String(format: "%.2f", $0) }.joined(separator: ",")
        ModelCLI.log(String(format: "dev 4-group macro-F1: %.2f%% (shared threshold %.2f), %.2f%% (per label %@)",
                       shared.f1 * 100, shared.threshold, best * 100, model.metadata.notes["multiLabelThresholds"]!))
        // Three-way decision weights, also on dev (rows whose gold is a single polarity).
        var devPolar: [(p: (Double, Double, Double), gold: String)] = []
        for (row, p) in zip(dev, probabilities) {
            let polarities = Set(row.labels.compactMap { SentimentAnalyzer.polarity(ofGroup: $0) })
            guard polarities.count == 1 else { continue }
            let g = Dictionary(uniqueKeysWithValues: zip(labels, p))
            devPolar.append(((g["negative"]!, g["neutral"]! + g["ambiguous"]!, g["positive"]!), polarities.first!.rawValue))
        }
        func threeWayF1(_ w: [Double]) -> Double {
            let predictions = devPolar.map { r -> Classification in
                let pol = SentimentAnalyzer.polarity(negative: r.p.0, neutral: r.p.1, positive: r.p.2, weights: w).rawValue
                return Classification(label: pol, confidence: 0.5, probabilities: [], labels: [], modelVersion: "")
            }
            return EvaluationReport(labels: ["negative", "neutral", "positive"], gold: devPolar.map(\.gold), predictions: predictions).macroF1
        }
        var weights = [1.0, 1.0, 1.0], bestThree = threeWayF1(weights)
        let plain = bestThree
        for wn in stride(from: 0.8, through: 2.5, by: 0.05) {
            for wp in stride(from: 0.8, through: 2.0, by: 0.05) {
                let f1 = threeWayF1([wn, 1, wp])
                if f1 > bestThree { bestThree = f1; weights = [wn, 1, wp] }
            }
        }
        model.metadata.notes["polarityWeights"] = weights.map { String(format: "%.2f", $0) }.joined(separator: ",")
        ModelCLI.log(String(format: "dev 3-way macro-F1: %.2f%% (plain argmax), %.2f%% (weights %@)", plain * 100, bestThree * 100,
                       model.metadata.notes["polarityWeights"]!))
        let data = try model.modelData(encoding: enc)
        try ModelCLI.write(data, to: out)
        ModelCLI.log("wrote \(out) (\(data.count) bytes)")
    }
}

struct ModelEvalSentiment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-sentiment",
        abstract: "Measure the sentiment model on a GoEmotions group TSV: 4-group multi-label macro-F1 and the 3-way result.",
        discussion: "  ombudctl model eval-sentiment --data ../shared/data/goemotions-group/test.tsv [--model FILE]"
    )
    @Option(help: "Model file (default: the bundled one).") var model: String?
    @Option(help: "GoEmotions group TSV.") var data = "../shared/data/goemotions-group/test.tsv"

    func run() async throws {
        let analyzer = try model.map { try SentimentAnalyzer(model: ModelCLI.loadModel($0).0) } ?? SentimentAnalyzer.bundled()
        let m = analyzer.model
        let rows = try ModelGoEmotionsGroup.read(data)
        let thresholds = analyzer.thresholds
        let clock = ContinuousClock()
        var sentiments: [SentimentResult] = []
        let elapsed = clock.measure { sentiments = rows.map { analyzer.analyze($0.text) } }
        let probabilities = rows.map { m.probabilities($0.text) }
        let predicted = probabilities.map { SentimentAnalyzer.groups($0, labels: m.labels, thresholds: thresholds) }
        let four = multiLabelMacroF1(labels: SentimentAnalyzer.groupLabels, gold: rows.map(\.labels), predicted: predicted)
        print("== \(m.modelVersion) on \(data) (\(rows.count) rows) ==")
        print(String(format: "4-group multi-label macro-F1 %.2f%% (thresholds %@ tuned on dev; BERT-base 70.06)", four.macroF1 * 100,
                     thresholds.map { String(format: "%.2f", $0) }.joined(separator: ",")))
        for (label, f1) in four.perLabel { print(String(format: "  %-9@ F1 %.2f%%", label, f1 * 100)) }
        let top1 = EvaluationReport(labels: m.labels, gold: rows.map(\.label),
                                    predictions: probabilities.map { p in
                                        let i = p.indices.max { p[$0] < p[$1] }!
                                        return Classification(label: m.labels[i], confidence: p[i], probabilities: p, labels: m.labels, modelVersion: m.modelVersion)
                                    })
        print(String(format: "4-group top-1 accuracy (first gold label) %.2f%%, ECE %.4f", top1.accuracy * 100, top1.ece))
        // Three-way: ambiguous folds into neutral; rows whose gold maps to one polarity only.
        var gold3: [String] = [], pred3: [Classification] = []
        for (row, s) in zip(rows, sentiments) {
            let polarities = Set(row.labels.compactMap { SentimentAnalyzer.polarity(ofGroup: $0) })
            guard polarities.count == 1 else { continue }
            gold3.append(polarities.first!.rawValue)
            pred3.append(Classification(label: s.polarity.rawValue, confidence: s.confidence,
                                        probabilities: [s.negative, s.neutral, s.positive], labels: ["negative", "neutral", "positive"], modelVersion: s.modelVersion))
        }
        let three = EvaluationReport(labels: ["negative", "neutral", "positive"], gold: gold3, predictions: pred3)
        ModelCLI.printReport(three, title: "3-way (negative / neutral+ambiguous / positive), \(gold3.count) single-polarity rows", confused: 6)
        print(String(format: "throughput %.0f texts/s (single thread, analyze)", Double(rows.count) / ModelCLI.seconds(elapsed)))
    }
}
