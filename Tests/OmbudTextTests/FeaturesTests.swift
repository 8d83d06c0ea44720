import Foundation
import Testing
@testable import OmbudText

@Test func normalizerFoldsCaseAndKeepsMeaningfulDiacritics() {
    let n = TextNormalizer()
    #expect(n.tokens("Får jag BETALA?") == ["får", "jag", "betala"])
    #expect(n.tokens("far") != n.tokens("får"))
    #expect(n.tokens("Straße ÜBER Öl") == ["straße", "über", "öl"])
    #expect(n.tokens("Ä Å Ö Æ Ø") == ["ä", "å", "ö", "æ", "ø"])
}

@Test func normalizerComposesDecomposedInput() {
    let n = TextNormalizer()
    // "a" + COMBINING DIAERESIS must equal precomposed "ä".
    #expect(n.tokens("a\u{0308}rger") == n.tokens("\u{00E4}rger"))
}

@Test func normalizerHandlesApostrophesDigitsAndPunctuation() {
    let n = TextNormalizer()
    #expect(n.tokens("I don’t know, don't!") == ["i", "dont", "know", "dont"])
    #expect(n.tokens("Paid 89.90 EUR on 2026-11-03") == ["paid", "00", "00", "eur", "on", "0000", "00", "00"])
    #expect(TextNormalizer(foldDigits: false).tokens("order 42") == ["order", "42"])
    #expect(n.tokens("  ...  ").isEmpty)
    #expect(n.normalize("Hej, HUR mår du?") == "hej hur mår du")
}

@Test func hasherIsDeterministicAndInRange() {
    let settings = FeatureSettings(bucketBits: 10)
    let h = FeatureHasher(settings: settings)
    var a: [Int32] = [], b: [Int32] = []
    h.appendBuckets(of: "charged twice for my shoes", to: &a)
    h.appendBuckets(of: "charged twice for my shoes", to: &b)
    #expect(a == b)
    #expect(a.allSatisfy { $0 >= 0 && $0 < 1024 })
}

@Test func hasherEmitsWordAndCharacterNgrams() {
    // One word "ab": unigram 1; padded "<ab>" has 2-grams 3, 3-grams 2, 4-grams 1 → 6 char n-grams.
    let h = FeatureHasher(settings: FeatureSettings(bucketBits: 20, maxWordNgram: 2, minCharNgram: 2, maxCharNgram: 5))
    var words: [Int32] = [], chars: [Int32] = []
    h.appendBuckets(of: "ab", words: &words, chars: &chars)
    #expect(words.count == 1)
    #expect(chars.count == 6)
    words = []; chars = []
    h.appendBuckets(of: "ab cd", words: &words, chars: &chars)
    #expect(words.count == 3)  // two unigrams and one bigram
    let wordsOnly = FeatureHasher(settings: FeatureSettings(bucketBits: 20, maxWordNgram: 1, minCharNgram: 2, maxCharNgram: 0))
    var all: [Int32] = []
    wordsOnly.appendBuckets(of: "ab cd", to: &all)
    #expect(all.count == 2)
}

@Test func countsAggregateRepeats() {
    let h = FeatureHasher(settings: FeatureSettings(bucketBits: 20, maxWordNgram: 1, minCharNgram: 2, maxCharNgram: 0))
    let (indices, counts) = h.counts(of: "twice twice twice once")
    #expect(indices.count == 2)
    #expect(counts.sorted() == [1, 3])
}

@Test func tfidfVectorsAreL2NormalisedAndDropUnseenBuckets() {
    let settings = FeatureSettings(bucketBits: 16)
    let v = TfIdfVectorizer.fit(settings: settings, texts: ["my card was declined", "refund not showing", "charged twice"])
    let x = v.vector("my card was declined twice")
    #expect(abs(x.norm - 1) < 1e-4)
    #expect(Set(x.indices).count == x.indices.count || settings.separateBlocks)
    // Nothing of this text was seen in training: no features at all.
    #expect(v.vector("zzqx").count == 0)
    // Rarer features weigh more: IDF of a bucket in one document exceeds one in all three.
    let common = FeatureHasher(settings: settings).counts(of: "a").indices
    #expect(common.allSatisfy { v.idf[Int($0)] == 0 })
}

@Test func sublinearTFDampensRepeats() {
    let settings = FeatureSettings(bucketBits: 16, maxWordNgram: 1, minCharNgram: 2, maxCharNgram: 0, useIDF: false)
    let v = TfIdfVectorizer(settings: settings, idf: [])
    let x = v.vector("late late late late fee")
    let late = x.values.max()!, fee = x.values.min()!
    #expect(abs(late / fee - Float(1 + log(4.0))) < 1e-4)
}
