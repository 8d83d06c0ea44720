import Foundation

/// The sentiment of a customer's message.
public struct SentimentResult: Sendable, Equatable {
    public enum Polarity: String, Sendable, CaseIterable, Codable {
        case negative, neutral, positive
    }

    public var polarity: Polarity
    /// P(positive) − P(negative), in −1...1.
    public var score: Double
    /// Probability of `polarity` (ambiguous counts as neutral).
    public var confidence: Double
    /// Probabilities of negative, neutral (incl. ambiguous), positive.
    public var negative: Double
    public var neutral: Double
    public var positive: Double
    public var modelVersion: String
}

/// Negative / neutral / positive with a score, from a linear model trained on the four
/// GoEmotions sentiment groups (ambiguous, negative, neutral, positive); "ambiguous"
/// (confusion, curiosity, surprise, realisation) is folded into neutral.
public struct SentimentAnalyzer: Sendable {
    public static let groupLabels = ["ambiguous", "negative", "neutral", "positive"]

    public let model: LinearTextClassifier

    public init(model: LinearTextClassifier) throws {
        guard Set(model.labels) == Set(Self.groupLabels) else {
            throw ModelFile.ReadError.invalid("a sentiment model needs the labels \(Self.groupLabels), got \(model.labels)")
        }
        self.model = model
    }

    /// The model shipped in the module's resources.
    public static func bundled() throws -> SentimentAnalyzer {
        let url = try BundledResource.url("sentiment", extension: "ombudmodel")
        return try SentimentAnalyzer(model: LinearTextClassifier(modelData: Data(contentsOf: url)))
    }

    public var modelVersion: String { model.modelVersion }

    /// The four group probabilities (ambiguous, negative, neutral, positive order of the model's labels).
    public func groupProbabilities(_ text: String) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(model.labels, model.probabilities(text)))
    }

    /// Per-label thresholds for multi-label prediction, tuned on dev when the model was built
    /// (notes "multiLabelThresholds", in label order), else one shared threshold.
    public var thresholds: [Double] {
        let notes = model.metadata.notes
        if let list = notes["multiLabelThresholds"]?.split(separator: ",").compactMap({ Double($0) }), list.count == model.labels.count {
            return list
        }
        return Array(repeating: Double(notes["multiLabelThreshold"] ?? "") ?? 0.5, count: model.labels.count)
    }

    /// Multi-label group prediction as GoEmotions evaluates it: every group at or above its
    /// threshold, and always the most probable one.
    public func groups(_ text: String, thresholds: [Double]? = nil) -> [String] {
        Self.groups(model.probabilities(text), labels: model.labels, thresholds: thresholds ?? self.thresholds)
    }

    public static func groups(_ p: [Double], labels: [String], thresholds: [Double]) -> [String] {
        var best = 0
        for i in p.indices where p[i] > p[best] { best = i }
        return labels.indices.filter { $0 == best || p[$0] >= thresholds[$0] }.map { labels[$0] }
    }

    /// Decision weights for negative, neutral, positive (notes "polarityWeights"), tuned on
    /// dev for three-way macro-F1: folding "ambiguous" into neutral otherwise over-predicts neutral.
    public var polarityWeights: [Double] {
        if let w = model.metadata.notes["polarityWeights"]?.split(separator: ",").compactMap({ Double($0) }), w.count == 3 { return w }
        return [1, 1, 1]
    }

    /// Polarity from (negative, neutral incl. ambiguous, positive) probabilities and weights.
    public static func polarity(negative neg: Double, neutral neu: Double, positive pos: Double, weights w: [Double]) -> SentimentResult.Polarity {
        let a = neg * w[0], b = neu * w[1], c = pos * w[2]
        if a >= b && a >= c { return .negative }
        return c > b ? .positive : .neutral
    }

    public func analyze(_ text: String) -> SentimentResult {
        let g = groupProbabilities(text)
        let neg = g["negative"] ?? 0, pos = g["positive"] ?? 0
        let neu = (g["neutral"] ?? 0) + (g["ambiguous"] ?? 0)
        let polarity = Self.polarity(negative: neg, neutral: neu, positive: pos, weights: polarityWeights)
        let confidence = polarity == .negative ? neg : polarity == .positive ? pos : neu
        return SentimentResult(polarity: polarity, score: pos - neg, confidence: confidence,
                         negative: neg, neutral: neu, positive: pos, modelVersion: model.modelVersion)
    }

    /// Maps GoEmotions group labels to polarities (ambiguous → neutral).
    public static func polarity(ofGroup group: String) -> SentimentResult.Polarity? {
        switch group {
        case "negative": return .negative
        case "positive": return .positive
        case "neutral", "ambiguous": return .neutral
        default: return nil
        }
    }
}
