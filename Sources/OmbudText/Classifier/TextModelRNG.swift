/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator, so training and splits are reproducible
/// on every platform (the system generator is neither seedable nor stable).
public struct TextModelRNG: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound without modulo bias worth mentioning for our sizes.
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    /// Uniform in [0, 1).
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Fisher–Yates, deterministic for the seed (unlike `shuffle(using:)`, whose algorithm may change).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}

/// FNV-1a 64, used for the training-data hash recorded in model files.
public struct TextModelFNV: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    public init() {}
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }
    public mutating func update(_ string: String) { update(string.utf8) }
    public mutating func update(_ bytes: [UInt8]) {
        var v = value
        bytes.withUnsafeBufferPointer { for b in $0 { v = (v ^ UInt64(b)) &* 0x0000_0100_0000_01B3 } }
        value = v
    }
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
