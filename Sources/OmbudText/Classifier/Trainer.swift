import Foundation

/// Progress reports from training (the library does no I/O; the caller prints them).
public enum TrainingProgress: Sendable {
    case vectorizing(done: Int, total: Int)
    case epoch(number: Int, of: Int, loss: Double, trainAccuracy: Double)
    case calibrated(temperature: Double, heldOutNLLBefore: Double, heldOutNLLAfter: Double)
}

/// Trains `LinearTextClassifier`s: multinomial logistic regression by AdaGrad with L2,
/// deterministic for a seed (own PRNG, fixed example order, single thread).
public enum LinearTrainer {
    /// Trains on `train`, then fits the softmax temperature on `calibration` (if any).
    public static func train(
        name: String,
        train: [LabeledText],
        calibration: [LabeledText] = [],
        labels fixedLabels: [String]? = nil,
        features: FeatureSettings,
        settings: TrainingSettings,
        notes: [String: String] = [:],
        progress: (TrainingProgress) -> Void = { _ in }
    ) -> LinearTextClassifier {
        precondition(!train.isEmpty, "no training examples")
        let labels = fixedLabels ?? Array(Set(train.flatMap(\.labels))).sorted()
        let labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let c = labels.count
        let vectorizer = TfIdfVectorizer.fit(settings: features, texts: train.map(\.text))
        var xs: [SparseVector] = []
        xs.reserveCapacity(train.count)
        for (i, e) in train.enumerated() {
            xs.append(vectorizer.vector(e.text))
            if (i + 1) % 5000 == 0 || i + 1 == train.count { progress(.vectorizing(done: i + 1, total: train.count)) }
        }
        let ys: [[Int]] = train.map { e in e.labels.compactMap { labelIndex[$0] } }

        let buckets = features.bucketCount
        var w = [Float](repeating: 0, count: buckets * c)
        var g = [Float](repeating: 0, count: buckets * c)
        var b = [Float](repeating: 0, count: c)
        var gb = [Float](repeating: 0, count: c)
        let lr = Float(settings.learningRate), l2 = Float(settings.l2), eps: Float = 1e-8
        var rng = TextModelRNG(seed: settings.seed)
        var order = Array(0..<xs.count)
        var z = [Float](repeating: 0, count: c)
        var grad = [Float](repeating: 0, count: c)

        for epoch in 1...max(1, settings.epochs) {
            rng.shuffle(&order)
            var loss = 0.0
            var correct = 0
            w.withUnsafeMutableBufferPointer { wp in
                g.withUnsafeMutableBufferPointer { gp in
                    for n in order {
                        let x = xs[n]
                        let y = ys[n]
                        if y.isEmpty { continue }
                        // Forward.
                        for j in 0..<c { z[j] = b[j] }
                        for k in 0..<x.count {
                            let v = x.values[k], row = Int(x.indices[k]) * c
                            for j in 0..<c { z[j] += v * wp[row + j] }
                        }
                        var m = z[0], arg = 0
                        for j in 1..<c where z[j] > m { m = z[j]; arg = j }
                        var s: Float = 0
                        for j in 0..<c { grad[j] = Foundation.exp(z[j] - m); s += grad[j] }
                        let share = 1 / Float(y.count)
                        for j in 0..<c { grad[j] /= s }
                        for t in y { loss -= Double(Foundation.log(max(grad[t], 1e-12))) * Double(share) }
                        if y.contains(arg) { correct += 1 }
                        for t in y { grad[t] -= share }
                        // Backward (AdaGrad, lazy L2 on touched rows).
                        for k in 0..<x.count {
                            let v = x.values[k], row = Int(x.indices[k]) * c
                            for j in 0..<c {
                                let gw = v * grad[j] + l2 * wp[row + j]
                                gp[row + j] += gw * gw
                                wp[row + j] -= lr * gw / (gp[row + j] + eps).squareRoot()
                            }
                        }
                        for j in 0..<c {
                            gb[j] += grad[j] * grad[j]
                            b[j] -= lr * grad[j] / (gb[j] + eps).squareRoot()
                        }
                    }
                }
            }
            progress(.epoch(number: epoch, of: settings.epochs, loss: loss / Double(xs.count), trainAccuracy: Double(correct) / Double(xs.count)))
        }

        let metadata = ModelMetadata(name: name, labels: labels, dataHash: LabeledText.dataHash(train),
                                     trainingExamples: train.count, calibrationExamples: calibration.count,
                                     training: settings, features: features, temperature: 1, notes: notes)
        var model = LinearTextClassifier(metadata: metadata, vectorizer: vectorizer, weights: w, bias: b)
        if !calibration.isEmpty {
            let logits = calibration.map { model.logits($0.text) }
            let gold = calibration.map { e in e.labels.compactMap { labelIndex[$0] } }
            let before = TemperatureScaling.nll(logits: logits, gold: gold, temperature: 1)
            let t = TemperatureScaling.fit(logits: logits, gold: gold)
            model.metadata.temperature = t
            progress(.calibrated(temperature: t, heldOutNLLBefore: before,
                                 heldOutNLLAfter: TemperatureScaling.nll(logits: logits, gold: gold, temperature: t)))
        }
        return model
    }
}

