import Foundation

/// The trained complement to `FlagRules`: one logistic regression per flag over a shared
/// hashed TF-IDF vector, stored as one `.ombudmodel` (`Resources/flags.ombudmodel`).
///
/// The file holds a `LinearTextClassifier` whose labels are the four flags and whose column
/// for flag j is w(yes) − w(no) of that flag's binary model, so one vectorisation and one
/// pass over the weights give all four logits; each flag's probability is then an independent
/// sigmoid(z / T) (notes "kind" = "flag-sigmoid", "temperatures", "thresholds"), not a softmax.
/// Rebuild with `ombudctl model build-flags` (data/flags/README.md says what it was trained on).
public struct FlagModel: Sendable {
    public static let kind = "flag-sigmoid"
    public static let labels = TicketFlag.allCases.map(\.rawValue)

    public let model: LinearTextClassifier
    /// Per flag, in `TicketFlag.allCases` order.
    public let temperatures: [Double]
    /// The model alone flags a text at p ≥ threshold (chosen out-of-fold on non-blind data).
    public let thresholds: [Double]

    public var modelVersion: String { model.modelVersion }

    public init(model: LinearTextClassifier) throws {
        guard model.labels == Self.labels, model.metadata.notes["kind"] == Self.kind else {
            throw ModelFile.ReadError.invalid("a flag model needs kind \(Self.kind) and labels \(Self.labels), got \(model.labels)")
        }
        func list(_ key: String, default value: Double) -> [Double] {
            let parsed = (model.metadata.notes[key] ?? "").split(separator: ",").compactMap { Double($0) }
            return parsed.count == Self.labels.count ? parsed : Array(repeating: value, count: Self.labels.count)
        }
        self.model = model
        self.temperatures = list("temperatures", default: 1)
        self.thresholds = list("thresholds", default: 0.5)
    }

    /// The model shipped in the module's resources.
    public static func bundled() throws -> FlagModel {
        let url = try BundledResource.url("flags", extension: "ombudmodel")
        return try FlagModel(model: LinearTextClassifier(modelData: Data(contentsOf: url)))
    }

    /// Loaded once, on first use; nil when the resource is missing or unreadable, so flag
    /// detection degrades to the rules instead of failing.
    public static let shared: FlagModel? = try? bundled()

    /// P(flag) for each flag, in `TicketFlag.allCases` order.
    public func probabilities(_ text: String) -> [Double] {
        let z = Self.logits(model, text)
        return z.indices.map { Self.sigmoid(Double(z[$0]) / temperatures[$0]) }
    }

    /// The largest logit of each flag over the whole text and each of its sentence windows.
    /// Hardship is usually one sentence in a long complaint; scored as part of the whole text
    /// its words are diluted by the L2 norm, scored on its own they are not. Thresholds are
    /// chosen on exactly these scores, so the max over several windows is accounted for.
    public static func logits(_ model: LinearTextClassifier, _ text: String) -> [Float] {
        var z = model.logits(text)
        let windows = sentenceWindows(text)
        guard windows.count > 1 else { return z }
        for w in windows {
            let zw = model.logits(String(w))
            for j in z.indices where zw[j] > z[j] { z[j] = zw[j] }
        }
        return z
    }

    /// Sentences (cut after . ! ? or a line break followed by white space), short ones merged
    /// with the next so that each window has at least `minLength` characters.
    static func sentenceWindows(_ text: String, minLength: Int = 60) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        var count = 0
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            count += 1
            if (c == "." || c == "!" || c == "?" || c == "\n") && count >= minLength && (next == text.endIndex || text[next].isWhitespace) {
                out.append(text[start..<next])
                start = next
                count = 0
            }
            i = next
        }
        if start < text.endIndex {
            // A short tail joins the previous window rather than standing alone.
            if count < minLength, let last = out.popLast() { out.append(text[last.startIndex..<text.endIndex]) }
            else { out.append(text[start..<text.endIndex]) }
        }
        return out
    }

    public func probability(of flag: TicketFlag, in text: String) -> Double {
        probabilities(text)[TicketFlag.allCases.firstIndex(of: flag)!]
    }

    public func threshold(for flag: TicketFlag) -> Double {
        thresholds[TicketFlag.allCases.firstIndex(of: flag)!]
    }

    static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
}

/// A training example for the flag model: the text and the flags it carries.
public struct FlagExample: Sendable, Equatable {
    public var text: String
    public var flags: Set<TicketFlag>
    /// Where the row came from (e.g. "cfpb_eval:123", "written:sv"); never used as a feature.
    public var source: String

    public init(text: String, flags: Set<TicketFlag>, source: String) {
        self.text = text
        self.flags = flags
        self.source = source
    }
}

