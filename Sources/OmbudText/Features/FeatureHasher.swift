/// Hashes word 1–2-grams and character n-grams (with word boundaries) into buckets.
///
/// Hashing keeps the model a fixed size whatever the vocabulary, and makes unseen
/// spellings (typos, compounds) share character n-grams with known words.
public struct FeatureHasher: Sendable {
    public let settings: FeatureSettings
    private let mask: UInt64

    public init(settings: FeatureSettings) {
        precondition((4...26).contains(settings.bucketBits), "bucketBits must be within 4...26")
        self.settings = settings
        self.mask = UInt64(settings.bucketCount - 1)
    }

    private static let fnvPrime: UInt64 = 0x0000_0100_0000_01B3
    private static let fnvOffset: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let leftBoundary: UInt32 = 0x3C   // "<"
    private static let rightBoundary: UInt32 = 0x3E  // ">"

    /// Final avalanche (TextModelRNG's), so the low bits used as a bucket are well mixed.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Appends the bucket of every feature occurrence (repeats kept: they are term counts).
    public func appendBuckets(of text: String, to out: inout [Int32]) {
        var chars: [Int32] = []
        appendBuckets(of: text, words: &out, chars: &chars)
        out.append(contentsOf: chars)
    }

    /// Word n-gram buckets go to `words`, character n-gram buckets to `chars`.
    public func appendBuckets(of text: String, words: inout [Int32], chars: inout [Int32]) {
        var scalars: [UInt32] = []
        var ends: [Int] = []
        scalars.reserveCapacity(text.utf8.count)
        settings.normalizer.flatTokens(text, scalars: &scalars, ends: &ends)
        appendBuckets(scalars: scalars, ends: ends, words: &words, chars: &chars)
    }

    private func appendBuckets(scalars: [UInt32], ends: [Int], words out: inout [Int32], chars: inout [Int32]) {
        let seed = settings.hashSeed
        var wordHashes: [UInt64] = []
        wordHashes.reserveCapacity(ends.count)
        let minN = settings.minCharNgram, maxN = settings.maxCharNgram
        var padded: [UInt32] = []
        var tokenStart = 0
        for tokenEnd in ends {
            let token = scalars[tokenStart..<tokenEnd]
            tokenStart = tokenEnd
            var h = Self.fnvOffset ^ seed
            for v in token { h = (h ^ UInt64(v)) &* Self.fnvPrime }
            wordHashes.append(h)
            out.append(Int32(truncatingIfNeeded: Self.mix(h ^ 0x5752_4431) & mask))  // "WRD1"
            guard maxN >= minN, maxN > 0 else { continue }
            padded.removeAll(keepingCapacity: true)
            padded.append(Self.leftBoundary)
            padded.append(contentsOf: token)
            padded.append(Self.rightBoundary)
            let n = padded.count
            for start in 0..<n {
                var g = Self.fnvOffset ^ (seed &+ 0x4348_4152)  // "CHAR"
                var length = 0
                var j = start
                while j < n && length < maxN {
                    g = (g ^ UInt64(padded[j])) &* Self.fnvPrime
                    length += 1
                    j += 1
                    if length >= minN {
                        chars.append(Int32(truncatingIfNeeded: Self.mix(g &+ UInt64(length)) & mask))
                    }
                }
            }
        }
        if settings.maxWordNgram >= 2 && wordHashes.count >= 2 {
            for i in 1..<wordHashes.count {
                let b = wordHashes[i - 1] &* 0x9E37_79B9_7F4A_7C15 ^ wordHashes[i] ^ 0x5752_4432  // "WRD2"
                out.append(Int32(truncatingIfNeeded: Self.mix(b) & mask))
            }
        }
    }

    /// Term counts per bucket over all features: unique indices and occurrence counts.
    public func counts(of text: String) -> (indices: [Int32], counts: [Float]) {
        var buckets: [Int32] = []
        buckets.reserveCapacity(text.utf8.count * 4 + 8)
        appendBuckets(of: text, to: &buckets)
        return Self.count(buckets)
    }

    /// Term counts of the word block and of the character block, separately.
    public func blockCounts(of text: String) -> (words: (indices: [Int32], counts: [Float]), chars: (indices: [Int32], counts: [Float])) {
        var words: [Int32] = [], chars: [Int32] = []
        chars.reserveCapacity(text.utf8.count * 4 + 8)
        appendBuckets(of: text, words: &words, chars: &chars)
        return (Self.count(words), Self.count(chars))
    }

    /// Unique indices (in first-seen order) with their counts, from a small open-addressing
    /// table: cheaper than sorting the occurrences.
    static func count(_ buckets: [Int32]) -> (indices: [Int32], counts: [Float]) {
        var size = 16
        while size < buckets.count * 2 { size <<= 1 }
        let tableMask = size - 1
        var keys = [Int32](repeating: -1, count: size)
        var slots = [Int32](repeating: 0, count: size)
        var indices: [Int32] = []
        var counts: [Float] = []
        indices.reserveCapacity(buckets.count)
        counts.reserveCapacity(buckets.count)
        for b in buckets {
            var p = Int(UInt32(bitPattern: b) &* 0x9E37_79B1) & tableMask
            while true {
                let k = keys[p]
                if k == b { counts[Int(slots[p])] += 1; break }
                if k == -1 {
                    keys[p] = b
                    slots[p] = Int32(indices.count)
                    indices.append(b)
                    counts.append(1)
                    break
                }
                p = (p + 1) & tableMask
            }
        }
        return (indices, counts)
    }
}
