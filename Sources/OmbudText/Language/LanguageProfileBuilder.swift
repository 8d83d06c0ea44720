/// Builds a langdetect-format profile (character 1–3-gram counts) from sample
/// sentences, with the same n-gram extraction the identifier uses. Used to add a
/// language the langdetect set lacks (Galician, from Tatoeba sentences).
public struct LanguageProfileBuilder: Sendable {
    public private(set) var freq: [String: Int] = [:]
    /// Number of 1-, 2- and 3-grams counted.
    public private(set) var nWords: [Int] = [0, 0, 0]

    public init() {}

    public mutating func add(_ sentence: String) {
        for word in LanguageIdentifier.words(in: sentence) {
            let padded: [Unicode.Scalar] = [" "] + Array(word.unicodeScalars) + [" "]
            for n in 1...3 where padded.count >= n {
                for start in 0...(padded.count - n) {
                    if n == 1 && padded[start] == " " { continue }
                    var gram = String.UnicodeScalarView()
                    gram.append(contentsOf: padded[start..<(start + n)])
                    freq[String(gram), default: 0] += 1
                    nWords[n - 1] += 1
                }
            }
        }
    }

    /// The profile as langdetect JSON (`{"freq": …, "n_words": […], "name": …}`), keys sorted.
    public func json(name: String) -> String {
        func quote(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let body = freq.keys.sorted().map { "\(quote($0)):\(freq[$0]!)" }.joined(separator: ",")
        return "{\"freq\":{\(body)},\"n_words\":[\(nWords.map(String.init).joined(separator: ","))],\"name\":\(quote(name))}\n"
    }
}
