import Foundation

/// Turns text into an L2-normalised, sublinear-TF × IDF weighted hashed vector.
///
/// Buckets never seen in training have IDF 0 and are dropped, as a fitted vocabulary
/// would drop unknown words: they carry no trained weight and would only shrink the
/// known features through the L2 norm.
public struct TfIdfVectorizer: Sendable {
    public let hasher: FeatureHasher
    /// Per-bucket IDF (0 = unseen bucket). Empty when IDF is off.
    public let idf: [Float]

    public var settings: FeatureSettings { hasher.settings }

    public init(settings: FeatureSettings, idf: [Float]) {
        precondition(!settings.useIDF || idf.count == settings.bucketCount, "IDF length must equal bucket count")
        self.hasher = FeatureHasher(settings: settings)
        self.idf = idf
    }

    /// Fits IDF = ln((1 + N) / (1 + df)) + 1 on the training texts (smooth IDF, as in scikit-learn).
    public static func fit(settings: FeatureSettings, texts: [String]) -> TfIdfVectorizer {
        let hasher = FeatureHasher(settings: settings)
        var df = [Int32](repeating: 0, count: settings.bucketCount)
        for text in texts {
            let (indices, _) = hasher.counts(of: text)
            for i in indices { df[Int(i)] += 1 }
        }
        let n = Float(texts.count)
        let idf: [Float] = df.map { $0 == 0 ? 0 : Foundation.log((1 + n) / (1 + Float($0))) + 1 }
        return TfIdfVectorizer(settings: settings, idf: idf)
    }

    public func vector(_ text: String) -> SparseVector {
        guard settings.separateBlocks else {
            let (indices, counts) = hasher.counts(of: text)
            var v = weighted(indices, counts)
            v.normalizeL2()
            return v
        }
        let (w, c) = hasher.blockCounts(of: text)
        var words = weighted(w.indices, w.counts)
        var chars = weighted(c.indices, c.counts)
        words.normalizeL2()
        chars.normalizeL2()
        // Each block keeps its share of the unit norm; a bucket present in both simply appears twice.
        if words.count > 0 && chars.count > 0 {
            let w = min(max(settings.wordBlockWeight, 0), 1)
            let ws = Float(w.squareRoot()), cs = Float((1 - w).squareRoot())
            for i in words.values.indices { words.values[i] *= ws }
            for i in chars.values.indices { chars.values[i] *= cs }
        }
        return SparseVector(indices: words.indices + chars.indices, values: words.values + chars.values)
    }

    private func weighted(_ indices: [Int32], _ counts: [Float]) -> SparseVector {
        var outIdx: [Int32] = []
        var outVal: [Float] = []
        outIdx.reserveCapacity(indices.count)
        outVal.reserveCapacity(indices.count)
        let useIDF = settings.useIDF
        let sublinear = settings.sublinearTF
        for k in 0..<indices.count {
            let b = indices[k]
            var w = sublinear ? 1 + Foundation.log(counts[k]) : counts[k]
            if useIDF {
                let f = idf[Int(b)]
                if f == 0 { continue }
                w *= f
            }
            outIdx.append(b)
            outVal.append(w)
        }
        return SparseVector(indices: outIdx, values: outVal)
    }
}