/// Trains `FlagModel`s; deterministic for a seed (`LinearTrainer` is).
public enum FlagModelTrainer {
    /// One binary logistic regression per flag on the same texts (hence the same fitted IDF),
    /// merged into one four-column model. Temperatures and thresholds are set by the caller.
    public static func train(_ examples: [FlagExample], features: FeatureSettings, settings: TrainingSettings,
                             notes: [String: String] = [:]) -> LinearTextClassifier {
        precondition(!examples.isEmpty, "no training examples")
        let flags = TicketFlag.allCases
        let c = flags.count
        var weights = [Float](repeating: 0, count: features.bucketCount * c)
        var bias = [Float](repeating: 0, count: c)
        var vectorizer: TfIdfVectorizer?
        var hashes: [String] = []
        for (j, flag) in flags.enumerated() {
            let rows = examples.map { LabeledText(text: $0.text, label: $0.flags.contains(flag) ? "1" : "0") }
            let binary = LinearTrainer.train(name: "flag-\(flag.rawValue)", train: rows, labels: ["0", "1"], features: features,
                                             settings: TrainingSettings(epochs: settings.epochs, learningRate: settings.learningRate,
                                                                        l2: settings.l2, seed: settings.seed &+ UInt64(j), holdoutFraction: 0))
            if vectorizer == nil { vectorizer = binary.vectorizer }
            hashes.append(binary.metadata.dataHash)
            binary.weights.withUnsafeBufferPointer { w in
                for b in 0..<features.bucketCount { weights[b * c + j] = w[b * 2 + 1] - w[b * 2] }
            }
            bias[j] = binary.bias[1] - binary.bias[0]
        }
        var allNotes = notes
        allNotes["kind"] = FlagModel.kind
        var h = TextModelFNV()
        for x in hashes { h.update(x) }
        let metadata = ModelMetadata(name: "flags", labels: FlagModel.labels, dataHash: h.hex, trainingExamples: examples.count,
                                     training: settings, features: features, temperature: 1, notes: allNotes)
        return LinearTextClassifier(metadata: metadata, vectorizer: vectorizer!, weights: weights, bias: bias)
    }

    /// Out-of-fold logits: each example is scored by a model trained on the other folds, so
    /// temperatures and thresholds can be chosen on predictions the model did not train on.
    /// Folds are assigned after a seeded shuffle. Returns logits in `TicketFlag.allCases` order.
    public static func outOfFoldLogits(_ examples: [FlagExample], folds k: Int, features: FeatureSettings,
                                       settings: TrainingSettings) -> [[Float]] {
        precondition(k >= 2 && examples.count >= k, "need at least two folds")
        var order = Array(examples.indices)
        var rng = TextModelRNG(seed: settings.seed &+ 0xF01D)
        rng.shuffle(&order)
        var fold = [Int](repeating: 0, count: examples.count)
        for (i, n) in order.enumerated() { fold[n] = i % k }
        var out = [[Float]](repeating: [], count: examples.count)
        for f in 0..<k {
            let train = examples.indices.filter { fold[$0] != f }.map { examples[$0] }
            let model = Self.train(train, features: features, settings: settings)
            for n in examples.indices where fold[n] == f { out[n] = FlagModel.logits(model, examples[n].text) }
        }
        return out
    }

    /// Fits one temperature for a binary logit (sigmoid(z / T)) by held-out NLL.
    public static func temperature(logits: [Float], gold: [Bool]) -> Double {
        TemperatureScaling.fit(logits: logits.map { [0, $0] }, gold: gold.map { [$0 ? 1 : 0] })
    }

    /// The lowest threshold at which the model *alone* is still precise: every grid point from
    /// it upwards keeps precision(p ≥ t) ≥ `minPrecision` (the envelope, so one lucky dip in a
    /// small sample does not set it). Chosen on the model's own predictions, not on "rules OR
    /// model", because on the rows the rules were tuned on they already find nearly every
    /// positive and the model would look useless. No qualifying threshold → above 1 (model off).
    public static func chooseThreshold(probabilities p: [Double], gold: [Bool], minPrecision: Double,
                                       grid: [Double] = Array(stride(from: 0.20, through: 0.95, by: 0.01)))
        -> (threshold: Double, precision: Double, recall: Double)
    {
        var best = (threshold: 1.01, precision: 0.0, recall: 0.0)
        let positives = gold.filter { $0 }.count
        for t in grid.sorted(by: >) {
            var tp = 0, fp = 0
            for i in p.indices where p[i] >= t { if gold[i] { tp += 1 } else { fp += 1 } }
            if tp + fp == 0 { continue }
            let precision = Double(tp) / Double(tp + fp)
            if precision < minPrecision { break }
            best = (t, precision, positives == 0 ? 0 : Double(tp) / Double(positives))
        }
        return best
    }
}
