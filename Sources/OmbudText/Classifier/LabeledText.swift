/// One training or evaluation example. `labels` has one entry for single-label data and
/// several for multi-label data (the training target is then spread evenly across them).
public struct LabeledText: Sendable, Equatable {
    public var text: String
    public var labels: [String]

    public init(text: String, label: String) {
        self.text = text
        self.labels = [label]
    }

    public init(text: String, labels: [String]) {
        precondition(!labels.isEmpty, "an example needs at least one label")
        self.text = text
        self.labels = labels
    }

    /// The first (primary) label.
    public var label: String { labels[0] }

    /// A hash of the examples in order, recorded in the model file to identify its data.
    public static func dataHash(_ examples: [LabeledText]) -> String {
        var h = TextModelFNV()
        for e in examples {
            h.update(e.text)
            h.update([0x09])
            h.update(e.labels.joined(separator: ","))
            h.update([0x0A])
        }
        return h.hex
    }

    /// Stratified, deterministic split: each label contributes `fraction` of its rows
    /// (rounded, at least one when it has two or more) to the held-out part.
    public static func stratifiedSplit(_ examples: [LabeledText], testFraction: Double, seed: UInt64)
        -> (train: [LabeledText], test: [LabeledText])
    {
        var byLabel: [String: [Int]] = [:]
        var order: [String] = []
        for (i, e) in examples.enumerated() {
            if byLabel[e.label] == nil { order.append(e.label) }
            byLabel[e.label, default: []].append(i)
        }
        var rng = TextModelRNG(seed: seed)
        var isTest = [Bool](repeating: false, count: examples.count)
        for label in order.sorted() {
            var rows = byLabel[label]!
            rng.shuffle(&rows)
            var k = Int((Double(rows.count) * testFraction).rounded())
            if k == 0 && rows.count >= 2 && testFraction > 0 { k = 1 }
            for r in rows.prefix(k) { isTest[r] = true }
        }
        var train: [LabeledText] = [], test: [LabeledText] = []
        for (i, e) in examples.enumerated() {
            if isTest[i] { test.append(e) } else { train.append(e) }
        }
        return (train, test)
    }
}