extension LinearTrainer {
    /// The standard recipe: hold out `settings.holdoutFraction` (stratified, seeded) to fit
    /// the temperature; then, when `refit` is set, train again on all examples and keep that
    /// temperature, so no labelled row is wasted on calibration alone.
    public static func trainCalibrated(
        name: String,
        examples: [LabeledText],
        labels: [String]? = nil,
        features: FeatureSettings,
        settings: TrainingSettings,
        refit: Bool = true,
        notes: [String: String] = [:],
        progress: (TrainingProgress) -> Void = { _ in }
    ) -> LinearTextClassifier {
        let labels = labels ?? Array(Set(examples.flatMap(\.labels))).sorted()
        guard settings.holdoutFraction > 0 else {
            return train(name: name, train: examples, labels: labels, features: features, settings: settings, notes: notes, progress: progress)
        }
        let (part, held) = LabeledText.stratifiedSplit(examples, testFraction: settings.holdoutFraction, seed: settings.seed &+ 1)
        let calibrated = train(name: name, train: part, calibration: held, labels: labels, features: features,
                               settings: settings, notes: notes, progress: progress)
        guard refit else { return calibrated }
        var full = train(name: name, train: examples, labels: labels, features: features, settings: settings, notes: notes, progress: progress)
        full.metadata.temperature = calibrated.metadata.temperature
        full.metadata.calibrationExamples = held.count
        full.metadata.notes["calibration"] = "temperature fitted on a held-out \(held.count) rows, then refit on all \(examples.count)"
        return full
    }
}

/// Temperature scaling (Guo et al. 2017): one scalar T dividing the logits, fitted to
/// minimise held-out negative log-likelihood; it changes confidence, never the ranking.
public enum TemperatureScaling {
    public static func nll(logits: [[Float]], gold: [[Int]], temperature: Double) -> Double {
        var total = 0.0, n = 0
        for (z, y) in zip(logits, gold) where !y.isEmpty {
            let p = LinearTextClassifier.softmax(z, temperature: temperature)
            for t in y { total -= Foundation.log(max(p[t], 1e-12)) / Double(y.count) }
            n += 1
        }
        return n == 0 ? 0 : total / Double(n)
    }

    /// Golden-section search on ln T in [ln 0.02, ln 50] (NLL is unimodal in T).
    public static func fit(logits: [[Float]], gold: [[Int]]) -> Double {
        var lo = Foundation.log(0.02), hi = Foundation.log(50.0)
        let r = (5.0.squareRoot() - 1) / 2
        var a = hi - r * (hi - lo), bb = lo + r * (hi - lo)
        var fa = nll(logits: logits, gold: gold, temperature: Foundation.exp(a))
        var fb = nll(logits: logits, gold: gold, temperature: Foundation.exp(bb))
        for _ in 0..<60 {
            if fa < fb { hi = bb; bb = a; fb = fa; a = hi - r * (hi - lo); fa = nll(logits: logits, gold: gold, temperature: Foundation.exp(a)) }
            else { lo = a; a = bb; fa = fb; bb = lo + r * (hi - lo); fb = nll(logits: logits, gold: gold, temperature: Foundation.exp(bb)) }
        }
        return Foundation.exp((lo + hi) / 2)
    }
}
