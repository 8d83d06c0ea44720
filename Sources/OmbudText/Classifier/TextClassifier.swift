/// The result of classifying one text.
public struct Classification: Sendable, Equatable {
    /// The most probable label.
    public var label: String
    /// Its calibrated probability (0...1).
    public var confidence: Double
    /// Probability of every label, in the order of `labels`.
    public var probabilities: [Double]
    /// The classifier's label set (shared storage, not copied per result).
    public var labels: [String]
    /// Which model produced it (stored with every decision).
    public var modelVersion: String

    public init(label: String, confidence: Double, probabilities: [Double], labels: [String], modelVersion: String) {
        self.label = label
        self.confidence = confidence
        self.probabilities = probabilities
        self.labels = labels
        self.modelVersion = modelVersion
    }

    /// Probability of `label`, 0 when the label is unknown.
    public func probability(of label: String) -> Double {
        guard let i = labels.firstIndex(of: label) else { return 0 }
        return probabilities[i]
    }

    /// Labels with their probabilities, most probable first.
    public var ranked: [(label: String, probability: Double)] {
        zip(labels, probabilities).map { (label: $0.0, probability: $0.1) }.sorted { $0.probability > $1.probability }
    }
}

/// Any text classifier: the hashed linear model today, a sentence encoder or an LLM later.
public protocol TextClassifier: Sendable {
    var modelVersion: String { get }
    var labels: [String] { get }
    func classify(_ text: String) -> Classification
}

/// Runs a fast classifier first and asks a slower one only when the fast one is unsure.
///
/// This is the hook for the later encoder backend: `CascadeClassifier(primary: linear,
/// fallback: encoder, threshold: 0.8)`. Both must share the label set.
public struct CascadeClassifier<Primary: TextClassifier, Fallback: TextClassifier>: TextClassifier {
    public let primary: Primary
    public let fallback: Fallback
    /// The primary's answer is kept when its confidence is at least this.
    public let threshold: Double

    public init(primary: Primary, fallback: Fallback, threshold: Double) {
        precondition(primary.labels == fallback.labels, "cascade stages must share one label set")
        self.primary = primary
        self.fallback = fallback
        self.threshold = threshold
    }

    public var labels: [String] { primary.labels }
    public var modelVersion: String { "cascade(\(primary.modelVersion)|\(fallback.modelVersion)@\(threshold))" }

    public func classify(_ text: String) -> Classification {
        let first = primary.classify(text)
        if first.confidence >= threshold { return first }
        return fallback.classify(text)
    }
}
