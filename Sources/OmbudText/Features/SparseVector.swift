/// A sparse feature vector: unique bucket indices (in no particular order) with their weights.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "indices and values differ in length")
        self.indices = indices
        self.values = values
    }

    public var count: Int { indices.count }

    /// Euclidean norm.
    public var norm: Float {
        var s: Float = 0
        for v in values { s += v * v }
        return s.squareRoot()
    }

    public mutating func normalizeL2() {
        let n = norm
        guard n > 0 else { return }
        let inv = 1 / n
        for i in values.indices { values[i] *= inv }
    }
}
