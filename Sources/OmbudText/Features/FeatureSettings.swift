/// What the hashed feature vector contains; stored in every model file so inference uses
/// exactly the features the model was trained on.
public struct FeatureSettings: Sendable, Equatable, Codable {
    /// Number of hash buckets is `1 << bucketBits`.
    public var bucketBits: Int
    /// Word n-grams 1...maxWordNgram.
    public var maxWordNgram: Int
    /// Character n-grams minCharNgram...maxCharNgram inside each word padded with `<` `>`.
    public var minCharNgram: Int
    public var maxCharNgram: Int
    /// Term frequency 1 + ln(tf) instead of tf.
    public var sublinearTF: Bool
    /// Multiply by inverse document frequency.
    public var useIDF: Bool
    /// L2-normalise the word block and the character block each on its own (then scale both
    /// by 1/√2), so the many character n-grams do not drown the few word n-grams.
    public var separateBlocks: Bool
    /// Share of the squared norm given to the word block when blocks are separate (0...1).
    public var wordBlockWeight: Double
    public var normalizer: TextNormalizer
    /// Seed mixed into every hash, so two feature spaces can be made independent.
    public var hashSeed: UInt64

    public init(bucketBits: Int = 18, maxWordNgram: Int = 2, minCharNgram: Int = 2, maxCharNgram: Int = 5,
                sublinearTF: Bool = true, useIDF: Bool = true, separateBlocks: Bool = true, wordBlockWeight: Double = 0.5, normalizer: TextNormalizer = TextNormalizer(),
                hashSeed: UInt64 = 0x0B0D_7E47) {
        self.bucketBits = bucketBits
        self.maxWordNgram = maxWordNgram
        self.minCharNgram = minCharNgram
        self.maxCharNgram = maxCharNgram
        self.sublinearTF = sublinearTF
        self.useIDF = useIDF
        self.separateBlocks = separateBlocks
        self.wordBlockWeight = wordBlockWeight
        self.normalizer = normalizer
        self.hashSeed = hashSeed
    }

    public var bucketCount: Int { 1 << bucketBits }
}
