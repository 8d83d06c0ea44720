import Foundation

/// Unicode-aware normalisation and tokenisation shared by every feature source.
///
/// Case is folded with full Unicode lower-casing, but letters with diacritics stay as they
/// are: å/ä/ö/ü/ß carry meaning in the lender's Nordic and German markets ("får" ≠ "far").
/// Digits are folded to `0` so that amounts, dates and order numbers share features.
public struct TextNormalizer: Sendable, Equatable, Codable {
    /// Fold every digit to `0` (amounts and order numbers then generalise).
    public var foldDigits: Bool
    /// Longest input considered, in Unicode scalars; longer e-mails are cut (keeps the cost bounded).
    public var maxScalars: Int

    public init(foldDigits: Bool = true, maxScalars: Int = 4096) {
        self.foldDigits = foldDigits
        self.maxScalars = maxScalars
    }

    /// The normalised text: lower-cased, canonical composition, apostrophes unified.
    public func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in tokens(text).joined(separator: " ").unicodeScalars { scalars.append(s) }
        return String(scalars)
    }

    /// Tokens as arrays of Unicode scalar values (the form the hasher consumes).
    public func tokenScalars(_ text: String) -> [[UInt32]] {
        var scalars: [UInt32] = []
        var ends: [Int] = []
        flatTokens(text, scalars: &scalars, ends: &ends)
        var result: [[UInt32]] = []
        var start = 0
        for end in ends { result.append(Array(scalars[start..<end])); start = end }
        return result
    }

    /// Tokens written one after another into `scalars`; `ends[i]` is where token i ends.
    /// One flat buffer instead of an array per token keeps classification allocation-light.
    public func flatTokens(_ text: String, scalars: inout [UInt32], ends: inout [Int]) {
        var lowered = text.lowercased()
        // Decomposed input (a + U+0308) must hash like precomposed ä; only pay for it when needed.
        if lowered.unicodeScalars.contains(where: { (0x300...0x36F).contains($0.value) }) {
            lowered = lowered.precomposedStringWithCanonicalMapping
        }
        var count = 0
        var tokenLength = 0
        @inline(__always) func endToken() {
            if tokenLength > 0 { ends.append(scalars.count); tokenLength = 0 }
        }
        for s in lowered.unicodeScalars {
            count += 1
            if count > maxScalars { break }
            let v = s.value
            if v < 0x80 {
                // ASCII fast path: most text is ASCII, and Unicode property look-ups are not free.
                if (0x61...0x7A).contains(v) { scalars.append(v); tokenLength += 1 }
                else if (0x30...0x39).contains(v) { scalars.append(foldDigits ? 0x30 : v); tokenLength += 1 }
                else if v == 0x27 || v == 0x60 { continue }  // "don't" → "dont"
                else { endToken() }
                continue
            }
            if Self.isApostrophe(v) { continue }
            let props = s.properties
            if props.isAlphabetic {
                scalars.append(v); tokenLength += 1
            } else if props.numericType != nil {
                scalars.append(foldDigits ? 0x30 : v); tokenLength += 1
            } else if Self.isCombiningMark(v) {
                // A mark left after composition belongs to the preceding letter.
                if tokenLength > 0 { scalars.append(v); tokenLength += 1 }
            } else {
                endToken()
            }
        }
        endToken()
    }

    /// Tokens as strings (for inspection and tests).
    public func tokens(_ text: String) -> [String] {
        tokenScalars(text).map { scalars in
            var view = String.UnicodeScalarView()
            for v in scalars { if let u = Unicode.Scalar(v) { view.append(u) } }
            return String(view)
        }
    }

    private static func isApostrophe(_ v: UInt32) -> Bool {
        v == 0x27 || v == 0x2019 || v == 0x2018 || v == 0x02BC || v == 0x60 || v == 0xB4
    }

    private static func isCombiningMark(_ v: UInt32) -> Bool {
        (0x300...0x36F).contains(v)
    }
}
