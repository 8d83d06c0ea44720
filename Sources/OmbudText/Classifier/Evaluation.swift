/// Quality figures for a classifier on labelled data.
public struct EvaluationReport: Sendable {
    public struct ClassFigures: Sendable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    /// One bin of the reliability table.
    public struct ReliabilityBin: Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanConfidence: Double
        public var accuracy: Double
    }

    public var count: Int
    public var accuracy: Double
    public var macroF1: Double
    public var perClass: [ClassFigures]
    /// (gold, predicted, count), most frequent first.
    public var confusedPairs: [(gold: String, predicted: String, count: Int)]
    /// Expected calibration error over equal-width confidence bins.
    public var ece: Double
    public var reliability: [ReliabilityBin]

    /// Evaluates predictions against gold labels (single-label).
    public init(labels: [String], gold: [String], predictions: [Classification], bins: Int = 10) {
        precondition(gold.count == predictions.count)
        count = gold.count
        var tp: [String: Int] = [:], fp: [String: Int] = [:], fn: [String: Int] = [:], support: [String: Int] = [:]
        var confusions: [String: Int] = [:]
        var correct = 0
        var binCount = [Int](repeating: 0, count: bins), binConf = [Double](repeating: 0, count: bins), binRight = [Int](repeating: 0, count: bins)
        for (g, p) in zip(gold, predictions) {
            support[g, default: 0] += 1
            let right = g == p.label
            if right { correct += 1; tp[g, default: 0] += 1 } else {
                fn[g, default: 0] += 1
                fp[p.label, default: 0] += 1
                confusions[g + "\u{1F}" + p.label, default: 0] += 1
            }
            let b = min(bins - 1, Int(p.confidence * Double(bins)))
            binCount[b] += 1
            binConf[b] += p.confidence
            if right { binRight[b] += 1 }
        }
        accuracy = count == 0 ? 0 : Double(correct) / Double(count)
        var figures: [ClassFigures] = []
        for label in labels where (support[label] ?? 0) > 0 || (fp[label] ?? 0) > 0 {
            let t = Double(tp[label] ?? 0), f = Double(fp[label] ?? 0), n = Double(fn[label] ?? 0)
            let precision = t + f == 0 ? 0 : t / (t + f)
            let recall = t + n == 0 ? 0 : t / (t + n)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            figures.append(ClassFigures(label: label, precision: precision, recall: recall, f1: f1, support: support[label] ?? 0))
        }
        perClass = figures
        let withSupport = figures.filter { $0.support > 0 }
        macroF1 = withSupport.isEmpty ? 0 : withSupport.map(\.f1).reduce(0, +) / Double(withSupport.count)
        confusedPairs = confusions.map { key, n in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            return (gold: parts[0], predicted: parts[1], count: n)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.gold, $0.predicted) < ($1.gold, $1.predicted) }
        var ece = 0.0
        var table: [ReliabilityBin] = []
        for b in 0..<bins {
            let n = binCount[b]
            let conf = n == 0 ? 0 : binConf[b] / Double(n)
            let acc = n == 0 ? 0 : Double(binRight[b]) / Double(n)
            if count > 0 { ece += Double(n) / Double(count) * abs(acc - conf) }
            table.append(ReliabilityBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), count: n, meanConfidence: conf, accuracy: acc))
        }
        self.ece = ece
        reliability = table
    }
}

/// Multi-label macro-F1 as GoEmotions reports it: per label, a binary F1 over examples
/// (label in the predicted set vs. in the gold set), averaged over labels.
public func multiLabelMacroF1(labels: [String], gold: [[String]], predicted: [[String]]) -> (macroF1: Double, perLabel: [(label: String, f1: Double)]) {
    var per: [(String, Double)] = []
    for label in labels {
        var tp = 0, fp = 0, fn = 0
        for (g, p) in zip(gold, predicted) {
            let inG = g.contains(label), inP = p.contains(label)
            if inG && inP { tp += 1 } else if inP { fp += 1 } else if inG { fn += 1 }
        }
        let precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        let recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        per.append((label, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)))
    }
    let macro = per.isEmpty ? 0 : per.map(\.1).reduce(0, +) / Double(per.count)
    return (macro, per.map { (label: $0.0, f1: $0.1) })
}
